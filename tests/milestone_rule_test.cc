// Milestone (CQUIN) rules in the engine: milestones from the provider's plan
// values in the year, met / partly met / not met / not yet due by the
// indicator's polarity, the money earned, at risk and not yet due, the
// provider summary's sums, the table's header line, and pack mistakes.
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/rules/format.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::PackWith;
using testing::ParseText;

void AddPlan(v1::Dataset* d, const std::string& provider,
             const std::string& indicator, const std::string& period,
             double value) {
  v1::PlanValue* p = d->add_plans();
  p->set_provider_id(provider);
  p->set_indicator_id(indicator);
  p->set_period(period);
  p->set_value(value);
}

// The quarterly milestones of 2017/18 (80, 85, 90, 90% at the end of each
// quarter) for `provider`.
void AddSepsisMilestones(v1::Dataset* d, const std::string& provider) {
  AddPlan(d, provider, "SEPSIS", "2017-06", 80);
  AddPlan(d, provider, "SEPSIS", "2017-09", 85);
  AddPlan(d, provider, "SEPSIS", "2017-12", 90);
  AddPlan(d, provider, "SEPSIS", "2018-03", 90);
}

// Sepsis screening (a higher-is-better percentage), two providers with the
// 2017/18 milestones. P1: 82% in Jun 2017 (met), 74% in Sep 2017 (not met).
v1::Dataset Sepsis(v1::Polarity polarity = v1::POLARITY_HIGHER_IS_BETTER) {
  v1::Indicator ind = MakeIndicator("SEPSIS", v1::UNIT_PERCENTAGE, polarity);
  ind.set_name("Sepsis screening");
  v1::Dataset d = DatasetWith(ind, 2);
  AddMonthlyValues(&d, "P1", "SEPSIS", "2017-04",
                   {70, 75, 82, 80, 79, 74});  // Apr to Sep 2017.
  AddMonthlyValues(&d, "P2", "SEPSIS", "2017-04", {81, 83, 86, 88, 90, 91});
  AddSepsisMilestones(&d, "P1");
  AddSepsisMilestones(&d, "P2");
  return d;
}

constexpr char kAllOrNothing[] = R"(
  rules { id: 'cquin' name: 'Sepsis CQUIN' selector { indicator_ids: 'SEPSIS' }
          milestone { weight: 50000 } })";

constexpr char kLinear[] = R"(
  rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' }
          milestone { weight: 50000 payment: PAYMENT_LINEAR floor: 60 } })";

TEST(MilestoneRuleTest, AllOrNothingEarnsAShareOnlyForMilestonesMet) {
  const v1::Report report = EvaluatePack(kAllOrNothing, Sepsis(), "2017-09");
  const v1::Assessment a = Find(report, "P1", "cquin");
  // £50,000 over 4 milestones is £12,500 each: Jun met, Sep not met, Dec
  // and Mar not yet due.
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.reason(),
            "Sepsis screening: CQUIN: 2 of 4 milestones due to Sep 2017: "
            "Jun 2017 met (82% against 80%), Sep 2017 not met (74% against "
            "85%); £12,500 earned, £12,500 at risk, £25,000 not yet due");
  const v1::CquinState& c = a.cquin();
  EXPECT_DOUBLE_EQ(c.weight(), 50000);
  EXPECT_DOUBLE_EQ(c.earned(), 12500);
  EXPECT_DOUBLE_EQ(c.at_risk(), 12500);
  EXPECT_DOUBLE_EQ(c.not_yet_due(), 25000);
  EXPECT_EQ(c.milestones(), 4);
  EXPECT_EQ(c.due(), 2);
  EXPECT_EQ(c.met(), 1);
  EXPECT_EQ(c.partly_met(), 0);
  EXPECT_EQ(c.not_met(), 1);
  // The latest due milestone is judged: 74% against 85%.
  EXPECT_DOUBLE_EQ(a.value(), 74);
  EXPECT_DOUBLE_EQ(a.standard(), 85);
  EXPECT_EQ(a.data_period(), "2017-09");
  // Evidence: every milestone's plan, and the actual of each due one.
  std::vector<std::string> evidence;
  for (const v1::EvidenceValue& e : a.evidence()) {
    evidence.push_back(e.label() + "[" + e.period() +
                       "]=" + std::to_string(static_cast<int>(e.value())));
  }
  EXPECT_EQ(evidence, (std::vector<std::string>{
                          "milestone[2017-06]=80", "actual[2017-06]=82",
                          "milestone[2017-09]=85", "actual[2017-09]=74",
                          "milestone[2017-12]=90", "milestone[2018-03]=90"}));
  // P2 met both: green, half the weight earned.
  const v1::Assessment p2 = Find(report, "P2", "cquin");
  EXPECT_EQ(p2.rating(), v1::RATING_GREEN);
  EXPECT_DOUBLE_EQ(p2.cquin().earned(), 25000);
  EXPECT_DOUBLE_EQ(p2.cquin().at_risk(), 0);
  EXPECT_EQ(p2.cquin().met(), 2);
}

TEST(MilestoneRuleTest,
     LinearPaymentEarnsInProportionBetweenFloorAndMilestone) {
  const v1::Report report = EvaluatePack(kLinear, Sepsis(), "2017-09");
  const v1::Assessment a = Find(report, "P1", "cquin");
  // Sep: 74% against 85% with the floor at 60%: (74 - 60) / (85 - 60) =
  // 0.56 of £12,500 = £7,000 earned, £5,500 at risk. Jun met: £12,500.
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_DOUBLE_EQ(a.cquin().earned(), 19500);
  EXPECT_DOUBLE_EQ(a.cquin().at_risk(), 5500);
  EXPECT_DOUBLE_EQ(a.cquin().not_yet_due(), 25000);
  EXPECT_EQ(a.cquin().met(), 1);
  EXPECT_EQ(a.cquin().partly_met(), 1);
  EXPECT_EQ(a.cquin().not_met(), 0);
  EXPECT_NE(a.reason().find("Sep 2017 partly met (74% against 85%: £7,000 of "
                            "£12,500); £19,500 earned, £5,500 at risk"),
            std::string::npos)
      << a.reason();
}

TEST(MilestoneRuleTest, LinearPaymentAtOrBelowTheFloorEarnsNothing) {
  v1::Dataset d = Sepsis();
  AddMonthlyValues(&d, "P1", "SEPSIS", "2017-10", {60, 61, 55});  // Oct-Dec.
  const v1::Report report = EvaluatePack(kLinear, d, "2017-12");
  const v1::Assessment a = Find(report, "P1", "cquin");
  // Jun met (£12,500), Sep 0.56 (£7,000), Dec 55% is below the 60% floor.
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_DOUBLE_EQ(a.cquin().earned(), 19500);
  EXPECT_DOUBLE_EQ(a.cquin().at_risk(), 18000);
  EXPECT_EQ(a.cquin().not_met(), 1);
  EXPECT_NE(a.reason().find("Dec 2017 not met (55% against 90%)"),
            std::string::npos)
      << a.reason();
}

TEST(MilestoneRuleTest, NoMilestoneDueYetIsGreenWithTheWholeWeightNotYetDue) {
  const v1::Report report = EvaluatePack(kAllOrNothing, Sepsis(), "2017-05");
  const v1::Assessment a = Find(report, "P1", "cquin");
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_EQ(a.reason(),
            "Sepsis screening: CQUIN: none of 4 milestones for 2017/18 due "
            "yet to May 2017 (the first is Jun 2017); £50,000 not yet due");
  EXPECT_DOUBLE_EQ(a.cquin().not_yet_due(), 50000);
  EXPECT_DOUBLE_EQ(a.cquin().earned(), 0);
  EXPECT_DOUBLE_EQ(a.cquin().at_risk(), 0);
  EXPECT_EQ(a.cquin().due(), 0);
  EXPECT_FALSE(a.has_value());
  EXPECT_FALSE(a.has_standard());
}

TEST(MilestoneRuleTest, ADueMilestoneWithoutAnActualIsNotMetAndSaysSo) {
  v1::Indicator ind = MakeIndicator("SEPSIS", v1::UNIT_PERCENTAGE,
                                    v1::POLARITY_HIGHER_IS_BETTER);
  ind.set_name("Sepsis screening");
  v1::Dataset d = DatasetWith(ind, 2);
  // P1 sent April, May and July but not June; P2 sent nothing at all.
  AddMonthlyValues(&d, "P1", "SEPSIS", "2017-04", {90, 91, NAN, 92});
  AddSepsisMilestones(&d, "P1");
  AddSepsisMilestones(&d, "P2");
  const v1::Report report = EvaluatePack(kLinear, d, "2017-07");
  for (const char* provider : {"P1", "P2"}) {
    const v1::Assessment a = Find(report, provider, "cquin");
    EXPECT_EQ(a.rating(), v1::RATING_RED) << provider;
    EXPECT_NE(a.reason().find("Jun 2017 not met (no value for Jun 2017)"),
              std::string::npos)
        << a.reason();
    EXPECT_DOUBLE_EQ(a.cquin().earned(), 0) << provider;
    EXPECT_DOUBLE_EQ(a.cquin().at_risk(), 12500) << provider;
    EXPECT_EQ(a.cquin().not_met(), 1) << provider;
    EXPECT_FALSE(a.has_value()) << provider;
    EXPECT_DOUBLE_EQ(a.standard(), 80) << provider;
  }
}

TEST(MilestoneRuleTest, HigherIsBetterMeetsAMilestoneAtOrAboveIt) {
  v1::Dataset d = Sepsis();
  AddMonthlyValues(&d, "P1", "SEPSIS", "2017-10", {88, 89, 90});  // Dec 90.
  const v1::Report report = EvaluatePack(kAllOrNothing, d, "2017-12");
  const v1::Assessment a = Find(report, "P1", "cquin");
  EXPECT_NE(a.reason().find("Dec 2017 met (90% against 90%)"),
            std::string::npos)
      << a.reason();
  EXPECT_EQ(a.cquin().met(), 2);  // Jun and Dec; Sep (74%) not.
}

// C. difficile cases (lower is better): at most 10 in June, 8 in Sep.
v1::Dataset Infections(v1::Polarity polarity) {
  v1::Indicator ind = MakeIndicator("CDI", v1::UNIT_COUNT, polarity);
  ind.set_name("C. difficile");
  v1::Dataset d = DatasetWith(ind, 3);
  AddMonthlyValues(&d, "P1", "CDI", "2017-06", {10});  // At the milestone.
  AddMonthlyValues(&d, "P2", "CDI", "2017-06", {14});  // Between floor, mil.
  AddMonthlyValues(&d, "P3", "CDI", "2017-06", {9});   // Below it.
  for (const char* p : {"P1", "P2", "P3"}) {
    AddPlan(&d, p, "CDI", "2017-06", 10);
    AddPlan(&d, p, "CDI", "2017-09", 8);
  }
  return d;
}

TEST(MilestoneRuleTest, LowerIsBetterMeetsAMilestoneAtOrBelowIt) {
  const v1::Report report = EvaluatePack(
      "rules { id: 'cquin' selector { indicator_ids: 'CDI' } "
      "milestone { weight: 10000 } }",
      Infections(v1::POLARITY_LOWER_IS_BETTER), "2017-06");
  EXPECT_EQ(Find(report, "P1", "cquin").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(report, "P2", "cquin").rating(), v1::RATING_RED);
  EXPECT_EQ(Find(report, "P3", "cquin").rating(), v1::RATING_GREEN);
  EXPECT_NE(Find(report, "P2", "cquin")
                .reason()
                .find("Jun 2017 not met (14 against 10)"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(Find(report, "P3", "cquin").cquin().earned(), 5000);
}

TEST(MilestoneRuleTest, LowerIsBetterLinearPaymentMirrorsTheBand) {
  // Floor 20 cases: 14 against 10 earns (20 - 14) / (20 - 10) = 0.6 of
  // £5,000 = £3,000.
  const v1::Report report = EvaluatePack(
      "rules { id: 'cquin' selector { indicator_ids: 'CDI' } "
      "milestone { weight: 10000 payment: PAYMENT_LINEAR floor: 20 } }",
      Infections(v1::POLARITY_ZERO_TOLERANCE), "2017-06");
  const v1::Assessment a = Find(report, "P2", "cquin");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_DOUBLE_EQ(a.cquin().earned(), 3000);
  EXPECT_DOUBLE_EQ(a.cquin().at_risk(), 2000);
  EXPECT_DOUBLE_EQ(a.cquin().not_yet_due(), 5000);
}

TEST(MilestoneRuleTest, NeutralOrUnknownPolarityIsNotApplicableWithoutMoney) {
  for (v1::Polarity polarity :
       {v1::POLARITY_NEUTRAL, v1::POLARITY_UNSPECIFIED}) {
    const v1::Report report =
        EvaluatePack(kAllOrNothing, Sepsis(polarity), "2017-09");
    const v1::Assessment a = Find(report, "P1", "cquin");
    EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE) << polarity;
    EXPECT_FALSE(a.has_cquin());
    EXPECT_NE(a.reason().find(polarity == v1::POLARITY_NEUTRAL
                                  ? "the indicator is neutral"
                                  : "need the indicator's polarity"),
              std::string::npos)
        << a.reason();
    EXPECT_FALSE(report.providers(0).has_cquin());
  }
}

TEST(MilestoneRuleTest, TheYearResetsInAprilAndLastYearsMilestonesDoNotCount) {
  v1::Dataset d = Sepsis();
  AddPlan(&d, "P1", "SEPSIS", "2017-03", 75);  // 2016/17's last milestone.
  AddMonthlyValues(&d, "P1", "SEPSIS", "2017-03", {50});  // Not met.
  // As of June 2017 only 2017/18's milestones count: Jun met, March's
  // miss is last year's.
  const v1::Report june = EvaluatePack(kAllOrNothing, d, "2017-06");
  const v1::Assessment a = Find(june, "P1", "cquin");
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_EQ(a.cquin().milestones(), 4);
  EXPECT_EQ(a.cquin().due(), 1);
  EXPECT_DOUBLE_EQ(a.cquin().earned(), 12500);
  EXPECT_EQ(a.reason().find("Mar 2017"), std::string::npos) << a.reason();
  // As of March 2017, 2016/17 has that one milestone, missed: all of the
  // weight at risk.
  const v1::Report march = EvaluatePack(kAllOrNothing, d, "2017-03");
  const v1::Assessment m = Find(march, "P1", "cquin");
  EXPECT_EQ(m.rating(), v1::RATING_RED);
  EXPECT_EQ(m.cquin().milestones(), 1);
  EXPECT_DOUBLE_EQ(m.cquin().at_risk(), 50000);
  // P2 has no milestone in 2016/17.
  EXPECT_EQ(Find(march, "P2", "cquin").rating(), v1::RATING_NO_DATA);
  EXPECT_EQ(Find(march, "P2", "cquin").reason(),
            "Sepsis screening: no CQUIN milestones for 2016/17");
}

TEST(MilestoneRuleTest, AnotherYearStartMovesTheResetAndTheLabel) {
  // A calendar year: as of Jun 2017, Jun 2017 is in the year from Jan
  // 2017, and nothing before January counts.
  v1::Dataset d = Sepsis();
  AddPlan(&d, "P1", "SEPSIS", "2016-12", 99);
  const v1::Report report = EvaluatePack(
      "rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' } "
      "milestone { weight: 40000 year_start_month: 1 } }",
      d, "2017-06");
  const v1::Assessment a = Find(report, "P1", "cquin");
  // Jun, Sep and Dec 2017 are in the year; Mar 2018 and Dec 2016 are not.
  EXPECT_EQ(a.cquin().milestones(), 3);
  EXPECT_EQ(a.cquin().due(), 1);
  const v1::Report before = EvaluatePack(
      "rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' } "
      "milestone { weight: 40000 year_start_month: 1 } }",
      Sepsis(), "2016-12");
  EXPECT_EQ(Find(before, "P1", "cquin").reason(),
            "Sepsis screening: no CQUIN milestones for year from Jan 2016");
}

TEST(MilestoneRuleTest, QuarterlyMilestonesResetWithTheFinancialYear) {
  v1::Indicator ind = MakeIndicator("SEPSIS", v1::UNIT_PERCENTAGE,
                                    v1::POLARITY_HIGHER_IS_BETTER);
  ind.set_frequency(v1::FREQUENCY_QUARTERLY);
  v1::Dataset d = DatasetWith(ind);
  // 2017/18 is 2017-Q2 to 2018-Q1; 2018-Q2 starts 2018/19.
  const std::vector<std::pair<std::string, double>> quarters = {
      {"2017-Q2", 80},
      {"2017-Q3", 85},
      {"2017-Q4", 90},
      {"2018-Q1", 90},
      {"2018-Q2", 92}};
  for (const auto& [quarter, milestone] : quarters) {
    AddPlan(&d, "P1", "SEPSIS", quarter, milestone);
    v1::Observation* o = d.add_observations();
    o->set_provider_id("P1");
    o->set_indicator_id("SEPSIS");
    o->set_period(quarter);
    o->set_value(milestone + 1);
  }
  const char* pack =
      "rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' } "
      "milestone { weight: 40000 } }";
  const v1::Assessment march =
      Find(EvaluatePack(pack, d, "2018-03"), "P1", "cquin");
  EXPECT_EQ(march.cquin().milestones(), 4);
  EXPECT_EQ(march.cquin().due(), 4);
  EXPECT_DOUBLE_EQ(march.cquin().earned(), 40000);
  const v1::Assessment june =
      Find(EvaluatePack(pack, d, "2018-06"), "P1", "cquin");
  EXPECT_EQ(june.cquin().milestones(), 1);
  EXPECT_EQ(june.reason(),
            "SEPSIS: CQUIN: 1 of 1 milestone due to Q2 2018: Q2 2018 met "
            "(93% against 92%); £40,000 earned, £0 at risk");
}

TEST(MilestoneRuleTest, NoPlanAtAllIsNoData) {
  v1::Dataset d = Sepsis();
  d.clear_plans();
  AddSepsisMilestones(&d, "P2");
  const v1::Report report = EvaluatePack(kAllOrNothing, d, "2017-09");
  const v1::Assessment a = Find(report, "P1", "cquin");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_EQ(a.reason(),
            "Sepsis screening: no CQUIN milestones for 2017/18: no plan "
            "values for this provider");
  EXPECT_FALSE(a.has_cquin());
}

TEST(MilestoneRuleTest, ProviderWeightsOverrideTheScheme) {
  const v1::Report report = EvaluatePack(R"(
    rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' }
            milestone { weight: 50000 provider_weights { key: 'P2' value: 20000 } } })",
                                         Sepsis(), "2017-09");
  EXPECT_DOUBLE_EQ(Find(report, "P1", "cquin").cquin().weight(), 50000);
  EXPECT_DOUBLE_EQ(Find(report, "P2", "cquin").cquin().weight(), 20000);
  EXPECT_DOUBLE_EQ(Find(report, "P2", "cquin").cquin().earned(), 10000);
  EXPECT_DOUBLE_EQ(Find(report, "P2", "cquin").cquin().not_yet_due(), 10000);
}

TEST(MilestoneRuleTest, WithOnlyProviderWeightsOthersAreNotInTheScheme) {
  const v1::Report report = EvaluatePack(R"(
    rules { id: 'cquin' selector { indicator_ids: 'SEPSIS' }
            milestone { provider_weights { key: 'P1' value: 8000 } } })",
                                         Sepsis(), "2017-09");
  EXPECT_DOUBLE_EQ(Find(report, "P1", "cquin").cquin().weight(), 8000);
  const v1::Assessment p2 = Find(report, "P2", "cquin");
  EXPECT_EQ(p2.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_NE(p2.reason().find("not in this CQUIN scheme"), std::string::npos);
  EXPECT_FALSE(p2.has_cquin());
}

TEST(MilestoneRuleTest, ProviderSummaryAddsUpItsSchemes) {
  // Two schemes for P1: sepsis (£50,000: £12,500 earned, £12,500 at risk,
  // £25,000 not yet due) and infections (£10,000 over Jun and Sep: Jun met
  // £5,000, Sep not yet due £5,000).
  v1::Dataset d = Sepsis();
  v1::Indicator cdi =
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  *d.add_indicators() = cdi;
  AddMonthlyValues(&d, "P1", "CDI", "2017-06", {3});
  AddPlan(&d, "P1", "CDI", "2017-06", 4);
  AddPlan(&d, "P1", "CDI", "2017-12", 4);
  const v1::Report report = EvaluatePack(R"(
    rules { id: 'sepsis' selector { indicator_ids: 'SEPSIS' }
            milestone { weight: 50000 } }
    rules { id: 'cdi' selector { indicator_ids: 'CDI' }
            milestone { weight: 10000 } }
    rules { id: 'dq' selector { indicator_ids: 'SEPSIS' } data_quality { } })",
                                         d, "2017-09");
  const v1::ProviderSummary* p1 = nullptr;
  for (const v1::ProviderSummary& p : report.providers()) {
    if (p.provider_id() == "P1") p1 = &p;
  }
  ASSERT_NE(p1, nullptr);
  ASSERT_TRUE(p1->has_cquin());
  const v1::CquinState& c = p1->cquin();
  EXPECT_DOUBLE_EQ(c.weight(), 60000);
  EXPECT_DOUBLE_EQ(c.earned(), 17500);
  EXPECT_DOUBLE_EQ(c.at_risk(), 12500);
  EXPECT_DOUBLE_EQ(c.not_yet_due(), 30000);
  EXPECT_EQ(c.milestones(), 6);
  EXPECT_EQ(c.due(), 3);
  EXPECT_EQ(c.met(), 2);
  EXPECT_EQ(c.not_met(), 1);
  // Escalation is unchanged: the red CQUIN rating counts like any red.
  EXPECT_EQ(p1->counts().red(), 1);
}

TEST(MilestoneRuleTest, SummaryHasNoCquinWithoutMilestoneAssessments) {
  v1::Dataset d = Sepsis();
  const v1::Report report = EvaluatePack(
      "rules { id: 'dq' selector { indicator_ids: 'SEPSIS' } data_quality { } "
      "}",
      d, "2017-09");
  for (const v1::ProviderSummary& p : report.providers()) {
    EXPECT_FALSE(p.has_cquin()) << p.provider_id();
  }
}

TEST(MilestoneRuleTest, TableHeaderShowsTheProvidersCquinMoney) {
  const v1::Report report = EvaluatePack(kAllOrNothing, Sepsis(), "2017-09");
  std::ostringstream out;
  PrintReportTable(report, out);
  const std::string table = out.str();
  EXPECT_NE(table.find("\n        CQUIN at risk: £12,500 (earned £12,500, not "
                       "yet due £25,000)\n  red "),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("CQUIN at risk: £0 (earned £25,000, not yet due "
                       "£25,000)"),
            std::string::npos)
      << table;
}

TEST(MilestoneRuleTest, TableHeaderHasNoCquinLineWithoutSchemes) {
  const v1::Report report = EvaluatePack(
      "rules { id: 'dq' selector { indicator_ids: 'SEPSIS' } data_quality { } "
      "}",
      Sepsis(), "2017-09");
  std::ostringstream out;
  PrintReportTable(report, out);
  EXPECT_EQ(out.str().find("CQUIN"), std::string::npos) << out.str();
}

TEST(MilestoneRuleTest,
     MoneyHasAPoundSignThousandsAndPenceOnlyWhenThereAreAny) {
  EXPECT_EQ(FormatMoney(0), "£0");
  EXPECT_EQ(FormatMoney(12500), "£12,500");
  EXPECT_EQ(FormatMoney(1000000), "£1,000,000");
  EXPECT_EQ(FormatMoney(100000.0 / 3), "£33,333.33");
  EXPECT_EQ(FormatMoney(1234.05), "£1,234.05");
  EXPECT_EQ(FormatMoney(999.999), "£1,000");
  EXPECT_EQ(FormatMoney(-40), "-£40");
  EXPECT_EQ(FormatMoney(-0.001), "£0");
}

struct Mistake {
  const char* name;
  const char* milestone;  // The body of milestone { }.
  const char* expected;   // Substring of the error message.
};

void PrintTo(const Mistake& m, std::ostream* os) { *os << m.name; }

class MilestonePackTest : public ::testing::TestWithParam<Mistake> {};

TEST_P(MilestonePackTest, AMistakeNamesTheRuleAndTheField) {
  const Mistake& m = GetParam();
  auto engine = Engine::Create(PackWith(
      absl::StrCat("rules { id: 'x' selector { indicator_ids: 'SEPSIS' } "
                   "milestone { ",
                   m.milestone, " } }")));
  ASSERT_FALSE(engine.ok()) << m.name;
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(engine.status().message().find(m.expected), std::string::npos)
      << m.name << ": " << engine.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    MilestoneRuleTest, MilestonePackTest,
    ::testing::Values(
        Mistake{"NegativeWeight", "weight: -1",
                "rule 'x' (rules[0]): milestone.weight: must be a sum of "
                "money > 0, got -1"},
        Mistake{"NoWeightAtAll", "",
                "rule 'x' (rules[0]): milestone.weight: must be > 0"},
        Mistake{"InfiniteWeight", "weight: inf",
                "rule 'x' (rules[0]): milestone.weight"},
        Mistake{"NonPositiveProviderWeight",
                "weight: 5 provider_weights { key: 'P2' value: 0 }",
                "rule 'x' (rules[0]): milestone.provider_weights[\"P2\"]: "
                "must be a sum of money > 0, got 0"},
        Mistake{"UnknownPayment", "weight: 5 payment: 9",
                "rule 'x' (rules[0]): milestone.payment: is not a known "
                "payment"},
        Mistake{"NonFiniteFloor",
                "weight: 5 payment: PAYMENT_LINEAR floor: nan",
                "rule 'x' (rules[0]): milestone.floor: is not a finite number"},
        Mistake{"FloorWithoutLinearPayment", "weight: 5 floor: 50",
                "rule 'x' (rules[0]): milestone.floor: applies to "
                "PAYMENT_LINEAR only"},
        Mistake{"YearStartMonthAbove12", "weight: 5 year_start_month: 13",
                "rule 'x' (rules[0]): milestone.year_start_month: must be "
                "1..12 (0 = 4, April), got 13"},
        Mistake{"NegativeYearStartMonth", "weight: 5 year_start_month: -1",
                "rule 'x' (rules[0]): milestone.year_start_month"}),
    [](const ::testing::TestParamInfo<Mistake>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(MilestoneRuleTest, ADisabledRuleIsStillValidated) {
  auto engine = Engine::Create(PackWith(
      "rules { id: 'x' disabled: true selector { indicator_ids: 'SEPSIS' } "
      "milestone { weight: -3 } }"));
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find("milestone.weight"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil
