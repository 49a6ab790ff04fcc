// Rendering a Report for people (table) and programs (JSON, CSV).
#ifndef VIGIL_TOOLS_VIGIL_REPORT_OUTPUT_H_
#define VIGIL_TOOLS_VIGIL_REPORT_OUTPUT_H_

#include <ostream>
#include <string>

#include "vigil/v1/report.pb.h"

namespace vigil_tool {

// The Early Warning Dashboard: providers worst first, each with its
// assessments worst first (rating, rule id, "[rule name] reason", the name
// left out when empty or equal to the id), then a diagnostics summary.
void PrintTable(const vigil::v1::Report& report, std::ostream& out);

// Protobuf JSON with the .proto field names, two-space indented.
std::string ReportJson(const vigil::v1::Report& report);
// The same bytes, streamed to `out` without holding the JSON in memory.
// Returns false when printing or writing failed.
bool PrintJson(const vigil::v1::Report& report, std::ostream& out);

// The CSV's first line: every field of vigil.v1.Assessment (a test walks the
// descriptor), provider_name from the provider summaries, SpcState's fields
// as spc_<field> (empty without SPC), and `evidence` in one cell.
extern const char kCsvHeader[];

// One row per assessment, RFC 4180, under kCsvHeader. Enum values are short
// names ("no_data", "well_led"; empty when not set), numbers the shortest
// text that reads back exactly, evidence "label[period]=value; ..." (the
// [period] only when the value has one), reason last.
void PrintCsv(const vigil::v1::Report& report, std::ostream& out);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_REPORT_OUTPUT_H_
