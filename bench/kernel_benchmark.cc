// Threshold and trend kernels alone, on plain arrays: points per second for
// single series of 12 to 10,000 points and batches of many short series.
#include <cmath>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "vigil/threshold.h"
#include "vigil/trend.h"

namespace vigil {
namespace {

std::vector<double> Values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(90.0, 4.0);
  std::vector<double> v(n);
  for (double& x : v) x = noise(rng);
  return v;
}

const Bands kBands{95, 90, Direction::kHigherIsBetter};

void BM_ThresholdClassify(benchmark::State& state) {
  const auto values = Values(static_cast<size_t>(state.range(0)), 1);
  std::vector<Band> out(values.size());
  for (auto _ : state) {
    ClassifyValues(values, kBands, absl::MakeSpan(out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ThresholdClassify)->RangeMultiplier(10)->Range(12, 10000)->Arg(36);

// Length of the trailing red run (persistence), worst case: every value red,
// so the whole series is scanned.
void BM_ThresholdTrailingRun(benchmark::State& state) {
  const std::vector<double> values(static_cast<size_t>(state.range(0)), 80.0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(TrailingRunInBand(values, kBands, Band::kRed));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ThresholdTrailingRun)->RangeMultiplier(10)->Range(12, 10000);

void BM_TrendDeteriorations(benchmark::State& state) {
  // A strictly falling series: the run covers every point (worst case).
  std::vector<double> values(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = 1e6 - static_cast<double>(i);
  for (auto _ : state) {
    int chain = 0;
    benchmark::DoNotOptimize(TrailingDeteriorations(
        values, Direction::kHigherIsBetter, 0.0, &chain));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TrendDeteriorations)->RangeMultiplier(10)->Range(12, 10000);

// Many short series at once: 10,000 series of 36 months, classified and
// pooled, as a national monthly run does.
void BM_ThresholdBatch36(benchmark::State& state) {
  constexpr int kSeries = 10000;
  constexpr int kLength = 36;
  const auto values = Values(kSeries * kLength, 3);
  std::vector<Band> out(values.size());
  for (auto _ : state) {
    for (int s = 0; s < kSeries; ++s) {
      ClassifyValues(absl::MakeConstSpan(values).subspan(s * kLength, kLength),
                     kBands, absl::MakeSpan(out).subspan(s * kLength, kLength));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kSeries * kLength);
}
BENCHMARK(BM_ThresholdBatch36);

void BM_TrendBatch36(benchmark::State& state) {
  constexpr int kSeries = 10000;
  constexpr int kLength = 36;
  const auto values = Values(kSeries * kLength, 4);
  for (auto _ : state) {
    int total = 0;
    for (int s = 0; s < kSeries; ++s) {
      total += TrailingDeteriorations(
          absl::MakeConstSpan(values).subspan(s * kLength, kLength),
          Direction::kHigherIsBetter, 0.0, nullptr);
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * kSeries * kLength);
}
BENCHMARK(BM_TrendBatch36);

void BM_PooledRatioWindow(benchmark::State& state) {
  const auto num = Values(static_cast<size_t>(state.range(0)), 5);
  const auto den = Values(static_cast<size_t>(state.range(0)), 6);
  for (auto _ : state) {
    benchmark::DoNotOptimize(PooledRatio(num, den, 100.0));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PooledRatioWindow)->RangeMultiplier(10)->Range(12, 10000);

}  // namespace
}  // namespace vigil
