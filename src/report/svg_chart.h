// Inline SVG for the HTML dashboard: Making Data Count SPC charts, the
// variation and assurance icons. Vigil's own drawing,
// following the published meanings and colours of NHS England's Making
// Data Count icons: orange for concern, blue for improvement, purple for
// neutral special cause, grey for common cause.
//
// Every function returns one self-contained <svg> element with role="img",
// a <title> and an aria-label saying in words what the colours show, so the
// page can be read without colour. Output is deterministic (a golden test
// compares it byte for byte).
#ifndef VIGIL_SRC_REPORT_SVG_CHART_H_
#define VIGIL_SRC_REPORT_SVG_CHART_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// Text safe inside HTML or SVG text and attribute values (& < > " ').
std::string HtmlEscape(absl::string_view text);

// The colour of a point of type `point_type` (SpcState.point_type names).
const char* PointColour(absl::string_view point_type);

// The SPC chart of `spc.chart_points`: values joined by a line (broken at
// missing periods), coloured points, the centre line and process limits of
// each baseline group (a rebase breaks them), and the target when
// spc.has_target(). `title` names the chart (provider and indicator). The
// first and last periods label the x axis; the y axis shows the range.
// Empty when there are no chart points.
std::string SpcChartSvg(const v1::SpcState& spc, absl::string_view title);

// The variation icon named by SpcState.variation_icon ("common_cause",
// "improvement_high", "concern_low", "neutral_high", ...); empty for "".
std::string VariationIconSvg(absl::string_view icon);

// The assurance icon named by SpcState.assurance ("consistent_pass",
// "consistent_fail", "inconsistent"); empty for "".
std::string AssuranceIconSvg(absl::string_view assurance);

// A funnel plot (Report.funnels) as an SVG <symbol> with id `symbol_id`:
// the target, the limits (inner dashed, outer solid) and every provider's
// point, coloured by the peer rule's rating of it (`ratings`, by provider
// id): red, amber, green (better than peers), purple (outside the limits of
// a neutral indicator), light grey within the limits. Drawn once per page
// and shown by FunnelSvg.
std::string FunnelSymbolSvg(const v1::FunnelChart& chart,
                            absl::string_view symbol_id,
                            const std::map<std::string, v1::Rating>& ratings);

// The funnel `chart` drawn by <use> of its symbol, with the point of
// provider `highlight` ringed (none for ""), and a title and aria-label that
// say in words how many providers lie beyond each limit and where the
// highlighted one lies. Small: the points are in the symbol.
std::string FunnelSvg(const v1::FunnelChart& chart, absl::string_view symbol_id,
                      absl::string_view highlight, absl::string_view title);

// A trajectory chart (Assessment.trajectory): the actual (solid, with
// points) against the plan (dashed) over the year, the annual objective
// (red dotted) when there is one. Empty when there are no points.
std::string TrajectoryChartSvg(const v1::TrajectoryState& trajectory,
                               absl::string_view title);

// A sparkline of `values` (Assessment.recent_values), broken at gaps, the
// latest value marked. Empty when no value is finite.
std::string SparklineSvg(
    const google::protobuf::RepeatedPtrField<v1::PeriodValue>& values,
    absl::string_view title);

// Words for an icon: "Special cause concern: unusually high values".
std::string VariationIconText(absl::string_view icon);
std::string AssuranceIconText(absl::string_view assurance);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_SVG_CHART_H_
