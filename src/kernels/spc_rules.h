// The four special-cause rules on one baseline group, exposed for tests.
#ifndef VIGIL_SRC_KERNELS_SPC_RULES_H_
#define VIGIL_SRC_KERNELS_SPC_RULES_H_

#include <cstdint>

#include "vigil/spc.h"

namespace vigil {
namespace spc {
namespace internal {

// Rule bits per point.
constexpr uint8_t kOutside = 1;     // Beyond a process limit (input).
constexpr uint8_t kClose = 2;       // Between 2 sigma and a limit (input).
constexpr uint8_t kTrend = 4;       // Part of a monotone run of `run`.
constexpr uint8_t kTwoInThree = 8;  // A close point of a 2-in-3 window.
constexpr uint8_t kShift = 16;      // Part of a same-side run of `run`.

// Sets kTrend, kTwoInThree and kShift on `flags` (which arrive with kOutside
// and kClose set) from the values `y` and their sides of the mean `side`
// (-1, 0, +1). Bits 32 and 64 are used as scratch.
void ApplyRules(const double* y, const int8_t* side, int n, int run,
                uint8_t* flags);

// The Making Data Count label of point i of a group (flags after
// ApplyRules), its point type and the variation icon of a point type.
SpecialCause LabelPoint(const double* y, const int8_t* side,
                        const uint8_t* flags, int i, int n);
PointType PointTypeOf(SpecialCause cause, ImprovementDirection direction);
VariationIcon VariationIconOf(PointType type, ImprovementDirection direction);

// Assurance of `target` against process limits [lower, upper]: kNone for a
// NaN target or a neutral direction.
Assurance AssuranceOf(double target, double lower, double upper,
                      ImprovementDirection direction);

}  // namespace internal
}  // namespace spc
}  // namespace vigil

#endif  // VIGIL_SRC_KERNELS_SPC_RULES_H_
