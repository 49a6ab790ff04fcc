// The funnel kernel (include/vigil/funnel.h) on k synthetic providers:
// a fit (z-scores, phi, tau^2, limits and flags at each provider's own
// denominator) plus the 1,000-point curve a plot draws. Figures:
// bench/README.md.
#include <cmath>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "vigil/funnel.h"

namespace {

namespace funnel = vigil::funnel;

struct Groups {
  std::vector<double> numerators;
  std::vector<double> denominators;
};

// Denominators log-uniform from 50 to 50,000 (small community trusts to big
// acute ones); proportions around 0.8, overdispersed as real data is.
Groups MakeGroups(int k, bool ratio) {
  std::mt19937 random(20190331);
  std::uniform_real_distribution<double> log_n(std::log(50.0),
                                               std::log(50000.0));
  // Ratios spread wider so that phi stays above 1 after SHMI truncation.
  std::normal_distribution<double> spread(0.0, ratio ? 0.15 : 0.05);
  Groups g;
  for (int i = 0; i < k; ++i) {
    const double n = std::round(std::exp(log_n(random)));
    const double p = std::min(0.99, std::max(0.01, 0.8 + spread(random)));
    g.denominators.push_back(ratio ? n * 0.2 : n);  // Expected for ratios.
    g.numerators.push_back(std::round(ratio ? n * 0.2 * (p / 0.8) : n * p));
  }
  return g;
}

void FitAndCurve(benchmark::State& state, funnel::Options options, bool ratio) {
  const Groups g = MakeGroups(static_cast<int>(state.range(0)), ratio);
  funnel::Result result;
  std::vector<double> lower, upper;
  for (auto _ : state) {
    if (!funnel::Fit(g.numerators, g.denominators, options, &result).ok()) {
      state.SkipWithError("fit failed");
      break;
    }
    const std::vector<double> grid = funnel::DenominatorGrid(1, 50000, 1000);
    lower.resize(grid.size() * options.coverages.size());
    upper.resize(lower.size());
    benchmark::DoNotOptimize(funnel::Curve(
        result.funnel, grid, absl::MakeSpan(lower), absl::MakeSpan(upper)));
    benchmark::DoNotOptimize(result.flags.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_FunnelProportionAdditive(benchmark::State& state) {
  funnel::Options options;
  options.overdispersion = funnel::Overdispersion::kAdditive;
  FitAndCurve(state, options, false);
}
BENCHMARK(BM_FunnelProportionAdditive)->Arg(150)->Arg(10000);

void BM_FunnelProportionExactBinomial(benchmark::State& state) {
  funnel::Options options;
  options.limits = funnel::LimitMethod::kExact;
  FitAndCurve(state, options, false);
}
BENCHMARK(BM_FunnelProportionExactBinomial)->Arg(150)->Arg(10000);

void BM_FunnelRatioExactPoisson(benchmark::State& state) {
  funnel::Options options;
  options.type = funnel::DataType::kRatio;
  FitAndCurve(state, options, true);
}
BENCHMARK(BM_FunnelRatioExactPoisson)->Arg(150)->Arg(10000);

void BM_FunnelRatioShmiAdditive(benchmark::State& state) {
  funnel::Options options;
  options.type = funnel::DataType::kRatio;
  options.overdispersion = funnel::Overdispersion::kAdditive;
  FitAndCurve(state, options, true);
}
BENCHMARK(BM_FunnelRatioShmiAdditive)->Arg(150)->Arg(10000);

}  // namespace
