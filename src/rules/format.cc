#include "src/rules/format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace vigil {
namespace {

// `value` as printf would print it with `format` and `precision` (C
// locale), without parsing a format string: std::to_chars is exact.
std::string Printed(double value, std::chars_format format, int precision) {
  char buffer[400];  // Room for any double in fixed notation.
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value, format, precision);
  return std::string(buffer, r.ec == std::errc() ? r.ptr : buffer);
}

// Fixed notation with `decimals`, trailing zeros removed ("95.0" -> "95").
std::string Trimmed(double value, int decimals) {
  std::string s = Printed(value, std::chars_format::fixed, decimals);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// "100000" -> "100,000".
std::string WithThousands(double whole) {
  std::string digits = Printed(std::fabs(whole), std::chars_format::fixed, 0);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return whole < 0 ? "-" + out : out;
}

// Trimmed, with the whole part grouped in thousands ("10832.1" ->
// "10,832.1"), so that every number of a reason reads one way.
std::string TrimmedWithThousands(double value, int decimals) {
  std::string s = Trimmed(value, decimals);
  if (!std::isfinite(value)) return s;
  const size_t start = s[0] == '-' ? 1 : 0;
  size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (size_t at = end; at > start + 3; at -= 3) s.insert(at - 3, ",");
  return s;
}

std::string Number(double value, const v1::Indicator& indicator) {
  switch (indicator.unit()) {
    case v1::UNIT_PERCENTAGE:
      return Trimmed(value, 1);
    case v1::UNIT_COUNT:
      return std::fabs(value - std::round(value)) < 1e-9 &&
                     std::fabs(value) < 1e15
                 ? WithThousands(std::round(value))
                 : TrimmedWithThousands(value, 1);
    case v1::UNIT_RATE:
      return TrimmedWithThousands(value, 2);
    case v1::UNIT_RATIO:
      return Trimmed(value, 3);
    default:
      return Printed(value, std::chars_format::general, 6);
  }
}

}  // namespace

std::string FormatValue(double value, const v1::Indicator& indicator) {
  std::string n = Number(value, indicator);
  switch (indicator.unit()) {
    case v1::UNIT_PERCENTAGE:
      return n + "%";
    case v1::UNIT_RATE:
      return absl::StrCat(n, " per ",
                          WithThousands(indicator.rate_multiplier()));
    default:
      return n;
  }
}

std::string FormatDifference(double difference,
                             const v1::Indicator& indicator) {
  std::string n = Number(difference, indicator);
  if (indicator.unit() == v1::UNIT_PERCENTAGE) {
    return absl::StrCat(n, n == "1" ? " point" : " points");
  }
  return n;
}

std::string FormatMoney(double amount) {
  static constexpr char kPound[] = "\xC2\xA3";  // U+00A3 in UTF-8.
  if (!std::isfinite(amount)) {
    return absl::StrCat(kPound, Printed(amount, std::chars_format::general, 6));
  }
  const double pence = std::round(std::fabs(amount) * 100);
  const char* sign = amount < 0 && pence > 0 ? "-" : "";
  if (pence >= 1e17) {  // Beyond exact pence: whole pounds.
    return absl::StrCat(sign, kPound,
                        WithThousands(std::round(std::fabs(amount))));
  }
  const int64_t whole = static_cast<int64_t>(pence);
  std::string out = absl::StrCat(
      sign, kPound, WithThousands(static_cast<double>(whole / 100)));
  if (const int64_t part = whole % 100; part != 0) {
    absl::StrAppend(&out, part < 10 ? ".0" : ".", part);
  }
  return out;
}

std::string PeriodCount(int count, Frequency frequency) {
  const char* unit = "period";
  switch (frequency) {
    case Frequency::kDaily:
      unit = "day";
      break;
    case Frequency::kMonthly:
      unit = "month";
      break;
    case Frequency::kQuarterly:
      unit = "quarter";
      break;
    case Frequency::kAnnual:
      unit = "year";
      break;
    case Frequency::kUnspecified:
      break;
  }
  return absl::StrCat(count, " ", unit, count == 1 ? "" : "s");
}

int RatingSeverityRank(v1::Rating rating) {
  switch (rating) {
    case v1::RATING_RED:
      return 4;
    case v1::RATING_AMBER:
      return 3;
    case v1::RATING_NO_DATA:
      return 2;
    case v1::RATING_GREEN:
      return 1;
    default:
      return 0;
  }
}

}  // namespace vigil
