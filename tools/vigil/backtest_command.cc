// vigil backtest: the Early Warning Dashboard replayed at every as-of
// period of a range (Engine::EvaluateTimeline), written as a table, JSON
// (vigil.v1.Timeline), CSV (one row per period, provider, indicator and
// rule) or an HTML heat-map (providers by period, coloured by escalation);
// with outcomes, scored (vigil::ScoreTimeline) and summarised
// (backtest_summary.h), one pack or several compared.
#include "backtest_command.h"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backtest_summary.h"
#include "evaluate_io.h"
#include "flags.h"
#include "std_files.h"
#include "vigil/backtest.h"
#include "vigil/engine.h"
#include "vigil/names.h"
#include "vigil/period.h"
#include "vigil/timeline_output.h"

namespace vigil_tool {
namespace {

constexpr char kUsage[] =
    R"(vigil backtest: the dashboard replayed at every as-of period of a range,
as it would have been seen then (later data is never used), and scored
against outcomes: how many periods earlier each rule, and the pack, would
have warned, at what cost in false alarms.

  --rules PACK        Rule pack. Required. Give it more than once to compare
                      packs on the same data side by side.
  --data DATA         Observations, as for vigil evaluate. Required; may be
                      given more than once.
  --providers F, --indicators F, --plans F
                      As for vigil evaluate.
  --from PERIOD       The first as-of period (2016-04). Required.
  --to PERIOD         The last, of the same frequency (2019-03). Required.
  --format FORMAT     table (default): each provider's escalation period by
                      period and each rule's first red, then the lead-time
                      summary in plain English when there are outcomes; json:
                      the vigil.v1.Timeline (an array of them for several
                      packs); csv (one pack): one row per as-of period,
                      provider, indicator and rule: as_of,provider_id,
                      indicator_id,rule_id,rating (ratings as in evaluate's
                      CSV); html: a heat-map page of providers by
                      period coloured by escalation level. Default from
                      --output's extension.
  --output F          Write to F (default, or "-": standard output).
  --threads N         Worker threads for each evaluation (default 1).

Outcomes (one of):
  --outcomes F        CSV with columns provider_id,period,outcome: what the
                      warnings should have foreseen (a CQC rating, a risk
                      summit...). A date is taken as its period. Rows for a
                      provider not in the data or outside the range are
                      listed as not scored, never dropped in silence.
  --outcome-rule ID   The outcome is each as-of period rule ID starts rating
                      a provider red (the first red of each red run), e.g. a threshold rule with standard 80
                      and red_after_periods 3 for "4-hour performance below
                      80% for 3 consecutive months". ID is not scored.
  --outcome-rules PACK
                      The pack holding --outcome-rule's rule (default: the
                      first --rules pack that has it), back-tested on the
                      same data and range.
Scoring:
  --warn-after N      A warning is N consecutive as-of periods rated red; it
                      dates from the period the run reaches N (default 1).
  --horizon N         A warning foresees an outcome when still in force
                      within N periods before it; a warning with no outcome
                      within N periods of it is a false alarm, unless the
                      range ends first (then it is pending) (default 12).
  --outcomes-from PERIOD
                      The first period whose outcomes are scored (default:
                      --horizon periods after --from, so the whole horizon
                      before each scored outcome is in the range; earlier
                      ones are listed, not scored: the provider may have
                      been failing before the range began).
  --summary F         Write the scores to F: CSV (one row per pack and rule)
                      or JSON (vigil.v1.BacktestSummary), by extension.

Any file argument may be "-" for standard input, once. Exit status 0, 1 for
an error (naming the file, rule, line or period), 2 for a usage mistake.
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

}  // namespace

const char* BacktestUsage() { return kUsage; }

namespace {

// --warn-after / --horizon: a whole number from 1 to 10000.
bool ParseCount(const Flags& flags, const std::string& name, int fallback,
                int* value) {
  *value = fallback;
  if (!flags.Has(name)) return true;
  return absl::SimpleAtoi(flags.Get(name), value) && *value >= 1 &&
         *value <= 10000;
}

// The outcomes flags, checked before any file is read.
std::string CheckOutcomeFlags(const Flags& flags, const std::string& format,
                              size_t packs) {
  const bool outcomes = flags.Has("outcomes") || flags.Has("outcome-rule");
  if (flags.Has("outcomes") && flags.Has("outcome-rule")) {
    return "give --outcomes or --outcome-rule, not both";
  }
  if (flags.Has("outcome-rules") && !flags.Has("outcome-rule")) {
    return "--outcome-rules needs --outcome-rule (the rule of that pack "
           "that defines the outcome)";
  }
  for (const char* name :
       {"warn-after", "horizon", "outcomes-from", "summary"}) {
    if (flags.Has(name) && !outcomes) {
      return absl::StrCat("--", name,
                          " needs outcomes: --outcomes or --outcome-rule");
    }
  }
  if (flags.Has("summary")) {
    const std::string path = flags.Get("summary");
    const size_t dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot);
    if (ext != ".csv" && ext != ".json") {
      return "--summary must name a .csv or .json file";
    }
  }
  if ((format == "csv" || format == "html") && packs > 1) {
    return "--format " + format +
           " takes one --rules pack (the timeline has no pack column); "
           "compare packs in the table or with --summary";
  }
  return "";
}

}  // namespace

int RunBacktest(int argc, char** argv) {
  Flags flags(
      {"rules", "data", "providers", "indicators", "plans", "from", "to",
       "format", "output", "threads", "outcomes", "outcome-rule",
       "outcome-rules", "warn-after", "horizon", "outcomes-from", "summary"},
      {"help"}, {"rules", "data", "providers", "indicators", "plans"});
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
  const std::vector<std::string> pack_paths = flags.GetAll("rules");
  error = CheckOutcomeFlags(flags, format, pack_paths.size());
  if (!error.empty()) return Usage(error);
  vigil::BacktestOptions scoring;
  if (!ParseCount(flags, "warn-after", 1, &scoring.warn_after)) {
    return Usage("--warn-after must be a whole number from 1 to 10000");
  }
  if (!ParseCount(flags, "horizon", 12, &scoring.horizon)) {
    return Usage("--horizon must be a whole number from 1 to 10000");
  }
  scoring.outcomes_from = flags.Get("outcomes-from");
  const bool with_outcomes = flags.Has("outcomes") || flags.Has("outcome-rule");

  OutputFile out_file;
  if (!out_file.Open(output, &error)) return Fail(error);
  StandardInput standard_input;
  // The packs, then (for --outcome-rules) the outcome pack last.
  std::vector<PackBacktest> packs(pack_paths.size());
  std::vector<std::unique_ptr<vigil::Engine>> engines;
  std::vector<std::string> paths = pack_paths;
  if (flags.Has("outcome-rules")) paths.push_back(flags.Get("outcome-rules"));
  std::vector<vigil::v1::RuleSet> rule_sets;
  for (const std::string& path : paths) {
    absl::StatusOr<vigil::v1::RuleSet> rules = LoadRules(path, &standard_input);
    if (!rules.ok()) return Fail(std::string(rules.status().message()));
    absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
        vigil::Engine::Create(*rules);
    if (!engine.ok()) {
      return Fail(absl::StrCat(path, ": ", engine.status().message()));
    }
    engines.push_back(*std::move(engine));
    rule_sets.push_back(*std::move(rules));
  }
  vigil::DatasetIndexer indexer;
  if (absl::Status s = AddDataFlags(flags, &standard_input, &indexer);
      !s.ok()) {
    return Fail(std::string(s.message()));
  }
  absl::StatusOr<vigil::SeriesStore> store = std::move(indexer).Build();
  if (!store.ok()) return Fail(std::string(store.status().message()));
  std::vector<vigil::v1::Timeline> timelines(paths.size());
  for (size_t k = 0; k < paths.size(); ++k) {
    absl::Status s = engines[k]->EvaluateTimeline(
        *store, flags.Get("from"), flags.Get("to"), options, &timelines[k]);
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      return Usage(std::string(s.message()));
    }
    if (!s.ok()) return Fail(absl::StrCat(paths[k], ": ", s.message()));
  }
  for (size_t k = 0; k < packs.size(); ++k) {
    packs[k].path = pack_paths[k];
    packs[k].rules = rule_sets[k];
    packs[k].label = rule_sets[k].id();
    packs[k].timeline = std::move(timelines[k]);
  }
  for (auto& pack : packs) {
    for (const auto& other : packs) {
      if (&other != &pack && other.rules.id() == pack.rules.id()) {
        pack.label = pack.path;
      }
    }
  }

  if (with_outcomes) {
    std::vector<vigil::v1::Outcome> outcomes;
    if (flags.Has("outcomes")) {
      const std::string path = flags.Get("outcomes");
      absl::StatusOr<std::string> text =
          path == "-" ? standard_input.Take("--outcomes") : ReadInputFile(path);
      if (!text.ok()) return Fail(std::string(text.status().message()));
      absl::StatusOr<vigil::OutcomeRows> rows =
          vigil::ReadOutcomesCsv(*text, path == "-" ? "<stdin>" : path);
      if (!rows.ok()) return Fail(std::string(rows.status().message()));
      outcomes = std::move(rows->outcomes);
      scoring.outcome_source = path;
    } else {
      const std::string id = flags.Get("outcome-rule");
      // The pack that defines the outcome: --outcome-rules, or the first
      // --rules pack with the rule.
      int from = -1;
      for (size_t k = 0; k < paths.size() && from < 0; ++k) {
        if (flags.Has("outcome-rules") && k + 1 < paths.size()) continue;
        for (const auto& r : rule_sets[k].rules()) {
          if (r.id() == id) from = static_cast<int>(k);
        }
      }
      if (from < 0) {
        return Fail(absl::StrCat("--outcome-rule: no rule '", id, "' in ",
                                 flags.Has("outcome-rules")
                                     ? flags.Get("outcome-rules")
                                     : "any --rules pack"));
      }
      const vigil::v1::Timeline& defining =
          static_cast<size_t>(from) < packs.size() ? packs[from].timeline
                                                   : timelines[from];
      std::string name = id;
      for (const auto& r : rule_sets[from].rules()) {
        if (r.id() == id && !r.name().empty()) name = r.name();
      }
      absl::StatusOr<std::vector<vigil::v1::Outcome>> derived =
          vigil::OutcomesFromRule(defining, id, name);
      if (!derived.ok()) {
        return Fail(
            absl::StrCat(paths[from], ": ", derived.status().message()));
      }
      outcomes = *std::move(derived);
      scoring.outcome_source =
          absl::StrCat("\"", name, "\" (rule ", id, " of ", paths[from], ")");
      scoring.excluded_rule_ids = {id};
    }
    for (auto& pack : packs) {
      absl::Status s =
          vigil::ScoreTimeline(pack.timeline, outcomes, scoring, &pack.summary);
      if (s.code() == absl::StatusCode::kInvalidArgument) {
        return Usage(absl::StrCat("--outcomes-from: ", s.message()));
      }
      if (!s.ok()) return Fail(std::string(s.message()));
    }
    const std::string line = OutcomeDiagnosticsLine(packs[0].summary);
    if (!line.empty()) std::cerr << line << "\n";
  }

  std::ostream& out = out_file.stream();
  if (format == "json") {
    if (packs.size() > 1) out << "[\n";
    for (size_t k = 0; k < packs.size(); ++k) {
      if (k > 0) out << ",\n";
      if (!vigil::PrintTimelineJson(packs[k].timeline, out)) {
        return Fail("printing the timeline as JSON failed");
      }
    }
    if (packs.size() > 1) out << "]\n";
  } else if (format == "csv") {
    vigil::PrintTimelineCsv(packs[0].timeline, out);
  } else if (format == "html") {
    vigil::PrintTimelineHtml(packs[0].timeline, store->providers(), out);
  } else {
    for (size_t k = 0; k < packs.size(); ++k) {
      if (k > 0) out << "\n";
      PrintTable(packs[k].timeline, out);
    }
    if (with_outcomes) PrintSummaryTable(packs, out);
  }
  if (!out_file.Close(&error)) return Fail(error);
  if (flags.Has("summary")) {
    const std::string path = flags.Get("summary");
    OutputFile summary_file;
    if (!summary_file.Open(path, &error)) return Fail(error);
    std::ostream& summary_out = summary_file.stream();
    if (path.size() >= 4 && path.substr(path.size() - 4) == ".csv") {
      PrintSummaryCsv(packs, summary_out);
    } else if (!PrintSummaryJson(packs, summary_out)) {
      return Fail("printing the summary as JSON failed");
    }
    if (!summary_file.Close(&error)) return Fail(error);
  }
  return 0;
}

}  // namespace vigil_tool
