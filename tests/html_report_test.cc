// The HTML dashboard and its SVG: the SPC chart of a fixed series against a
// reviewed golden file, the colours of special-cause points, and what the
// page must hold (a section per provider, a chart per SPC assessment with
// chart points, escaped text, nothing fetched from outside).
#include "vigil/html_report.h"

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/report/svg_chart.h"
#include "tests/test_util.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int Count(const std::string& text, const std::string& needle) {
  return testing::CountOccurrences(text, needle);
}

// Twelve months: a missing month, a rebase after eight points, one concern
// point above the limit and one improvement point, a target.
v1::SpcState FixedChart() {
  v1::SpcState spc;
  spc.set_chart("xmr");
  spc.set_target(95);
  spc.set_variation_icon("improvement_low");
  spc.set_assurance("inconsistent");
  const double values[] = {90, 91, 89, 92, kNaN, 90, 99, 91, 85, 84, 86, 80};
  const char* types[] = {
      "common_cause",          "common_cause", "common_cause",
      "common_cause",          "missing",      "common_cause",
      "special_cause_concern", "common_cause", "common_cause",
      "common_cause",          "common_cause", "special_cause_improvement"};
  for (int i = 0; i < 12; ++i) {
    v1::SpcChartPoint* p = spc.add_chart_points();
    p->set_period(absl::StrCat("2019-", i < 9 ? "0" : "", i + 1));
    p->set_value(values[i]);
    const bool second = i >= 8;
    p->set_group(second ? 1 : 0);
    p->set_centre(second ? 84 : 91);
    p->set_lower(second ? 81 : 86);
    p->set_upper(second ? 87 : 96);
    p->set_point_type(types[i]);
  }
  return spc;
}

TEST(SpcChartSvgTest, MatchesTheReviewedGoldenChart) {
  const std::string svg =
      internal::SpcChartSvg(FixedChart(), "Trust A, AE4HR, 4-hour SPC");
  const std::string path = kRoot + "/tests/golden/spc_chart.svg";
  if (std::getenv("VIGIL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << svg << "\n";
  }
  absl::StatusOr<std::string> golden = ReadFile(path);
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_EQ(svg + "\n", *golden)
      << "the SPC chart differs from tests/golden/spc_chart.svg; if intended, "
         "run with VIGIL_UPDATE_GOLDEN=1 and review it in a browser";
}

TEST(SpcChartSvgTest, ColoursSpecialCausePointsAsMakingDataCount) {
  const std::string svg = internal::SpcChartSvg(FixedChart(), "t");
  // Eleven values (one month missing): eleven points, nine grey.
  EXPECT_EQ(Count(svg, "<circle class=\"pt "), 11);
  EXPECT_NE(svg.find("data-points=\"11\""), std::string::npos);
  EXPECT_EQ(Count(svg, "fill=\"#7b7d7d\"><title>"), 9);
  EXPECT_NE(svg.find("class=\"pt special_cause_concern\" cx=\"368.0\""),
            std::string::npos)
      << svg;  // July, orange.
  EXPECT_EQ(Count(svg, "special_cause_concern\" cx"), 1);
  EXPECT_NE(svg.find("fill=\"#fab428\"><title>Jul 2019: 99"),
            std::string::npos);
  EXPECT_NE(svg.find("fill=\"#289de0\"><title>Dec 2019: 80"),
            std::string::npos);
  // Two groups: the centre line and each limit drawn twice; the target once.
  EXPECT_EQ(Count(svg, "class=\"centre\""), 2);
  EXPECT_EQ(Count(svg, "class=\"limit\""), 4);
  EXPECT_EQ(Count(svg, "class=\"target\""), 1);
  // The values' line breaks at the missing month: two moves.
  const size_t values = svg.find("class=\"values\" d=\"");
  ASSERT_NE(values, std::string::npos);
  const std::string d = svg.substr(values, svg.find('"', values + 20) - values);
  EXPECT_EQ(Count(d, "M"), 2) << d;
  // Words for what the colours show.
  EXPECT_NE(svg.find("aria-label=\"t: SPC chart (xmr), 11 values from Jan 2019 "
                     "to Dec 2019; 2 points of special cause; latest special "
                     "cause improvement\""),
            std::string::npos);
}

TEST(SpcChartSvgTest, NoChartWithoutPointsAndIconsHaveWords) {
  EXPECT_EQ(internal::SpcChartSvg(v1::SpcState(), "t"), "");
  const std::string icon = internal::VariationIconSvg("concern_high");
  EXPECT_NE(icon.find("Special cause concern: unusually high values"),
            std::string::npos);
  EXPECT_NE(icon.find("#fab428"), std::string::npos);
  EXPECT_NE(icon.find(">H</text>"), std::string::npos);
  EXPECT_NE(internal::AssuranceIconSvg("consistent_fail").find(">F</text>"),
            std::string::npos);
  EXPECT_EQ(internal::VariationIconSvg(""), "");
  EXPECT_EQ(internal::AssuranceIconSvg(""), "");
}

v1::Report TwoProviders() {
  v1::Report report = testing::ParseText<v1::Report>(R"pb(
    as_of: "2019-12"
    ruleset_id: "nhs_ew"
    ruleset_version: "3"
    observations_read: 25
    observations_used: 24
    observations_rejected: 1
    providers {
      provider_id: "P1"
      provider_name: "Trust <A> & Co"
      worst_rating: RATING_RED
      escalation: ESCALATION_LEVEL_RISK_SUMMIT
      escalation_reason: "2 red ratings"
      counts { red: 1 green: 1 }
      domains {
        domain: DOMAIN_RESPONSIVE
        counts { red: 1 green: 1 }
      }
    }
    providers {
      provider_id: "P 2/x"
      provider_name: "Trust B"
      worst_rating: RATING_GREEN
      escalation: ESCALATION_LEVEL_ROUTINE
      counts { green: 1 }
      domains {
        domain: DOMAIN_RESPONSIVE
        counts { green: 1 }
      }
    }
    assessments {
      provider_id: "P1"
      indicator_id: "AE4HR"
      rule_id: "ae_spc"
      rule_name: "4-hour SPC"
      rating: RATING_RED
      reason: "special cause concern"
    }
    assessments {
      provider_id: "P1"
      indicator_id: "AE4HR"
      rule_id: "ae_std"
      rating: RATING_GREEN
      reason: "96% against the 95% standard"
    }
    assessments {
      provider_id: "P 2/x"
      indicator_id: "AE4HR"
      rule_id: "ae_std"
      rating: RATING_GREEN
      reason: "97%"
    }
    diagnostics {
      severity: DIAGNOSTIC_SEVERITY_ERROR
      code: DIAGNOSTIC_CODE_NON_FINITE_VALUE
      source: "obs.csv"
      row: 7
      message: "line 7: value 'x' is not a number"
    }
  )pb");
  *report.mutable_assessments(0)->mutable_spc() = FixedChart();
  return report;
}

TEST(HtmlReportTest, HasASectionPerProviderAndAChartPerSpcAssessment) {
  std::ostringstream page;
  ASSERT_TRUE(PrintReportHtml(TwoProviders(), page));
  const std::string html = page.str();
  EXPECT_EQ(Count(html, "<section class=\"provider\""), 2);
  EXPECT_EQ(Count(html, "<figure class=\"chart\""), 1);
  EXPECT_EQ(Count(html, "<svg class=\"spc\""), 1);
  // Worst first: the risk-summit provider's section comes first, and the
  // table links to both sections by anchors any id can make.
  EXPECT_LT(html.find("id=\"p-P1\""), html.find("id=\"p-P_202_2fx\""));
  EXPECT_NE(html.find("href=\"#p-P_202_2fx\""), std::string::npos);
  EXPECT_NE(html.find("Trust &lt;A&gt; &amp; Co"), std::string::npos);
  EXPECT_EQ(html.find("Trust <A>"), std::string::npos);
  // Header counts and the diagnostic, with file, row and reason.
  EXPECT_NE(html.find("not used: <b>1</b>"), std::string::npos);
  EXPECT_NE(html.find("<td>obs.csv</td><td>7</td><td>non_finite_value</td>"),
            std::string::npos);
  EXPECT_NE(html.find("1 risk summit"), std::string::npos)
      << html.substr(0, 3000);
}

TEST(HtmlReportTest, FetchesNothingFromOutside) {
  std::ostringstream page;
  ASSERT_TRUE(PrintReportHtml(TwoProviders(), page));
  const std::string html = page.str();
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  for (const char* banned : {"<script", "<link", "<img", "<iframe", "src=",
                             "url(", "@import", "http:", "https:", "//fonts"}) {
    EXPECT_FALSE(absl::StrContains(html, banned)) << banned;
  }
  // Every href is a fragment of this page.
  int hrefs = 0;
  for (size_t at = html.find("href=\""); at != std::string::npos;
       at = html.find("href=\"", at + 1)) {
    ++hrefs;
    EXPECT_EQ(html[at + 6], '#') << html.substr(at, 40);
  }
  EXPECT_EQ(hrefs, 2);  // The two providers in the table.
}

}  // namespace
}  // namespace vigil
