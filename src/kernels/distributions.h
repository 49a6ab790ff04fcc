// Probability functions the funnel kernel needs, to about 1e-14 relative:
// the normal quantile, the regularised incomplete gamma and beta functions
// and their use as Poisson and binomial tails. Private to the kernels.
#ifndef VIGIL_SRC_KERNELS_DISTRIBUTIONS_H_
#define VIGIL_SRC_KERNELS_DISTRIBUTIONS_H_

namespace vigil {
namespace distributions {

// Standard normal CDF.
double NormalCdf(double x);

// x with NormalCdf(x) = p, for p in (0, 1); -inf / +inf at 0 / 1; NaN
// outside [0, 1].
double NormalQuantile(double p);

// Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a), and
// its complement Q = 1 - P, for a > 0, x >= 0.
double GammaP(double a, double x);
double GammaQ(double a, double x);

// x >= 0 with GammaP(a, x) = p (the Gamma(shape a, scale 1) quantile), for
// a > 0 and p in [0, 1). qchisq(p, 2a) / 2 in R.
double GammaQuantile(double a, double p);

// Regularised incomplete beta I_x(a, b), for a, b > 0 and x in [0, 1].
double BetaRegularized(double a, double b, double x);

// P(X <= r) for X ~ Binomial(n, p): I_{1-p}(n - r, r + 1). n may be real
// (> 0): then it is that continuous extension. 0 for r < 0; 1 for r >= n.
double BinomialCdf(double r, double n, double p);

}  // namespace distributions
}  // namespace vigil

#endif  // VIGIL_SRC_KERNELS_DISTRIBUTIONS_H_
