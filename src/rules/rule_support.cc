#include "src/rules/rule_support.h"

#include "absl/strings/str_cat.h"
#include "src/rules/format.h"

namespace vigil {
namespace internal {

Orientation OrientationOf(v1::Polarity polarity) {
  switch (polarity) {
    case v1::POLARITY_HIGHER_IS_BETTER:
      return Orientation::kHigherIsBetter;
    case v1::POLARITY_LOWER_IS_BETTER:
    case v1::POLARITY_ZERO_TOLERANCE:
      return Orientation::kLowerIsBetter;
    case v1::POLARITY_NEUTRAL:
      return Orientation::kNeutral;
    default:
      return Orientation::kUnknown;
  }
}

absl::Status CheckPolarityOverride(v1::Polarity polarity,
                                   const RuleCompileContext& context) {
  if (polarity != v1::POLARITY_UNSPECIFIED &&
      polarity != v1::POLARITY_HIGHER_IS_BETTER &&
      polarity != v1::POLARITY_LOWER_IS_BETTER) {
    return context.Error(
        "polarity",
        "may only override with HIGHER_IS_BETTER or LOWER_IS_BETTER");
  }
  return absl::OkStatus();
}

int LatestObservedAtOrBefore(const SeriesView& series, Period assessed) {
  if (assessed.frequency != series.first.frequency) return -1;
  int64_t k = static_cast<int64_t>(assessed.index) - series.first.index;
  if (k < 0) return -1;
  if (k >= series.size()) k = series.size() - 1;
  for (; k >= 0; --k) {
    if (series.status[k] == PointStatus::kObserved) return static_cast<int>(k);
  }
  return -1;
}

std::string DescribeGap(const SeriesView& series, Period period) {
  const std::string when = DescribePeriod(period);
  const int k = series.IndexOf(period);
  const PointStatus status = k < 0 ? PointStatus::kMissing : series.status[k];
  switch (status) {
    case PointStatus::kSuppressed:
      return absl::StrCat("the value for ", when, " is suppressed");
    case PointStatus::kNotSubmitted:
      return absl::StrCat("no submission for ", when);
    case PointStatus::kRejected:
      return absl::StrCat("the rows for ", when,
                          " were rejected (see the diagnostics)");
    default:
      return absl::StrCat("no value for ", when);
  }
}

int FindJudgedPoint(const SeriesContext& context, int max_staleness,
                    v1::Assessment* out) {
  const SeriesView& series = *context.series;
  const int k = LatestObservedAtOrBefore(series, context.assessed);
  if (k >= 0) {
    const int age = context.assessed.index - (series.first.index + k);
    if (age <= max_staleness) return k;
  }
  out->set_rating(v1::RATING_NO_DATA);
  if (!context.explain) return -1;
  std::string text = DescribeGap(series, context.assessed);
  if (k >= 0) {
    const Period latest = PeriodAt(series, k);
    absl::StrAppend(
        &text, "; the latest value is for ", DescribePeriod(latest), " (",
        PeriodCount(context.assessed.index - latest.index, latest.frequency),
        " old; the rule allows ", max_staleness, ")");
    out->set_data_period(FormatPeriod(latest));
  } else {
    absl::StrAppend(&text, " and none before it");
  }
  SetReason(context, out, text);
  return -1;
}

void AddEvidence(v1::Assessment* out, absl::string_view label, Period period,
                 double value) {
  v1::EvidenceValue* e = out->add_evidence();
  e->set_label(std::string(label));
  e->set_period(FormatPeriod(period));
  e->set_value(value);
}

void AddEvidence(v1::Assessment* out, absl::string_view label, double value) {
  v1::EvidenceValue* e = out->add_evidence();
  e->set_label(std::string(label));
  e->set_value(value);
}

void SetReason(const v1::Indicator& indicator, v1::Assessment* out,
               absl::string_view text) {
  out->set_reason(absl::StrCat(indicator.name(), ": ", text));
}

}  // namespace internal
}  // namespace vigil
