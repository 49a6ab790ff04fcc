// Helpers shared by the dashboard's SVG drawings (svg_chart.cc,
// funnel_svg.cc, trajectory_svg.cc): coordinates, tick labels, period
// labels and Making Data Count's colours.
#ifndef VIGIL_SRC_REPORT_SVG_UTIL_H_
#define VIGIL_SRC_REPORT_SVG_UTIL_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vigil {
namespace internal {

// Making Data Count's colours.
inline constexpr char kGrey[] = "#7b7d7d";
inline constexpr char kBlue[] = "#289de0";
inline constexpr char kOrange[] = "#fab428";
inline constexpr char kPurple[] = "#361475";
inline constexpr char kTargetRed[] = "#de1b1b";

// A coordinate in SVG user units, one decimal ("12.3").
std::string Coord(double v);

// A tick label: whole numbers from 1,000 up ("12650"), else up to four
// significant figures ("67.86", "0.1234").
std::string Tick(double v);

// "Mar 2019" for "2019-03"; the text itself when it is not a period.
std::string PeriodLabel(absl::string_view period);

// A value range [lo, hi] for an axis, grown as values are taken: non-finite
// values are ignored; Padded() widens it by 5% each side (and to +-1 when it
// is empty or flat).
struct AxisRange {
  double lo = 0, hi = 0;
  bool empty = true;
  void Take(double v);
  AxisRange Padded() const;
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_REPORT_SVG_UTIL_H_
