#include "src/rules/threshold_window.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "src/rules/rule_support.h"
#include "vigil/period.h"

namespace vigil {
namespace internal {

void WindowSums::Add(const SeriesView& series, int i) {
  if (series.status[i] == PointStatus::kObserved) {
    ++present;
    // Observed values are finite; NaN elsewhere (as SumPresent skips).
    if (!std::isnan(series.values[i])) values += series.values[i];
  }
  if (!std::isnan(series.numerators[i]) &&
      !std::isnan(series.denominators[i])) {
    numerators += series.numerators[i];
    denominators += series.denominators[i];
    ++pairs;
  }
}

void WindowSums::Add(const WindowSums& other) {
  values += other.values;
  numerators += other.numerators;
  denominators += other.denominators;
  present += other.present;
  pairs += other.pairs;
}

int WindowBegin(const ThresholdConfig& config, const SeriesView& series,
                int k) {
  switch (config.statistic) {
    case ThresholdStatistic::kMean:
    case ThresholdStatistic::kSum:
      return k - config.window_periods + 1;
    case ThresholdStatistic::kYearToDate: {
      const Period at = PeriodAt(series, k);
      return k - (at.index - FinancialYearStart(at).index);
    }
    case ThresholdStatistic::kLatest:
      break;
  }
  return k;
}

double StatisticOfSums(const ThresholdConfig& config, const SeriesView& series,
                       const WindowSums& sums, int window, double multiplier,
                       bool* none_present) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const bool need_complete =
      config.statistic == ThresholdStatistic::kSum ||
      (config.statistic == ThresholdStatistic::kYearToDate &&
       !series.has_denominators);
  if (none_present != nullptr) *none_present = sums.present == 0;
  if (sums.present == 0 || (need_complete && sums.present < window)) {
    return kNaN;
  }
  if (series.has_denominators && config.statistic != ThresholdStatistic::kSum) {
    // As PooledRatio.
    if (sums.pairs == 0 || sums.denominators <= 0) return kNaN;
    return multiplier * sums.numerators / sums.denominators;
  }
  // As MeanPresent and SumPresent: values present are those observed.
  if (config.statistic == ThresholdStatistic::kMean) {
    return sums.values / sums.present;
  }
  return sums.values;
}

WindowWalk::WindowWalk(const ThresholdConfig& config, const SeriesView& series,
                       double multiplier, int k)
    : config_(config),
      series_(series),
      multiplier_(multiplier),
      k_(k),
      low_(k + 1) {}

int WindowWalk::BlockStart(int i) const {
  if (config_.statistic == ThresholdStatistic::kYearToDate) {
    return std::max(WindowBegin(config_, series_, i), 0);
  }
  return i / config_.window_periods * config_.window_periods;
}

void WindowWalk::CoverDownTo(int i) {
  while (low_ > i) {
    const int end = low_ - 1;
    const int start = BlockStart(end);
    const int size = end - start + 1;
    // Prefix sums upwards into the scratch, then both by descending
    // position onto the vectors.
    block_.assign(size, WindowSums());
    WindowSums running;
    for (int p = start; p <= end; ++p) {
      running.Add(series_, p);
      block_[p - start] = running;
    }
    WindowSums suffix;
    for (int p = end; p >= start; --p) {
      suffix.Add(series_, p);
      prefix_.push_back(block_[p - start]);
      suffix_.push_back(suffix);
    }
    low_ = start;
  }
}

double WindowWalk::At(int j) {
  const int begin = WindowBegin(config_, series_, j);
  const int first = std::max(begin, 0);
  CoverDownTo(first);
  WindowSums sums = Prefix(j);
  const int block = BlockStart(j);
  if (first < block) {
    // The window starts in the previous block: its suffix from `first`.
    sums.Add(Suffix(first));
  }
  return StatisticOfSums(config_, series_, sums, j - begin + 1, multiplier_,
                         nullptr);
}

}  // namespace internal
}  // namespace vigil
