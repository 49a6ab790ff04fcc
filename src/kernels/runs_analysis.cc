// Anhøj runs analysis: longest run against round(log2(n)) + 3 (Schilling)
// and crossings against the 5% binomial quantile (Chen), over the useful
// points (not on the centre line).
#include "src/kernels/runs_analysis.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "src/kernels/distributions.h"

namespace vigil {
namespace spc {
namespace {

constexpr double kAlpha = 0.05;

// Smallest k with P(X <= k) >= 0.05, X ~ Binomial(trials, 1/2), summing the
// probabilities in log space (exact to rounding; 0.05 is never a tie, as
// every CDF value is an integer over 2^trials).
int ComputeCrossingsMinimum(int trials) {
  if (trials <= 0) return 0;
  const double n = trials;
  double log_term = -n * std::log(2.0);  // log P(X = 0)
  double cdf = 0;
  for (int k = 0; k < trials; ++k) {
    cdf += std::exp(log_term);
    if (cdf >= kAlpha) return k;
    log_term += std::log((n - k) / (k + 1.0));
  }
  return trials;
}

constexpr int kTableSize = 1024;

const std::array<int16_t, kTableSize>& CrossingsTable() {
  static const std::array<int16_t, kTableSize> table = [] {
    std::array<int16_t, kTableSize> t{};
    for (int i = 0; i < kTableSize; ++i) {
      t[i] = static_cast<int16_t>(ComputeCrossingsMinimum(i));
    }
    return t;
  }();
  return table;
}

// For long series: start at the normal approximation and step with the
// binomial CDF (the regularised incomplete beta, ~1e-14; the CDF values next
// to 0.05 are about 1/sqrt(trials) apart, far more than that).
int LargeCrossingsMinimum(int trials) {
  const double n = trials;
  int k = static_cast<int>(n / 2 - 1.6448536269514722 * std::sqrt(n) / 2);
  if (k < 0) k = 0;
  while (k > 0 && distributions::BinomialCdf(k - 1, n, 0.5) >= kAlpha) --k;
  while (distributions::BinomialCdf(k, n, 0.5) < kAlpha) ++k;
  return k;
}

}  // namespace

int CrossingsMinimum(int trials) {
  if (trials < 0) return 0;
  if (trials < kTableSize) return CrossingsTable()[trials];
  return LargeCrossingsMinimum(trials);
}

namespace internal {

RunsAnalysis AnalyzeRuns(const int8_t* side, int n, uint8_t* long_run) {
  RunsAnalysis r;
  // Branch-free: a point on the centre line (side 0) neither ends nor
  // extends a run.
  int useful = 0, runs = 0, longest = 0, current = 0;
  int last = 0;
  for (int i = 0; i < n; ++i) {
    const int s = side[i];
    const int on_side = s != 0;
    const int same = s == last;
    current = on_side ? (same ? current + 1 : 1) : current;
    runs += on_side & (same ^ 1);
    last = on_side ? s : last;
    useful += on_side;
    longest = current > longest ? current : longest;
  }
  if (long_run != nullptr) {
    for (int i = 0; i < n; ++i) long_run[i] = 0;
  }
  r.useful = useful;
  if (useful == 0) return r;
  r.longest_run = longest;
  r.longest_run_max =
      static_cast<int>(std::lround(std::log2(static_cast<double>(useful)))) + 3;
  r.crossings = runs - 1;
  r.crossings_min = CrossingsMinimum(useful - 1);
  r.signal = r.longest_run > r.longest_run_max || r.crossings < r.crossings_min;
  if (long_run == nullptr || r.longest_run <= r.longest_run_max) return r;
  // Mark every run longer than the limit (points on the line inside a run
  // belong to it: they neither end nor extend it).
  int start = -1;
  current = 0;
  int8_t last_side = 0;
  auto close_run = [&](int end) {  // Run of `current` useful points.
    if (current > r.longest_run_max) {
      for (int j = start; j < end; ++j) long_run[j] = side[j] != 0;
    }
  };
  for (int i = 0; i < n; ++i) {
    if (side[i] == 0) continue;
    if (side[i] != last_side) {
      close_run(i);
      start = i;
      current = 0;
      last_side = side[i];
    }
    ++current;
  }
  close_run(n);
  return r;
}

}  // namespace internal
}  // namespace spc
}  // namespace vigil
