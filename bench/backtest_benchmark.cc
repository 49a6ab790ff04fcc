// Back-testing on the England-scale workload (bench/workload.h): the
// dashboard replayed at every one of the 120 months (Engine::EvaluateTimeline)
// against 120 separate evaluations (Engine::EvaluateInto) of the same store.
#include <cstdlib>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "workload.h"

namespace vigil {
namespace bench {
namespace {

// Every month of the workload as an as-of period. Argument: threads.
void BM_TimelineEngland120(benchmark::State& state) {
  const Workload& england = England();
  const SeriesStore& store = EnglandStore();
  const Engine& engine = FullPackEngine();
  EvaluateOptions options;
  options.threads = static_cast<int>(state.range(0));
  int64_t rules = 0;
  for (auto _ : state) {
    v1::Timeline timeline;
    absl::Status status =
        engine.EvaluateTimeline(store, england.periods.front(),
                                england.periods.back(), options, &timeline);
    if (!status.ok()) state.SkipWithError("timeline failed");
    rules = timeline.rules_size();
    benchmark::DoNotOptimize(timeline);
  }
  state.counters["rule_timelines"] = static_cast<double>(rules);
  state.counters["as_of_periods"] = static_cast<double>(england.periods.size());
}
BENCHMARK(BM_TimelineEngland120)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What the timeline replaces: one EvaluateInto per month, each report on its
// own arena, freed.
void BM_SeparateEvaluationsEngland120(benchmark::State& state) {
  const Workload& england = England();
  const SeriesStore& store = EnglandStore();
  const Engine& engine = FullPackEngine();
  EvaluateOptions options;
  for (auto _ : state) {
    for (const std::string& as_of : england.periods) {
      google::protobuf::Arena arena(ReportArenaOptions());
      auto* report = google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
      if (!engine.EvaluateInto(store, as_of, options, report).ok()) {
        state.SkipWithError("evaluation failed");
      }
      benchmark::DoNotOptimize(report);
    }
  }
}
BENCHMARK(BM_SeparateEvaluationsEngland120)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bench
}  // namespace vigil
