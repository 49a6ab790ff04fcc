#include "vigil/names.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace vigil {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;

const std::string& Empty() {
  static const std::string* const empty = new std::string();
  return *empty;
}

// "EscalationLevel" -> "ESCALATION_LEVEL_": an underscore before each
// capital that follows a lower-case letter or digit, or that starts a word
// after an acronym ("SPCState" -> "SPC_STATE_").
std::string PrefixOf(absl::string_view type_name) {
  std::string out;
  for (size_t i = 0; i < type_name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(type_name[i]);
    if (i > 0 && std::isupper(c)) {
      const unsigned char prev = static_cast<unsigned char>(type_name[i - 1]);
      const bool next_lower =
          i + 1 < type_name.size() &&
          std::islower(static_cast<unsigned char>(type_name[i + 1]));
      if (std::islower(prev) || std::isdigit(prev) ||
          (std::isupper(prev) && next_lower)) {
        out += '_';
      }
    }
    out += static_cast<char>(std::toupper(c));
  }
  out += '_';
  return out;
}

// The names of one enum's values, by number - min_number ("" in holes;
// vigil.v1 numbers are small and dense).
struct EnumNames {
  std::string prefix;
  int min_number = 0;
  std::vector<std::string> short_names;
  std::vector<std::string> labels;
};

class NameTable {
 public:
  NameTable() {
    const FileDescriptor* root = v1::Report::descriptor()->file();
    package_ = root->package();
    AddFile(root);
  }

  const EnumNames* Find(const EnumDescriptor* type) const {
    auto it = by_type_.find(type);
    return it == by_type_.end() ? nullptr : &it->second;
  }

  const EnumDescriptor* FindByName(absl::string_view name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

 private:
  void AddFile(const FileDescriptor* file) {
    if (file->package() != package_ || !files_.insert(file).second) return;
    for (int i = 0; i < file->dependency_count(); ++i) {
      AddFile(file->dependency(i));
    }
    for (int i = 0; i < file->enum_type_count(); ++i) Add(file->enum_type(i));
    for (int i = 0; i < file->message_type_count(); ++i) {
      AddMessage(file->message_type(i));
    }
  }

  void AddMessage(const Descriptor* message) {
    for (int i = 0; i < message->enum_type_count(); ++i) {
      Add(message->enum_type(i));
    }
    for (int i = 0; i < message->nested_type_count(); ++i) {
      AddMessage(message->nested_type(i));
    }
  }

  void Add(const EnumDescriptor* type) {
    EnumNames& names = by_type_[type];
    names.prefix = PrefixOf(type->name());
    int max_number = type->value(0)->number();
    names.min_number = max_number;
    for (int i = 0; i < type->value_count(); ++i) {
      names.min_number = std::min(names.min_number, type->value(i)->number());
      max_number = std::max(max_number, type->value(i)->number());
    }
    const size_t size = static_cast<size_t>(max_number - names.min_number) + 1;
    names.short_names.resize(size);
    names.labels.resize(size);
    for (int i = 0; i < type->value_count(); ++i) {
      absl::string_view name = type->value(i)->name();
      if (absl::StartsWith(name, names.prefix)) {
        name.remove_prefix(names.prefix.size());
      }
      const size_t slot =
          static_cast<size_t>(type->value(i)->number() - names.min_number);
      if (!names.short_names[slot].empty()) continue;  // An alias.
      std::string short_name = absl::AsciiStrToLower(name);
      std::string label = short_name;
      std::replace(label.begin(), label.end(), '_', ' ');
      names.short_names[slot] = std::move(short_name);
      names.labels[slot] = std::move(label);
    }
    // "PeerRule.Method" for vigil.v1.PeerRule.Method.
    by_name_[absl::string_view(type->full_name()).substr(package_.size() + 1)] =
        type;
  }

  std::string package_;
  absl::flat_hash_set<const FileDescriptor*> files_;
  absl::flat_hash_map<const EnumDescriptor*, EnumNames> by_type_;
  absl::flat_hash_map<absl::string_view, const EnumDescriptor*> by_name_;
};

const NameTable& Table() {
  static const NameTable* const table = new NameTable();
  return *table;
}

// The slot of `number` in `names`, or -1.
int64_t Slot(const EnumNames& names, int number) {
  const int64_t slot = static_cast<int64_t>(number) - names.min_number;
  return slot < 0 || slot >= static_cast<int64_t>(names.short_names.size())
             ? -1
             : slot;
}

}  // namespace

const std::string& EnumValuePrefix(const EnumDescriptor* type) {
  const EnumNames* names = Table().Find(type);
  return names == nullptr ? Empty() : names->prefix;
}

const std::string& EnumShortName(const EnumDescriptor* type, int number) {
  const EnumNames* names = Table().Find(type);
  if (names == nullptr) return Empty();
  const int64_t slot = Slot(*names, number);
  return slot < 0 ? Empty() : names->short_names[static_cast<size_t>(slot)];
}

const std::string& EnumLabel(const EnumDescriptor* type, int number) {
  const EnumNames* names = Table().Find(type);
  if (names == nullptr) return Empty();
  const int64_t slot = Slot(*names, number);
  return slot < 0 ? Empty() : names->labels[static_cast<size_t>(slot)];
}

const EnumDescriptor* FindEnumType(absl::string_view name) {
  return Table().FindByName(name);
}

bool ParseEnumShortName(const EnumDescriptor* type, absl::string_view text,
                        int* value) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), ' ', '_');
  std::replace(upper.begin(), upper.end(), '-', '_');
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByName(upper);
  if (v == nullptr) {
    v = type->FindValueByName(absl::StrCat(EnumValuePrefix(type), upper));
  }
  if (v == nullptr || absl::EndsWith(v->name(), "UNSPECIFIED")) return false;
  *value = v->number();
  return true;
}

std::string EnumShortNameChoices(const EnumDescriptor* type) {
  std::vector<absl::string_view> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (absl::EndsWith(type->value(i)->name(), "UNSPECIFIED")) continue;
    names.push_back(EnumShortName(type, type->value(i)->number()));
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace vigil
