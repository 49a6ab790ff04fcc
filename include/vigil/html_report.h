// The Early Warning Dashboard as one self-contained HTML page, for boards,
// quality committees and Quality Surveillance Groups.
//
// Example:
//   std::ofstream page("board.html");
//   vigil::PrintReportHtml(report, page);
//
// The page holds everything it shows: inline CSS and inline SVG, no script,
// no font or image fetched from anywhere (a Content-Security-Policy of
// default-src 'none' makes the browser refuse any load), so it opens
// offline, from a file or an e-mail attachment, and prints on A4. It shows:
//   - the pack, the as-of period, rows read / used / not used, and how many
//     providers are at each escalation level;
//   - a table of providers, worst first, with their escalation and their
//     red / amber / green / no-data counts by CQC domain, each linking to
//   - a section per provider: its assessments worst first with their
//     reasons, and for each SPC assessment that carries its chart
//     (SpcState.chart_points: evaluate with EvaluateOptions::chart_periods
//     > 0) the chart with Making Data Count colours and the variation and
//     assurance icons;
//   - the diagnostics: rows not used, with source, row and reason (the first
//     kMaxDiagnosticRows; the count of the rest).
// Every colour has a text equivalent; charts have titles and aria-labels.
//
// Thread safety: no shared state; a report may be rendered from several
// threads at once.
#ifndef VIGIL_HTML_REPORT_H_
#define VIGIL_HTML_REPORT_H_

#include <ostream>

#include "vigil/v1/report.pb.h"

namespace vigil {

// Diagnostics listed on the page; the rest are counted.
inline constexpr int kMaxDiagnosticRows = 1000;

// Writes the page to `out`. Returns false when writing failed.
bool PrintReportHtml(const v1::Report& report, std::ostream& out);

}  // namespace vigil

#endif  // VIGIL_HTML_REPORT_H_
