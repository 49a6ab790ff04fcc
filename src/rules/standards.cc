#include "src/rules/standards.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace vigil {
namespace internal {

absl::Status StandardTable::Build(const v1::RuleSet& rules) {
  for (int i = 0; i < rules.standards_size(); ++i) {
    const v1::Standard& s = rules.standards(i);
    const std::string where = absl::StrCat("standards[", i, "]");
    if (s.indicator_id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".indicator_id: is empty"));
    }
    if (!std::isfinite(s.value())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".value: is not a finite number"));
    }
    StandardValue entry{absl::CivilDay(1, 1, 1), s.value(), s.name()};
    if (!s.effective_from().empty()) {
      absl::StatusOr<Period> from = ParsePeriod(s.effective_from());
      if (!from.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ".effective_from: ", from.status().message()));
      }
      entry.effective_from = FirstDay(*from);
    }
    std::vector<StandardValue>& list = by_indicator_[s.indicator_id()];
    for (const StandardValue& e : list) {
      if (e.effective_from == entry.effective_from) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ".effective_from: indicator '", s.indicator_id(),
            "' already has a standard effective from that date"));
      }
    }
    list.push_back(std::move(entry));
  }
  for (auto& [id, list] : by_indicator_) {
    std::sort(list.begin(), list.end(),
              [](const StandardValue& a, const StandardValue& b) {
                return a.effective_from < b.effective_from;
              });
  }
  return absl::OkStatus();
}

const StandardValue* StandardTable::Find(absl::string_view indicator_id,
                                         Period period) const {
  auto it = by_indicator_.find(indicator_id);
  if (it == by_indicator_.end()) return nullptr;
  const absl::CivilDay first = FirstDay(period);
  const StandardValue* found = nullptr;
  for (const StandardValue& e : it->second) {
    if (e.effective_from > first) break;
    found = &e;
  }
  return found;
}

}  // namespace internal
}  // namespace vigil
