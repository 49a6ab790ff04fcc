// The per-series and combining phases and the roll-up, for a contiguous
// range of providers.
#include <vector>

#include "src/engine/evaluation.h"
#include "src/report/rollup.h"

namespace vigil {
namespace internal {

ProviderRange::~ProviderRange() {
  for (v1::Assessment* a : assessments_) pool_.Release(a);
  if (pool_.arena() != nullptr) return;
  for (v1::ProviderSummary* s : summaries_) delete s;
}

void ProviderRange::MoveAssessmentsTo(v1::Report* report) {
  for (v1::Assessment* a : assessments_) {
    report->mutable_assessments()->AddAllocated(a);
  }
  assessments_.clear();
}

void ProviderRange::MoveSummariesTo(v1::Report* report) {
  for (v1::ProviderSummary* s : summaries_) {
    report->mutable_providers()->AddAllocated(s);
  }
  summaries_.clear();
}

void ProviderRange::AssessPair(const CompiledRuleSet& compiled, int p, int i,
                               const SeriesStore& data,
                               const Selection& selection,
                               PeerResults* peers) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  const int s = data.FindSeries(p, i);
  SeriesView view;
  if (s >= 0) view = data.series(s);
  const int plan_index = data.FindPlan(p, i);
  PlanView plan;
  if (plan_index >= 0) plan = data.plan(plan_index);
  SeriesContext context;
  context.provider = &data.providers()[p];
  context.indicator = &data.indicators()[i];
  context.series = s >= 0 ? &view : nullptr;
  context.plan = plan_index >= 0 ? &plan : nullptr;
  context.assessed = selection.assessed[i];
  context.standards = &compiled.standards;
  const std::string& period = selection.assessed_text[i];
  // Per-indicator results and the per-series phase, then combining rules on
  // what those gave.
  for (const Phase phase : {Phase::kPerSeries, Phase::kCombining}) {
    for (size_t r = 0; r < rules.size(); ++r) {
      const CompiledRule& rule = rules[r];
      const bool combining = rule.phase() == Phase::kCombining;
      if (combining != (phase == Phase::kCombining)) continue;
      if (!selection.indicator[r][i] || !selection.provider[r][p]) continue;
      v1::Assessment* a = nullptr;
      if (rule.phase() == Phase::kPerIndicator) {
        a = peers->Take(r, i, p);
        if (a == nullptr) continue;
      } else if (combining) {
        CombiningContext combine{context.provider, context.indicator,
                                 by_rule_};
        a = pool_.Start(rule, *context.provider, *context.indicator, period);
        static_cast<const CombiningRuleEvaluator&>(*rule.evaluator)
            .Assess(combine, a);
      } else {
        if (s < 0 && rule.evaluator->NeedsSeries()) continue;
        a = pool_.Start(rule, *context.provider, *context.indicator, period);
        static_cast<const SeriesRuleEvaluator&>(*rule.evaluator)
            .Assess(context, a);
      }
      if (a->rating() == v1::RATING_UNSPECIFIED) {
        pool_.Recycle(a);
        continue;
      }
      by_slot_[r] = a;
      by_rule_[rule.index] = a;
    }
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    if (by_slot_[r] == nullptr) continue;
    assessments_.push_back(by_slot_[r]);
    by_slot_[r] = nullptr;
    by_rule_[rules[r].index] = nullptr;
  }
}

void ProviderRange::Assess(const CompiledRuleSet& compiled, int begin, int end,
                           const SeriesStore& data, const Selection& selection,
                           PeerResults* peers) {
  by_slot_.assign(compiled.compiled.size(), nullptr);
  by_rule_.assign(compiled.rules.rules_size(), nullptr);
  const int indicators = static_cast<int>(data.indicators().size());
  for (int p = begin; p < end; ++p) {
    const size_t provider_begin = assessments_.size();
    for (int i = 0; i < indicators; ++i) {
      AssessPair(compiled, p, i, data, selection, peers);
    }
    v1::ProviderSummary* summary =
        google::protobuf::Arena::CreateMessage<v1::ProviderSummary>(
            pool_.arena());
    summaries_.push_back(summary);
    RollUpProvider(data.providers()[p], selection.provider_selected[p] != 0,
                   absl::Span<const v1::Assessment* const>(
                       assessments_.data() + provider_begin,
                       assessments_.size() - provider_begin),
                   compiled.escalation, summary);
  }
}

}  // namespace internal
}  // namespace vigil
