// The Early Warning Dashboard as one self-contained HTML page. See
// include/vigil/html_report.h.
#include "vigil/html_report.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/report/report_order.h"
#include "src/report/svg_chart.h"
#include "src/report/svg_util.h"
#include "src/rules/format.h"
#include "vigil/names.h"
#include "vigil/period.h"

namespace vigil {
namespace {

using internal::HtmlEscape;

constexpr char kStyle[] = R"css(
:root { --red: #d5281b; --amber: #ffb81c; --green: #007f3b; --nodata: #768692;
  --na: #aeb7bd; --ink: #212b32; --line: #d8dde0; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1100px; padding: 0 16px 32px; line-height: 1.4; }
header { border-bottom: 4px solid #005eb8; margin-bottom: 16px; }
h1 { font-size: 1.6rem; margin: 16px 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px;
  text-align: left; vertical-align: top; font-size: 0.9rem; }
th { background: #f0f4f5; }
.counts { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
.counts div { white-space: nowrap; }
.chip { display: inline-block; min-width: 1.2em; padding: 0 5px;
  border-radius: 3px; font-weight: bold; font-size: 0.85rem;
  text-align: center; margin: 1px 2px 1px 0; }
.red { background: var(--red); color: #fff; }
.amber { background: var(--amber); color: #212b32; }
.green { background: var(--green); color: #fff; }
.no_data { background: var(--nodata); color: #fff; }
.not_applicable { background: var(--na); color: #212b32; }
.risk_summit { background: var(--red); color: #fff; }
.enhanced_surveillance { background: var(--amber); color: #212b32; }
.routine { background: #e8edee; color: #212b32; }
section.provider { border-top: 2px solid var(--line); padding-top: 12px;
  margin-top: 20px; content-visibility: auto;
  contain-intrinsic-size: auto 1600px; }
.escalation { margin: 2px 0 8px; }
figure.chart { margin: 8px 0 16px; padding: 8px; border: 1px solid var(--line);
  break-inside: avoid; }
figure.chart figcaption { font-size: 0.9rem; margin-bottom: 4px; }
figure.chart .icons { display: flex; gap: 12px; align-items: center;
  font-size: 0.85rem; margin-top: 4px; }
svg.spc, svg.funnel, svg.trajectory { width: 100%; max-width: 640px;
  height: auto; display: block; }
svg.sparkline { vertical-align: middle; }
svg.defs { position: absolute; width: 0; height: 0; overflow: hidden; }
svg.icon { flex: none; }
.legend { font-size: 0.85rem; color: #4c6272; }
a { color: #005eb8; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  section.provider { break-before: page; border-top: none;
    content-visibility: visible; }
  th { background: none; }
  .chip { border: 1px solid #212b32; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

// An anchor id from a provider id: letters, digits, '-' and '_' kept, other
// bytes as _xx (hex), so any id makes a valid, unique fragment.
std::string Anchor(const std::string& id) {
  std::string out = "p-";
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "_", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

std::string Capitalised(std::string text) {
  if (!text.empty()) {
    text[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string RatingChip(v1::Rating rating) {
  return absl::StrCat("<span class=\"chip ", RatingShortName(rating), "\">",
                      HtmlEscape(RatingLabel(rating)), "</span>");
}

std::string EscalationChip(v1::EscalationLevel level) {
  return absl::StrCat("<span class=\"chip ", EscalationShortName(level), "\">",
                      HtmlEscape(EscalationLabel(level)), "</span>");
}

// "2 red, 1 amber, 5 green, 1 no data" as chips, zeros left out.
std::string CountChips(const v1::RatingCounts& c) {
  std::string out;
  const std::pair<v1::Rating, int> counts[] = {
      {v1::RATING_RED, c.red()},
      {v1::RATING_AMBER, c.amber()},
      {v1::RATING_GREEN, c.green()},
      {v1::RATING_NO_DATA, c.no_data()}};
  for (const auto& [rating, count] : counts) {
    if (count == 0) continue;
    absl::StrAppend(&out, "<span class=\"chip ", RatingShortName(rating), "\">",
                    count, " ", HtmlEscape(RatingLabel(rating)), "</span>");
  }
  return out.empty() ? "&ndash;" : out;
}

std::string AsOfText(const v1::Report& report) {
  absl::StatusOr<Period> p = ParsePeriod(report.as_of());
  return p.ok() ? DescribePeriod(*p) : report.as_of();
}

void PrintHeader(const v1::Report& report, std::ostream& out) {
  std::map<v1::EscalationLevel, int> escalations;
  for (const v1::ProviderSummary& p : report.providers()) {
    ++escalations[p.escalation()];
  }
  out << "<header><h1>Early Warning Dashboard</h1><p>Rule pack <b>"
      << HtmlEscape(report.ruleset_id()) << "</b>";
  if (!report.ruleset_version().empty()) {
    out << " version " << HtmlEscape(report.ruleset_version());
  }
  out << " &middot; as of <b>" << HtmlEscape(AsOfText(report))
      << "</b> &middot; Vigil " << HtmlEscape(report.engine_version())
      << "</p><div class=\"counts\" id=\"counts\">"
      << "<div>Providers: <b>" << report.providers_size() << "</b></div>"
      << "<div>Observations read: <b>" << report.observations_read()
      << "</b>, used: <b>" << report.observations_used()
      << "</b>, not used: <b>" << report.observations_rejected()
      << "</b></div>";
  if (report.plans_read() > 0) {
    out << "<div>Plan values read: <b>" << report.plans_read()
        << "</b>, used: <b>" << report.plans_used() << "</b>, not used: <b>"
        << report.plans_rejected() << "</b></div>";
  }
  out << "<div>Escalation: ";
  for (v1::EscalationLevel level : {v1::ESCALATION_LEVEL_RISK_SUMMIT,
                                    v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE,
                                    v1::ESCALATION_LEVEL_ROUTINE}) {
    out << "<span class=\"chip " << EscalationShortName(level) << "\">"
        << escalations[level] << " " << HtmlEscape(EscalationLabel(level))
        << "</span> ";
  }
  out << "</div></div></header>\n";
}

// The domains that appear in any provider's summary, in schema order.
std::vector<v1::Domain> DomainsOf(const v1::Report& report) {
  std::vector<bool> seen(v1::Domain_ARRAYSIZE, false);
  for (const v1::ProviderSummary& p : report.providers()) {
    for (const v1::DomainSummary& d : p.domains()) {
      if (d.domain() >= 0 && d.domain() < v1::Domain_ARRAYSIZE) {
        seen[d.domain()] = true;
      }
    }
  }
  std::vector<v1::Domain> domains;
  for (int d = 0; d < v1::Domain_ARRAYSIZE; ++d) {
    if (seen[d]) domains.push_back(static_cast<v1::Domain>(d));
  }
  return domains;
}

void PrintProviderTable(const v1::Report& report,
                        const std::vector<const v1::ProviderSummary*>& order,
                        std::ostream& out) {
  const std::vector<v1::Domain> domains = DomainsOf(report);
  out << "<nav aria-label=\"Providers\"><h2>Providers, worst first</h2>"
         "<table id=\"providers\"><thead><tr><th scope=\"col\">Provider</th>"
         "<th scope=\"col\">Escalation</th><th scope=\"col\">Worst rating</th>";
  for (v1::Domain d : domains) {
    out << "<th scope=\"col\">"
        << HtmlEscape(d == v1::DOMAIN_UNSPECIFIED ? std::string("No domain")
                                                  : Capitalised(EnumLabel(d)))
        << "</th>";
  }
  out << "</tr></thead><tbody>\n";
  for (const v1::ProviderSummary* p : order) {
    out << "<tr><td><a href=\"#" << Anchor(p->provider_id()) << "\">"
        << HtmlEscape(p->provider_name().empty() ? p->provider_id()
                                                 : p->provider_name())
        << "</a> <small>" << HtmlEscape(p->provider_id()) << "</small></td><td>"
        << EscalationChip(p->escalation()) << "</td><td>"
        << RatingChip(p->worst_rating()) << "</td>";
    for (v1::Domain d : domains) {
      const v1::DomainSummary* found = nullptr;
      for (const v1::DomainSummary& s : p->domains()) {
        if (s.domain() == d) found = &s;
      }
      out << "<td>"
          << (found != nullptr ? CountChips(found->counts()) : "&ndash;")
          << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></nav>\n";
}

// The report's funnel plots, found by (rule id, indicator id); each drawn
// once as an SVG <symbol> ("funnel-<k>") and shown wherever it is used.
class Funnels {
 public:
  explicit Funnels(const v1::Report& report) : report_(report) {
    for (int k = 0; k < report.funnels_size(); ++k) {
      const v1::FunnelChart& f = report.funnels(k);
      index_[{f.rule_id(), f.indicator_id()}] = k;
    }
  }
  // The index of the funnel of `a`'s rule and indicator, or -1.
  int Find(const v1::Assessment& a) const {
    const auto it = index_.find({a.rule_id(), a.indicator_id()});
    return it == index_.end() ? -1 : it->second;
  }
  const v1::FunnelChart& chart(int k) const { return report_.funnels(k); }
  static std::string SymbolId(int k) { return absl::StrCat("funnel-", k); }

  // Every symbol, in one hidden <svg>; points coloured by their ratings.
  void PrintSymbols(std::ostream& out) const {
    if (index_.empty()) return;
    std::vector<std::map<std::string, v1::Rating>> ratings(
        report_.funnels_size());
    for (const v1::Assessment& a : report_.assessments()) {
      const int k = Find(a);
      if (k >= 0) ratings[k][a.provider_id()] = a.rating();
    }
    out << "<svg class=\"defs\" aria-hidden=\"true\" focusable=\"false\">"
           "<defs>";
    for (int k = 0; k < report_.funnels_size(); ++k) {
      out << internal::FunnelSymbolSvg(chart(k), SymbolId(k), ratings[k]);
    }
    out << "</defs></svg>\n";
  }

 private:
  const v1::Report& report_;
  std::map<std::pair<std::string, std::string>, int> index_;
};

// A funnel plot figure: the whole peer group, `highlight` ringed.
void PrintFunnel(const Funnels& funnels, int k, absl::string_view highlight,
                 const std::string& title, std::ostream& out) {
  const v1::FunnelChart& f = funnels.chart(k);
  out << "<figure class=\"chart funnel\" data-indicator=\""
      << HtmlEscape(f.indicator_id()) << "\" data-rule=\""
      << HtmlEscape(f.rule_id()) << "\" data-funnel=\"" << Funnels::SymbolId(k)
      << "\"><figcaption><b>" << HtmlEscape(f.indicator_id())
      << "</b> &middot; " << HtmlEscape(f.rule_name()) << " &middot; "
      << HtmlEscape(internal::PeriodLabel(f.period())) << " &middot; "
      << f.points_size() << " providers, " << HtmlEscape(f.adjustment())
      << "</figcaption>"
      << internal::FunnelSvg(f, Funnels::SymbolId(k), highlight, title)
      << "</figure>\n";
}

void PrintPeerSection(const Funnels& funnels, const v1::Report& report,
                      std::ostream& out) {
  if (report.funnels_size() == 0) return;
  out << "<section id=\"peers\" aria-labelledby=\"h-peers\"><h2 "
         "id=\"h-peers\">Peer comparisons</h2><p class=\"legend\">Each "
         "provider is a point at its denominator; the solid line is the peer "
         "value, dashed lines the inner (amber) limits, solid curves the outer "
         "(red) limits. Points outside the limits are coloured by the rating "
         "(red, amber, green for better than peers); points within are light "
         "grey.</p>";
  for (int k = 0; k < report.funnels_size(); ++k) {
    const v1::FunnelChart& f = report.funnels(k);
    PrintFunnel(funnels, k, "",
                absl::StrCat(f.indicator_id(), ", ", f.rule_name()), out);
  }
  out << "</section>\n";
}

void PrintTrajectory(const v1::ProviderSummary& p, const v1::Assessment& a,
                     std::ostream& out) {
  const std::string name =
      p.provider_name().empty() ? p.provider_id() : p.provider_name();
  const std::string rule = a.rule_name().empty() ? a.rule_id() : a.rule_name();
  out << "<figure class=\"chart trajectory\" data-indicator=\""
      << HtmlEscape(a.indicator_id()) << "\" data-rule=\""
      << HtmlEscape(a.rule_id()) << "\"><figcaption><b>"
      << HtmlEscape(a.indicator_id()) << "</b> &middot; " << HtmlEscape(rule)
      << " &middot; " << RatingChip(a.rating())
      << " &middot; solid: actual; dashed: plan"
      << (a.trajectory().has_objective() ? "; red dotted: annual objective"
                                         : "")
      << "</figcaption>"
      << internal::TrajectoryChartSvg(
             a.trajectory(),
             absl::StrCat(name, ", ", a.indicator_id(), ", ", rule))
      << "</figure>\n";
}

void PrintChart(const v1::ProviderSummary& p, const v1::Assessment& a,
                std::ostream& out) {
  const v1::SpcState& spc = a.spc();
  const std::string name =
      p.provider_name().empty() ? p.provider_id() : p.provider_name();
  const std::string rule = a.rule_name().empty() ? a.rule_id() : a.rule_name();
  out << "<figure class=\"chart\" data-indicator=\""
      << HtmlEscape(a.indicator_id()) << "\" data-rule=\""
      << HtmlEscape(a.rule_id()) << "\"><figcaption><b>"
      << HtmlEscape(a.indicator_id()) << "</b> &middot; " << HtmlEscape(rule)
      << " &middot; " << RatingChip(a.rating()) << "</figcaption>"
      << internal::SpcChartSvg(
             spc, absl::StrCat(name, ", ", a.indicator_id(), ", ", rule))
      << "<div class=\"icons\">"
      << internal::VariationIconSvg(spc.variation_icon()) << "<span>"
      << HtmlEscape(internal::VariationIconText(spc.variation_icon()))
      << "</span>";
  if (!spc.assurance().empty()) {
    out << internal::AssuranceIconSvg(spc.assurance()) << "<span>"
        << HtmlEscape(internal::AssuranceIconText(spc.assurance()))
        << "</span>";
  }
  out << "</div></figure>\n";
}

void PrintProvider(const v1::ProviderSummary& p, const Funnels& funnels,
                   std::vector<const v1::Assessment*> rows, std::ostream& out) {
  const std::string anchor = Anchor(p.provider_id());
  const std::string name =
      p.provider_name().empty() ? p.provider_id() : p.provider_name();
  out << "<section class=\"provider\" id=\"" << anchor
      << "\" aria-labelledby=\"h-" << anchor << "\" data-provider=\""
      << HtmlEscape(p.provider_id()) << "\"><h2 id=\"h-" << anchor << "\">"
      << HtmlEscape(name) << " <small>" << HtmlEscape(p.provider_id())
      << "</small></h2>"
      << "<p class=\"escalation\">" << EscalationChip(p.escalation()) << " "
      << RatingChip(p.worst_rating()) << " "
      << HtmlEscape(p.escalation_reason()) << "</p>";
  internal::SortWorstFirst(&rows);
  // A sparkline for an indicator without an SPC chart here, once, in its
  // first (worst) row.
  std::set<std::string> charted, sparkled;
  for (const v1::Assessment* a : rows) {
    if (a->has_spc() && a->spc().chart_points_size() > 0) {
      charted.insert(a->indicator_id());
    }
  }
  out << "<table class=\"assessments\"><thead><tr><th scope=\"col\">Rating"
         "</th><th scope=\"col\">Indicator</th><th scope=\"col\">Rule</th>"
         "<th scope=\"col\">Why</th><th scope=\"col\">Recent</th></tr>"
         "</thead><tbody>";
  for (const v1::Assessment* a : rows) {
    out << "<tr><td>" << RatingChip(a->rating()) << "</td><td>"
        << HtmlEscape(a->indicator_id()) << "</td><td>"
        << HtmlEscape(a->rule_name().empty() ? a->rule_id() : a->rule_name())
        << "</td><td>" << HtmlEscape(a->reason()) << "</td><td>";
    if (a->recent_values_size() > 0 && !charted.count(a->indicator_id()) &&
        sparkled.insert(a->indicator_id()).second) {
      out << internal::SparklineSvg(
          a->recent_values(), absl::StrCat(name, ", ", a->indicator_id()));
    }
    out << "</td></tr>";
  }
  out << "</tbody></table>\n";
  for (const v1::Assessment* a : rows) {
    if (a->has_spc() && a->spc().chart_points_size() > 0) {
      PrintChart(p, *a, out);
    }
    if (a->has_trajectory() && a->trajectory().points_size() > 0) {
      PrintTrajectory(p, *a, out);
    }
    if (const int k = funnels.Find(*a); k >= 0) {
      PrintFunnel(
          funnels, k, p.provider_id(),
          absl::StrCat(name, ", ", a->indicator_id(), ", ",
                       a->rule_name().empty() ? a->rule_id() : a->rule_name()),
          out);
    }
  }
  out << "</section>\n";
}

void PrintDiagnostics(const v1::Report& report, std::ostream& out) {
  out << "<section id=\"diagnostics\" aria-labelledby=\"h-diagnostics\">"
         "<h2 id=\"h-diagnostics\">Rows not used, and warnings ("
      << report.diagnostics_size() << ")</h2>";
  if (report.diagnostics_size() == 0) {
    out << "<p>Every row was used.</p></section>\n";
    return;
  }
  out << "<table><thead><tr><th scope=\"col\">Severity</th>"
         "<th scope=\"col\">File</th><th scope=\"col\">Row</th>"
         "<th scope=\"col\">Problem</th><th scope=\"col\">Message</th>"
         "</tr></thead><tbody>";
  int shown = 0;
  for (const v1::Diagnostic& d : report.diagnostics()) {
    if (shown++ == kMaxDiagnosticRows) break;
    out << "<tr><td>" << HtmlEscape(DiagnosticSeverityShortName(d.severity()))
        << "</td><td>" << HtmlEscape(d.source()) << "</td><td>";
    if (d.row() > 0) out << d.row();
    out << "</td><td>" << HtmlEscape(EnumShortName(d.code())) << "</td><td>"
        << HtmlEscape(d.message()) << "</td></tr>";
  }
  out << "</tbody></table>";
  if (report.diagnostics_size() > kMaxDiagnosticRows) {
    out << "<p>and " << report.diagnostics_size() - kMaxDiagnosticRows
        << " more: see the JSON or CSV report.</p>";
  }
  out << "</section>\n";
}

}  // namespace

bool PrintReportHtml(const v1::Report& report, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline'\">"
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\"><title>Early Warning Dashboard: "
      << HtmlEscape(report.ruleset_id()) << ", " << HtmlEscape(AsOfText(report))
      << "</title><style>" << kStyle << "</style></head><body>\n";
  PrintHeader(report, out);
  out << "<p class=\"legend\">Ratings: " << RatingChip(v1::RATING_RED) << " "
      << RatingChip(v1::RATING_AMBER) << " " << RatingChip(v1::RATING_GREEN)
      << " " << RatingChip(v1::RATING_NO_DATA)
      << " (missing data is never green). SPC charts: "
         "orange points are special cause concern, blue improvement, purple "
         "special cause neither better nor worse, grey common cause; the "
         "solid line is the mean, dashed grey lines the process limits, the "
         "red dotted line the target.</p>\n";
  const std::vector<const v1::ProviderSummary*> order =
      internal::ProvidersWorstFirst(report);
  const Funnels funnels(report);
  funnels.PrintSymbols(out);
  PrintProviderTable(report, order, out);
  PrintPeerSection(funnels, report, out);
  std::map<std::string, std::vector<const v1::Assessment*>> by_provider;
  for (const v1::Assessment& a : report.assessments()) {
    by_provider[a.provider_id()].push_back(&a);
  }
  out << "<main>\n";
  for (const v1::ProviderSummary* p : order) {
    PrintProvider(*p, funnels, by_provider[p->provider_id()], out);
  }
  out << "</main>\n";
  PrintDiagnostics(report, out);
  out << "<footer class=\"legend\"><p>Made by Vigil "
      << HtmlEscape(report.engine_version())
      << " from the rule pack and data named above. Icons follow the "
         "meanings of NHS England's Making Data Count.</p></footer>"
         "</body></html>\n";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace vigil
