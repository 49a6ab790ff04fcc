// vigil: the Early Warning Dashboard from a rule pack and data.
//
//   vigil evaluate --rules PACK --data DATA [--providers F] [--indicators F]
//                  [--plans F] [--cquin-weights F] [--as-of PERIOD] [--format
//                  table|json|csv|html] [--chart-periods N]
//                  [--output F]
//   vigil validate --rules PACK [--indicators F]
//   vigil spc --input SERIES.csv [--output OUT.csv] [options]
//   vigil funnel --input GROUPS.csv [--output OUT.csv] --type TYPE [options]
//   vigil backtest --rules PACK --data DATA --from PERIOD --to PERIOD
//   vigil version
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <new>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backtest_command.h"
#include "cquin_weights.h"
#include "evaluate_io.h"
#include "flags.h"
#include "funnel_command.h"
#include "google/protobuf/arena.h"
#include "spc_command.h"
#include "std_files.h"
#include "suggest.h"
#include "vigil/engine.h"
#include "vigil/html_report.h"
#include "vigil/io.h"
#include "vigil/period.h"
#include "vigil/report_output.h"
#include "vigil/rule_check.h"

namespace vigil_tool {
namespace {

constexpr char kUsage[] =
    R"(vigil: the Early Warning Dashboard of a commissioner's providers.

Usage:
  vigil evaluate --rules PACK --data DATA [options]
  vigil validate --rules PACK [--indicators FILE]
  vigil spc --input SERIES.csv [--output OUT.csv] [options]
  vigil funnel --input GROUPS.csv [--output OUT.csv] --type TYPE [options]
  vigil backtest --rules PACK --data DATA --from PERIOD --to PERIOD [options]
  vigil version
  vigil help [COMMAND]

Run 'vigil help evaluate' (or validate, spc, funnel, backtest) for a
command's flags.
)";

constexpr char kEvaluateUsage[] =
    R"(vigil evaluate: rate every provider against a rule pack.

  --rules PACK        Rule pack: .textproto, .json or .pb (vigil.v1.RuleSet).
                      Required.
  --data DATA         Observations: a CSV (provider_id,indicator_id,period,
                      value,numerator,denominator,status) or a whole
                      vigil.v1.Dataset as .json, .textproto or .pb. Required;
                      may be given more than once.
  --providers F       Providers: CSV (id,name,type,tags) or JSON. Optional:
                      without any, provider ids in the data are used as is.
  --indicators F      Indicators: CSV (id,name,domain,unit,polarity,frequency,
                      rate_multiplier,tags) or JSON. Required unless DATA is a
                      Dataset that defines them.
  --plans F           Plan values (trajectories): a CSV (provider_id,
                      indicator_id,period,value) or JSON. Optional; may be
                      given more than once. Each value is what the contract
                      plans for a provider's indicator in one period, in the
                      indicator's frequency and unit.
  --cquin-weights F   Each provider's value of each CQUIN scheme: a CSV
                      (rule_id,provider_id,weight) naming milestone rules of
                      the pack; replaces the pack's weight for those
                      providers. Optional.
  --as-of PERIOD      Evaluate as of this period (2019-03, 2019-Q1,
                      2019-03-15, 2019). Default: the latest period with data.
                      Later data is not used, so a past as-of shows what the
                      dashboard would have said then.
  --format FORMAT     table (default): providers worst first with reasons;
                      json: the full vigil.v1.Report; csv: one row per
                      assessment; html: the board's dashboard, one
                      self-contained page with SPC charts and Making Data
                      Count icons. Default from --output's extension (.json,
                      .csv, .html/.htm), else table.
  --chart-periods N   Periods of each SPC chart the report carries, for
                      drawing (default 36 with html, else 0).
  --output F          Write to F instead of standard output ("-": standard
                      output). A JSON report is written as it is evaluated,
                      a batch of providers at a time, so it is never whole
                      in memory (an evaluation that fails leaves F empty;
                      to standard output, part of it may have gone out).
  --diagnostics F     Write every diagnostic (rows not used, warnings) to F
                      as CSV. Whatever the format, a one-line summary of them
                      goes to standard error.
  --strict            Exit with status 3 when any row is not used, or the
                      as-of period lies outside the data (then nothing is
                      evaluated). Without it both are warnings on standard
                      error.
  --threads N         Worker threads for the evaluation and for writing
                      --format json (default 1). The report is the same
                      whatever N is.
  --max-periods-per-series N
                      The most periods one series (or plan) may span from
                      its first row to its last (default 100000: 273 years
                      of days). A series spanning more fails the run, naming
                      it, before memory is allocated.
  --max-stored-periods N
                      The most periods stored over all series and plans
                      (default 30000000, about 750 MB).
  --max-assessments N The most assessments in the report (default 2000000,
                      about 1 GB); more fails the run.

Any file argument may be "-" for standard input (CSV data, or JSON; a rule
pack in text format or JSON), once. Bad rows do not stop the run: each is
listed as a diagnostic with its file, line and reason. A file that cannot be
read, or a rule pack with a mistake, is an error (exit status 1); a usage
mistake exit status 2; --strict's refusals exit status 3.
)";

constexpr char kValidateUsage[] =
    R"(vigil validate: check a rule pack without data.

  --rules PACK        Rule pack: .textproto, .json or .pb. Required.
  --indicators FILE   Also check each rule against the indicators it selects
                      (indicators.csv, or a Dataset's indicators): a rule
                      that needs a direction (threshold, trend, trajectory,
                      peer, milestone) on an indicator whose polarity is
                      neutral or unset, without a polarity of its own, an
                      SPC rule on one whose polarity is unset, and a
                      selector naming an indicator the file does not define
                      or matching none are warnings on stderr, naming the
                      rule and the indicator (exit status still 0).

Either file may be "-" for standard input (a pack in text format or JSON;
indicators as CSV or a JSON Dataset), once. Enum values may be spelt in full
(POLARITY_HIGHER_IS_BETTER) or short (higher_is_better, in any case), as in
the CSV files (docs/rules.md).
Prints "ok" and a summary, or the first mistake naming the rule and field
(exit status 1).
)";

int Fail(const std::string& message) {
  std::cerr << "vigil: " << message << "\n";
  return 1;
}

int UsageError(const std::string& message, const char* usage) {
  std::cerr << "vigil: " << message << "\n\n" << usage;
  return 2;
}

// Prints a warning for each rule that makes no sense for the indicators in
// `path`. False (with the error printed) when the file cannot be read.
bool CheckIndicators(const vigil::v1::RuleSet& rules, const std::string& path,
                     StandardInput* in) {
  vigil::DatasetIndexer indexer;
  if (absl::Status s = AddData("indicators", path, vigil::DataKind::kIndicators,
                               in, &indexer);
      !s.ok()) {
    Fail(std::string(s.message()));
    return false;
  }
  const vigil::SeriesStore store = std::move(indexer).Build();
  for (const vigil::v1::Diagnostic& d : store.diagnostics()) {
    if (d.severity() == vigil::v1::DIAGNOSTIC_SEVERITY_ERROR) {
      std::cerr << "vigil: warning: " << d.message() << "\n";
    }
  }
  for (const vigil::RuleWarning& w :
       vigil::CheckRulesAgainstIndicators(rules, store.indicators())) {
    std::cerr << "vigil: warning: " << w.message << "\n";
  }
  return true;
}

int Validate(int argc, char** argv) {
  Flags flags({"rules", "indicators"}, {"help"});
  std::string error;
  if (!flags.Parse(argc, argv, 2, &error)) {
    return UsageError(error, kValidateUsage);
  }
  if (flags.Has("help")) {
    std::cout << kValidateUsage;
    return 0;
  }
  if (!flags.Has("rules"))
    return UsageError("--rules is required", kValidateUsage);
  const std::string path = flags.Get("rules");
  StandardInput in;
  absl::StatusOr<vigil::v1::RuleSet> rules = LoadRules(path, &in);
  if (!rules.ok()) return Fail(std::string(rules.status().message()));
  absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
      vigil::Engine::Create(*rules);
  if (!engine.ok()) {
    return Fail(absl::StrCat(path == "-" ? "stdin" : path, ": ",
                             engine.status().message()));
  }
  if (flags.Has("indicators") &&
      !CheckIndicators(*rules, flags.Get("indicators"), &in)) {
    return 1;
  }
  std::cout << "ok: " << path << ": rule pack '" << rules->id() << "'";
  if (!rules->version().empty()) std::cout << " v" << rules->version();
  int disabled = 0;
  for (const vigil::v1::Rule& rule : rules->rules()) {
    disabled += rule.disabled() ? 1 : 0;
  }
  std::cout << ", " << rules->rules_size() << " rules";
  if (disabled > 0) std::cout << " (" << disabled << " disabled)";
  std::cout << ", " << rules->standards_size() << " standards\n";
  return 0;
}

// The format an --output path's extension names ("table" when none does).
std::string FormatFromOutput(const std::string& path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) {
    return "table";
  }
  std::string ext = path.substr(dot + 1);
  for (char& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "json" || ext == "csv") return ext;
  if (ext == "html" || ext == "htm") return "html";
  return "table";
}

int Evaluate(int argc, char** argv) {
  Flags flags({"rules", "data", "providers", "indicators", "plans",
               "cquin-weights", "as-of", "format", "output", "threads",
               "chart-periods", "max-periods-per-series", "max-stored-periods",
               "max-assessments", "diagnostics"},
              {"help", "strict"},
              {"data", "providers", "indicators", "plans", "cquin-weights"});
  std::string error;
  if (!flags.Parse(argc, argv, 2, &error)) {
    return UsageError(error, kEvaluateUsage);
  }
  if (flags.Has("help")) {
    std::cout << kEvaluateUsage;
    return 0;
  }
  if (!flags.Has("rules"))
    return UsageError("--rules is required", kEvaluateUsage);
  if (!flags.Has("data"))
    return UsageError("--data is required", kEvaluateUsage);
  const std::string output = flags.Get("output", "-");
  const std::string format = flags.Get("format", FormatFromOutput(output));
  if (format != "table" && format != "json" && format != "csv" &&
      format != "html") {
    return UsageError("--format must be table, json, csv or html",
                      kEvaluateUsage);
  }
  vigil::EvaluateOptions options;
  if (!absl::SimpleAtoi(flags.Get("threads", "1"), &options.threads) ||
      options.threads < 1 || options.threads > 256) {
    return UsageError("--threads must be a whole number from 1 to 256",
                      kEvaluateUsage);
  }
  if (!absl::SimpleAtoi(
          flags.Get("chart-periods", format == "html" ? "36" : "0"),
          &options.chart_periods) ||
      options.chart_periods < 0 ||
      options.chart_periods > vigil::EvaluateOptions::kMaxChartPeriods) {
    return UsageError(absl::StrCat("--chart-periods must be a whole number "
                                   "from 0 to ",
                                   vigil::EvaluateOptions::kMaxChartPeriods),
                      kEvaluateUsage);
  }
  vigil::IndexLimits limits;
  for (const auto& [flag, value] :
       {std::pair<const char*, int64_t*>{"max-periods-per-series",
                                         &limits.max_periods_per_series},
        {"max-stored-periods", &limits.max_stored_periods},
        {"max-assessments", &options.max_assessments}}) {
    if (!flags.Has(flag)) continue;
    if (!absl::SimpleAtoi(flags.Get(flag), value) || *value < 1) {
      return UsageError(
          absl::StrCat("--", flag, " must be a whole number of at least 1"),
          kEvaluateUsage);
    }
  }
  if (!flags.Get("as-of").empty()) {
    absl::StatusOr<vigil::Period> as_of =
        vigil::ParsePeriod(flags.Get("as-of"));
    if (!as_of.ok()) {
      return UsageError(absl::StrCat("--as-of: ", as_of.status().message()),
                        kEvaluateUsage);
    }
  }
  // The outputs are opened first: a path that cannot be written fails
  // before the work, with the system's reason.
  OutputFile output_file;
  std::string open_error;
  if (!output_file.Open(output, &open_error)) return Fail(open_error);
  std::ostream* out = &output_file.stream();
  OutputFile diagnostics_file;
  if (flags.Has("diagnostics") &&
      !diagnostics_file.Open(flags.Get("diagnostics"), &open_error)) {
    return Fail(open_error);
  }
  StandardInput standard_input;
  absl::StatusOr<vigil::v1::RuleSet> rules =
      LoadRules(flags.Get("rules"), &standard_input);
  if (!rules.ok()) return Fail(std::string(rules.status().message()));
  for (const std::string& path : flags.GetAll("cquin-weights")) {
    absl::Status s = ApplyCquinWeights(path, &*rules);
    if (!s.ok()) return Fail(std::string(s.message()));
  }
  absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
      vigil::Engine::Create(*rules);
  if (!engine.ok()) {
    return Fail(
        absl::StrCat(flags.Get("rules"), ": ", engine.status().message()));
  }
  vigil::DatasetIndexer indexer;
  if (absl::Status s = AddDataFlags(flags, &standard_input, &indexer);
      !s.ok()) {
    return Fail(std::string(s.message()));
  }
  // JSON is streamed, unless the diagnostics go to standard output too
  // (they come first there). Other formats need the whole report: it lives
  // on an arena (one allocation per block, not per string), and the indexed
  // data is freed before it is written. Streamed, `report` gets all but the
  // assessments.
  const bool stream_json =
      format == "json" && !(output == "-" && flags.Has("diagnostics") &&
                            flags.Get("diagnostics") == "-");
  google::protobuf::Arena arena(vigil::ReportArenaOptions());
  auto* report =
      google::protobuf::Arena::CreateMessage<vigil::v1::Report>(&arena);
  {
    const absl::StatusOr<vigil::SeriesStore> store =
        std::move(indexer).Build(limits);
    if (!store.ok()) return Fail(std::string(store.status().message()));
    if (!flags.Get("as-of").empty()) {
      const std::string outside =
          AsOfOutsideData(*store, *vigil::ParsePeriod(flags.Get("as-of")));
      if (!outside.empty() && flags.Has("strict")) {
        std::cerr << "vigil: " << outside << " (--strict)\n";
        return 3;
      }
      if (!outside.empty()) std::cerr << "vigil: warning: " << outside << "\n";
    }
    if (stream_json) {
      // The JSON is written as the evaluation goes, a batch of providers
      // at a time: the whole report is never in memory.
      vigil::ReportJsonStream json(out, options.threads);
      const absl::Status s = (*engine)->EvaluateStreaming(
          *store, flags.Get("as-of"), options, &json, report);
      // On error `output_file` is discarded (left empty): no half report.
      if (!s.ok()) return Fail(std::string(s.message()));
    } else {
      const absl::Status s =
          (*engine)->EvaluateInto(*store, flags.Get("as-of"), options, report);
      if (!s.ok()) return Fail(std::string(s.message()));
    }
  }
  if (flags.Has("diagnostics")) {
    PrintDiagnosticsCsv(*report, diagnostics_file.stream());
    if (!diagnostics_file.Close(&error)) return Fail(error);
  }
  const std::string summary =
      DiagnosticsSummary(*report, flags.Has("diagnostics"));
  if (!summary.empty()) std::cerr << summary << "\n";

  if (stream_json) {
    // The JSON went out as the evaluation went.
  } else if (format == "json") {
    if (!vigil::PrintReportJson(*report, *out))
      return Fail("writing the JSON report failed");
  } else if (format == "csv") {
    vigil::PrintReportCsv(*report, *out);
  } else if (format == "html") {
    if (!vigil::PrintReportHtml(*report, *out))
      return Fail("writing the HTML report failed");
  } else {
    vigil::PrintReportTable(*report, *out);
  }
  if (!output_file.Close(&error)) return Fail(error);
  if (flags.Has("strict") &&
      report->observations_rejected() + report->plans_rejected() > 0) {
    std::cerr << "vigil: --strict: "
              << report->observations_rejected() + report->plans_rejected()
              << " rows not used (exit status 3)\n";
    return 3;
  }
  return 0;
}

int Help(int argc, char** argv) {
  const std::string topic = argc > 2 ? argv[2] : "";
  if (topic == "evaluate") {
    std::cout << kEvaluateUsage;
  } else if (topic == "validate") {
    std::cout << kValidateUsage;
  } else if (topic == "spc") {
    std::cout << SpcUsage();
  } else if (topic == "funnel") {
    std::cout << FunnelUsage();
  } else if (topic == "backtest") {
    std::cout << BacktestUsage();
  } else {
    std::cout << kUsage;
  }
  return 0;
}

}  // namespace
}  // namespace vigil_tool

namespace vigil_tool {
namespace {

int RunCommand(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "evaluate") return Evaluate(argc, argv);
  if (command == "validate") return Validate(argc, argv);
  if (command == "spc") return RunSpc(argc, argv);
  if (command == "funnel") return RunFunnel(argc, argv);
  if (command == "backtest") return RunBacktest(argc, argv);
  if (command == "version" || command == "--version") {
    std::cout << "vigil " << vigil::EngineVersion() << "\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    return Help(argc, argv);
  }
  std::cerr << "vigil: unknown command '" << command << "'"
            << DidYouMean(command, {"evaluate", "validate", "spc", "funnel",
                                    "backtest", "version", "help"})
            << "\n\n"
            << kUsage;
  return 2;
}

}  // namespace
}  // namespace vigil_tool

int main(int argc, char** argv) {
  // What libprotobuf would write to stderr on its own ("[libprotobuf
  // ERROR ...]") is said as the tool's own error, and fails the run.
  vigil::ProtobufLogCapture capture;
  int status = 1;
  // No exception ends the tool with an abort: out of memory (or any other)
  // is an error message and exit status 1.
  try {
    status = vigil_tool::RunCommand(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "vigil: out of memory (the input is too large for this "
                 "machine; see the --max-* flags of 'vigil help evaluate')\n";
    status = 1;
  } catch (const std::exception& e) {
    std::cerr << "vigil: internal error: " << e.what() << "\n";
    status = 1;
  }
  for (const std::string& line : capture.Take()) {
    std::cerr << "vigil: libprotobuf reported: " << line << "\n";
    if (status == 0) status = 1;
  }
  return status;
}
