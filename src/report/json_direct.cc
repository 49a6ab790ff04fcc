#include "src/report/json_direct.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "google/protobuf/descriptor.h"

namespace vigil {
namespace internal {
namespace json {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Whether the serializer leaves an implicit-presence double or float out:
// generated code tests the bits (so -0.0 and NaN are written).
bool IsZeroBits(double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return bits == 0;
}

bool IsZeroBits(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return bits == 0;
}

}  // namespace

void AppendEnum(const FieldInfo& f, int number, Output* out) {
  if (number >= 0 && number < static_cast<int>(f.enum_names.size()) &&
      !f.enum_names[number].empty()) {
    out->Put(f.enum_names[number]);
    return;
  }
  const auto* v = f.field->enum_type()->FindValueByNumber(number);
  if (v == nullptr) {
    AppendInt(number, out);
  } else {
    out->Put('"');
    out->Put(v->name());
    out->Put('"');
  }
}

bool DirectWriter::Object(const Table& t, const Message& m, int depth) {
  if (depth > kMaxDepth) return false;
  out_->Put('{');
  bool first = true;
  if (!Members(t, m, 0, INT32_MAX, depth + 1, &first)) return false;
  if (!first) AppendIndent(depth, out_);
  out_->Put('}');
  return true;
}

bool DirectWriter::Members(const Table& t, const Message& m, int first_field,
                           int last_field, int depth, bool* first) {
  const Reflection& r = *m.GetReflection();
  if (t.hot != HotType::kNone && &r == t.hot_reflection &&
      first_field <= t.fields.front().number &&
      last_field >= t.fields.back().number) {
    return HotMembers(t, m, depth, first);
  }
  if (!r.GetUnknownFields(m).empty()) return false;
  for (const FieldInfo& f : t.fields) {
    if (f.number < first_field) continue;
    if (f.number > last_field) break;
    if (!f.repeated) {
      if (!Single(f, r, m, depth, first)) return false;
      continue;
    }
    const int size = r.FieldSize(m, f.field);
    if (size == 0) continue;
    AppendKey(f, depth, first, out_);
    if (!Array(f, r, m, size, depth)) return false;
  }
  return true;
}

bool DirectWriter::Single(const FieldInfo& f, const Reflection& r,
                          const Message& m, int depth, bool* first) {
  if (f.presence && !r.HasField(m, f.field)) return true;
  const FieldDescriptor* field = f.field;
  // Each case: the value; unless the field has presence, out when zero;
  // the key; the value.
  switch (f.type) {
    case FieldDescriptor::TYPE_DOUBLE: {
      const double v = r.GetDouble(m, field);
      if (!f.presence && IsZeroBits(v)) return true;
      AppendKey(f, depth, first, out_);
      AppendFloating(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_FLOAT: {
      const float v = r.GetFloat(m, field);
      if (!f.presence && IsZeroBits(v)) return true;
      AppendKey(f, depth, first, out_);
      AppendFloating(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED64: {
      const int64_t v = r.GetInt64(m, field);
      if (!f.presence && v == 0) return true;
      AppendKey(f, depth, first, out_);
      AppendQuoted(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64: {
      const uint64_t v = r.GetUInt64(m, field);
      if (!f.presence && v == 0) return true;
      AppendKey(f, depth, first, out_);
      AppendQuoted(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SFIXED32: {
      const int32_t v = r.GetInt32(m, field);
      if (!f.presence && v == 0) return true;
      AppendKey(f, depth, first, out_);
      AppendInt(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32: {
      const uint32_t v = r.GetUInt32(m, field);
      if (!f.presence && v == 0) return true;
      AppendKey(f, depth, first, out_);
      AppendUint(v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_BOOL: {
      const bool v = r.GetBool(m, field);
      if (!f.presence && !v) return true;
      AppendKey(f, depth, first, out_);
      out_->Put(v ? "true" : "false");
      return true;
    }
    case FieldDescriptor::TYPE_ENUM: {
      const int v = r.GetEnumValue(m, field);
      if (!f.presence && v == 0) return true;
      AppendKey(f, depth, first, out_);
      AppendEnum(f, v, out_);
      return true;
    }
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES: {
      const std::string& v = r.GetStringReference(m, field, &scratch_);
      if (!f.presence && v.empty()) return true;
      AppendKey(f, depth, first, out_);
      Text(f, v);
      return true;
    }
    case FieldDescriptor::TYPE_MESSAGE:  // Has presence: set.
      AppendKey(f, depth, first, out_);
      return Object(*f.message, r.GetMessage(m, field), depth);
    default:
      return false;  // Groups: unsupported types never get here.
  }
}

bool DirectWriter::Array(const FieldInfo& f, const Reflection& r,
                         const Message& m, int size, int depth) {
  const FieldDescriptor* field = f.field;
  out_->Put('[');
  for (int i = 0; i < size; ++i) {
    if (i > 0) out_->Put(',');
    AppendIndent(depth + 1, out_);
    switch (f.type) {
      case FieldDescriptor::TYPE_DOUBLE:
        AppendFloating(r.GetRepeatedDouble(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_FLOAT:
        AppendFloating(r.GetRepeatedFloat(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        AppendQuoted(r.GetRepeatedInt64(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        AppendQuoted(r.GetRepeatedUInt64(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        AppendInt(r.GetRepeatedInt32(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        AppendUint(r.GetRepeatedUInt32(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_BOOL:
        out_->Put(r.GetRepeatedBool(m, field, i) ? "true" : "false");
        break;
      case FieldDescriptor::TYPE_ENUM:
        AppendEnum(f, r.GetRepeatedEnumValue(m, field, i), out_);
        break;
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
        Text(f, r.GetRepeatedStringReference(m, field, i, &scratch_));
        break;
      case FieldDescriptor::TYPE_MESSAGE:
        if (!Object(*f.message, r.GetRepeatedMessage(m, field, i), depth + 1)) {
          return false;
        }
        break;
      default:
        return false;
    }
  }
  AppendIndent(depth, out_);
  out_->Put(']');
  return true;
}

void DirectWriter::Text(const FieldInfo& f, const std::string& value) {
  out_->Put('"');
  if (f.type == FieldDescriptor::TYPE_STRING) {
    WriteEscaped(value, out_);
  } else {
    out_->Put(absl::Base64Escape(value));
  }
  out_->Put('"');
}

}  // namespace json
}  // namespace internal
}  // namespace vigil
