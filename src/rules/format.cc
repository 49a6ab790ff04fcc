#include "src/rules/format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace vigil {

char* PrintFixedShort(double value, int decimals, char* out) {
  static constexpr uint64_t kPowersOfFive[] = {1, 5, 25, 125};
  static constexpr uint64_t kPowersOfTen[] = {1, 10, 100, 1000};
  // NaN fails the comparison too.
  if (decimals < 0 || decimals > 3 || !(std::fabs(value) < 1e15)) {
    return nullptr;
  }
  // |value| = m * 2^e exactly, m < 2^53; times 10^decimals it is
  // m * 5^decimals * 2^(e + decimals), with m * 5^decimals < 2^60.
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent);
  const uint64_t m = static_cast<uint64_t>(std::ldexp(fraction, 53));
  const uint64_t scaled = m * kPowersOfFive[decimals];
  const int shift = exponent - 53 + decimals;
  uint64_t units;  // |value| * 10^decimals rounded half to even.
  if (shift >= 0) {
    units = scaled << shift;  // Below 10^18: no bit lost.
  } else if (shift <= -61) {
    units = 0;  // Below 2^60 / 2^61: under one half.
  } else {
    const int s = -shift;
    units = scaled >> s;
    const uint64_t rest = scaled & ((uint64_t{1} << s) - 1);
    const uint64_t half = uint64_t{1} << (s - 1);
    if (rest > half || (rest == half && (units & 1) != 0)) ++units;
  }
  if (std::signbit(value)) *out++ = '-';  // "-0.00" as to_chars prints.
  const uint64_t whole = units / kPowersOfTen[decimals];
  out = std::to_chars(out, out + 20, whole).ptr;
  if (decimals > 0) {
    *out++ = '.';
    uint64_t part = units % kPowersOfTen[decimals];
    for (int i = decimals - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + part % 10);
      part /= 10;
    }
    out += decimals;
  }
  return out;
}

namespace {

// `value` as printf would print it with `format` and `precision` (C
// locale), without parsing a format string: std::to_chars is exact.
std::string Printed(double value, std::chars_format format, int precision) {
  char buffer[400];  // Room for any double in fixed notation.
  if (format == std::chars_format::fixed) {
    if (char* end = PrintFixedShort(value, precision, buffer)) {
      return std::string(buffer, end);
    }
  }
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
