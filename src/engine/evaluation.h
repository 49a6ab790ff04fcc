// The steps of one evaluation, in order: select, the per-indicator phase,
// then per range of providers the per-series and combining phases and the
// roll-up. Private to the engine.
#ifndef VIGIL_SRC_ENGINE_EVALUATION_H_
#define VIGIL_SRC_ENGINE_EVALUATION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/arena.h"
#include "src/engine/compiled_rules.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// Which rules select which indicators and providers, and where each
// indicator is assessed.
struct Selection {
  std::vector<std::vector<char>> indicator;  // [rule][indicator]
  std::vector<std::vector<char>> provider;   // [rule][provider]
  std::vector<char> indicator_selected;      // by any rule
  std::vector<char> provider_selected;       // by any rule
  std::vector<Period> assessed;              // [indicator]
  std::vector<std::string> assessed_text;    // [indicator], FormatPeriod
  bool any_per_indicator = false;            // Any rule of that phase.
  bool any_reads_plans = false;              // Any rule reads plans.
};

Selection Select(const std::vector<CompiledRule>& rules,
                 const SeriesStore& data, Period as_of);

// Observations that were indexed but are not used in this evaluation: after
// the as-of period, or of an indicator no rule selects. One diagnostic per
// indicator and reason, and one when plans were given but no rule reads
// them. Returns how many observations.
int64_t ReportUnusedObservations(const SeriesStore& data,
                                 const Selection& selection, Period as_of,
                                 std::vector<v1::Diagnostic>* diagnostics);

// Assessments allocated on `arena` (the report's), or on the heap when it
// is null; one pool per thread. A heap pool deletes what it still owns.
class AssessmentPool {
 public:
  explicit AssessmentPool(google::protobuf::Arena* arena) : arena_(arena) {}
  ~AssessmentPool() { Release(spare_); }
  AssessmentPool(const AssessmentPool&) = delete;
  AssessmentPool& operator=(const AssessmentPool&) = delete;

  google::protobuf::Arena* arena() const { return arena_; }
  // A new assessment with the identity fields of `rule` on the pair set.
  v1::Assessment* Start(const CompiledRule& rule, const v1::Provider& provider,
                        const v1::Indicator& indicator,
                        const std::string& period_text);
  // Takes back an assessment a rule left unrated, for the next one.
  void Recycle(v1::Assessment* a);
  // Deletes `a` when it is on the heap.
  void Release(v1::Assessment* a) const {
    if (arena_ == nullptr) delete a;
  }

 private:
  google::protobuf::Arena* const arena_;
  v1::Assessment* spare_ = nullptr;  // Cleared, for the next rule.
};

// What the per-indicator phase judged: [rule slot][indicator][provider],
// taken one by one by the provider ranges.
class PeerResults {
 public:
  PeerResults(size_t rules, size_t indicators, size_t providers,
              google::protobuf::Arena* arena);
  ~PeerResults();
  PeerResults(const PeerResults&) = delete;
  PeerResults& operator=(const PeerResults&) = delete;

  void Put(size_t slot, size_t indicator, size_t provider, v1::Assessment* a);
  // The assessment (now the caller's), or null.
  v1::Assessment* Take(size_t slot, size_t indicator, size_t provider);

 private:
  std::vector<v1::Assessment*>& Cell(size_t slot, size_t indicator);

  const size_t indicators_;
  const size_t providers_;
  google::protobuf::Arena* const arena_;
  std::vector<std::vector<v1::Assessment*>> cells_;  // Empty until used.
};

// The per-indicator phase for indicators [begin, end): for each rule of the
// phase that selects the indicator, gathers statistics over its selected
// providers and judges each of them into `results`.
void RunPerIndicatorPhase(const CompiledRuleSet& compiled, int begin, int end,
                          const SeriesStore& data, const Selection& selection,
                          AssessmentPool* pool, PeerResults* results);

// The per-series and combining phases and the roll-up of a contiguous range
// of providers: assessments in (provider, indicator, pack) order and one
// summary per provider.
class ProviderRange {
 public:
  ProviderRange(google::protobuf::Arena* arena, int chart_periods)
      : pool_(arena), chart_periods_(chart_periods) {}
  ~ProviderRange();
  ProviderRange(const ProviderRange&) = delete;
  ProviderRange& operator=(const ProviderRange&) = delete;

  void Assess(const CompiledRuleSet& compiled, int begin, int end,
              const SeriesStore& data, const Selection& selection,
              PeerResults* peers);

  // Moves everything into `report`, which must be on the same arena.
  void MoveAssessmentsTo(v1::Report* report);
  void MoveSummariesTo(v1::Report* report);
  size_t assessment_count() const { return assessments_.size(); }

 private:
  // Assesses one (provider, indicator) pair with every rule, in pack order.
  void AssessPair(const CompiledRuleSet& compiled, int p, int i,
                  const SeriesStore& data, const Selection& selection,
                  PeerResults* peers);

  AssessmentPool pool_;
  const int chart_periods_;  // EvaluateOptions::chart_periods.
  std::vector<v1::Assessment*> assessments_;
  std::vector<v1::ProviderSummary*> summaries_;
  // Per pair, by rule slot and by pack index (for combining rules).
  std::vector<v1::Assessment*> by_slot_;
  std::vector<const v1::Assessment*> by_rule_;
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_EVALUATION_H_
