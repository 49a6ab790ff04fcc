// The statistic of a threshold rule (MEAN, SUM, YEAR_TO_DATE) over its
// window at every period of a series, walking back from the judged one, in
// time that follows the periods walked and not periods x window.
#ifndef VIGIL_SRC_RULES_THRESHOLD_WINDOW_H_
#define VIGIL_SRC_RULES_THRESHOLD_WINDOW_H_

#include <vector>

#include "src/rules/threshold_config.h"
#include "vigil/series_store.h"

namespace vigil {
namespace internal {

// What a window holds.
struct WindowSums {
  double values = 0;        // Sum of the observed values.
  double numerators = 0;    // Sums over the points with both numerator
  double denominators = 0;  // and denominator.
  int present = 0;          // Observed points.
  int pairs = 0;            // Points with both numerator and denominator.

  void Add(const SeriesView& series, int i);
  void Add(const WindowSums& other);
};

// The window of the statistic at position k: [begin, k], where begin may be
// before the series' first period (MEAN and SUM near the start).
int WindowBegin(const ThresholdConfig& config, const SeriesView& series, int k);

// The statistic of a window [begin, k] from its sums, or NaN (no value, or
// a SUM / YEAR_TO_DATE count missing a period). `why_nan` (optional) says
// whether any value was present.
double StatisticOfSums(const ThresholdConfig& config, const SeriesView& series,
                       const WindowSums& sums, int window, double multiplier,
                       bool* none_present);

// The statistic at positions k, k - 1, ... of one series, in that order.
// The periods are cut into blocks (`window_periods` long from the series'
// start for MEAN and SUM, financial years for YEAR_TO_DATE); each block's
// prefix and suffix sums are computed once, when the walk first reaches
// it, and each window is a suffix of one block plus a prefix of the next.
// So k - j + window periods are summed to reach position j (not
// (k - j) x window), with no subtraction (no cancellation). The sums add in
// another order than a plain left-to-right sum: a caller that must agree
// with it exactly recomputes a value that falls within rounding of a band
// boundary.
class WindowWalk {
 public:
  WindowWalk(const ThresholdConfig& config, const SeriesView& series,
             double multiplier, int k);

  // The statistic at position j (j <= k; call with j decreasing).
  double At(int j);

 private:
  int BlockStart(int i) const;
  // Computes blocks until position i is covered.
  void CoverDownTo(int i);
  const WindowSums& Prefix(int i) const { return prefix_[k_ - i]; }
  const WindowSums& Suffix(int i) const { return suffix_[k_ - i]; }

  const ThresholdConfig& config_;
  const SeriesView& series_;
  const double multiplier_;
  const int k_;
  int low_;  // The lowest position covered (k_ + 1: none).
  // By k_ - position: the sum from the block's start to the position, and
  // from the position to the block's end.
  std::vector<WindowSums> prefix_;
  std::vector<WindowSums> suffix_;
  std::vector<WindowSums> block_;  // Scratch.
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_THRESHOLD_WINDOW_H_
