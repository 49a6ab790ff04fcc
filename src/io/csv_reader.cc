#include "vigil/csv_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/numeric/bits.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace vigil {

CsvReader::CsvReader(absl::string_view text) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

CsvReader::CsvReader(absl::string_view text, int64_t first_line)
    : text_(text), line_(first_line) {}

bool CsvReader::SkipBlankLines() {
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  return pos_ < text_.size();
}

namespace {

// The bytes that end a plain field, or make a record not plain.
constexpr std::array<bool, 256> PlainStops() {
  std::array<bool, 256> stops{};
  stops[','] = stops['\n'] = stops['\r'] = stops['"'] = true;
  return stops;
}
constexpr std::array<bool, 256> kPlainStop = PlainStops();

}  // namespace

void CsvReader::ScanStops() {
  const char* const text = text_.data();
  const size_t end = std::min(text_.size(), scanned_to_ + kScanBytes);
  if (stops_.size() < kScanBytes) stops_.resize(kScanBytes);
  size_t* const out = stops_.data();
  size_t n = 0;
  size_t i = scanned_to_;
#if defined(__SSE2__)
  // 64 bytes at a time: one 64-bit mask of the stop bytes, whose set bits
  // are the offsets (the loop over them ends once per 64 bytes, not once
  // per field as a byte loop's would).
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage_return = _mm_set1_epi8('\r');
  const __m128i quote = _mm_set1_epi8('"');
  const auto stop_mask = [&](size_t at) -> uint64_t {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
    const __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline)),
        _mm_or_si128(_mm_cmpeq_epi8(v, carriage_return),
                     _mm_cmpeq_epi8(v, quote)));
    return static_cast<uint32_t>(_mm_movemask_epi8(m));
  };
  for (; i + 64 <= end; i += 64) {
    uint64_t bits = stop_mask(i) | stop_mask(i + 16) << 16 |
                    stop_mask(i + 32) << 32 | stop_mask(i + 48) << 48;
    while (bits != 0) {
      out[n++] = i + static_cast<size_t>(absl::countr_zero(bits));
      bits &= bits - 1;
    }
  }
#endif
  for (; i < end; ++i) {
    if (kPlainStop[static_cast<unsigned char>(text[i])]) out[n++] = i;
  }
  scanned_to_ = end;
  next_stop_ = 0;
  stop_count_ = n;
}

CsvReader::Plain CsvReader::NextPlain(std::vector<absl::string_view>* fields,
                                      int64_t* line) {
  if (!SkipBlankLines()) {
    fields->clear();
    return Plain::kEnd;
  }
  if (scanned_to_ < pos_) {
    // Next read past the look-ahead: scan again from here.
    scanned_to_ = pos_;
    next_stop_ = stop_count_ = 0;
  }
  const char* const text = text_.data();
  const size_t size = text_.size();
  // A record that opens with a quote (every record, in files that quote
  // every field) is Next's at once, the look-ahead untouched.
  if (text[pos_] == '"') return Plain::kQuoted;
  size_t used = 0;
  size_t start = pos_;
  size_t i;
  // The index in stops_ of the record's first stop met since the window
  // was last filled.
  size_t record_stop = SIZE_MAX;
  // The look-ahead and the fields in locals: stores into the fields would
  // otherwise make the compiler reload the members after each one.
  size_t next = next_stop_;
  size_t count = stop_count_;
  const size_t* stops = stops_.data();
  absl::string_view* out = fields->data();
  size_t room = fields->size();
  for (;;) {
    char c;
    if (next < count) {
      i = stops[next++];
      // A stop before the record (a blank line's, the '\n' of a "\r\n", a
      // record Next read).
      if (i < start) continue;
      if (record_stop == SIZE_MAX) record_stop = next - 1;
      c = text[i];
    } else if (scanned_to_ < size) {
      ScanStops();
      next = next_stop_;
      count = stop_count_;
      stops = stops_.data();
      record_stop = SIZE_MAX;
      continue;
    } else {
      i = size;
      c = '\n';
    }
    if (c == '"') {
      // Left for Next, which starts again at pos_: the look-ahead goes back
      // to the record's first stop in the window (Next reads past the
      // quote, and the stops it read are then skipped), so that a second
      // NextPlain without Next meets the quote again.
      next_stop_ = record_stop;
      return Plain::kQuoted;
    }
    if (used == room) {
      fields->emplace_back();
      out = fields->data();
      room = fields->size();
    }
    out[used++] = absl::string_view(text + start, i - start);
    start = i + 1;
    if (c != ',') break;
  }
  next_stop_ = next;
  fields->resize(used);
  *line = line_;
  if (i < size) {
    // As Next: "\r\n" is one line end, and a lone '\r' ends a line too.
    pos_ = (text[i] == '\r' && i + 1 < size && text[i + 1] == '\n') ? i + 2
                                                                    : i + 1;
    ++line_;
  } else {
    pos_ = size;
  }
  return Plain::kRecord;
}

bool CsvReader::Next(std::vector<std::string>* fields, int64_t* line,
                     std::string* error) {
  error->clear();
  if (!SkipBlankLines()) {
    fields->clear();
    return false;
  }
  *line = line_;
  const size_t record_start = pos_;
  // The strings of `fields` are reused from record to record: no string
  // is freed and allocated again per field.
  size_t used = 0;
  const auto next_field = [fields, &used]() {
    if (used == fields->size()) fields->emplace_back();
    std::string* f = &(*fields)[used++];
    f->clear();
    return f;
  };
  std::string* field = next_field();
  bool quoted = false;
  bool after_quote = false;
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (quoted) {
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          *field += '"';
          ++pos_;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line_;
        *field += c;
        if (line_ - *line > kMaxQuotedLines ||
            field->size() > kMaxQuotedBytes) {
          return Resync(record_start, *line, fields, error,
                        "a quoted field runs on for more than " +
                            std::to_string(kMaxQuotedLines) + " lines or " +
                            std::to_string(kMaxQuotedBytes) +
                            " bytes: probably a stray quote");
        }
      }
      continue;
    }
    if (c == ',') {
      field = next_field();
      after_quote = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      fields->resize(used);
      return true;
    } else if (c == '"' && field->empty() && !after_quote) {
      quoted = true;
    } else if (after_quote) {
      if (error->empty()) *error = "text after a closing quote";
    } else {
      // A plain field: the rest of it up to the next comma or line end at
      // once (a quote inside it is text).
      size_t end = pos_;
      while (end < text_.size() && text_[end] != ',' && text_[end] != '\n' &&
             text_[end] != '\r') {
        ++end;
      }
      field->append(text_.data() + pos_ - 1, end - pos_ + 1);
      pos_ = end;
    }
  }
  if (quoted && line_ > *line) {
    return Resync(record_start, *line, fields, error,
                  "a quote opened on this line is not closed before the end "
                  "of the file: probably a stray quote");
  }
  if (quoted) {
    *error = "a quoted field is not closed before the end of the file";
  }
  fields->resize(used);
  return true;
}

bool CsvReader::Resync(size_t record_start, int64_t start_line,
                       std::vector<std::string>* fields, std::string* error,
                       const std::string& why) {
  fields->clear();
  *error = why;
  const size_t end = text_.find('\n', record_start);
  pos_ = end == absl::string_view::npos ? text_.size() : end + 1;
  line_ = start_line + 1;
  return true;
}

namespace {

// The common number, [+-]digits[.digits] with at most 15 digits, read
// exactly: the digits as an integer below 2^53 and one division by a power
// of ten up to 10^15 (both exact doubles) round once, correctly, as
// std::from_chars does. False (nothing read) for any other text.
bool ParseShortDecimal(absl::string_view t, double* value) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
                                            1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15};
  size_t i = 0;
  const size_t n = t.size();
  const bool negative = n > 0 && t[0] == '-';
  if (n > 0 && (t[0] == '-' || t[0] == '+')) ++i;
  uint64_t mantissa = 0;
  // The whole part's digits, then the fraction's: no test of a point per
  // digit.
  const size_t whole_begin = i;
  for (; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(t[i]) - unsigned{'0'};
    if (d > 9) break;
    mantissa = mantissa * 10 + d;
  }
  int digits = static_cast<int>(i - whole_begin);
  int fraction = 0;
  if (i < n && t[i] == '.') {
    const size_t fraction_begin = ++i;
    for (; i < n; ++i) {
      const unsigned d = static_cast<unsigned char>(t[i]) - unsigned{'0'};
      if (d > 9) break;
      mantissa = mantissa * 10 + d;
    }
    fraction = static_cast<int>(i - fraction_begin);
    digits += fraction;
  }
  // Anything after the digits, or more than 15 of them (the mantissa may
  // then have wrapped: it is not used).
  if (i != n || digits > 15) return false;
  if (digits == 0) return false;
  // Whole numbers (most counts, numerators and denominators) skip the
  // division's latency.
  const double magnitude =
      fraction == 0 ? static_cast<double>(mantissa)
                    : static_cast<double>(mantissa) / kPowersOfTen[fraction];
  *value = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace

bool ParseDecimal(absl::string_view text, double* value) {
  // Fields come trimmed from the data readers: no strip when the ends are
  // not blank.
  const absl::string_view t = !text.empty() &&
                                      !absl::ascii_isspace(text.front()) &&
                                      !absl::ascii_isspace(text.back())
                                  ? text
                                  : absl::StripAsciiWhitespace(text);
  if (ParseShortDecimal(t, value)) return true;
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < t.size() && absl::ascii_isdigit(t[i])) ++i;
    return i - start;
  };
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  const absl::string_view word = t.substr(i);
  if (absl::EqualsIgnoreCase(word, "inf") ||
      absl::EqualsIgnoreCase(word, "infinity") ||
      absl::EqualsIgnoreCase(word, "nan")) {
    return absl::SimpleAtod(t, value);
  }
  size_t mantissa = digits();
  if (i < t.size() && t[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != t.size()) return false;
  // std::from_chars (no sign '+', no locale, correctly rounded as
  // absl::SimpleAtod is) reads most numbers faster; what it leaves (out of
  // range, or a form it does not take) goes to SimpleAtod as before.
  const char* first = t.data() + (t[0] == '+' ? 1 : 0);
  const char* last = t.data() + t.size();
  const std::from_chars_result r = std::from_chars(first, last, *value);
  if (r.ec == std::errc() && r.ptr == last) return true;
  return absl::SimpleAtod(t, value);
}

}  // namespace vigil
