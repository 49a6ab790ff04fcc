// What the report carries for drawing beyond SPC charts, when the evaluation
// asks for charts (EvaluateOptions::chart_periods > 0): a funnel plot per
// peer rule and indicator (Report.funnels) that agrees with the peer
// assessments, a trajectory assessment's year (Assessment.trajectory), and
// the recent values a sparkline draws (Assessment.recent_values); none of
// it when not asked, and the ratings the same either way.
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::Find;
using testing::MakeIndicator;
using testing::MonthAfter;
using testing::PackWith;

v1::Report EvaluateWithCharts(const char* pack, const v1::Dataset& data,
                              const std::string& as_of, int chart_periods) {
  auto engine = Engine::Create(PackWith(pack));
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return v1::Report();
  DatasetIndexer indexer;
  indexer.AddDataset(data);
  const SeriesStore store = std::move(indexer).Build();
  EvaluateOptions options;
  options.chart_periods = chart_periods;
  auto report = (*engine)->Evaluate(store, as_of, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::Report();
}

double Evidence(const v1::Assessment& a, const std::string& label) {
  for (const v1::EvidenceValue& e : a.evidence()) {
    if (e.label() == label) return e.value();
  }
  ADD_FAILURE() << "no evidence '" << label << "' in " << a.ShortDebugString();
  return std::nan("");
}

// Twelve providers' percentages for Mar 2019 (P1 far below its peers, P12
// far above), and P13 without a count.
v1::Dataset Peers() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      13);
  for (int p = 1; p <= 12; ++p) {
    v1::Observation* o = d.add_observations();
    o->set_provider_id("P" + std::to_string(p));
    o->set_indicator_id("AE");
    o->set_period("2019-03");
    const double denominator = 1000 + 400 * p;
    const double rate = p == 1 ? 0.70 : p == 12 ? 0.97 : 0.86 + 0.004 * p;
    o->set_numerator(std::round(rate * denominator));
    o->set_denominator(denominator);
  }
  AddMonthlyValues(&d, "P13", "AE", "2019-03", {85});
  return d;
}

constexpr char kPeerPack[] = R"(
  rules { id: 'peer' name: 'Against peers' selector { indicator_ids: 'AE' }
          peer { adjustment: ADJUSTMENT_NONE } })";

TEST(FunnelChartTest, OnePerPeerRuleWithEveryPlacedProviderAndItsPosition) {
  const v1::Report report =
      EvaluateWithCharts(kPeerPack, Peers(), "2019-03", 12);
  ASSERT_EQ(report.funnels_size(), 1);
  const v1::FunnelChart& f = report.funnels(0);
  EXPECT_EQ(f.rule_id(), "peer");
  EXPECT_EQ(f.rule_name(), "Against peers");
  EXPECT_EQ(f.indicator_id(), "AE");
  EXPECT_EQ(f.period(), "2019-03");
  ASSERT_EQ(f.coverages_size(), 2);
  EXPECT_DOUBLE_EQ(f.coverages(0), 0.95);
  EXPECT_DOUBLE_EQ(f.coverages(1), 0.998);
  EXPECT_EQ(f.adjustment(), "not adjusted for overdispersion");
  // P13 has no numerator and denominator: not on the funnel.
  ASSERT_EQ(f.points_size(), 12);
  for (const v1::FunnelChartPoint& p : f.points()) {
    const v1::Assessment a = Find(report, p.provider_id(), "peer");
    EXPECT_DOUBLE_EQ(p.value(), a.value()) << p.provider_id();
    EXPECT_DOUBLE_EQ(p.denominator(), Evidence(a, "denominator"));
    EXPECT_DOUBLE_EQ(f.target(), Evidence(a, "peer target"));
    // The position agrees with the limits the assessment was judged by.
    const int expected = p.value() < Evidence(a, "lower 99.8% limit")   ? -2
                         : p.value() < Evidence(a, "lower 95% limit")   ? -1
                         : p.value() > Evidence(a, "upper 99.8% limit") ? 2
                         : p.value() > Evidence(a, "upper 95% limit")   ? 1
                                                                        : 0;
    EXPECT_EQ(p.position(), expected) << p.provider_id();
  }
  EXPECT_EQ(f.points(0).provider_id(), "P1");
  EXPECT_EQ(f.points(0).position(), -2);
  EXPECT_EQ(Find(report, "P1", "peer").rating(), v1::RATING_RED);
  EXPECT_EQ(f.points(3).provider_id(), "P12");  // By id: P1, P10, P11, P12.
  EXPECT_EQ(f.points(3).position(), 2);
}

TEST(FunnelChartTest, CurvesSpanTheDenominatorsAndNarrowAsTheyGrow) {
  const v1::Report report =
      EvaluateWithCharts(kPeerPack, Peers(), "2019-03", 12);
  ASSERT_EQ(report.funnels_size(), 1);
  const v1::FunnelChart& f = report.funnels(0);
  const int n = f.denominators_size();
  ASSERT_GE(n, 50);
  ASSERT_EQ(f.lower_size(), n * 2);
  ASSERT_EQ(f.upper_size(), n * 2);
  EXPECT_DOUBLE_EQ(f.denominators(0), 1400 / 2.0);  // Half the smallest.
  EXPECT_DOUBLE_EQ(f.denominators(n - 1), 5800);    // The largest.
  for (int i = 1; i < n; ++i) {
    EXPECT_GT(f.denominators(i), f.denominators(i - 1));
    for (int c = 0; c < 2; ++c) {
      EXPECT_GE(f.lower(i * 2 + c), f.lower((i - 1) * 2 + c)) << i;
      EXPECT_LE(f.upper(i * 2 + c), f.upper((i - 1) * 2 + c)) << i;
    }
    // The red (99.8%) limits lie outside the amber (95%) ones.
    EXPECT_LT(f.lower(i * 2 + 1), f.lower(i * 2));
    EXPECT_GT(f.upper(i * 2 + 1), f.upper(i * 2));
    EXPECT_LT(f.lower(i * 2), f.target());
    EXPECT_GT(f.upper(i * 2), f.target());
  }
}

TEST(FunnelChartTest, NoneUnlessAskedAndTheRatingsDoNotChange) {
  const v1::Report with = EvaluateWithCharts(kPeerPack, Peers(), "2019-03", 6);
  const v1::Report without =
      EvaluateWithCharts(kPeerPack, Peers(), "2019-03", 0);
  EXPECT_EQ(without.funnels_size(), 0);
  ASSERT_EQ(with.assessments_size(), without.assessments_size());
  for (int i = 0; i < with.assessments_size(); ++i) {
    EXPECT_EQ(with.assessments(i).rating(), without.assessments(i).rating());
    EXPECT_EQ(with.assessments(i).reason(), without.assessments(i).reason());
  }
}

TEST(FunnelChartTest, NoFunnelWhenTooFewPeersToCompare) {
  const v1::Report report = EvaluateWithCharts(
      R"(rules { id: 'peer' selector { indicator_ids: 'AE' }
                 peer { minimum_providers: 20 } })",
      Peers(), "2019-03", 12);
  EXPECT_EQ(report.funnels_size(), 0);
  EXPECT_EQ(Find(report, "P1", "peer").rating(), v1::RATING_NO_DATA);
}

// C. difficile: 13 months of counts and a plan of one a month from April.
v1::Dataset CDifficile() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "CDI", "2017-03",
                   {5, 1, 2, std::nan(""), 2, 1, 2});
  for (int i = 0; i < 12; ++i) {
    v1::PlanValue* p = d.add_plans();
    p->set_provider_id("P1");
    p->set_indicator_id("CDI");
    p->set_period(MonthAfter("2017-04", i));
    p->set_value(1);
  }
  return d;
}

TEST(TrajectoryChartTest, CarriesTheYearWithRunningTotalsAndTheObjective) {
  const v1::Report report = EvaluateWithCharts(
      R"(rules { id: 'cdi' selector { indicator_ids: 'CDI' }
                 trajectory { annual_objective: 14 } })",
      CDifficile(), "2017-09", 12);
  const v1::Assessment a = Find(report, "P1", "cdi");
  ASSERT_TRUE(a.has_trajectory());
  const v1::TrajectoryState& t = a.trajectory();
  EXPECT_TRUE(t.cumulative());
  ASSERT_TRUE(t.has_objective());
  EXPECT_DOUBLE_EQ(t.objective(), 14);
  ASSERT_EQ(t.points_size(), 12);  // Apr 2017 to Mar 2018.
  EXPECT_EQ(t.points(0).period(), "2017-04");
  EXPECT_EQ(t.points(11).period(), "2018-03");
  // Apr 1, May 2, Jun missing, Jul 2, Aug 1, Sep 2 (Mar's 5 is last year).
  const double actual[] = {1, 3, NAN, 5, 6, 8};
  for (int i = 0; i < 6; ++i) {
    if (std::isnan(actual[i])) {
      EXPECT_TRUE(std::isnan(t.points(i).actual())) << i;
    } else {
      EXPECT_DOUBLE_EQ(t.points(i).actual(), actual[i]) << i;
    }
  }
  for (int i = 6; i < 12; ++i) {
    EXPECT_TRUE(std::isnan(t.points(i).actual())) << "after the as-of " << i;
  }
  for (int i = 0; i < 12; ++i) EXPECT_DOUBLE_EQ(t.points(i).plan(), i + 1);
  // The last running total is the year-to-date actual the rule judged.
  EXPECT_DOUBLE_EQ(t.points(5).actual(), a.value());
}

TEST(TrajectoryChartTest, NoneUnlessAsked) {
  const v1::Report report = EvaluateWithCharts(
      R"(rules { id: 'cdi' selector { indicator_ids: 'CDI' } trajectory {} })",
      CDifficile(), "2017-09", 0);
  EXPECT_FALSE(Find(report, "P1", "cdi").has_trajectory());
}

TEST(RecentValuesTest, ThresholdAssessmentsCarryTheLastPeriodsWithGaps) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("A", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "A", "2019-01", {4, std::nan(""), 6, 7});
  const char* pack = R"(
    rules { id: 't' selector { indicator_ids: 'A' }
            threshold { red_threshold: 10 standard: 5 } }
    rules { id: 's' selector { indicator_ids: 'A' }
            spc { minimum_points: 2 max_staleness_periods: 1 } })";
  const v1::Report report = EvaluateWithCharts(pack, d, "2019-05", 6);
  const v1::Assessment t = Find(report, "P1", "t");
  ASSERT_EQ(t.recent_values_size(), 6);  // Dec 2018 to May 2019.
  const char* periods[] = {"2018-12", "2019-01", "2019-02",
                           "2019-03", "2019-04", "2019-05"};
  const double values[] = {NAN, 4, NAN, 6, 7, NAN};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(t.recent_values(i).period(), periods[i]);
    if (std::isnan(values[i])) {
      EXPECT_TRUE(std::isnan(t.recent_values(i).value())) << i;
    } else {
      EXPECT_DOUBLE_EQ(t.recent_values(i).value(), values[i]) << i;
    }
  }
  // An SPC assessment draws its own chart instead.
  const v1::Assessment s = Find(report, "P1", "s");
  EXPECT_EQ(s.recent_values_size(), 0);
  EXPECT_GT(s.spc().chart_points_size(), 0);
  // Not asked: none.
  EXPECT_EQ(Find(EvaluateWithCharts(pack, d, "2019-05", 0), "P1", "t")
                .recent_values_size(),
            0);
}

}  // namespace
}  // namespace vigil
