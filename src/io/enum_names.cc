#include "src/io/enum_names.h"

#include <cassert>

#include "vigil/names.h"

namespace vigil {

bool ParseEnumName(const google::protobuf::EnumDescriptor* type,
                   absl::string_view prefix, absl::string_view text,
                   int* value) {
  assert(prefix == EnumValuePrefix(type));
  (void)prefix;
  return ParseEnumShortName(type, text, value);
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type,
                        absl::string_view prefix) {
  assert(prefix == EnumValuePrefix(type));
  (void)prefix;
  return EnumShortNameChoices(type);
}

}  // namespace vigil
