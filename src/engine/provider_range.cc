// The per-series and combining phases and the roll-up, for a contiguous
// range of providers.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "src/engine/evaluation.h"
#include "src/engine/rollup.h"

namespace vigil {
namespace internal {
namespace {

// For a sparkline: the last `periods` values of `series` up to `assessed`
// (its frequency), one per period, NaN where there is none.
void AddRecentValues(const SeriesView& series, Period assessed, int periods,
                     v1::Assessment* out) {
  const int64_t last = assessed.index;
  const int64_t first = last - periods + 1;
  out->mutable_recent_values()->Reserve(periods);
  for (int64_t j = first; j <= last; ++j) {
    const int64_t k = j - series.first.index;
    const bool observed = k >= 0 && k < series.size() &&
                          series.status[k] == PointStatus::kObserved;
    v1::PeriodValue* v = out->add_recent_values();
    v->set_period(
        FormatPeriod(Period{assessed.frequency, static_cast<int32_t>(j)}));
    v->set_value(observed ? series.values[k] : std::nan(""));
  }
}

}  // namespace

ProviderRange::~ProviderRange() {
  for (v1::Assessment* a : assessments_) pool_.Release(a);
  // Those of a pair whose assessment an exception cut short.
  for (v1::Assessment* a : by_slot_) {
    if (a != nullptr) pool_.Release(a);
  }
  if (summary_arena_ != nullptr) return;
  for (v1::ProviderSummary* s : summaries_) delete s;
}

void ProviderRange::TakeAssessments(std::vector<const v1::Assessment*>* out,
                                    std::vector<AssessmentKey>* keys) {
  out->insert(out->end(), assessments_.begin(), assessments_.end());
  keys->insert(keys->end(), keys_.begin(), keys_.end());
  assessments_.clear();
  keys_.clear();
}

void ProviderRange::MoveAssessmentsTo(v1::Report* report,
                                      std::vector<AssessmentKey>* keys) {
  for (v1::Assessment* a : assessments_) {
    report->mutable_assessments()->AddAllocated(a);
  }
  if (keys != nullptr) keys->insert(keys->end(), keys_.begin(), keys_.end());
  assessments_.clear();
  keys_.clear();
}

void ProviderRange::MoveSummariesTo(v1::Report* report) {
  for (v1::ProviderSummary* s : summaries_) {
    report->mutable_providers()->AddAllocated(s);
  }
  summaries_.clear();
}

void ProviderRange::ExistingPairs(const SeriesStore& data,
                                  const Selection& selection, int p,
                                  std::vector<int32_t>* indicators) {
  // Ascending, without repeats: the indicators of p's series, of its
  // plans, and those named by a rule that assesses absent pairs.
  indicators->clear();
  for (int s = data.series_begin(p); s < data.series_end(p); ++s) {
    indicators->push_back(data.series(s).indicator);
  }
  if (data.num_plans() > 0) {
    for (int k = data.plans_begin(p); k < data.plans_end(p); ++k) {
      indicators->push_back(data.plan(k).indicator);
    }
  }
  indicators->insert(indicators->end(), selection.named_indicators.begin(),
                     selection.named_indicators.end());
  std::sort(indicators->begin(), indicators->end());
  indicators->erase(std::unique(indicators->begin(), indicators->end()),
                    indicators->end());
}

void ProviderRange::AssessPair(const CompiledRuleSet& compiled, int p, int i,
                               const SeriesStore& data,
                               const Selection& selection, PeerResults* peers) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  const int s = data.FindSeries(p, i);
  SeriesView view;
  if (s >= 0) view = data.series(s);
  const int plan_index = data.num_plans() > 0 ? data.FindPlan(p, i) : -1;
  const bool absent = s < 0 && plan_index < 0;
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
  context.explain = sink_ == nullptr;
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
    if (absent && (selection.named[r].empty() || !selection.named[r][i])) {
      continue;  // An absent pair only for a rule naming the indicator.
    }
    v1::Assessment* a =
        pool_.Start(rule, *context.provider, *context.indicator, period);
    try {
      static_cast<const SeriesRuleEvaluator&>(*rule.evaluator)
          .Assess(context, a);
    } catch (...) {
      pool_.Release(a);
      throw;
    }
    if (chart_periods_ > 0 && s >= 0 && !a->has_spc() && !a->has_trajectory() &&
        a->rating() != v1::RATING_UNSPECIFIED) {
      AddRecentValues(view, context.assessed, chart_periods_, a);
    }
    keep(r, a);
  }
  for (const int r : compiled.combining) {
    const CompiledRule& rule = rules[r];
    if (!selected(r)) continue;
    const CombiningContext combine{context.provider, context.indicator,
                                   by_rule_, context.explain};
    v1::Assessment* a =
        pool_.Start(rule, *context.provider, *context.indicator, period);
    try {
      static_cast<const CombiningRuleEvaluator&>(*rule.evaluator)
          .Assess(combine, a);
    } catch (...) {
      pool_.Release(a);
      throw;
    }
    keep(r, a);
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    if (by_slot_[r] == nullptr) continue;
    assessments_.push_back(by_slot_[r]);
    keys_.push_back({p, i, static_cast<int32_t>(r)});
    by_slot_[r] = nullptr;
    by_rule_[rules[r].index] = nullptr;
  }
}

void ProviderRange::Assess(const CompiledRuleSet& compiled, int begin, int end,
                           const SeriesStore& data, const Selection& selection,
                           PeerResults* peers, AssessmentBudget* budget) {
  by_slot_.assign(compiled.compiled.size(), nullptr);
  by_rule_.assign(compiled.rules.rules_size(), nullptr);
  std::vector<int32_t> pairs;
  for (int p = begin; p < end; ++p) {
    if (budget->exceeded()) return;
    if (selection.scope != nullptr && !selection.scope->owned[p]) continue;
    const size_t provider_begin = assessments_.size();
    ExistingPairs(data, selection, p, &pairs);
    for (const int32_t i : pairs) {
      AssessPair(compiled, p, i, data, selection, peers);
    }
    if (!budget->Take(
            static_cast<int64_t>(assessments_.size() - provider_begin))) {
      return;
    }
    if (sink_ != nullptr) {
      const absl::Span<const v1::Assessment* const> mine(
          assessments_.data() + provider_begin,
          assessments_.size() - provider_begin);
      sink_->Escalated(p, EscalationLevelOf(mine, compiled.escalation));
      for (size_t k = provider_begin; k < assessments_.size(); ++k) {
        sink_->Rated(p, keys_[k].indicator, keys_[k].slot,
                     assessments_[k]->rating());
        pool_.Release(assessments_[k]);
      }
      assessments_.resize(provider_begin);
      keys_.resize(provider_begin);
      continue;
    }
    v1::ProviderSummary* summary =
        google::protobuf::Arena::CreateMessage<v1::ProviderSummary>(
            summary_arena_);
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
