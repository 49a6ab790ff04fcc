// Funnel plots for comparing providers (Spiegelhalter 2005), on plain arrays
// of doubles. No protobuf. The method, and where it differs from the R
// package FunnelPlotR 0.5.0, is in docs/funnel.md.
//
// Given k groups (providers) with a numerator and a denominator each, Fit:
//   1. values: multiplier * numerator / denominator;
//   2. the target: pooled (sum of numerators / sum of denominators) for
//      proportions and rates, 1 for indirectly standardised ratios
//      (observed / expected), or Options::target;
//   3. z-scores on a variance-stabilising scale: arcsine for proportions;
//      log ("SHMI" method) or square root ("CQC" method) for ratios and
//      rates;
//   4. overdispersion: the dispersion ratio phi from the z-scores, winsorised
//      (arcsine, square root) or truncated (log) by Options::trim in each
//      tail; then either none, multiplicative (limits widened by sqrt(phi))
//      or additive random effects (DerSimonian-Laird tau^2). When phi <= 1
//      there is no adjustment (Funnel::adjusted is false, tau2 is 0);
//   5. limits at each two-sided coverage (default 95% and 99.8%), at each
//      group's own denominator: exact (binomial with Spiegelhalter's
//      interpolation for proportions; Poisson via chi-square for ratios and
//      rates) or on the scale, transformed back; proportion limits never
//      leave [0, multiplier] (the arcsine angle is clamped to [0, pi/2]
//      before squaring, so n = 1 or 2 cannot wrap round);
//   6. a flag per group and coverage: low below the lower limit, high above
//      the upper limit, none otherwise (a value on a limit is inside).
//
// A group with a missing (NaN) numerator or denominator, or a zero
// denominator (whatever its numerator), takes no part and is reported with
// its GroupStatus; every other group is used. Rows are groups: aggregate
// duplicates first. On the log scale a zero count is taken as 0.5 for its
// z-score and phi (log(0) has none); its value stays 0.
//
// Example:
//   vigil::funnel::Options options;  // Proportions, 95% and 99.8%.
//   options.overdispersion = vigil::funnel::Overdispersion::kAdditive;
//   vigil::funnel::Result result;
//   absl::Status s = vigil::funnel::Fit(numerators, denominators, options,
//                                       &result);
//   // result.funnel.tau2, result.groups[i].z, result.lower[i * 2 + 1], ...
//
// Thread safety: Fit, LimitsAt and Curve are reentrant; a Funnel is
// immutable once fitted and may be shared between threads.
#ifndef VIGIL_FUNNEL_H_
#define VIGIL_FUNNEL_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace vigil {
namespace funnel {

// The enums below cross the C API as ints: their values are fixed and equal
// the VIGIL_FUNNEL_* constants of include/vigil/vigil.h (static_asserted
// there).

enum class DataType : uint8_t {
  kProportion = 0,  // numerator / denominator, 0 <= numerator <= denominator.
  kRatio = 1,       // Indirectly standardised: observed / expected.
  kRate = 2,        // Events / exposure (e.g. bed-days), times multiplier.
};

enum class Overdispersion : uint8_t {
  kNone = 0,
  kMultiplicative = 1,  // Variance times phi (Spiegelhalter 2005).
  kAdditive = 2,        // Random effects, tau^2 (DerSimonian-Laird; SHMI).
};

// The variance-stabilising scale of the z-scores, phi, tau^2 and the
// approximate limits.
enum class Scale : uint8_t {
  kDefault = 0,  // Arcsine for proportions, log for ratios and rates.
  kArcsine = 1,  // asin(sqrt(x / n)), s = 1 / (2 sqrt(n)). Proportions only.
  kLog = 2,      // log(O / E), s = 1 / sqrt(E); truncation ("SHMI").
  kSqrt = 3,     // sqrt(O / E), s = 1 / (2 sqrt(E)); winsorising ("CQC").
};

// How the limits are computed when they are not overdispersion-adjusted
// (adjusted limits are always on the scale).
enum class LimitMethod : uint8_t {
  // Approximate on the scale for proportions; exact for ratios and rates.
  kDefault = 0,
  kApproximate = 1,  // Normal on the scale, transformed back.
  kExact = 2,        // Binomial (interpolated) or Poisson (chi-square).
};

enum class Flag : int8_t { kLow = -1, kNone = 0, kHigh = 1 };

enum class GroupStatus : uint8_t {
  kUsed = 0,
  kMissing = 1,          // Numerator or denominator is NaN.
  kZeroDenominator = 2,  // Denominator (or, for rates, expected count) is 0.
};

inline constexpr int kMaxCoverages = 8;
// Numerators and denominators above this are rejected: no count is that
// large, and squares of weights beyond it overflow.
inline constexpr double kMaxNumber = 1e15;
inline constexpr double kDefaultTrim = 0.1;

struct Options {
  DataType type = DataType::kProportion;
  // Two-sided coverages, each in (0, 1) (0.95 = the 95% limits), distinct,
  // 1..kMaxCoverages of them. Outputs follow this order.
  std::vector<double> coverages = {0.95, 0.998};
  // The centre line in output units (times multiplier). NaN = the default
  // (pooled; 1 * multiplier for ratios). Proportions: in [0, multiplier];
  // ratios and rates: > 0.
  double target = std::numeric_limits<double>::quiet_NaN();
  Overdispersion overdispersion = Overdispersion::kNone;
  Scale scale = Scale::kDefault;
  LimitMethod limits = LimitMethod::kDefault;
  // Fraction winsorised (or truncated) in each tail before phi, in [0, 0.5).
  double trim = kDefaultTrim;
  // Values, target and limits are multiplied by this (100 for percentages,
  // 100000 for a rate per 100,000 bed-days). > 0.
  double multiplier = 1;
};

// Everything needed to draw limits at any denominator.
struct Funnel {
  DataType type = DataType::kProportion;
  Scale scale = Scale::kArcsine;                   // Resolved (never kDefault).
  LimitMethod limits = LimitMethod::kApproximate;  // Resolved; unadjusted.
  Overdispersion overdispersion = Overdispersion::kNone;  // As asked.
  // Whether the limits are overdispersion-adjusted: false when none was
  // asked for, or phi <= 1, or too few groups to estimate phi (< 2 left).
  bool adjusted = false;
  double target = 0;   // Output units (times multiplier).
  double phi = 0;      // Dispersion ratio (NaN when not estimable).
  double tau2 = 0;     // Between-group variance on the scale (additive).
  int groups = 0;      // Groups used.
  int phi_groups = 0;  // Of those, used for phi (after truncation).
  double multiplier = 1;
  std::vector<double> coverages;  // As given.
  std::vector<double> z;          // Normal quantile per coverage.
};

struct GroupResult {
  GroupStatus status = GroupStatus::kUsed;
  double value = 0;  // multiplier * numerator / denominator (NaN if unused).
  // z-score on the scale: adjusted when the limits are (z / sqrt(phi), or
  // (y - target) / sqrt(s^2 + tau^2)), else unadjusted. NaN if unused.
  double z = 0;
  double z_unadjusted = 0;
};

struct Result {
  Funnel funnel;
  std::vector<GroupResult> groups;  // One per input group, in input order.
  // Per group, per coverage: lower[g * coverages + c]. NaN for unused groups.
  std::vector<double> lower;
  std::vector<double> upper;
  std::vector<Flag> flags;  // kNone for unused groups.
};

// Fits the funnel to `numerators` and `denominators` (equal lengths) and
// judges each group. InvalidArgument naming the option or the group
// ("numerators[3]: ...", 0-based) for: mismatched lengths; an infinite or
// negative number, or one above kMaxNumber; a proportion's numerator above
// its (non-zero) denominator; a bad option (see Options; log and sqrt scales
// are for ratios and rates, arcsine for proportions). FailedPrecondition
// when no group is used, or for a rate with no events and no target (the
// pooled rate is 0). `out` is overwritten only on success.
absl::Status Fit(absl::Span<const double> numerators,
                 absl::Span<const double> denominators, const Options& options,
                 Result* out);

// Limits of `funnel` at a denominator (> 0; for ratios the expected count,
// for rates the exposure) for coverage index `c`. NaN for a bad argument.
void LimitsAt(const Funnel& funnel, double denominator, int c, double* lower,
              double* upper);

// `points` (>= 2) denominators evenly spaced from `lowest` to `highest`
// (0 < lowest <= highest), for drawing the funnel.
std::vector<double> DenominatorGrid(double lowest, double highest, int points);

// Limits at every denominator: lower[i * coverages + c]. The spans must have
// denominators.size() * funnel.coverages.size() elements (InvalidArgument
// otherwise).
absl::Status Curve(const Funnel& funnel, absl::Span<const double> denominators,
                   absl::Span<double> lower, absl::Span<double> upper);

// "proportion", "ratio", "rate"; "none", "multiplicative", "additive";
// "arcsine", "log", "sqrt" ("default"); "approximate", "exact" ("default");
// "low", "high", "" ; "used", "missing", "zero_denominator".
const char* DataTypeName(DataType type);
const char* OverdispersionName(Overdispersion method);
const char* ScaleName(Scale scale);
const char* LimitMethodName(LimitMethod method);
const char* FlagName(Flag flag);
const char* GroupStatusName(GroupStatus status);

}  // namespace funnel
}  // namespace vigil

#endif  // VIGIL_FUNNEL_H_
