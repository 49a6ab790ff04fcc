// Trajectory rules: year-to-date actual against the plan, the annual
// objective, the forecasts, missing months and plans, pooled rates,
// polarity and tolerances. Expected numbers are worked by hand in the
// comments.
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::PackWith;

// Monthly plan values of the dataset's first indicator from `first_month`;
// NaN entries are skipped.
void AddMonthlyPlan(v1::Dataset* d, const std::string& provider,
                    const std::string& first_month,
                    const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != values[i]) continue;
    v1::PlanValue* p = d->add_plans();
    p->set_provider_id(provider);
    p->set_indicator_id(d->indicators(0).id());
    p->set_period(testing::MonthAfter(first_month, static_cast<int>(i)));
    p->set_value(values[i]);
  }
}

double Evidence(const v1::Assessment& a, const std::string& label) {
  for (const v1::EvidenceValue& e : a.evidence()) {
    if (e.label() == label) return e.value();
  }
  ADD_FAILURE() << "no evidence '" << label << "' in " << a.ShortDebugString();
  return -1;
}

// C. difficile at one trust: a plan of 1 a month in 2017/18 (12 for the
// year), an objective of 14. March 2017 (the year before) had 5 cases.
// Cumulative from April: 1 3 4 6 7 9 10 11 14 15 15 15 -> past 14 in Jan.
v1::Dataset CDifficile() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 2);
  AddMonthlyValues(&d, "P1", "CDI", "2017-03",
                   {5, 1, 2, 1, 2, 1, 2, 1, 1, 3, 1, 0, 0});
  AddMonthlyPlan(&d, "P1", "2017-04", std::vector<double>(12, 1));
  return d;
}

constexpr char kObjective[] = R"(
  rules { id: 'cdi' selector { indicator_ids: 'CDI' }
          trajectory { annual_objective: 14 } })";

v1::Assessment AsOf(const v1::Dataset& d, const std::string& month,
                    const char* pack = kObjective) {
  return Find(EvaluatePack(pack, d, month), "P1", "cdi");
}

TEST(TrajectoryRuleTest, YearToDateStartsInAprilAndComparesWithThePlanSum) {
  // Apr-Sep 2017: 1+2+1+2+1+2 = 9 against a plan of 6; March's 5 is the
  // previous year.
  const v1::Assessment a = AsOf(CDifficile(), "2017-09");
  EXPECT_DOUBLE_EQ(a.value(), 9);
  EXPECT_DOUBLE_EQ(a.standard(), 6);
  EXPECT_EQ(a.rating(), v1::RATING_RED);  // Over plan, no tolerance.
  EXPECT_NE(a.reason().find("9 in 2017/18 to Sep 2017 against a "
                            "year-to-date plan of 6 (50% over"),
            std::string::npos)
      << a.reason();
}

TEST(TrajectoryRuleTest, BothForecastsAreInTheEvidence) {
  // To Sep 2017: 9 in 6 months. Run rate 9 * 12 / 6 = 18; plan profile
  // 9 / 6 * 12 = 18.
  const v1::Assessment a = AsOf(CDifficile(), "2017-09");
  EXPECT_DOUBLE_EQ(Evidence(a, "forecast (run rate)"), 18);
  EXPECT_DOUBLE_EQ(Evidence(a, "forecast (plan profile)"), 18);
  EXPECT_DOUBLE_EQ(Evidence(a, "annual plan"), 12);
  // 1.5 a month passes 14 after floor(14 / 1.5) + 1 = 10 months: January.
  EXPECT_NE(a.reason().find("forecast to breach it in Jan 2018 at the "
                            "current rate"),
            std::string::npos)
      << a.reason();
}

TEST(TrajectoryRuleTest, PlanProfileForecastFollowsAnUnevenPlan) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
  AddMonthlyValues(&d, "P1", "CDI", "2017-04", {2, 2, 2});
  // Plan: 1 a month in Q1, then 2 a month: 3 to June, 21 for the year.
  std::vector<double> plan(12, 2);
  plan[0] = plan[1] = plan[2] = 1;
  AddMonthlyPlan(&d, "P1", "2017-04", plan);
  const v1::Assessment a = AsOf(d, "2017-06");
  EXPECT_DOUBLE_EQ(Evidence(a, "forecast (run rate)"), 24);      // 6 * 12 / 3.
  EXPECT_DOUBLE_EQ(Evidence(a, "forecast (plan profile)"), 42);  // 6/3*21.
}

TEST(TrajectoryRuleTest, ObjectiveBreachedFromTheMonthItIsCrossedAndStaysRed) {
  const v1::Dataset d = CDifficile();
  for (const char* month :
       {"2017-04", "2017-05", "2017-06", "2017-07", "2017-08", "2017-09",
        "2017-10", "2017-11", "2017-12"}) {
    EXPECT_EQ(AsOf(d, month).reason().find("breached"), std::string::npos)
        << month << ": " << AsOf(d, month).reason();
  }
  for (const char* month : {"2018-01", "2018-02", "2018-03"}) {
    const v1::Assessment a = AsOf(d, month);
    EXPECT_EQ(a.rating(), v1::RATING_RED) << month;
    EXPECT_NE(a.reason().find("objective of 14 for 2017/18 breached in Jan "
                              "2018"),
              std::string::npos)
        << month << ": " << a.reason();
  }
}

TEST(TrajectoryRuleTest, ForecastBreachIsAmberWhenOnPlanSoFar) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
  AddMonthlyValues(&d, "P1", "CDI", "2017-04", {2, 2, 2});
  AddMonthlyPlan(&d, "P1", "2017-04", std::vector<double>(12, 2));
  // On plan (6 against 6) but 24 by run rate against an objective of 20.
  const v1::Assessment a = AsOf(d, "2017-06", R"(
    rules { id: 'cdi' selector { indicator_ids: 'CDI' }
            trajectory { annual_objective: 20 } })");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER) << a.reason();
  EXPECT_NE(a.reason().find("on plan"), std::string::npos) << a.reason();
  EXPECT_NE(a.reason().find("forecast to breach it"), std::string::npos);
}

TEST(TrajectoryRuleTest, AMissingMonthIsLeftOutOfBothSumsAndNamed) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
  AddMonthlyValues(&d, "P1", "CDI", "2017-04",
                   {1, std::nan(""), 1});  // May missing.
  AddMonthlyPlan(&d, "P1", "2017-04", std::vector<double>(12, 1));
  const v1::Assessment a = AsOf(d, "2017-06");
  EXPECT_DOUBLE_EQ(a.value(), 2);
  EXPECT_DOUBLE_EQ(a.standard(), 2);  // Not 3: May has no actual.
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_DOUBLE_EQ(Evidence(a, "periods missing"), 1);
  EXPECT_DOUBLE_EQ(Evidence(a, "forecast (run rate)"), 12);  // 2 * 12 / 2.
  EXPECT_NE(a.reason().find("1 month without data left out (May 2017)"),
            std::string::npos)
      << a.reason();
}

TEST(TrajectoryRuleTest, NoActualForTheAssessedPeriodIsNeverGreen) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
  AddMonthlyValues(&d, "P1", "CDI", "2017-04", {1, 1});  // Nothing for June.
  AddMonthlyPlan(&d, "P1", "2017-04", std::vector<double>(12, 1));
  const v1::Assessment a = AsOf(d, "2017-06");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_EQ(a.reason().rfind("CDI: no value for Jun 2017; so far: 2 in "
                             "2017/18",
                             0),
            0u)
      << a.reason();
  // A breach already seen stays red without the latest month.
  v1::Dataset breached = DatasetWith(
      MakeIndicator("MRSA", v1::UNIT_COUNT, v1::POLARITY_ZERO_TOLERANCE), 1);
  AddMonthlyValues(&breached, "P1", "MRSA", "2017-04", {1});
  AddMonthlyPlan(&breached, "P1", "2017-04", std::vector<double>(12, 0));
  EXPECT_EQ(Find(EvaluatePack("rules { id: 'cdi' selector { indicator_ids: "
                              "'MRSA' } trajectory { } }",
                              breached, "2017-06"),
                 "P1", "cdi")
                .rating(),
            v1::RATING_RED);
}

TEST(TrajectoryRuleTest, MissingPlanIsNoDataWithTheReason) {
  v1::Dataset d = CDifficile();
  v1::Dataset gap = d;
  gap.clear_plans();
  std::vector<double> plan(12, 1);
  plan[2] = std::nan("");  // June 2017.
  AddMonthlyPlan(&gap, "P1", "2017-04", plan);
  v1::Assessment a = AsOf(gap, "2017-09");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("the plan has no value for Jun 2017"),
            std::string::npos)
      << a.reason();
  // Beyond the plan's last month.
  v1::Dataset short_plan = d;
  short_plan.clear_plans();
  AddMonthlyPlan(&short_plan, "P1", "2017-04", {1, 1, 1});
  a = AsOf(short_plan, "2017-09");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("no plan value for Sep 2017"), std::string::npos);
  // P2 has neither data nor a plan: no assessment at all.
  const v1::Report report = EvaluatePack(kObjective, d, "2017-09");
  for (const v1::Assessment& x : report.assessments()) {
    EXPECT_NE(x.provider_id(), "P2");
  }
}

TEST(TrajectoryRuleTest, DataWithoutAPlanIsNoData) {
  v1::Dataset d = CDifficile();
  d.clear_plans();
  const v1::Assessment a = AsOf(d, "2017-09");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("no plan"), std::string::npos);
}

v1::Dataset Percentages(v1::Polarity polarity) {
  v1::Dataset d =
      DatasetWith(MakeIndicator("RTT", v1::UNIT_PERCENTAGE, polarity), 1);
  // Apr: 90/100 (90%), May: 160/200 (80%). Pooled 250/300 = 83.33%; the
  // mean of the months would be 85%.
  for (const auto& [period, num, den] :
       std::vector<std::tuple<std::string, double, double>>{
           {"2017-04", 90, 100}, {"2017-05", 160, 200}}) {
    v1::Observation* o = d.add_observations();
    o->set_provider_id("P1");
    o->set_indicator_id("RTT");
    o->set_period(period);
    o->set_numerator(num);
    o->set_denominator(den);
  }
  AddMonthlyPlan(&d, "P1", "2017-04", {85, 84});
  return d;
}

constexpr char kRtt[] = R"(
  rules { id: 'cdi' selector { indicator_ids: 'RTT' } trajectory { } })";

TEST(TrajectoryRuleTest, RatesArePooledNotAveraged) {
  const v1::Assessment a =
      AsOf(Percentages(v1::POLARITY_HIGHER_IS_BETTER), "2017-05", kRtt);
  EXPECT_NEAR(a.value(), 100.0 * 250 / 300, 1e-12);
  EXPECT_DOUBLE_EQ(a.standard(), 84);  // The plan for May.
  EXPECT_NE(a.reason().find("(pooled)"), std::string::npos) << a.reason();
}

TEST(TrajectoryRuleTest, PolarityDecidesWhichSideOfThePlanIsWorse) {
  // 83.3% against a plan of 84%: under plan.
  EXPECT_EQ(AsOf(Percentages(v1::POLARITY_HIGHER_IS_BETTER), "2017-05", kRtt)
                .rating(),
            v1::RATING_RED);
  EXPECT_EQ(
      AsOf(Percentages(v1::POLARITY_LOWER_IS_BETTER), "2017-05", kRtt).rating(),
      v1::RATING_GREEN);
}

TEST(TrajectoryRuleTest, AmberAndRedTolerancesBandTheVariance) {
  // Plan 10 to date; actuals 10.5, 12 and 14 (5%, 20%, 40% over).
  const char* pack = R"(
    rules { id: 'cdi' selector { indicator_ids: 'CDI' }
            trajectory { amber_tolerance_relative: 0.1
                         red_tolerance_relative: 0.3 } })";
  for (const auto& [actual, rating] :
       std::vector<std::pair<double, v1::Rating>>{{10.5, v1::RATING_GREEN},
                                                  {12, v1::RATING_AMBER},
                                                  {14, v1::RATING_RED}}) {
    v1::Dataset d = DatasetWith(
        MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
    AddMonthlyValues(&d, "P1", "CDI", "2017-04", {actual});
    AddMonthlyPlan(&d, "P1", "2017-04", {10});
    const v1::Assessment a = AsOf(d, "2017-04", pack);
    EXPECT_EQ(a.rating(), rating) << actual << ": " << a.reason();
  }
}

TEST(TrajectoryRuleTest, ZeroToleranceHasAnObjectiveOfZero) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("MRSA", v1::UNIT_COUNT, v1::POLARITY_ZERO_TOLERANCE), 1);
  AddMonthlyValues(&d, "P1", "MRSA", "2017-04", {0, 0, 1, 0});
  AddMonthlyPlan(&d, "P1", "2017-04", std::vector<double>(12, 0));
  const v1::Assessment a =
      Find(EvaluatePack("rules { id: 'cdi' selector { indicator_ids: 'MRSA' } "
                        "trajectory { } }",
                        d, "2017-07"),
           "P1", "cdi");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_NE(a.reason().find("objective of 0 for 2017/18 breached in Jun 2017"),
            std::string::npos)
      << a.reason();
}

TEST(TrajectoryRuleTest, YearStartMonthMovesTheReset) {
  // A calendar year: Jan-Sep 2017 hold 2+1+... (March's 5 counts now).
  const v1::Assessment a = AsOf(CDifficile(), "2017-04", R"(
    rules { id: 'cdi' selector { indicator_ids: 'CDI' }
            trajectory { year_start_month: 1 } })");
  // Plan values exist only from April: January's is missing.
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("Jan 2017"), std::string::npos) << a.reason();
}

TEST(TrajectoryRuleTest, PackMistakesNameTheField) {
  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{
           {"amber_tolerance_relative: 0.1 amber_tolerance_absolute: 2",
            "trajectory.amber_tolerance_absolute"},
           {"amber_tolerance_relative: -1",
            "trajectory.amber_tolerance_relative"},
           {"amber_tolerance_absolute: 5 red_tolerance_absolute: 2",
            "trajectory.red_tolerance_absolute"},
           {"year_start_month: 13", "trajectory.year_start_month"},
           {"annual_objective: -3", "trajectory.annual_objective"}}) {
    auto engine = Engine::Create(PackWith(
        "rules { id: 'x' selector { indicator_ids: 'CDI' } trajectory { " +
        body + " } }"));
    ASSERT_FALSE(engine.ok()) << body;
    EXPECT_NE(engine.status().message().find(field), std::string::npos)
        << engine.status();
  }
}

}  // namespace
}  // namespace vigil
