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
// ApplyRules), its point type (inline: they run per point) and the
// variation icon of a point type.
inline int8_t Sign(double d) { return d > 0 ? 1 : (d < 0 ? -1 : 0); }

inline SpecialCause LabelPoint(const double* y, const int8_t* side,
                               const uint8_t* flags, int i, int n) {
  if (flags[i] & kOutside) {
    return side[i] == 1 ? SpecialCause::kAboveUcl : SpecialCause::kBelowLcl;
  }
  if (flags[i] & kTrend) {
    // The reference takes the direction from the right-hand difference when
    // the next point is also part of a trend.
    int8_t sdy;
    if (i + 1 < n && (flags[i + 1] & kTrend)) {
      sdy = Sign(y[i + 1] - y[i]);
    } else {
      sdy = i > 0 ? Sign(y[i] - y[i - 1]) : 0;
    }
    return sdy == 1 ? SpecialCause::kTrendIncreasing
                    : SpecialCause::kTrendDecreasing;
  }
  if (flags[i] & kTwoInThree) {
    return side[i] > 0 ? SpecialCause::kTwoInThreeAbove
                       : SpecialCause::kTwoInThreeBelow;
  }
  if (flags[i] & kShift) {
    return side[i] > 0 ? SpecialCause::kShiftAbove : SpecialCause::kShiftBelow;
  }
  return SpecialCause::kCommonCause;
}

// +1 for a cause above the centre (or rising), -1 below (or falling), 0
// for none, by SpecialCause value; a table, as the causes of real data are
// too irregular for branches to predict.
inline int Polarity(SpecialCause c) {
  static constexpr int8_t kPolarity[] = {0,  1, -1, 1, -1, 1,
                                         -1, 1, -1, 0, 1,  -1};
  const unsigned i = static_cast<unsigned>(c);
  return i < sizeof(kPolarity) ? kPolarity[i] : 0;
}

inline PointType PointTypeOf(SpecialCause c, ImprovementDirection direction) {
  // [direction + 1][polarity + 1].
  static constexpr PointType kTypes[3][3] = {
      {PointType::kImprovement, PointType::kCommonCause, PointType::kConcern},
      {PointType::kNeutralLow, PointType::kCommonCause,
       PointType::kNeutralHigh},
      {PointType::kConcern, PointType::kCommonCause, PointType::kImprovement}};
  return kTypes[static_cast<int>(direction) + 1][Polarity(c) + 1];
}

VariationIcon VariationIconOf(PointType type, ImprovementDirection direction);

// Assurance of `target` against process limits [lower, upper]: kNone for a
// NaN target or a neutral direction.
Assurance AssuranceOf(double target, double lower, double upper,
                      ImprovementDirection direction);

}  // namespace internal
}  // namespace spc
}  // namespace vigil

#endif  // VIGIL_SRC_KERNELS_SPC_RULES_H_
