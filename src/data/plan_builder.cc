// Cross-row validation of plan rows and the plans' columnar layout.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/data/diagnostics.h"
#include "src/data/indexer_internal.h"

namespace vigil {
namespace internal {

class PlanBuilder {
 public:
  PlanBuilder(DatasetIndexer::Impl* impl, SeriesStore* store)
      : impl_(*impl), store_(*store) {}

  void Run();

 private:
  // A plan row that names a known provider and indicator (store indices).
  struct Resolved {
    PendingPlan* row;  // Owned by impl_.
    int32_t provider;
    int32_t indicator;
  };

  v1::Diagnostic RowDiagnostic(const PendingPlan& r,
                               v1::DiagnosticSeverity severity,
                               v1::DiagnosticCode code, absl::string_view field,
                               absl::string_view why) const;
  void ResolveIds();
  void ResolveFrequencies();
  void Layout();
  // The plan value of rows `group` (one plan, one period): NaN when they
  // conflict.
  double SettleDuplicates(const std::vector<const Resolved*>& group);

  DatasetIndexer::Impl& impl_;
  SeriesStore& store_;
  std::vector<Resolved> accepted_;
};

v1::Diagnostic PlanBuilder::RowDiagnostic(const PendingPlan& r,
                                          v1::DiagnosticSeverity severity,
                                          v1::DiagnosticCode code,
                                          absl::string_view field,
                                          absl::string_view why) const {
  return RowKeyDiagnostic(severity, code, impl_.sources[r.source], r.row, field,
                          why, impl_.plan_provider_ids.name(r.provider),
                          impl_.plan_indicator_ids.name(r.indicator),
                          FormatPeriod(r.period));
}

void PlanBuilder::ResolveIds() {
  // Each distinct id is looked up once, not once per row.
  std::vector<int32_t> provider(impl_.plan_provider_ids.size());
  for (int32_t key = 0; key < impl_.plan_provider_ids.size(); ++key) {
    provider[key] = store_.FindProvider(impl_.plan_provider_ids.name(key));
  }
  std::vector<int32_t> indicator(impl_.plan_indicator_ids.size());
  for (int32_t key = 0; key < impl_.plan_indicator_ids.size(); ++key) {
    indicator[key] = store_.FindIndicator(impl_.plan_indicator_ids.name(key));
  }
  const bool implicit_providers = impl_.providers.empty();
  accepted_.reserve(impl_.plans.size());
  for (PendingPlan& r : impl_.plans) {
    const std::string& provider_id = impl_.plan_provider_ids.name(r.provider);
    if (provider[r.provider] < 0) {
      impl_.diagnostics.push_back(RowDiagnostic(
          r, v1::DIAGNOSTIC_SEVERITY_ERROR,
          v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER, "provider_id",
          implicit_providers
              ? absl::StrCat("provider '", provider_id,
                             "' is in no observation and no providers were "
                             "defined; the plan row is not used")
              : absl::StrCat("provider '", provider_id,
                             "' is not defined; the plan row is not used")));
    } else if (indicator[r.indicator] < 0) {
      impl_.diagnostics.push_back(RowDiagnostic(
          r, v1::DIAGNOSTIC_SEVERITY_ERROR,
          v1::DIAGNOSTIC_CODE_UNKNOWN_INDICATOR, "indicator_id",
          absl::StrCat("indicator '",
                       impl_.plan_indicator_ids.name(r.indicator),
                       "' is not defined; the plan row is not used")));
    } else {
      accepted_.push_back({&r, provider[r.provider], indicator[r.indicator]});
    }
  }
}

void PlanBuilder::ResolveFrequencies() {
  // An indicator with no declared frequency and no observation takes the
  // most common frequency of its plan rows.
  const size_t n = store_.indicators_.size();
  std::vector<std::array<int64_t, 5>> counts(n, {0, 0, 0, 0, 0});
  for (const Resolved& r : accepted_) {
    ++counts[r.indicator][static_cast<int>(r.row->period.frequency)];
  }
  for (size_t i = 0; i < n; ++i) {
    if (store_.frequencies_[i] == Frequency::kUnspecified) {
      store_.frequencies_[i] = MostCommonFrequency(counts[i]);
    }
  }
  std::vector<Resolved> kept;
  kept.reserve(accepted_.size());
  for (Resolved& r : accepted_) {
    const Frequency f = store_.frequencies_[r.indicator];
    PendingPlan& row = *r.row;
    row.period = FirstDayAsPeriod(row.period, f);
    if (row.period.frequency == f) {
      kept.push_back(r);
      continue;
    }
    impl_.diagnostics.push_back(RowDiagnostic(
        row, v1::DIAGNOSTIC_SEVERITY_ERROR, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY,
        "period",
        absl::StrCat("plan period ", FormatPeriod(row.period), " is ",
                     FrequencyName(row.period.frequency), " but indicator '",
                     store_.indicators_[r.indicator].id(), "' is ",
                     FrequencyName(f), "; the plan row is not used")));
  }
  accepted_.swap(kept);
}

double PlanBuilder::SettleDuplicates(
    const std::vector<const Resolved*>& group) {
  const PendingPlan& first = *group.front()->row;
  if (group.size() == 1) return first.value;
  bool identical = true;
  std::vector<std::string> places;
  for (const Resolved* r : group) {
    identical = identical && r->row->value == first.value;
    places.push_back(DescribeRow(impl_.sources[r->row->source], r->row->row));
  }
  v1::Diagnostic d = RowDiagnostic(
      first,
      identical ? v1::DIAGNOSTIC_SEVERITY_WARNING
                : v1::DIAGNOSTIC_SEVERITY_ERROR,
      v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION, "period",
      absl::StrCat(group.size(), " plan rows for ",
                   store_.providers_[group.front()->provider].id(), " / ",
                   store_.indicators_[group.front()->indicator].id(), " / ",
                   FormatPeriod(first.period), " (",
                   absl::StrJoin(places, ", "), ")",
                   identical ? ": identical, used once"
                             : ": they conflict, so none is used and the "
                               "period has no plan value"));
  for (size_t k = 1; k < group.size(); ++k) {
    d.add_other_rows(group[k]->row->row);
    d.add_other_sources(impl_.sources[group[k]->row->source]);
  }
  impl_.diagnostics.push_back(std::move(d));
  return identical ? first.value : std::numeric_limits<double>::quiet_NaN();
}

void PlanBuilder::Layout() {
  const std::vector<int32_t> source_rank = SourceRanks(impl_.sources);
  std::sort(accepted_.begin(), accepted_.end(),
            [&](const Resolved& a, const Resolved& b) {
              if (a.provider != b.provider) return a.provider < b.provider;
              if (a.indicator != b.indicator) return a.indicator < b.indicator;
              if (a.row->period.index != b.row->period.index) {
                return a.row->period.index < b.row->period.index;
              }
              if (a.row->source != b.row->source) {
                return source_rank[a.row->source] < source_rank[b.row->source];
              }
              return a.row->row < b.row->row;
            });
  // One past the last accepted row of the (provider, indicator) at i.
  const auto pair_end = [&](size_t i) {
    size_t end = i;
    while (end < accepted_.size() &&
           accepted_[end].provider == accepted_[i].provider &&
           accepted_[end].indicator == accepted_[i].indicator) {
      ++end;
    }
    return end;
  };
  // The limits, before anything is allocated: the plans after the series.
  int64_t points = static_cast<int64_t>(store_.values_.size());
  for (size_t i = 0; i < accepted_.size();) {
    const Resolved& head = accepted_[i];
    const size_t end = pair_end(i);
    const PendingPlan& first = *head.row;
    const PendingPlan& last = *accepted_[end - 1].row;
    const int64_t span = int64_t{last.period.index} - first.period.index + 1;
    if (span > impl_.limits.max_periods_per_series) {
      impl_.failure = LimitExceeded(
          "max_periods_per_series", impl_.limits.max_periods_per_series,
          absl::StrCat(
              "the plan of provider '", store_.providers_[head.provider].id(),
              "', indicator '", store_.indicators_[head.indicator].id(), "' (",
              FormatPeriod(first.period), " at ",
              DescribeRow(impl_.sources[first.source], first.row), " to ",
              FormatPeriod(last.period), " at ",
              DescribeRow(impl_.sources[last.source], last.row), ") spans "),
          span);
      return;
    }
    points += span;
    i = end;
  }
  if (points > impl_.limits.max_stored_periods) {
    impl_.failure =
        LimitExceeded("max_stored_periods", impl_.limits.max_stored_periods,
                      "the series and plans of this dataset hold ", points);
    return;
  }
  store_.plan_values_.reserve(points - store_.values_.size());
  std::vector<const Resolved*> group;
  for (size_t i = 0; i < accepted_.size();) {
    const Resolved& head = accepted_[i];
    const size_t end = pair_end(i);
    SeriesStore::PlanInfo info;
    info.provider = head.provider;
    info.indicator = head.indicator;
    info.first = head.row->period;
    info.offset = static_cast<int64_t>(store_.plan_values_.size());
    info.length = accepted_[end - 1].row->period.index - info.first.index + 1;
    store_.plan_values_.resize(store_.plan_values_.size() + info.length,
                               std::numeric_limits<double>::quiet_NaN());
    for (size_t k = i; k < end;) {
      group.clear();
      const int32_t index = accepted_[k].row->period.index;
      while (k < end && accepted_[k].row->period.index == index) {
        group.push_back(&accepted_[k++]);
      }
      const double value = SettleDuplicates(group);
      store_.plan_values_[info.offset + (index - info.first.index)] = value;
      if (!std::isnan(value)) ++store_.plans_used_;
    }
    store_.plans_.push_back(info);
    i = end;
  }
}

void PlanBuilder::Run() {
  ResolveIds();
  ResolveFrequencies();
  Layout();
  if (!impl_.failure.ok()) return;
  store_.plans_read_ = impl_.plans_read;
  Column<PendingPlan>().swap(impl_.plans);
}

void BuildPlans(DatasetIndexer::Impl* impl, SeriesStore* store) {
  PlanBuilder(impl, store).Run();
}

}  // namespace internal
}  // namespace vigil
