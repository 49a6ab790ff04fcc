// The attribute-chart kernel against values worked from the formulas
// (../shared/reference/domain.md section 4, qicharts2 0.8.1's definitions),
// the Anhøj runs analysis against its published limits, and the degenerate
// inputs. The real-data comparison with qicharts2 is tests/attribute_spc/.
#include "vigil/attribute_spc.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace vigil {
namespace spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ChartResult {
  std::vector<AttributePoint> points;
  AttributeSummary summary;
  absl::Status status;
};

ChartResult Analyse(Chart chart, const std::vector<double>& x,
                    const std::vector<double>& n = {},
                    AttributeOptions options = AttributeOptions(),
                    const std::vector<uint8_t>& rebase = {},
                    const std::vector<double>& targets = {}) {
  options.chart = chart;
  ChartResult r;
  r.points.resize(x.size());
  AttributeWorkspace ws;
  r.status = AnalyzeAttribute(x, n, rebase, targets, options, &ws,
                              absl::MakeSpan(r.points), &r.summary);
  return r;
}

TEST(AttributeSpc, PChartPoolsTheProportionAndClampsLimitsToZeroOne) {
  ChartResult r = Analyse(Chart::kP, {1, 2, 3}, {10, 20, 30});
  ASSERT_TRUE(r.status.ok()) << r.status;
  const double p = 6.0 / 60;
  for (int i = 0; i < 3; ++i) {
    const double n = 10.0 * (i + 1);
    const double s = std::sqrt(p * (1 - p) / n);
    EXPECT_DOUBLE_EQ(r.points[i].centre, p);
    EXPECT_DOUBLE_EQ(r.points[i].upper, p + 3 * s) << i;
    EXPECT_DOUBLE_EQ(r.points[i].upper_2sigma, p + 2 * s) << i;
    EXPECT_DOUBLE_EQ(r.points[i].lower, std::max(0.0, p - 3 * s)) << i;
    EXPECT_DOUBLE_EQ(r.points[i].lower_2sigma, std::max(0.0, p - 2 * s)) << i;
    EXPECT_DOUBLE_EQ(r.points[i].value, (i + 1) / n);
  }
  EXPECT_EQ(r.points[0].lower, 0);  // 0.1 - 3 * 0.0949 < 0.
  // An upper limit above 1 is 1: p = 0.9 at n = 2.
  ChartResult high = Analyse(Chart::kP, {2, 16}, {2, 18});
  ASSERT_TRUE(high.status.ok());
  EXPECT_EQ(high.points[0].upper, 1);
  EXPECT_EQ(high.summary.status, ChartStatus::kOk);
}

TEST(AttributeSpc, LaneyPPrimeScalesSigmaByTheZScoresMovingRange) {
  ChartResult r =
      Analyse(Chart::kPPrime, {10, 30, 20, 40}, {100, 100, 100, 100});
  ASSERT_TRUE(r.status.ok()) << r.status;
  const double p = 0.25, s = std::sqrt(p * (1 - p) / 100);
  const double z[] = {(0.1 - p) / s, (0.3 - p) / s, (0.2 - p) / s,
                      (0.4 - p) / s};
  const double sigma_z = (std::fabs(z[1] - z[0]) + std::fabs(z[2] - z[1]) +
                          std::fabs(z[3] - z[2])) /
                         3 / 1.128;
  EXPECT_DOUBLE_EQ(r.points[0].upper, p + 3 * s * sigma_z);
  EXPECT_DOUBLE_EQ(r.points[0].upper_2sigma, p + 2 * s * sigma_z);
  EXPECT_EQ(r.points[0].lower, 0);  // 0.25 - 0.443 < 0.
}

TEST(AttributeSpc, ScreeningDropsMovingRangesAboveTheLimit) {
  // z moving ranges of a u′ chart: one huge jump is screened out when asked.
  std::vector<double> x = {10, 11, 10, 12, 11, 10, 60, 11, 10, 12, 11, 10};
  std::vector<double> n(x.size(), 100);
  AttributeOptions screened;
  screened.screen_moving_ranges = true;
  ChartResult plain = Analyse(Chart::kUPrime, x, n);
  ChartResult screen = Analyse(Chart::kUPrime, x, n, screened);
  ASSERT_TRUE(plain.status.ok() && screen.status.ok());
  EXPECT_LT(screen.points[0].upper, plain.points[0].upper);
  // By hand: u = sum/1200; z_i = (y_i - u)/sqrt(u/100); moving ranges
  // >= 3.267 * their mean are dropped (the two around 60).
  double total = 0;
  for (double v : x) total += v;
  const double u = total / 1200, s = std::sqrt(u / 100);
  std::vector<double> mr;
  for (size_t i = 1; i < x.size(); ++i) {
    mr.push_back(std::fabs((x[i] - x[i - 1]) / 100 / s));
  }
  double mean = 0;
  for (double v : mr) mean += v;
  mean /= mr.size();
  double kept = 0;
  int count = 0;
  for (double v : mr) {
    if (v < 3.267 * mean) {
      kept += v;
      ++count;
    }
  }
  EXPECT_EQ(count, 9);
  EXPECT_DOUBLE_EQ(screen.points[0].upper, u + 3 * s * (kept / count / 1.128));
  EXPECT_DOUBLE_EQ(plain.points[0].upper, u + 3 * s * (mean / 1.128));
}

TEST(AttributeSpc, UChartRateWithMultiplier) {
  AttributeOptions per100;
  per100.multiplier = 100;
  ChartResult r = Analyse(Chart::kU, {2, 4}, {10, 30}, per100);
  ASSERT_TRUE(r.status.ok());
  const double u = 6.0 / 40;
  EXPECT_DOUBLE_EQ(r.points[0].centre, 100 * u);
  EXPECT_DOUBLE_EQ(r.points[0].upper, 100 * (u + 3 * std::sqrt(u / 10)));
  EXPECT_DOUBLE_EQ(r.points[1].upper, 100 * (u + 3 * std::sqrt(u / 30)));
  EXPECT_DOUBLE_EQ(r.points[1].value, 100 * 4.0 / 30);
  EXPECT_EQ(r.points[0].lower, 0);
}

TEST(AttributeSpc, CChartFromTheMeanCount) {
  ChartResult r = Analyse(Chart::kC, {2, 4, 6, 0, 16});
  ASSERT_TRUE(r.status.ok());
  const double c = 28.0 / 5;
  EXPECT_DOUBLE_EQ(r.points[0].centre, c);
  EXPECT_DOUBLE_EQ(r.points[0].upper, c + 3 * std::sqrt(c));
  EXPECT_DOUBLE_EQ(r.points[0].upper_2sigma, c + 2 * std::sqrt(c));
  EXPECT_EQ(r.points[0].lower, 0);
  EXPECT_DOUBLE_EQ(r.points[0].lower_2sigma, c - 2 * std::sqrt(c));
  EXPECT_TRUE(r.points[4].sigma_signal);  // 16 > 12.7.
  EXPECT_EQ(r.points[4].special_cause, SpecialCause::kAboveUcl);
}

TEST(AttributeSpc, GChartCentreIsTheMedianLimitsComeFromTheMean) {
  ChartResult r = Analyse(Chart::kG, {0, 1, 5, 10});
  ASSERT_TRUE(r.status.ok());
  const double m = 4, s = std::sqrt(m * (m + 1));
  EXPECT_DOUBLE_EQ(r.points[0].centre, 3);  // Median of 0, 1, 5, 10.
  EXPECT_DOUBLE_EQ(r.points[0].upper, m + 3 * s);
  EXPECT_DOUBLE_EQ(r.points[0].upper_2sigma, m + 2 * s);
  EXPECT_EQ(r.points[0].lower, 0);
}

TEST(AttributeSpc, TChartTransformsAndBackTransforms) {
  const std::vector<double> y = {10, 30, 20, 45, 25};
  ChartResult r = Analyse(Chart::kT, y);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<double> t;
  for (double v : y) t.push_back(std::pow(v, 1 / 3.6));
  double mean = 0, mr = 0;
  for (double v : t) mean += v;
  mean /= t.size();
  for (size_t i = 1; i < t.size(); ++i) mr += std::fabs(t[i] - t[i - 1]);
  const double s = mr / (t.size() - 1) / 1.128;
  EXPECT_NEAR(r.points[0].centre, std::pow(mean, 3.6), 1e-12);
  EXPECT_NEAR(r.points[0].upper, std::pow(mean + 3 * s, 3.6), 1e-12);
  EXPECT_NEAR(r.points[0].upper_2sigma, std::pow(mean + 2 * s, 3.6), 1e-12);
  const double lower = mean - 3 * s;
  EXPECT_NEAR(r.points[0].lower, lower > 0 ? std::pow(lower, 3.6) : 0, 1e-12);
  EXPECT_EQ(r.points[2].value, 20);
  EXPECT_EQ(Analyse(Chart::kT, {1, 0, 2}).status.code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AttributeSpc, CrossingsMinimumIsTheBinomialFivePercentQuantile) {
  // qbinom(0.05, n - 1, 0.5) for n useful points (Anhøj's table).
  EXPECT_EQ(CrossingsMinimum(0), 0);
  EXPECT_EQ(CrossingsMinimum(9), 2);
  EXPECT_EQ(CrossingsMinimum(11), 3);
  EXPECT_EQ(CrossingsMinimum(19), 6);
  EXPECT_EQ(CrossingsMinimum(35), 13);
  EXPECT_EQ(CrossingsMinimum(99), 41);
  EXPECT_EQ(CrossingsMinimum(999), 474);
  EXPECT_EQ(CrossingsMinimum(4999), 2441);
  // Either side of the precomputed table (1,024), and long series
  // (qbinom in R; SciPy's binom.ppf agrees).
  EXPECT_EQ(CrossingsMinimum(1023), 485);
  EXPECT_EQ(CrossingsMinimum(1024), 486);
  EXPECT_EQ(CrossingsMinimum(1025), 486);
  EXPECT_EQ(CrossingsMinimum(2000), 963);
  EXPECT_EQ(CrossingsMinimum(10000), 4918);
  EXPECT_EQ(CrossingsMinimum(99999), 49739);
  EXPECT_EQ(CrossingsMinimum(1000000), 499178);
}

TEST(AttributeSpc, RunsAnalysisSkipsPointsOnTheCentreLine) {
  // c-chart with mean 5: the two 5s are on the line and not useful; eight
  // useful points above, then six below.
  const std::vector<double> y = {6, 7, 5, 6, 8, 7, 6, 9,
                                 7, 2, 3, 2, 1, 5, 2, 4};
  AttributeOptions anhoej;
  anhoej.rules = SignalRules::kAnhoej;
  ChartResult r = Analyse(Chart::kC, y, {}, anhoej);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.summary.runs.size(), 1u);
  const RunsAnalysis& runs = r.summary.runs[0];
  EXPECT_EQ(runs.useful, 14);
  EXPECT_EQ(runs.longest_run, 8);
  EXPECT_EQ(runs.longest_run_max, 7);  // round(log2(14)) + 3.
  EXPECT_EQ(runs.crossings, 1);
  EXPECT_EQ(runs.crossings_min, 4);  // qbinom(0.05, 13, 0.5).
  EXPECT_TRUE(runs.signal);
  EXPECT_EQ(r.points[0].special_cause, SpecialCause::kLongRunAbove);
  EXPECT_EQ(r.points[2].special_cause, SpecialCause::kCommonCause);  // On CL.
  EXPECT_EQ(r.points[8].special_cause, SpecialCause::kLongRunAbove);
  EXPECT_EQ(r.points[9].special_cause, SpecialCause::kCommonCause);  // Run 6.
  EXPECT_FALSE(r.points[0].sigma_signal);
}

TEST(AttributeSpc, MakingDataCountRulesRunOnTheAttributeLimits) {
  // Seven points above the mean of a c-chart: a shift; the last point is
  // special cause of concern when lower is better.
  std::vector<double> y = {2, 1, 2, 3, 1, 2, 6, 5, 6, 5, 6, 5, 6};
  AttributeOptions mdc;
  mdc.direction = ImprovementDirection::kDecrease;
  ChartResult r =
      Analyse(Chart::kC, y, {}, mdc, {}, std::vector<double>(13, 1.0));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.points[12].special_cause, SpecialCause::kShiftAbove);
  EXPECT_EQ(r.points[12].point_type, PointType::kConcern);
  EXPECT_EQ(r.summary.variation, VariationIcon::kConcernHigh);
  // Target 1 lies below the lower limit (0 clamps it: 1 > 0), so it is
  // inside the limits: hit and miss.
  EXPECT_EQ(r.summary.assurance, Assurance::kInconsistent);
}

TEST(AttributeSpc, MissingAndZeroDenominatorsAreGapsThatBreakMovingRanges) {
  // Point 2 has no denominator: its value and limits are NaN, it is left
  // out of p-bar, and the moving ranges 1-2 and 2-3 are not taken.
  std::vector<double> x = {10, 30, 99, 20, 40};
  std::vector<double> n = {100, 100, kNaN, 100, 100};
  ChartResult r = Analyse(Chart::kPPrime, x, n);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.points[2].status, PointStatus::kMissing);
  EXPECT_TRUE(std::isnan(r.points[2].value));
  EXPECT_TRUE(std::isnan(r.points[2].upper));
  EXPECT_EQ(r.points[2].point_type, PointType::kMissing);
  EXPECT_EQ(r.summary.missing_points, 1);
  const double p = 0.25, s = std::sqrt(p * (1 - p) / 100);
  const double mr = (std::fabs(0.3 - 0.1) + std::fabs(0.4 - 0.2)) / 2 / s;
  EXPECT_DOUBLE_EQ(r.points[0].upper, p + 3 * s * mr / 1.128);
  n[2] = 0;
  ChartResult zero = Analyse(Chart::kPPrime, x, n);
  ASSERT_TRUE(zero.status.ok());
  EXPECT_EQ(zero.points[2].status, PointStatus::kZeroDenominator);
  EXPECT_EQ(zero.summary.zero_denominators, 1);
  EXPECT_DOUBLE_EQ(zero.points[0].upper, r.points[0].upper);
}

TEST(AttributeSpc, BadInputIsAnErrorNamingTheIndex) {
  auto code = [](const ChartResult& r) { return r.status.code(); };
  const auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(Analyse(Chart::kP, {1, -1}, {2, 2})), kBad);
  EXPECT_EQ(code(Analyse(Chart::kU, {1, 1}, {2, -2})), kBad);
  ChartResult above = Analyse(Chart::kP, {1, 3}, {2, 2});
  EXPECT_EQ(code(above), kBad);
  EXPECT_NE(above.status.message().find("numerators[1]"), std::string::npos)
      << above.status;
  EXPECT_EQ(code(Analyse(Chart::kC, {1, INFINITY})), kBad);
  EXPECT_EQ(code(Analyse(Chart::kP, {1, 1}, {2})), kBad);  // Lengths.
  EXPECT_EQ(code(Analyse(Chart::kXmR, {1, 1})), kBad);
  AttributeOptions zero;
  zero.multiplier = 0;
  EXPECT_EQ(code(Analyse(Chart::kC, {1, 1}, {}, zero)), kBad);
}

TEST(AttributeSpc, DegenerateSeriesGetAStatus) {
  EXPECT_EQ(Analyse(Chart::kC, {}).summary.status, ChartStatus::kNoPoints);
  EXPECT_EQ(Analyse(Chart::kC, {kNaN, kNaN}).summary.status,
            ChartStatus::kNoPoints);
  ChartResult one = Analyse(Chart::kPPrime, {3}, {10});
  ASSERT_TRUE(one.status.ok());
  EXPECT_EQ(one.summary.status, ChartStatus::kSinglePoint);
  EXPECT_TRUE(std::isnan(one.points[0].upper));  // No moving range.
  ChartResult zeros = Analyse(Chart::kP, {0, 0, 0}, {10, 20, 30});
  EXPECT_EQ(zeros.summary.status, ChartStatus::kAllZero);
  EXPECT_EQ(zeros.points[0].upper, 0);
  EXPECT_EQ(zeros.summary.runs[0].useful, 0);
  EXPECT_FALSE(zeros.summary.runs[0].signal);
  AttributeOptions screened;
  screened.screen_moving_ranges = true;
  // Every moving range equal: none is below 3.267 x the mean? All are, so
  // the limits stand; a constant series has moving ranges of 0, none < 0.
  ChartResult flat = Analyse(Chart::kT, {5, 5, 5, 5}, {}, screened);
  ASSERT_TRUE(flat.status.ok());
  EXPECT_EQ(flat.summary.status, ChartStatus::kNoLimits);
}

TEST(AttributeSpc, RebaseStartsAGroupWithItsOwnCentreAndRuns) {
  std::vector<double> y = {1, 2, 1, 2, 8, 9, 8, 9};
  std::vector<uint8_t> rebase = {0, 0, 0, 0, 1, 0, 0, 0};
  ChartResult r = Analyse(Chart::kC, y, {}, AttributeOptions(), rebase);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.groups, 2);
  EXPECT_DOUBLE_EQ(r.points[0].centre, 1.5);
  EXPECT_DOUBLE_EQ(r.points[7].centre, 8.5);
  EXPECT_EQ(r.points[5].group, 1);
  EXPECT_EQ(r.summary.runs.size(), 2u);
}

}  // namespace
}  // namespace spc
}  // namespace vigil
