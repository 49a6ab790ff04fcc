// Selection of rules, providers and indicators; unused observations; the
// assessment pool.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/data/diagnostics.h"
#include "src/engine/evaluation.h"

namespace vigil {
namespace internal {

Selection Select(const std::vector<CompiledRule>& rules,
                 const SeriesStore& data, Period as_of,
                 const PartitionScope* scope) {
  const size_t providers = data.providers().size();
  const size_t indicators = data.indicators().size();
  Selection s;
  s.indicator.assign(rules.size(), std::vector<char>(indicators, 0));
  s.provider.assign(rules.size(), std::vector<char>(providers, 0));
  s.indicator_selected.assign(indicators, 0);
  s.provider_selected.assign(providers, 0);
  s.named.resize(rules.size());
  std::vector<char> named_any(indicators, 0);
  for (size_t r = 0; r < rules.size(); ++r) {
    s.any_per_indicator |= rules[r].phase == Phase::kPerIndicator;
    s.any_reads_plans |= rules[r].evaluator->ReadsPlans();
    for (size_t i = 0; i < indicators; ++i) {
      s.indicator[r][i] =
          rules[r].selector.MatchesIndicator(data.indicators()[i]);
      s.indicator_selected[i] |= s.indicator[r][i];
    }
    if (!rules[r].needs_series && rules[r].selector.NamesIndicators()) {
      s.named[r] = s.indicator[r];
      for (size_t i = 0; i < indicators; ++i) named_any[i] |= s.named[r][i];
    }
    for (size_t p = 0; p < providers; ++p) {
      s.provider[r][p] = rules[r].selector.MatchesProvider(data.providers()[p]);
      s.provider_selected[p] |= s.provider[r][p];
    }
  }
  for (size_t i = 0; i < indicators; ++i) {
    if (named_any[i]) s.named_indicators.push_back(static_cast<int32_t>(i));
  }
  s.assessed.resize(indicators);
  s.assessed_text.resize(indicators);
  for (size_t i = 0; i < indicators; ++i) {
    const Frequency f = data.indicator_frequency(static_cast<int>(i));
    s.assessed[i] =
        f == Frequency::kUnspecified ? as_of : ConvertPeriod(as_of, f);
    s.assessed_text[i] = FormatPeriod(s.assessed[i]);
  }
  s.as_of = as_of;
  s.scope = scope;
  if (scope != nullptr) {
    for (std::vector<char>& selected : s.provider) {
      for (size_t p = 0; p < providers; ++p) {
        selected[p] = selected[p] && scope->owned[p];
      }
    }
  }
  return s;
}

int64_t UnusedCounts::total() const {
  int64_t n = 0;
  for (size_t i = 0; i < not_selected.size(); ++i) {
    n += not_selected[i] + after_as_of[i];
  }
  return n;
}

UnusedCounts CountUnusedObservations(const SeriesStore& data,
                                     const Selection& selection) {
  const size_t indicators = data.indicators().size();
  UnusedCounts counts;
  counts.after_as_of.assign(indicators, 0);
  counts.not_selected.assign(indicators, 0);
  for (int s = 0; s < data.num_series(); ++s) {
    const SeriesView series = data.series(s);
    const int i = series.indicator;
    for (int k = 0; k < series.size(); ++k) {
      if (series.status[k] != PointStatus::kObserved) continue;
      if (!selection.indicator_selected[i]) {
        ++counts.not_selected[i];
      } else if (series.first.index + k > selection.assessed[i].index) {
        ++counts.after_as_of[i];
      }
    }
  }
  return counts;
}

void AddUnusedDiagnostics(const UnusedCounts& counts,
                          const std::vector<v1::Indicator>& indicators,
                          Period as_of, int64_t plans_used,
                          bool any_reads_plans,
                          std::vector<v1::Diagnostic>* diagnostics) {
  for (size_t i = 0; i < indicators.size(); ++i) {
    const std::string& id = indicators[i].id();
    if (counts.not_selected[i] > 0) {
      v1::Diagnostic d = MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_NOT_SELECTED, "", 0,
          "indicator_id",
          absl::StrCat(counts.not_selected[i], " observations of indicator '",
                       id, "' were not used: no rule selects it"));
      d.set_indicator_id(id);
      diagnostics->push_back(std::move(d));
    }
    if (counts.after_as_of[i] > 0) {
      v1::Diagnostic d = MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_AFTER_AS_OF, "", 0,
          "period",
          absl::StrCat(counts.after_as_of[i], " observations of indicator '",
                       id, "' are after the as-of period (",
                       DescribePeriod(as_of), ") and were not used"));
      d.set_indicator_id(id);
      d.set_period(FormatPeriod(as_of));
      diagnostics->push_back(std::move(d));
    }
  }
  if (plans_used > 0 && !any_reads_plans) {
    diagnostics->push_back(MakeDiagnostic(
        v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_NOT_SELECTED, "", 0,
        "plans",
        absl::StrCat(plans_used,
                     " plan values were read but no rule of this pack reads "
                     "plans (trajectory and milestone rules do)")));
  }
}

v1::Assessment* AssessmentPool::Start(const CompiledRule& rule,
                                      const v1::Provider& provider,
                                      const v1::Indicator& indicator,
                                      const std::string& period_text) {
  v1::Assessment* a = spare_;
  spare_ = nullptr;
  if (a == nullptr) {
    a = google::protobuf::Arena::CreateMessage<v1::Assessment>(arena_);
  }
  if (explain_) {
    a->set_provider_id(provider.id());
    a->set_indicator_id(indicator.id());
    a->set_rule_id(rule.id);
    a->set_rule_name(rule.name);
    a->set_period(period_text);
  }
  a->set_severity(rule.severity);
  a->set_domain(indicator.domain());
  return a;
}

void AssessmentPool::Recycle(v1::Assessment* a) {
  a->Clear();
  Release(spare_);
  spare_ = a;
}

}  // namespace internal
}  // namespace vigil
