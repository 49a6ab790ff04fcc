// Enum values by their short lower-case names ("higher_is_better"), as the
// CSV files and the C API spell them. Kept for existing callers; the names
// themselves come from vigil/names.h (one rule, from the descriptors).
#ifndef VIGIL_SRC_IO_ENUM_NAMES_H_
#define VIGIL_SRC_IO_ENUM_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace vigil {

// ParseEnumShortName (vigil/names.h): accepts "higher_is_better",
// "HIGHER_IS_BETTER" or "POLARITY_HIGHER_IS_BETTER"; never the UNSPECIFIED
// value. False when `text` names no value. `prefix` must be the enum's own
// prefix (EnumValuePrefix), which is what is used.
bool ParseEnumName(const google::protobuf::EnumDescriptor* type,
                   absl::string_view prefix, absl::string_view text,
                   int* value);

// EnumShortNameChoices (vigil/names.h): "higher_is_better, ..." for error
// messages. `prefix` as for ParseEnumName.
std::string EnumChoices(const google::protobuf::EnumDescriptor* type,
                        absl::string_view prefix);

}  // namespace vigil

#endif  // VIGIL_SRC_IO_ENUM_NAMES_H_
