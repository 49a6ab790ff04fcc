// The direct path's writers for the hot types (json_tables.h HotType):
// vigil.v1.Assessment, EvidenceValue and PeriodValue read through their
// generated accessors, which cost a load each where Reflection costs a
// call with checks and offset look-ups. Each writes the same members as
// DirectWriter::Members reading the message through Reflection; it is used
// only while the type's fields are exactly those listed below
// (kAssessment, kEvidenceValue, kPeriodValue; checked by HotTypeOf), so a
// field added to, removed from or changed in the .proto without updating
// this file turns the type back to the Reflection path.
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "src/report/json_direct.h"
#include "src/report/json_tables.h"
#include "src/report/json_text.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {
namespace json {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A field as a hot type's writer expects it.
struct FieldSpec {
  int number;
  const char* name;
  FieldDescriptor::Type type;
  bool repeated;
  bool presence;
};

constexpr FieldDescriptor::Type kString = FieldDescriptor::TYPE_STRING;
constexpr FieldDescriptor::Type kEnum = FieldDescriptor::TYPE_ENUM;
constexpr FieldDescriptor::Type kDouble = FieldDescriptor::TYPE_DOUBLE;
constexpr FieldDescriptor::Type kInt32 = FieldDescriptor::TYPE_INT32;
constexpr FieldDescriptor::Type kMessage = FieldDescriptor::TYPE_MESSAGE;

// In field-number order, as the writers below write them.
constexpr FieldSpec kAssessment[] = {
    {1, "provider_id", kString, false, false},
    {2, "indicator_id", kString, false, false},
    {3, "rule_id", kString, false, false},
    {4, "period", kString, false, false},
    {5, "rating", kEnum, false, false},
    {6, "reason", kString, false, false},
    {7, "severity", kEnum, false, false},
    {8, "domain", kEnum, false, false},
    {9, "value", kDouble, false, true},
    {10, "standard", kDouble, false, true},
    {11, "red_threshold", kDouble, false, true},
    {12, "data_period", kString, false, false},
    {13, "travel", kEnum, false, false},
    {14, "consecutive_periods", kInt32, false, false},
    {15, "evidence", kMessage, true, false},
    {16, "spc", kMessage, false, true},
    {17, "rule_name", kString, false, false},
    {18, "cquin", kMessage, false, true},
    {19, "recent_values", kMessage, true, false},
    {20, "trajectory", kMessage, false, true},
    {21, "signal", kString, false, false},
};

constexpr FieldSpec kEvidenceValue[] = {
    {1, "label", kString, false, false},
    {2, "period", kString, false, false},
    {3, "value", kDouble, false, false},
};

constexpr FieldSpec kPeriodValue[] = {
    {1, "period", kString, false, false},
    {2, "value", kDouble, false, false},
};

// Whether `d`'s fields are exactly `specs`, a message field's type named
// as `message_types` (generated types) are, in order.
template <size_t N>
bool Matches(const Descriptor& d, const FieldSpec (&specs)[N],
             std::initializer_list<const Descriptor*> message_types = {}) {
  if (d.field_count() != static_cast<int>(N)) return false;
  const Descriptor* const* next_message = message_types.begin();
  for (const FieldSpec& spec : specs) {
    const FieldDescriptor* f = d.FindFieldByNumber(spec.number);
    if (f == nullptr || f->name() != spec.name || f->type() != spec.type ||
        f->is_repeated() != spec.repeated ||
        f->has_presence() != spec.presence) {
      return false;
    }
    if (spec.type == kMessage &&
        (next_message == message_types.end() ||
         f->message_type()->full_name() != (*next_message++)->full_name())) {
      return false;
    }
  }
  return next_message == message_types.end();
}

bool IsZeroBits(double value) {
  uint64_t bits;
  memcpy(&bits, &value, sizeof(bits));
  return bits == 0;
}

// Implicit-presence members, written when not zero or empty.
void PutString(const FieldInfo& f, const std::string& v, int depth, bool* first,
               Output* out) {
  if (v.empty()) return;
  AppendKey(f, depth, first, out);
  out->Put('"');
  WriteEscaped(v, out);
  out->Put('"');
}

void PutEnum(const FieldInfo& f, int v, int depth, bool* first, Output* out) {
  if (v == 0) return;
  AppendKey(f, depth, first, out);
  AppendEnum(f, v, out);
}

void PutInt32(const FieldInfo& f, int32_t v, int depth, bool* first,
              Output* out) {
  if (v == 0) return;
  AppendKey(f, depth, first, out);
  AppendInt(v, out);
}

void PutDouble(const FieldInfo& f, double v, int depth, bool* first,
               Output* out) {
  if (IsZeroBits(v)) return;
  AppendKey(f, depth, first, out);
  AppendFloating(v, out);
}

// An `optional` double: written when set.
void PutOptionalDouble(const FieldInfo& f, bool has, double v, int depth,
                       bool* first, Output* out) {
  if (!has) return;
  AppendKey(f, depth, first, out);
  AppendFloating(v, out);
}

}  // namespace

// By the generated types' names: "vigil.v1.Assessment", or in the C API's
// private copy of the schema (capi/CMakeLists.txt) "vigil.abi_v1.Assessment".
HotType HotTypeOf(const Descriptor& d, const Reflection** reflection) {
  *reflection = nullptr;
  const std::string& name = d.full_name();
  if (name == v1::Assessment::descriptor()->full_name() &&
      Matches(d, kAssessment,
              {v1::EvidenceValue::descriptor(), v1::SpcState::descriptor(),
               v1::CquinState::descriptor(), v1::PeriodValue::descriptor(),
               v1::TrajectoryState::descriptor()})) {
    *reflection = v1::Assessment::GetReflection();
    return HotType::kAssessment;
  }
  if (name == v1::EvidenceValue::descriptor()->full_name() &&
      Matches(d, kEvidenceValue)) {
    *reflection = v1::EvidenceValue::GetReflection();
    return HotType::kEvidenceValue;
  }
  if (name == v1::PeriodValue::descriptor()->full_name() &&
      Matches(d, kPeriodValue)) {
    *reflection = v1::PeriodValue::GetReflection();
    return HotType::kPeriodValue;
  }
  return HotType::kNone;
}

bool DirectWriter::HotMembers(const Table& t, const Message& m, int depth,
                              bool* first) {
  if (!t.hot_reflection->GetUnknownFields(m).empty()) return false;
  const std::vector<FieldInfo>& f = t.fields;
  switch (t.hot) {
    case HotType::kAssessment:
      return AssessmentMembers(t, static_cast<const v1::Assessment&>(m), depth,
                               first);
    case HotType::kEvidenceValue: {
      const auto& e = static_cast<const v1::EvidenceValue&>(m);
      PutString(f[0], e.label(), depth, first, out_);
      PutString(f[1], e.period(), depth, first, out_);
      PutDouble(f[2], e.value(), depth, first, out_);
      return true;
    }
    case HotType::kPeriodValue: {
      const auto& p = static_cast<const v1::PeriodValue&>(m);
      PutString(f[0], p.period(), depth, first, out_);
      PutDouble(f[1], p.value(), depth, first, out_);
      return true;
    }
    case HotType::kNone:
      break;
  }
  return false;
}

bool DirectWriter::AssessmentMembers(const Table& t, const v1::Assessment& a,
                                     int depth, bool* first) {
  const std::vector<FieldInfo>& f = t.fields;  // kAssessment's order.
  PutString(f[0], a.provider_id(), depth, first, out_);
  PutString(f[1], a.indicator_id(), depth, first, out_);
  PutString(f[2], a.rule_id(), depth, first, out_);
  PutString(f[3], a.period(), depth, first, out_);
  PutEnum(f[4], a.rating(), depth, first, out_);
  PutString(f[5], a.reason(), depth, first, out_);
  PutEnum(f[6], a.severity(), depth, first, out_);
  PutEnum(f[7], a.domain(), depth, first, out_);
  PutOptionalDouble(f[8], a.has_value(), a.value(), depth, first, out_);
  PutOptionalDouble(f[9], a.has_standard(), a.standard(), depth, first, out_);
  PutOptionalDouble(f[10], a.has_red_threshold(), a.red_threshold(), depth,
                    first, out_);
  PutString(f[11], a.data_period(), depth, first, out_);
  PutEnum(f[12], a.travel(), depth, first, out_);
  PutInt32(f[13], a.consecutive_periods(), depth, first, out_);
  if (!a.evidence().empty()) {
    AppendKey(f[14], depth, first, out_);
    if (!MessageArray(f[14], a.evidence(), depth)) return false;
  }
  if (a.has_spc()) {
    AppendKey(f[15], depth, first, out_);
    if (!Object(*f[15].message, a.spc(), depth)) return false;
  }
  PutString(f[16], a.rule_name(), depth, first, out_);
  if (a.has_cquin()) {
    AppendKey(f[17], depth, first, out_);
    if (!Object(*f[17].message, a.cquin(), depth)) return false;
  }
  if (!a.recent_values().empty()) {
    AppendKey(f[18], depth, first, out_);
    if (!MessageArray(f[18], a.recent_values(), depth)) return false;
  }
  if (a.has_trajectory()) {
    AppendKey(f[19], depth, first, out_);
    if (!Object(*f[19].message, a.trajectory(), depth)) return false;
  }
  PutString(f[20], a.signal(), depth, first, out_);
  return true;
}

template <typename T>
bool DirectWriter::MessageArray(
    const FieldInfo& f, const google::protobuf::RepeatedPtrField<T>& elements,
    int depth) {
  out_->Put('[');
  bool first_element = true;
  for (const T& e : elements) {
    if (!first_element) out_->Put(',');
    first_element = false;
    AppendIndent(depth + 1, out_);
    if (!Object(*f.message, e, depth + 1)) return false;
  }
  AppendIndent(depth, out_);
  out_->Put(']');
  return true;
}

}  // namespace json
}  // namespace internal
}  // namespace vigil
