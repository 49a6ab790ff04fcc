// Building and ordering Diagnostic messages.
#ifndef VIGIL_SRC_DATA_DIAGNOSTICS_H_
#define VIGIL_SRC_DATA_DIAGNOSTICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "vigil/v1/report.pb.h"

namespace vigil {

v1::Diagnostic MakeDiagnostic(v1::DiagnosticSeverity severity,
                              v1::DiagnosticCode code, absl::string_view source,
                              int64_t row, absl::string_view field,
                              std::string message);

// "observations.csv line 12" for CSV files, "observations #12" otherwise.
std::string DescribeRow(absl::string_view source, int64_t row);

// Sorts by source, row, code, then message: a total, input-order-free order.
void SortDiagnostics(std::vector<v1::Diagnostic>* diagnostics);

}  // namespace vigil

#endif  // VIGIL_SRC_DATA_DIAGNOSTICS_H_
