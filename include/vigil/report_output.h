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

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "vigil/engine.h"
#include "vigil/v1/report.pb.h"

namespace vigil {

// The Early Warning Dashboard: providers worst first, each with its
// assessments worst first (rating, rule id, "[rule name] reason", the name
// left out when empty or equal to the id), then a diagnostics summary.
void PrintReportTable(const v1::Report& report, std::ostream& out);

// Protobuf JSON with the .proto field names, one space of indentation per
// level: the bytes of protobuf's MessageToJsonString with add_whitespace and
// preserve_proto_field_names, from Vigil's own writer (about 4x faster).
std::string ReportJson(const v1::Report& report);
// The same bytes, streamed to `out` without holding the JSON in memory.
// Returns false when printing or writing failed.
bool PrintReportJson(const v1::Report& report, std::ostream& out);

// Writes the JSON report as Engine::EvaluateStreaming hands it on, the
// bytes PrintReportJson writes of the whole report, holding about 1 MB of
// JSON at a time rather than the report:
//   std::ofstream file("report.json", std::ios::binary);
//   vigil::ReportJsonStream json(&file);
//   vigil::v1::Report rest;  // Summaries, diagnostics, counts, funnels.
//   absl::Status s = engine->EvaluateStreaming(data, "2019-03", {}, &json,
//                                              &rest);
// A call whose writing fails returns DataLoss ("writing the JSON report
// failed"), which stops the evaluation. `out` must outlive the stream; one
// stream writes one report. Not thread-safe (EvaluateStreaming calls it
// from one thread).
//
// With `threads` of 2 or more, a batch of assessments is written as JSON by
// that many threads (each a part of the batch into its own buffer, written
// out in order: the same bytes); 1 writes on the calling thread.
class ReportJsonStream : public ReportStream {
 public:
  explicit ReportJsonStream(std::ostream* out, int threads = 1)
      : out_(out), threads_(threads < 1 ? 1 : threads) {}
  ReportJsonStream(const ReportJsonStream&) = delete;
  ReportJsonStream& operator=(const ReportJsonStream&) = delete;

  absl::Status Begin(const v1::Report& header) override;
  absl::Status Assessments(
      absl::Span<const v1::Assessment* const> assessments) override;
  absl::Status Finish(const v1::Report& rest) override;

 private:
  // Writes what is buffered when it passes `at_least` bytes.
  absl::Status Write(size_t at_least);

  // Writes `assessments` (none the array's first) on threads_ threads.
  absl::Status WriteInParallel(
      absl::Span<const v1::Assessment* const> assessments);

  std::ostream* const out_;
  const int threads_;
  // The first size_ bytes of json_ are not yet written; the rest is room
  // kept for the next ones.
  std::string json_;
  // The other threads' buffers (room kept between batches).
  std::vector<std::string> parts_;
  size_t size_ = 0;
  bool first_member_ = true;     // Of the report's object.
  bool in_assessments_ = false;  // Its array opened, not yet closed.
};

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
