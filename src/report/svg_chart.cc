// Inline SVG for the HTML dashboard. See svg_chart.h.
#include "src/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/report/svg_util.h"

namespace vigil {
namespace internal {
namespace {

// Chart geometry (SVG user units; the page scales it to its width).
constexpr double kWidth = 640, kHeight = 220;
constexpr double kLeft = 56, kRight = 12, kTop = 12, kBottom = 34;

bool Special(absl::string_view type) {
  return type != "common_cause" && type != "missing" && !type.empty();
}

// Words for a point type, for titles and the legend.
std::string PointTypeText(absl::string_view type) {
  if (type == "special_cause_improvement") return "special cause improvement";
  if (type == "special_cause_concern") return "special cause concern";
  if (type == "special_cause_neutral_high") return "special cause (high)";
  if (type == "special_cause_neutral_low") return "special cause (low)";
  if (type == "missing") return "no value";
  return "common cause";
}

// A circle icon with a letter and a small mark, in `colour`.
std::string Icon(const char* colour, absl::string_view letter,
                 absl::string_view mark, const std::string& label) {
  return absl::StrCat(
      "<svg class=\"icon\" viewBox=\"0 0 40 40\" width=\"40\" height=\"40\" "
      "role=\"img\" aria-label=\"",
      HtmlEscape(label), "\"><title>", HtmlEscape(label),
      "</title><circle cx=\"20\" cy=\"20\" r=\"17\" fill=\"#fff\" "
      "stroke=\"",
      colour, "\" stroke-width=\"3\"/>", mark,
      letter.empty()
          ? ""
          : absl::StrCat("<text x=\"20\" y=\"17\" font-size=\"12\" "
                         "font-weight=\"bold\" text-anchor=\"middle\" "
                         "fill=\"",
                         colour, "\">", letter, "</text>"),
      "</svg>");
}

// Five dots along a line: flat (common cause), rising or falling.
std::string Dots(const char* colour, int slope) {
  std::string out;
  for (int i = 0; i < 5; ++i) {
    const double x = 10 + 5 * i;
    const double y = 28 - slope * (i - 2) * 2.0;
    absl::StrAppend(&out, "<circle cx=\"", Coord(x), "\" cy=\"", Coord(y),
                    "\" r=\"1.8\" fill=\"", colour, "\"/>");
  }
  return out;
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* PointColour(absl::string_view point_type) {
  if (point_type == "special_cause_improvement") return kBlue;
  if (point_type == "special_cause_concern") return kOrange;
  if (point_type == "special_cause_neutral_high" ||
      point_type == "special_cause_neutral_low") {
    return kPurple;
  }
  return kGrey;
}

std::string VariationIconText(absl::string_view icon) {
  if (icon == "common_cause") return "Common cause variation";
  if (icon == "improvement_high")
    return "Special cause improvement: unusually high values";
  if (icon == "improvement_low")
    return "Special cause improvement: unusually low values";
  if (icon == "concern_high")
    return "Special cause concern: unusually high values";
  if (icon == "concern_low")
    return "Special cause concern: unusually low values";
  if (icon == "neutral_high")
    return "Special cause, neither better nor worse: high values";
  if (icon == "neutral_low")
    return "Special cause, neither better nor worse: low values";
  return "";
}

std::string AssuranceIconText(absl::string_view assurance) {
  if (assurance == "consistent_pass")
    return "Assurance: the process will consistently meet the target";
  if (assurance == "consistent_fail")
    return "Assurance: the process will consistently fail the target";
  if (assurance == "inconsistent")
    return "Assurance: the process will hit and miss the target at random";
  return "";
}

std::string VariationIconSvg(absl::string_view icon) {
  const std::string label = VariationIconText(icon);
  if (label.empty()) return "";
  if (icon == "common_cause") return Icon(kGrey, "", Dots(kGrey, 0), label);
  const bool high = absl::EndsWith(icon, "_high");
  const char* colour = absl::StartsWith(icon, "improvement") ? kBlue
                       : absl::StartsWith(icon, "concern")   ? kOrange
                                                             : kPurple;
  return Icon(colour, high ? "H" : "L", Dots(colour, high ? 1 : -1), label);
}

std::string AssuranceIconSvg(absl::string_view assurance) {
  const std::string label = AssuranceIconText(assurance);
  if (label.empty()) return "";
  // A target line under the letter.
  const auto line = [](const char* colour) {
    return absl::StrCat(
        "<line x1=\"9\" y1=\"27\" x2=\"31\" y2=\"27\" stroke=\"", colour,
        "\" stroke-width=\"2\"/>");
  };
  if (assurance == "consistent_pass")
    return Icon(kBlue, "P", line(kBlue), label);
  if (assurance == "consistent_fail")
    return Icon(kOrange, "F", line(kOrange), label);
  return Icon(kGrey, "?", line(kGrey), label);
}

std::string SpcChartSvg(const v1::SpcState& spc, absl::string_view title) {
  const auto& pts = spc.chart_points();
  const int n = pts.size();
  if (n == 0) return "";
  // The y range: every finite value, limit and the target.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  const auto take = [&](double v) {
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  int present = 0, special = 0;
  for (const v1::SpcChartPoint& p : pts) {
    take(p.value());
    take(p.centre());
    take(p.lower());
    take(p.upper());
    if (std::isfinite(p.value())) ++present;
    if (Special(p.point_type())) ++special;
  }
  if (spc.has_target()) take(spc.target());
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {
    lo -= 1;
    hi += 1;
  }
  const double pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  const auto x_at = [&](int i) {
    return kLeft + (n == 1 ? plot_w / 2 : plot_w * i / (n - 1));
  };
  const auto y_at = [&](double v) {
    return kTop + plot_h * (hi - v) / (hi - lo);
  };
  const std::string first = PeriodLabel(pts[0].period());
  const std::string last = PeriodLabel(pts[n - 1].period());
  const std::string label = absl::StrCat(
      title, ": SPC chart (", spc.chart().empty() ? "xmr" : spc.chart(), "), ",
      present, " values from ", first, " to ", last, "; ", special,
      special == 1 ? " point" : " points", " of special cause; latest ",
      PointTypeText(pts[n - 1].point_type()));
  std::string out = absl::StrCat(
      "<svg class=\"spc\" viewBox=\"0 0 ", Coord(kWidth), " ", Coord(kHeight),
      "\" role=\"img\" aria-label=\"", HtmlEscape(label), "\" data-points=\"",
      present, "\"><title>", HtmlEscape(label), "</title>");
  // Axes and labels.
  absl::StrAppend(
      &out, "<g class=\"axis\" font-size=\"11\" fill=\"#444\">", "<line x1=\"",
      Coord(kLeft), "\" y1=\"", Coord(kTop), "\" x2=\"", Coord(kLeft),
      "\" y2=\"", Coord(kTop + plot_h), "\" stroke=\"#999\"/>", "<text x=\"",
      Coord(kLeft - 4), "\" y=\"", Coord(kTop + 10), "\" text-anchor=\"end\">",
      Tick(hi - pad), "</text><text x=\"", Coord(kLeft - 4), "\" y=\"",
      Coord(kTop + plot_h), "\" text-anchor=\"end\">", Tick(lo + pad),
      "</text><text x=\"", Coord(kLeft), "\" y=\"", Coord(kHeight - 10), "\">",
      HtmlEscape(first), "</text><text x=\"", Coord(kLeft + plot_w), "\" y=\"",
      Coord(kHeight - 10), "\" text-anchor=\"end\">", HtmlEscape(last),
      "</text></g>");
  // Centre line and limits per group: one segment per run of a group.
  const auto segments = [&](auto value_of, const char* cls, const char* colour,
                            const char* dash) {
    std::string path;
    int i = 0;
    while (i < n) {
      const int group = pts[i].group();
      std::string d;
      int j = i;
      for (; j < n && pts[j].group() == group; ++j) {
        const double v = value_of(pts[j]);
        if (!std::isfinite(v)) continue;
        absl::StrAppend(&d, d.empty() ? "M" : " L", Coord(x_at(j)), " ",
                        Coord(y_at(v)));
      }
      if (!d.empty()) {
        absl::StrAppend(
            &path, "<path class=\"", cls, "\" d=\"", d,
            "\" fill=\"none\" stroke=\"", colour, "\"",
            dash[0] ? absl::StrCat(" stroke-dasharray=\"", dash, "\"") : "",
            "/>");
      }
      i = j;
    }
    return path;
  };
  absl::StrAppend(
      &out,
      segments([](const v1::SpcChartPoint& p) { return p.upper(); }, "limit",
               "#888", "5 3"),
      segments([](const v1::SpcChartPoint& p) { return p.lower(); }, "limit",
               "#888", "5 3"),
      segments([](const v1::SpcChartPoint& p) { return p.centre(); }, "centre",
               "#222", ""));
  if (spc.has_target()) {
    const double y = y_at(spc.target());
    absl::StrAppend(&out, "<line class=\"target\" x1=\"", Coord(kLeft),
                    "\" y1=\"", Coord(y), "\" x2=\"", Coord(kLeft + plot_w),
                    "\" y2=\"", Coord(y), "\" stroke=\"", kTargetRed,
                    "\" stroke-dasharray=\"2 2\"/>");
  }
  // The values, joined, broken at missing periods.
  std::string line;
  bool pen_down = false;
  for (int i = 0; i < n; ++i) {
    const double v = pts[i].value();
    if (!std::isfinite(v)) {
      pen_down = false;
      continue;
    }
    absl::StrAppend(&line, pen_down ? " L" : (line.empty() ? "M" : " M"),
                    Coord(x_at(i)), " ", Coord(y_at(v)));
    pen_down = true;
  }
  if (!line.empty()) {
    absl::StrAppend(&out, "<path class=\"values\" d=\"", line,
                    "\" fill=\"none\" stroke=\"", kGrey,
                    "\" stroke-width=\"1.5\"/>");
  }
  for (int i = 0; i < n; ++i) {
    const v1::SpcChartPoint& p = pts[i];
    if (!std::isfinite(p.value())) continue;
    absl::StrAppend(&out, "<circle class=\"pt ", p.point_type(), "\" cx=\"",
                    Coord(x_at(i)), "\" cy=\"", Coord(y_at(p.value())),
                    "\" r=\"3.5\" fill=\"", PointColour(p.point_type()),
                    "\"><title>", HtmlEscape(PeriodLabel(p.period())), ": ",
                    Tick(p.value()), " (", PointTypeText(p.point_type()),
                    ")</title></circle>");
  }
  absl::StrAppend(&out, "</svg>");
  return out;
}

}  // namespace internal
}  // namespace vigil
