// Data-quality rules: missing, suppressed, not submitted and thin data.
// Missing data is red, never green.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/report/format.h"
#include "src/rules/rule_support.h"

namespace vigil {
namespace internal {
namespace {

constexpr int kMaxLookback = 10000;
constexpr int kListedGaps = 6;

class DataQualityEvaluator : public RuleEvaluator {
 public:
  explicit DataQualityEvaluator(const v1::DataQualityRule& config)
      : config_(config) {
    if (config_.lookback_periods() == 0) config_.set_lookback_periods(12);
  }

  bool NeedsSeries() const override { return false; }
  void Assess(const AssessContext& context, v1::Assessment* out) const override;

 private:
  v1::DataQualityRule config_;
};

void DataQualityEvaluator::Assess(const AssessContext& context,
                                  v1::Assessment* out) const {
  const Period at = context.assessed;
  if (context.series == nullptr) {
    out->set_rating(v1::RATING_RED);
    SetReason(context, out,
              absl::StrCat("no data at all from this provider up to ",
                           DescribePeriod(at)));
    return;
  }
  const SeriesView& series = *context.series;
  const int latest = LatestObservedAtOrBefore(series, at);
  if (latest >= 0) out->set_data_period(FormatPeriod(PeriodAt(series, latest)));
  const int k = series.IndexOf(at);
  const PointStatus status = k < 0 ? PointStatus::kMissing : series.status[k];
  if (status != PointStatus::kObserved && status != PointStatus::kSuppressed) {
    out->set_rating(v1::RATING_RED);
    std::string text = DescribeGap(series, at);
    if (latest >= 0) {
      absl::StrAppend(
          &text, " (latest: ", DescribePeriod(PeriodAt(series, latest)), ")");
    } else if (k < 0 && at.index < series.first.index) {
      absl::StrAppend(&text, " (the data starts in ",
                      DescribePeriod(series.first), ")");
    }
    SetReason(context, out, text);
    return;
  }
  // Gaps in the lookback window, counted from the series' first period.
  const int window_begin = std::max(k - config_.lookback_periods() + 1, 0);
  const int window = k - window_begin + 1;
  std::vector<std::string> gaps;
  int gap_count = 0;
  for (int j = window_begin; j <= k; ++j) {
    if (series.status[j] == PointStatus::kObserved) continue;
    ++gap_count;
    if (static_cast<int>(gaps.size()) < kListedGaps) {
      gaps.push_back(DescribePeriod(PeriodAt(series, j)));
    }
  }
  AddEvidence(out, "periods in lookback", window);
  AddEvidence(out, "periods missing or unusable", gap_count);
  std::vector<std::string> problems;
  if (status == PointStatus::kSuppressed) {
    problems.push_back(DescribeGap(series, at));
  }
  if (gap_count > config_.max_missing_periods()) {
    problems.push_back(absl::StrCat(
        gap_count, " of the last ", PeriodCount(window, at.frequency),
        " missing or unusable (", absl::StrJoin(gaps, ", "),
        gap_count > kListedGaps ? ", ..." : "", "; allowed ",
        config_.max_missing_periods(), ")"));
  }
  if (config_.minimum_denominator() > 0 && status == PointStatus::kObserved &&
      !std::isnan(series.denominators[k]) &&
      series.denominators[k] < config_.minimum_denominator()) {
    AddEvidence(out, "denominator", at, series.denominators[k]);
    problems.push_back(absl::StrCat(
        "denominator ", series.denominators[k], " in ", DescribePeriod(at),
        " is below the minimum of ", config_.minimum_denominator()));
  }
  if (!problems.empty()) {
    out->set_rating(v1::RATING_AMBER);
    SetReason(context, out, absl::StrJoin(problems, "; "));
    return;
  }
  out->set_rating(v1::RATING_GREEN);
  SetReason(context, out,
            absl::StrCat("data complete: ", window - gap_count, " of ",
                         PeriodCount(window, at.frequency), " to ",
                         DescribePeriod(at)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeDataQualityEvaluator(
    const v1::Rule& rule, int index) {
  const v1::DataQualityRule& q = rule.data_quality();
  auto error = [&](absl::string_view field, absl::string_view problem) {
    return RuleError(rule, index, absl::StrCat("data_quality.", field),
                     problem);
  };
  if (q.lookback_periods() < 0 || q.lookback_periods() > kMaxLookback) {
    return error("lookback_periods", absl::StrCat("must be 0..", kMaxLookback));
  }
  if (q.max_missing_periods() < 0) {
    return error("max_missing_periods", "must be >= 0");
  }
  if (!std::isfinite(q.minimum_denominator()) || q.minimum_denominator() < 0) {
    return error("minimum_denominator", "must be a finite number >= 0");
  }
  return std::unique_ptr<RuleEvaluator>(new DataQualityEvaluator(q));
}

}  // namespace internal
}  // namespace vigil
