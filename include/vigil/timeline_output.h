// Rendering a back-test's Timeline (Engine::EvaluateTimeline) for programs
// (CSV) and for people (an HTML heat-map), as `vigil backtest` and the C API
// write it.
//
// Example:
//   vigil::v1::Timeline timeline;
//   engine->EvaluateTimeline(store, "2016-04", "2019-03", {}, &timeline);
//   std::ofstream page("backtest.html");
//   vigil::PrintTimelineHtml(timeline, store.providers(), page);
//
// Thread safety: free functions with no shared state; a timeline may be
// rendered from several threads at once.
#ifndef VIGIL_TIMELINE_OUTPUT_H_
#define VIGIL_TIMELINE_OUTPUT_H_

#include <ostream>
#include <string>
#include <vector>

#include "vigil/v1/model.pb.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

// Protobuf JSON with the .proto field names, one space of indentation per
// level: the bytes of protobuf's MessageToJsonString with add_whitespace and
// preserve_proto_field_names, as `vigil backtest --format json` writes them,
// from Vigil's own writer (about 4x faster). PrintTimelineJson streams them
// to `out` and returns false when writing failed.
std::string TimelineJson(const v1::Timeline& timeline);
bool PrintTimelineJson(const v1::Timeline& timeline, std::ostream& out);

// One row per as-of period, provider, indicator and rule that gave a rating
// (as-of periods oldest first, then the timeline's rule order), under the
// header `as_of,provider_id,indicator_id,rule_id,rating`; ratings are short
// names as in PrintReportCsv ("green", "no_data"). Returns false when
// writing failed.
bool PrintTimelineCsv(const v1::Timeline& timeline, std::ostream& out);

// The escalation heat-map as one self-contained HTML page (inline CSS, no
// script, nothing fetched: the board's Content-Security-Policy): a table of
// providers (rows: most as-of periods at risk summit first, then most at
// enhanced surveillance, then id) by as-of period (columns, oldest first;
// months grouped under their year), each cell coloured as the board colours
// that escalation level, with a letter for print and colour-blind readers
// (R risk summit, E enhanced surveillance, blank routine, "-" no report)
// and a title ("Trust X, Mar 2018: enhanced surveillance"); a legend, and
// per provider the count of periods at each level. `providers` (may be
// empty, any order) gives the names shown beside the ids and in the
// titles. About 100 bytes a cell with NHS trust names: 140 providers by 36
// months is 0.51 MB. Returns false when writing failed.
bool PrintTimelineHtml(const v1::Timeline& timeline,
                       const std::vector<v1::Provider>& providers,
                       std::ostream& out);

// The first line of a back-test's scores as CSV (`vigil backtest --summary
// F.csv`): ruleset_id,scope,rule_id,rule_name,providers_with_outcome,
// providers_warned_before,sensitivity,median_lead_periods,providers_warned,
// false_alarm_providers,warnings,false_alarms,pending_warnings.
extern const char kBacktestSummaryCsvHeader[];

// The rows of one scored pack under kBacktestSummaryCsvHeader (not written
// here): the pack's (scope "pack", rule_id and rule_name empty), then one
// per scored rule in the summary's order (scope "rule"). rule_name is the
// rule's name in `rules`, or its id when the rule is not there or has no
// name. sensitivity and median_lead_periods are %.17g, empty when unset;
// text cells are RFC 4180 with a leading ' before a spreadsheet formula.
// Returns false when writing failed.
bool PrintBacktestSummaryCsvRows(const v1::BacktestSummary& summary,
                                 const v1::RuleSet& rules, std::ostream& out);

}  // namespace vigil

#endif  // VIGIL_TIMELINE_OUTPUT_H_
