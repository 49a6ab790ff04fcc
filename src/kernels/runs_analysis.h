// Anhøj runs analysis of one group of present points, as qicharts2 0.8.1
// computes it. Private to the kernels.
#ifndef VIGIL_SRC_KERNELS_RUNS_ANALYSIS_H_
#define VIGIL_SRC_KERNELS_RUNS_ANALYSIS_H_

#include <cstdint>

#include "vigil/attribute_spc.h"

namespace vigil {
namespace spc {
namespace internal {

// Runs of y[0..n) about the centre line given by `side` (sign(y - centre):
// -1, 0, +1; points on the line are not useful). Unless `long_run` is
// null, sets `long_run[i]` to 1 for points in a run longer than the limit,
// else 0.
RunsAnalysis AnalyzeRuns(const int8_t* side, int n, uint8_t* long_run);

}  // namespace internal
}  // namespace spc
}  // namespace vigil

#endif  // VIGIL_SRC_KERNELS_RUNS_ANALYSIS_H_
