// The funnel kernel's scales and limits for one denominator, shared by
// Fit (funnel.cc) and the limit functions (funnel_limits.cc). Private.
#ifndef VIGIL_SRC_KERNELS_FUNNEL_SCALE_H_
#define VIGIL_SRC_KERNELS_FUNNEL_SCALE_H_

#include "vigil/funnel.h"

namespace vigil {
namespace funnel {
namespace internal {

// The target as a fraction (proportions) or a rate per unit of denominator
// (ratios, rates): funnel.target / funnel.multiplier. For ratios and rates
// the expected count of a group is Base * denominator.
double Base(const Funnel& funnel);

// The target on the scale: asin(sqrt(p0)), 0 (log) or 1 (sqrt).
double ScaleTarget(const Funnel& funnel);

// The within-group standard error on the scale at `denominator`.
double ScaleError(const Funnel& funnel, double denominator);

// A group's value on the scale. On the log scale a zero count is taken as
// 0.5 (log(0) has no z-score; docs/funnel.md).
double ScaleValue(const Funnel& funnel, double numerator, double denominator);

// The limits at `denominator` for a normal quantile `z` and two-sided
// `coverage`, in output units, as the funnel is fitted (adjusted or not,
// exact or approximate).
void Limits(const Funnel& funnel, double denominator, double z, double coverage,
            double* lower, double* upper);

}  // namespace internal
}  // namespace funnel
}  // namespace vigil

#endif  // VIGIL_SRC_KERNELS_FUNNEL_SCALE_H_
