#include "src/report/json_text.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <system_error>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/numeric/bits.h"
#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace vigil {
namespace internal {
namespace json {
namespace {

// ---------------------------------------------------------------------------
// Numbers.

// `digits` (no sign, no point) times 10^exponent, the first digit's place
// being 10^exponent, laid out as printf's %g does with precision
// `precision` once trailing zeros are gone (there are none in `digits`
// but for the single "0").
void AppendGeneral(absl::string_view digits, int exponent, int precision,
                   Output* out) {
  const int n = static_cast<int>(digits.size());
  if (exponent < -4 || exponent >= precision) {
    out->Put(digits[0]);
    if (n > 1) {
      out->Put('.');
      out->Put(digits.data() + 1, n - 1);
    }
    char buffer[8];
    int e = exponent < 0 ? -exponent : exponent;
    char* p = buffer + sizeof(buffer);
    do {
      *--p = static_cast<char>('0' + e % 10);
      e /= 10;
    } while (e > 0);
    if (buffer + sizeof(buffer) - p < 2) *--p = '0';
    out->Put('e');
    out->Put(exponent < 0 ? '-' : '+');
    out->Put(p, buffer + sizeof(buffer) - p);
  } else if (exponent >= 0) {
    if (n <= exponent + 1) {
      out->Put(digits.data(), n);
      out->PutRepeated(exponent + 1 - n, '0');
    } else {
      out->Put(digits.data(), exponent + 1);
      out->Put('.');
      out->Put(digits.data() + exponent + 1, n - exponent - 1);
    }
  } else {
    out->Put("0.");
    out->PutRepeated(-exponent - 1, '0');
    out->Put(digits.data(), n);
  }
}

// Splits to_chars' shortest scientific text ("-8.12e+01") into its sign,
// digits ("812") and exponent (1), the digits into `digits`.
bool SplitScientific(const char* begin, const char* end, bool* negative,
                     char* digits, int* n, int* exponent) {
  const char* p = begin;
  *negative = *p == '-';
  if (*negative) ++p;
  *n = 0;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') digits[(*n)++] = *p;
  }
  if (p == end) return false;
  ++p;  // 'e'
  const bool negative_exponent = *p == '-';
  ++p;  // The exponent's sign: to_chars always writes one.
  int e = 0;
  for (; p < end; ++p) e = e * 10 + (*p - '0');
  *exponent = negative_exponent ? -e : e;
  return true;
}

// printf("%.*g", precision, value) of a finite value, via to_chars (exact
// and locale-free: the decimal point is always '.').
template <typename T>
void AppendPrecision(T value, int precision, Output* out) {
  char buffer[64];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value,
                    std::chars_format::general, precision);
  out->Put(buffer, r.ptr);
}

// The digits of printf("%.17g", value) for a double whose shortest text has
// 16 digits, the first at 10^exponent (from that text), computed exactly:
// |value| = m * 2^q, so |value| * 10^k = m * 5^k * 2^(q + k), which for
// k = 16 - exponent in [0, 27] is a 128-bit integer shifted, rounded half
// to even as printf rounds. The digits (trailing zeros dropped) go to
// `digits` and `*n` (the first digit's place stays `exponent`); false
// (nothing written) for magnitudes outside that range.
bool SeventeenDigits(double value, int exponent, char* digits, int* n) {
  const int k = 16 - exponent;
  if (k < 0 || k > 27) return false;
  int binary_exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &binary_exponent);
  const uint64_t m = static_cast<uint64_t>(std::ldexp(fraction, 53));
  static const std::array<uint64_t, 28> kPowersOfFive = [] {
    std::array<uint64_t, 28> powers{};
    uint64_t power = 1;
    for (uint64_t& p : powers) {
      p = power;
      power *= 5;  // 5^27 < 2^63.
    }
    return powers;
  }();
  const absl::uint128 scaled =
      absl::uint128(kPowersOfFive[k]) * m;  // Below 2^116.
  const int shift = binary_exponent - 53 + k;
  absl::uint128 units;
  if (shift >= 0) {
    if (shift > 10) return false;  // Cannot happen for 16-digit values.
    units = scaled << shift;
  } else {
    const int s = -shift;
    if (s >= 127) return false;
    units = scaled >> s;
    const absl::uint128 rest = scaled & ((absl::uint128(1) << s) - 1);
    const absl::uint128 half = absl::uint128(1) << (s - 1);
    if (rest > half || (rest == half && (units & 1) != 0)) ++units;
  }
  constexpr uint64_t kLow = 10000000000000000;    // 10^16
  constexpr uint64_t kHigh = 100000000000000000;  // 10^17
  // Never outside: a value that rounds up to 10^17 reads back from "1e..."
  // and so has a 1-digit shortest text. Left to printf if it were.
  if (units < kLow || units >= kHigh) return false;
  uint64_t u = absl::Uint128Low64(units);
  int count = 17;
  for (int i = 16; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
  while (count > 1 && digits[count - 1] == '0') --count;
  *n = count;
  return true;
}

// SimpleDtoa/SimpleFtoa for a subnormal, where `short` digits need not
// round-trip (fewer bits than digits): as protobuf does it, printing
// %.{short}g and reading it back.
template <typename T>
void AppendSubnormal(T value, int short_digits, int long_digits, Output* out) {
  char buffer[64];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value,
                    std::chars_format::general, short_digits);
  T back = 0;
  std::from_chars(buffer, r.ptr, back);
  if (back == value) {
    out->Put(buffer, r.ptr);
  } else {
    AppendPrecision(value, long_digits, out);
  }
}

// AppendShortOrLong's digits from to_chars on: normal values that are not
// whole numbers of up to 15 digits.
template <typename T>
void AppendShortOrLongDigits(T value, int short_digits, int long_digits,
                             Output* out) {
  char buffer[64];
  const std::to_chars_result r = std::to_chars(
      buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  bool negative = false;
  char digits[32];
  int n = 0, exponent = 0;
  if (r.ec == std::errc() &&
      SplitScientific(buffer, r.ptr, &negative, digits, &n, &exponent) &&
      (n <= short_digits || n == long_digits)) {
    if (negative) out->Put('-');
    AppendGeneral(absl::string_view(digits, n), exponent,
                  n <= short_digits ? short_digits : long_digits, out);
    return;
  }
  if constexpr (std::is_same_v<T, double>) {
    // The shortest text has 16 digits: %.17g's digits computed exactly.
    if (r.ec == std::errc() && n == 16 && long_digits == 17 &&
        SeventeenDigits(value, exponent, digits, &n)) {
      if (negative) out->Put('-');
      AppendGeneral(absl::string_view(digits, n), exponent, long_digits, out);
      return;
    }
  }
  AppendPrecision(value, long_digits, out);
}

// The texts of the doubles written last on this thread, by their bits. A
// report writes one value several times (an assessment's value, its
// evidence, other rules' assessments of the same point): 56% of England's
// decimal values are found here, each saving the shortest-digits search.
// 1,024 slots of 32 bytes; a text longer than a slot's is not kept.
struct RecentDouble {
  uint64_t bits;
  uint8_t size;  // 0: empty.
  char text[23];
};
thread_local std::array<RecentDouble, 1024> recent_doubles;

}  // namespace

// SimpleDtoa/SimpleFtoa (normal numbers): %.{short}g when that reads back as
// `value`, else %.{long}g. When the shortest round-trip text has at most
// `short` digits, %.{short}g has the same digits (the value rounded to
// `short` digits is that text, as every `short`-digit decimal in the normal
// range reads back as a distinct value: DBL_DIG, FLT_DIG), so it is laid
// out from them without printf; otherwise no `short`-digit text reads back
// and the %.{long}g text is printed. When the shortest text has `long`
// digits (about half of all doubles), those are %.{long}g's digits too: of
// the `long`-digit decimals that read back, to_chars gives the one nearest
// the value (ties to even, as printf), which is the value rounded to `long`
// digits. A double whose shortest text has 16 digits gets %.17g's digits
// from SeventeenDigits' exact integer arithmetic when its magnitude is
// between 1e-11 and 1e17 (all a report's usual values); only the rest
// needs printf's digits.
template <typename T>
void AppendShortOrLong(T value, int short_digits, int long_digits,
                       Output* out) {
  if (std::fabs(value) < std::numeric_limits<T>::min() && value != 0) {
    AppendSubnormal(value, short_digits, long_digits, out);
    return;
  }
  if constexpr (std::is_same_v<T, double>) {
    // A whole number of at most 15 digits (standards, thresholds, counts):
    // %.15g prints its digits, no exponent ("-0" for minus zero).
    if (short_digits == 15 && std::fabs(value) < 1e15 &&
        value == std::trunc(value)) {
      if (value == 0 && std::signbit(value)) out->Put('-');
      AppendInt(static_cast<int64_t>(value), out);
      return;
    }
    if (short_digits == 15 && long_digits == 17) {
      uint64_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      RecentDouble& slot = recent_doubles[(bits * 0x9E3779B97F4A7C15ULL) >> 54];
      if (slot.size != 0 && slot.bits == bits) {
        out->Put(slot.text, slot.size);
        return;
      }
      const size_t start = out->size();
      AppendShortOrLongDigits(value, short_digits, long_digits, out);
      const size_t size = out->size() - start;
      if (size <= sizeof(slot.text)) {
        slot.bits = bits;
        slot.size = static_cast<uint8_t>(size);
        std::memcpy(slot.text, out->data() + start, size);
      }
      return;
    }
  }
  AppendShortOrLongDigits(value, short_digits, long_digits, out);
}

template void AppendShortOrLong<double>(double value, int short_digits,
                                        int long_digits, Output* out);

void WriteFloat(float value, Output* out) {
  // Exactly protobuf's SimpleFtoa (no float field is on a hot path): its
  // check reads the text back with strtof and takes a range error
  // (glibc's for a subnormal result) as a failure.
  char buffer[64];
  const std::to_chars_result r = std::to_chars(
      buffer, buffer + sizeof(buffer) - 1, value, std::chars_format::general,
      std::numeric_limits<float>::digits10);
  *r.ptr = '\0';
  errno = 0;
  char* end = nullptr;
  const float back = strtof(buffer, &end);
  if (end == r.ptr && errno == 0 && back == value) {
    out->Put(buffer, r.ptr);
  } else {
    AppendPrecision(value, std::numeric_limits<float>::digits10 + 3, out);
  }
}

// ---------------------------------------------------------------------------
// Strings (json_escaping.cc).

namespace {

// Bytes that end a run copied as it is: ASCII needing an escape, and every
// byte of a multi-byte sequence (decoded to decide).
struct ByteClasses {
  bool special[256];
  ByteClasses() {
    for (int c = 0; c < 256; ++c) {
      special[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' ||
                   c == '>';
    }
  }
};
const ByteClasses kByteClasses;

const char kHex[] = "0123456789abcdef";

void AppendU16(uint32_t unit, Output* out) {
  char buffer[6] = {'\\',
                    'u',
                    kHex[(unit >> 12) & 0xf],
                    kHex[(unit >> 8) & 0xf],
                    kHex[(unit >> 4) & 0xf],
                    kHex[unit & 0xf]};
  out->Put(buffer, 6);
}

// Code points below U+00A0 as protobuf escapes them; false when copied.
bool AppendLowEscape(uint32_t cp, Output* out) {
  switch (cp) {
    case '\b':
      out->Put("\\b");
      return true;
    case '\t':
      out->Put("\\t");
      return true;
    case '\n':
      out->Put("\\n");
      return true;
    case '\f':
      out->Put("\\f");
      return true;
    case '\r':
      out->Put("\\r");
      return true;
    case '"':
      out->Put("\\\"");
      return true;
    case '\\':
      out->Put("\\\\");
      return true;
    default:
      break;
  }
  if (cp < 0x20 || cp == '<' || cp == '>' || cp >= 0x7f) {
    AppendU16(cp, out);
    return true;
  }
  return false;
}

// EscapeCodePoint of json_escaping.cc for code points from U+00A0: escaped
// (appended, true) or to be copied (false).
bool AppendHighEscape(uint32_t cp, Output* out) {
  if (cp == 0xfeff || cp == 0xfff9 || cp == 0xfffa || cp == 0xfffb ||
      cp == 0x00ad || cp == 0x06dd || cp == 0x070f || cp == 0x17b4 ||
      cp == 0x17b5 || (cp >= 0x0600 && cp <= 0x0603) ||
      (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
      (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f)) {
    AppendU16(cp, out);
    return true;
  }
  if (cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
      (cp >= 0xe0020 && cp <= 0xe007f)) {
    const uint32_t v = cp - 0x10000;
    AppendU16(0xd800 + (v >> 10), out);
    AppendU16(0xdc00 + (v & 0x3ff), out);
    return true;
  }
  return false;
}

// Decodes the sequence starting at text[i] (a byte >= 0x80) as
// json_escaping.cc's ReadCodePoint does, and appends what protobuf writes
// for it: the bytes as they are, an escape, or nothing (not UTF-8).
// Returns the number of bytes consumed.
size_t AppendMultiByte(absl::string_view text, size_t i, Output* out) {
  uint32_t cp = static_cast<uint8_t>(text[i]);
  int left;
  if (cp <= 0xbf || cp >= 0xf8) return 1;  // Not a first byte: dropped.
  if (cp <= 0xdf) {
    cp &= 0x1f;
    left = 1;
  } else if (cp <= 0xef) {
    cp &= 0x0f;
    left = 2;
  } else {
    cp &= 0x07;
    left = 3;
  }
  size_t j = i + 1;
  while (left > 0 && j < text.size()) {
    const uint32_t c = static_cast<uint8_t>(text[j++]);
    --left;
    cp = (cp << 6) | (c & 0x3f);
    if (c < 0x80 || c > 0xbf) return j - i;  // Dropped, bad byte too.
  }
  if (left > 0) return j - i;  // Cut short: dropped.
  if ((cp & 0xfffff800) == 0xd800 || cp > 0x10ffff) return j - i;
  const bool escaped =
      cp < 0xa0 ? AppendLowEscape(cp, out) : AppendHighEscape(cp, out);
  if (!escaped) out->Put(text.data() + i, j - i);
  return j - i;
}

// Whether any of the 8 bytes at `p` is special (kByteClasses), tested all
// at once: a byte below 0x20 or with its high bit set, or equal to '"',
// '\\', '<', '>' or DEL. (v - ones) & ~v & highs is non-zero exactly when
// some byte of v is zero (borrows start only at a zero byte), and with
// 0x20 in place of 1 when some byte is below 0x20.
bool HasSpecialByte(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  uint64_t x;
  memcpy(&x, p, sizeof(x));
  const auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  return ((x & kHighs) | ((x - kOnes * 0x20) & ~x & kHighs) |
          has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\')) |
          has_zero(x ^ (kOnes * '<')) | has_zero(x ^ (kOnes * '>')) |
          has_zero(x ^ (kOnes * 0x7f))) != 0;
}

}  // namespace

#if defined(__SSE2__)
// The offset of the first special byte (kByteClasses) among the 16 at `p`,
// or 16: one signed compare finds the bytes below 0x20 and those with the
// high bit set (negative), equality the rest.
int FirstSpecialOf16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i special = _mm_or_si128(
      _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))),
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('>')))));
  const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
  return mask == 0 ? 16 : absl::countr_zero(mask);
}
#endif

void WriteEscaped(absl::string_view text, Output* out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    size_t run = i;
#if defined(__SSE2__)
    while (run + 16 <= n) {
      const int first = FirstSpecialOf16(text.data() + run);
      run += static_cast<size_t>(first);
      if (first < 16) break;
    }
#endif
    while (run + 8 <= n && !HasSpecialByte(text.data() + run)) run += 8;
    while (run < n && !kByteClasses.special[static_cast<uint8_t>(text[run])]) {
      ++run;
    }
    out->Put(text.data() + i, run - i);
    i = run;
    if (i == n) break;
    const uint8_t c = static_cast<uint8_t>(text[i]);
    if (c < 0x80) {
      AppendLowEscape(c, out);
      ++i;
    } else {
      i += AppendMultiByte(text, i, out);
    }
  }
}

}  // namespace json
}  // namespace internal
}  // namespace vigil
