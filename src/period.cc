#include "vigil/period.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace vigil {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;
const absl::CivilDay kEpoch(1970, 1, 1);

bool ParseDigits(absl::string_view text, size_t width, int* out) {
  if (text.size() != width) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, out);
}

// A period is ASCII: any other byte is shown as \xNN, so the message stays
// valid UTF-8 and shows what was there.
std::string Shown(absl::string_view text) {
  std::string out;
  for (char c : text) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F) {
      absl::StrAppend(&out, "\\x", absl::Hex(b, absl::kZeroPad2));
    } else {
      out += c;
    }
  }
  return out;
}

absl::Status BadPeriod(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("period \"", Shown(text), "\" ", why,
                   " (expected 2019-03, 2019-Q1, 2019-03-15 or 2019)"));
}

int FloorDiv(int a, int b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Appends `value` as printf("%0*d", width, value) would: at least `width`
// characters, zeros after any minus sign. No format string is parsed (this
// runs for every assessment).
void AppendZeroPadded(int64_t value, int width, std::string* out) {
  char digits[24];
  int n = 0;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value)
                                 : static_cast<uint64_t>(value);
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0) {
    out->push_back('-');
    --width;
  }
  for (int k = n; k < width; ++k) out->push_back('0');
  while (n > 0) out->push_back(digits[--n]);
}

// Whether month index `i` is of a year 1000..9999 (all a report's): such
// months are written at once, without AppendZeroPadded.
bool HasFourDigitYear(int i) { return i >= 12000 && i < 120000; }

// A year of 1000..9999 as its 4 digits at `out`.
void PutYear(int year, char* out) {
  out[0] = static_cast<char>('0' + year / 1000);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
}

}  // namespace

absl::StatusOr<Period> ParsePeriod(absl::string_view text) {
  int year = 0;
  if (text.size() < 4 || !ParseDigits(text.substr(0, 4), 4, &year)) {
    return BadPeriod(text, "does not start with a 4-digit year");
  }
  if (year < kMinYear || year > kMaxYear) {
    return BadPeriod(text, "has a year outside 1900..2200");
  }
  if (text.size() == 4) return Period{Frequency::kAnnual, year};
  if (text[4] != '-') return BadPeriod(text, "is not an ISO period");
  absl::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q')) {
    int quarter = 0;
    if (!ParseDigits(rest.substr(1), 1, &quarter) || quarter < 1 ||
        quarter > 4) {
      return BadPeriod(text, "has a quarter outside Q1..Q4");
    }
    return Period{Frequency::kQuarterly, year * 4 + quarter - 1};
  }
  int month = 0;
  if (rest.size() < 2 || !ParseDigits(rest.substr(0, 2), 2, &month)) {
    return BadPeriod(text, "is not an ISO period");
  }
  if (month < 1 || month > 12) {
    return BadPeriod(text, "has a month outside 01..12");
  }
  if (rest.size() == 2)
    return Period{Frequency::kMonthly, year * 12 + month - 1};
  int day = 0;
  if (rest.size() != 5 || rest[2] != '-' ||
      !ParseDigits(rest.substr(3), 2, &day)) {
    return BadPeriod(text, "is not an ISO period");
  }
  absl::CivilDay civil(year, month, day);
  if (civil.day() != day || civil.month() != month) {
    return BadPeriod(text, "is not a calendar date");
  }
  return Period{Frequency::kDaily, static_cast<int32_t>(civil - kEpoch)};
}

std::string FormatPeriod(Period period) {
  const int i = period.index;
  if (period.frequency == Frequency::kMonthly && HasFourDigitYear(i)) {
    const int month = i % 12 + 1;
    char text[7];
    PutYear(i / 12, text);
    text[4] = '-';
    text[5] = static_cast<char>('0' + month / 10);
    text[6] = static_cast<char>('0' + month % 10);
    return std::string(text, sizeof(text));
  }
  std::string out;
  switch (period.frequency) {
    case Frequency::kDaily: {
      const absl::CivilDay d = kEpoch + i;
      AppendZeroPadded(d.year(), 4, &out);
      out += '-';
      AppendZeroPadded(d.month(), 2, &out);
      out += '-';
      AppendZeroPadded(d.day(), 2, &out);
      break;
    }
    case Frequency::kMonthly:
      AppendZeroPadded(FloorDiv(i, 12), 4, &out);
      out += '-';
      AppendZeroPadded(i - FloorDiv(i, 12) * 12 + 1, 2, &out);
      break;
    case Frequency::kQuarterly:
      AppendZeroPadded(FloorDiv(i, 4), 4, &out);
      out += "-Q";
      AppendZeroPadded(i - FloorDiv(i, 4) * 4 + 1, 1, &out);
      break;
    case Frequency::kAnnual:
      AppendZeroPadded(i, 4, &out);
      break;
    case Frequency::kUnspecified:
      break;
  }
  return out;
}

std::string DescribePeriod(Period period) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                            "May", "Jun", "Jul", "Aug",
                                            "Sep", "Oct", "Nov", "Dec"};
  const int i = period.index;
  std::string out;
  switch (period.frequency) {
    case Frequency::kDaily: {
      const absl::CivilDay d = kEpoch + i;
      AppendZeroPadded(d.day(), 1, &out);
      absl::StrAppend(&out, " ", kMonths[d.month() - 1], " ");
      AppendZeroPadded(d.year(), 4, &out);
      break;
    }
    case Frequency::kMonthly:
      if (HasFourDigitYear(i)) {  // "Mar 2024"
        char text[8];
        std::memcpy(text, kMonths[i % 12], 3);
        text[3] = ' ';
        PutYear(i / 12, text + 4);
        return std::string(text, sizeof(text));
      }
      absl::StrAppend(&out, kMonths[i - FloorDiv(i, 12) * 12], " ");
      AppendZeroPadded(FloorDiv(i, 12), 4, &out);
      break;
    case Frequency::kQuarterly:
      out += 'Q';
      AppendZeroPadded(i - FloorDiv(i, 4) * 4 + 1, 1, &out);
      out += ' ';
      AppendZeroPadded(FloorDiv(i, 4), 4, &out);
      break;
    case Frequency::kAnnual:
      AppendZeroPadded(i, 4, &out);
      break;
    case Frequency::kUnspecified:
      break;
  }
  return out;
}

absl::CivilDay FirstDay(Period period) {
  const int i = period.index;
  switch (period.frequency) {
    case Frequency::kDaily:
      return kEpoch + i;
    case Frequency::kMonthly:
      return absl::CivilDay(FloorDiv(i, 12), i - FloorDiv(i, 12) * 12 + 1, 1);
    case Frequency::kQuarterly:
      return absl::CivilDay(FloorDiv(i, 4), (i - FloorDiv(i, 4) * 4) * 3 + 1,
                            1);
    case Frequency::kAnnual:
      return absl::CivilDay(i, 1, 1);
    case Frequency::kUnspecified:
      break;
  }
  return kEpoch;
}

absl::CivilDay LastDay(Period period) {
  Period next = period;
  next.index += 1;
  if (period.frequency == Frequency::kUnspecified) return kEpoch;
  return FirstDay(next) - 1;
}

Period ConvertPeriod(Period period, Frequency frequency) {
  if (period.frequency == frequency) return period;
  const absl::CivilDay last = LastDay(period);
  switch (frequency) {
    case Frequency::kDaily:
      return Period{frequency, static_cast<int32_t>(last - kEpoch)};
    case Frequency::kMonthly:
      return Period{frequency,
                    static_cast<int32_t>(last.year() * 12 + last.month() - 1)};
    case Frequency::kQuarterly:
      return Period{frequency, static_cast<int32_t>(last.year() * 4 +
                                                    (last.month() - 1) / 3)};
    case Frequency::kAnnual:
      return Period{frequency, static_cast<int32_t>(last.year())};
    case Frequency::kUnspecified:
      break;
  }
  return period;
}

Period FirstDayAsPeriod(Period day, Frequency frequency) {
  if (day.frequency != Frequency::kDaily || frequency == Frequency::kDaily ||
      frequency == Frequency::kUnspecified) {
    return day;
  }
  Period converted = ConvertPeriod(day, frequency);
  return FirstDay(converted) == FirstDay(day) ? converted : day;
}

Period SamePeriodLastYear(Period period) {
  switch (period.frequency) {
    case Frequency::kDaily: {
      absl::CivilDay d = kEpoch + period.index;
      int day = d.day();
      if (d.month() == 2 && day == 29) day = 28;
      absl::CivilDay last_year(d.year() - 1, d.month(), day);
      return Period{period.frequency, static_cast<int32_t>(last_year - kEpoch)};
    }
    case Frequency::kMonthly:
      return Period{period.frequency, period.index - 12};
    case Frequency::kQuarterly:
      return Period{period.frequency, period.index - 4};
    case Frequency::kAnnual:
    case Frequency::kUnspecified:
      break;
  }
  return Period{period.frequency, period.index - 1};
}

Period YearStart(Period period, int first_month) {
  const absl::CivilDay first = FirstDay(period);
  const int year = first.month() >= first_month
                       ? static_cast<int>(first.year())
                       : static_cast<int>(first.year()) - 1;
  switch (period.frequency) {
    case Frequency::kDaily:
      return Period{
          period.frequency,
          static_cast<int32_t>(absl::CivilDay(year, first_month, 1) - kEpoch)};
    case Frequency::kMonthly:
      return Period{period.frequency, year * 12 + first_month - 1};
    case Frequency::kQuarterly:
      return Period{period.frequency, year * 4 + (first_month - 1) / 3};
    case Frequency::kAnnual:
    case Frequency::kUnspecified:
      break;
  }
  return period;
}

Period FinancialYearStart(Period period) { return YearStart(period, 4); }

absl::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kDaily:
      return "daily";
    case Frequency::kMonthly:
      return "monthly";
    case Frequency::kQuarterly:
      return "quarterly";
    case Frequency::kAnnual:
      return "annual";
    case Frequency::kUnspecified:
      break;
  }
  return "unspecified";
}

}  // namespace vigil
