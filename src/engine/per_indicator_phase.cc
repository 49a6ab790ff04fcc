// The per-indicator phase: statistics over every selected provider of one
// indicator, then a judgement of each (peer comparison).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/engine/evaluation.h"

namespace vigil {
namespace internal {

PeerResults::PeerResults(size_t rules, size_t indicators,
                         google::protobuf::Arena* arena)
    : indicators_(indicators),
      arena_(arena),
      cells_(rules * indicators),
      charts_(rules * indicators) {}

PeerResults::~PeerResults() {
  if (arena_ != nullptr) return;
  for (Cell& cell : cells_) {
    for (const auto& [provider, a] : cell) delete a;
  }
}

PeerResults::Cell& PeerResults::At(size_t slot, size_t indicator) {
  return cells_[slot * indicators_ + indicator];
}

void PeerResults::Put(size_t slot, size_t indicator, size_t provider,
                      v1::Assessment* a) {
  // One thread fills a cell, in ascending provider order.
  At(slot, indicator).emplace_back(static_cast<int32_t>(provider), a);
}

v1::Assessment* PeerResults::Take(size_t slot, size_t indicator,
                                  size_t provider) {
  if (cells_.empty()) return nullptr;
  Cell& cell = At(slot, indicator);
  const auto it =
      std::lower_bound(cell.begin(), cell.end(), static_cast<int32_t>(provider),
                       [](const std::pair<int32_t, v1::Assessment*>& entry,
                          int32_t p) { return entry.first < p; });
  if (it == cell.end() || it->first != static_cast<int32_t>(provider)) {
    return nullptr;
  }
  return std::exchange(it->second, nullptr);
}

void PeerResults::PutChart(size_t slot, size_t indicator,
                           std::unique_ptr<v1::FunnelChart> chart) {
  charts_[slot * indicators_ + indicator] = std::move(chart);
}

void PeerResults::MoveChartsTo(v1::Report* report) {
  const size_t slots = indicators_ == 0 ? 0 : charts_.size() / indicators_;
  for (size_t i = 0; i < indicators_; ++i) {
    for (size_t slot = 0; slot < slots; ++slot) {
      std::unique_ptr<v1::FunnelChart>& chart = charts_[slot * indicators_ + i];
      if (chart == nullptr) continue;
      report->add_funnels()->Swap(chart.get());
      chart.reset();
    }
  }
}

namespace {

// What the members of one rule and indicator point to.
struct MemberViews {
  std::vector<SeriesView> series;
  std::vector<PlanView> plans;
};

// The providers `rule` (at `slot`) judges on indicator i, with their series
// and plans, which `views` keeps: the selected providers with a series of
// i, and for a rule that needs none also those with a plan (or, when it
// names i by id, every selected provider; see Selection). Costs what
// indicator i holds, not the number of providers.
std::vector<PeerMember> Members(const CompiledRule& rule, size_t slot, int i,
                                const SeriesStore& data,
                                const Selection& selection,
                                MemberViews* views) {
  const absl::Span<const int32_t> series = data.indicator_series(i);
  const absl::Span<const int32_t> plans = data.indicator_plans(i);
  std::vector<int32_t> providers;
  for (const int32_t s : series) providers.push_back(data.series(s).provider);
  if (!rule.needs_series) {
    if (!selection.named[slot].empty() && selection.named[slot][i]) {
      providers.resize(data.providers().size());
      std::iota(providers.begin(), providers.end(), 0);
    } else {
      for (const int32_t k : plans) providers.push_back(data.plan(k).provider);
      std::sort(providers.begin(), providers.end());
      providers.erase(std::unique(providers.begin(), providers.end()),
                      providers.end());
    }
  }
  views->series.clear();
  views->series.reserve(series.size());  // No reallocation: members point in.
  views->plans.clear();
  views->plans.reserve(plans.size());
  std::vector<PeerMember> members;
  size_t next_series = 0;  // Both lists ascend by provider.
  size_t next_plan = 0;
  for (const int32_t p : providers) {
    while (next_series < series.size() &&
           data.series(series[next_series]).provider < p) {
      ++next_series;
    }
    while (next_plan < plans.size() &&
           data.plan(plans[next_plan]).provider < p) {
      ++next_plan;
    }
    if (!selection.provider[slot][p]) continue;
    PeerMember m;
    m.provider_index = p;
    m.provider = &data.providers()[p];
    if (next_series < series.size() &&
        data.series(series[next_series]).provider == p) {
      views->series.push_back(data.series(series[next_series]));
      m.series = &views->series.back();
    }
    if (next_plan < plans.size() && data.plan(plans[next_plan]).provider == p) {
      views->plans.push_back(data.plan(plans[next_plan]));
      m.plan = &views->plans.back();
    }
    members.push_back(m);
  }
  return members;
}

// The statistics of (as_of, slot, indicator) every part gathered, decoded;
// null (and the scope's problem set) when they are missing or unreadable.
std::unique_ptr<GatheredStatistics> ScopeStatistics(
    const PartitionScope& scope, const IndicatorRuleEvaluator& evaluator,
    const IndicatorContext& context, const CompiledRule& rule, Period as_of,
    int slot, int indicator) {
  const auto it = scope.statistics.find({as_of.index, slot, indicator});
  if (it == scope.statistics.end()) {
    scope.SetProblem(absl::StrCat(
        "statistics: none for rule '", rule.id, "' on indicator '",
        context.indicator->id(), "' as of ", FormatPeriod(as_of),
        ", which this part has providers to judge on: merge the statistics "
        "every part gathered as of the same period"));
    return nullptr;
  }
  absl::StatusOr<std::unique_ptr<GatheredStatistics>> decoded =
      evaluator.Decode(context.providers.size(), it->second);
  if (!decoded.ok()) {
    scope.SetProblem(absl::StrCat("statistics of rule '", rule.id,
                                  "' on indicator '", context.indicator->id(),
                                  "' as of ", FormatPeriod(as_of), ": ",
                                  decoded.status().message()));
    return nullptr;
  }
  return *std::move(decoded);
}

}  // namespace

absl::Status GatherPerIndicatorPhase(const CompiledRuleSet& compiled,
                                     const SeriesStore& data,
                                     const Selection& selection,
                                     std::vector<EncodedStatistics>* out) {
  MemberViews views;
  for (const int r : compiled.per_indicator) {
    const CompiledRule& rule = compiled.compiled[r];
    const auto& evaluator =
        static_cast<const IndicatorRuleEvaluator&>(*rule.evaluator);
    for (int i = 0; i < static_cast<int>(data.indicators().size()); ++i) {
      if (!selection.indicator[r][i]) continue;
      IndicatorContext context;
      context.indicator = &data.indicators()[i];
      context.assessed = selection.assessed[i];
      context.standards = &compiled.standards;
      context.providers = data.providers();
      const std::vector<PeerMember> members =
          Members(rule, r, i, data, selection, &views);
      if (members.empty()) continue;
      const std::unique_ptr<GatheredStatistics> part =
          evaluator.Gather(context, members);
      absl::StatusOr<std::string> bytes = evaluator.Encode(*part);
      if (!bytes.ok()) {
        return absl::Status(
            bytes.status().code(),
            absl::StrCat("rule '", rule.id, "': ", bytes.status().message()));
      }
      out->push_back({r, i, *std::move(bytes)});
    }
  }
  return absl::OkStatus();
}

void RunPerIndicatorPhase(const CompiledRuleSet& compiled, int begin, int end,
                          const SeriesStore& data, const Selection& selection,
                          bool charts, AssessmentPool* pool,
                          PeerResults* results) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  MemberViews views;
  for (int i = begin; i < end; ++i) {
    IndicatorContext context;
    context.indicator = &data.indicators()[i];
    context.assessed = selection.assessed[i];
    context.standards = &compiled.standards;
    context.providers = data.providers();
    context.explain = pool->explain();
    for (const int r : compiled.per_indicator) {
      const CompiledRule& rule = rules[r];
      if (!selection.indicator[r][i]) continue;
      const auto& evaluator =
          static_cast<const IndicatorRuleEvaluator&>(*rule.evaluator);
      const std::vector<PeerMember> members =
          Members(rule, r, i, data, selection, &views);
      if (members.empty()) continue;
      std::unique_ptr<GatheredStatistics> all;
      if (selection.scope == nullptr) {
        all = evaluator.Gather(context, members);
      } else {
        all = ScopeStatistics(*selection.scope, evaluator, context, rule,
                              selection.as_of, r, i);
        if (all == nullptr) continue;
      }
      evaluator.Conclude(context, all.get());
      if (charts) {
        auto chart = std::make_unique<v1::FunnelChart>();
        chart->set_rule_id(rule.id);
        chart->set_rule_name(rule.name);
        chart->set_indicator_id(context.indicator->id());
        if (evaluator.Chart(context, *all, chart.get())) {
          results->PutChart(r, i, std::move(chart));
        }
      }
      for (const PeerMember& m : members) {
        v1::Assessment* a = pool->Start(rule, *m.provider, *context.indicator,
                                        selection.assessed_text[i]);
        try {
          evaluator.Judge(context, *all, m, a);
        } catch (...) {
          pool->Release(a);
          throw;
        }
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
