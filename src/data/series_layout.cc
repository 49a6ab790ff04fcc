// Row checks that need the resolved definitions, and the columnar layout:
// rows grouped and ordered by series, then written into the store's columns.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "src/data/diagnostics.h"
#include "src/data/indexer_internal.h"
#include "src/data/store_builder.h"

namespace vigil {
namespace internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

namespace {

// Why the usable row `r` of `indicator` holds an impossible value, or "".
std::string ValueProblem(const PendingRow& r, const v1::Indicator& indicator) {
  if (!std::isfinite(r.value)) {
    return absl::StrCat("numerator ", r.numerator, " over denominator ",
                        r.denominator, " gives ", r.value,
                        ", not a finite number");
  }
  const v1::Unit unit = indicator.unit();
  if ((unit == v1::UNIT_COUNT || unit == v1::UNIT_RATE ||
       unit == v1::UNIT_RATIO) &&
      r.value < 0) {
    return absl::StrCat(unit == v1::UNIT_COUNT  ? "a count"
                        : unit == v1::UNIT_RATE ? "a rate"
                                                : "a ratio",
                        " cannot be negative: ", r.value);
  }
  if (unit != v1::UNIT_PERCENTAGE) return "";
  if (r.has_ratio && r.numerator > r.denominator) {
    return absl::StrCat("numerator ", r.numerator, " is above denominator ",
                        r.denominator, " for a percentage");
  }
  if (r.value < 0 || r.value > 100) {
    return absl::StrCat("percentage ", r.value, " is outside 0 to 100");
  }
  return "";
}

// Whether ValueProblem(r, indicator) is "", without building a string: true
// for almost every row.
bool ValueIsPossible(const PendingRow& r, v1::Unit unit) {
  if (!std::isfinite(r.value)) return false;
  switch (unit) {
    case v1::UNIT_COUNT:
    case v1::UNIT_RATE:
    case v1::UNIT_RATIO:
      return r.value >= 0;
    case v1::UNIT_PERCENTAGE:
      return !(r.has_ratio && r.numerator > r.denominator) && r.value >= 0 &&
             r.value <= 100;
    default:
      return true;
  }
}

}  // namespace

// The rare paths out of line, so that CheckValue's common one inlines.
ABSL_ATTRIBUTE_NOINLINE void StoreBuilder::ReportValueMismatch(
    const PendingRow& r, double multiplier, double computed) {
  impl_.diagnostics.push_back(RowDiagnostic(
      r, v1::DIAGNOSTIC_SEVERITY_WARNING, v1::DIAGNOSTIC_CODE_VALUE_MISMATCH,
      "value",
      absl::StrCat("value ", r.value, " disagrees with ", multiplier,
                   " * numerator / denominator = ", computed,
                   "; the computed value is used")));
}

ABSL_ATTRIBUTE_NOINLINE void StoreBuilder::RejectImpossibleValue(
    PendingRow* r, const v1::Indicator& indicator) {
  if (std::string problem = ValueProblem(*r, indicator); !problem.empty()) {
    Reject(r, v1::DIAGNOSTIC_CODE_OUT_OF_RANGE,
           r->has_ratio ? "numerator" : "value",
           absl::StrCat(problem, "; the row is not used"));
  }
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline void StoreBuilder::CheckValue(
    PendingRow* r, const v1::Indicator& indicator) {
  if (r->has_ratio) {
    const double multiplier = indicator.rate_multiplier();
    const double computed = multiplier * r->numerator / r->denominator;
    if (r->has_value && std::fabs(r->value - computed) >
                            1e-6 * std::max(1.0, std::fabs(computed))) {
      ReportValueMismatch(*r, multiplier, computed);
    }
    r->value = computed;
    r->has_value = true;
  }
  if (!ValueIsPossible(*r, indicator.unit())) {
    RejectImpossibleValue(r, indicator);
  }
}

void StoreBuilder::CheckPeriodsAndValues() {
  key_has_ratio_.assign(impl_.row_keys.size(), false);
  key_rows_.assign(impl_.row_keys.size(), 0);
  impl_.rows.ForEach([&](PendingRow& r) {
    if (r.dropped()) return;
    const RowKey& key = impl_.KeyOf(r);
    const int32_t indicator = indicator_rank_[key.indicator];
    const Frequency f = store_.frequencies_[indicator];
    const Period period =
        r.frequency == f ? r.period() : FirstDayAsPeriod(r.period(), f);
    r.frequency = period.frequency;
    r.period_index = period.index;
    if (period.frequency != f) {
      return Reject(
          &r, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period",
          absl::StrCat("period ", FormatPeriod(period), " is ",
                       FrequencyName(period.frequency), " but indicator '",
                       impl_.indicator_ids.name(key.indicator), "' is ",
                       FrequencyName(f), "; the row is not used"));
    }
    if (r.status == v1::OBSERVATION_STATUS_OK) {
      CheckValue(&r, store_.indicators_[indicator]);
      if (r.dropped()) return;
    }
    ++key_rows_[r.key];
    if (!std::isnan(r.numerator) || !std::isnan(r.denominator)) {
      key_has_ratio_[r.key] = true;
    }
  });
}

void StoreBuilder::GroupRowsBySeries() {
  // Row keys ordered by (provider, indicator) give each series its
  // position; a counting sort then groups the rows (4-byte positions, no
  // pointer or key array beside a million rows).
  const std::vector<RowKey>& keys = impl_.row_keys;
  const std::vector<size_t>& key_rows = key_rows_;
  std::vector<int32_t> known;  // Keys with kept rows (so with known ids).
  for (size_t k = 0; k < keys.size(); ++k) {
    if (key_rows[k] > 0) known.push_back(static_cast<int32_t>(k));
  }
  const auto pair_of = [&](int32_t k) {
    return std::make_pair(provider_rank_[keys[k].provider],
                          indicator_rank_[keys[k].indicator]);
  };
  std::sort(known.begin(), known.end(),
            [&](int32_t a, int32_t b) { return pair_of(a) < pair_of(b); });
  std::vector<int32_t> key_series(keys.size(), -1);
  int32_t num_series = 0;
  for (size_t i = 0; i < known.size(); ++i) {
    if (i == 0 || pair_of(known[i]) != pair_of(known[i - 1])) ++num_series;
    key_series[known[i]] = num_series - 1;
  }
  series_begin_.assign(num_series + 1, 0);
  for (const int32_t k : known) series_begin_[key_series[k] + 1] += key_rows[k];
  std::partial_sum(series_begin_.begin(), series_begin_.end(),
                   series_begin_.begin());
  order_.resize(series_begin_.back());
  {
    std::vector<size_t> next(series_begin_.begin(), series_begin_.end() - 1);
    uint32_t position = 0;
    impl_.rows.ForEach([&](const PendingRow& r) {
      if (!r.dropped()) order_[next[key_series[r.key]]++] = position;
      ++position;
    });
  }
  series_has_ratio_.assign(num_series, false);
  for (size_t k = 0; k < keys.size(); ++k) {
    if (key_series[k] >= 0 && key_has_ratio_[k]) {
      series_has_ratio_[key_series[k]] = true;
    }
  }
  // Within a series: by period, then the source's rank by name and the
  // row, so the order is input-order-free. Rows usually arrive in that
  // order already.
  const std::vector<int32_t> source_rank = SourceRanks(impl_.sources);
  const auto before = [&](uint32_t a, uint32_t b) {
    const PendingRow& ra = impl_.rows[a];
    const PendingRow& rb = impl_.rows[b];
    if (ra.period_index != rb.period_index) {
      return ra.period_index < rb.period_index;
    }
    const int32_t sa = source_rank[impl_.KeyOf(ra).source];
    const int32_t sb = source_rank[impl_.KeyOf(rb).source];
    if (sa != sb) return sa < sb;
    const int64_t row_a = impl_.RowOf(ra);
    const int64_t row_b = impl_.RowOf(rb);
    if (row_a != row_b) return row_a < row_b;
    return a < b;
  };
  for (int32_t s = 0; s < num_series; ++s) {
    const auto begin = order_.begin() + series_begin_[s];
    const auto end = order_.begin() + series_begin_[s + 1];
    if (!std::is_sorted(begin, end, before)) std::sort(begin, end, before);
  }
}

bool StoreBuilder::ReserveColumns() {
  // The columns are sized once: no doubled capacity, no copy as they grow;
  // and only within the limits, checked before anything is allocated.
  const IndexLimits& limits = impl_.limits;
  int64_t points = 0;
  int64_t ratio_points = 0;
  int64_t longest_without_ratio = 0;
  for (size_t s = 0; s + 1 < series_begin_.size(); ++s) {
    const PendingRow& first = RowAt(series_begin_[s]);
    const PendingRow& last = RowAt(series_begin_[s + 1] - 1);
    const int64_t span = int64_t{last.period_index} - first.period_index + 1;
    if (span > limits.max_periods_per_series) {
      const RowKey& key = impl_.KeyOf(first);
      impl_.failure = LimitExceeded(
          "max_periods_per_series", limits.max_periods_per_series,
          absl::StrCat(
              "the series of provider '", impl_.provider_ids.name(key.provider),
              "', indicator '", impl_.indicator_ids.name(key.indicator), "' (",
              FormatPeriod(first.period()), " at ",
              DescribeRow(impl_.sources[key.source], impl_.RowOf(first)),
              " to ", FormatPeriod(last.period()), " at ",
              DescribeRow(impl_.sources[impl_.KeyOf(last).source],
                          impl_.RowOf(last)),
              ") spans "),
          span);
      return false;
    }
    points += span;
    if (series_has_ratio_[s]) {
      ratio_points += span;
    } else {
      longest_without_ratio = std::max(longest_without_ratio, span);
    }
  }
  if (points > limits.max_stored_periods) {
    impl_.failure =
        LimitExceeded("max_stored_periods", limits.max_stored_periods,
                      "the series of this dataset hold ", points);
    return false;
  }
  store_.values_.reserve(points);
  store_.status_.reserve(points);
  store_.numerators_.reserve(ratio_points);
  store_.denominators_.reserve(ratio_points);
  store_.no_ratio_.assign(longest_without_ratio, kNaN);
  return true;
}

// Writes the point for rows `group` (all of one series and period) at
// position `at` of the store's values and status (and `ratio_at` of its
// numerators and denominators; -1: the series has none).
void StoreBuilder::EmitPoint(const std::vector<const PendingRow*>& group,
                             size_t at, int64_t ratio_at) {
  const PendingRow& first = *group.front();
  bool identical = true;
  for (size_t k = 1; k < group.size(); ++k) {
    const PendingRow& o = *group[k];
    identical = identical && o.status == first.status &&
                (first.status != v1::OBSERVATION_STATUS_OK ||
                 (o.value == first.value &&
                  std::isnan(o.denominator) == std::isnan(first.denominator) &&
                  (std::isnan(first.denominator) ||
                   (o.numerator == first.numerator &&
                    o.denominator == first.denominator))));
  }
  if (group.size() > 1) {
    std::vector<std::string> places;
    for (const PendingRow* r : group) {
      places.push_back(
          DescribeRow(impl_.sources[impl_.KeyOf(*r).source], impl_.RowOf(*r)));
    }
    const RowKey& key = impl_.KeyOf(first);
    v1::Diagnostic d = RowDiagnostic(
        first,
        identical ? v1::DIAGNOSTIC_SEVERITY_WARNING
                  : v1::DIAGNOSTIC_SEVERITY_ERROR,
        v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION, "period",
        absl::StrCat(
            group.size(), " rows for ", impl_.provider_ids.name(key.provider),
            " / ", impl_.indicator_ids.name(key.indicator), " / ",
            FormatPeriod(first.period()), " (", absl::StrJoin(places, ", "),
            ")",
            identical ? ": identical, used once"
                      : ": they conflict, so none is used and the period is "
                        "treated as missing"));
    for (size_t k = 1; k < group.size(); ++k) {
      d.add_other_rows(impl_.RowOf(*group[k]));
      d.add_other_sources(impl_.sources[impl_.KeyOf(*group[k]).source]);
    }
    impl_.diagnostics.push_back(std::move(d));
    if (!identical) {
      store_.status_[at] = PointStatus::kRejected;
      return;
    }
  }
  if (first.status != v1::OBSERVATION_STATUS_OK) {
    const bool suppressed = first.status == v1::OBSERVATION_STATUS_SUPPRESSED;
    store_.status_[at] =
        suppressed ? PointStatus::kSuppressed : PointStatus::kNotSubmitted;
    impl_.diagnostics.push_back(RowDiagnostic(
        first, v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_NOT_USABLE,
        "status",
        absl::StrCat("marked ", suppressed ? "suppressed" : "not submitted",
                     "; kept as a gap that data-quality rules report")));
    return;
  }
  store_.status_[at] = PointStatus::kObserved;
  store_.values_[at] = first.value;
  if (ratio_at >= 0) {
    store_.numerators_[ratio_at] = first.numerator;
    store_.denominators_[ratio_at] = first.denominator;
  }
  ++store_.observations_used_;
}

void StoreBuilder::EmitSeries(size_t s, std::vector<const PendingRow*>* group) {
  const size_t begin = series_begin_[s];
  const size_t end = series_begin_[s + 1];
  const PendingRow& head = RowAt(begin);
  const RowKey& key = impl_.KeyOf(head);
  SeriesStore::SeriesInfo info;
  info.provider = provider_rank_[key.provider];
  info.indicator = indicator_rank_[key.indicator];
  info.first = head.period();
  info.offset = static_cast<int64_t>(store_.values_.size());
  info.length = RowAt(end - 1).period_index - head.period_index + 1;
  info.ratio_offset = series_has_ratio_[s]
                          ? static_cast<int64_t>(store_.numerators_.size())
                          : -1;
  info.has_denominators = false;
  const size_t total = store_.values_.size() + info.length;
  store_.values_.resize(total, kNaN);
  store_.status_.resize(total, PointStatus::kMissing);
  if (info.ratio_offset >= 0) {
    const size_t ratio_total = store_.numerators_.size() + info.length;
    store_.numerators_.resize(ratio_total, kNaN);
    store_.denominators_.resize(ratio_total, kNaN);
  }
  for (size_t k = begin; k < end;) {
    const PendingRow& row = RowAt(k);
    const int64_t step = row.period_index - head.period_index;
    const size_t at = static_cast<size_t>(info.offset + step);
    const int64_t ratio_at =
        info.ratio_offset >= 0 ? info.ratio_offset + step : -1;
    if ((k + 1 == end || RowAt(k + 1).period_index != row.period_index) &&
        row.status == v1::OBSERVATION_STATUS_OK) {
      // The common point: one row, observed.
      store_.status_[at] = PointStatus::kObserved;
      store_.values_[at] = row.value;
      if (ratio_at >= 0) {
        store_.numerators_[ratio_at] = row.numerator;
        store_.denominators_[ratio_at] = row.denominator;
        if (!std::isnan(row.denominator)) info.has_denominators = true;
      }
      ++store_.observations_used_;
      ++k;
      continue;
    }
    group->clear();
    while (k < end && RowAt(k).period_index == row.period_index) {
      group->push_back(&RowAt(k++));
    }
    EmitPoint(*group, at, ratio_at);
    if (ratio_at >= 0 && !std::isnan(store_.denominators_[ratio_at])) {
      info.has_denominators = true;
    }
  }
  store_.series_.push_back(info);
  ++store_.provider_series_begin_[info.provider + 1];
}

bool StoreBuilder::Layout() {
  GroupRowsBySeries();
  if (!ReserveColumns()) return false;
  store_.provider_series_begin_.assign(store_.providers_.size() + 1, 0);
  store_.series_.reserve(series_begin_.size() - 1);
  std::vector<const PendingRow*> group;
  for (size_t s = 0; s + 1 < series_begin_.size(); ++s) {
    EmitSeries(s, &group);
  }
  std::partial_sum(store_.provider_series_begin_.begin(),
                   store_.provider_series_begin_.end(),
                   store_.provider_series_begin_.begin());
  return true;
}

void StoreBuilder::FindLatestPeriod() {
  // The default as-of: the latest period with a value (finer frequency wins
  // a tie on the last day).
  bool found = false;
  absl::CivilDay latest_day;
  for (const SeriesStore::SeriesInfo& info : store_.series_) {
    for (int k = info.length - 1; k >= 0; --k) {
      if (store_.status_[info.offset + k] != PointStatus::kObserved) continue;
      const Period p{info.first.frequency, info.first.index + k};
      const absl::CivilDay day = LastDay(p);
      if (!found || day > latest_day ||
          (day == latest_day &&
           p.frequency < store_.latest_period_.frequency)) {
        store_.latest_period_ = p;
        latest_day = day;
        found = true;
      }
      break;
    }
  }
}

}  // namespace internal
}  // namespace vigil
