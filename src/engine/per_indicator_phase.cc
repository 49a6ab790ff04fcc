// The per-indicator phase: statistics over every selected provider of one
// indicator, then a judgement of each (peer comparison).
#include <vector>

#include "src/engine/evaluation.h"

namespace vigil {
namespace internal {

PeerResults::PeerResults(size_t rules, size_t indicators, size_t providers,
                         google::protobuf::Arena* arena)
    : indicators_(indicators),
      providers_(providers),
      arena_(arena),
      cells_(rules * indicators) {}

PeerResults::~PeerResults() {
  if (arena_ != nullptr) return;
  for (std::vector<v1::Assessment*>& cell : cells_) {
    for (v1::Assessment* a : cell) delete a;
  }
}

std::vector<v1::Assessment*>& PeerResults::Cell(size_t slot, size_t indicator) {
  return cells_[slot * indicators_ + indicator];
}

void PeerResults::Put(size_t slot, size_t indicator, size_t provider,
                      v1::Assessment* a) {
  std::vector<v1::Assessment*>& cell = Cell(slot, indicator);
  if (cell.empty()) cell.assign(providers_, nullptr);
  cell[provider] = a;
}

v1::Assessment* PeerResults::Take(size_t slot, size_t indicator,
                                  size_t provider) {
  if (cells_.empty()) return nullptr;
  std::vector<v1::Assessment*>& cell = Cell(slot, indicator);
  if (cell.empty()) return nullptr;
  v1::Assessment* a = cell[provider];
  cell[provider] = nullptr;
  return a;
}

namespace {

// What the members of one rule and indicator point to.
struct MemberViews {
  std::vector<SeriesView> series;
  std::vector<PlanView> plans;
};

// The providers `rule` (at `slot`) judges on indicator i, with their series
// and plans, which `views` keeps.
std::vector<PeerMember> Members(const CompiledRule& rule, size_t slot, int i,
                                const SeriesStore& data,
                                const Selection& selection,
                                MemberViews* views) {
  const int providers = static_cast<int>(data.providers().size());
  std::vector<int> series(providers, -1);
  int with_series = 0;
  for (int p = 0; p < providers; ++p) {
    if (!selection.provider[slot][p]) continue;
    series[p] = data.FindSeries(p, i);
    with_series += series[p] >= 0 ? 1 : 0;
  }
  views->series.clear();
  views->series.reserve(with_series);  // No reallocation: members point in.
  views->plans.clear();
  views->plans.reserve(providers);
  std::vector<PeerMember> members;
  for (int p = 0; p < providers; ++p) {
    if (!selection.provider[slot][p]) continue;
    if (series[p] < 0 && rule.needs_series) continue;
    PeerMember m;
    m.provider_index = p;
    m.provider = &data.providers()[p];
    if (series[p] >= 0) {
      views->series.push_back(data.series(series[p]));
      m.series = &views->series.back();
    }
    if (const int plan = data.FindPlan(p, i); plan >= 0) {
      views->plans.push_back(data.plan(plan));
      m.plan = &views->plans.back();
    }
    members.push_back(m);
  }
  return members;
}

}  // namespace

void RunPerIndicatorPhase(const CompiledRuleSet& compiled, int begin, int end,
                          const SeriesStore& data, const Selection& selection,
                          AssessmentPool* pool, PeerResults* results) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  MemberViews views;
  for (int i = begin; i < end; ++i) {
    IndicatorContext context;
    context.indicator = &data.indicators()[i];
    context.assessed = selection.assessed[i];
    context.standards = &compiled.standards;
    for (const int r : compiled.per_indicator) {
      const CompiledRule& rule = rules[r];
      if (!selection.indicator[r][i]) continue;
      const auto& evaluator =
          static_cast<const IndicatorRuleEvaluator&>(*rule.evaluator);
      const std::vector<PeerMember> members =
          Members(rule, r, i, data, selection, &views);
      if (members.empty()) continue;
      const std::unique_ptr<GatheredStatistics> all =
          evaluator.Gather(context, members);
      evaluator.Conclude(context, all.get());
      for (const PeerMember& m : members) {
        v1::Assessment* a = pool->Start(rule, *m.provider, *context.indicator,
                                        selection.assessed_text[i]);
        evaluator.Judge(context, *all, m, a);
        if (a->rating() == v1::RATING_UNSPECIFIED) {
          pool->Recycle(a);
          continue;
        }
        results->Put(r, i, m.provider_index, a);
      }
    }
  }
}

}  // namespace internal
}  // namespace vigil
