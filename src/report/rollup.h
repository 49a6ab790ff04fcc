// Provider roll-up: ratings counted by CQC domain, the worst rating, and the
// escalation level the Quality Surveillance Group acts on.
#ifndef VIGIL_SRC_REPORT_ROLLUP_H_
#define VIGIL_SRC_REPORT_ROLLUP_H_

#include <vector>

#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

// Adds one ProviderSummary per provider of `data` (sorted by id) from
// report->assessments(), which must be grouped by provider in the same order.
// A provider no rule selects is NOT_APPLICABLE; one selected but never
// assessed is NO_DATA.
void RollUpProviders(const SeriesStore& data,
                     const std::vector<char>& provider_selected,
                     const v1::EscalationPolicy& policy, v1::Report* report);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_ROLLUP_H_
