#include "backtest_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "vigil/period.h"
#include "vigil/timeline_output.h"

namespace vigil_tool {
namespace {

using vigil::v1::BacktestSummary;
using vigil::v1::RuleScore;

std::string Describe(const std::string& period) {
  absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(period);
  return p.ok() ? vigil::DescribePeriod(*p) : period;
}

// "1 month", "2.5 months".
std::string Periods(double n, const std::string& unit) {
  return absl::StrCat(absl::StrFormat("%g", n), " ", unit, n == 1 ? "" : "s");
}

std::string Percent(double fraction) {
  return absl::StrFormat("%.0f%%", 100 * fraction);
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

// The cells of one score for the tables.
std::string WarnedBefore(const RuleScore& s) {
  std::string text = absl::StrCat(s.providers_warned_before(), "/",
                                  s.providers_with_outcome());
  if (s.has_sensitivity())
    absl::StrAppend(&text, " (", Percent(s.sensitivity()), ")");
  return text;
}

std::string MedianLead(const RuleScore& s, const std::string& unit) {
  return s.has_median_lead_periods() ? Periods(s.median_lead_periods(), unit)
                                     : "-";
}

void PrintPackParagraph(const PackBacktest& pack, std::ostream& out) {
  const BacktestSummary& s = pack.summary;
  const RuleScore& p = s.pack();
  const std::string unit = PeriodUnit(pack.timeline);
  out << "Pack " << pack.label
      << " (a provider is warned when any of its scored rules is):\n  ";
  if (p.providers_with_outcome() == 0) {
    out << "no provider had an outcome to foresee after the first as-of "
           "period;\n  ";
  } else {
    out << "warned " << p.providers_warned_before() << " of "
        << p.providers_with_outcome() << " providers before their outcome ("
        << Percent(p.sensitivity()) << ")";
    if (p.has_median_lead_periods()) {
      out << ", a median " << Periods(p.median_lead_periods(), unit)
          << " ahead";
    }
    out << ";\n  ";
  }
  out << p.providers_warned() << " providers warned at least once; "
      << p.false_alarm_providers()
      << " had a false alarm (a warning with no outcome within "
      << Periods(s.horizon(), unit) << " of it); " << p.pending_warnings()
      << (p.pending_warnings() == 1 ? " warning" : " warnings")
      << " too close to the end of the range to judge.\n\n";
  out << "  " << Pad("rule", 28) << Pad("warned before", 15)
      << Pad("median lead", 14) << Pad("warned", 8)
      << Pad("false-alarm providers", 23) << "pending\n";
  for (const RuleScore& r : s.rules()) {
    out << "  " << Pad(r.rule_id(), 28) << Pad(WarnedBefore(r), 15)
        << Pad(MedianLead(r, unit), 14)
        << Pad(absl::StrCat(r.providers_warned()), 8)
        << Pad(absl::StrCat(r.false_alarm_providers()), 23)
        << r.pending_warnings() << "\n";
  }
  out << "\n";
}

// The rule that gave the pack's warning for an outcome: the earliest.
std::string FirstRule(const BacktestSummary& s,
                      const vigil::v1::OutcomeLead& pack_lead) {
  std::string best;
  int lead = 0;
  for (const auto& l : s.leads()) {
    if (l.provider_id() == pack_lead.provider_id() &&
        l.outcome_period() == pack_lead.outcome_period() &&
        l.outcome() == pack_lead.outcome() && !l.rule_id().empty() &&
        l.warned() && l.lead_periods() > lead) {
      lead = l.lead_periods();
      best = l.rule_id();
    }
  }
  return best;
}

void PrintOutcomes(const std::vector<PackBacktest>& packs, std::ostream& out) {
  const BacktestSummary& first = packs[0].summary;
  const std::string unit = PeriodUnit(packs[0].timeline);
  out << "Per outcome: " << (packs.size() == 1 ? "the pack's" : "each pack's")
      << " first warning before it and its lead.\n";
  // Outcome key -> per pack, its pack-level lead.
  std::map<std::string, std::vector<const vigil::v1::OutcomeLead*>> rows;
  std::vector<std::string> order;
  for (size_t k = 0; k < packs.size(); ++k) {
    for (const auto& l : packs[k].summary.leads()) {
      if (!l.rule_id().empty()) continue;
      const std::string key = absl::StrCat(
          l.provider_id(), "\t", l.outcome_period(), "\t", l.outcome());
      auto& row = rows[key];
      if (row.empty()) {
        row.resize(packs.size(), nullptr);
        order.push_back(key);
      }
      row[k] = &l;
    }
  }
  for (const std::string& key : order) {
    const auto& row = rows[key];
    const vigil::v1::OutcomeLead* any =
        *std::find_if(row.begin(), row.end(), [](auto* l) { return l; });
    out << "  " << Pad(any->provider_id(), 8)
        << Pad(Describe(any->outcome_period()), 10);
    for (size_t k = 0; k < packs.size(); ++k) {
      const vigil::v1::OutcomeLead* l = row[k];
      if (packs.size() > 1) out << " " << packs[k].label << ": ";
      if (l == nullptr) {
        out << "-";
      } else if (l->too_early()) {
        out << "before " << Describe(packs[k].summary.outcomes_from())
            << " (not scored)";
      } else if (!l->warned()) {
        out << "not warned before";
      } else {
        out << "warned " << Describe(l->warning_period()) << ", "
            << Periods(l->lead_periods(), unit) << " ahead";
        if (packs.size() == 1) out << " (" << FirstRule(first, *l) << ")";
      }
      if (packs.size() > 1 && k + 1 < packs.size()) out << ";";
    }
    out << "\n";
  }
}

void PrintSideBySide(const std::vector<PackBacktest>& packs,
                     std::ostream& out) {
  const std::string unit = PeriodUnit(packs[0].timeline);
  size_t width = 16;
  for (const auto& p : packs) width = std::max(width, p.label.size() + 2);
  out << Pad("", 34);
  for (const auto& p : packs) out << Pad(p.label, width);
  out << "\n";
  const std::pair<const char*, std::string (*)(const RuleScore&)> rows[] = {
      {"providers with an outcome",
       [](const RuleScore& s) {
         return absl::StrCat(s.providers_with_outcome());
       }},
      {"warned before the outcome", &WarnedBefore},
      {"providers warned",
       [](const RuleScore& s) { return absl::StrCat(s.providers_warned()); }},
      {"providers with a false alarm",
       [](const RuleScore& s) {
         return absl::StrCat(s.false_alarm_providers());
       }},
      {"warnings (false alarms, pending)",
       [](const RuleScore& s) {
         return absl::StrCat(s.warnings(), " (", s.false_alarms(), ", ",
                             s.pending_warnings(), ")");
       }},
  };
  for (const auto& [name, cell] : rows) {
    out << Pad(name, 34);
    for (const auto& p : packs) out << Pad(cell(p.summary.pack()), width);
    out << "\n";
  }
  out << Pad(absl::StrCat("median lead (", unit, "s)"), 34);
  for (const auto& p : packs) {
    const RuleScore& s = p.summary.pack();
    out << Pad(s.has_median_lead_periods()
                   ? absl::StrFormat("%g", s.median_lead_periods())
                   : "-",
               width);
  }
  out << "\n\n";
}

}  // namespace

std::string PeriodUnit(const vigil::v1::Timeline& timeline) {
  if (timeline.as_of_size() == 0) return "period";
  absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(timeline.as_of(0));
  if (!p.ok()) return "period";
  switch (p->frequency) {
    case vigil::Frequency::kDaily:
      return "day";
    case vigil::Frequency::kMonthly:
      return "month";
    case vigil::Frequency::kQuarterly:
      return "quarter";
    case vigil::Frequency::kAnnual:
      return "year";
    default:
      return "period";
  }
}

std::string ComparisonSentence(const PackBacktest& a, const PackBacktest& b) {
  const RuleScore& x = a.summary.pack();
  const RuleScore& y = b.summary.pack();
  const std::string unit = PeriodUnit(a.timeline);
  std::string s = absl::StrCat("Pack ", b.label, " ");
  if (!x.has_median_lead_periods() || !y.has_median_lead_periods()) {
    absl::StrAppend(&s, "has no median lead to compare with pack ", a.label,
                    " (", !y.has_median_lead_periods() ? b.label : a.label,
                    " warned no provider before its outcome)");
  } else {
    const double d = y.median_lead_periods() - x.median_lead_periods();
    if (d == 0) {
      absl::StrAppend(&s, "warns as early on median as pack ", a.label);
    } else {
      absl::StrAppend(&s, "warns ", Periods(std::fabs(d), unit),
                      d > 0 ? " earlier" : " later", " on median than pack ",
                      a.label);
    }
  }
  const int f = y.false_alarm_providers() - x.false_alarm_providers();
  if (f == 0) {
    absl::StrAppend(&s, ", with as many providers warned that had no outcome");
  } else {
    absl::StrAppend(&s, ", with ", std::abs(f), f > 0 ? " more" : " fewer",
                    std::abs(f) == 1 ? " provider" : " providers",
                    " warned that had no outcome");
  }
  absl::StrAppend(&s, " (", y.false_alarm_providers(), " against ",
                  x.false_alarm_providers(), "); it warned ",
                  y.providers_warned_before(), " of ",
                  y.providers_with_outcome(),
                  " providers before their outcome, pack ", a.label, " ",
                  x.providers_warned_before(), ".");
  return s;
}

void PrintSummaryTable(const std::vector<PackBacktest>& packs,
                       std::ostream& out) {
  if (packs.empty()) return;
  const BacktestSummary& s = packs[0].summary;
  const std::string unit = PeriodUnit(packs[0].timeline);
  int too_early = 0;
  for (const auto& l : s.leads()) {
    if (l.rule_id().empty() && l.too_early()) ++too_early;
  }
  out << "\nLead time against outcomes: " << s.outcome_source() << ".\n"
      << "A warning is " << Periods(s.warn_after(), unit)
      << " in a row rated red (--warn-after " << s.warn_after()
      << "); it foresees an outcome when still in force within "
      << Periods(s.horizon(), unit) << " before it (--horizon " << s.horizon()
      << "), and is a false alarm with no outcome within "
      << Periods(s.horizon(), unit) << " of it.\n"
      << s.outcomes() << (s.outcomes() == 1 ? " outcome" : " outcomes")
      << " of " << s.providers() << " providers, " << Describe(s.from())
      << " to " << Describe(s.to());
  out << ". ";
  if (s.outcomes_from().empty()) {
    out << "None is scored: the range is no longer than the horizon "
           "(--outcomes-from sets the first period scored).";
  } else {
    out << "Scored: each provider's first outcome from "
        << Describe(s.outcomes_from())
        << " on, when the whole horizon before it is in the range ("
        << too_early << " earlier "
        << (too_early == 1 ? "outcome is" : "outcomes are")
        << " listed, not scored: the provider may have been failing before "
           "the range began; --outcomes-from).";
  }
  if (s.excluded_rule_ids_size() > 0) {
    out << " Not scored: rule";
    for (const auto& id : s.excluded_rule_ids()) out << " " << id;
    out << ", which defines the outcome.";
  }
  out << "\n\n";
  if (packs.size() > 1) PrintSideBySide(packs, out);
  for (const auto& pack : packs) PrintPackParagraph(pack, out);
  PrintOutcomes(packs, out);
  if (s.diagnostics_size() > 0) {
    out << "\nOutcome rows not scored (" << s.diagnostics_size() << "):\n";
    for (const auto& d : s.diagnostics()) out << "  " << d.message() << "\n";
  }
  for (size_t k = 1; k < packs.size(); ++k) {
    out << "\n" << ComparisonSentence(packs[0], packs[k]) << "\n";
  }
}

void PrintSummaryCsv(const std::vector<PackBacktest>& packs,
                     std::ostream& out) {
  out << vigil::kBacktestSummaryCsvHeader;
  for (const auto& pack : packs) {
    vigil::PrintBacktestSummaryCsvRows(pack.summary, pack.rules, out);
  }
}

bool PrintSummaryJson(const std::vector<PackBacktest>& packs,
                      std::ostream& out) {
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = true;
  print.always_print_primitive_fields = true;  // 0 and false too.
  if (packs.size() > 1) out << "[\n";
  for (size_t k = 0; k < packs.size(); ++k) {
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(packs[k].summary, &json,
                                                     print)
             .ok()) {
      return false;
    }
    if (k > 0) out << ",\n";
    out << json;
  }
  if (packs.size() > 1) out << "]\n";
  return true;
}

std::string OutcomeDiagnosticsLine(const BacktestSummary& summary) {
  if (summary.diagnostics_size() == 0) return "";
  return absl::StrCat(
      "vigil backtest: ", summary.diagnostics_size(),
      summary.diagnostics_size() == 1 ? " outcome row" : " outcome rows",
      " not scored; first: ", summary.diagnostics(0).message());
}

}  // namespace vigil_tool
