// vigil backtest: the Early Warning Dashboard replayed at every as-of
// period of a range (Engine::EvaluateTimeline), written as a table, JSON
// (vigil.v1.Timeline), CSV (one row per period, provider, indicator and
// rule) or an HTML heat-map (providers by period, coloured by escalation).
#include "backtest_command.h"

#include <iostream>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "evaluate_io.h"
#include "flags.h"
#include "google/protobuf/util/json_util.h"
#include "std_files.h"
#include "vigil/engine.h"
#include "vigil/names.h"
#include "vigil/period.h"
#include "vigil/timeline_output.h"

namespace vigil_tool {
namespace {

constexpr char kUsage[] =
    R"(vigil backtest: the dashboard replayed at every as-of period of a range,
as it would have been seen then (later data is never used).

  --rules PACK        Rule pack. Required.
  --data DATA         Observations, as for vigil evaluate. Required; may be
                      given more than once.
  --providers F, --indicators F, --plans F
                      As for vigil evaluate.
  --from PERIOD       The first as-of period (2016-04). Required.
  --to PERIOD         The last, of the same frequency (2019-03). Required.
  --format FORMAT     table (default): each provider's escalation period by
                      period and each rule's first red; json: the
                      vigil.v1.Timeline; csv: one row per as-of period,
                      provider, indicator and rule: as_of,provider_id,
                      indicator_id,rule_id,rating (ratings as in evaluate's
                      CSV); html: a heat-map page of providers by
                      period coloured by escalation level. Default from
                      --output's extension.
  --output F          Write to F (default, or "-": standard output).
  --threads N         Worker threads for each evaluation (default 1).

Any file argument may be "-" for standard input, once. Exit status 0, 1 for
an error (naming the file, rule or period), 2 for a usage mistake.
)";

int Usage(const std::string& message) {
  std::cerr << "vigil backtest: " << message << "\n\n" << kUsage;
  return 2;
}

int Fail(const std::string& message) {
  std::cerr << "vigil backtest: " << message << "\n";
  return 1;
}

// One letter per escalation level, for the table.
char LevelLetter(int level) {
  switch (level) {
    case vigil::v1::ESCALATION_LEVEL_RISK_SUMMIT:
      return 'R';
    case vigil::v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE:
      return 'E';
    case vigil::v1::ESCALATION_LEVEL_ROUTINE:
      return '.';
    default:
      return ' ';
  }
}

std::string Describe(const std::string& period) {
  absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(period);
  return p.ok() ? vigil::DescribePeriod(*p) : period;
}

void PrintTable(const vigil::v1::Timeline& t, std::ostream& out) {
  const int n = t.as_of_size();
  out << "Back-test of " << t.ruleset_id();
  if (!t.ruleset_version().empty()) out << " " << t.ruleset_version();
  out << ": " << n << " as-of periods, " << Describe(t.as_of(0)) << " to "
      << Describe(t.as_of(n - 1))
      << "\nEscalation per period (R risk summit, E enhanced surveillance, "
         ". routine), then each rule's first red and longest red run.\n\n";
  size_t width = 8;
  for (const auto& p : t.providers()) {
    width = std::max(width, p.provider_id().size());
  }
  int next_rule = 0;
  for (const auto& p : t.providers()) {
    std::string levels;
    for (int level : p.escalation()) levels.push_back(LevelLetter(level));
    out << p.provider_id() << std::string(width - p.provider_id().size(), ' ')
        << "  " << levels << "\n";
    while (next_rule < t.rules_size() &&
           t.rules(next_rule).provider_id() < p.provider_id()) {
      ++next_rule;
    }
    for (; next_rule < t.rules_size() &&
           t.rules(next_rule).provider_id() == p.provider_id();
         ++next_rule) {
      const auto& r = t.rules(next_rule);
      if (r.first_red().empty()) continue;
      out << std::string(width + 2, ' ') << r.indicator_id() << " "
          << r.rule_id() << ": first red " << Describe(r.first_red())
          << ", longest red run " << r.longest_red_run() << " from "
          << Describe(r.longest_red_run_start()) << "\n";
    }
  }
}

void PrintCsv(const vigil::v1::Timeline& t, std::ostream& out) {
  out << "as_of,provider_id,indicator_id,rule_id,rating\n";
  for (int i = 0; i < t.as_of_size(); ++i) {
    for (const auto& r : t.rules()) {
      const auto rating = static_cast<vigil::v1::Rating>(r.ratings(i));
      if (rating == vigil::v1::RATING_UNSPECIFIED) continue;
      out << t.as_of(i) << "," << r.provider_id() << "," << r.indicator_id()
          << "," << r.rule_id() << "," << vigil::RatingShortName(rating)
          << "\n";
    }
  }
}

}  // namespace

const char* BacktestUsage() { return kUsage; }

int RunBacktest(int argc, char** argv) {
  Flags flags({"rules", "data", "providers", "indicators", "plans", "from",
               "to", "format", "output", "threads"},
              {"help"}, {"data", "providers", "indicators", "plans"});
  std::string error;
  if (!flags.Parse(argc, argv, 2, &error)) return Usage(error);
  if (flags.Has("help")) {
    std::cout << kUsage;
    return 0;
  }
  for (const char* required : {"rules", "data", "from", "to"}) {
    if (!flags.Has(required)) {
      return Usage(absl::StrCat("--", required, " is required"));
    }
  }
  const std::string output = flags.Get("output", "-");
  std::string format = flags.Get("format", "");
  if (format.empty()) {
    const size_t dot = output.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : output.substr(dot);
    format = ext == ".json"   ? "json"
             : ext == ".csv"  ? "csv"
             : ext == ".html" ? "html"
                              : "table";
  }
  if (format != "table" && format != "json" && format != "csv" &&
      format != "html") {
    return Usage("--format must be table, json, csv or html");
  }
  vigil::EvaluateOptions options;
  if (!absl::SimpleAtoi(flags.Get("threads", "1"), &options.threads) ||
      options.threads < 1 || options.threads > 256) {
    return Usage("--threads must be a whole number from 1 to 256");
  }
  OutputFile out_file;
  if (!out_file.Open(output, &error)) return Fail(error);
  StandardInput standard_input;
  absl::StatusOr<vigil::v1::RuleSet> rules =
      LoadRules(flags.Get("rules"), &standard_input);
  if (!rules.ok()) return Fail(std::string(rules.status().message()));
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
  absl::StatusOr<vigil::SeriesStore> store = std::move(indexer).Build();
  if (!store.ok()) return Fail(std::string(store.status().message()));
  vigil::v1::Timeline timeline;
  absl::Status s = (*engine)->EvaluateTimeline(
      *store, flags.Get("from"), flags.Get("to"), options, &timeline);
  if (s.code() == absl::StatusCode::kInvalidArgument) {
    return Usage(std::string(s.message()));
  }
  if (!s.ok()) return Fail(std::string(s.message()));
  std::ostream& out = out_file.stream();
  if (format == "json") {
    std::string json;
    google::protobuf::util::JsonPrintOptions print;
    print.add_whitespace = true;
    print.preserve_proto_field_names = true;
    if (!google::protobuf::util::MessageToJsonString(timeline, &json, print)
             .ok()) {
      return Fail("printing the timeline as JSON failed");
    }
    out << json;
  } else if (format == "csv") {
    PrintCsv(timeline, out);
  } else if (format == "html") {
    vigil::PrintTimelineHtml(timeline, store->providers(), out);
  } else {
    PrintTable(timeline, out);
  }
  out.flush();
  if (!out) return Fail("writing " + output + " failed");
  return 0;
}

}  // namespace vigil_tool
