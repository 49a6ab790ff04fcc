// Enum values by their short lower-case names ("higher_is_better"), as the
// CSV files and the C API spell them.
#ifndef VIGIL_SRC_IO_ENUM_NAMES_H_
#define VIGIL_SRC_IO_ENUM_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace vigil {

// Accepts "higher_is_better", "HIGHER_IS_BETTER" or
// "POLARITY_HIGHER_IS_BETTER" (prefix "POLARITY_"); never the UNSPECIFIED
// value. False when `text` names no value.
bool ParseEnumName(const google::protobuf::EnumDescriptor* type,
                   absl::string_view prefix, absl::string_view text,
                   int* value);

// "higher_is_better, lower_is_better, ..." for error messages.
std::string EnumChoices(const google::protobuf::EnumDescriptor* type,
                        absl::string_view prefix);

}  // namespace vigil

#endif  // VIGIL_SRC_IO_ENUM_NAMES_H_
