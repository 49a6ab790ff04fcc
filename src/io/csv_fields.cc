#include "src/io/csv_fields.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/data/diagnostics.h"
#include "vigil/csv_reader.h"
#include "vigil/names.h"

namespace vigil {
namespace csv_internal {

absl::Status MissingColumn(absl::string_view source, absl::string_view column,
                           absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, " line 1: no '", column,
                   "' column (expected columns: ", expected, ")"));
}

void ReportUnusedColumns(const CsvContext& ctx, const Header& header,
                         const std::vector<std::string>& known) {
  std::vector<std::string> unknown = header.Unknown(known);
  if (unknown.empty()) return;
  // A column name is shown as text (its bytes that are not UTF-8 as \xNN).
  for (std::string& name : unknown) name = PrintableText(name);
  ctx.indexer->AddDiagnostic(MakeDiagnostic(
      v1::DIAGNOSTIC_SEVERITY_WARNING, v1::DIAGNOSTIC_CODE_MALFORMED_ROW,
      ctx.source, 1, absl::StrJoin(unknown, ","),
      absl::StrCat(ctx.source, " line 1: column",
                   unknown.size() > 1 ? "s " : " ",
                   absl::StrJoin(unknown, ", "),
                   " not used (known: ", absl::StrJoin(known, ", "), ")")));
}

v1::Diagnostic RowError(const CsvContext& ctx, int64_t line,
                        v1::DiagnosticCode code, absl::string_view field,
                        absl::string_view why) {
  return MakeDiagnostic(v1::DIAGNOSTIC_SEVERITY_ERROR, code, ctx.source, line,
                        field,
                        absl::StrCat(DescribeRow(ctx.source, line), ": ", why,
                                     "; the row is not used"));
}

std::string RecordProblem(const std::string& error,
                          const std::vector<absl::string_view>& row,
                          const Header& header) {
  if (!error.empty()) return error;
  if (row.size() != header.size()) {
    return absl::StrCat(row.size(), " fields where the header has ",
                        header.size());
  }
  return "";
}

v1::Diagnostic UnreadableRow(const CsvContext& ctx, int64_t line,
                             const std::vector<absl::string_view>& row,
                             const int* key, absl::string_view what,
                             v1::DiagnosticCode code, absl::string_view field,
                             absl::string_view why) {
  return RowKeyDiagnostic(
      v1::DIAGNOSTIC_SEVERITY_ERROR, code, ctx.source, line, field,
      absl::StrCat(why, "; the ", what, " is not used"), Field(row, key[0]),
      Field(row, key[1]), Field(row, key[2]));
}

bool ParseNumber(absl::string_view text, bool* has, double* value) {
  *has = !text.empty();
  if (!*has) return true;
  return ParseDecimal(text, value);
}

}  // namespace csv_internal
}  // namespace vigil
