// The compiled form of a RuleSet: validated once, immutable, shared by
// threads. Private to the library.
#ifndef VIGIL_SRC_ENGINE_COMPILED_RULES_H_
#define VIGIL_SRC_ENGINE_COMPILED_RULES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

// Versioned standards by indicator.
class StandardTable {
 public:
  // Validates and adds every standard of `rules`.
  absl::Status Build(const v1::RuleSet& rules);
  // The standard in force for `indicator_id` in `period`, or nullptr.
  const v1::Standard* Find(absl::string_view indicator_id, Period period) const;
  bool Has(absl::string_view indicator_id) const {
    return by_indicator_.contains(indicator_id);
  }

 private:
  struct Entry {
    absl::CivilDay effective_from;
    v1::Standard standard;
  };
  absl::flat_hash_map<std::string, std::vector<Entry>> by_indicator_;
};

// Everything a rule sees for one (provider, indicator) pair.
struct AssessContext {
  const v1::Provider* provider = nullptr;
  const v1::Indicator* indicator = nullptr;
  const SeriesView* series = nullptr;  // Null when the pair has no series.
  Period assessed;                     // As-of in the indicator's frequency.
  const StandardTable* standards = nullptr;
  // Assessments of this pair by pack index (null where none); composites
  // read them.
  absl::Span<const v1::Assessment* const> by_rule;
};

// One rule kind's judgement. Implementations are immutable.
class RuleEvaluator {
 public:
  virtual ~RuleEvaluator() = default;
  // Whether the rule only assesses pairs that have a series.
  virtual bool NeedsSeries() const { return true; }
  // Composite rules run after all others for a pair.
  virtual bool IsComposite() const { return false; }
  // Fills rating, reason and evidence. `out` arrives with the identity fields
  // (provider, indicator, rule, period, severity, domain) set. Leaving the
  // rating unset means the rule does not assess this pair (no assessment).
  virtual void Assess(const AssessContext& context,
                      v1::Assessment* out) const = 0;
};

class CompiledSelector {
 public:
  explicit CompiledSelector(const v1::Selector& selector);
  bool MatchesIndicator(const v1::Indicator& indicator) const;
  bool MatchesProvider(const v1::Provider& provider) const;

 private:
  bool all_indicators_;
  absl::flat_hash_set<std::string> indicator_ids_;
  std::vector<int> domains_;
  absl::flat_hash_set<std::string> indicator_tags_;
  absl::flat_hash_set<std::string> provider_ids_;
  std::vector<int> provider_types_;
  absl::flat_hash_set<std::string> provider_tags_;
};

struct CompiledRule {
  int index;  // Position in the pack (RuleSet.rules).
  v1::Rule rule;
  CompiledSelector selector;
  std::unique_ptr<RuleEvaluator> evaluator;
};

struct CompiledRuleSet {
  v1::RuleSet rules;
  std::vector<CompiledRule> compiled;  // Pack order, disabled rules omitted.
  StandardTable standards;
  v1::EscalationPolicy escalation;  // Defaults filled in.
};

absl::StatusOr<std::unique_ptr<CompiledRuleSet>> CompileRuleSet(
    const v1::RuleSet& rules);

// InvalidArgument "rule 'id' (rules[i]): field: problem".
absl::Status RuleError(const v1::Rule& rule, int index, absl::string_view field,
                       absl::string_view problem);

// Kind factories; each validates its part of the rule.
absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeThresholdEvaluator(
    const v1::Rule& rule, int index, const StandardTable& standards);
absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeTrendEvaluator(
    const v1::Rule& rule, int index);
absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeSpcEvaluator(
    const v1::Rule& rule, int index);
absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeDataQualityEvaluator(
    const v1::Rule& rule, int index);
absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeCompositeEvaluator(
    const v1::RuleSet& rules, int index);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_COMPILED_RULES_H_
