// Reading the columns of CSV data files: what the readers of observations
// (csv_observations.cc) and of the other kinds (csv_data.cc) share.
#ifndef VIGIL_SRC_IO_CSV_FIELDS_H_
#define VIGIL_SRC_IO_CSV_FIELDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
class CsvRecords;
namespace csv_internal {

// Column positions by header name (lower-cased, trimmed).
class Header {
 public:
  explicit Header(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      columns_[absl::AsciiStrToLower(absl::StripAsciiWhitespace(names[i]))] =
          static_cast<int>(i);
    }
    names_ = names;
  }
  int Find(absl::string_view name) const {
    auto it = columns_.find(name);
    return it == columns_.end() ? -1 : it->second;
  }
  // Names not in `known`, for a "not used" diagnostic.
  std::vector<std::string> Unknown(
      const std::vector<std::string>& known) const {
    std::vector<std::string> out;
    for (const std::string& n : names_) {
      const std::string key =
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(n));
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        out.push_back(n);
      }
    }
    return out;
  }
  size_t size() const { return names_.size(); }

 private:
  absl::flat_hash_map<std::string, int> columns_;
  std::vector<std::string> names_;
};

// Field `column` of a record (std::string or absl::string_view fields),
// trimmed; "" when the record has no such column.
template <typename Fields>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::string_view Field(const Fields& row,
                                                            int column) {
  if (column < 0 || column >= static_cast<int>(row.size())) return "";
  const absl::string_view field = row[column];
  if (field.empty() || (!absl::ascii_isspace(field.front()) &&
                        !absl::ascii_isspace(field.back()))) {
    return field;
  }
  return absl::StripAsciiWhitespace(field);
}

struct CsvContext {
  absl::string_view source;
  int source_id;
  DatasetIndexer* indexer;
};

absl::Status MissingColumn(absl::string_view source, absl::string_view column,
                           absl::string_view expected);

// A "columns not used" warning for the header's columns not in `known`.
void ReportUnusedColumns(const CsvContext& ctx, const Header& header,
                         const std::vector<std::string>& known);

// The error diagnostic of a definition row that is not used.
v1::Diagnostic RowError(const CsvContext& ctx, int64_t line,
                        v1::DiagnosticCode code, absl::string_view field,
                        absl::string_view why);

// Why a CSV record cannot be read as a row at all (the reader's error, or a
// field count other than the header's), or "".
std::string RecordProblem(const std::string& error,
                          const std::vector<absl::string_view>& row,
                          const Header& header);

// The diagnostic of a data row (an observation or plan, `what`) that cannot
// be read, with whatever key its columns `key` (provider, indicator,
// period) hold.
v1::Diagnostic UnreadableRow(const CsvContext& ctx, int64_t line,
                             const std::vector<absl::string_view>& row,
                             const int* key, absl::string_view what,
                             v1::DiagnosticCode code, absl::string_view field,
                             absl::string_view why);

// Parses an optional number; false when present but not a number.
bool ParseNumber(absl::string_view text, bool* has, double* value);

// Reads the observation records of `records` after its header into
// ctx.indexer (csv_observations.cc). With `threads` of 2 or more, a second
// thread splits and parses the records while this one indexes them: the
// same rows and diagnostics in the same order.
absl::Status ReadObservations(CsvRecords* records, const CsvContext& ctx,
                              const Header& header, int threads);

}  // namespace csv_internal
}  // namespace vigil

#endif  // VIGIL_SRC_IO_CSV_FIELDS_H_
