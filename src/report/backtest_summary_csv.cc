// A back-test's scores as CSV: one row for the pack, one per scored rule.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "vigil/timeline_output.h"

namespace vigil {
namespace {

// RFC 4180; text a spreadsheet would run as a formula (=, +, -, @, a tab or
// a carriage return first) gets a leading '.
std::string CsvText(const std::string& s) {
  std::string text = s;
  if (!text.empty() &&
      absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

std::string Optional(bool has, double value) {
  return has ? absl::StrFormat("%.17g", value) : "";
}

const std::string& RuleName(const v1::RuleSet& rules, const std::string& id) {
  for (const v1::Rule& r : rules.rules()) {
    if (r.id() == id) return r.name().empty() ? id : r.name();
  }
  return id;
}

}  // namespace

const char kBacktestSummaryCsvHeader[] =
    "ruleset_id,scope,rule_id,rule_name,providers_with_outcome,"
    "providers_warned_before,sensitivity,median_lead_periods,"
    "providers_warned,false_alarm_providers,warnings,false_alarms,"
    "pending_warnings\n";

bool PrintBacktestSummaryCsvRows(const v1::BacktestSummary& summary,
                                 const v1::RuleSet& rules, std::ostream& out) {
  auto row = [&](const v1::RuleScore& r, bool is_pack) {
    out << CsvText(summary.ruleset_id()) << "," << (is_pack ? "pack" : "rule")
        << "," << CsvText(r.rule_id()) << ","
        << CsvText(is_pack ? "" : RuleName(rules, r.rule_id())) << ","
        << r.providers_with_outcome() << "," << r.providers_warned_before()
        << "," << Optional(r.has_sensitivity(), r.sensitivity()) << ","
        << Optional(r.has_median_lead_periods(), r.median_lead_periods()) << ","
        << r.providers_warned() << "," << r.false_alarm_providers() << ","
        << r.warnings() << "," << r.false_alarms() << ","
        << r.pending_warnings() << "\n";
  };
  row(summary.pack(), true);
  for (const v1::RuleScore& r : summary.rules()) row(r, false);
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace vigil
