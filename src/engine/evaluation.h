// The steps of one evaluation, in order: select, the per-indicator phase,
// then per range of providers the per-series and combining phases and the
// roll-up. Private to the engine.
#ifndef VIGIL_SRC_ENGINE_EVALUATION_H_
#define VIGIL_SRC_ENGINE_EVALUATION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "google/protobuf/arena.h"
#include "src/engine/compiled_rules.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// One part of a distributed evaluation (Engine::EvaluatePartition): the
// providers it owns, and the per-indicator statistics gathered over every
// part (encoded by their rule kind), by (as-of period index, rule slot,
// indicator). An evaluation in a scope assesses only the owned providers,
// and its per-indicator rules judge them on these statistics instead of
// gathering their own.
struct PartitionScope {
  std::vector<char> owned;  // [provider]
  absl::flat_hash_map<std::tuple<int32_t, int32_t, int32_t>, std::string>
      statistics;
  // The first problem of a per-indicator phase in this scope (statistics
  // missing or unreadable); set under `mutex` by the threads.
  mutable std::mutex mutex;
  mutable std::string problem;
  void SetProblem(std::string text) const {
    std::lock_guard<std::mutex> lock(mutex);
    if (problem.empty()) problem = std::move(text);
  }
};

// Which rules select which indicators and providers, and where each
// indicator is assessed.
//
// A pair (provider, indicator) exists when the data holds a series or a
// plan for it; evaluation visits the pairs that exist, and a pair that does
// not only for a rule that assesses absent pairs (data quality, trajectory,
// milestone: NeedsSeries() false) and names its indicator by id
// (`named`). A rule selecting by domain, tag or all indicators does not
// invent an assessment for every provider x indicator with no data.
struct Selection {
  std::vector<std::vector<char>> indicator;  // [rule][indicator]
  std::vector<std::vector<char>> provider;   // [rule][provider]
  // [rule][indicator]: selected, by id, by a rule that assesses absent
  // pairs; empty for the other rules.
  std::vector<std::vector<char>> named;
  // The indicators any rule has in `named`, ascending.
  std::vector<int32_t> named_indicators;
  std::vector<char> indicator_selected;    // by any rule
  std::vector<char> provider_selected;     // by any rule
  std::vector<Period> assessed;            // [indicator]
  std::vector<std::string> assessed_text;  // [indicator], FormatPeriod
  bool any_per_indicator = false;          // Any rule of that phase.
  bool any_reads_plans = false;            // Any rule reads plans.
  Period as_of;                            // The evaluation's.
  // A part of a distributed evaluation: `provider` holds only the owned
  // providers (provider_selected is as in the whole evaluation). Null: the
  // whole data.
  const PartitionScope* scope = nullptr;
};

Selection Select(const std::vector<CompiledRule>& rules,
                 const SeriesStore& data, Period as_of,
                 const PartitionScope* scope = nullptr);

// Observations indexed but not used, by indicator: after the as-of period,
// or of an indicator no rule selects.
struct UnusedCounts {
  std::vector<int64_t> not_selected;  // [indicator]
  std::vector<int64_t> after_as_of;   // [indicator]
  int64_t total() const;
};
UnusedCounts CountUnusedObservations(const SeriesStore& data,
                                     const Selection& selection);
// Their diagnostics: one per indicator and reason, and one when `plans_used`
// plan values were read but no rule reads plans (`any_reads_plans`).
void AddUnusedDiagnostics(const UnusedCounts& counts,
                          const std::vector<v1::Indicator>& indicators,
                          Period as_of, int64_t plans_used,
                          bool any_reads_plans,
                          std::vector<v1::Diagnostic>* diagnostics);

// Assessments allocated on `arena` (the report's), or on the heap when it
// is null; one pool per thread. A heap pool deletes what it still owns.
//
// A pool that does not explain (back-testing: only ratings are read) leaves
// the identity strings of the assessments it starts unset, and its rules'
// contexts say explain = false.
class AssessmentPool {
 public:
  explicit AssessmentPool(google::protobuf::Arena* arena, bool explain = true)
      : arena_(arena), explain_(explain) {}
  ~AssessmentPool() { Release(spare_); }
  AssessmentPool(const AssessmentPool&) = delete;
  AssessmentPool& operator=(const AssessmentPool&) = delete;

  google::protobuf::Arena* arena() const { return arena_; }
  bool explain() const { return explain_; }
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
  const bool explain_;
  v1::Assessment* spare_ = nullptr;  // Cleared, for the next rule.
};

// What the per-indicator phase judged: [rule slot][indicator], a list of
// (provider, assessment) by provider (only the providers judged: no
// providers x indicators table), taken one by one by the provider ranges.
class PeerResults {
 public:
  PeerResults(size_t rules, size_t indicators, google::protobuf::Arena* arena);
  ~PeerResults();
  PeerResults(const PeerResults&) = delete;
  PeerResults& operator=(const PeerResults&) = delete;

  void Put(size_t slot, size_t indicator, size_t provider, v1::Assessment* a);
  // The assessment (now the caller's), or null.
  v1::Assessment* Take(size_t slot, size_t indicator, size_t provider);

  // The funnel chart of (slot, indicator), for reports that ask for charts.
  // One thread fills a cell.
  void PutChart(size_t slot, size_t indicator,
                std::unique_ptr<v1::FunnelChart> chart);
  // Moves every chart into `report`, by indicator then slot (pack order).
  void MoveChartsTo(v1::Report* report);

 private:
  using Cell = std::vector<std::pair<int32_t, v1::Assessment*>>;
  Cell& At(size_t slot, size_t indicator);

  const size_t indicators_;
  google::protobuf::Arena* const arena_;
  std::vector<Cell> cells_;
  std::vector<std::unique_ptr<v1::FunnelChart>> charts_;  // As cells_.
};

// The per-indicator phase for indicators [begin, end): for each rule of the
// phase that selects the indicator, gathers statistics over its selected
// providers and judges each of them into `results`.
// With `charts`, also the rule's funnel chart (PeerResults::PutChart).
// In a partition scope, the statistics are the scope's (decoded), not
// gathered; a missing or unreadable one is the scope's problem and its
// providers are not judged.
void RunPerIndicatorPhase(const CompiledRuleSet& compiled, int begin, int end,
                          const SeriesStore& data, const Selection& selection,
                          bool charts, AssessmentPool* pool,
                          PeerResults* results);

// The gather step of a distributed evaluation: for each rule of the phase
// and indicator it selects with providers to judge here, the statistics
// gathered over them, encoded by the rule kind, into `out` as
// (rule slot, indicator, bytes) in slot then indicator order.
struct EncodedStatistics {
  int32_t slot, indicator;
  std::string bytes;
};
absl::Status GatherPerIndicatorPhase(const CompiledRuleSet& compiled,
                                     const SeriesStore& data,
                                     const Selection& selection,
                                     std::vector<EncodedStatistics>* out);

// How many assessments an evaluation may still make, shared by its threads.
class AssessmentBudget {
 public:
  explicit AssessmentBudget(int64_t limit) : limit_(limit) {}
  // Counts `n` more assessments; false once the total is over the limit
  // (and exceeded() from then on).
  bool Take(int64_t n) {
    if (used_.fetch_add(n, std::memory_order_relaxed) + n <= limit_) {
      return true;
    }
    exceeded_.store(true, std::memory_order_relaxed);
    return false;
  }
  bool exceeded() const { return exceeded_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }

 private:
  const int64_t limit_;
  std::atomic<int64_t> used_{0};
  std::atomic<bool> exceeded_{false};
};

// What an assessment is of: a provider and an indicator (indices into the
// store) and a rule (its slot in CompiledRuleSet::compiled).
struct AssessmentKey {
  int32_t provider, indicator, slot;
};

// What a lean evaluation (back-testing) hands on instead of a report: every
// rating by (provider, indicator, rule slot in CompiledRuleSet::compiled),
// and every provider's escalation level. Called from one thread per range.
class RatingSink {
 public:
  virtual ~RatingSink() = default;
  virtual void Rated(int provider, int indicator, int slot,
                     v1::Rating rating) = 0;
  virtual void Escalated(int provider, v1::EscalationLevel level) = 0;
};

// The per-series and combining phases and the roll-up of a contiguous range
// of providers: assessments in (provider, indicator, pack) order and one
// summary per provider. With a sink, a lean evaluation: the rules do not
// explain, and each provider's ratings and escalation level go to the sink
// instead of assessments and summaries.
class ProviderRange {
 public:
  ProviderRange(google::protobuf::Arena* arena, int chart_periods,
                RatingSink* sink = nullptr)
      : ProviderRange(arena, arena, chart_periods, sink) {}
  // Assessments on `arena`, summaries on `summary_arena` (either may be
  // null: the heap).
  ProviderRange(google::protobuf::Arena* arena,
                google::protobuf::Arena* summary_arena, int chart_periods,
                RatingSink* sink = nullptr)
      : pool_(arena, sink == nullptr),
        summary_arena_(summary_arena),
        chart_periods_(chart_periods),
        sink_(sink) {}
  ~ProviderRange();
  ProviderRange(const ProviderRange&) = delete;
  ProviderRange& operator=(const ProviderRange&) = delete;

  // Stops early, at a provider's end, once `budget` is exceeded.
  void Assess(const CompiledRuleSet& compiled, int begin, int end,
              const SeriesStore& data, const Selection& selection,
              PeerResults* peers, AssessmentBudget* budget);

  // Moves everything into `report`, which must be on the same arena.
  // With `keys`, appends what each moved assessment is of, in report order.
  void MoveAssessmentsTo(v1::Report* report,
                         std::vector<AssessmentKey>* keys = nullptr);
  void MoveSummariesTo(v1::Report* report);
  // Hands the assessments over without moving them: they stay on the arena
  // they were made on (this range's, which must not be null, or the peer
  // results' for those taken from them), which the caller frees after: appends
  // them to `out` and what each is of to `keys`, in report order.
  void TakeAssessments(std::vector<const v1::Assessment*>* out,
                       std::vector<AssessmentKey>* keys);
  size_t assessment_count() const { return assessments_.size(); }

 private:
  // The indicators of provider p that evaluation visits (see Selection).
  static void ExistingPairs(const SeriesStore& data, const Selection& selection,
                            int p, std::vector<int32_t>* indicators);
  // Assesses one (provider, indicator) pair with every rule, in pack order.
  void AssessPair(const CompiledRuleSet& compiled, int p, int i,
                  const SeriesStore& data, const Selection& selection,
                  PeerResults* peers);

  AssessmentPool pool_;
  google::protobuf::Arena* const summary_arena_;
  const int chart_periods_;  // EvaluateOptions::chart_periods.
  RatingSink* const sink_;   // Null: build assessments and summaries.
  std::vector<v1::Assessment*> assessments_;
  std::vector<AssessmentKey> keys_;  // Of each of assessments_.
  std::vector<v1::ProviderSummary*> summaries_;
  // Per pair, by rule slot and by pack index (for combining rules).
  std::vector<v1::Assessment*> by_slot_;
  std::vector<const v1::Assessment*> by_rule_;
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_EVALUATION_H_
