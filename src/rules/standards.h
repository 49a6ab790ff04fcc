// Versioned national or local standards by indicator: the value in force in
// a period is the one with the latest effective_from on or before it.
#ifndef VIGIL_SRC_RULES_STANDARDS_H_
#define VIGIL_SRC_RULES_STANDARDS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "vigil/period.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

struct StandardValue {
  absl::CivilDay effective_from;  // 0001-01-01 when the pack gives none.
  double value = 0;               // In the indicator's unit.
  std::string name;               // May be empty.
};

// Immutable after Build; safe to read from many threads.
class StandardTable {
 public:
  // Validates and adds every standard of `rules`. InvalidArgument names the
  // standard and field ("standards[2].effective_from: ...").
  absl::Status Build(const v1::RuleSet& rules);
  // The standard in force for `indicator_id` in `period`, or nullptr.
  const StandardValue* Find(absl::string_view indicator_id,
                            Period period) const;
  bool Has(absl::string_view indicator_id) const {
    return by_indicator_.contains(indicator_id);
  }

 private:
  // Sorted by effective_from.
  absl::flat_hash_map<std::string, std::vector<StandardValue>> by_indicator_;
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_STANDARDS_H_
