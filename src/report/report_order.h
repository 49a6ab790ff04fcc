// The order a reader sees: providers and assessments worst first, the same
// in the table and the HTML page. Private to src/report/.
#ifndef VIGIL_SRC_REPORT_REPORT_ORDER_H_
#define VIGIL_SRC_REPORT_REPORT_ORDER_H_

#include <vector>

#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// Providers by worst rating, then escalation, reds and ambers (stable: ties
// keep the report's order, by id).
std::vector<const v1::ProviderSummary*> ProvidersWorstFirst(
    const v1::Report& report);

// `rows` by rating, worst first (stable).
void SortWorstFirst(std::vector<const v1::Assessment*>* rows);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_REPORT_ORDER_H_
