// SPC assessments carry their chart for drawing when the evaluation asks
// (EvaluateOptions::chart_periods): the last N periods up to the assessed
// one, in the indicator's unit, with each point's limits, type and group;
// gaps as NaN "missing"; nothing when not asked; the ratings unchanged.
#include <cmath>
#include <limits>
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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char kPack[] = R"pb(
  rules {
    id: "xmr"
    selector { indicator_ids: "A" }
    spc {}
  }
  rules {
    id: "p"
    selector { indicator_ids: "B" }
    spc { chart: SPC_CHART_P }
  })pb";

// 30 months from 2017-01 of A (values, a gap in month 20) and B
// (numerators over denominators, a jump at the end).
v1::Dataset Data() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("A", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  *d.add_indicators() =
      MakeIndicator("B", v1::UNIT_PERCENTAGE, v1::POLARITY_LOWER_IS_BETTER);
  std::vector<double> a;
  for (int i = 0; i < 30; ++i) a.push_back(10 + (i * 7) % 5);
  a[20] = kNaN;
  AddMonthlyValues(&d, "P1", "A", "2017-01", a);
  for (int i = 0; i < 30; ++i) {
    if (i == 25) continue;  // No row: a gap in the p-chart.
    v1::Observation* o = d.add_observations();
    o->set_provider_id("P1");
    o->set_indicator_id("B");
    o->set_period(MonthAfter("2017-01", i));
    o->set_numerator(i == 29 ? 300 : 100 + i % 3);
    o->set_denominator(1000);
  }
  return d;
}

SeriesStore Store() {
  DatasetIndexer indexer;
  indexer.AddDataset(Data());
  return std::move(indexer).Build();
}

v1::Report Evaluate(int chart_periods) {
  auto engine = Engine::Create(PackWith(kPack));
  EXPECT_TRUE(engine.ok()) << engine.status();
  EvaluateOptions options;
  options.chart_periods = chart_periods;
  auto report = (*engine)->Evaluate(Store(), "2019-06", options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::Report();
}

TEST(ChartPointsTest, XmrChartCarriesTheLastPeriodsWithTheirLimits) {
  const v1::Report report = Evaluate(24);
  const v1::Assessment a = Find(report, "P1", "xmr");
  const v1::SpcState& spc = a.spc();
  ASSERT_EQ(spc.chart_points_size(), 24);
  EXPECT_EQ(spc.chart_points(0).period(), "2017-07");
  EXPECT_EQ(spc.chart_points(23).period(), "2019-06");
  const v1::SpcChartPoint& last = spc.chart_points(23);
  EXPECT_DOUBLE_EQ(last.value(), 10 + (29 * 7) % 5);
  EXPECT_DOUBLE_EQ(last.centre(), spc.mean());
  EXPECT_DOUBLE_EQ(last.lower(), spc.lower_process_limit());
  EXPECT_DOUBLE_EQ(last.upper(), spc.upper_process_limit());
  EXPECT_EQ(last.point_type(), spc.point_type());
  // Month 20 (2018-09) had no value: a gap, not a zero.
  const v1::SpcChartPoint& gap = spc.chart_points(20 - 6);
  EXPECT_EQ(gap.period(), "2018-09");
  EXPECT_TRUE(std::isnan(gap.value()));
  EXPECT_EQ(gap.point_type(), "missing");
}

TEST(ChartPointsTest, AttributeChartCarriesPerPointLimitsAndGaps) {
  const v1::Report report = Evaluate(10);
  const v1::Assessment a = Find(report, "P1", "p");
  const v1::SpcState& spc = a.spc();
  ASSERT_EQ(spc.chart_points_size(), 10);
  EXPECT_EQ(spc.chart_points(9).period(), "2019-06");
  EXPECT_DOUBLE_EQ(spc.chart_points(9).value(), 30);  // Percent.
  EXPECT_EQ(spc.chart_points(9).point_type(), "special_cause_concern");
  EXPECT_DOUBLE_EQ(spc.chart_points(9).upper(), spc.upper_process_limit());
  const v1::SpcChartPoint& gap = spc.chart_points(5);  // 2019-02: no row.
  EXPECT_EQ(gap.period(), "2019-02");
  EXPECT_TRUE(std::isnan(gap.value()));
  EXPECT_EQ(gap.point_type(), "missing");
  EXPECT_NEAR(spc.chart_points(0).value(), 10.0 + (20 % 3) / 10.0, 1e-12);
}

TEST(ChartPointsTest, NoPointsUnlessAskedAndTheRatingsDoNotChange) {
  const v1::Report plain = Evaluate(0);
  const v1::Report charted = Evaluate(36);
  ASSERT_EQ(plain.assessments_size(), charted.assessments_size());
  for (int i = 0; i < plain.assessments_size(); ++i) {
    EXPECT_EQ(plain.assessments(i).spc().chart_points_size(), 0);
    v1::Assessment without = charted.assessments(i);
    // Fewer periods than asked: the series' 30 (the p-chart's too).
    EXPECT_EQ(without.spc().chart_points_size(), 30);
    without.mutable_spc()->clear_chart_points();
    EXPECT_EQ(without.SerializeAsString(),
              plain.assessments(i).SerializeAsString());
  }
}

TEST(ChartPointsTest, ChartPeriodsOutOfRangeIsInvalidArgument) {
  auto engine = Engine::Create(PackWith(kPack));
  ASSERT_TRUE(engine.ok());
  for (int bad : {-1, EvaluateOptions::kMaxChartPeriods + 1}) {
    EvaluateOptions options;
    options.chart_periods = bad;
    auto report = (*engine)->Evaluate(Store(), "2019-06", options);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(report.status().message().find("chart_periods"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace vigil
