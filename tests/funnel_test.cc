// The funnel kernel (include/vigil/funnel.h) against values worked from the
// formulas of shared/reference/domain.md section 5. Quantiles and tails were
// computed independently with SciPy 1.10 (stats.norm.ppf, stats.gamma.ppf,
// stats.binom.cdf), which agree with R's qnorm, qchisq and pbinom.
#include "vigil/funnel.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "src/kernels/distributions.h"

namespace vigil {
namespace funnel {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ95 = 1.959963984540054;    // qnorm(0.975)
constexpr double kZ998 = 3.0902323061678132;  // qnorm(0.999)

// Relative closeness, for numbers of any size.
#define EXPECT_REL(actual, expected, tolerance) \
  EXPECT_NEAR(actual, expected, (tolerance)*std::fabs(expected))

Result FitOk(const std::vector<double>& num, const std::vector<double>& den,
             const Options& options) {
  Result result;
  absl::Status status = Fit(num, den, options, &result);
  EXPECT_TRUE(status.ok()) << status;
  return result;
}

TEST(FunnelDistributions, NormalQuantileMatchesQnorm) {
  EXPECT_REL(distributions::NormalQuantile(0.975), kZ95, 1e-15);
  EXPECT_REL(distributions::NormalQuantile(0.999), kZ998, 1e-15);
  EXPECT_REL(distributions::NormalQuantile(0.025), -kZ95, 1e-15);
  EXPECT_NEAR(distributions::NormalQuantile(0.5), 0.0, 1e-15);
  EXPECT_TRUE(std::isnan(distributions::NormalQuantile(1.5)));
}

TEST(FunnelDistributions, GammaQuantileMatchesQchisqOverTwo) {
  EXPECT_REL(distributions::GammaQuantile(10, 0.025), 4.7953886961324335,
             1e-13);
  EXPECT_REL(distributions::GammaQuantile(11, 0.975), 18.390356042017778,
             1e-13);
  EXPECT_REL(distributions::GammaQuantile(0.3, 0.5), 0.073131135866951982,
             1e-12);
  EXPECT_REL(distributions::GammaQuantile(1234.5, 0.001), 1128.7665773184995,
             1e-12);
  EXPECT_REL(distributions::GammaQuantile(1235.5, 0.999), 1346.9764289579414,
             1e-12);
}

// Found by the kernels fuzzer (tests/fuzz/regressions/kernels/
// funnel_huge_exact_poisson): exact Poisson limits at a count near
// kMaxNumber took seconds each, and were wrong (the incomplete gamma series
// needs ~sqrt(a) terms and stopped at 10^6). Reference: SciPy's
// gammaincinv.
TEST(FunnelDistributions, GammaQuantileAtHugeShapesIsRight) {
  EXPECT_REL(distributions::GammaQuantile(1e12, 0.001), 999996909770.5437,
             1e-11);
  EXPECT_REL(distributions::GammaQuantile(1e12 + 1, 0.999), 1000003090236.156,
             1e-11);
  EXPECT_REL(distributions::GammaQuantile(1e15, 0.025), 999999938020497.8,
             1e-11);
  EXPECT_REL(distributions::GammaQuantile(2.5e7, 0.975), 25009800.767041244,
             1e-11);
}

// Found by the kernels fuzzer (tests/fuzz/regressions/kernels/
// funnel_huge_exact_binomial): exact binomial limits at a denominator near
// kMaxNumber took seconds each (every CDF a continued fraction of ~sqrt(n)
// terms, stopped at 10^6), so a funnel curve hung its caller for minutes.
// Above 10^7 trials the limit is Cornish-Fisher's (within a count).
TEST(Funnel, ExactBinomialLimitsAtHugeDenominatorsAreQuickAndRight) {
  Options options;
  options.limits = LimitMethod::kExact;
  const Result result = FitOk({38, 38}, {100, 100}, options);
  ASSERT_EQ(result.funnel.limits, LimitMethod::kExact);
  double lower, upper;
  // SciPy's binom, interpolated as Spiegelhalter's limit.
  LimitsAt(result.funnel, 2e7, 1, &lower, &upper);  // 99.8%
  EXPECT_NEAR(lower, 0.3796645915541823, 1e-10);
  EXPECT_NEAR(upper, 0.38033539264343424, 1e-10);
  // At 1.5e14 trials: the normal limits, to a few counts (before the fix
  // each took seconds and was wrong by 1e-8; a hang meets ctest's timeout).
  for (int i = 0; i < 200; ++i) {
    const double n = 1.5e14 + 1e12 * i;
    LimitsAt(result.funnel, n, 1, &lower, &upper);
    const double half = kZ998 * std::sqrt(0.38 * 0.62 / n);
    ASSERT_NEAR(lower, 0.38 - half, 1e-13) << n;
    ASSERT_NEAR(upper, 0.38 + half, 1e-13) << n;
  }
}

TEST(FunnelDistributions, BinomialCdfAndIncompleteBetaMatchReference) {
  EXPECT_REL(distributions::BinomialCdf(5, 20, 0.3), 0.41637082944748088,
             1e-13);
  EXPECT_REL(distributions::BetaRegularized(2.5, 3.5, 0.4), 0.48690419152611752,
             1e-13);
  EXPECT_EQ(distributions::BinomialCdf(-1, 20, 0.3), 0.0);
  EXPECT_EQ(distributions::BinomialCdf(20, 20, 0.3), 1.0);
}

TEST(Funnel, ProportionLimitsAreArcsineWithExactZ) {
  Options options;
  options.target = 0.3;
  Result r = FitOk({30}, {100}, options);
  const double t = std::asin(std::sqrt(0.3));
  const double sd = 1.0 / (2.0 * std::sqrt(100.0));
  EXPECT_REL(r.lower[0], std::pow(std::sin(t - kZ95 * sd), 2), 1e-14);
  EXPECT_REL(r.upper[0], std::pow(std::sin(t + kZ95 * sd), 2), 1e-14);
  EXPECT_REL(r.lower[1], std::pow(std::sin(t - kZ998 * sd), 2), 1e-14);
  EXPECT_REL(r.upper[1], std::pow(std::sin(t + kZ998 * sd), 2), 1e-14);
  EXPECT_DOUBLE_EQ(r.groups[0].value, 0.3);
  EXPECT_NEAR(r.groups[0].z, 0.0, 1e-12);
  EXPECT_EQ(r.funnel.scale, Scale::kArcsine);
  EXPECT_EQ(r.funnel.limits, LimitMethod::kApproximate);
}

// FunnelPlotR flags 0/2 low and 1/1 high at such targets because its
// sin^2 wraps round past 0 and pi/2; the angle is clamped here.
TEST(Funnel, SmallDenominatorsOneAndTwoStayInsideZeroOneAndAreNotFlagged) {
  Options options;
  options.target = 0.35;
  Result r = FitOk({0, 1, 1}, {2, 1, 2}, options);
  for (size_t i = 0; i < r.lower.size(); ++i) {
    EXPECT_GE(r.lower[i], 0.0);
    EXPECT_LE(r.upper[i], 1.0);
  }
  EXPECT_EQ(r.lower[0], 0.0);  // 0/2: lower 95% limit clamped at 0.
  EXPECT_EQ(r.flags[0], Flag::kNone);
  EXPECT_EQ(r.upper[2], 1.0);  // 1/1: upper 95% limit clamped at 1.
  EXPECT_EQ(r.flags[2], Flag::kNone);
  EXPECT_EQ(r.flags[3], Flag::kNone);
}

TEST(Funnel, PooledTargetIsSumOfNumeratorsOverSumOfDenominators) {
  Result r = FitOk({10, 30}, {100, 100}, Options());
  EXPECT_DOUBLE_EQ(r.funnel.target, 0.2);
  Options percent;
  percent.multiplier = 100;
  r = FitOk({10, 30}, {100, 100}, percent);
  EXPECT_DOUBLE_EQ(r.funnel.target, 20.0);
  EXPECT_DOUBLE_EQ(r.groups[1].value, 30.0);
  EXPECT_LE(r.upper[1], 100.0);
}

TEST(Funnel, ExactBinomialUsesSpiegelhalterInterpolation) {
  Options options;
  options.target = 0.3;
  options.limits = LimitMethod::kExact;
  Result r = FitOk({6}, {20}, options);
  EXPECT_REL(r.lower[0], 0.081176505980675912, 1e-12);
  EXPECT_REL(r.upper[0], 0.4872551465951469, 1e-12);
  EXPECT_REL(r.lower[1], 0.0014773166882814937, 1e-10);
  EXPECT_REL(r.upper[1], 0.61369967934796732, 1e-12);
}

// Found by stress-testing: the search for r once stepped by one count, so
// n = 1e12 at a tiny pooled rate ran for minutes. It brackets and bisects.
TEST(Funnel, ExactBinomialAtAHugeDenominatorIsFoundByBisection) {
  Options options;
  options.limits = LimitMethod::kExact;
  Result r = FitOk({1e6, 0}, {1e12, 1}, options);
  // Binomial(1e12, ~1e-6) is close to Poisson(1e6): limits about
  // 1e-6 * (1 -/+ 1.96e-3).
  const double p0 = r.funnel.target;
  EXPECT_NEAR(r.lower[0], p0 * (1 - kZ95 / 1000), p0 * 1e-5);
  EXPECT_NEAR(r.upper[0], p0 * (1 + kZ95 / 1000), p0 * 1e-5);
}

TEST(Funnel, NumbersAboveTheLargestCountAreRejected) {
  Result r;
  absl::Status s = Fit(std::vector<double>{1e308}, std::vector<double>{1e308},
                       Options(), &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("numerators[0]: 1e+308 is above 1e+15"),
            std::string::npos)
      << s;
}

TEST(Funnel, ExactBinomialLowerLimitAtZeroCountIsClampedToZero) {
  Options options;
  options.target = 0.01;
  options.limits = LimitMethod::kExact;
  Result r = FitOk({0}, {10}, options);
  EXPECT_EQ(r.lower[0], 0.0);
  EXPECT_EQ(r.flags[0], Flag::kNone);
}

TEST(Funnel, RatioUnadjustedLimitsAreExactPoissonAroundOne) {
  Result r = FitOk({10}, {10}, [] {
    Options o;
    o.type = DataType::kRatio;
    return o;
  }());
  EXPECT_DOUBLE_EQ(r.funnel.target, 1.0);
  EXPECT_EQ(r.funnel.limits, LimitMethod::kExact);
  EXPECT_REL(r.lower[0], 4.7953886961324335 / 10, 1e-13);
  EXPECT_REL(r.upper[0], 18.390356042017778 / 10, 1e-13);
}

TEST(Funnel, ZeroObservedOnLogScaleHasFiniteZAndIsFlaggedLow) {
  Options options;
  options.type = DataType::kRatio;
  Result r = FitOk({0, 5}, {5, 5}, options);
  EXPECT_TRUE(std::isfinite(r.groups[0].z));
  EXPECT_REL(r.groups[0].z_unadjusted, std::sqrt(5.0) * std::log(0.5 / 5),
             1e-14);
  EXPECT_REL(r.lower[0], 1.6234863901184207 / 5, 1e-13);
  EXPECT_EQ(r.flags[0], Flag::kLow);
  EXPECT_TRUE(std::isfinite(r.funnel.phi));
}

TEST(Funnel, AdditiveAdjustmentMatchesDerSimonianLairdWorkedExample) {
  Options options;
  options.overdispersion = Overdispersion::kAdditive;
  const std::vector<double> num = {30, 45, 80, 20, 150, 60};
  const std::vector<double> den = {200, 180, 300, 150, 400, 250};
  Result r = FitOk(num, den, options);
  EXPECT_REL(r.funnel.target, 0.26013513513513514, 1e-15);
  EXPECT_REL(r.funnel.phi, 6.333900867872436, 1e-12);
  EXPECT_REL(r.funnel.tau2, 0.0068487156066611363, 1e-12);
  EXPECT_TRUE(r.funnel.adjusted);
  EXPECT_EQ(r.funnel.phi_groups, 6);
  // Group 0 has n = 200: its own adjusted 95% limits.
  EXPECT_REL(r.lower[0], 0.12333461778800522, 1e-12);
  EXPECT_REL(r.upper[0], 0.42647701474125327, 1e-12);
  EXPECT_REL(r.groups[0].z, -1.5281813857585871, 1e-12);
  EXPECT_REL(r.groups[0].z_unadjusted, -3.8898062804198674, 1e-12);
  EXPECT_REL(r.groups[4].z, 1.432414849857482, 1e-12);
}

TEST(Funnel, MultiplicativeAdjustmentWidensBySqrtPhi) {
  Options options;
  options.overdispersion = Overdispersion::kMultiplicative;
  const std::vector<double> num = {30, 45, 80, 20, 150, 60};
  const std::vector<double> den = {200, 180, 300, 150, 400, 250};
  Result r = FitOk(num, den, options);
  EXPECT_TRUE(r.funnel.adjusted);
  EXPECT_EQ(r.funnel.tau2, 0.0);
  EXPECT_REL(r.lower[1], 0.066218206066399832, 1e-12);
  EXPECT_REL(r.upper[1], 0.52478426484102414, 1e-12);
  EXPECT_REL(r.groups[0].z, -3.8898062804198674 / std::sqrt(6.333900867872436),
             1e-12);
}

TEST(Funnel, PhiAtMostOneMeansNoAdjustmentAndSaysSo) {
  Options options;
  options.overdispersion = Overdispersion::kAdditive;
  // Counts close to the pooled 0.25: less spread than binomial.
  Result r = FitOk({25, 50, 75, 100}, {100, 200, 300, 400}, options);
  EXPECT_LE(r.funnel.phi, 1.0);
  EXPECT_FALSE(r.funnel.adjusted);
  EXPECT_EQ(r.funnel.tau2, 0.0);
  Result unadjusted = FitOk({25, 50, 75, 100}, {100, 200, 300, 400}, {});
  EXPECT_EQ(r.lower, unadjusted.lower);
  EXPECT_EQ(r.upper, unadjusted.upper);
}

TEST(Funnel, IdenticalGroupsHaveZeroZAndNoFlags) {
  Options options;
  options.overdispersion = Overdispersion::kAdditive;
  Result r = FitOk({10, 10, 10, 10}, {50, 50, 50, 50}, options);
  EXPECT_DOUBLE_EQ(r.funnel.target, 0.2);
  EXPECT_EQ(r.funnel.phi, 0.0);
  EXPECT_FALSE(r.funnel.adjusted);
  for (const GroupResult& g : r.groups) EXPECT_NEAR(g.z, 0.0, 1e-12);
  for (Flag f : r.flags) EXPECT_EQ(f, Flag::kNone);
}

TEST(Funnel, LogScaleTruncatesTenPercentEachTailByRank) {
  Options options;
  options.type = DataType::kRatio;
  options.overdispersion = Overdispersion::kAdditive;
  std::vector<double> observed, expected;
  for (int i = 0; i < 20; ++i) {
    observed.push_back(50 + 3 * i);
    expected.push_back(70);
  }
  Result r = FitOk(observed, expected, options);
  // floor(rank * 10 / 21) in 1..8 keeps ranks 3..18: 16 of 20.
  EXPECT_EQ(r.funnel.phi_groups, 16);
  EXPECT_EQ(r.funnel.scale, Scale::kLog);
}

TEST(Funnel, SqrtScaleLimitsAreSquaredBackToTheRatioScale) {
  Options options;
  options.type = DataType::kRatio;
  options.scale = Scale::kSqrt;
  options.overdispersion = Overdispersion::kAdditive;
  Result r = FitOk({5, 30, 12, 60, 20, 9}, {10, 20, 15, 40, 30, 12}, options);
  ASSERT_TRUE(r.funnel.adjusted);
  const double sd = std::sqrt(1.0 / (4 * 10.0) + r.funnel.tau2);
  EXPECT_REL(r.lower[0], std::pow(1 - kZ95 * sd, 2), 1e-13);
  EXPECT_REL(r.upper[0], std::pow(1 + kZ95 * sd, 2), 1e-13);
}

TEST(Funnel, RateIsPoissonOnExposureAroundThePooledRate) {
  Options options;
  options.type = DataType::kRate;
  options.multiplier = 100000;
  Result r = FitOk({4, 6}, {50000, 50000}, options);  // 10 per 100,000.
  EXPECT_DOUBLE_EQ(r.funnel.target, 10.0);
  EXPECT_DOUBLE_EQ(r.groups[1].value, 12.0);
  // Expected count at 50,000 bed-days: 5.
  EXPECT_REL(r.lower[0], 10.0 * 1.6234863901184207 / 5, 1e-13);
  EXPECT_REL(r.upper[0], 10.0 * 11.668332079322671 / 5, 1e-13);
}

TEST(Funnel, MissingAndZeroDenominatorsAreReportedNotDropped) {
  Result r = FitOk({1, kNaN, 3, 0}, {10, 10, 0, 20}, Options());
  ASSERT_EQ(r.groups.size(), 4u);
  EXPECT_EQ(r.groups[1].status, GroupStatus::kMissing);
  EXPECT_EQ(r.groups[2].status, GroupStatus::kZeroDenominator);
  EXPECT_EQ(r.funnel.groups, 2);
  EXPECT_TRUE(std::isnan(r.groups[2].value));
  EXPECT_TRUE(std::isnan(r.lower[2 * 2]));
  EXPECT_EQ(r.flags[2 * 2], Flag::kNone);
  EXPECT_DOUBLE_EQ(r.funnel.target, 1.0 / 30);
}

TEST(Funnel, BadInputIsAnErrorNamingTheGroupOrOption) {
  Result r;
  auto message = [&](std::vector<double> num, std::vector<double> den,
                     Options o) {
    absl::Status s = Fit(num, den, o, &r);
    EXPECT_FALSE(s.ok());
    return std::string(s.message());
  };
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NE(message({1, 2}, {3}, {}).find("differ in length"),
            std::string::npos);
  EXPECT_NE(message({1, -2}, {3, 3}, {}).find("numerators[1]"),
            std::string::npos);
  EXPECT_NE(message({1, 2}, {3, inf}, {}).find("denominators[1]: infinite"),
            std::string::npos);
  EXPECT_NE(message({4}, {3}, {}).find("above its denominator"),
            std::string::npos);
  Options o;
  o.coverages = {0.95, 1.0};
  EXPECT_NE(message({1}, {3}, o).find("coverages[1]"), std::string::npos);
  o.coverages = {0.95, 0.95};
  EXPECT_NE(message({1}, {3}, o).find("given twice"), std::string::npos);
  o = Options();
  o.trim = 0.5;
  EXPECT_NE(message({1}, {3}, o).find("trim"), std::string::npos);
  o = Options();
  o.scale = Scale::kLog;
  EXPECT_NE(message({1}, {3}, o).find("scale"), std::string::npos);
  o = Options();
  o.target = 1.5;
  EXPECT_NE(message({1}, {3}, o).find("target"), std::string::npos);
  EXPECT_EQ(
      Fit(std::vector<double>{kNaN}, std::vector<double>{0}, Options(), &r)
          .code(),
      absl::StatusCode::kFailedPrecondition);
  o = Options();
  o.type = DataType::kRate;
  EXPECT_NE(message({0, 0}, {5, 5}, o).find("no group has an event"),
            std::string::npos);
}

TEST(Funnel, CurveOverAGridIsMonotoneAndInsideZeroOne) {
  Options options;
  options.overdispersion = Overdispersion::kAdditive;
  Result r =
      FitOk({30, 45, 80, 20, 150, 60}, {200, 180, 300, 150, 400, 250}, options);
  std::vector<double> grid = DenominatorGrid(1, 1000, 1000);
  ASSERT_EQ(grid.size(), 1000u);
  EXPECT_EQ(grid.front(), 1.0);
  EXPECT_EQ(grid.back(), 1000.0);
  std::vector<double> lower(grid.size() * 2), upper(grid.size() * 2);
  ASSERT_TRUE(
      Curve(r.funnel, grid, absl::MakeSpan(lower), absl::MakeSpan(upper)).ok());
  for (size_t i = 1; i < grid.size(); ++i) {
    for (size_t c = 0; c < 2; ++c) {
      EXPECT_GE(lower[i * 2 + c], lower[(i - 1) * 2 + c]);
      EXPECT_LE(upper[i * 2 + c], upper[(i - 1) * 2 + c]);
      EXPECT_GE(lower[i * 2 + c], 0.0);
      EXPECT_LE(upper[i * 2 + c], 1.0);
    }
  }
  EXPECT_FALSE(Curve(r.funnel, grid, absl::MakeSpan(lower).subspan(1),
                     absl::MakeSpan(upper))
                   .ok());
  double lo, hi;
  LimitsAt(r.funnel, -1, 0, &lo, &hi);
  EXPECT_TRUE(std::isnan(lo) && std::isnan(hi));
}

}  // namespace
}  // namespace funnel
}  // namespace vigil
