// Trajectory charts for the HTML dashboard. See svg_chart.h.
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/report/svg_chart.h"
#include "src/report/svg_util.h"

namespace vigil {
namespace internal {
namespace {

constexpr double kWidth = 640, kHeight = 220;
constexpr double kLeft = 56, kRight = 12, kTop = 12, kBottom = 34;
constexpr char kActual[] = "#212b32";
constexpr char kPlan[] = "#005eb8";

}  // namespace

std::string TrajectoryChartSvg(const v1::TrajectoryState& trajectory,
                               absl::string_view title) {
  const auto& pts = trajectory.points();
  const int n = pts.size();
  if (n == 0) return "";
  AxisRange y;
  y.Take(0);  // Counts and most units start from zero.
  int actuals = 0, last_actual = -1;
  for (int i = 0; i < n; ++i) {
    y.Take(pts[i].actual());
    y.Take(pts[i].plan());
    if (std::isfinite(pts[i].actual())) {
      ++actuals;
      last_actual = i;
    }
  }
  if (trajectory.has_objective()) y.Take(trajectory.objective());
  const bool from_zero = y.lo >= 0;
  y = y.Padded();
  if (from_zero) y.lo = 0;  // No negative axis under counts.
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const auto x_at = [&](int i) {
    return kLeft + (n == 1 ? plot_w / 2 : plot_w * i / (n - 1));
  };
  const auto y_at = [&](double v) {
    return kTop + plot_h * (y.hi - v) / (y.hi - y.lo);
  };
  const char* kind = trajectory.cumulative() ? "cumulative " : "";
  std::string label = absl::StrCat(title, ": ", kind, "actual against ", kind,
                                   "plan, ", PeriodLabel(pts[0].period()),
                                   " to ", PeriodLabel(pts[n - 1].period()));
  if (last_actual >= 0) {
    absl::StrAppend(&label, "; ", Tick(pts[last_actual].actual()), " by ",
                    PeriodLabel(pts[last_actual].period()));
    if (std::isfinite(pts[last_actual].plan())) {
      absl::StrAppend(&label, " against a plan of ",
                      Tick(pts[last_actual].plan()));
    }
  } else {
    absl::StrAppend(&label, "; no actual yet");
  }
  if (trajectory.has_objective()) {
    absl::StrAppend(&label, "; annual objective ",
                    Tick(trajectory.objective()));
  }
  std::string out =
      absl::StrCat("<svg class=\"trajectory\" viewBox=\"0 0 ", Coord(kWidth),
                   " ", Coord(kHeight), "\" role=\"img\" aria-label=\"",
                   HtmlEscape(label), "\" data-points=\"", actuals,
                   "\"><title>", HtmlEscape(label), "</title>");
  absl::StrAppend(
      &out, "<g class=\"axis\" font-size=\"11\" fill=\"#444\"><line x1=\"",
      Coord(kLeft), "\" y1=\"", Coord(kTop), "\" x2=\"", Coord(kLeft),
      "\" y2=\"", Coord(kTop + plot_h), "\" stroke=\"#999\"/><text x=\"",
      Coord(kLeft - 4), "\" y=\"", Coord(kTop + 10), "\" text-anchor=\"end\">",
      Tick(y.hi), "</text><text x=\"", Coord(kLeft - 4), "\" y=\"",
      Coord(kTop + plot_h), "\" text-anchor=\"end\">", Tick(y.lo),
      "</text><text x=\"", Coord(kLeft), "\" y=\"", Coord(kHeight - 10), "\">",
      HtmlEscape(PeriodLabel(pts[0].period())), "</text><text x=\"",
      Coord(kLeft + plot_w), "\" y=\"", Coord(kHeight - 10),
      "\" text-anchor=\"end\">", HtmlEscape(PeriodLabel(pts[n - 1].period())),
      "</text></g>");
  if (trajectory.has_objective()) {
    const double yo = y_at(trajectory.objective());
    absl::StrAppend(&out, "<line class=\"objective\" x1=\"", Coord(kLeft),
                    "\" y1=\"", Coord(yo), "\" x2=\"", Coord(kLeft + plot_w),
                    "\" y2=\"", Coord(yo), "\" stroke=\"", kTargetRed,
                    "\" stroke-dasharray=\"2 2\"/>");
  }
  // A line through the finite values of `value_of`, broken at gaps.
  const auto line = [&](auto value_of) {
    std::string d;
    bool pen_down = false;
    for (int i = 0; i < n; ++i) {
      const double v = value_of(pts[i]);
      if (!std::isfinite(v)) {
        pen_down = false;
        continue;
      }
      absl::StrAppend(&d, pen_down ? " L" : (d.empty() ? "M" : " M"),
                      Coord(x_at(i)), " ", Coord(y_at(v)));
      pen_down = true;
    }
    return d;
  };
  const std::string plan =
      line([](const v1::TrajectoryChartPoint& p) { return p.plan(); });
  if (!plan.empty()) {
    absl::StrAppend(&out, "<path class=\"plan\" d=\"", plan,
                    "\" fill=\"none\" stroke=\"", kPlan,
                    "\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>");
  }
  const std::string actual =
      line([](const v1::TrajectoryChartPoint& p) { return p.actual(); });
  if (!actual.empty()) {
    absl::StrAppend(&out, "<path class=\"actual\" d=\"", actual,
                    "\" fill=\"none\" stroke=\"", kActual,
                    "\" stroke-width=\"2\"/>");
  }
  for (int i = 0; i < n; ++i) {
    const v1::TrajectoryChartPoint& p = pts[i];
    if (!std::isfinite(p.actual())) continue;
    absl::StrAppend(
        &out, "<circle class=\"pt\" cx=\"", Coord(x_at(i)), "\" cy=\"",
        Coord(y_at(p.actual())), "\" r=\"3\" fill=\"", kActual, "\"><title>",
        HtmlEscape(PeriodLabel(p.period())), ": ", Tick(p.actual()),
        std::isfinite(p.plan()) ? absl::StrCat(" (plan ", Tick(p.plan()), ")")
                                : std::string(),
        "</title></circle>");
  }
  absl::StrAppend(&out, "</svg>");
  return out;
}

std::string SparklineSvg(
    const google::protobuf::RepeatedPtrField<v1::PeriodValue>& values,
    absl::string_view title) {
  constexpr double kW = 120, kH = 28, kPad = 3;
  const int n = values.size();
  AxisRange y;
  int present = 0, last = -1;
  for (int i = 0; i < n; ++i) {
    y.Take(values[i].value());
    if (std::isfinite(values[i].value())) {
      ++present;
      last = i;
    }
  }
  if (present == 0) return "";
  y = y.Padded();
  const auto x_at = [&](int i) {
    return kPad +
           (n == 1 ? (kW - 2 * kPad) / 2 : (kW - 2 * kPad) * i / (n - 1));
  };
  const auto y_at = [&](double v) {
    return kPad + (kH - 2 * kPad) * (y.hi - v) / (y.hi - y.lo);
  };
  const std::string label = absl::StrCat(
      title, ": ", present, " values from ", PeriodLabel(values[0].period()),
      " to ", PeriodLabel(values[n - 1].period()), ", latest ",
      Tick(values[last].value()), " in ", PeriodLabel(values[last].period()),
      last == n - 1 ? "" : " (none since)");
  std::string d;
  bool pen_down = false;
  for (int i = 0; i < n; ++i) {
    const double v = values[i].value();
    if (!std::isfinite(v)) {
      pen_down = false;
      continue;
    }
    absl::StrAppend(&d, pen_down ? " L" : (d.empty() ? "M" : " M"),
                    Coord(x_at(i)), " ", Coord(y_at(v)));
    pen_down = true;
  }
  return absl::StrCat(
      "<svg class=\"sparkline\" viewBox=\"0 0 ", Coord(kW), " ", Coord(kH),
      "\" width=\"", Coord(kW), "\" height=\"", Coord(kH),
      "\" role=\"img\" aria-label=\"", HtmlEscape(label), "\" data-points=\"",
      present, "\"><title>", HtmlEscape(label), "</title><path d=\"", d,
      "\" fill=\"none\" stroke=\"", kGrey,
      "\" stroke-width=\"1.2\"/><circle cx=\"", Coord(x_at(last)), "\" cy=\"",
      Coord(y_at(values[last].value())), "\" r=\"2.2\" fill=\"#212b32\"/>",
      "</svg>");
}

}  // namespace internal
}  // namespace vigil
