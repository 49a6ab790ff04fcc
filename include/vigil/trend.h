// Trend kernels on plain values: no protobuf, no allocation.
//
// Thread safety: pure functions; safe from any thread.
#ifndef VIGIL_TREND_H_
#define VIGIL_TREND_H_

#include "absl/types/span.h"
#include "vigil/threshold.h"

namespace vigil {

// Change between two values, judged by direction.
enum class Change : int8_t { kWorse = -1, kNoChange = 0, kBetter = 1 };

// kWorse when `after` is worse than `before` by at least `minimum_change`
// (strictly worse when minimum_change is 0); kBetter likewise; else kNoChange.
inline Change CompareValues(double before, double after, Direction direction,
                            double minimum_change) {
  const double delta = static_cast<double>(direction) * (after - before);
  if (delta < 0 && -delta >= minimum_change) return Change::kWorse;
  if (delta > 0 && delta >= minimum_change) return Change::kBetter;
  return Change::kNoChange;
}

// Trailing consecutive deteriorations: the number of period-on-period changes,
// counted back from the last value, that are kWorse. A NaN ends the run.
// `chain` (optional) receives the number of consecutive non-NaN values ending
// at the last one, so a caller can tell "no run" from "too short to know".
int TrailingDeteriorations(absl::Span<const double> values, Direction direction,
                           double minimum_change, int* chain);

}  // namespace vigil

#endif  // VIGIL_TREND_H_
