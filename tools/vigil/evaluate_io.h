// What `vigil evaluate` reads and says besides the report: "-" as standard
// input, the diagnostics summary on stderr and the full list as CSV, and
// whether the as-of period lies outside the data.
#ifndef VIGIL_TOOLS_VIGIL_EVALUATE_IO_H_
#define VIGIL_TOOLS_VIGIL_EVALUATE_IO_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "flags.h"
#include "vigil/io.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil_tool {

// Standard input, for the file arguments given as "-": read once, whole.
class StandardInput {
 public:
  // The bytes of standard input; FailedPrecondition the second time (only
  // one argument may be "-").
  absl::StatusOr<std::string> Take(const std::string& flag);

 private:
  std::string taken_by_;  // The flag that read it, once read.
};

// Adds data `path` of `kind` ("-": standard input as CSV, or a JSON
// Dataset when it starts with '{' or '[').
absl::Status AddData(const std::string& flag, const std::string& path,
                     vigil::DataKind kind, StandardInput* in,
                     vigil::DatasetIndexer* indexer);

// Adds every --providers, --indicators, --data and --plans file of `flags`,
// in that order, as AddData does.
absl::Status AddDataFlags(const Flags& flags, StandardInput* in,
                          vigil::DatasetIndexer* indexer);

// Loads the rule pack at `path` ("-": standard input, text format, or JSON
// when it starts with '{').
absl::StatusOr<vigil::v1::RuleSet> LoadRules(const std::string& path,
                                             StandardInput* in);

// One line for stderr when the report has diagnostics ("" when none): how
// many rows were not used and warnings, the first reason, and where the
// full list is.
std::string DiagnosticsSummary(const vigil::v1::Report& report,
                               bool listed_in_file);

// Every diagnostic as CSV (severity,code,source,row,field,provider_id,
// indicator_id,period,message,other_rows), one per line after a header.
void PrintDiagnosticsCsv(const vigil::v1::Report& report, std::ostream& out);

// Why `as_of` lies outside the data's periods ("--as-of Mar 2030 is after
// the latest data, Mar 2019: ..."), or "" when it does not (or the store
// holds no value).
std::string AsOfOutsideData(const vigil::SeriesStore& store,
                            vigil::Period as_of);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_EVALUATE_IO_H_
