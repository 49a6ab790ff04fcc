// A back-test's Timeline as CSV and as an HTML heat-map. See
// include/vigil/timeline_output.h.
#include "vigil/timeline_output.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/report/json_writer.h"
#include "src/report/svg_chart.h"
#include "src/report/svg_util.h"
#include "vigil/names.h"
#include "vigil/period.h"

namespace vigil {
namespace {

using internal::HtmlEscape;

// The board's escalation colours (html_report.cc: .risk_summit,
// .enhanced_surveillance, .routine; a test keeps them equal). Classes are
// short (l<level>): a page has one cell per provider and period.
constexpr char kStyle[] = R"css(
body { font-family: Arial, Helvetica, sans-serif; color: #212b32;
  margin: 0 16px 32px; line-height: 1.4; }
header { border-bottom: 4px solid #005eb8; margin-bottom: 12px; }
h1 { font-size: 1.6rem; margin: 16px 0 4px; }
.legend { font-size: 0.85rem; color: #4c6272; }
.chip { display: inline-block; min-width: 1.2em; padding: 0 5px;
  border-radius: 3px; font-weight: bold; font-size: 0.85rem;
  text-align: center; margin: 1px 2px 1px 0; border: 1px solid #d8dde0; }
table.heat { border-collapse: collapse; font-size: 0.75rem; margin: 8px 0; }
.heat caption { text-align: left; font-size: 0.9rem; margin-bottom: 4px; }
.heat th, .heat td { border: 1px solid #fff; padding: 0 1px;
  text-align: center; min-width: 1.9em; height: 1.5em; }
.heat thead th { background: #f0f4f5; font-weight: normal; }
.heat tbody th { text-align: left; font-weight: normal; white-space: nowrap;
  padding: 0 6px; max-width: 18em; overflow: hidden;
  text-overflow: ellipsis; }
.heat td.sum { white-space: nowrap; padding: 0 6px; text-align: left; }
.l3 { background: #d5281b; color: #fff; font-weight: bold; }
.l2 { background: #ffb81c; color: #212b32; font-weight: bold; }
.l1 { background: #e8edee; color: #212b32; }
.l0 { background: #fff; color: #768692; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 8pt; }
  header { border-bottom-width: 2px; }
  .heat th, .heat td { border-color: #aeb7bd; }
  .heat thead { display: table-header-group; }
  .heat tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

// The letter shown in a cell of `level` (0: no report).
const char* Letter(int level) {
  switch (level) {
    case v1::ESCALATION_LEVEL_RISK_SUMMIT:
      return "R";
    case v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE:
      return "E";
    case v1::ESCALATION_LEVEL_ROUTINE:
      return "";
    default:
      return "-";
  }
}

int LevelClass(int level) {
  return level >= v1::ESCALATION_LEVEL_ROUTINE &&
                 level <= v1::ESCALATION_LEVEL_RISK_SUMMIT
             ? level
             : 0;
}

std::string LevelText(int level) {
  const int l = LevelClass(level);
  return l == 0 ? "no report"
                : EscalationLabel(static_cast<v1::EscalationLevel>(l));
}

// A provider's row: periods at each level, for the order and the summary.
struct Row {
  const v1::ProviderTimeline* provider;
  std::array<int, 4> counts{};  // By LevelClass.
};

std::vector<Row> RowsWorstFirst(const v1::Timeline& timeline) {
  std::vector<Row> rows;
  rows.reserve(timeline.providers_size());
  for (const v1::ProviderTimeline& p : timeline.providers()) {
    Row row{&p, {}};
    for (int level : p.escalation()) ++row.counts[LevelClass(level)];
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.counts[3] != b.counts[3]) return a.counts[3] > b.counts[3];
    if (a.counts[2] != b.counts[2]) return a.counts[2] > b.counts[2];
    return a.provider->provider_id() < b.provider->provider_id();
  });
  return rows;
}

// Column headings: monthly periods under their years (two rows), any other
// frequency as its label (one row).
void PrintHead(const v1::Timeline& timeline, std::ostream& out) {
  std::vector<absl::StatusOr<Period>> periods;
  bool monthly = timeline.as_of_size() > 0;
  for (const std::string& as_of : timeline.as_of()) {
    periods.push_back(ParsePeriod(as_of));
    monthly = monthly && periods.back().ok() &&
              periods.back()->frequency == Frequency::kMonthly;
  }
  const char* rows = monthly ? " rowspan=\"2\"" : "";
  out << "<thead><tr><th scope=\"col\"" << rows << ">Provider</th>";
  if (!monthly) {
    for (const std::string& as_of : timeline.as_of()) {
      out << "<th scope=\"col\">" << HtmlEscape(internal::PeriodLabel(as_of))
          << "</th>";
    }
    out << "<th scope=\"col\">Periods at R, E</th></tr></thead>\n";
    return;
  }
  for (size_t i = 0; i < periods.size();) {
    const int year = periods[i]->index / 12;
    size_t j = i;
    while (j < periods.size() && periods[j]->index / 12 == year) ++j;
    out << "<th scope=\"colgroup\" colspan=\"" << j - i << "\">" << year
        << "</th>";
    i = j;
  }
  out << "<th scope=\"col\"" << rows << ">Periods at R, E</th></tr>\n<tr>";
  for (const absl::StatusOr<Period>& p : periods) {
    const std::string label = DescribePeriod(*p);  // "Mar 2018"
    out << "<th scope=\"col\" title=\"" << label << "\">" << label.substr(0, 3)
        << "</th>";
  }
  out << "</tr></thead>\n";
}

}  // namespace

std::string TimelineJson(const v1::Timeline& timeline) {
  return internal::MessageJson(timeline);
}

bool PrintTimelineJson(const v1::Timeline& timeline, std::ostream& out) {
  return internal::PrintMessageJson(timeline, out);
}

bool PrintTimelineCsv(const v1::Timeline& t, std::ostream& out) {
  out << "as_of,provider_id,indicator_id,rule_id,rating\n";
  for (int i = 0; i < t.as_of_size(); ++i) {
    for (const auto& r : t.rules()) {
      if (i >= r.ratings_size()) continue;
      const auto rating = static_cast<v1::Rating>(r.ratings(i));
      if (rating == v1::RATING_UNSPECIFIED) continue;
      out << t.as_of(i) << "," << r.provider_id() << "," << r.indicator_id()
          << "," << r.rule_id() << "," << RatingShortName(rating) << "\n";
    }
  }
  out.flush();
  return static_cast<bool>(out);
}

bool PrintTimelineHtml(const v1::Timeline& timeline,
                       const std::vector<v1::Provider>& providers,
                       std::ostream& out) {
  std::unordered_map<std::string, const std::string*> names;
  for (const v1::Provider& p : providers) {
    if (!p.name().empty() && p.name() != p.id()) {
      names.emplace(p.id(), &p.name());
    }
  }
  const int n = timeline.as_of_size();
  const std::string range =
      n == 0 ? std::string("no period")
             : absl::StrCat(internal::PeriodLabel(timeline.as_of(0)), " to ",
                            internal::PeriodLabel(timeline.as_of(n - 1)));
  const std::vector<Row> rows = RowsWorstFirst(timeline);
  std::array<int, 4> ever{};  // Providers ever at each level.
  for (const Row& row : rows) {
    for (int l = 0; l < 4; ++l) ever[l] += row.counts[l] > 0;
  }
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline'\">"
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\"><title>Escalation over time: "
      << HtmlEscape(timeline.ruleset_id()) << ", " << HtmlEscape(range)
      << "</title><style>" << kStyle << "</style></head><body>\n"
      << "<header><h1>Escalation over time</h1><p>Rule pack <b>"
      << HtmlEscape(timeline.ruleset_id()) << "</b>";
  if (!timeline.ruleset_version().empty()) {
    out << " version " << HtmlEscape(timeline.ruleset_version());
  }
  out << ", replayed as of each period from " << HtmlEscape(range) << " (" << n
      << " periods, " << rows.size()
      << " providers): each cell is the escalation level the dashboard would "
         "have shown then, from the data available then.</p></header>\n"
      << "<p class=\"legend\" id=\"legend\">Escalation: "
         "<span class=\"chip l3\">R</span> risk summit "
         "<span class=\"chip l2\">E</span> enhanced surveillance "
         "<span class=\"chip l1\">&nbsp;</span> routine "
         "<span class=\"chip l0\">-</span> no report (no data yet). "
         "Providers ever at risk summit: "
      << ever[3] << "; ever at enhanced surveillance: " << ever[2]
      << ". Rows: most periods at risk summit first, then most at enhanced "
         "surveillance.</p>\n"
      << "<table class=\"heat\" aria-describedby=\"legend\"><caption>"
         "Escalation level of each provider (rows) as of each period "
         "(columns)</caption>\n";
  PrintHead(timeline, out);
  std::vector<std::string> labels;
  labels.reserve(n);
  for (const std::string& as_of : timeline.as_of()) {
    labels.push_back(HtmlEscape(internal::PeriodLabel(as_of)));
  }
  out << "<tbody>\n";
  for (const Row& row : rows) {
    const std::string& id = row.provider->provider_id();
    const auto name = names.find(id);
    const std::string shown =
        HtmlEscape(name == names.end() ? id : *name->second);
    out << "<tr data-provider=\"" << HtmlEscape(id) << "\"><th scope=\"row\">"
        << HtmlEscape(id);
    if (name != names.end()) out << " " << shown;
    out << "</th>";
    for (int i = 0; i < n; ++i) {
      const int level =
          i < row.provider->escalation_size() ? row.provider->escalation(i) : 0;
      out << "<td class=\"l" << LevelClass(level) << "\" title=\"" << shown
          << ", " << labels[i] << ": " << LevelText(level) << "\">"
          << Letter(level) << "</td>";
    }
    out << "<td class=\"sum\">R " << row.counts[3] << ", E " << row.counts[2]
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n<footer class=\"legend\"><p>Made by Vigil "
      << HtmlEscape(timeline.engine_version())
      << " (vigil backtest). A period where a provider had no report is "
         "marked -.</p></footer></body></html>\n";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace vigil
