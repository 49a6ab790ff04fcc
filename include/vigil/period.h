// Periods: the time axis of every series.
//
// A period is an ISO month ("2019-03"), quarter ("2019-Q1", calendar), day
// ("2019-03-15") or year ("2019"). Inside Vigil it is a (frequency, index)
// pair whose index counts periods of that frequency, so consecutive periods
// differ by one and a missing period is a gap in the index.
//
// Thread safety: plain values and pure functions; safe from any thread.
#ifndef VIGIL_PERIOD_H_
#define VIGIL_PERIOD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace vigil {

// Same numbers as vigil.v1.Frequency.
enum class Frequency : int8_t {
  kUnspecified = 0,
  kDaily = 1,
  kMonthly = 2,
  kQuarterly = 3,
  kAnnual = 4,
};

struct Period {
  Frequency frequency = Frequency::kUnspecified;
  // kDaily: days since 1970-01-01; kMonthly: year * 12 + month - 1;
  // kQuarterly: year * 4 + quarter - 1; kAnnual: year.
  int32_t index = 0;

  friend bool operator==(Period a, Period b) {
    return a.frequency == b.frequency && a.index == b.index;
  }
  friend bool operator!=(Period a, Period b) { return !(a == b); }
};

// Parses an ISO period. Years must be in [1900, 2200]. Errors are
// InvalidArgument and quote the text.
absl::StatusOr<Period> ParsePeriod(absl::string_view text);

// The ISO form ParsePeriod accepts: "2019-03", "2019-Q1", "2019-03-15".
std::string FormatPeriod(Period period);

// The form a reader expects: "Mar 2019", "Q1 2019", "15 Mar 2019", "2019".
std::string DescribePeriod(Period period);

// First and last calendar day of a period.
absl::CivilDay FirstDay(Period period);
absl::CivilDay LastDay(Period period);

// The latest period of `frequency` that starts on or before the last day of
// `period`: the as-of period as a series of that frequency sees it (as of
// 2019-03 a quarterly series is at 2019-Q1, an annual one at 2019).
Period ConvertPeriod(Period period, Frequency frequency);

// If `day` is the first day of a period of `frequency`, that period (a month
// given as "2019-03-01"); otherwise `day` unchanged.
Period FirstDayAsPeriod(Period day, Frequency frequency);

// The same period one year earlier (2019-03 -> 2018-03; 29 Feb -> 28 Feb).
Period SamePeriodLastYear(Period period);

// The first period, in the same frequency, of the NHS financial year
// (1 April to 31 March) that contains `period`. An annual period is its own.
Period FinancialYearStart(Period period);

// The same for a year starting on the first day of `first_month` (1..12):
// YearStart(p, 4) is FinancialYearStart(p), YearStart(p, 1) the calendar
// year. A quarterly period's year starts with the quarter holding that day.
Period YearStart(Period period, int first_month);

// "daily", "monthly", "quarterly", "annual" or "unspecified".
absl::string_view FrequencyName(Frequency frequency);

}  // namespace vigil

#endif  // VIGIL_PERIOD_H_
