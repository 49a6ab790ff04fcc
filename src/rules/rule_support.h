// Helpers shared by the rule kinds: finding the point to judge, direction
// from polarity, evidence and reasons.
#ifndef VIGIL_SRC_RULES_RULE_SUPPORT_H_
#define VIGIL_SRC_RULES_RULE_SUPPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "src/rules/rule_kind.h"
#include "vigil/threshold.h"

namespace vigil {
namespace internal {

// Which way is better, from a polarity.
enum class Orientation { kHigherIsBetter, kLowerIsBetter, kNeutral, kUnknown };
Orientation OrientationOf(v1::Polarity polarity);
// A rule's own polarity (ThresholdRule.polarity, TrendRule.polarity): OK
// when unset, HIGHER_IS_BETTER or LOWER_IS_BETTER; otherwise the error
// naming the rule's `polarity` field.
absl::Status CheckPolarityOverride(v1::Polarity polarity,
                                   const RuleCompileContext& context);
inline Direction ToDirection(Orientation o) {
  return o == Orientation::kLowerIsBetter ? Direction::kLowerIsBetter
                                          : Direction::kHigherIsBetter;
}

// Position in `series` of the latest observed point at or before
// `assessed`, or -1 when there is none.
int LatestObservedAtOrBefore(const SeriesView& series, Period assessed);

// The point a rule judges: the latest observed value at most `max_staleness`
// periods before the assessed period. When there is none, sets `out` to
// NO_DATA with a reason saying why and returns -1.
int FindJudgedPoint(const SeriesContext& context, int max_staleness,
                    v1::Assessment* out);

// "no value for Mar 2019", "the value for Mar 2019 is suppressed", ...
std::string DescribeGap(const SeriesView& series, Period period);

// The period of position `k` of `series`.
inline Period PeriodAt(const SeriesView& series, int k) {
  return Period{series.first.frequency, series.first.index + k};
}

void AddEvidence(v1::Assessment* out, absl::string_view label, Period period,
                 double value);
void AddEvidence(v1::Assessment* out, absl::string_view label, double value);

// "A&E 4-hour (type 1): " + text.
void SetReason(const v1::Indicator& indicator, v1::Assessment* out,
               absl::string_view text);
// Nothing when the context does not explain (SeriesContext::explain).
inline void SetReason(const SeriesContext& context, v1::Assessment* out,
                      absl::string_view text) {
  if (context.explain) SetReason(*context.indicator, out, text);
}

// `out` gets `rating` and the reason "indicator name: text" (the reason
// only when the context explains).
inline void Rate(const SeriesContext& context, v1::Rating rating,
                 absl::string_view text, v1::Assessment* out) {
  out->set_rating(rating);
  SetReason(context, out, text);
}

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_RULE_SUPPORT_H_
