// Rule kinds: what each kind of rule is, in which phase of an evaluation it
// runs, and what it sees there. Private to the library.
//
// A rule kind is one file in src/rules/ and one line in the registry
// (rule_kinds.cc): its Rule.kind oneof case, its phase and its compiler. The
// compiler validates the rule's protobuf once, applies defaults once and
// returns an evaluator holding a native, typed config. The engine knows
// phases, never kinds:
//
//   per indicator  every selected provider of one indicator at the assessed
//                  period: Gather statistics over providers (any subset; the
//                  parts Merge), then Judge each provider (peer comparison)
//   per series     one provider x indicator, with its observations and plan
//                  (threshold, trend, SPC, data quality, trajectory,
//                  CQUIN milestones)
//   combining      after the others, on the ratings they gave one provider x
//                  indicator (composite)
//
// Evaluators are immutable after compilation and called from many threads.
#ifndef VIGIL_SRC_RULES_RULE_KIND_H_
#define VIGIL_SRC_RULES_RULE_KIND_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/rules/standards.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

enum class Phase { kPerIndicator, kPerSeries, kCombining };

// "per indicator", "per series", "combining".
absl::string_view PhaseName(Phase phase);

// Base of every evaluator. An evaluator fills an assessment whose identity
// fields (provider, indicator, rule, period, severity, domain) are set;
// leaving the rating unset means "no assessment for this pair".
class RuleEvaluator {
 public:
  virtual ~RuleEvaluator() = default;
  virtual Phase phase() const = 0;
  // Whether the rule only assesses providers that have a series of the
  // indicator (false: also those with none, e.g. data quality).
  virtual bool NeedsSeries() const { return true; }
  // Whether the rule reads plan values (trajectories); when no rule of a
  // pack does, the report says the plans given were not used.
  virtual bool ReadsPlans() const { return false; }
};

// ---- Per series ------------------------------------------------------------

// Everything a per-series rule sees for one (provider, indicator) pair.
struct SeriesContext {
  const v1::Provider* provider = nullptr;
  const v1::Indicator* indicator = nullptr;
  const SeriesView* series = nullptr;  // Null when the pair has no series.
  const PlanView* plan = nullptr;      // Null when the pair has no plan.
  Period assessed;                     // As-of in the indicator's frequency.
  const StandardTable* standards = nullptr;
  // SPC rules: how many periods up to the assessed one the assessment's
  // SpcState.chart_points carries, for drawing (EvaluateOptions); 0: none.
  int chart_periods = 0;
  // False when only the rating is read (back-testing replays every as-of
  // period): a rule may then leave the reason, evidence, values and state
  // unset, and should skip formatting them. The rating must be the same.
  bool explain = true;
};

class SeriesRuleEvaluator : public RuleEvaluator {
 public:
  Phase phase() const final { return Phase::kPerSeries; }
  virtual void Assess(const SeriesContext& context,
                      v1::Assessment* out) const = 0;
};

// ---- Per indicator ---------------------------------------------------------

// What a per-indicator rule sees of the indicator it compares providers on.
struct IndicatorContext {
  const v1::Indicator* indicator = nullptr;
  Period assessed;
  const StandardTable* standards = nullptr;
  // Every provider of the dataset, by index (PeerMember::provider_index).
  absl::Span<const v1::Provider> providers;
  // As SeriesContext::explain, for Judge.
  bool explain = true;
};

// One selected provider of the indicator.
struct PeerMember {
  int provider_index = 0;  // Into SeriesStore::providers().
  const v1::Provider* provider = nullptr;
  const SeriesView* series = nullptr;  // Null when the provider has none.
  const PlanView* plan = nullptr;      // Null when the provider has none.
};

// Statistics a per-indicator rule gathers over a set of providers. Parts
// gathered over disjoint sets of providers Merge into the statistics of
// their union, whatever the order: so the gather step may run on
// partitions of providers (threads, machines) and be combined.
class GatheredStatistics {
 public:
  virtual ~GatheredStatistics() = default;
};

class IndicatorRuleEvaluator : public RuleEvaluator {
 public:
  Phase phase() const final { return Phase::kPerIndicator; }
  // Statistics over `members` (any subset of the selected providers).
  virtual std::unique_ptr<GatheredStatistics> Gather(
      const IndicatorContext& context,
      absl::Span<const PeerMember> members) const = 0;
  // Folds `part` into `total`; both come from this evaluator's Gather.
  virtual void Merge(const GatheredStatistics& part,
                     GatheredStatistics* total) const = 0;
  // Called once on the merged statistics of every selected provider, before
  // any Judge: work that needs them all (fitting a funnel) goes here.
  virtual void Conclude(const IndicatorContext& context,
                        GatheredStatistics* all) const {
    (void)context;
    (void)all;
  }
  // Distributed evaluation (Engine::GatherPartition): `stats`, from this
  // evaluator's Gather or Merge, as bytes for another process of the same
  // build; Decode reads them back, checking every provider index against
  // `providers` (the table's size) and returning InvalidArgument for bytes
  // it did not write. By default a kind cannot be distributed:
  // Unimplemented.
  virtual absl::StatusOr<std::string> Encode(
      const GatheredStatistics& stats) const {
    (void)stats;
    return absl::UnimplementedError(
        "this rule kind cannot be evaluated in partitions");
  }
  virtual absl::StatusOr<std::unique_ptr<GatheredStatistics>> Decode(
      size_t providers, absl::string_view bytes) const {
    (void)providers;
    (void)bytes;
    return absl::UnimplementedError(
        "this rule kind cannot be evaluated in partitions");
  }
  // Judges one provider given the statistics over all of them.
  virtual void Judge(const IndicatorContext& context,
                     const GatheredStatistics& all, const PeerMember& member,
                     v1::Assessment* out) const = 0;
  // For drawing, when the evaluation asks for charts: the funnel of the
  // concluded statistics into `out` (rule and indicator ids already set).
  // Returns false when there is no chart to draw (the default).
  virtual bool Chart(const IndicatorContext& context,
                     const GatheredStatistics& all,
                     v1::FunnelChart* out) const {
    (void)context;
    (void)all;
    (void)out;
    return false;
  }
};

// ---- Combining -------------------------------------------------------------

// The ratings other rules gave one (provider, indicator) pair.
struct CombiningContext {
  const v1::Provider* provider = nullptr;
  const v1::Indicator* indicator = nullptr;
  // By pack index (RuleSet.rules); null where the rule gave none.
  absl::Span<const v1::Assessment* const> by_rule;
  // As SeriesContext::explain.
  bool explain = true;
};

class CombiningRuleEvaluator : public RuleEvaluator {
 public:
  Phase phase() const final { return Phase::kCombining; }
  bool NeedsSeries() const override { return false; }
  virtual void Assess(const CombiningContext& context,
                      v1::Assessment* out) const = 0;
};

// ---- Kinds and their registry ----------------------------------------------

// What a compiler sees: the whole pack (for rules that refer to others) and
// the rule at `index`.
struct RuleCompileContext {
  const v1::RuleSet* pack = nullptr;
  int index = 0;
  const StandardTable* standards = nullptr;

  const v1::Rule& rule() const { return pack->rules(index); }
  // InvalidArgument "rule 'id' (rules[i]): <kind>.<field>: <problem>".
  absl::Status Error(absl::string_view field, absl::string_view problem) const;
};

using RuleCompiler = absl::StatusOr<std::unique_ptr<RuleEvaluator>> (*)(
    const RuleCompileContext& context);

struct RuleKind {
  v1::Rule::KindCase kind_case = v1::Rule::KIND_NOT_SET;
  Phase phase = Phase::kPerSeries;
  RuleCompiler compile = nullptr;
};

// InvalidArgument "rule 'id' (rules[i]): field: problem".
absl::Status RuleError(const v1::Rule& rule, int index, absl::string_view field,
                       absl::string_view problem);

// The rule kinds an engine can run, by oneof case. Not thread-safe while
// being filled; immutable (and shareable) afterwards.
class RuleKindRegistry {
 public:
  // The kinds this version of Vigil runs (rule_kinds.cc).
  static const RuleKindRegistry& Builtin();

  // Adds `kind`. InvalidArgument for a case that is not a Rule.kind field
  // or a null compiler; AlreadyExists when the case has a kind.
  absl::Status Register(const RuleKind& kind);
  // Replaces or adds.
  void Set(const RuleKind& kind);
  const RuleKind* Find(v1::Rule::KindCase kind_case) const;

 private:
  absl::flat_hash_map<int, RuleKind> kinds_;
};

// The name of a kind: its field name in Rule.kind ("threshold").
absl::string_view RuleKindName(v1::Rule::KindCase kind_case);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_RULE_KIND_H_
