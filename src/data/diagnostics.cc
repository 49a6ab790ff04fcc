#include "src/data/diagnostics.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vigil {

v1::Diagnostic MakeDiagnostic(v1::DiagnosticSeverity severity,
                              v1::DiagnosticCode code, absl::string_view source,
                              int64_t row, absl::string_view field,
                              std::string message) {
  v1::Diagnostic d;
  d.set_severity(severity);
  d.set_code(code);
  d.set_source(std::string(source));
  d.set_row(row);
  d.set_field(std::string(field));
  d.set_message(std::move(message));
  return d;
}

std::string DescribeRow(absl::string_view source, int64_t row) {
  if (absl::EndsWithIgnoreCase(source, ".csv")) {
    return absl::StrCat(source, " line ", row);
  }
  return absl::StrCat(source, " #", row);
}

void SortDiagnostics(std::vector<v1::Diagnostic>* diagnostics) {
  std::sort(diagnostics->begin(), diagnostics->end(),
            [](const v1::Diagnostic& a, const v1::Diagnostic& b) {
              return std::make_tuple(absl::string_view(a.source()), a.row(),
                                     static_cast<int>(a.code()),
                                     absl::string_view(a.message())) <
                     std::make_tuple(absl::string_view(b.source()), b.row(),
                                     static_cast<int>(b.code()),
                                     absl::string_view(b.message()));
            });
}

}  // namespace vigil
