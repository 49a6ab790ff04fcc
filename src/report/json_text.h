// The JSON text primitives of the report JSON writer (json_writer.h): the
// output buffer, numbers as protobuf 3.21's printer writes them and string
// escaping as its json_escaping.cc does. Private to src/report/.
#ifndef VIGIL_SRC_REPORT_JSON_TEXT_H_
#define VIGIL_SRC_REPORT_JSON_TEXT_H_

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace vigil {
namespace internal {
namespace json {

// The output: `out` grown ahead of need (resize, not append per piece) and
// written through a pointer, then trimmed by Finish. Appending to a
// std::string piece by piece costs a capacity check and a call each.
class Output {
 public:
  explicit Output(std::string* out) : out_(out), pos_(out->size()) {}
  // Writes from `pos` on, over what `out` holds there (pre-sized).
  Output(std::string* out, size_t pos) : out_(out), pos_(pos) {}

  size_t size() const { return pos_; }
  const char* data() const { return out_->data(); }
  // Forgets everything written (a streamed chunk once written out).
  void Clear() { pos_ = 0; }
  // Forgets what was written after `pos`.
  void Truncate(size_t pos) { pos_ = pos; }
  // Trims `out` to what was written.
  void Finish() { out_->resize(pos_); }

  // Makes room for `n` more bytes without touching them (one allocation
  // instead of doublings and copies).
  void Reserve(size_t n) {
    if (pos_ + n > out_->capacity()) out_->reserve(pos_ + n);
  }

  void Put(char c) {
    *Room(1) = c;
    ++pos_;
  }
  void Put(const char* data, size_t n) {
    char* to = Room(n);
    if (n <= 16) {
      CopySmall(data, n, to);
    } else {
      memcpy(to, data, n);
    }
    pos_ += n;
  }
  void Put(const char* begin, const char* end) {
    Put(begin, static_cast<size_t>(end - begin));
  }
  void Put(absl::string_view text) { Put(text.data(), text.size()); }
  void PutRepeated(size_t n, char c) {
    memset(Room(n), c, n);
    pos_ += n;
  }

 private:
  char* Room(size_t n) {
    if (out_->size() - pos_ < n) Grow(n);
    return &(*out_)[pos_];
  }

  // Grows by 64 KB steps within the capacity (resize zero-fills what it
  // adds, touching its pages: only about what is written is touched), and
  // doubles the capacity past it.
  void Grow(size_t n) {
    const size_t wanted = pos_ + n + 65536;
    if (wanted > out_->capacity()) {
      out_->reserve(std::max(wanted, 2 * out_->capacity()));
    }
    out_->resize(wanted);
  }

  // Most pieces are short (keys, numbers, indentation): two overlapping
  // fixed-size copies instead of a call to memcpy.
  static void CopySmall(const char* from, size_t n, char* to) {
    if (n >= 8) {
      memcpy(to, from, 8);
      memcpy(to + n - 8, from + n - 8, 8);
    } else if (n >= 4) {
      memcpy(to, from, 4);
      memcpy(to + n - 4, from + n - 4, 4);
    } else {
      for (size_t i = 0; i < n; ++i) to[i] = from[i];
    }
  }

  std::string* out_;
  size_t pos_;
};

// "\n" and `depth` spaces: the start of a member or array element.
inline void AppendIndent(int depth, Output* out) {
  static const char kNewlineAndSpaces[] =
      "\n                                                               ";
  if (depth < static_cast<int>(sizeof(kNewlineAndSpaces)) - 1) {
    out->Put(kNewlineAndSpaces, static_cast<size_t>(depth) + 1);
  } else {
    out->Put('\n');
    out->PutRepeated(static_cast<size_t>(depth), ' ');
  }
}

// ---------------------------------------------------------------------------
// Numbers.

// SimpleDtoa/SimpleFtoa (normal numbers): %.{short}g when that reads back as
// `value`, else
// %.{long}g. When the shortest round-trip text has at most `short` digits,
// %.{short}g has the same digits (the value rounded to `short` digits is
// that text, as every `short`-digit decimal in the normal range reads
// back as a distinct value: DBL_DIG, FLT_DIG), so it is laid out from
// them without printf; otherwise no `short`-digit text reads back and the
// %.{long}g text is printed.
// Defined for double (json_text.cc).
template <typename T>
void AppendShortOrLong(T value, int short_digits, int long_digits, Output* out);

// Decimal integers.
inline void AppendInt(int64_t value, Output* out) {
  char buffer[24];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->Put(buffer, r.ptr);
}

inline void AppendUint(uint64_t value, Output* out) {
  char buffer[24];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->Put(buffer, r.ptr);
}

// A 64-bit integer as protobuf writes it: a quoted decimal string.
inline void AppendQuoted(int64_t value, Output* out) {
  out->Put('"');
  AppendInt(value, out);
  out->Put('"');
}

inline void AppendQuoted(uint64_t value, Output* out) {
  out->Put('"');
  AppendUint(value, out);
  out->Put('"');
}

// A finite float exactly as protobuf's SimpleFtoa writes it (%.6g, or %.9g
// when that does not read back, strtof's range error included).
void WriteFloat(float value, Output* out);

// A double or float value: a number when finite, else the quoted name.
template <typename T>
void AppendFloating(T value, Output* out) {
  if (std::isnan(value)) {
    out->Put("\"NaN\"");
  } else if (std::isinf(value)) {
    out->Put(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else if constexpr (std::is_same_v<T, double>) {
    AppendShortOrLong(value, 15, 17, out);
  } else {
    WriteFloat(value, out);
  }
}

// ---------------------------------------------------------------------------
// Strings (json_escaping.cc).

// `text` escaped as protobuf's JSON printer escapes a string's contents (no
// quotes around it); bytes that are not UTF-8 are dropped as it drops them.
void WriteEscaped(absl::string_view text, Output* out);

}  // namespace json
}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_JSON_TEXT_H_
