#include "vigil/report_output.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "src/report/json_writer.h"
#include "src/report/report_order.h"
#include "src/rules/format.h"
#include "vigil/names.h"
#include "vigil/period.h"

namespace vigil {
namespace {

std::string Upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string AsOfText(const v1::Report& report) {
  absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(report.as_of());
  return p.ok() ? vigil::DescribePeriod(*p) : report.as_of();
}

// A text cell. Text a spreadsheet would run as a formula (it starts with
// =, +, -, @, a tab or a carriage return) gets a leading ' so it shows as
// text; numbers never pass through here.
std::string CsvField(const std::string& s) {
  std::string text = s;
  if (!text.empty() &&
      absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The shortest text that reads back as exactly `v` ("81.2", not
// "81.200000000000003").
std::string Number(double v) {
  char buffer[64];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), v);
  return std::string(buffer, r.ec == std::errc() ? r.ptr : buffer);
}

std::string Number(bool has, double v) { return has ? Number(v) : ""; }

// "[A&E 4-hour standard] <reason>", the rule's name first (names may hold
// colons, so brackets); the reason alone when the name is empty or only
// repeats the id.
std::string NamedReason(const v1::Assessment& a) {
  if (a.rule_name().empty() || a.rule_name() == a.rule_id()) return a.reason();
  return absl::StrCat("[", a.rule_name(), "] ", a.reason());
}

}  // namespace

const char kReportCsvHeader[] =
    "provider_id,provider_name,indicator_id,rule_id,rule_name,period,rating,"
    "severity,domain,value,standard,red_threshold,data_period,travel,"
    "consecutive_periods,spc_mean,spc_lower_process_limit,"
    "spc_upper_process_limit,spc_special_cause_type,spc_point_type,"
    "spc_variation_icon,spc_assurance,spc_target,spc_points,"
    "spc_baseline_points,spc_chart,spc_lower_2sigma,spc_upper_2sigma,"
    "spc_runs_signal,spc_longest_run,spc_longest_run_max,spc_crossings,"
    "spc_crossings_min,cquin_weight,cquin_earned,cquin_at_risk,"
    "cquin_not_yet_due,cquin_milestones,cquin_due,cquin_met,cquin_partly_met,"
    "cquin_not_met,evidence,reason,signal";

namespace {

// The title and the counts of providers by worst rating and escalation.
void PrintHeadline(const v1::Report& report, std::ostream& out) {
  std::map<v1::Rating, int> worst_counts;
  std::map<v1::EscalationLevel, int> escalations;
  for (const v1::ProviderSummary& p : report.providers()) {
    ++worst_counts[p.worst_rating()];
    ++escalations[p.escalation()];
  }
  out << "Vigil Early Warning Dashboard: " << report.ruleset_id();
  if (!report.ruleset_version().empty())
    out << " v" << report.ruleset_version();
  out << ", as of " << AsOfText(report) << "\n";
  out << report.providers_size()
      << " providers, worst rating: " << worst_counts[v1::RATING_RED]
      << " red, " << worst_counts[v1::RATING_AMBER] << " amber, "
      << worst_counts[v1::RATING_NO_DATA] << " "
      << RatingLabel(v1::RATING_NO_DATA) << ", "
      << worst_counts[v1::RATING_GREEN] << " green";
  if (worst_counts[v1::RATING_NOT_APPLICABLE] > 0) {
    out << ", " << worst_counts[v1::RATING_NOT_APPLICABLE] << " not assessed";
  }
  out << ". Escalation: ";
  for (v1::EscalationLevel level : {v1::ESCALATION_LEVEL_RISK_SUMMIT,
                                    v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE,
                                    v1::ESCALATION_LEVEL_ROUTINE}) {
    out << escalations[level] << " " << EscalationLabel(level)
        << (level == v1::ESCALATION_LEVEL_ROUTINE ? ".\n" : ", ");
  }
}

// One provider: its worst rating, escalation, CQUIN money when it has
// schemes, and assessments worst first.
void PrintProvider(const v1::ProviderSummary& p,
                   std::vector<const v1::Assessment*> rows, std::ostream& out) {
  out << "\n"
      << absl::StrFormat("%-7s %s  %s", Upper(RatingLabel(p.worst_rating())),
                         p.provider_id(), p.provider_name())
      << "\n        ";
  // Signal escalation's reasons start with the level's name already.
  const std::string label = absl::StrCat(EscalationLabel(p.escalation()), ": ");
  if (!absl::StartsWith(p.escalation_reason(), label)) out << label;
  out << p.escalation_reason() << "\n";
  if (p.has_cquin()) {
    const v1::CquinState& c = p.cquin();
    out << "        CQUIN at risk: " << FormatMoney(c.at_risk()) << " (earned "
        << FormatMoney(c.earned()) << ", not yet due "
        << FormatMoney(c.not_yet_due()) << ")\n";
  }
  internal::SortWorstFirst(&rows);
  for (const v1::Assessment* a : rows) {
    out << absl::StrFormat("  %-14s %-22s %s", RatingLabel(a->rating()),
                           a->rule_id(), NamedReason(*a));
    if (a->has_spc()) {  // The Making Data Count icons, by name.
      out << " [variation: " << a->spc().variation_icon();
      if (!a->spc().assurance().empty()) {
        out << ", assurance: " << a->spc().assurance();
      }
      out << "]";
    }
    out << "\n";
  }
}

// Rows and plans read and used, and the first 20 diagnostics.
void PrintDataSummary(const v1::Report& report, std::ostream& out) {
  int errors = 0, warnings = 0, infos = 0;
  for (const v1::Diagnostic& d : report.diagnostics()) {
    if (d.severity() == v1::DIAGNOSTIC_SEVERITY_ERROR) {
      ++errors;
    } else if (d.severity() == v1::DIAGNOSTIC_SEVERITY_WARNING) {
      ++warnings;
    } else {
      ++infos;
    }
  }
  out << "\nData: " << report.observations_read() << " observations read, "
      << report.observations_used() << " used, "
      << report.observations_rejected() << " not used. ";
  if (report.plans_read() > 0) {
    out << "Plans: " << report.plans_read() << " plan values read, "
        << report.plans_used() << " used, " << report.plans_rejected()
        << " not used. ";
  }
  out << "Diagnostics: " << errors << " errors, " << warnings << " warnings, "
      << infos << " info.\n";
  int shown = 0;
  for (const v1::Diagnostic& d : report.diagnostics()) {
    if (shown == 20) {
      out << "  ... " << report.diagnostics_size() - shown
          << " more (--format json lists them all)\n";
      break;
    }
    out << "  " << EnumShortName(d.severity()) << ": " << d.message() << "\n";
    ++shown;
  }
}

}  // namespace

void PrintReportTable(const v1::Report& report, std::ostream& out) {
  std::map<std::string, std::vector<const v1::Assessment*>> by_provider;
  for (const v1::Assessment& a : report.assessments()) {
    by_provider[a.provider_id()].push_back(&a);
  }
  PrintHeadline(report, out);
  for (const v1::ProviderSummary* p : internal::ProvidersWorstFirst(report)) {
    PrintProvider(*p, by_provider[p->provider_id()], out);
  }
  PrintDataSummary(report, out);
}

// Protobuf's JSON printer's bytes, written several times faster
// (src/report/json_writer.h; tests/json_writer_test.cc compares them).
std::string ReportJson(const v1::Report& report) {
  return internal::MessageJson(report);
}

bool PrintReportJson(const v1::Report& report, std::ostream& out) {
  return internal::PrintMessageJson(report, out);
}

namespace {

// A not-set enum (0, UNSPECIFIED) is an empty cell.
template <typename E>
const std::string& EnumCell(E value) {
  static const std::string* const empty = new std::string();
  return static_cast<int>(value) == 0 ? *empty : EnumShortName(value);
}

// "statistic[2019-03]=67.9; standard=95": label, [period] when there is
// one, "=", the number; "; " between values.
std::string EvidenceCell(const v1::Assessment& a) {
  std::string out;
  for (const v1::EvidenceValue& e : a.evidence()) {
    if (!out.empty()) out += "; ";
    absl::StrAppend(&out, e.label());
    if (!e.period().empty()) absl::StrAppend(&out, "[", e.period(), "]");
    absl::StrAppend(&out, "=", Number(e.value()));
  }
  return out;
}

}  // namespace

void PrintReportCsv(const v1::Report& report, std::ostream& out) {
  std::map<std::string, std::string> names;
  for (const v1::ProviderSummary& p : report.providers()) {
    names[p.provider_id()] = p.provider_name();
  }
  out << kReportCsvHeader << "\n";
  for (const v1::Assessment& a : report.assessments()) {
    out << CsvField(a.provider_id()) << "," << CsvField(names[a.provider_id()])
        << "," << CsvField(a.indicator_id()) << "," << CsvField(a.rule_id())
        << "," << CsvField(a.rule_name()) << "," << CsvField(a.period()) << ","
        << EnumCell(a.rating()) << "," << EnumCell(a.severity()) << ","
        << EnumCell(a.domain()) << "," << Number(a.has_value(), a.value())
        << "," << Number(a.has_standard(), a.standard()) << ","
        << Number(a.has_red_threshold(), a.red_threshold()) << ","
        << CsvField(a.data_period()) << "," << EnumCell(a.travel()) << ","
        << a.consecutive_periods() << ",";
    if (a.has_spc()) {
      const v1::SpcState& spc = a.spc();
      out << Number(spc.mean()) << "," << Number(spc.lower_process_limit())
          << "," << Number(spc.upper_process_limit()) << ","
          << CsvField(spc.special_cause_type()) << ","
          << CsvField(spc.point_type()) << "," << CsvField(spc.variation_icon())
          << "," << CsvField(spc.assurance()) << ","
          << Number(spc.has_target(), spc.target()) << "," << spc.points()
          << "," << spc.baseline_points() << "," << CsvField(spc.chart())
          << ",";
      if (spc.chart() == "xmr" || spc.chart().empty()) {
        out << ",,,,,,,";  // No 2-sigma limits or runs analysis.
      } else {
        out << Number(spc.lower_2sigma()) << "," << Number(spc.upper_2sigma())
            << "," << (spc.runs_signal() ? "true" : "false") << ","
            << spc.longest_run() << "," << spc.longest_run_max() << ","
            << spc.crossings() << "," << spc.crossings_min() << ",";
      }
    } else {
      out << ",,,,,,,,,,,,,,,,,,";
    }
    if (a.has_cquin()) {
      const v1::CquinState& c = a.cquin();
      out << Number(c.weight()) << "," << Number(c.earned()) << ","
          << Number(c.at_risk()) << "," << Number(c.not_yet_due()) << ","
          << c.milestones() << "," << c.due() << "," << c.met() << ","
          << c.partly_met() << "," << c.not_met() << ",";
    } else {
      out << ",,,,,,,,,";
    }
    out << CsvField(EvidenceCell(a)) << "," << CsvField(a.reason()) << ","
        << CsvField(a.signal()) << "\n";
  }
}

}  // namespace vigil
