// Threshold (RAG) rules: bands, direction, zero tolerance, statistics,
// persistence and missing data.
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

constexpr double kNaN = std::nan("");

v1::Dataset Percentages(const std::vector<double>& values,
                        v1::Polarity polarity = v1::POLARITY_HIGHER_IS_BETTER) {
  v1::Dataset d =
      DatasetWith(MakeIndicator("AE", v1::UNIT_PERCENTAGE, polarity));
  d.mutable_indicators(0)->set_name("A&E 4-hour");
  AddMonthlyValues(&d, "P1", "AE", "2019-01", values);
  return d;
}

const char kBands[] = R"pb(
  rules {
    id: "r"
    selector { indicator_ids: "AE" }
    threshold { standard: 95 red_threshold: 90 }
  })pb";

TEST(ThresholdRuleTest, HigherIsBetterBandsWithReason) {
  EXPECT_EQ(Find(EvaluatePack(kBands, Percentages({96}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_GREEN);
  EXPECT_EQ(Find(EvaluatePack(kBands, Percentages({95}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_GREEN);
  EXPECT_EQ(Find(EvaluatePack(kBands, Percentages({92}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_AMBER);
  EXPECT_EQ(Find(EvaluatePack(kBands, Percentages({90}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_AMBER);
  v1::Assessment red =
      Find(EvaluatePack(kBands, Percentages({81.2}), "2019-01"), "P1", "r");
  EXPECT_EQ(red.rating(), v1::RATING_RED);
  EXPECT_EQ(red.reason(),
            "A&E 4-hour: 81.2% in Jan 2019 against the 95% standard (red below "
            "90%)");
  EXPECT_DOUBLE_EQ(red.value(), 81.2);
  EXPECT_DOUBLE_EQ(red.standard(), 95);
  EXPECT_DOUBLE_EQ(red.red_threshold(), 90);
  EXPECT_EQ(red.data_period(), "2019-01");
  ASSERT_GE(red.evidence_size(), 1);
  EXPECT_EQ(red.evidence(0).period(), "2019-01");
}

TEST(ThresholdRuleTest, LowerIsBetterMirrorsTheBands) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 1 amber_tolerance: 4 }
    })pb";
  auto rate = [&](double v) {
    return Find(EvaluatePack(rules,
                             Percentages({v}, v1::POLARITY_LOWER_IS_BETTER),
                             "2019-01"),
                "P1", "r")
        .rating();
  };
  EXPECT_EQ(rate(0.5), v1::RATING_GREEN);
  EXPECT_EQ(rate(3), v1::RATING_AMBER);
  EXPECT_EQ(rate(5), v1::RATING_AMBER);
  EXPECT_EQ(rate(5.1), v1::RATING_RED);
}

TEST(ThresholdRuleTest, RelativeToleranceIsAFractionOfTheStandard) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 80 amber_tolerance_relative: 0.05 }
    })pb";
  // Red below 80 - 4 = 76.
  EXPECT_EQ(Find(EvaluatePack(rules, Percentages({76.5}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_AMBER);
  EXPECT_EQ(Find(EvaluatePack(rules, Percentages({75.9}), "2019-01"), "P1", "r")
                .rating(),
            v1::RATING_RED);
}

TEST(ThresholdRuleTest, WithoutAmberBandAnythingWorseIsRed) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 95 }
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Percentages({94.9}), "2019-01"), "P1", "r");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_FALSE(a.has_red_threshold());
}

TEST(ThresholdRuleTest, ZeroToleranceAnyEventIsRedZeroIsGreen) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("MRSA", v1::UNIT_COUNT, v1::POLARITY_ZERO_TOLERANCE));
  AddMonthlyValues(&d, "P1", "MRSA", "2019-01", {0, 1});
  const char rules[] = R"pb(
    rules {
      id: "zt"
      selector { indicator_ids: "MRSA" }
      threshold {}
    })pb";
  EXPECT_EQ(Find(EvaluatePack(rules, d, "2019-01"), "P1", "zt").rating(),
            v1::RATING_GREEN);
  v1::Assessment red = Find(EvaluatePack(rules, d, "2019-02"), "P1", "zt");
  EXPECT_EQ(red.rating(), v1::RATING_RED);
  EXPECT_NE(red.reason().find("zero tolerance"), std::string::npos);
}

TEST(ThresholdRuleTest, ZeroToleranceFlagAppliesToAnyCount) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("NE", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "NE", "2019-01", {2});
  const char rules[] = R"pb(
    rules {
      id: "zt"
      selector { indicator_ids: "NE" }
      threshold { zero_tolerance: true }
    })pb";
  EXPECT_EQ(Find(EvaluatePack(rules, d, "2019-01"), "P1", "zt").rating(),
            v1::RATING_RED);
}

TEST(ThresholdRuleTest, NoDataForTheAssessedPeriodIsNoDataNeverGreen) {
  v1::Assessment a =
      Find(EvaluatePack(kBands, Percentages({99, kNaN}), "2019-02"), "P1", "r");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_EQ(
      a.reason(),
      "A&E 4-hour: no value for Feb 2019; the latest value is for Jan 2019 "
      "(1 month old; the rule allows 0)");
}

TEST(ThresholdRuleTest, StalenessAllowanceUsesTheLatestValue) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 95 max_staleness_periods: 1 }
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Percentages({99, kNaN}), "2019-02"), "P1", "r");
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_EQ(a.data_period(), "2019-01");
  EXPECT_EQ(a.period(), "2019-02");
  v1::Assessment old = Find(
      EvaluatePack(rules, Percentages({99, kNaN, kNaN}), "2019-03"), "P1", "r");
  EXPECT_EQ(old.rating(), v1::RATING_NO_DATA);
}

TEST(ThresholdRuleTest, MeanWindowPoolsNumeratorsAndDenominators) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER));
  // 90/100 and 990/1000: pooled 98.18%, unpooled mean 94.5%.
  d.add_observations()->CopyFrom(testing::ParseText<v1::Observation>(
      "provider_id: 'P1' indicator_id: 'AE' period: '2019-01' numerator: 90 "
      "denominator: 100"));
  d.add_observations()->CopyFrom(testing::ParseText<v1::Observation>(
      "provider_id: 'P1' indicator_id: 'AE' period: '2019-02' numerator: 990 "
      "denominator: 1000"));
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 95 statistic: STATISTIC_MEAN window_periods: 2 }
    })pb";
  v1::Assessment a = Find(EvaluatePack(rules, d, "2019-02"), "P1", "r");
  EXPECT_NEAR(a.value(), 100.0 * 1080 / 1100, 1e-12);
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_NE(a.reason().find("on average over the 2 months to Feb 2019"),
            std::string::npos);
}

TEST(ThresholdRuleTest, SumNeedsEveryPeriodOfTheWindow) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "C", "2019-01", {1, kNaN, 2, 3});
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "C" }
      threshold { standard: 5 statistic: STATISTIC_SUM window_periods: 2 }
    })pb";
  EXPECT_DOUBLE_EQ(Find(EvaluatePack(rules, d, "2019-04"), "P1", "r").value(),
                   5);
  v1::Assessment gap = Find(EvaluatePack(rules, d, "2019-03"), "P1", "r");
  EXPECT_EQ(gap.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(gap.reason().find("a total needs every period"), std::string::npos);
}

TEST(ThresholdRuleTest, YearToDateResetsInApril) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "CDI", "2019-02", {5, 5, 1, 2});  // Feb..May
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "CDI" }
      threshold {
        standard: 4
        red_threshold: 6
        statistic: STATISTIC_YEAR_TO_DATE
      }
    })pb";
  v1::Assessment may = Find(EvaluatePack(rules, d, "2019-05"), "P1", "r");
  EXPECT_DOUBLE_EQ(may.value(), 3);  // April + May only.
  EXPECT_EQ(may.rating(), v1::RATING_GREEN);
  EXPECT_NE(may.reason().find("year to date (Apr 2019 to May 2019)"),
            std::string::npos);
  // March: Apr 2018..Mar 2019 is incomplete (no data before Feb), so no data.
  EXPECT_EQ(Find(EvaluatePack(rules, d, "2019-03"), "P1", "r").rating(),
            v1::RATING_NO_DATA);
}

TEST(ThresholdRuleTest, PersistenceHoldsRedUntilEnoughConsecutivePeriods) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 85 red_after_periods: 3 }
    })pb";
  v1::Dataset d = Percentages({90, 80, 80, 80});
  v1::Assessment two = Find(EvaluatePack(rules, d, "2019-03"), "P1", "r");
  EXPECT_EQ(two.rating(), v1::RATING_AMBER);
  EXPECT_EQ(two.consecutive_periods(), 2);
  EXPECT_NE(two.reason().find("2 months of the 3 in a row needed"),
            std::string::npos);
  v1::Assessment three = Find(EvaluatePack(rules, d, "2019-04"), "P1", "r");
  EXPECT_EQ(three.rating(), v1::RATING_RED);
  EXPECT_EQ(three.consecutive_periods(), 3);
}

TEST(ThresholdRuleTest, AGapBreaksPersistence) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 85 red_after_periods: 2 }
    })pb";
  EXPECT_EQ(Find(EvaluatePack(rules, Percentages({80, kNaN, 80}), "2019-03"),
                 "P1", "r")
                .rating(),
            v1::RATING_AMBER);
}

TEST(ThresholdRuleTest, StandardComesFromThePackByEffectiveDate) {
  const char rules[] = R"pb(
    standards { indicator_id: "AE" value: 95 }
    standards { indicator_id: "AE" value: 76 effective_from: "2019-02" }
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold {}
    })pb";
  v1::Dataset d = Percentages({80, 80});
  EXPECT_EQ(Find(EvaluatePack(rules, d, "2019-01"), "P1", "r").rating(),
            v1::RATING_RED);
  v1::Assessment feb = Find(EvaluatePack(rules, d, "2019-02"), "P1", "r");
  EXPECT_EQ(feb.rating(), v1::RATING_GREEN);
  EXPECT_DOUBLE_EQ(feb.standard(), 76);
}

TEST(ThresholdRuleTest, NoStandardInForceIsNotApplicableWithReason) {
  const char rules[] = R"pb(
    standards { indicator_id: "AE" value: 76 effective_from: "2020-01" }
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold {}
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Percentages({80}), "2019-01"), "P1", "r");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_NE(a.reason().find("no standard"), std::string::npos);
}

TEST(ThresholdRuleTest, NeutralIndicatorIsNotApplicable) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 1 }
    })pb";
  EXPECT_EQ(Find(EvaluatePack(rules, Percentages({5}, v1::POLARITY_NEUTRAL),
                              "2019-01"),
                 "P1", "r")
                .rating(),
            v1::RATING_NOT_APPLICABLE);
}

TEST(ThresholdRuleTest, BandsContradictingPolarityAreNotApplicableAndSaySo) {
  const char rules[] = R"pb(
    rules {
      id: "r"
      selector { indicator_ids: "AE" }
      threshold { standard: 90 red_threshold: 95 }
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Percentages({92}), "2019-01"), "P1", "r");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_NE(a.reason().find("bands in the wrong order"), std::string::npos);
}

}  // namespace
}  // namespace vigil
