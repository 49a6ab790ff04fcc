// What `vigil backtest` says of lead times against outcomes: the plain
// English table (one pack, or several side by side with a sentence
// comparing each with the first), and the --summary file as CSV or JSON.
#ifndef VIGIL_TOOLS_VIGIL_BACKTEST_SUMMARY_H_
#define VIGIL_TOOLS_VIGIL_BACKTEST_SUMMARY_H_

#include <ostream>
#include <string>
#include <vector>

#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil_tool {

// One --rules pack back-tested.
struct PackBacktest {
  std::string path;   // As given to --rules.
  std::string label;  // The pack's id (its path when two packs share one).
  vigil::v1::RuleSet rules;
  vigil::v1::Timeline timeline;
  vigil::v1::BacktestSummary summary;  // Set when there are outcomes.
};

// "month", "quarter", "day" or "year": the as-of period of `timeline`.
std::string PeriodUnit(const vigil::v1::Timeline& timeline);

// The scores in plain English: each pack's figures, its rules', and per
// outcome the pack's lead; for several packs side by side, then one
// ComparisonSentence per pack after the first.
void PrintSummaryTable(const std::vector<PackBacktest>& packs,
                       std::ostream& out);

// "pack B warns 2.5 months earlier on median than pack A, with 12 more
// providers warned that had no outcome; ...".
std::string ComparisonSentence(const PackBacktest& a, const PackBacktest& b);

// One row per pack and per scored rule: ruleset_id,scope (pack or rule),
// rule_id,rule_name,providers_with_outcome,providers_warned_before,
// sensitivity,median_lead_periods,providers_warned,false_alarm_providers,
// warnings,false_alarms,pending_warnings (empty cells where unset).
void PrintSummaryCsv(const std::vector<PackBacktest>& packs, std::ostream& out);

// The vigil.v1.BacktestSummary of one pack as JSON; for several, a JSON
// array of them. False when printing fails.
bool PrintSummaryJson(const std::vector<PackBacktest>& packs,
                      std::ostream& out);

// One line for stderr when outcome rows were not scored ("" when all were).
std::string OutcomeDiagnosticsLine(const vigil::v1::BacktestSummary& summary);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_BACKTEST_SUMMARY_H_
