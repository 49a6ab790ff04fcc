#include "src/report/report_order.h"

#include <algorithm>
#include <tuple>

#include "src/rules/format.h"

namespace vigil {
namespace internal {

std::vector<const v1::ProviderSummary*> ProvidersWorstFirst(
    const v1::Report& report) {
  std::vector<const v1::ProviderSummary*> providers;
  for (const v1::ProviderSummary& p : report.providers()) {
    providers.push_back(&p);
  }
  const auto key = [](const v1::ProviderSummary* p) {
    return std::make_tuple(-RatingSeverityRank(p->worst_rating()),
                           -static_cast<int>(p->escalation()),
                           -p->counts().red(), -p->counts().amber());
  };
  std::stable_sort(
      providers.begin(), providers.end(),
      [&](const v1::ProviderSummary* a, const v1::ProviderSummary* b) {
        return key(a) < key(b);
      });
  return providers;
}

void SortWorstFirst(std::vector<const v1::Assessment*>* rows) {
  std::stable_sort(rows->begin(), rows->end(),
                   [](const v1::Assessment* a, const v1::Assessment* b) {
                     return RatingSeverityRank(a->rating()) >
                            RatingSeverityRank(b->rating());
                   });
}

}  // namespace internal
}  // namespace vigil
