// Funnel limits at one denominator: exact (binomial, Poisson) and on the
// variance-stabilising scales, overdispersion-adjusted or not; the grid and
// the curve for drawing; the names.
#include <algorithm>
#include <cmath>
#include <limits>

#include "src/kernels/distributions.h"
#include "src/kernels/funnel_scale.h"
#include "vigil/funnel.h"

namespace vigil {
namespace funnel {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

namespace internal {
namespace {

constexpr double kHalfPi = 1.5707963267948966;

// Above this many trials an exact binomial CDF costs ~sqrt(n) continued-
// fraction terms (seconds per limit near kMaxNumber, and wrong past the
// iteration cap: found by tests/fuzz), and the Cornish-Fisher quantile is
// within one count of Spiegelhalter's interpolated limit (within 0.001 of
// a count once n p0 (1 - p0) exceeds 10^4): 1e-7 of the proportion at most.
constexpr double kCornishFisherTrials = 1e7;

// Spiegelhalter's (2005) interpolated binomial limit: r the smallest count
// with F(r) >= p, then (r - alpha) / n with alpha = (F(r) - p) /
// (F(r) - F(r - 1)); clamped to [0, 1] (alpha > 0 at r = 0 goes below 0).
double InterpolatedBinomialLimit(double n, double p0, double p) {
  if (p0 <= 0.0) return 0.0;
  if (p0 >= 1.0) return 1.0;
  if (n > kCornishFisherTrials) {
    // The quantile of the count by Cornish-Fisher (normal plus skewness),
    // less the continuity correction that the interpolation between
    // integer counts amounts to.
    const double z = distributions::NormalQuantile(p);
    const double sd = std::sqrt(n * p0 * (1.0 - p0));
    const double count =
        n * p0 + z * sd + (1.0 - 2.0 * p0) * (z * z - 1.0) / 6.0;
    return std::min(1.0, std::max(0.0, (count - 0.5) / n));
  }
  using distributions::BinomialCdf;
  // The smallest r with F(r) >= p lies in (low, high]: F(-1) = 0 < p and
  // F(ceil(n)) = 1 >= p. Gallop out from the normal approximation to
  // bracket it, then bisect: O(log n) CDF evaluations at any n.
  const double top = std::ceil(n);
  const double sd = std::sqrt(n * p0 * (1.0 - p0));
  double guess = std::floor(n * p0 + distributions::NormalQuantile(p) * sd);
  guess = std::min(std::max(guess, 0.0), top);
  double low = -1.0, high = top;
  if (BinomialCdf(guess, n, p0) >= p) {
    high = guess;
    for (double step = 1.0; high > 0.0; step *= 2.0) {
      const double next = std::max(high - step, 0.0);
      if (BinomialCdf(next, n, p0) < p) {
        low = next;
        break;
      }
      high = next;
    }
  } else {
    low = guess;
    for (double step = 1.0; low + step < top; step *= 2.0) {
      if (BinomialCdf(low + step, n, p0) >= p) {
        high = low + step;
        break;
      }
      low += step;
    }
  }
  while (high - low > 1.0) {
    const double middle = std::floor((low + high) / 2.0);
    (BinomialCdf(middle, n, p0) >= p ? high : low) = middle;
  }
  const double r = high;
  const double f = BinomialCdf(r, n, p0);
  const double below = BinomialCdf(r - 1.0, n, p0);
  const double alpha = (f - p) / (f - below);
  return std::min(1.0, std::max(0.0, (r - alpha) / n));
}

void ExactLimits(const Funnel& funnel, double denominator, double coverage,
                 double* lower, double* upper) {
  const double tail = (1.0 - coverage) / 2.0;
  if (funnel.type == DataType::kProportion) {
    const double p0 = Base(funnel);
    *lower =
        funnel.multiplier * InterpolatedBinomialLimit(denominator, p0, tail);
    *upper = funnel.multiplier *
             InterpolatedBinomialLimit(denominator, p0, 1.0 - tail);
    return;
  }
  // Poisson via chi-square (Garwood), as FunnelPlotR for ratios: the
  // expected count mu, lower qgamma(tail, mu) / mu and upper
  // qgamma(1 - tail, mu + 1) / mu, times the target.
  const double mu = Base(funnel) * denominator;
  *lower = funnel.target * distributions::GammaQuantile(mu, tail) / mu;
  *upper =
      funnel.target * distributions::GammaQuantile(mu + 1.0, 1.0 - tail) / mu;
}

}  // namespace

double Base(const Funnel& funnel) { return funnel.target / funnel.multiplier; }

double ScaleTarget(const Funnel& funnel) {
  switch (funnel.scale) {
    case Scale::kArcsine:
      return std::asin(std::sqrt(Base(funnel)));
    case Scale::kSqrt:
      return 1.0;
    default:
      return 0.0;
  }
}

double ScaleError(const Funnel& funnel, double denominator) {
  switch (funnel.scale) {
    case Scale::kArcsine:
      return 0.5 / std::sqrt(denominator);
    case Scale::kSqrt:
      return 0.5 / std::sqrt(Base(funnel) * denominator);
    default:
      return 1.0 / std::sqrt(Base(funnel) * denominator);
  }
}

double ScaleValue(const Funnel& funnel, double numerator, double denominator) {
  switch (funnel.scale) {
    case Scale::kArcsine:
      return std::asin(std::sqrt(numerator / denominator));
    case Scale::kSqrt:
      return std::sqrt(numerator / (Base(funnel) * denominator));
    default:
      return std::log((numerator > 0.0 ? numerator : 0.5) /
                      (Base(funnel) * denominator));
  }
}

void Limits(const Funnel& funnel, double denominator, double z, double coverage,
            double* lower, double* upper) {
  if (!funnel.adjusted && funnel.limits == LimitMethod::kExact) {
    ExactLimits(funnel, denominator, coverage, lower, upper);
    return;
  }
  const double s = ScaleError(funnel, denominator);
  double sd = s;
  if (funnel.adjusted) {
    sd = funnel.overdispersion == Overdispersion::kMultiplicative
             ? std::sqrt(funnel.phi) * s
             : std::sqrt(s * s + funnel.tau2);
  }
  const double half_width = z * sd;
  switch (funnel.scale) {
    case Scale::kArcsine: {
      // Clamp the angle, not the proportion: sin^2 of an angle past 0 or
      // pi/2 comes back up (FunnelPlotR's wrap-round at small n).
      const double centre = ScaleTarget(funnel);
      const double low = std::max(0.0, centre - half_width);
      const double high = std::min(kHalfPi, centre + half_width);
      *lower = funnel.multiplier * std::sin(low) * std::sin(low);
      *upper = funnel.multiplier * std::sin(high) * std::sin(high);
      return;
    }
    case Scale::kSqrt: {
      const double low = std::max(0.0, 1.0 - half_width);
      *lower = funnel.target * low * low;
      *upper = funnel.target * (1.0 + half_width) * (1.0 + half_width);
      return;
    }
    default:
      *lower = funnel.target * std::exp(-half_width);
      *upper = funnel.target * std::exp(half_width);
  }
}

}  // namespace internal

void LimitsAt(const Funnel& funnel, double denominator, int c, double* lower,
              double* upper) {
  *lower = kNaN;
  *upper = kNaN;
  if (!(denominator > 0.0) || std::isinf(denominator) || c < 0 ||
      c >= static_cast<int>(funnel.z.size()) ||
      c >= static_cast<int>(funnel.coverages.size())) {
    return;
  }
  internal::Limits(funnel, denominator, funnel.z[c], funnel.coverages[c], lower,
                   upper);
}

std::vector<double> DenominatorGrid(double lowest, double highest, int points) {
  std::vector<double> grid;
  if (points < 2 || !(lowest > 0.0) || !(highest >= lowest) ||
      std::isinf(highest)) {
    return grid;
  }
  grid.resize(points);
  const double step = (highest - lowest) / (points - 1);
  for (int i = 0; i < points; ++i) grid[i] = lowest + step * i;
  grid.back() = highest;
  return grid;
}

absl::Status Curve(const Funnel& funnel, absl::Span<const double> denominators,
                   absl::Span<double> lower, absl::Span<double> upper) {
  const size_t coverages = funnel.coverages.size();
  const size_t needed = denominators.size() * coverages;
  if (lower.size() != needed || upper.size() != needed) {
    return absl::InvalidArgumentError(
        "Curve: lower and upper need denominators x coverages elements");
  }
  for (size_t i = 0; i < denominators.size(); ++i) {
    for (size_t c = 0; c < coverages; ++c) {
      LimitsAt(funnel, denominators[i], static_cast<int>(c),
               &lower[i * coverages + c], &upper[i * coverages + c]);
    }
  }
  return absl::OkStatus();
}

const char* DataTypeName(DataType type) {
  switch (type) {
    case DataType::kProportion:
      return "proportion";
    case DataType::kRatio:
      return "ratio";
    case DataType::kRate:
      return "rate";
  }
  return "";
}

const char* OverdispersionName(Overdispersion method) {
  switch (method) {
    case Overdispersion::kNone:
      return "none";
    case Overdispersion::kMultiplicative:
      return "multiplicative";
    case Overdispersion::kAdditive:
      return "additive";
  }
  return "";
}

const char* ScaleName(Scale scale) {
  switch (scale) {
    case Scale::kDefault:
      return "default";
    case Scale::kArcsine:
      return "arcsine";
    case Scale::kLog:
      return "log";
    case Scale::kSqrt:
      return "sqrt";
  }
  return "";
}

const char* LimitMethodName(LimitMethod method) {
  switch (method) {
    case LimitMethod::kDefault:
      return "default";
    case LimitMethod::kApproximate:
      return "approximate";
    case LimitMethod::kExact:
      return "exact";
  }
  return "";
}

const char* FlagName(Flag flag) {
  switch (flag) {
    case Flag::kLow:
      return "low";
    case Flag::kHigh:
      return "high";
    case Flag::kNone:
      return "";
  }
  return "";
}

const char* GroupStatusName(GroupStatus status) {
  switch (status) {
    case GroupStatus::kUsed:
      return "used";
    case GroupStatus::kMissing:
      return "missing";
    case GroupStatus::kZeroDenominator:
      return "zero_denominator";
  }
  return "";
}

}  // namespace funnel
}  // namespace vigil
