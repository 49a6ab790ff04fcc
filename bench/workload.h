// A seeded, deterministic England-scale workload for benchmarks: P providers
// x I indicators x M months of realistic data (percentages with numerators
// and denominators, zero-tolerance counts, rates, neutral counts) with noise,
// winter seasonality, missing months and injected deteriorations (shifts,
// trends, spikes), plus a rule pack that uses every rule kind the engine
// evaluates.
#ifndef VIGIL_BENCH_WORKLOAD_H_
#define VIGIL_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/engine.h"
#include "vigil/series_store.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace bench {

struct WorkloadOptions {
  int providers = 250;
  int indicators = 40;
  int months = 120;  // Ending in March 2024.
  uint32_t seed = 20240331;
  double missing_rate = 0.01;  // Share of provider-months not submitted.
};

// One observation, without protobuf.
struct WorkloadRow {
  int32_t provider;
  int32_t indicator;
  int32_t month;       // 0..months-1
  double value;        // NaN when the row carries a ratio.
  double numerator;    // NaN for plain values.
  double denominator;  // NaN for plain values.
};

// One planned value (a trajectory), without protobuf.
struct WorkloadPlan {
  int32_t provider;
  int32_t indicator;
  int32_t month;  // 0..months-1
  double value;
};

struct Workload {
  WorkloadOptions options;
  std::vector<v1::Provider> providers;
  std::vector<v1::Indicator> indicators;
  std::vector<std::string> periods;  // "2014-04" .. "2024-03"
  std::vector<WorkloadRow> rows;     // Provider, indicator, month order.
  // Trajectories for the last financial year: 6 per 1,000 bed-days a month
  // for every rate indicator, 0 for every zero-tolerance count.
  std::vector<WorkloadPlan> plans;
};

Workload MakeWorkload(const WorkloadOptions& options);

// The last period of the workload ("2024-03").
std::string AsOf(const Workload& workload);

// A pack using every rule kind the engine evaluates, selecting by domain,
// tag and polarity so every indicator is judged by several rules.
v1::RuleSet MakeRulePack();

// The workload as a protobuf Dataset.
v1::Dataset ToDataset(const Workload& workload);

// Feeds the rows straight into an indexer (the no-protobuf path).
void AddToIndexer(const Workload& workload, DatasetIndexer* indexer);

// Shared by the suites, each made once on first use (thread-safe): the
// England-scale workload (default options), it indexed, and the engine of
// MakeRulePack() (a pack that does not compile is a bug: aborts).
const Workload& England();
const SeriesStore& EnglandStore();
const Engine& FullPackEngine();

// CSV files in the tool's formats.
std::string ObservationsCsv(const Workload& workload);
std::string ProvidersCsv(const Workload& workload);
std::string IndicatorsCsv(const Workload& workload);
std::string PlansCsv(const Workload& workload);

}  // namespace bench
}  // namespace vigil

#endif  // VIGIL_BENCH_WORKLOAD_H_
