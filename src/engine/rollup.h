// Provider roll-up: ratings counted by CQC domain, the worst rating, and the
// escalation level the Quality Surveillance Group acts on.
#ifndef VIGIL_SRC_ENGINE_ROLLUP_H_
#define VIGIL_SRC_ENGINE_ROLLUP_H_

#include "absl/types/span.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

// The escalation policy (vigil.v1.EscalationPolicy), defaults beside their
// fields: a pack value of 0 or less means the default.
struct EscalationConfig {
  // Enhanced surveillance at this many reds (rules of severity WARNING or
  // above).
  int enhanced_surveillance_min_red = 1;
  // Risk summit at this many reds from CRITICAL rules...
  int risk_summit_min_critical_red = 2;
  // ... or at reds in this many CQC domains.
  int risk_summit_min_red_domains = 3;
};

EscalationConfig CompileEscalation(const v1::EscalationPolicy& policy);

// Fills `summary` for `provider` from its assessments (all of them, any
// order). A provider no rule selects (`selected` false) is NOT_APPLICABLE;
// one selected but never assessed is NO_DATA. `summary.cquin` adds up the
// CQUIN money of the assessments that carry some.
void RollUpProvider(const v1::Provider& provider, bool selected,
                    absl::Span<const v1::Assessment* const> assessments,
                    const EscalationConfig& policy,
                    v1::ProviderSummary* summary);

// The escalation level RollUpProvider gives a provider with these
// assessments (ROUTINE for none), without the rest of the summary: for
// back-testing, where nothing else of it is read.
v1::EscalationLevel EscalationLevelOf(
    absl::Span<const v1::Assessment* const> assessments,
    const EscalationConfig& policy);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_ROLLUP_H_
