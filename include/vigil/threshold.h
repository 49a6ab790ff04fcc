// Threshold (RAG) kernels on plain values: no protobuf, no allocation.
//
// Thread safety: pure functions; safe from any thread.
#ifndef VIGIL_THRESHOLD_H_
#define VIGIL_THRESHOLD_H_

#include <cstdint>

#include "absl/types/span.h"

namespace vigil {

enum class Band : uint8_t { kGreen = 0, kAmber = 1, kRed = 2, kNone = 3 };

enum class Direction : int8_t { kHigherIsBetter = 1, kLowerIsBetter = -1 };

// Green/amber/red boundaries in the indicator's unit.
struct Bands {
  double standard = 0;      // At or better than this is green.
  double red_boundary = 0;  // Beyond this (on the bad side) is red; equal is
                            // amber. Equal to `standard` for two-band rules.
  Direction direction = Direction::kHigherIsBetter;
};

// Band of one value; NaN gives kNone.
inline Band ClassifyValue(double value, const Bands& bands) {
  if (value != value) return Band::kNone;
  const double d = static_cast<double>(bands.direction);
  if (d * value >= d * bands.standard) return Band::kGreen;
  if (d * value >= d * bands.red_boundary) return Band::kAmber;
  return Band::kRed;
}

// Bands of every value (NaN gives kNone). `out` must be as long as `values`.
void ClassifyValues(absl::Span<const double> values, const Bands& bands,
                    absl::Span<Band> out);

// Number of trailing values (ending at the last) in `band`; NaN ends the run.
int TrailingRunInBand(absl::Span<const double> values, const Bands& bands,
                      Band band);

// Sum of the non-NaN values; `count` (optional) receives how many there were.
// NaN when there are none.
double SumPresent(absl::Span<const double> values, int* count);

// Mean of the non-NaN values; NaN when there are none.
double MeanPresent(absl::Span<const double> values);

// multiplier * sum(numerators) / sum(denominators) over the positions where
// both are present; NaN when none are.
double PooledRatio(absl::Span<const double> numerators,
                   absl::Span<const double> denominators, double multiplier);

}  // namespace vigil

#endif  // VIGIL_THRESHOLD_H_
