// The direct path of the report JSON writer (json_writer.h): a message read
// field by field in field-number order, with the per-type tables
// (json_tables.h), instead of serialized and its bytes walked. The hot
// types (Table::hot) are read through their generated accessors
// (json_hot.cc), other types through protobuf Reflection; json_writer.cc
// takes this path for messages of hot types only (Reflection measured
// slower than the serialized path), so Reflection reads their
// sub-messages of other types (and dynamic messages of the hot types). It
// writes what the serialized path writes for a message without unknown
// fields, which is what the serializer writes (generated code serializes
// known fields in field-number order, unknown fields last):
// - an implicit-presence scalar when its value is not zero as the
//   serializer tests it: a double or float by its bits (so -0.0 is
//   written, as it is serialized), a string or bytes when not empty;
// - a field with presence (`optional`, a oneof member, a sub-message) when
//   Reflection::HasField says so, zero or empty;
// - a repeated field when it has elements, as one array.
// It gives up (returns false, its output partial) on meeting a message
// with unknown fields, at any depth, or one nested deeper than kMaxDepth:
// the caller then takes the serialized path, whose handling of these
// (skipping unknown fields as protobuf does, or handing over to protobuf's
// printer) is unchanged. Private to src/report/.
#ifndef VIGIL_SRC_REPORT_JSON_DIRECT_H_
#define VIGIL_SRC_REPORT_JSON_DIRECT_H_

#include <string>

#include "google/protobuf/message.h"
#include "src/report/json_tables.h"
#include "src/report/json_text.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {
namespace json {

// "," unless *first, then the member's indentation and key at `depth`.
inline void AppendKey(const FieldInfo& f, int depth, bool* first, Output* out) {
  if (!*first) out->Put(',');
  *first = false;
  if (depth < kKeyDepths) {
    out->Put(f.indented_keys[depth]);
  } else {
    AppendIndent(depth, out);
    out->Put(f.key);
  }
}

// Enum field `f`'s value `number`: its quoted name, or the number when it
// has none (an open enum's unknown value).
void AppendEnum(const FieldInfo& f, int number, Output* out);

// Writes messages of supported types (Table::supported) through Reflection.
class DirectWriter {
 public:
  explicit DirectWriter(Output* out) : out_(out) {}

  // `m` (of `t`'s type) as an object value, its members at depth + 1.
  bool Object(const Table& t, const google::protobuf::Message& m, int depth);

  // The members of `m` whose numbers are in [first_field, last_field], at
  // `depth` (see AppendJsonMembers).
  bool Members(const Table& t, const google::protobuf::Message& m,
               int first_field, int last_field, int depth, bool* first);

 private:
  // Singular field `f` of `m`, when the serializer would write it.
  bool Single(const FieldInfo& f, const google::protobuf::Reflection& r,
              const google::protobuf::Message& m, int depth, bool* first);
  // Repeated field `f` of `m` with `size` (> 0) elements, after its key.
  bool Array(const FieldInfo& f, const google::protobuf::Reflection& r,
             const google::protobuf::Message& m, int size, int depth);
  // The members of a message of hot type t.hot (json_hot.cc), whose
  // Reflection is t.hot_reflection, at `depth`. False when it has unknown
  // fields, or as Object for a sub-message.
  bool HotMembers(const Table& t, const google::protobuf::Message& m, int depth,
                  bool* first);
  bool AssessmentMembers(const Table& t, const v1::Assessment& a, int depth,
                         bool* first);
  // Repeated message field `f` of `size` (> 0) elements, after its key.
  template <typename T>
  bool MessageArray(const FieldInfo& f,
                    const google::protobuf::RepeatedPtrField<T>& elements,
                    int depth);
  // A string or bytes value, quoted.
  void Text(const FieldInfo& f, const std::string& value);

  Output* out_;
  std::string scratch_;  // For GetStringReference (unused by generated code).
};

}  // namespace json
}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_JSON_DIRECT_H_
