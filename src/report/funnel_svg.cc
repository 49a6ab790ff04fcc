// Funnel plots for the HTML dashboard. See svg_chart.h.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/report/svg_chart.h"
#include "src/report/svg_util.h"

namespace vigil {
namespace internal {
namespace {

constexpr double kWidth = 640, kHeight = 260;
constexpr double kLeft = 56, kRight = 12, kTop = 12, kBottom = 34;

constexpr char kRedPoint[] = "#d5281b";
constexpr char kAmberPoint[] = "#ffb81c";
constexpr char kGreenPoint[] = "#007f3b";
constexpr char kWithin[] = "#aeb7bd";

// Where values and denominators land on the plot. Computed from the chart
// alone, so the symbol and every highlight drawn over it agree.
struct FunnelGeometry {
  double x_max = 1;  // Denominator at the right edge (the left edge is 0).
  AxisRange y;

  explicit FunnelGeometry(const v1::FunnelChart& chart) {
    for (double d : chart.denominators()) x_max = std::max(x_max, d);
    for (const v1::FunnelChartPoint& p : chart.points()) {
      x_max = std::max(x_max, p.denominator());
      y.Take(p.value());
    }
    for (double v : chart.lower()) y.Take(v);
    for (double v : chart.upper()) y.Take(v);
    y.Take(chart.target());
    y = y.Padded();
    x_max *= 1.03;
  }
  double X(double d) const {
    return kLeft + (kWidth - kLeft - kRight) * std::max(0.0, d) / x_max;
  }
  double Y(double v) const {
    return kTop + (kHeight - kTop - kBottom) * (y.hi - v) / (y.hi - y.lo);
  }
};

const char* PointFill(const v1::FunnelChartPoint& p,
                      const std::map<std::string, v1::Rating>& ratings) {
  const auto it = ratings.find(p.provider_id());
  const v1::Rating rating =
      it == ratings.end() ? v1::RATING_UNSPECIFIED : it->second;
  if (p.position() == 0) return kWithin;
  switch (rating) {
    case v1::RATING_RED:
      return kRedPoint;
    case v1::RATING_AMBER:
      return kAmberPoint;
    case v1::RATING_GREEN:
      return kGreenPoint;
    default:
      return kPurple;  // Neither better nor worse (neutral indicator).
  }
}

std::string Percent(double coverage) {
  return absl::StrCat(Tick(coverage * 100), "%");
}

// "4 above the 99.8% upper limit, 9 more above the 95% one, ..."
std::string PositionCounts(const v1::FunnelChart& chart) {
  int counts[5] = {0, 0, 0, 0, 0};
  for (const v1::FunnelChartPoint& p : chart.points()) {
    const int pos = std::clamp(p.position(), -2, 2);
    ++counts[pos + 2];
  }
  const std::string amber =
      chart.coverages_size() > 0 ? Percent(chart.coverages(0)) : "inner";
  const std::string red =
      chart.coverages_size() > 1 ? Percent(chart.coverages(1)) : "outer";
  return absl::StrCat(counts[4], " above the ", red, " upper limit, ",
                      counts[3], " above the ", amber, " one only, ", counts[2],
                      " within the ", amber, " limits, ", counts[1],
                      " below the ", amber, " lower limit only, ", counts[0],
                      " below the ", red, " one");
}

std::string PositionText(int position, const v1::FunnelChart& chart) {
  position = std::clamp(position, -2, 2);  // A report from outside: any int.
  const auto coverage = [&](int c) {
    return c < chart.coverages_size() ? Percent(chart.coverages(c))
                                      : std::string("outer");
  };
  if (position == 0) {
    return absl::StrCat("within the ", coverage(0), " limits");
  }
  return absl::StrCat(position < 0 ? "below the " : "above the ",
                      coverage(std::abs(position) - 1),
                      position < 0 ? " lower limit" : " upper limit");
}

}  // namespace

std::string FunnelSymbolSvg(const v1::FunnelChart& chart,
                            absl::string_view symbol_id,
                            const std::map<std::string, v1::Rating>& ratings) {
  const FunnelGeometry g(chart);
  const double plot_h = kHeight - kTop - kBottom;
  std::string out =
      absl::StrCat("<symbol id=\"", HtmlEscape(symbol_id), "\" viewBox=\"0 0 ",
                   Coord(kWidth), " ", Coord(kHeight), "\">");
  // Axes: value range on the left, denominators below.
  absl::StrAppend(
      &out, "<g class=\"axis\" font-size=\"11\" fill=\"#444\"><line x1=\"",
      Coord(kLeft), "\" y1=\"", Coord(kTop), "\" x2=\"", Coord(kLeft),
      "\" y2=\"", Coord(kTop + plot_h), "\" stroke=\"#999\"/><line x1=\"",
      Coord(kLeft), "\" y1=\"", Coord(kTop + plot_h), "\" x2=\"",
      Coord(kWidth - kRight), "\" y2=\"", Coord(kTop + plot_h),
      "\" stroke=\"#999\"/><text x=\"", Coord(kLeft - 4), "\" y=\"",
      Coord(kTop + 10), "\" text-anchor=\"end\">", Tick(g.y.hi),
      "</text><text x=\"", Coord(kLeft - 4), "\" y=\"", Coord(kTop + plot_h),
      "\" text-anchor=\"end\">", Tick(g.y.lo), "</text><text x=\"",
      Coord(kLeft), "\" y=\"", Coord(kHeight - 10), "\">0</text><text x=\"",
      Coord(kWidth - kRight), "\" y=\"", Coord(kHeight - 10),
      "\" text-anchor=\"end\">denominator ", Tick(g.x_max), "</text></g>");
  // The limits: one path per coverage and side; the outer ones solid.
  const int coverages = chart.coverages_size();
  const int n = chart.denominators_size();
  for (int c = 0; c < coverages; ++c) {
    for (const auto* side : {&chart.lower(), &chart.upper()}) {
      std::string d;
      for (int i = 0; i < n; ++i) {
        const int at = i * coverages + c;
        if (at >= side->size() || !std::isfinite((*side)[at])) continue;
        absl::StrAppend(&d, d.empty() ? "M" : " L",
                        Coord(g.X(chart.denominators(i))), " ",
                        Coord(g.Y((*side)[at])));
      }
      if (d.empty()) continue;
      absl::StrAppend(&out, "<path class=\"limit\" d=\"", d,
                      "\" fill=\"none\" stroke=\"#425563\"",
                      c + 1 < coverages ? " stroke-dasharray=\"5 3\"" : "",
                      "/>");
    }
  }
  absl::StrAppend(&out, "<line class=\"target\" x1=\"", Coord(kLeft),
                  "\" y1=\"", Coord(g.Y(chart.target())), "\" x2=\"",
                  Coord(kWidth - kRight), "\" y2=\"",
                  Coord(g.Y(chart.target())), "\" stroke=\"#212b32\"/>");
  for (const v1::FunnelChartPoint& p : chart.points()) {
    absl::StrAppend(&out, "<circle class=\"pt\" cx=\"",
                    Coord(g.X(p.denominator())), "\" cy=\"",
                    Coord(g.Y(p.value())), "\" r=\"3\" fill=\"",
                    PointFill(p, ratings), "\"><title>",
                    HtmlEscape(p.provider_id()), ": ", Tick(p.value()), " (",
                    Tick(p.numerator()), " of ", Tick(p.denominator()), "), ",
                    PositionText(p.position(), chart), "</title></circle>");
  }
  absl::StrAppend(&out, "</symbol>");
  return out;
}

std::string FunnelSvg(const v1::FunnelChart& chart, absl::string_view symbol_id,
                      absl::string_view highlight, absl::string_view title) {
  const FunnelGeometry g(chart);
  const v1::FunnelChartPoint* focus = nullptr;
  for (const v1::FunnelChartPoint& p : chart.points()) {
    if (!highlight.empty() && p.provider_id() == highlight) focus = &p;
  }
  std::string label = absl::StrCat(
      title, ": funnel plot of ", chart.points_size(), " providers in ",
      PeriodLabel(chart.period()), " around the peer value of ",
      Tick(chart.target()), "; ", PositionCounts(chart));
  if (focus != nullptr) {
    absl::StrAppend(&label, "; ", focus->provider_id(),
                    " (ringed): ", Tick(focus->value()), " of ",
                    Tick(focus->denominator()), ", ",
                    PositionText(focus->position(), chart));
  } else if (!highlight.empty()) {
    absl::StrAppend(&label, "; ", highlight, " is not on the funnel");
  }
  std::string out = absl::StrCat(
      "<svg class=\"funnel\" viewBox=\"0 0 ", Coord(kWidth), " ",
      Coord(kHeight), "\" role=\"img\" aria-label=\"", HtmlEscape(label),
      "\" data-points=\"", chart.points_size(), "\"><title>", HtmlEscape(label),
      "</title><use href=\"#", HtmlEscape(symbol_id), "\" width=\"",
      Coord(kWidth), "\" height=\"", Coord(kHeight), "\"/>");
  if (focus != nullptr) {
    absl::StrAppend(&out, "<circle class=\"focus\" cx=\"",
                    Coord(g.X(focus->denominator())), "\" cy=\"",
                    Coord(g.Y(focus->value())),
                    "\" r=\"7\" fill=\"none\" stroke=\"#005eb8\" "
                    "stroke-width=\"2.5\"/>");
  }
  absl::StrAppend(&out, "</svg>");
  return out;
}

}  // namespace internal
}  // namespace vigil
