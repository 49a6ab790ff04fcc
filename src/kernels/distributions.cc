#include "src/kernels/distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil {
namespace distributions {
namespace {

constexpr double kEpsilon = 1e-16;
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 1000000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kSqrtTwoPi = 2.5066282746310002;
// Shapes above which GammaQuantile is Wilson-Hilferty's approximation.
constexpr double kWilsonHilfertyShape = 1e7;

// log(x^a e^-x / Gamma(a)): the prefactor of both incomplete gamma forms.
double GammaLogPrefactor(double a, double x) {
  return a * std::log(x) - x - std::lgamma(a);
}

// P(a, x) by its series; converges fast for x < a + 1.
double GammaPSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
  }
  return sum * std::exp(GammaLogPrefactor(a, x));
}

// Q(a, x) by its continued fraction (modified Lentz); for x >= a + 1.
double GammaQFraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return std::exp(GammaLogPrefactor(a, x)) * h;
}

// The continued fraction of the incomplete beta (modified Lentz).
double BetaFraction(double a, double b, double x) {
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < kMaxIterations; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

}  // namespace

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double NormalQuantile(double p) {
  if (!(p >= 0.0 && p <= 1.0)) return kNaN;
  if (p == 0.0) return -kInfinity;
  if (p == 1.0) return kInfinity;
  // Work in the lower tail, q <= 0.5, where NormalCdf keeps its precision.
  const double q = p < 0.5 ? p : 1.0 - p;
  // Abramowitz & Stegun 26.2.23 (error < 4.5e-4) as the start...
  const double t = std::sqrt(-2.0 * std::log(q));
  double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  // ...then Halley steps on NormalCdf(x) = q (cubic convergence).
  for (int i = 0; i < 4; ++i) {
    const double error = NormalCdf(x) - q;
    const double u = error * kSqrtTwoPi * std::exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return p < 0.5 ? x : -x;
}

double GammaP(double a, double x) {
  if (!(a > 0.0) || !(x >= 0.0)) return kNaN;
  if (x == 0.0) return 0.0;
  if (std::isinf(x)) return 1.0;
  return x < a + 1.0 ? GammaPSeries(a, x) : 1.0 - GammaQFraction(a, x);
}

double GammaQ(double a, double x) {
  if (!(a > 0.0) || !(x >= 0.0)) return kNaN;
  if (x == 0.0) return 1.0;
  if (std::isinf(x)) return 0.0;
  return x < a + 1.0 ? 1.0 - GammaPSeries(a, x) : GammaQFraction(a, x);
}

double GammaQuantile(double a, double p) {
  if (!(a > 0.0) || !(p >= 0.0 && p < 1.0)) return kNaN;
  if (p == 0.0) return 0.0;
  // Start: Wilson-Hilferty for a > 1, else the small-shape forms.
  double x;
  if (a > 1.0) {
    const double z = NormalQuantile(p);
    const double w = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * std::sqrt(a));
    x = w > 0.0 ? a * w * w * w : 1e-3 * a;
  } else {
    const double t = 1.0 - a * (0.253 + a * 0.12);
    x = p < t ? std::pow(p / t, 1.0 / a)
              : 1.0 - std::log(1.0 - (p - t) / (1.0 - t));
  }
  // A huge shape (a Poisson limit at a count near funnel::kMaxNumber):
  // Wilson-Hilferty is within ~1e-11 (relative) of the quantile for
  // a > 1e7, while P(a, x) by its series would need ~sqrt(a) terms per step
  // (seconds, and wrong past kMaxIterations). Found by tests/fuzz.
  if (a > kWilsonHilfertyShape) return x;
  // Halley on P(a, x) = p, measuring the error in the smaller tail.
  const double log_gamma_a = std::lgamma(a);
  double last_step = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 100; ++i) {
    if (x <= 0.0) return 0.0;
    const double error = p < 0.5 ? GammaP(a, x) - p : (1.0 - p) - GammaQ(a, x);
    const double density = std::exp((a - 1.0) * std::log(x) - x - log_gamma_a);
    if (density == 0.0) break;
    const double u = error / density;
    const double step =
        u / (1.0 - 0.5 * std::min(1.0, u * ((a - 1.0) / x - 1.0)));
    const double next = x - step;
    x = next <= 0.0 ? 0.5 * x : next;
    // Converged, or steps no longer shrink: the error is at the rounding
    // level of GammaP itself.
    if (std::fabs(step) < 1e-15 * x || std::fabs(step) >= last_step) break;
    last_step = std::fabs(step);
  }
  return x;
}

double BetaRegularized(double a, double b, double x) {
  if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0)) return kNaN;
  if (x == 0.0) return 0.0;
  if (x == 1.0) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) -
                           std::lgamma(b) + a * std::log(x) +
                           b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * BetaFraction(a, b, x) / a;
  return 1.0 - front * BetaFraction(b, a, 1.0 - x) / b;
}

double BinomialCdf(double r, double n, double p) {
  if (r < 0.0) return 0.0;
  if (r >= n) return 1.0;
  if (p <= 0.0) return 1.0;
  if (p >= 1.0) return 0.0;
  return BetaRegularized(n - r, r + 1.0, 1.0 - p);
}

}  // namespace distributions
}  // namespace vigil
