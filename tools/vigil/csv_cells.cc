#include "csv_cells.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "absl/base/casts.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace vigil_tool {

std::string CsvText(const std::string& s) {
  std::string out;
  AppendCsvText(s, &out);
  return out;
}

std::string CsvNumber(double v, const char* missing) {
  std::string out;
  AppendCsvNumber(v, missing, &out);
  return out;
}

void AppendCsvText(absl::string_view text, std::string* out) {
  const bool formula =
      !text.empty() &&
      absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos;
  if (text.find_first_of(",\"\n\r") == absl::string_view::npos) {
    if (formula) out->push_back('\'');
    out->append(text.data(), text.size());
    return;
  }
  out->push_back('"');
  if (formula) out->push_back('\'');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

namespace {

// printf's %.17g of `v` into `out` (at least 32 chars), exactly, for the
// finite numbers 1e-5 <= |v| < 1e17 (what CSV cells hold); 0 for others.
// std::to_chars with a precision takes a general multi-precision path
// (Ryu printf) that was a quarter of `vigil spc`'s CPU time; here the 17
// digits come from one 128-bit product and shift, rounded half to even on
// the exact binary value as glibc's printf rounds.
size_t Format17g(double v, char* out) {
  const uint64_t bits = absl::bit_cast<uint64_t>(v);
  const int biased = static_cast<int>((bits >> 52) & 0x7FF);
  const double a = std::fabs(v);
  if (biased == 0 || biased == 0x7FF || !(a >= 1e-5) || !(a < 1e17)) return 0;
  __extension__ typedef unsigned __int128 u128;
  const u128 m = (bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52);
  const int e = biased - 1075;  // a = m * 2^e
  static constexpr uint64_t kTen[] = {1,
                                      10,
                                      100,
                                      1000,
                                      10000,
                                      100000,
                                      1000000,
                                      10000000,
                                      100000000,
                                      1000000000,
                                      10000000000,
                                      100000000000,
                                      1000000000000,
                                      10000000000000,
                                      100000000000000,
                                      1000000000000000,
                                      10000000000000000,
                                      100000000000000000,
                                      1000000000000000000,
                                      10000000000000000000u};
  const auto pow10 = [](int k) {  // 0 <= k <= 22
    return k <= 19 ? u128{kTen[k]} : u128{kTen[19]} * kTen[k - 19];
  };
  const u128 lo = kTen[16], hi = kTen[17];
  // The decimal exponent x: 10^x <= a < 10^(x+1); a * 10^(16 - x) then has
  // 17 digits before the point.
  // floor(log2(a) * log10(2)), which is x or x - 1; the loop settles it.
  int x = ((biased - 1023) * 78913) >> 18;
  u128 q = 0, rest = 0, half = 0;
  bool exact_half_known = false;
  for (int tries = 0; tries < 4; ++tries) {
    const int k = 16 - x;
    if (k < 0 || k > 22) return 0;
    u128 n = m * pow10(k);
    if (e >= 0) {
      q = n << e;
      rest = 0;
      half = 1;  // Never reached: no remainder.
    } else {
      const int shift = -e;
      if (shift >= 127) return 0;
      q = n >> shift;
      rest = n & ((u128{1} << shift) - 1);
      half = u128{1} << (shift - 1);
    }
    if (q >= hi) {
      ++x;
    } else if (q < lo) {
      --x;
    } else {
      exact_half_known = true;
      break;
    }
  }
  if (!exact_half_known) return 0;
  if (e < 0 && (rest > half || (rest == half && (q & 1) != 0))) ++q;
  if (q == hi) {
    q = lo;
    ++x;
  }
  char digits[17];
  uint64_t d = static_cast<uint64_t>(q);
  for (int i = 16; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + d % 10);
    d /= 10;
  }
  int used = 17;
  while (used > 1 && digits[used - 1] == '0') --used;  // %g drops them.
  char* p = out;
  if (v < 0) *p++ = '-';
  if (x < -4 || x >= 17) {
    *p++ = digits[0];
    if (used > 1) {
      *p++ = '.';
      for (int i = 1; i < used; ++i) *p++ = digits[i];
    }
    *p++ = 'e';
    *p++ = x < 0 ? '-' : '+';
    const int ax = x < 0 ? -x : x;
    if (ax >= 100) *p++ = static_cast<char>('0' + ax / 100);
    *p++ = static_cast<char>('0' + ax / 10 % 10);
    *p++ = static_cast<char>('0' + ax % 10);
  } else if (x >= 0) {
    for (int i = 0; i <= x; ++i) *p++ = digits[i];
    if (used > x + 1) {
      *p++ = '.';
      for (int i = x + 1; i < used; ++i) *p++ = digits[i];
    }
  } else {
    *p++ = '0';
    *p++ = '.';
    for (int i = 0; i < -x - 1; ++i) *p++ = '0';
    for (int i = 0; i < used; ++i) *p++ = digits[i];
  }
  return static_cast<size_t>(p - out);
}

}  // namespace

void AppendCsvNumber(double v, const char* missing, std::string* out) {
  if (std::isnan(v)) {
    out->append(missing);
    return;
  }
  char buffer[40];
  const size_t n = Format17g(v, buffer);
  if (n > 0) {
    out->append(buffer, n);
    return;
  }
  // Elsewhere std::to_chars with a precision: printf's %.17g too.
  const std::to_chars_result r = std::to_chars(
      buffer, buffer + sizeof(buffer), v, std::chars_format::general, 17);
  out->append(buffer, r.ptr);
}

bool IsMissingNumber(absl::string_view field) {
  const absl::string_view f = absl::StripAsciiWhitespace(field);
  return f.empty() || absl::EqualsIgnoreCase(f, "NA") ||
         absl::EqualsIgnoreCase(f, "NaN");
}

}  // namespace vigil_tool
