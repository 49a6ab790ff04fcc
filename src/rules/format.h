// Numbers and periods as a reader of the dashboard expects them.
#ifndef VIGIL_SRC_REPORT_FORMAT_H_
#define VIGIL_SRC_REPORT_FORMAT_H_

#include <string>

#include "vigil/period.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

// A value in the indicator's unit: "81.2%", "14", "3.45 per 100,000",
// "1.032".
std::string FormatValue(double value, const v1::Indicator& indicator);

// A difference between two values: "3.1 points" for percentages, else the
// number as FormatValue prints it without a unit suffix.
std::string FormatDifference(double difference, const v1::Indicator& indicator);

// Money in pounds, whatever the locale: "£12,500", "£33,333.33" (pence
// only when there are some), "-£40".
std::string FormatMoney(double amount);

// "3 months", "1 quarter", "12 days", "2 years".
std::string PeriodCount(int count, Frequency frequency);

// Writes `value` in fixed notation with `decimals` digits after the point
// exactly as std::to_chars(..., std::chars_format::fixed, decimals) and
// printf("%.*f") do (the exact binary value rounded half to even; "-0.00"
// for a negative value that rounds to zero), for 0 <= decimals <= 3 and
// |value| < 1e15: the end of what it wrote (at most 21 bytes) at `out`. For
// any other value or precision (NaN, infinities) it writes nothing and
// returns nullptr. Reasons print most of their numbers this way, several
// times faster than through std::to_chars.
char* PrintFixedShort(double value, int decimals, char* out);

// Worst-first rank for roll-ups: RED 4, AMBER 3, NO_DATA 2, GREEN 1,
// NOT_APPLICABLE 0.
int RatingSeverityRank(v1::Rating rating);

}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_FORMAT_H_
