// Protobuf JSON, written fast: the bytes protobuf 3.21's
// util::MessageToJsonString writes with JsonPrintOptions add_whitespace and
// preserve_proto_field_names (other options at their defaults), several
// times faster. Protobuf's printer walks the message's serialized bytes, so
// it prints exactly what the serializer writes (presence, field order).
// The report's many vigil.v1.Assessment, EvidenceValue and PeriodValue
// messages are read directly instead (json_direct.h): through their
// generated accessors (json_hot.cc; only while those types' fields are the
// ones it was written for, else as other types), their sub-messages of
// other types through protobuf Reflection, field by field in field-number
// order (the serializer's order) with the serializer's tests of presence.
// Messages of other types are serialized and their bytes walked as
// protobuf's printer walks them (faster than reading them through
// Reflection, which costs a checked call per field read), as are messages
// the direct path gives up on: one with unknown fields anywhere in it, or
// nested too deep (see Fallback below). Either way the writer uses per-type
// tables of quoted keys and enum names built once and writes straight into
// one buffer, without protobuf's type resolver, object-writer stack and
// per-value conversions. Private to src/report/.
//
// The layout protobuf 3.21 writes (checked against it in
// tests/json_writer_test.cc):
// - Indentation is ONE space per nesting level. The members of the top-level
//   object are at depth 1; the members of an object that is the value of a
//   member (or array element) at depth d are at depth d + 1.
// - A member at depth d: "," first unless it is its object's first member,
//   then "\n", d spaces, "\"name\": " (the .proto field name), the value.
// - An object value at depth d: "{", its members (at depth d + 1), then "\n",
//   d spaces, "}". An object without members is "{}".
// - A repeated field is a member whose value is an array: "[", then each
//   element as "," (not before the first), "\n", d + 1 spaces, the element
//   (an object element's members at depth d + 2), then "\n", d spaces, "]".
//   An empty repeated field is not written; there is never "[]".
// - The document is the top-level object at depth 0 followed by one "\n":
//   "{\n \"a\": 1\n}\n", or "{}\n" for a message with nothing to print.
// - Members are in field-number order. Implicit-presence (proto3 plain)
//   scalars are left out when zero/empty (a double or float is zero when its
//   bits are: -0.0 is written, as protobuf serializes it); fields with
//   presence (`optional`, oneof members, sub-messages) are written when
//   set, even when zero or empty.
// - Values: int32/uint32 and their kin as numbers; int64/uint64 and kin as
//   quoted decimal strings; bool true/false; enums by value name, a number
//   without a name as the number; bytes as quoted base64 with padding;
//   double as printf "%.15g", or "%.17g" when the %.15g text does not read
//   back as the same double (protobuf's SimpleDtoa), float likewise with
//   %.6g / %.9g (SimpleFtoa, whose read-back check also fails on strtof's
//   range error: a subnormal float gets %.9g); NaN, Infinity and -Infinity as
//   quoted strings "NaN", "Infinity", "-Infinity".
// - Strings: quote, backslash, the C0 controls and DEL, '<', '>', the C1
//   controls (U+0080-U+009F) and the "invisible" code points protobuf's
//   json_escaping.cc lists (U+00AD, U+0600-0603, U+06DD, U+070F, U+17B4-5,
//   U+200B-200F, U+2028-202E, U+2060-2064, U+206A-206F, U+FEFF,
//   U+FFF9-FFFB, and U+E0001, U+1D173-1D17A, U+E0020-E007F as surrogate
//   pairs) are escaped as json_escaping.cc escapes them (\b \t \n \f \r \"
//   \\ and lower-case \uXXXX); other code points are copied as they are.
//   Bytes that are not UTF-8 are dropped as protobuf drops them (a byte
//   that cannot start a sequence alone; a sequence cut short by a bad byte
//   together with that byte; a sequence cut short by the end; a sequence
//   naming a surrogate or a code point above U+10FFFF); an overlong
//   sequence counts as the code point it spells.
//
// Fallback: a message type that (through its sub-message fields) uses a
// map, a google.protobuf.* type (Any, Timestamp, Duration, wrappers,
// Struct, FieldMask, ...: protobuf writes these specially), a group, or is
// not proto3 syntax, or is itself a map entry, is printed by protobuf's own
// printer (decided once per type). So is a message nested deeper than 32
// levels (protobuf stops at its recursion limit), and a message holding an
// unknown field whose number is a known field's with another wire type
// (protobuf's printer reads it as the field's type; when it is inside an
// element of a top-level repeated field, only that element falls back).
// Other unknown fields, groups included, are skipped as protobuf skips
// them (a message holding any, at any depth, is written from serialized
// bytes: the element of a top-level repeated field holding it, the member
// of another top-level field, or the whole message). All of these give
// protobuf's bytes exactly; the functions below place them at the
// requested depth (by re-indenting protobuf's output, whose only raw
// newlines are its layout's).
//
// Thread safety: all functions may be called from several threads at once
// (the per-type tables are built once, under a lock).
#ifndef VIGIL_SRC_REPORT_JSON_WRITER_H_
#define VIGIL_SRC_REPORT_JSON_WRITER_H_

#include <cstddef>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace vigil {
namespace internal {

// Exactly what protobuf 3.21's MessageToJsonString writes for `message` with
// add_whitespace and preserve_proto_field_names: the whole document,
// including its final "\n" (AppendJsonObject(message, 0) then "\n").
std::string MessageJson(const google::protobuf::Message& message);
void AppendMessageJson(const google::protobuf::Message& message,
                       std::string* out);

// Appends the members of `message` that the printer would print whose field
// numbers are in [first_field, last_field], in field-number order, each as
// the printer writes a member of an object at nesting `depth` (depth 1 =
// members of the top-level object): "," unless *first, then "\n", `depth`
// spaces, "\"name\": ", the value (an object or array value laid out at
// `depth` as described above). Nothing follows the last member. Sets
// *first = false if it appended anything.
void AppendJsonMembers(const google::protobuf::Message& message,
                       int first_field, int last_field, int depth, bool* first,
                       std::string* out);

// Appends `message` as the printer writes an object VALUE whose own members
// are at nesting depth + 1: "{", the members, "\n" and `depth` spaces, "}";
// "{}" when it has no member to print. Nothing before or after it.
void AppendJsonObject(const google::protobuf::Message& message, int depth,
                      std::string* out);

// Pieces for writing a repeated message field element by element (what
// AppendJsonMembers writes for it in one go):
//   AppendJsonArrayOpen("assessments", 1, &first, &out);   // member + "["
//   for (i...) AppendJsonArrayElement(element_i, 1, i == 0, &out);
//   AppendJsonArrayClose(1, &out);                          // "\n ]"
// Open appends "," unless *first, "\n", `depth` spaces, "\"name\": [" and
// sets *first = false. Element appends "," unless first_element, "\n",
// depth + 1 spaces, and the element as AppendJsonObject(element, depth + 1).
// Close appends "\n", `depth` spaces, "]". Call Open only for a non-empty
// field: protobuf writes no member for an empty one.
void AppendJsonArrayOpen(absl::string_view name, int depth, bool* first,
                         std::string* out);
void AppendJsonArrayElement(const google::protobuf::Message& element, int depth,
                            bool first_element, std::string* out);
void AppendJsonArrayClose(int depth, std::string* out);

// As AppendJsonArrayElement, but written over `out` from `pos` on (what
// `out` holds past `pos` is scratch, and stays: `out` is grown when the
// element needs more room; only an element protobuf's printer writes trims
// it to its end). Returns the position after the
// element. For many elements into one buffer kept at its size: appending
// each would trim the buffer and zero-fill it again as it regrows.
size_t WriteJsonArrayElement(const google::protobuf::Message& element,
                             int depth, bool first_element, std::string* out,
                             size_t pos);

// Closes a top-level object opened with "{" whose members were appended
// with AppendJsonMembers(..., depth 1, &first, ...): "}\n" when it had none
// (`first` still true), else "\n}\n". With "{" before the members, the
// result is the bytes of MessageJson.
void AppendJsonDocumentClose(bool first, std::string* out);

// Writes MessageJson(message) to `out` without holding the whole document
// or the whole binary: in pieces of about `chunk_bytes` (written out after
// the top-level array element that fills one), each element of a repeated
// message field written alone (a 57 MB report is never one string). A message
// that falls back to protobuf (see above), or has unknown fields of its own, is
// printed whole first. Returns whether every write succeeded (out.good()).
bool PrintMessageJson(const google::protobuf::Message& message,
                      std::ostream& out, size_t chunk_bytes = 1 << 20);

// The value pieces, exposed for their tests: `value` as protobuf's
// SimpleDtoa / SimpleFtoa write a finite number (printf "%.15g" or "%.17g";
// "%.6g" or "%.9g"), and `text` escaped as protobuf's JSON printer escapes
// a string's contents (no quotes around it).
void AppendDouble(double value, std::string* out);
void AppendFloat(float value, std::string* out);
void AppendEscapedString(absl::string_view text, std::string* out);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_JSON_WRITER_H_
