#include "evaluate_io.h"

#include <iostream>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "csv_cells.h"
#include "vigil/names.h"
#include "vigil/period.h"

namespace vigil_tool {
namespace {

bool StartsJson(const std::string& bytes) {
  for (char c : bytes) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' || c == '[';
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> StandardInput::Take(const std::string& flag) {
  if (!taken_by_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--", flag, " -: standard input is already read for --",
                     taken_by_, " (only one argument may be '-')"));
  }
  taken_by_ = flag;
  std::string bytes{std::istreambuf_iterator<char>(std::cin),
                    std::istreambuf_iterator<char>()};
  if (std::cin.bad()) {
    return absl::DataLossError(
        absl::StrCat("--", flag, " -: reading standard input failed"));
  }
  return bytes;
}

absl::Status AddData(const std::string& flag, const std::string& path,
                     vigil::DataKind kind, StandardInput* in,
                     vigil::DatasetIndexer* indexer) {
  if (path != "-") return vigil::AddDataFile(path, kind, indexer);
  absl::StatusOr<std::string> bytes = in->Take(flag);
  if (!bytes.ok()) return bytes.status();
  return vigil::AddDataBytes(
      *bytes, StartsJson(*bytes) ? vigil::Format::kJson : vigil::Format::kCsv,
      kind, "stdin", indexer);
}

absl::Status AddDataFlags(const Flags& flags, StandardInput* in,
                          vigil::DatasetIndexer* indexer) {
  for (const auto& [flag, kind] :
       {std::pair<const char*, vigil::DataKind>{"providers",
                                                vigil::DataKind::kProviders},
        {"indicators", vigil::DataKind::kIndicators},
        {"data", vigil::DataKind::kObservations},
        {"plans", vigil::DataKind::kPlans}}) {
    for (const std::string& path : flags.GetAll(flag)) {
      absl::Status s = AddData(flag, path, kind, in, indexer);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<vigil::v1::RuleSet> LoadRules(const std::string& path,
                                             StandardInput* in) {
  if (path != "-") return vigil::LoadRuleSet(path);
  absl::StatusOr<std::string> bytes = in->Take("rules");
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<vigil::v1::RuleSet> rules = vigil::ParseRuleSet(
      *bytes, StartsJson(*bytes) ? vigil::Format::kJson : vigil::Format::kText);
  if (!rules.ok()) {
    return absl::Status(rules.status().code(),
                        absl::StrCat("stdin: ", rules.status().message()));
  }
  return rules;
}

std::string DiagnosticsSummary(const vigil::v1::Report& report,
                               bool listed_in_file) {
  if (report.diagnostics_size() == 0) return "";
  int warnings = 0, notes = 0;
  const vigil::v1::Diagnostic* first = nullptr;
  for (const vigil::v1::Diagnostic& d : report.diagnostics()) {
    if (d.severity() == vigil::v1::DIAGNOSTIC_SEVERITY_WARNING) ++warnings;
    if (d.severity() == vigil::v1::DIAGNOSTIC_SEVERITY_INFO) ++notes;
    if (first == nullptr ||
        (d.severity() == vigil::v1::DIAGNOSTIC_SEVERITY_ERROR &&
         first->severity() != vigil::v1::DIAGNOSTIC_SEVERITY_ERROR)) {
      first = &d;
    }
  }
  std::vector<std::string> parts;
  const int64_t rejected =
      report.observations_rejected() + report.plans_rejected();
  if (rejected > 0) {
    parts.push_back(
        absl::StrCat(rejected, rejected == 1 ? " row" : " rows", " not used"));
  }
  if (warnings > 0) {
    parts.push_back(
        absl::StrCat(warnings, warnings == 1 ? " warning" : " warnings"));
  }
  if (notes > 0) {
    parts.push_back(absl::StrCat(notes, notes == 1 ? " note" : " notes"));
  }
  // The message names the file and line already.
  return absl::StrCat(
      "vigil: ", absl::StrJoin(parts, ", "), "; first: ", first->message(),
      listed_in_file ? "" : " (the full list: --diagnostics FILE)");
}

void PrintDiagnosticsCsv(const vigil::v1::Report& report, std::ostream& out) {
  out << "severity,code,source,row,field,provider_id,indicator_id,period,"
         "message,other_rows\n";
  for (const vigil::v1::Diagnostic& d : report.diagnostics()) {
    out << vigil::DiagnosticSeverityShortName(d.severity()) << ","
        << vigil::EnumShortName(d.code()) << "," << CsvText(d.source()) << ","
        << d.row() << "," << CsvText(d.field()) << ","
        << CsvText(d.provider_id()) << "," << CsvText(d.indicator_id()) << ","
        << CsvText(d.period()) << "," << CsvText(d.message()) << ","
        << CsvText(absl::StrJoin(d.other_rows(), " ")) << "\n";
  }
}

std::string AsOfOutsideData(const vigil::SeriesStore& store,
                            vigil::Period as_of) {
  const vigil::Period latest = store.latest_period();
  if (latest.frequency == vigil::Frequency::kUnspecified) return "";
  absl::CivilDay earliest = vigil::FirstDay(latest);
  vigil::Period earliest_period = latest;
  for (int s = 0; s < store.num_series(); ++s) {
    const vigil::Period first = store.series(s).first;
    if (vigil::FirstDay(first) < earliest) {
      earliest = vigil::FirstDay(first);
      earliest_period = first;
    }
  }
  if (vigil::FirstDay(as_of) > vigil::LastDay(latest)) {
    return absl::StrCat("--as-of ", vigil::DescribePeriod(as_of),
                        " is after the latest data (",
                        vigil::DescribePeriod(latest),
                        "): every rating is of data that is missing or old");
  }
  if (vigil::LastDay(as_of) < earliest) {
    return absl::StrCat("--as-of ", vigil::DescribePeriod(as_of),
                        " is before the earliest data (",
                        vigil::DescribePeriod(earliest_period),
                        "): there is nothing to rate yet");
  }
  return "";
}

}  // namespace vigil_tool
