// The SPC kernels alone: points per second for single series of 12 to 10,000
// points and for batches of many 36-month series (a national monthly run),
// for the XmR chart and the attribute charts (p, Laney p′, u, c).
#include <cmath>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
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
// months: breaches out of 6,000 to 10,000 attendances a month at a 20% rate.
// `range(2)` 0: binomial noise only (an in-control process, as the XmR
// benchmark's normal noise; few signals); 1: the rate itself varies with sd
// 2% (the overdispersion of real A&E data: on a p-chart nearly every point
// is outside its limits, the slow path of the labels). MDC rules.
void BM_AttributeBatch36(benchmark::State& state) {
  constexpr int kLength = 36;
  const int series = static_cast<int>(state.range(0));
  const bool overdispersed = state.range(2) != 0;
  const size_t n = static_cast<size_t>(series) * kLength;
  std::mt19937 rng(3);
  std::normal_distribution<double> rate(0.2, 0.02);
  std::uniform_real_distribution<double> size(6000, 10000);
  std::vector<double> numerators(n), denominators(n);
  for (size_t i = 0; i < n; ++i) {
    denominators[i] = std::round(size(rng));
    std::binomial_distribution<int> count(static_cast<int>(denominators[i]),
                                          overdispersed ? rate(rng) : 0.2);
    numerators[i] = count(rng);
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
  state.SetLabel(absl::StrCat(spc::ChartName(options.chart),
                              overdispersed ? " overdispersed" : ""));
}
// One p-chart series of `range(0)` points: per-call against per-point cost.
void BM_AttributeSingleSeries(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937 rng(4);
  std::normal_distribution<double> rate(0.2, 0.02);
  std::vector<double> numerators(n), denominators(n, 8000);
  for (size_t i = 0; i < n; ++i) numerators[i] = std::round(8000 * rate(rng));
  spc::AttributeOptions options;
  spc::AttributeWorkspace ws;
  std::vector<spc::AttributePoint> out(n);
  spc::AttributeSummary summary;
  for (auto _ : state) {
    (void)spc::AnalyzeAttribute(numerators, denominators, {}, {}, options, &ws,
                                absl::MakeSpan(out), &summary);
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AttributeSingleSeries)->Arg(36)->Arg(1000)->Arg(10000);

BENCHMARK(BM_AttributeBatch36)
    ->Args({10000, static_cast<int>(spc::Chart::kP), 0})
    ->Args({10000, static_cast<int>(spc::Chart::kPPrime), 0})
    ->Args({10000, static_cast<int>(spc::Chart::kU), 0})
    ->Args({10000, static_cast<int>(spc::Chart::kC), 0})
    ->Args({10000, static_cast<int>(spc::Chart::kP), 1})
    ->Args({10000, static_cast<int>(spc::Chart::kPPrime), 1});

}  // namespace
}  // namespace vigil
