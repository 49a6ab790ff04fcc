// The dashboard's funnel plots, trajectory charts and sparklines: each
// drawing of a small fixed chart against a reviewed golden file
// (VIGIL_UPDATE_GOLDEN=1 rewrites them), and what the drawings must show:
// the provider in focus ringed exactly on its point, points coloured by
// their rating, words for what the colours show, gaps left as gaps.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "src/report/svg_chart.h"
#include "tests/test_util.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;

void ExpectGolden(const std::string& svg, const std::string& name) {
  const std::string path = kRoot + "/tests/golden/" + name;
  if (std::getenv("VIGIL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << svg << "\n";
  }
  absl::StatusOr<std::string> golden = ReadFile(path);
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_EQ(svg + "\n", *golden)
      << "the drawing differs from tests/golden/" << name
      << "; if intended, run with VIGIL_UPDATE_GOLDEN=1 and review it in a "
         "browser";
}

int Count(const std::string& text, const std::string& needle) {
  return testing::CountOccurrences(text, needle);
}

// Five providers around a peer value of 80%: limits at three denominators;
// A below the red limit, E above the amber one, the others within.
v1::FunnelChart FixedFunnel() {
  v1::FunnelChart f;
  f.set_rule_id("peer");
  f.set_rule_name("Against peers");
  f.set_indicator_id("AE");
  f.set_period("2019-03");
  f.set_target(80);
  f.add_coverages(0.95);
  f.add_coverages(0.998);
  f.set_adjustment("not adjusted for overdispersion");
  const double denominators[] = {100, 550, 1000};
  const double amber[] = {8, 3.4, 2.5}, red[] = {12.4, 5.3, 3.9};
  for (int i = 0; i < 3; ++i) {
    f.add_denominators(denominators[i]);
    f.add_lower(80 - amber[i]);
    f.add_lower(80 - red[i]);
    f.add_upper(80 + amber[i]);
    f.add_upper(80 + red[i]);
  }
  const struct {
    const char* id;
    double denominator, value;
    int position;
  } points[] = {{"A", 200, 60, -2},
                {"B", 400, 79, 0},
                {"C", 600, 82, 0},
                {"D", 800, 78.5, 0},
                {"E", 1000, 83, 1}};
  for (const auto& p : points) {
    v1::FunnelChartPoint* point = f.add_points();
    point->set_provider_id(p.id);
    point->set_denominator(p.denominator);
    point->set_numerator(p.value * p.denominator / 100);
    point->set_value(p.value);
    point->set_position(p.position);
  }
  return f;
}

const std::map<std::string, v1::Rating> kRatings = {{"A", v1::RATING_RED},
                                                    {"B", v1::RATING_GREEN},
                                                    {"C", v1::RATING_GREEN},
                                                    {"D", v1::RATING_GREEN},
                                                    {"E", v1::RATING_GREEN}};

TEST(FunnelSvgTest, SymbolMatchesTheReviewedGoldenDrawing) {
  ExpectGolden(internal::FunnelSymbolSvg(FixedFunnel(), "funnel-0", kRatings),
               "funnel_symbol.svg");
  ExpectGolden(internal::FunnelSvg(FixedFunnel(), "funnel-0", "C",
                                   "Trust C, AE, Against peers"),
               "funnel_use.svg");
}

TEST(FunnelSvgTest, ColoursPointsOutsideTheLimitsByTheirRating) {
  const std::string symbol =
      internal::FunnelSymbolSvg(FixedFunnel(), "funnel-0", kRatings);
  EXPECT_EQ(Count(symbol, "<circle"), 5);
  EXPECT_EQ(Count(symbol, "fill=\"#d5281b\""), 1);  // A: red.
  EXPECT_EQ(Count(symbol, "fill=\"#007f3b\""), 1);  // E: better than peers.
  EXPECT_EQ(Count(symbol, "fill=\"#aeb7bd\""), 3);  // Within: light grey.
  EXPECT_NE(symbol.find("<title>A: 60 (120 of 200), below the 99.8% lower "
                        "limit</title>"),
            std::string::npos)
      << symbol;
  // Inner limits dashed, outer solid: two paths each.
  EXPECT_EQ(Count(symbol, "class=\"limit\""), 4);
  EXPECT_EQ(Count(symbol, "stroke-dasharray=\"5 3\""), 2);
}

// The value of attribute `name` in the first tag of `svg` holding `marker`.
std::string Attribute(const std::string& svg, const std::string& marker,
                      const std::string& name) {
  const size_t at = svg.find(marker);
  if (at == std::string::npos) return "";
  const size_t tag = svg.rfind('<', at == 0 ? 0 : at - 1);
  const size_t start = svg.find(name + "=\"", tag) + name.size() + 2;
  return svg.substr(start, svg.find('"', start) - start);
}

TEST(FunnelSvgTest, RingsTheProviderInFocusOnItsPointAndSaysWhere) {
  const v1::FunnelChart f = FixedFunnel();
  const std::string symbol = internal::FunnelSymbolSvg(f, "funnel-0", kRatings);
  const std::string use = internal::FunnelSvg(f, "funnel-0", "A", "Trust A");
  EXPECT_NE(use.find("<use href=\"#funnel-0\""), std::string::npos);
  EXPECT_EQ(Attribute(use, "class=\"focus\"", "cx"),
            Attribute(symbol, "<title>A:", "cx"));
  EXPECT_EQ(Attribute(use, "class=\"focus\"", "cy"),
            Attribute(symbol, "<title>A:", "cy"));
  EXPECT_NE(use.find("1 below the 99.8% one"), std::string::npos) << use;
  EXPECT_NE(use.find("1 above the 95% one only"), std::string::npos);
  EXPECT_NE(use.find("A (ringed): 60 of 200, below the 99.8% lower limit"),
            std::string::npos)
      << use;
  // A provider not on the funnel: no ring, and the words say so.
  const std::string absent = internal::FunnelSvg(f, "funnel-0", "Z", "Z");
  EXPECT_EQ(absent.find("class=\"focus\""), std::string::npos);
  EXPECT_NE(absent.find("Z is not on the funnel"), std::string::npos);
}

// Counts of a year: a plan of 2 a month, an objective of 20, actuals to
// September with June missing.
v1::TrajectoryState FixedTrajectory() {
  v1::TrajectoryState t;
  t.set_cumulative(true);
  t.set_objective(20);
  const double actual[] = {1, 4, NAN, 7, 9, 12};
  for (int i = 0; i < 12; ++i) {
    v1::TrajectoryChartPoint* p = t.add_points();
    p->set_period(
        absl::StrFormat("%04d-%02d", 2017 + (i + 3) / 12, (i + 3) % 12 + 1));
    p->set_actual(i < 6 ? actual[i] : NAN);
    p->set_plan(2.0 * (i + 1));
  }
  return t;
}

TEST(TrajectorySvgTest, MatchesTheReviewedGoldenChart) {
  ExpectGolden(internal::TrajectoryChartSvg(FixedTrajectory(),
                                            "Trust A, CDI, C. difficile"),
               "trajectory_chart.svg");
}

TEST(TrajectorySvgTest, DrawsActualToDateThePlanAndTheObjective) {
  const std::string svg =
      internal::TrajectoryChartSvg(FixedTrajectory(), "Trust A");
  EXPECT_EQ(Count(svg, "<circle"), 5);  // Five actuals; June is a gap.
  EXPECT_NE(svg.find("data-points=\"5\""), std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"objective\""), 1);
  EXPECT_NE(svg.find("12 by Sep 2017 against a plan of 12; annual objective "
                     "20"),
            std::string::npos)
      << svg;
  // The actual line breaks at June: two sub-paths.
  const std::string d = Attribute(svg, "class=\"actual\"", "d");
  EXPECT_EQ(Count(d, "M"), 2) << d;
  EXPECT_EQ(internal::TrajectoryChartSvg(v1::TrajectoryState(), "x"), "");
}

TEST(SparklineSvgTest, DrawsTheValuesWithGapsAndSaysTheLatest) {
  google::protobuf::RepeatedPtrField<v1::PeriodValue> values;
  const double v[] = {5, 6, NAN, 7, 8, NAN};
  for (int i = 0; i < 6; ++i) {
    v1::PeriodValue* p = values.Add();
    p->set_period(absl::StrFormat("2019-%02d", i + 1));
    p->set_value(v[i]);
  }
  const std::string svg = internal::SparklineSvg(values, "Trust A, A");
  ExpectGolden(svg, "sparkline.svg");
  EXPECT_NE(svg.find("4 values from Jan 2019 to Jun 2019, latest 8 in May "
                     "2019 (none since)"),
            std::string::npos)
      << svg;
  EXPECT_EQ(Count(Attribute(svg, "<path", "d"), "M"), 2);
  google::protobuf::RepeatedPtrField<v1::PeriodValue> empty;
  empty.Add()->set_value(NAN);
  EXPECT_EQ(internal::SparklineSvg(empty, "x"), "");
}

}  // namespace
}  // namespace vigil
