// The SPC kernels alone: points per second for single series of 12 to 10,000
// points and for batches of many 36-month series (a national monthly run),
// for the XmR chart and the attribute charts (p, Laney p′, u, c).
#include <cmath>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "vigil/attribute_spc.h"
#include "vigil/spc.h"

namespace vigil {
namespace {

std::vector<double> Noise(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(85.0, 3.0);
  std::vector<double> v(n);
  for (double& x : v) x = noise(rng);
  return v;
}

void BM_SpcSingleSeries(benchmark::State& state) {
  const auto values = Noise(static_cast<size_t>(state.range(0)), 1);
  std::vector<double> targets(values.size(), 95.0);
  spc::Workspace ws;
  std::vector<spc::PointResult> out(values.size());
  spc::SeriesSummary summary;
  for (auto _ : state) {
    (void)spc::Analyze(values, {}, targets, spc::Options(), &ws,
                       absl::MakeSpan(out), &summary);
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SpcSingleSeries)->RangeMultiplier(10)->Range(12, 10000)->Arg(36);

// `range(0)` series of 36 points each.
void BM_SpcBatch36(benchmark::State& state) {
  constexpr int kLength = 36;
  const int series = static_cast<int>(state.range(0));
  const auto values = Noise(static_cast<size_t>(series) * kLength, 2);
  spc::Workspace ws;
  std::vector<spc::PointResult> out(kLength);
  spc::SeriesSummary summary;
  for (auto _ : state) {
    for (int s = 0; s < series; ++s) {
      (void)spc::Analyze(
          absl::MakeConstSpan(values).subspan(s * kLength, kLength), {}, {},
          spc::Options(), &ws, absl::MakeSpan(out), &summary);
    }
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * series * kLength);
}
BENCHMARK(BM_SpcBatch36)->Arg(1000)->Arg(10000);

// Attribute chart `range(1)` (a vigil::spc::Chart) on `range(0)` series of 36
// months: breaches out of about 8,000 attendances a month (binomial noise
// with overdispersion, as real A&E data has), MDC rules.
void BM_AttributeBatch36(benchmark::State& state) {
  constexpr int kLength = 36;
  const int series = static_cast<int>(state.range(0));
  const size_t n = static_cast<size_t>(series) * kLength;
  std::mt19937 rng(3);
  std::normal_distribution<double> rate(0.2, 0.02);
  std::uniform_real_distribution<double> size(6000, 10000);
  std::vector<double> numerators(n), denominators(n);
  for (size_t i = 0; i < n; ++i) {
    denominators[i] = std::round(size(rng));
    numerators[i] = std::round(denominators[i] * rate(rng));
  }
  spc::AttributeOptions options;
  options.chart = static_cast<spc::Chart>(state.range(1));
  spc::AttributeWorkspace ws;
  std::vector<spc::AttributePoint> out(kLength);
  spc::AttributeSummary summary;
  for (auto _ : state) {
    for (int s = 0; s < series; ++s) {
      (void)spc::AnalyzeAttribute(
          absl::MakeConstSpan(numerators).subspan(s * kLength, kLength),
          absl::MakeConstSpan(denominators).subspan(s * kLength, kLength), {},
          {}, options, &ws, absl::MakeSpan(out), &summary);
    }
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * series * kLength);
  state.SetLabel(spc::ChartName(options.chart));
}
BENCHMARK(BM_AttributeBatch36)
    ->Args({10000, static_cast<int>(spc::Chart::kP)})
    ->Args({10000, static_cast<int>(spc::Chart::kPPrime)})
    ->Args({10000, static_cast<int>(spc::Chart::kU)})
    ->Args({10000, static_cast<int>(spc::Chart::kC)});

}  // namespace
}  // namespace vigil
