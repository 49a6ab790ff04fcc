// The pathological inputs of issue 14 (defect 2), as benchmarks: what the
// regression tests check by structure (assessments = the pairs that exist;
// a window's red run is right), measured here.
//   BM_OwnIndicatorPerProvider/N: N providers, each with its own indicator
//     and one month of data, a MEAN threshold and a data-quality rule on all
//     indicators (before: every provider x every indicator, quadratic).
//   BM_MeanWindowRedRun: four daily series of 90,000 days, red throughout,
//     MEAN over a 10,000-day window (before: O(n x w), 6.3 s).
#include <string>

#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/text_format.h"
#include "vigil/engine.h"
#include "vigil/period.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

v1::RuleSet Pack(const std::string& rules) {
  v1::RuleSet pack;
  google::protobuf::TextFormat::ParseFromString(
      "id: 'bench' version: '1' " + rules, &pack);
  return pack;
}

v1::Indicator Indicator(const std::string& id, v1::Frequency frequency) {
  v1::Indicator ind;
  ind.set_id(id);
  ind.set_unit(v1::UNIT_COUNT);
  ind.set_polarity(v1::POLARITY_LOWER_IS_BETTER);
  ind.set_domain(v1::DOMAIN_SAFE);
  ind.set_frequency(frequency);
  return ind;
}

void BM_OwnIndicatorPerProvider(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  v1::Dataset data;
  for (int p = 0; p < n; ++p) {
    const std::string k = std::to_string(p);
    data.add_providers()->set_id("W" + k);
    *data.add_indicators() = Indicator("I" + k, v1::FREQUENCY_MONTHLY);
    v1::Observation* o = data.add_observations();
    o->set_provider_id("W" + k);
    o->set_indicator_id("I" + k);
    o->set_period("2025-12");
    o->set_value(1);
  }
  auto engine = Engine::Create(Pack(R"(
    rules { id: 'mean_3' selector { all_indicators: true }
            threshold { standard: 10 red_threshold: 20
                        statistic: STATISTIC_MEAN window_periods: 3 } }
    rules { id: 'complete' selector { all_indicators: true }
            data_quality { } })"));
  if (!engine.ok()) return state.SkipWithError("pack");
  const SeriesStore store = IndexDataset(data);
  int64_t assessments = 0;
  for (auto _ : state) {
    auto report = (*engine)->Evaluate(store, "2025-12");
    if (!report.ok()) return state.SkipWithError("evaluate");
    assessments = report->assessments_size();
  }
  state.counters["assessments"] = static_cast<double>(assessments);
}
BENCHMARK(BM_OwnIndicatorPerProvider)
    ->Arg(5000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond);

void BM_MeanWindowRedRun(benchmark::State& state) {
  constexpr int kDays = 90000;
  v1::Dataset data;
  *data.add_indicators() = Indicator("D", v1::FREQUENCY_DAILY);
  const absl::CivilDay start(1950, 1, 1);
  for (int p = 1; p <= 4; ++p) {
    data.add_providers()->set_id("P" + std::to_string(p));
    for (int d = 0; d < kDays; ++d) {
      v1::Observation* o = data.add_observations();
      o->set_provider_id("P" + std::to_string(p));
      o->set_indicator_id("D");
      o->set_period(FormatPeriod(Period{
          Frequency::kDaily,
          static_cast<int32_t>((start + d) - absl::CivilDay(1970, 1, 1))}));
      o->set_value(50 + d % 7);
    }
  }
  auto engine = Engine::Create(Pack(R"(
    rules { id: 'wide' selector { all_indicators: true }
            threshold { standard: 10 red_threshold: 20
                        statistic: STATISTIC_MEAN window_periods: 10000
                        red_after_periods: 3 } })"));
  if (!engine.ok()) return state.SkipWithError("pack");
  const SeriesStore store = IndexDataset(data);
  for (auto _ : state) {
    auto report = (*engine)->Evaluate(store, "");
    if (!report.ok()) return state.SkipWithError("evaluate");
    benchmark::DoNotOptimize(report->assessments_size());
  }
  state.SetItemsProcessed(state.iterations() * 4 * kDays);
}
BENCHMARK(BM_MeanWindowRedRun)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil
