// Provider roll-up: ratings counted by CQC domain, the worst rating, and the
// escalation level the Quality Surveillance Group acts on.
#ifndef VIGIL_SRC_REPORT_ROLLUP_H_
#define VIGIL_SRC_REPORT_ROLLUP_H_

#include "absl/types/span.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

// Fills `summary` for `provider` from its assessments (all of them, any
// order). A provider no rule selects (`selected` false) is NOT_APPLICABLE;
// one selected but never assessed is NO_DATA.
void RollUpProvider(const v1::Provider& provider, bool selected,
                    absl::Span<const v1::Assessment* const> assessments,
                    const v1::EscalationPolicy& policy,
                    v1::ProviderSummary* summary);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_ROLLUP_H_
