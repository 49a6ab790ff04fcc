// Names of vigil.v1 enum values, derived from the schema's descriptors: the
// one source of every spelling of a value outside protobuf JSON.
//
//   short name  the value's name without its enum's prefix, in lower case:
//               RATING_NO_DATA -> "no_data",
//               ESCALATION_LEVEL_ENHANCED_SURVEILLANCE ->
//               "enhanced_surveillance". CSV, the C API and Python use it.
//   label       the short name with spaces for underscores: "no data",
//               "enhanced surveillance". Tables and plain-English text.
//
// An enum's prefix is its name in UPPER_SNAKE case and "_": Rating ->
// "RATING_", EscalationLevel -> "ESCALATION_LEVEL_", PeerRule.Method ->
// "METHOD_". Every value of every vigil.v1 enum starts with it (a test
// checks). JSON keeps protobuf's mapping ("RATING_NO_DATA").
//
// Example:
//   const std::string& csv = vigil::RatingShortName(a.rating());  // "no_data"
//   out << vigil::EscalationLabel(p.escalation());  // enhanced surveillance
//   vigil::EnumShortName(a.domain());                  // "well_led"
//
// The names are computed once, on first use, for every enum of the vigil.v1
// files; a call is a look-up returning a reference to that table (no
// allocation). Thread safety: every function may be called from any thread.
#ifndef VIGIL_NAMES_H_
#define VIGIL_NAMES_H_

#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

// "RATING_" for Rating; "" for an enum outside vigil.v1.
const std::string& EnumValuePrefix(
    const google::protobuf::EnumDescriptor* type);

// Short name of value `number` of `type` ("no_data"; "unspecified" for
// RATING_UNSPECIFIED). "" when `type` is not a vigil.v1 enum or has no value
// `number`. The reference stays valid for the life of the process.
const std::string& EnumShortName(const google::protobuf::EnumDescriptor* type,
                                 int number);

// Label of value `number` of `type` ("no data"); "" as for EnumShortName.
const std::string& EnumLabel(const google::protobuf::EnumDescriptor* type,
                             int number);

// The same, for a value of a generated enum type:
// EnumShortName(v1::RATING_RED).
template <typename E, typename = std::enable_if_t<
                          google::protobuf::is_proto_enum<E>::value>>
const std::string& EnumShortName(E value) {
  return EnumShortName(google::protobuf::GetEnumDescriptor<E>(),
                       static_cast<int>(value));
}
template <typename E, typename = std::enable_if_t<
                          google::protobuf::is_proto_enum<E>::value>>
const std::string& EnumLabel(E value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(),
                   static_cast<int>(value));
}

// "green", "amber", "red", "no_data", "not_applicable".
inline const std::string& RatingShortName(v1::Rating rating) {
  return EnumShortName(rating);
}
// "green", "amber", "red", "no data", "not applicable".
inline const std::string& RatingLabel(v1::Rating rating) {
  return EnumLabel(rating);
}
// "routine", "enhanced_surveillance", "risk_summit".
inline const std::string& EscalationShortName(v1::EscalationLevel level) {
  return EnumShortName(level);
}
// "routine", "enhanced surveillance", "risk summit".
inline const std::string& EscalationLabel(v1::EscalationLevel level) {
  return EnumLabel(level);
}
// "info", "warning", "error".
inline const std::string& DiagnosticSeverityShortName(
    v1::DiagnosticSeverity severity) {
  return EnumShortName(severity);
}

// A vigil.v1 enum by its name inside the package: "Rating",
// "EscalationLevel", "PeerRule.Method". nullptr when there is none.
const google::protobuf::EnumDescriptor* FindEnumType(absl::string_view name);

// Reads a value of `type` written as its short name ("higher_is_better"),
// in any case, with spaces or hyphens for underscores, or as its full name
// ("POLARITY_HIGHER_IS_BETTER"). Never accepts an UNSPECIFIED value. False
// when `text` names no value.
bool ParseEnumShortName(const google::protobuf::EnumDescriptor* type,
                        absl::string_view text, int* value);

// "higher_is_better, lower_is_better, ..." (UNSPECIFIED left out), for
// error messages.
std::string EnumShortNameChoices(const google::protobuf::EnumDescriptor* type);

}  // namespace vigil

#endif  // VIGIL_NAMES_H_
