#include "src/io/enum_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace vigil {

// Accepts "higher_is_better", "HIGHER_IS_BETTER" or
// "POLARITY_HIGHER_IS_BETTER".
bool ParseEnumName(const google::protobuf::EnumDescriptor* type,
               absl::string_view prefix, absl::string_view text, int* value) {
  std::string upper = absl::AsciiStrToUpper(text);
  for (char& c : upper) {
    if (c == ' ' || c == '-') c = '_';
  }
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByName(upper);
  if (v == nullptr) v = type->FindValueByName(absl::StrCat(prefix, upper));
  if (v == nullptr || absl::EndsWith(v->name(), "UNSPECIFIED")) return false;
  *value = v->number();
  return true;
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* type,
                        absl::string_view prefix) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    absl::string_view name = type->value(i)->name();
    if (absl::EndsWith(name, "UNSPECIFIED")) continue;
    absl::ConsumePrefix(&name, prefix);
    names.push_back(absl::AsciiStrToLower(name));
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace vigil
