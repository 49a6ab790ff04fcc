#include "src/report/json_writer.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/json_util.h"

namespace vigil {
namespace internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Deeper messages go to protobuf's printer, which has a recursion limit
// (64) of its own: well below it, so that the fast path never meets it.
constexpr int kMaxDepth = 32;

// Members at depths below this have their indentation and key as one piece.
constexpr int kKeyDepths = 8;

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

// SimpleDtoa/SimpleFtoa (normal numbers): %.{short}g when that reads back as
// `value`, else
// %.{long}g. When the shortest round-trip text has at most `short` digits,
// %.{short}g has the same digits (the value rounded to `short` digits is
// that text, as every `short`-digit decimal in the normal range reads
// back as a distinct value: DBL_DIG, FLT_DIG), so it is laid out from
// them without printf; otherwise no `short`-digit text reads back and the
// %.{long}g text is printed.
template <typename T>
void AppendShortOrLong(T value, int short_digits, int long_digits,
                       Output* out) {
  if (std::fabs(value) < std::numeric_limits<T>::min() && value != 0) {
    AppendSubnormal(value, short_digits, long_digits, out);
    return;
  }
  char buffer[64];
  const std::to_chars_result r = std::to_chars(
      buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  bool negative = false;
  char digits[32];
  int n = 0, exponent = 0;
  if (r.ec == std::errc() &&
      SplitScientific(buffer, r.ptr, &negative, digits, &n, &exponent) &&
      n <= short_digits) {
    if (negative) out->Put('-');
    AppendGeneral(absl::string_view(digits, n), exponent, short_digits, out);
    return;
  }
  AppendPrecision(value, long_digits, out);
}

void AppendInt(int64_t value, Output* out) {
  char buffer[24];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->Put(buffer, r.ptr);
}

void AppendUint(uint64_t value, Output* out) {
  char buffer[24];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->Put(buffer, r.ptr);
}

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

void WriteEscaped(absl::string_view text, Output* out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    size_t run = i;
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

// ---------------------------------------------------------------------------
// Per-type tables.

struct Table;

struct FieldInfo {
  const FieldDescriptor* field;
  FieldDescriptor::Type type;  // How the value is encoded.
  bool repeated;
  int number;
  std::string key;  // "\"name\": "
  // "\n", d spaces and `key`, for members at depths d below kKeyDepths.
  std::vector<std::string> indented_keys;
  const Table* message = nullptr;  // A message field's type's table.
  // An enum field: "\"NAME\"" by number for numbers 0..size-1 that have a name
  // (empty where none); others are looked up.
  std::vector<std::string> enum_names;
};

struct Table {
  std::vector<FieldInfo> fields;  // By number.
  // Field number -> its entry in `fields`, for numbers below 256; larger
  // numbers are searched for in `fields`.
  std::vector<const FieldInfo*> by_number;

  const FieldInfo* Find(uint32_t number) const {
    if (number < by_number.size()) return by_number[number];
    for (const FieldInfo& f : fields) {
      if (static_cast<uint32_t>(f.number) == number) return &f;
    }
    return nullptr;
  }

  bool self_supported = true;  // This type's own fields.
  bool checked = false;        // `supported` computed.
  bool supported = false;      // This type and every type it reaches.
  // Nesting of its sub-messages can exceed kMaxDepth (a recursive type).
  bool deep = false;
};

bool IsProtobufType(const Descriptor& d) {
  return absl::StartsWith(d.full_name(), "google.protobuf.");
}

// Whether protobuf writes fields of `d` itself as this file writes them.
bool SelfSupported(const Descriptor& d) {
  if (IsProtobufType(d) || d.options().map_entry()) return false;
  if (d.file()->syntax() != FileDescriptor::SYNTAX_PROTO3) return false;
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor& f = *d.field(i);
    if (f.is_map() || f.type() == FieldDescriptor::TYPE_GROUP) return false;
    if (f.message_type() != nullptr && IsProtobufType(*f.message_type())) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> EnumNames(const FieldDescriptor& f) {
  std::vector<std::string> names;
  const google::protobuf::EnumDescriptor& e = *f.enum_type();
  int size = 0;
  for (int i = 0; i < e.value_count(); ++i) {
    const int number = e.value(i)->number();
    if (number >= 0 && number < 1024) size = std::max(size, number + 1);
  }
  names.resize(size);
  for (int number = 0; number < size; ++number) {
    const auto* v = e.FindValueByNumber(number);
    if (v != nullptr) names[number] = "\"" + v->name() + "\"";
  }
  return names;
}

class TableCache {
 public:
  // The table of `d`, with whether the fast path supports it (and all it
  // reaches).
  const Table& Get(const Descriptor* d) {
    std::lock_guard<std::mutex> lock(mu_);
    Table* t = Build(d);
    if (!t->checked) {
      absl::flat_hash_set<const Table*> seen;
      t->supported = AllSupported(t, &seen);
      absl::flat_hash_map<const Table*, int> levels;
      t->deep = Levels(t, &levels) > kMaxDepth;
      t->checked = true;
    }
    return *t;
  }

 private:
  // Builds the tables of `d` and the types it reaches (a type reaching
  // itself finds its own entry, filled before the lock is released).
  Table* Build(const Descriptor* d) {
    std::unique_ptr<Table>& slot = tables_[d];
    if (slot != nullptr) return slot.get();
    slot = std::make_unique<Table>();
    Table* t = slot.get();
    t->self_supported = SelfSupported(*d);
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < d->field_count(); ++i) fields.push_back(d->field(i));
    std::sort(fields.begin(), fields.end(),
              [](const FieldDescriptor* a, const FieldDescriptor* b) {
                return a->number() < b->number();
              });
    t->fields.reserve(fields.size());
    for (const FieldDescriptor* f : fields) {
      FieldInfo info;
      info.field = f;
      info.type = f->type();
      info.repeated = f->is_repeated();
      info.number = f->number();
      info.key = "\"" + f->name() + "\": ";
      for (int level = 0; level < kKeyDepths; ++level) {
        info.indented_keys.push_back("\n" + std::string(level, ' ') + info.key);
      }
      if (info.type == FieldDescriptor::TYPE_ENUM)
        info.enum_names = EnumNames(*f);
      t->fields.push_back(std::move(info));
    }
    for (const FieldInfo& info : t->fields) {
      if (info.number >= 256) break;
      if (t->by_number.size() <= static_cast<size_t>(info.number)) {
        t->by_number.resize(info.number + 1, nullptr);
      }
      t->by_number[info.number] = &info;
    }
    // Sub-tables after the fields: Build may rehash tables_ (the Table
    // objects themselves do not move).
    for (FieldInfo& info : t->fields) {
      if (info.type == FieldDescriptor::TYPE_MESSAGE && t->self_supported) {
        info.message = Build(info.field->message_type());
      }
    }
    return t;
  }

  static bool AllSupported(const Table* t,
                           absl::flat_hash_set<const Table*>* seen) {
    if (!seen->insert(t).second) return true;
    if (!t->self_supported) return false;
    for (const FieldInfo& f : t->fields) {
      if (f.message != nullptr && !AllSupported(f.message, seen)) return false;
    }
    return true;
  }

  // Levels of messages in `t` (1 without sub-messages); "many" for a type
  // that reaches itself (a type still being walked). Memoized: a type that
  // meets one still being walked is in the cycle too.
  static int Levels(const Table* t,
                    absl::flat_hash_map<const Table*, int>* levels) {
    constexpr int kMany = 1 << 20;
    const auto [it, inserted] = levels->try_emplace(t, kMany);
    if (!inserted) return it->second;
    int deepest = 0;
    for (const FieldInfo& f : t->fields) {
      if (f.message != nullptr)
        deepest = std::max(deepest, Levels(f.message, levels));
    }
    const int result = std::min(kMany, deepest + 1);
    (*levels)[t] = result;
    return result;
  }

  std::mutex mu_;
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<Table>> tables_;
};

TableCache& Cache() {
  static TableCache* const cache = new TableCache();
  return *cache;
}

// ---------------------------------------------------------------------------
// The fast path.

// "\n" and `depth` spaces.
void AppendIndent(int depth, Output* out) {
  static const char kNewlineAndSpaces[] =
      "\n                                                               ";
  if (depth < static_cast<int>(sizeof(kNewlineAndSpaces)) - 1) {
    out->Put(kNewlineAndSpaces, static_cast<size_t>(depth) + 1);
  } else {
    out->Put('\n');
    out->PutRepeated(static_cast<size_t>(depth), ' ');
  }
}

// Reads protobuf's wire format: a cursor over one message's bytes. Every
// read checks the bounds; false on malformed bytes (never met on bytes the
// message has just serialized, but the writer then falls back rather than
// guess).
class WireReader {
 public:
  WireReader(const char* begin, const char* end)
      : p_(reinterpret_cast<const uint8_t*>(begin)),
        end_(reinterpret_cast<const uint8_t*>(end)) {}

  bool done() const { return p_ >= end_; }

  bool Varint(uint64_t* value) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      const uint8_t byte = *p_++;
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *value = v;
        return true;
      }
    }
    return false;
  }

  template <typename T>
  bool Fixed(T* value) {
    if (end_ - p_ < static_cast<ptrdiff_t>(sizeof(T))) return false;
    memcpy(value, p_, sizeof(T));  // Little-endian, as x86 and ARM are.
    p_ += sizeof(T);
    return true;
  }

  // A length-delimited payload.
  bool Bytes(absl::string_view* bytes) {
    uint64_t size = 0;
    if (!Varint(&size) || size > static_cast<uint64_t>(end_ - p_)) return false;
    *bytes = absl::string_view(reinterpret_cast<const char*>(p_), size);
    p_ += size;
    return true;
  }

  bool Skip(uint32_t wire_type) {
    uint64_t ignored;
    absl::string_view payload;
    switch (wire_type) {
      case 0:
        return Varint(&ignored);
      case 1:
        return Advance(8);
      case 2:
        return Bytes(&payload);
      case 5:
        return Advance(4);
      case 3:
        return SkipGroup();
      default:
        return false;  // Groups never reach here (fallback types).
    }
  }

  // The rest of a group (an unknown field's, as protobuf's printer skips
  // it): to its end tag, nested groups included.
  bool SkipGroup() {
    if (++group_depth_ > kMaxDepth) return false;
    while (!done()) {
      uint64_t tag = 0;
      if (!Varint(&tag)) return false;
      if ((tag & 7) == 4) {
        --group_depth_;
        return true;
      }
      if (!Skip(static_cast<uint32_t>(tag & 7))) return false;
    }
    return false;
  }

  // The next tag when its field number is `number` (consumed); else false
  // with nothing consumed.
  bool NextTagIs(uint32_t number, uint32_t* wire_type) {
    const uint8_t* saved = p_;
    uint64_t tag = 0;
    if (!done() && Varint(&tag) && (tag >> 3) == number) {
      *wire_type = static_cast<uint32_t>(tag & 7);
      return true;
    }
    p_ = saved;
    return false;
  }

 private:
  bool Advance(ptrdiff_t n) {
    if (end_ - p_ < n) return false;
    p_ += n;
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  int group_depth_ = 0;
};

bool IsPackable(FieldDescriptor::Type type) {
  return type != FieldDescriptor::TYPE_STRING &&
         type != FieldDescriptor::TYPE_BYTES &&
         type != FieldDescriptor::TYPE_MESSAGE &&
         type != FieldDescriptor::TYPE_GROUP;
}

// The wire type a value of `type` has when not packed.
uint32_t WireTypeOf(FieldDescriptor::Type type) {
  switch (type) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return 1;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return 5;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return 2;
    default:
      return 0;
  }
}

// Writes JSON from a message's serialized bytes, as protobuf's printer
// does (it walks the same bytes): members in the order of the bytes (field
// order), a repeated field's consecutive entries as one array, unknown
// fields skipped. Presence is the serializer's: what is in the bytes is
// printed.
class Writer {
 public:
  explicit Writer(Output* out) : out_(out) {}

  // The object `t` encoded in `bytes`, its members at depth + 1. False when
  // too deep or malformed (the output is then partial).
  bool Object(const Table& t, absl::string_view bytes, int depth) {
    if (depth > kMaxDepth) return false;
    out_->Put('{');
    bool first = true;
    if (!Members(t, bytes, 0, INT32_MAX, depth + 1, &first)) return false;
    if (!first) AppendIndent(depth, out_);
    out_->Put('}');
    return true;
  }

  bool Members(const Table& t, absl::string_view bytes, int first_field,
               int last_field, int depth, bool* first) {
    WireReader in(bytes.data(), bytes.data() + bytes.size());
    while (!in.done()) {
      uint64_t tag = 0;
      if (!in.Varint(&tag)) return false;
      const uint32_t number = static_cast<uint32_t>(tag >> 3);
      const uint32_t wire_type = static_cast<uint32_t>(tag & 7);
      const FieldInfo* f = t.Find(number);
      if (f == nullptr || f->number < first_field || f->number > last_field) {
        if (!in.Skip(wire_type)) return false;
        continue;
      }
      if (!*first) out_->Put(',');
      *first = false;
      if (depth < kKeyDepths) {
        out_->Put(f->indented_keys[depth]);
      } else {
        AppendIndent(depth, out_);
        out_->Put(f->key);
      }
      const bool ok = f->repeated ? Array(*f, wire_type, depth, &in)
                                  : Value(*f, wire_type, depth, &in);
      if (!ok) return false;
    }
    return true;
  }

 private:
  // The entries of a repeated field from here on (packed or not), as one
  // array.
  bool Array(const FieldInfo& f, uint32_t wire_type, int depth,
             WireReader* in) {
    out_->Put('[');
    bool first = true;
    do {
      if (wire_type == 2 && IsPackable(f.type)) {
        absl::string_view packed;
        if (!in->Bytes(&packed)) return false;
        WireReader values(packed.data(), packed.data() + packed.size());
        while (!values.done()) {
          Separator(depth, &first);
          if (!Value(f, WireTypeOf(f.type), depth + 1, &values)) return false;
        }
      } else {
        Separator(depth, &first);
        if (!Value(f, wire_type, depth + 1, in)) return false;
      }
    } while (in->NextTagIs(static_cast<uint32_t>(f.number), &wire_type));
    AppendIndent(depth, out_);
    out_->Put(']');
    return true;
  }

  void Separator(int depth, bool* first) {
    if (!*first) out_->Put(',');
    *first = false;
    AppendIndent(depth + 1, out_);
  }

  // One value of `f` (an array element's when repeated) at `depth`.
  bool Value(const FieldInfo& f, uint32_t wire_type, int depth,
             WireReader* in) {
    if (wire_type != WireTypeOf(f.type)) return false;
    uint64_t v = 0;
    switch (f.type) {
      case FieldDescriptor::TYPE_DOUBLE: {
        double d;
        if (!in->Fixed(&d)) return false;
        AppendFloating(d, out_);
        return true;
      }
      case FieldDescriptor::TYPE_FLOAT: {
        float d;
        if (!in->Fixed(&d)) return false;
        AppendFloating(d, out_);
        return true;
      }
      case FieldDescriptor::TYPE_FIXED64: {
        uint64_t u;
        if (!in->Fixed(&u)) return false;
        Quoted(u);
        return true;
      }
      case FieldDescriptor::TYPE_SFIXED64: {
        int64_t i;
        if (!in->Fixed(&i)) return false;
        Quoted(i);
        return true;
      }
      case FieldDescriptor::TYPE_FIXED32: {
        uint32_t u;
        if (!in->Fixed(&u)) return false;
        AppendUint(u, out_);
        return true;
      }
      case FieldDescriptor::TYPE_SFIXED32: {
        int32_t i;
        if (!in->Fixed(&i)) return false;
        AppendInt(i, out_);
        return true;
      }
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
      case FieldDescriptor::TYPE_MESSAGE: {
        absl::string_view payload;
        if (!in->Bytes(&payload)) return false;
        if (f.type == FieldDescriptor::TYPE_MESSAGE) {
          return Object(*f.message, payload, depth);
        }
        out_->Put('"');
        if (f.type == FieldDescriptor::TYPE_STRING) {
          WriteEscaped(payload, out_);
        } else {
          out_->Put(absl::Base64Escape(payload));
        }
        out_->Put('"');
        return true;
      }
      default:
        break;
    }
    if (!in->Varint(&v)) return false;
    switch (f.type) {
      case FieldDescriptor::TYPE_INT64:
        Quoted(static_cast<int64_t>(v));
        break;
      case FieldDescriptor::TYPE_UINT64:
        Quoted(v);
        break;
      case FieldDescriptor::TYPE_SINT64:
        Quoted(static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)));
        break;
      case FieldDescriptor::TYPE_INT32:
        AppendInt(static_cast<int32_t>(v), out_);
        break;
      case FieldDescriptor::TYPE_UINT32:
        AppendUint(static_cast<uint32_t>(v), out_);
        break;
      case FieldDescriptor::TYPE_SINT32: {
        const uint32_t u = static_cast<uint32_t>(v);
        AppendInt(static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1)), out_);
        break;
      }
      case FieldDescriptor::TYPE_BOOL:
        out_->Put(v != 0 ? "true" : "false");
        break;
      case FieldDescriptor::TYPE_ENUM:
        Enum(f, static_cast<int32_t>(v));
        break;
      default:
        return false;
    }
    return true;
  }

  void Enum(const FieldInfo& f, int number) {
    if (number >= 0 && number < static_cast<int>(f.enum_names.size()) &&
        !f.enum_names[number].empty()) {
      out_->Put(f.enum_names[number]);
      return;
    }
    const auto* v = f.field->enum_type()->FindValueByNumber(number);
    if (v == nullptr) {
      AppendInt(number, out_);
    } else {
      out_->Put('"');
      out_->Put(v->name());
      out_->Put('"');
    }
  }

  void Quoted(int64_t v) {
    out_->Put('"');
    AppendInt(v, out_);
    out_->Put('"');
  }

  void Quoted(uint64_t v) {
    out_->Put('"');
    AppendUint(v, out_);
    out_->Put('"');
  }

  Output* out_;
};

// `message` serialized as protobuf's printer sees it.
std::string Serialized(const Message& message) {
  std::string bytes;
  message.SerializePartialToString(&bytes);
  return bytes;
}

bool IsMessageArray(const FieldInfo& f) {
  return f.repeated && f.type == FieldDescriptor::TYPE_MESSAGE;
}

// Copies field `f` of `from` into `to` (a message of the same type) as the
// serializer sees it: an implicit-presence value always (the serializer
// decides by the value), a field with presence when present.
void CopyField(const Message& from, const FieldDescriptor* f, Message* to) {
  const Reflection& r = *from.GetReflection();
  if (f->is_repeated()) {
    for (int i = 0; i < r.FieldSize(from, f); ++i) {
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          r.AddInt32(to, f, r.GetRepeatedInt32(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          r.AddInt64(to, f, r.GetRepeatedInt64(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          r.AddUInt32(to, f, r.GetRepeatedUInt32(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          r.AddUInt64(to, f, r.GetRepeatedUInt64(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          r.AddDouble(to, f, r.GetRepeatedDouble(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          r.AddFloat(to, f, r.GetRepeatedFloat(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          r.AddBool(to, f, r.GetRepeatedBool(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          r.AddEnumValue(to, f, r.GetRepeatedEnumValue(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          r.AddString(to, f, r.GetRepeatedString(from, f, i));
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          r.AddMessage(to, f)->CopyFrom(r.GetRepeatedMessage(from, f, i));
          break;
      }
    }
    return;
  }
  if (f->has_presence() && !r.HasField(from, f)) return;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      r.SetInt32(to, f, r.GetInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r.SetInt64(to, f, r.GetInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r.SetUInt32(to, f, r.GetUInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r.SetUInt64(to, f, r.GetUInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r.SetDouble(to, f, r.GetDouble(from, f));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r.SetFloat(to, f, r.GetFloat(from, f));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r.SetBool(to, f, r.GetBool(from, f));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      r.SetEnumValue(to, f, r.GetEnumValue(from, f));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      r.SetString(to, f, r.GetString(from, f));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      r.MutableMessage(to, f)->CopyFrom(r.GetMessage(from, f));
      break;
  }
}

// Writes the document of `message` (without its final newline) element by
// element: each element of a repeated message field is serialized on its
// own (into a buffer that stays in cache, while the element is still in
// cache from its serialization) and written; the other fields are copied
// into a shell message, serialized once. Same bytes as walking the whole
// message's serialization (the message read twice in small pieces instead
// of twice whole, sizes then bytes, and the binary once more) for a
// message without unknown fields of its own (the shell would lose them)
// and of a type without recursion (see Table::deep): check
// WritableByElement. An element whose bytes the writer cannot read as
// its type (an unknown field with a known number but another wire type)
// is printed by protobuf. `flush`, when given, is called after each
// element (it may write out and clear the output); false when it fails.
void FallbackObject(const Message& message, int depth, std::string* out);

bool WritableByElement(const Table& t, const Message& message) {
  return t.supported && !t.deep &&
         message.GetReflection()->GetUnknownFields(message).empty();
}

bool WriteDocument(const Table& t, const Message& message, Output* out,
                   const std::function<bool()>* flush) {
  std::unique_ptr<Message> shell(message.New());
  for (const FieldInfo& f : t.fields) {
    if (!IsMessageArray(f)) CopyField(message, f.field, shell.get());
  }
  const std::string shell_bytes = Serialized(*shell);
  const Reflection& r = *message.GetReflection();
  Writer writer(out);
  std::string element;
  out->Put('{');
  bool first = true;
  for (const FieldInfo& f : t.fields) {
    if (!IsMessageArray(f)) {
      // The shell's own bytes: canonical, of known fields only.
      (void)writer.Members(t, shell_bytes, f.number, f.number, 1, &first);
      continue;
    }
    const int size = r.FieldSize(message, f.field);
    if (size == 0) continue;
    if (!first) out->Put(',');
    first = false;
    AppendIndent(1, out);
    out->Put(f.key);
    out->Put('[');
    const size_t array_start = out->size();
    for (int i = 0; i < size; ++i) {
      // A large array's room, from its first elements' size, plus a fifth.
      if (flush == nullptr && i == 32 && size > 256) {
        out->Reserve((out->size() - array_start) / 32 * (size - i) / 4 * 5);
      }
      if (i > 0) out->Put(',');
      AppendIndent(2, out);
      const Message& e = r.GetRepeatedMessage(message, f.field, i);
      e.SerializePartialToString(&element);
      const size_t element_start = out->size();
      if (!writer.Object(*f.message, element, 2)) {
        out->Truncate(element_start);
        std::string printed;
        FallbackObject(e, 2, &printed);
        out->Put(printed);
      }
      if (flush != nullptr && !(*flush)()) return false;
    }
    AppendIndent(1, out);
    out->Put(']');
  }
  if (!first) out->Put('\n');
  out->Put('}');
  return true;
}

// ---------------------------------------------------------------------------
// The fallback: protobuf's printer, re-indented.

std::string ProtobufJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// Appends `text` with `extra` spaces after each newline.
void AppendReindented(absl::string_view text, int extra, std::string* out) {
  for (char c : text) {
    out->push_back(c);
    if (c == '\n') out->append(extra, ' ');
  }
}

// The object without its final "\n", its members at depth + 1.
void FallbackObject(const Message& message, int depth, std::string* out) {
  const std::string printed = ProtobufJson(message);
  absl::string_view json = printed;
  if (absl::EndsWith(json, "\n")) json.remove_suffix(1);
  AppendReindented(json, depth, out);
}

// Appends the members of protobuf's document of `message` whose fields are
// in range. The document is "{", members, "\n}\n"; a top-level member starts
// with "\n \"" (deeper lines have more indentation, and strings hold no
// raw newline) and runs to the "," before the next. The whole message is
// printed, not a copy holding the range's fields: a copy's map fields could
// iterate in another order.
void FallbackMembers(const Message& message, int first_field, int last_field,
                     int depth, bool* first, std::string* out) {
  const std::string json = ProtobufJson(message);
  if (json.size() < 5 || json[0] != '{' || !absl::EndsWith(json, "\n}\n")) {
    return;  // "{}\n": no member.
  }
  const absl::string_view inner =
      absl::string_view(json).substr(1, json.size() - 4);
  const Descriptor& d = *message.GetDescriptor();
  size_t start = 0;
  while (start < inner.size()) {
    size_t next = inner.find("\n \"", start + 1);
    const size_t end =
        next == absl::string_view::npos ? inner.size() : next - 1;
    const absl::string_view member = inner.substr(start, end - start);
    const size_t name_end = member.find('"', 3);
    const FieldDescriptor* f =
        name_end == absl::string_view::npos
            ? nullptr
            : d.FindFieldByName(std::string(member.substr(3, name_end - 3)));
    if (f != nullptr && f->number() >= first_field &&
        f->number() <= last_field) {
      if (!*first) out->push_back(',');
      *first = false;
      AppendReindented(member, depth - 1, out);
    }
    if (next == absl::string_view::npos) break;
    start = next;
  }
}

}  // namespace

void AppendDouble(double value, std::string* out) {
  Output o(out);
  AppendShortOrLong(value, 15, 17, &o);
  o.Finish();
}

void AppendFloat(float value, std::string* out) {
  Output o(out);
  WriteFloat(value, &o);
  o.Finish();
}

void AppendEscapedString(absl::string_view text, std::string* out) {
  Output o(out);
  WriteEscaped(text, &o);
  o.Finish();
}

std::string MessageJson(const Message& message) {
  std::string out;
  AppendMessageJson(message, &out);
  return out;
}

void AppendMessageJson(const Message& message, std::string* out) {
  const Table& t = Cache().Get(message.GetDescriptor());
  const size_t start = out->size();
  Output o(out);
  if (WritableByElement(t, message)) {
    (void)WriteDocument(t, message, &o, nullptr);  // No flush: cannot fail.
    o.Put('\n');
    o.Finish();
    return;
  }
  if (t.supported && Writer(&o).Object(t, Serialized(message), 0)) {
    o.Put('\n');
    o.Finish();
    return;
  }
  out->resize(start);
  out->append(ProtobufJson(message));
}

void AppendJsonMembers(const Message& message, int first_field, int last_field,
                       int depth, bool* first, std::string* out) {
  const Table& t = Cache().Get(message.GetDescriptor());
  const size_t start = out->size();
  bool fast_first = *first;
  if (t.supported) {
    Output o(out);
    if (Writer(&o).Members(t, Serialized(message), first_field, last_field,
                           depth, &fast_first)) {
      o.Finish();
      *first = fast_first;
      return;
    }
  }
  out->resize(start);
  FallbackMembers(message, first_field, last_field, depth, first, out);
}

void AppendJsonObject(const Message& message, int depth, std::string* out) {
  const Table& t = Cache().Get(message.GetDescriptor());
  const size_t start = out->size();
  if (t.supported) {
    Output o(out);
    if (Writer(&o).Object(t, Serialized(message), depth)) {
      o.Finish();
      return;
    }
  }
  out->resize(start);
  FallbackObject(message, depth, out);
}

void AppendJsonArrayOpen(absl::string_view name, int depth, bool* first,
                         std::string* out) {
  Output o(out);
  if (!*first) o.Put(',');
  *first = false;
  AppendIndent(depth, &o);
  o.Put('"');
  o.Put(name);
  o.Put("\": [");
  o.Finish();
}

void AppendJsonArrayElement(const Message& element, int depth,
                            bool first_element, std::string* out) {
  Output o(out);
  if (!first_element) o.Put(',');
  AppendIndent(depth + 1, &o);
  o.Finish();
  AppendJsonObject(element, depth + 1, out);
}

size_t WriteJsonArrayElement(const Message& element, int depth,
                             bool first_element, std::string* out, size_t pos) {
  const Table& t = Cache().Get(element.GetDescriptor());
  if (t.supported && pos <= out->size()) {
    Output o(out, pos);
    if (!first_element) o.Put(',');
    AppendIndent(depth + 1, &o);
    if (Writer(&o).Object(t, Serialized(element), depth + 1)) return o.size();
  }
  out->resize(std::min(pos, out->size()));
  AppendJsonArrayElement(element, depth, first_element, out);
  return out->size();
}

void AppendJsonArrayClose(int depth, std::string* out) {
  Output o(out);
  AppendIndent(depth, &o);
  o.Put(']');
  o.Finish();
}

void AppendJsonDocumentClose(bool first, std::string* out) {
  out->append(first ? "}\n" : "\n}\n");
}

bool PrintMessageJson(const Message& message, std::ostream& out,
                      size_t chunk_bytes) {
  const Table& t = Cache().Get(message.GetDescriptor());
  std::string chunk;
  if (!WritableByElement(t, message)) {  // Whole: may need the fallback.
    AppendMessageJson(message, &chunk);
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    return out.good();
  }
  // A chunk at a time, written out after the element that fills it.
  chunk.resize(chunk_bytes + chunk_bytes / 4 + 4096);
  Output o(&chunk, 0);
  const auto write = [&] {
    out.write(o.data(), static_cast<std::streamsize>(o.size()));
    o.Clear();
    return out.good();
  };
  const std::function<bool()> flush = [&] {
    return o.size() < chunk_bytes || write();
  };
  if (!WriteDocument(t, message, &o, &flush)) return false;
  o.Put('\n');
  return write();
}

}  // namespace internal
}  // namespace vigil
