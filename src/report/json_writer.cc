#include "src/report/json_writer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "src/report/json_direct.h"
#include "src/report/json_tables.h"
#include "src/report/json_text.h"

namespace vigil {
namespace internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using json::AppendEnum;
using json::AppendFloating;
using json::AppendIndent;
using json::AppendInt;
using json::AppendKey;
using json::AppendQuoted;
using json::AppendShortOrLong;
using json::AppendUint;
using json::Cache;
using json::DirectWriter;
using json::FieldInfo;
using json::kMaxDepth;
using json::Output;
using json::Table;
using json::WriteEscaped;
using json::WriteFloat;

// ---------------------------------------------------------------------------
// The serialized path: a message's bytes walked as protobuf's printer walks
// them, for what the direct path (json_direct.h) gives up on.

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
      AppendKey(*f, depth, first, out_);
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
        AppendQuoted(u, out_);
        return true;
      }
      case FieldDescriptor::TYPE_SFIXED64: {
        int64_t i;
        if (!in->Fixed(&i)) return false;
        AppendQuoted(i, out_);
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
        AppendQuoted(static_cast<int64_t>(v), out_);
        break;
      case FieldDescriptor::TYPE_UINT64:
        AppendQuoted(v, out_);
        break;
      case FieldDescriptor::TYPE_SINT64:
        AppendQuoted(static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1)), out_);
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
        AppendEnum(f, static_cast<int32_t>(v), out_);
        break;
      default:
        return false;
    }
    return true;
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

// Whether messages of `t`'s type are read directly (json_direct.h): the
// hot types, read through their generated accessors (their sub-messages of
// other types through Reflection). Other types are written from their
// serialized bytes: reading them through Reflection measured slower than
// serializing and walking the bytes (a call with checks per field read
// against generated serialization), e.g. the England report with
// Assessment read through Reflection took 118 ms against 100 ms from its
// bytes and 81 ms through its accessors.
bool ReadDirectly(const Table& t) { return t.hot != json::HotType::kNone; }

// Writes the document of `message` (without its final newline) field by
// field; the elements of a repeated message field one by one, so that
// `flush`, when given, is called after each (it may write out and clear
// the output; false when it fails). For a message without unknown fields
// of its own and of a type without recursion (see Table::deep): check
// WritableByElement. Each element is read directly when its type is read
// so (ReadDirectly) and it lets the direct path through, else from its own
// serialized bytes; the other fields likewise, else from a shell message
// holding them (copied as the serializer sees them), serialized once.
// Bytes the writer cannot read as their type (an unknown field with a
// known number but another wire type) are printed by protobuf: the
// element, or the field's member of the message's document.
void FallbackObject(const Message& message, int depth, std::string* out);
void FallbackMembers(const Message& message, int first_field, int last_field,
                     int depth, bool* first, std::string* out);

bool WritableByElement(const Table& t, const Message& message) {
  return t.supported && !t.deep &&
         message.GetReflection()->GetUnknownFields(message).empty();
}

// The fields of `message` that are not repeated message fields, in a shell
// message, serialized; built on first use.
class Shell {
 public:
  Shell(const Table& t, const Message& message) : t_(t), message_(message) {}

  const std::string& bytes() {
    if (!built_) {
      std::unique_ptr<Message> shell(message_.New());
      for (const FieldInfo& f : t_.fields) {
        if (!IsMessageArray(f)) CopyField(message_, f.field, shell.get());
      }
      bytes_ = Serialized(*shell);
      built_ = true;
    }
    return bytes_;
  }

 private:
  const Table& t_;
  const Message& message_;
  bool built_ = false;
  std::string bytes_;
};

// Field `f` of `message` (not a repeated message field) at depth 1:
// directly when its type is read so, else from the shell's bytes, else
// protobuf's member.
void WriteMember(const Table& t, const FieldInfo& f, const Message& message,
                 Shell* shell, bool* first, Output* out) {
  const size_t start = out->size();
  const bool was_first = *first;
  if (ReadDirectly(t) &&
      DirectWriter(out).Members(t, message, f.number, f.number, 1, first)) {
    return;
  }
  out->Truncate(start);
  *first = was_first;
  // The shell's own bytes: canonical, of known fields only.
  if (Writer(out).Members(t, shell->bytes(), f.number, f.number, 1, first)) {
    return;
  }
  out->Truncate(start);
  *first = was_first;
  std::string printed;
  FallbackMembers(message, f.number, f.number, 1, first, &printed);
  out->Put(printed);
}

// Element `e` of a top-level array at depth 2: directly when its type is
// read so, else from its serialized bytes (into `bytes`), else by protobuf.
void WriteElement(const Table& t, const Message& e, std::string* bytes,
                  Output* out) {
  const size_t start = out->size();
  if (ReadDirectly(t) && DirectWriter(out).Object(t, e, 2)) return;
  out->Truncate(start);
  e.SerializePartialToString(bytes);
  if (Writer(out).Object(t, *bytes, 2)) return;
  out->Truncate(start);
  std::string printed;
  FallbackObject(e, 2, &printed);
  out->Put(printed);
}

bool WriteDocument(const Table& t, const Message& message, Output* out,
                   const std::function<bool()>* flush) {
  const Reflection& r = *message.GetReflection();
  Shell shell(t, message);
  std::string bytes;
  out->Put('{');
  bool first = true;
  for (const FieldInfo& f : t.fields) {
    if (!IsMessageArray(f)) {
      WriteMember(t, f, message, &shell, &first, out);
      continue;
    }
    const int size = r.FieldSize(message, f.field);
    if (size == 0) continue;
    AppendKey(f, 1, &first, out);
    out->Put('[');
    const size_t array_start = out->size();
    for (int i = 0; i < size; ++i) {
      // A large array's room, from its first elements' size, plus a fifth.
      if (flush == nullptr && i == 32 && size > 256) {
        out->Reserve((out->size() - array_start) / 32 * (size - i) / 4 * 5);
      }
      if (i > 0) out->Put(',');
      AppendIndent(2, out);
      WriteElement(*f.message, r.GetRepeatedMessage(message, f.field, i),
                   &bytes, out);
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
  if (t.supported) {
    bool ok = ReadDirectly(t) && DirectWriter(&o).Object(t, message, 0);
    if (!ok) {
      o.Truncate(start);
      ok = Writer(&o).Object(t, Serialized(message), 0);
    }
    if (ok) {
      o.Put('\n');
      o.Finish();
      return;
    }
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
    bool ok = ReadDirectly(t) &&
              DirectWriter(&o).Members(t, message, first_field, last_field,
                                       depth, &fast_first);
    if (!ok) {
      o.Truncate(start);
      fast_first = *first;
      ok = Writer(&o).Members(t, Serialized(message), first_field, last_field,
                              depth, &fast_first);
    }
    if (ok) {
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
    bool ok = ReadDirectly(t) && DirectWriter(&o).Object(t, message, depth);
    if (!ok) {
      o.Truncate(start);
      ok = Writer(&o).Object(t, Serialized(message), depth);
    }
    if (ok) {
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
    const size_t start = o.size();
    if (ReadDirectly(t) && DirectWriter(&o).Object(t, element, depth + 1)) {
      return o.size();
    }
    o.Truncate(start);
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
