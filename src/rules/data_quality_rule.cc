// Data-quality rules: missing, suppressed, not submitted and thin data.
// Missing data is red, never green.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"

namespace vigil {
namespace internal {
namespace {

constexpr int kListedGaps = 6;

// The native config of a data-quality rule (vigil.v1.DataQualityRule),
// defaults beside their fields.
struct DataQualityConfig {
  int lookback_periods = 12;  // Pack value 0 means this.
  int max_missing_periods = 0;
  double minimum_denominator = 0;  // 0 = no check.

  static constexpr int kMaxLookback = 10000;
};

class DataQualityEvaluator : public SeriesRuleEvaluator {
 public:
  explicit DataQualityEvaluator(const DataQualityConfig& config)
      : config_(config) {}

  bool NeedsSeries() const override { return false; }
  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  const DataQualityConfig config_;
};

void DataQualityEvaluator::Assess(const SeriesContext& context,
                                  v1::Assessment* out) const {
  const Period at = context.assessed;
  if (context.series == nullptr) {
    out->set_rating(v1::RATING_RED);
    if (!context.explain) return;
    SetReason(context, out,
              absl::StrCat("no data at all from this provider up to ",
                           DescribePeriod(at)));
    return;
  }
  const SeriesView& series = *context.series;
  const int latest = LatestObservedAtOrBefore(series, at);
  const bool explain = context.explain;
  if (latest >= 0 && explain) {
    out->set_data_period(FormatPeriod(PeriodAt(series, latest)));
  }
  const int k = series.IndexOf(at);
  const PointStatus status = k < 0 ? PointStatus::kMissing : series.status[k];
  if (status != PointStatus::kObserved && status != PointStatus::kSuppressed) {
    out->set_rating(v1::RATING_RED);
    if (!explain) return;
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
  const int window_begin = std::max(k - config_.lookback_periods + 1, 0);
  const int window = k - window_begin + 1;
  std::vector<std::string> gaps;
  int gap_count = 0;
  for (int j = window_begin; j <= k; ++j) {
    if (series.status[j] == PointStatus::kObserved) continue;
    ++gap_count;
    if (explain && static_cast<int>(gaps.size()) < kListedGaps) {
      gaps.push_back(DescribePeriod(PeriodAt(series, j)));
    }
  }
  const bool thin = config_.minimum_denominator > 0 &&
                    status == PointStatus::kObserved &&
                    !std::isnan(series.denominators[k]) &&
                    series.denominators[k] < config_.minimum_denominator;
  if (!explain) {
    const bool amber = status == PointStatus::kSuppressed ||
                       gap_count > config_.max_missing_periods || thin;
    out->set_rating(amber ? v1::RATING_AMBER : v1::RATING_GREEN);
    return;
  }
  AddEvidence(out, "periods in lookback", window);
  AddEvidence(out, "periods missing or unusable", gap_count);
  std::vector<std::string> problems;
  if (status == PointStatus::kSuppressed) {
    problems.push_back(DescribeGap(series, at));
  }
  if (gap_count > config_.max_missing_periods) {
    problems.push_back(absl::StrCat(
        gap_count, " of the last ", PeriodCount(window, at.frequency),
        " missing or unusable (", absl::StrJoin(gaps, ", "),
        gap_count > kListedGaps ? ", ..." : "", "; allowed ",
        config_.max_missing_periods, ")"));
  }
  if (thin) {
    AddEvidence(out, "denominator", at, series.denominators[k]);
    problems.push_back(absl::StrCat(
        "denominator ", series.denominators[k], " in ", DescribePeriod(at),
        " is below the minimum of ", config_.minimum_denominator));
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

CompiledEvaluator CompileDataQualityRule(const RuleCompileContext& context) {
  const v1::DataQualityRule& q = context.rule().data_quality();
  DataQualityConfig c;
  if (q.lookback_periods() < 0 || q.lookback_periods() > c.kMaxLookback) {
    return context.Error("lookback_periods",
                         absl::StrCat("must be 0..", c.kMaxLookback));
  }
  if (q.lookback_periods() != 0) c.lookback_periods = q.lookback_periods();
  if (q.max_missing_periods() < 0) {
    return context.Error("max_missing_periods", "must be >= 0");
  }
  c.max_missing_periods = q.max_missing_periods();
  if (!std::isfinite(q.minimum_denominator()) || q.minimum_denominator() < 0) {
    return context.Error("minimum_denominator", "must be a finite number >= 0");
  }
  c.minimum_denominator = q.minimum_denominator();
  return std::make_unique<DataQualityEvaluator>(c);
}

}  // namespace internal
}  // namespace vigil
