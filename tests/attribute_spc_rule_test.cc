// SPC rules on attribute charts in the engine: the chart runs on the
// observations' numerators and denominators in the indicator's unit (or on
// the values for c, g and t), the reason names the chart and the limit, and
// what cannot be charted is NO_DATA with a reason.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::MonthAfter;

// Monthly breaches over attendances from 2017-01; NaN numerators skipped.
v1::Dataset Breaches(const std::vector<double>& breaches,
                     const std::vector<double>& attendances) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("B", v1::UNIT_PERCENTAGE, v1::POLARITY_LOWER_IS_BETTER));
  d.mutable_indicators(0)->set_name("4-hour breaches");
  for (size_t i = 0; i < breaches.size(); ++i) {
    if (std::isnan(breaches[i])) continue;
    v1::Observation* o = d.add_observations();
    o->set_provider_id("P1");
    o->set_indicator_id("B");
    o->set_period(MonthAfter("2017-01", static_cast<int>(i)));
    o->set_numerator(breaches[i]);
    o->set_denominator(attendances[i]);
  }
  return d;
}

const char kPChart[] = R"pb(
  rules {
    id: "p"
    selector { indicator_ids: "B" }
    spc { chart: SPC_CHART_P }
  })pb";

TEST(AttributeSpcRuleTest, PChartPointAboveTheUpperLimitIsRedWithTheLimit) {
  std::vector<double> breaches(14, 100), attendances(14, 1000);
  breaches.back() = 200;  // 20% against a centre near 10.7%.
  v1::Assessment a =
      Find(EvaluatePack(kPChart, Breaches(breaches, attendances), "2018-02"),
           "P1", "p");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.spc().chart(), "p");
  EXPECT_EQ(a.spc().special_cause_type(), "Above UCL");
  EXPECT_EQ(a.spc().point_type(), "special_cause_concern");
  // In percent (the indicator's unit): p-bar = 1500 / 14000.
  const double p = 1500.0 / 14000, s = std::sqrt(p * (1 - p) / 1000);
  EXPECT_NEAR(a.spc().mean(), 100 * p, 1e-12);
  EXPECT_NEAR(a.spc().upper_process_limit(), 100 * (p + 3 * s), 1e-12);
  EXPECT_NEAR(a.spc().upper_2sigma(), 100 * (p + 2 * s), 1e-12);
  EXPECT_DOUBLE_EQ(a.value(), 20);
  EXPECT_NE(a.reason().find("p-chart: special cause concern: 20% in Feb "
                            "2018 above the upper limit of 13.6%"),
            std::string::npos)
      << a.reason();
}

TEST(AttributeSpcRuleTest, LimitsFollowTheLatestDenominator) {
  std::vector<double> breaches(14, 100), attendances(14, 1000);
  breaches.back() = 25;
  attendances.back() = 250;  // Same 10%, wider limits.
  v1::Assessment a =
      Find(EvaluatePack(kPChart, Breaches(breaches, attendances), "2018-02"),
           "P1", "p");
  const double p = 1325.0 / 13250, s = std::sqrt(p * (1 - p) / 250);
  EXPECT_NEAR(a.spc().upper_process_limit(), 100 * (p + 3 * s), 1e-12);
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_NE(a.reason().find("p-chart: common cause variation"),
            std::string::npos)
      << a.reason();
}

TEST(AttributeSpcRuleTest, AnhoejLongRunIsConcernAndTheReasonSaysWhy) {
  // Ten months at 9.5% then ten at 10.5%, all within the limits (10% -/+
  // 2.85%): with lower is better, a long run above the centre line.
  std::vector<double> breaches, attendances(20, 1000);
  for (int i = 0; i < 20; ++i) breaches.push_back(i < 10 ? 95 : 105);
  const char rules[] = R"pb(
    rules {
      id: "p"
      selector { indicator_ids: "B" }
      spc { chart: SPC_CHART_P signal_rules: SPC_SIGNAL_RULES_ANHOEJ }
    })pb";
  v1::Assessment a =
      Find(EvaluatePack(rules, Breaches(breaches, attendances), "2018-08"),
           "P1", "p");
  EXPECT_EQ(a.spc().chart(), "p");
  EXPECT_FALSE(std::isnan(a.spc().lower_2sigma()));
  EXPECT_TRUE(a.spc().runs_signal());
  EXPECT_EQ(a.spc().longest_run(), 10);
  EXPECT_EQ(a.spc().longest_run_max(), 7);  // round(log2(20)) + 3.
  EXPECT_EQ(a.spc().crossings(), 1);
  EXPECT_EQ(a.spc().crossings_min(), 6);
  EXPECT_EQ(a.spc().special_cause_type(), "Long Run Above CL");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_NE(a.reason().find("runs analysis: non-random variation (a run of "
                            "10 on one side of the centre, more than 7; 1 "
                            "crossings of the centre, fewer than 6)"),
            std::string::npos)
      << a.reason();
}

TEST(AttributeSpcRuleTest, CChartOnCountsWithAMissingMonthLeftOut) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("M", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  std::vector<double> cases = {1, 0, 2, 1, NAN, 0, 1, 3, 0, 1, 2, 1, 9};
  AddMonthlyValues(&d, "P1", "M", "2017-01", cases);
  const char rules[] = R"pb(
    rules {
      id: "c"
      selector { indicator_ids: "M" }
      spc { chart: SPC_CHART_C }
    })pb";
  v1::Assessment a = Find(EvaluatePack(rules, d, "2018-01"), "P1", "c");
  EXPECT_EQ(a.spc().points(), 12);  // The absent month is not a point.
  const double c = 21.0 / 12;
  EXPECT_NEAR(a.spc().mean(), c, 1e-12);
  EXPECT_NEAR(a.spc().upper_process_limit(), c + 3 * std::sqrt(c), 1e-12);
  EXPECT_EQ(a.rating(), v1::RATING_RED);  // 9 > 5.7.
  EXPECT_NE(a.reason().find("c-chart: special cause concern: 9 in Jan 2018 "
                            "above the upper limit"),
            std::string::npos)
      << a.reason();
}

TEST(AttributeSpcRuleTest, PChartOnValuesOnlyIsNoDataSayingWhy) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("B", v1::UNIT_PERCENTAGE, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "B", "2017-01", std::vector<double>(14, 10));
  v1::Assessment a = Find(EvaluatePack(kPChart, d, "2018-02"), "P1", "p");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("needs numerators and denominators"),
            std::string::npos)
      << a.reason();
}

TEST(AttributeSpcRuleTest, TooFewPointsIsNoData) {
  v1::Assessment a =
      Find(EvaluatePack(kPChart, Breaches({1, 2, 3}, {10, 10, 10}), "2017-03"),
           "P1", "p");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("only 3 points"), std::string::npos) << a.reason();
}

TEST(AttributeSpcRuleTest, PackMistakesNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"spc { signal_rules: SPC_SIGNAL_RULES_ANHOEJ }", "signal_rules"},
      {"spc { chart: SPC_CHART_C screen_moving_ranges: true }",
       "screen_moving_ranges"},
      {"spc { chart: SPC_CHART_P disable_outlier_screening: true }",
       "disable_outlier_screening"},
      {"spc { chart: SPC_CHART_P fix_after_periods: 1 }", "fix_after_periods"},
  };
  for (const auto& [spc, field] : cases) {
    const std::string pack = absl::StrCat(
        "rules { id: \"r\" selector { indicator_ids: \"B\" } ", spc, " }");
    auto engine = Engine::Create(testing::PackWith(pack));
    ASSERT_FALSE(engine.ok()) << spc;
    EXPECT_NE(engine.status().message().find(field), std::string::npos)
        << engine.status();
  }
}

}  // namespace
}  // namespace vigil
