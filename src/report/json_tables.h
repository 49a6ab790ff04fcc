// The per-type tables of the report JSON writer (json_writer.h): for each
// message type, its fields by number with their quoted keys (indented
// ahead for shallow depths) and enum names, and whether the fast path
// supports the type. Built once per type, under a lock. Private to
// src/report/.
#ifndef VIGIL_SRC_REPORT_JSON_TABLES_H_
#define VIGIL_SRC_REPORT_JSON_TABLES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace vigil {
namespace internal {
namespace json {

// Deeper messages go to protobuf's printer, which has a recursion limit
// (64) of its own: well below it, so that the fast path never meets it.
inline constexpr int kMaxDepth = 32;

// Members at depths below this have their indentation and key as one piece.
inline constexpr int kKeyDepths = 8;

struct Table;

// The types the direct path (json_direct.h) reads through their generated
// accessors, not Reflection: the many elements of a report.
enum class HotType { kNone, kAssessment, kEvidenceValue, kPeriodValue };

// Which hot type `d` is (by its name), when its fields are exactly those
// its writer in json_hot.cc was written for (numbers, names, types,
// presence, message types' names): a field added, removed or changed makes
// it kNone, read through Reflection. Sets *reflection to the generated
// type's Reflection: only messages with that Reflection are generated ones
// of the type (others, e.g. dynamic messages of a descriptor of the same
// name, are read through Reflection).
HotType HotTypeOf(const google::protobuf::Descriptor& d,
                  const google::protobuf::Reflection** reflection);

// A field of a message type, as the writer prints it.
struct FieldInfo {
  const google::protobuf::FieldDescriptor* field;
  google::protobuf::FieldDescriptor::Type type;  // How the value is encoded.
  bool repeated;
  // Printed when set (`optional`, oneof members, sub-messages); an
  // implicit-presence scalar is printed when not zero or empty.
  bool presence;
  int number;
  std::string key;  // "\"name\": "
  // "\n", d spaces and `key`, for members at depths d below kKeyDepths.
  std::vector<std::string> indented_keys;
  const Table* message = nullptr;  // A message field's type's table.
  // An enum field: "\"NAME\"" by number for numbers 0..size-1 that have a name
  // (empty where none); others are looked up.
  std::vector<std::string> enum_names;
};

// A message type's table: its fields and whether the fast path supports it.
struct Table {
  std::vector<FieldInfo> fields;  // By number.
  // Field number -> its entry in `fields`, for numbers below 256; larger
  // numbers are searched for in `fields`.
  std::vector<const FieldInfo*> by_number;

  const FieldInfo* Find(uint32_t number) const {
    if (number < by_number.size()) return by_number[number];
    for (const FieldInfo& f : fields) {
      if (static_cast<uint32_t>(f.number) == number) return &f;
    }
    return nullptr;
  }

  // A hot type, read through its generated accessors when a message's
  // Reflection is `hot_reflection` (fields in `fields` order).
  HotType hot = HotType::kNone;
  const google::protobuf::Reflection* hot_reflection = nullptr;

  bool self_supported = true;  // This type's own fields.
  bool checked = false;        // `supported` computed.
  bool supported = false;      // This type and every type it reaches.
  // Nesting of its sub-messages can exceed kMaxDepth (a recursive type).
  bool deep = false;
};

// The tables of the types met so far; see Cache().
class TableCache {
 public:
  // The table of `d`, with whether the fast path supports it (and all it
  // reaches).
  const Table& Get(const google::protobuf::Descriptor* d);

 private:
  // Builds the tables of `d` and the types it reaches (a type reaching
  // itself finds its own entry, filled before the lock is released).
  Table* Build(const google::protobuf::Descriptor* d);

  static bool AllSupported(const Table* t,
                           absl::flat_hash_set<const Table*>* seen);

  // Levels of messages in `t` (1 without sub-messages); "many" for a type
  // that reaches itself (a type still being walked). Memoized: a type that
  // meets one still being walked is in the cycle too.
  static int Levels(const Table* t,
                    absl::flat_hash_map<const Table*, int>* levels);

  std::mutex mu_;
  absl::flat_hash_map<const google::protobuf::Descriptor*,
                      std::unique_ptr<Table>>
      tables_;
};

// The process's table cache (never destroyed).
TableCache& Cache();

}  // namespace json
}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_JSON_TABLES_H_
