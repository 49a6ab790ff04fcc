// Trend rules: consecutive deterioration and direction of travel.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/trend.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::PackWith;

constexpr double kNaN = std::nan("");

v1::Dataset Series(const std::vector<double>& values, v1::Polarity polarity,
                   const std::string& first = "2018-01") {
  v1::Dataset d =
      DatasetWith(MakeIndicator("X", v1::UNIT_PERCENTAGE, polarity));
  AddMonthlyValues(&d, "P1", "X", first, values);
  return d;
}

const char kRun[] = R"pb(
  rules {
    id: "t"
    selector { indicator_ids: "X" }
    trend {
      comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
      red_after_periods: 3
      amber_after_periods: 2
    }
  })pb";

TEST(TrendKernelTest, CountsTrailingDeteriorationsAndChain) {
  int chain = 0;
  const std::vector<double> v = {5, 9, 8, 7, 6};
  EXPECT_EQ(TrailingDeteriorations(v, Direction::kHigherIsBetter, 0, &chain),
            3);
  EXPECT_EQ(chain, 5);
  EXPECT_EQ(TrailingDeteriorations(v, Direction::kLowerIsBetter, 0, &chain), 0);
  const std::vector<double> gap = {9, 8, kNaN, 7, 6};
  EXPECT_EQ(TrailingDeteriorations(gap, Direction::kHigherIsBetter, 0, &chain),
            1);
  EXPECT_EQ(chain, 2);
}

TEST(TrendRuleTest, ThreeConsecutiveDeteriorationsAreRed) {
  v1::Assessment a =
      Find(EvaluatePack(kRun,
                        Series({90, 89, 88, 87}, v1::POLARITY_HIGHER_IS_BETTER),
                        "2018-04"),
           "P1", "t");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.consecutive_periods(), 3);
  EXPECT_EQ(
      a.reason(),
      "X: worse for 3 months in a row to Apr 2018: 90% -> 89% -> 88% -> 87% "
      "(red after 3 months)");
  EXPECT_EQ(a.evidence_size(), 4);
}

TEST(TrendRuleTest, TwoDeteriorationsAreAmberAndAnImprovementResets) {
  auto d = Series({80, 90, 89, 88}, v1::POLARITY_HIGHER_IS_BETTER);
  EXPECT_EQ(Find(EvaluatePack(kRun, d, "2018-04"), "P1", "t").rating(),
            v1::RATING_AMBER);
  auto reset = Series({90, 89, 88, 95}, v1::POLARITY_HIGHER_IS_BETTER);
  EXPECT_EQ(Find(EvaluatePack(kRun, reset, "2018-04"), "P1", "t").rating(),
            v1::RATING_GREEN);
}

TEST(TrendRuleTest, DirectionComesFromPolarity) {
  auto rising = Series({1, 2, 3, 4}, v1::POLARITY_LOWER_IS_BETTER);
  EXPECT_EQ(Find(EvaluatePack(kRun, rising, "2018-04"), "P1", "t").rating(),
            v1::RATING_RED);
  auto zt = Series({1, 2, 3, 4}, v1::POLARITY_ZERO_TOLERANCE);
  EXPECT_EQ(Find(EvaluatePack(kRun, zt, "2018-04"), "P1", "t").rating(),
            v1::RATING_RED);
  auto neutral = Series({1, 2, 3, 4}, v1::POLARITY_NEUTRAL);
  EXPECT_EQ(Find(EvaluatePack(kRun, neutral, "2018-04"), "P1", "t").rating(),
            v1::RATING_NOT_APPLICABLE);
}

TEST(TrendRuleTest, ChangesBelowTheMinimumDoNotCount) {
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend {
        comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
        minimum_change: 0.5
        red_after_periods: 3
      }
    })pb";
  auto d = Series({90, 89, 88.8, 87}, v1::POLARITY_HIGHER_IS_BETTER);
  EXPECT_EQ(Find(EvaluatePack(rules, d, "2018-04"), "P1", "t").rating(),
            v1::RATING_GREEN);
}

TEST(TrendRuleTest, TooShortAnUnbrokenRunIsNoData) {
  auto d = Series({90, 89}, v1::POLARITY_HIGHER_IS_BETTER);
  v1::Assessment a = Find(EvaluatePack(kRun, d, "2018-02"), "P1", "t");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("too few to judge"), std::string::npos);
}

TEST(TrendRuleTest, PreviousPeriodComparisonRatesWorseAsAmber) {
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD minimum_change: 1 }
    })pb";
  v1::Assessment worse =
      Find(EvaluatePack(rules, Series({90, 85}, v1::POLARITY_HIGHER_IS_BETTER),
                        "2018-02"),
           "P1", "t");
  EXPECT_EQ(worse.rating(), v1::RATING_AMBER);
  EXPECT_EQ(worse.travel(), v1::TRAVEL_WORSENING);
  EXPECT_EQ(worse.reason(),
            "X: 85% in Feb 2018, down 5 points from 90% in Jan 2018 (worse)");
  v1::Assessment same = Find(
      EvaluatePack(rules, Series({90, 89.5}, v1::POLARITY_HIGHER_IS_BETTER),
                   "2018-02"),
      "P1", "t");
  EXPECT_EQ(same.rating(), v1::RATING_GREEN);
  EXPECT_EQ(same.travel(), v1::TRAVEL_NO_CHANGE);
}

TEST(TrendRuleTest, SamePeriodLastYearComparison) {
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend {
        comparison: TREND_COMPARISON_SAME_PERIOD_LAST_YEAR
        worse_rating: RATING_RED
      }
    })pb";
  std::vector<double> v(13, 50.0);
  v[0] = 60;   // Jan 2018
  v[12] = 70;  // Jan 2019
  v1::Assessment better = Find(
      EvaluatePack(rules, Series(v, v1::POLARITY_HIGHER_IS_BETTER), "2019-01"),
      "P1", "t");
  EXPECT_EQ(better.travel(), v1::TRAVEL_IMPROVING);
  EXPECT_EQ(better.rating(), v1::RATING_GREEN);
  v1::Assessment worse = Find(
      EvaluatePack(rules, Series(v, v1::POLARITY_LOWER_IS_BETTER), "2019-01"),
      "P1", "t");
  EXPECT_EQ(worse.rating(), v1::RATING_RED);
  v1::Assessment missing =
      Find(EvaluatePack(rules,
                        Series({50}, v1::POLARITY_HIGHER_IS_BETTER, "2019-01"),
                        "2019-01"),
           "P1", "t");
  EXPECT_EQ(missing.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(missing.reason().find("no value for Jan 2018"), std::string::npos);
}

TEST(TrendRuleTest, NeutralIndicatorReportsDirectionWithoutRating) {
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD }
    })pb";
  v1::Assessment a = Find(
      EvaluatePack(rules, Series({10, 12}, v1::POLARITY_NEUTRAL), "2018-02"),
      "P1", "t");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_EQ(a.travel(), v1::TRAVEL_UP);
}

TEST(TrendRuleTest, RulePolarityOverridesANeutralIndicator) {
  // "Rising admissions is bad" without editing the indicator.
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend {
        comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
        red_after_periods: 3
        polarity: POLARITY_LOWER_IS_BETTER
      }
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Series({1, 2, 3, 4}, v1::POLARITY_NEUTRAL),
                        "2018-04"),
           "P1", "t");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.consecutive_periods(), 3);
}

TEST(TrendRuleTest, RulePolarityOverridesTheIndicatorsDirection) {
  const char rules[] = R"pb(
    rules {
      id: "t"
      selector { indicator_ids: "X" }
      trend {
        comparison: TREND_COMPARISON_PREVIOUS_PERIOD
        polarity: POLARITY_LOWER_IS_BETTER
      }
    })pb";
  // Up is better for the indicator but worse for the rule.
  v1::Assessment a =
      Find(EvaluatePack(rules, Series({10, 12}, v1::POLARITY_HIGHER_IS_BETTER),
                        "2018-02"),
           "P1", "t");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_EQ(a.travel(), v1::TRAVEL_WORSENING);
}

TEST(TrendRuleTest, RulePolarityMustBeADirection) {
  for (const char* polarity : {"POLARITY_NEUTRAL", "POLARITY_ZERO_TOLERANCE"}) {
    auto engine =
        Engine::Create(PackWith(absl::StrCat(
            R"pb(rules { id: "t"
                         selector { indicator_ids: "X" }
                         trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD
                                 polarity:)pb",
            polarity, "}}")));
    ASSERT_FALSE(engine.ok()) << polarity;
    EXPECT_NE(engine.status().message().find("polarity: may only override"),
              std::string::npos)
        << engine.status();
  }
}

}  // namespace
}  // namespace vigil
