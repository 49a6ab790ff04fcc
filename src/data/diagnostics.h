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

// A diagnostic of one input row, its message "<row>: <why>", with the row's
// key (provider, indicator, period) set.
v1::Diagnostic RowKeyDiagnostic(v1::DiagnosticSeverity severity,
                                v1::DiagnosticCode code,
                                absl::string_view source, int64_t row,
                                absl::string_view field, absl::string_view why,
                                absl::string_view provider_id,
                                absl::string_view indicator_id,
                                absl::string_view period);

// "observations.csv line 12" for CSV files, "observations #12" otherwise.
std::string DescribeRow(absl::string_view source, int64_t row);

// Why `id` cannot be a provider or indicator id, or "" when it can: an id
// must be valid UTF-8 with no control character (NUL, tab, newline, DEL...).
std::string IdProblem(absl::string_view id);

// `text` with every byte that is not printable UTF-8 written as \xNN, for
// messages and the id fields of diagnostics ("R\xffRK").
std::string PrintableText(absl::string_view text);

// "is not valid UTF-8 (byte ff at position 3)", or "" for valid UTF-8.
std::string Utf8Problem(absl::string_view text);

// Display text (a name, a tag) must be valid UTF-8 to be written to JSON or
// protobuf. Replaces each invalid byte of `text` with U+FFFD and returns
// what was wrong ("is not valid UTF-8 (byte ff at position 3)"), or "" when
// the text was valid (and is left as it was).
std::string RepairUtf8(std::string* text);

// Sorts by source, row, code, then message: a total, input-order-free order.
void SortDiagnostics(std::vector<v1::Diagnostic>* diagnostics);

}  // namespace vigil

#endif  // VIGIL_SRC_DATA_DIAGNOSTICS_H_
