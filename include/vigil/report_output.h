// Rendering a Report for people (table) and programs (JSON, CSV), as the
// `vigil` tool writes it.
//
// Example:
//   vigil::PrintReportTable(report, std::cout);
//   std::ofstream csv("dashboard.csv");
//   vigil::PrintReportCsv(report, csv);
//
// Thread safety: free functions with no shared state; a report may be
// rendered from several threads at once.
#ifndef VIGIL_REPORT_OUTPUT_H_
#define VIGIL_REPORT_OUTPUT_H_

#include <ostream>
#include <string>

#include "vigil/v1/report.pb.h"

namespace vigil {

// The Early Warning Dashboard: providers worst first, each with its
// assessments worst first (rating, rule id, "[rule name] reason", the name
// left out when empty or equal to the id), then a diagnostics summary.
void PrintReportTable(const v1::Report& report, std::ostream& out);

// Protobuf JSON with the .proto field names, two-space indented.
std::string ReportJson(const v1::Report& report);
// The same bytes, streamed to `out` without holding the JSON in memory.
// Returns false when printing or writing failed.
bool PrintReportJson(const v1::Report& report, std::ostream& out);

// The CSV's first line: every field of vigil.v1.Assessment (a test walks the
// descriptor), provider_name from the provider summaries, SpcState's fields
// as spc_<field> (empty without SPC), and `evidence` in one cell.
extern const char kReportCsvHeader[];

// One row per assessment, RFC 4180, under kReportCsvHeader. Enum values are
// short names ("no_data", "well_led"; empty when not set), numbers the shortest
// text that reads back exactly, evidence "label[period]=value; ..." (the
// [period] only when the value has one), reason last. A text cell that a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
// carriage return, e.g. a provider named "=HYPERLINK(...)") gets a leading
// ' so it shows as text.
void PrintReportCsv(const v1::Report& report, std::ostream& out);

}  // namespace vigil

#endif  // VIGIL_REPORT_OUTPUT_H_
