// SPC rules in the engine: icons mapped to ratings, with limits and labels in
// the evidence and a reason.
#include <cmath>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;

v1::Dataset Series(const std::vector<double>& values, v1::Polarity polarity) {
  v1::Dataset d =
      DatasetWith(MakeIndicator("X", v1::UNIT_PERCENTAGE, polarity));
  d.mutable_indicators(0)->set_name("Metric");
  AddMonthlyValues(&d, "P1", "X", "2017-01", values);
  return d;
}

std::vector<double> Stable(int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(90 + (i % 2 == 0 ? 1 : -1));
  return v;
}

const char kSpc[] = R"pb(
  rules {
    id: "s"
    selector { indicator_ids: "X" }
    spc { target: 95 }
  })pb";

TEST(SpcRuleTest, LatestPointBelowLclOnHigherIsBetterIsRedConcern) {
  std::vector<double> v = Stable(20);
  v.push_back(70);
  v1::Assessment a = Find(
      EvaluatePack(kSpc, Series(v, v1::POLARITY_HIGHER_IS_BETTER), "2018-09"),
      "P1", "s");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.spc().special_cause_type(), "Below LCL");
  EXPECT_EQ(a.spc().point_type(), "special_cause_concern");
  EXPECT_EQ(a.spc().variation_icon(), "concern_low");
  EXPECT_EQ(a.spc().points(), 21);
  EXPECT_NE(
      a.reason().find("special cause concern: Below LCL, 1 point in Sep 2018"),
      std::string::npos)
      << a.reason();
}

TEST(SpcRuleTest, SameSeriesLowerIsBetterIsImprovement) {
  std::vector<double> v = Stable(20);
  v.push_back(70);
  v1::Assessment a = Find(
      EvaluatePack(kSpc, Series(v, v1::POLARITY_LOWER_IS_BETTER), "2018-09"),
      "P1", "s");
  EXPECT_EQ(a.spc().variation_icon(), "improvement_low");
  EXPECT_EQ(a.spc().assurance(), "consistent_pass");  // 95 is above the UPL.
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
}

TEST(SpcRuleTest, TargetBeyondTheLimitsIsConsistentFailAmber) {
  // Limits 90 -/+ 5.32: a 99% target cannot be met by this process.
  const char rules[] = R"pb(
    rules {
      id: "s"
      selector { indicator_ids: "X" }
      spc { target: 99 }
    })pb";
  v1::Assessment a = Find(
      EvaluatePack(rules, Series(Stable(24), v1::POLARITY_HIGHER_IS_BETTER),
                   "2018-12"),
      "P1", "s");
  EXPECT_EQ(a.spc().variation_icon(), "common_cause");
  EXPECT_EQ(a.spc().assurance(), "consistent_fail");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_DOUBLE_EQ(a.spc().target(), 99);
  EXPECT_NE(a.reason().find("the 99% target will consistently be missed"),
            std::string::npos);
}

TEST(SpcRuleTest, TargetComesFromThePacksStandardsByPeriod) {
  const char rules[] = R"pb(
    standards { indicator_id: "X" value: 95 }
    standards { indicator_id: "X" value: 80 effective_from: "2018-12" }
    rules {
      id: "s"
      selector { indicator_ids: "X" }
      spc {}
    })pb";
  v1::Assessment a = Find(
      EvaluatePack(rules, Series(Stable(24), v1::POLARITY_HIGHER_IS_BETTER),
                   "2018-12"),
      "P1", "s");
  EXPECT_EQ(a.spc().assurance(), "consistent_pass");
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
}

TEST(SpcRuleTest, NeutralIndicatorShowsVariationWithoutRating) {
  std::vector<double> v = Stable(20);
  v.push_back(99);  // Above the upper limit (95.3), inside 0-100.
  v1::Assessment a =
      Find(EvaluatePack(kSpc, Series(v, v1::POLARITY_NEUTRAL), "2018-09"), "P1",
           "s");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_EQ(a.spc().variation_icon(), "neutral_high");
  EXPECT_EQ(a.spc().assurance(), "");
}

TEST(SpcRuleTest, TooFewPointsIsNoData) {
  v1::Assessment a =
      Find(EvaluatePack(kSpc, Series(Stable(8), v1::POLARITY_HIGHER_IS_BETTER),
                        "2017-08"),
           "P1", "s");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("only 8 values"), std::string::npos);
}

TEST(SpcRuleTest, GapsAreSkippedNotZero) {
  std::vector<double> v = Stable(24);
  v[5] = std::nan("");
  v[6] = std::nan("");
  v1::Assessment a = Find(
      EvaluatePack(kSpc, Series(v, v1::POLARITY_HIGHER_IS_BETTER), "2018-12"),
      "P1", "s");
  EXPECT_EQ(a.spc().points(), 22);
  EXPECT_EQ(a.spc().variation_icon(), "common_cause");
}

TEST(SpcRuleTest, RebaseStartsNewLimits) {
  std::vector<double> v = Stable(15);
  for (int i = 0; i < 15; ++i) v.push_back(60 + (i % 2 == 0 ? 1 : -1));
  const char rules[] = R"pb(
    rules {
      id: "s"
      selector { indicator_ids: "X" }
      spc { rebase_periods: "2018-04" minimum_points: 5 }
    })pb";
  v1::Assessment a = Find(
      EvaluatePack(rules, Series(v, v1::POLARITY_HIGHER_IS_BETTER), "2019-06"),
      "P1", "s");
  EXPECT_NEAR(a.spc().mean(), 60, 0.1);
  EXPECT_EQ(a.spc().baseline_points(), 15);
  EXPECT_EQ(a.spc().variation_icon(), "common_cause");
}

}  // namespace
}  // namespace vigil
