// The per-series and combining phases and the roll-up, for a contiguous
// range of providers.
#include <vector>

#include "src/engine/evaluation.h"
#include "src/engine/rollup.h"

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
                               const Selection& selection, PeerResults* peers) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  const int s = data.FindSeries(p, i);
  SeriesView view;
  if (s >= 0) view = data.series(s);
  const int plan_index = data.num_plans() > 0 ? data.FindPlan(p, i) : -1;
  PlanView plan;
  if (plan_index >= 0) plan = data.plan(plan_index);
  SeriesContext context;
  context.provider = &data.providers()[p];
  context.indicator = &data.indicators()[i];
  context.series = s >= 0 ? &view : nullptr;
  context.plan = plan_index >= 0 ? &plan : nullptr;
  context.assessed = selection.assessed[i];
  context.standards = &compiled.standards;
  context.chart_periods = chart_periods_;
  const std::string& period = selection.assessed_text[i];
  const auto selected = [&](int r) {
    return selection.indicator[r][i] && selection.provider[r][p];
  };
  const auto keep = [&](int r, v1::Assessment* a) {
    if (a->rating() == v1::RATING_UNSPECIFIED) {
      pool_.Recycle(a);
      return;
    }
    by_slot_[r] = a;
    by_rule_[rules[r].index] = a;
  };
  // The per-indicator phase's results and the per-series phase, then the
  // combining rules on what those gave.
  for (const int r : compiled.per_indicator) {
    if (!selected(r)) continue;
    if (v1::Assessment* a = peers->Take(r, i, p)) keep(r, a);
  }
  for (const int r : compiled.per_series) {
    const CompiledRule& rule = rules[r];
    if (!selected(r) || (s < 0 && rule.needs_series)) continue;
    v1::Assessment* a =
        pool_.Start(rule, *context.provider, *context.indicator, period);
    static_cast<const SeriesRuleEvaluator&>(*rule.evaluator).Assess(context, a);
    keep(r, a);
  }
  for (const int r : compiled.combining) {
    const CompiledRule& rule = rules[r];
    if (!selected(r)) continue;
    const CombiningContext combine{context.provider, context.indicator,
                                   by_rule_};
    v1::Assessment* a =
        pool_.Start(rule, *context.provider, *context.indicator, period);
    static_cast<const CombiningRuleEvaluator&>(*rule.evaluator)
        .Assess(combine, a);
    keep(r, a);
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
