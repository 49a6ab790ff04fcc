// The compiled form of a RuleSet: validated once, native, immutable, shared
// by threads. Private to the library.
#ifndef VIGIL_SRC_ENGINE_COMPILED_RULES_H_
#define VIGIL_SRC_ENGINE_COMPILED_RULES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "src/engine/rollup.h"
#include "src/engine/signal_escalation.h"
#include "src/rules/rule_kind.h"
#include "src/rules/standards.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

// Which providers and indicators a rule applies to (vigil.v1.Selector).
class CompiledSelector {
 public:
  explicit CompiledSelector(const v1::Selector& selector);
  bool MatchesIndicator(const v1::Indicator& indicator) const;
  bool MatchesProvider(const v1::Provider& provider) const;
  // The selector lists indicator ids (rather than only domains, tags or
  // all indicators).
  bool NamesIndicators() const { return !indicator_ids_.empty(); }

 private:
  absl::flat_hash_set<std::string> indicator_ids_;
  std::vector<int> domains_;
  absl::flat_hash_set<std::string> indicator_tags_;
  absl::flat_hash_set<std::string> provider_ids_;
  std::vector<int> provider_types_;
  absl::flat_hash_set<std::string> provider_tags_;
};

struct CompiledRule {
  int index = 0;  // Position in the pack (RuleSet.rules).
  std::string id;
  std::string name;  // Rule.name, or the id when the pack gives none.
  v1::Severity severity = v1::SEVERITY_WARNING;  // UNSPECIFIED means this.
  CompiledSelector selector;
  std::unique_ptr<RuleEvaluator> evaluator;
  Phase phase = Phase::kPerSeries;  // evaluator->phase(), read once.
  bool needs_series = true;         // evaluator->NeedsSeries(), read once.
};

struct CompiledRuleSet {
  v1::RuleSet rules;                   // As given.
  std::vector<CompiledRule> compiled;  // Pack order; disabled rules omitted.
  // Positions in `compiled` of the rules of each phase, in pack order.
  std::vector<int> per_indicator;
  std::vector<int> per_series;
  std::vector<int> combining;
  StandardTable standards;
  EscalationConfig escalation;
  SignalConfig signals;  // Enabled when the pack sets escalation.signals.
};

// Validates `rules` and compiles every enabled rule with the compiler its
// kind has in `kinds`. A disabled rule is validated (its common fields, and
// its kind's fields when `kinds` knows the kind) but never kept or run.
// Errors: InvalidArgument naming the rule and field; Unimplemented for an
// enabled rule of a kind `kinds` does not know.
absl::StatusOr<std::unique_ptr<CompiledRuleSet>> CompileRuleSet(
    const v1::RuleSet& rules, const RuleKindRegistry& kinds);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_COMPILED_RULES_H_
