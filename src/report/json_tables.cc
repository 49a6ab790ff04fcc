#include "src/report/json_tables.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

namespace vigil {
namespace internal {
namespace json {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// Whether `d` is a google.protobuf.* type (protobuf writes these specially).
bool IsProtobufType(const Descriptor& d) {
  return absl::StartsWith(d.full_name(), "google.protobuf.");
}

// Whether protobuf writes fields of `d` itself as json_writer.cc writes them.
bool SelfSupported(const Descriptor& d) {
  if (IsProtobufType(d) || d.options().map_entry()) return false;
  if (d.file()->syntax() != FileDescriptor::SYNTAX_PROTO3) return false;
  for (int i = 0; i < d.field_count(); ++i) {
    const FieldDescriptor& f = *d.field(i);
    if (f.is_map() || f.type() == FieldDescriptor::TYPE_GROUP) return false;
    if (f.message_type() != nullptr && IsProtobufType(*f.message_type())) {
      return false;
    }
  }
  return true;
}

// FieldInfo::enum_names of enum field `f`.
std::vector<std::string> EnumNames(const FieldDescriptor& f) {
  std::vector<std::string> names;
  const google::protobuf::EnumDescriptor& e = *f.enum_type();
  int size = 0;
  for (int i = 0; i < e.value_count(); ++i) {
    const int number = e.value(i)->number();
    if (number >= 0 && number < 1024) size = std::max(size, number + 1);
  }
  names.resize(size);
  for (int number = 0; number < size; ++number) {
    const auto* v = e.FindValueByNumber(number);
    if (v != nullptr) names[number] = "\"" + v->name() + "\"";
  }
  return names;
}

}  // namespace

const Table& TableCache::Get(const Descriptor* d) {
  std::lock_guard<std::mutex> lock(mu_);
  Table* t = Build(d);
  if (!t->checked) {
    absl::flat_hash_set<const Table*> seen;
    t->supported = AllSupported(t, &seen);
    absl::flat_hash_map<const Table*, int> levels;
    t->deep = Levels(t, &levels) > kMaxDepth;
    t->checked = true;
  }
  return *t;
}

Table* TableCache::Build(const Descriptor* d) {
  std::unique_ptr<Table>& slot = tables_[d];
  if (slot != nullptr) return slot.get();
  slot = std::make_unique<Table>();
  Table* t = slot.get();
  t->self_supported = SelfSupported(*d);
  t->hot = HotTypeOf(*d, &t->hot_reflection);
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < d->field_count(); ++i) fields.push_back(d->field(i));
  std::sort(fields.begin(), fields.end(),
            [](const FieldDescriptor* a, const FieldDescriptor* b) {
              return a->number() < b->number();
            });
  t->fields.reserve(fields.size());
  for (const FieldDescriptor* f : fields) {
    FieldInfo info;
    info.field = f;
    info.type = f->type();
    info.repeated = f->is_repeated();
    info.presence = f->has_presence();
    info.number = f->number();
    info.key = "\"" + f->name() + "\": ";
    for (int level = 0; level < kKeyDepths; ++level) {
      info.indented_keys.push_back("\n" + std::string(level, ' ') + info.key);
    }
    if (info.type == FieldDescriptor::TYPE_ENUM)
      info.enum_names = EnumNames(*f);
    t->fields.push_back(std::move(info));
  }
  for (const FieldInfo& info : t->fields) {
    if (info.number >= 256) break;
    if (t->by_number.size() <= static_cast<size_t>(info.number)) {
      t->by_number.resize(info.number + 1, nullptr);
    }
    t->by_number[info.number] = &info;
  }
  // Sub-tables after the fields: Build may rehash tables_ (the Table
  // objects themselves do not move).
  for (FieldInfo& info : t->fields) {
    if (info.type == FieldDescriptor::TYPE_MESSAGE && t->self_supported) {
      info.message = Build(info.field->message_type());
    }
  }
  return t;
}

bool TableCache::AllSupported(const Table* t,
                              absl::flat_hash_set<const Table*>* seen) {
  if (!seen->insert(t).second) return true;
  if (!t->self_supported) return false;
  for (const FieldInfo& f : t->fields) {
    if (f.message != nullptr && !AllSupported(f.message, seen)) return false;
  }
  return true;
}

int TableCache::Levels(const Table* t,
                       absl::flat_hash_map<const Table*, int>* levels) {
  constexpr int kMany = 1 << 20;
  const auto [it, inserted] = levels->try_emplace(t, kMany);
  if (!inserted) return it->second;
  int deepest = 0;
  for (const FieldInfo& f : t->fields) {
    if (f.message != nullptr)
      deepest = std::max(deepest, Levels(f.message, levels));
  }
  const int result = std::min(kMany, deepest + 1);
  (*levels)[t] = result;
  return result;
}

TableCache& Cache() {
  static TableCache* const cache = new TableCache();
  return *cache;
}

}  // namespace json
}  // namespace internal
}  // namespace vigil
