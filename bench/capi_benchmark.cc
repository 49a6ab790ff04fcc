// The England-scale workload through the C API, so the cost of the boundary
// is visible next to bench/engine_benchmark.cc: the no-protobuf array path,
// the protobuf bytes path, and evaluation of an indexed dataset.
// (libvigil.so carries its own private copy of the schema, so this process
// may also link the C++ engine for the workload generator.)
#include <cmath>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "google/protobuf/text_format.h"
#include "vigil/vigil.h"
#include "workload.h"

namespace vigil {
namespace bench {
namespace {

struct Arrays {
  std::vector<const char*> providers, indicators, periods;
  std::vector<double> values, numerators, denominators;
};

const Arrays& EnglandArrays() {
  static const Arrays* a = [] {
    const Workload& w = England();
    auto* out = new Arrays;
    for (const WorkloadRow& r : w.rows) {
      out->providers.push_back(w.providers[r.provider].id().c_str());
      out->indicators.push_back(w.indicators[r.indicator].id().c_str());
      out->periods.push_back(w.periods[r.month].c_str());
      out->values.push_back(r.value);
      out->numerators.push_back(r.numerator);
      out->denominators.push_back(r.denominator);
    }
    return out;
  }();
  return *a;
}

vigil_engine* Engine() {
  static vigil_engine* engine = [] {
    std::string pack;
    google::protobuf::TextFormat::PrintToString(MakeRulePack(), &pack);
    vigil_engine* e = nullptr;
    vigil_engine_create(pack.data(), pack.size(), VIGIL_FORMAT_TEXT, &e,
                        nullptr);
    return e;
  }();
  return engine;
}

vigil_dataset* NewDataset() {
  const Workload& w = England();
  const Arrays& a = EnglandArrays();
  vigil_dataset* d = nullptr;
  vigil_dataset_create(&d);
  for (const auto& p : w.providers) {
    vigil_dataset_add_provider(d, p.id().c_str(), p.name().c_str(), "acute",
                               nullptr);
  }
  // Indicators with their tags (the pack selects by tag), as CSV bytes.
  const std::string indicators = IndicatorsCsv(w);
  vigil_dataset_add_bytes(d, indicators.data(), indicators.size(),
                          VIGIL_FORMAT_CSV, VIGIL_KIND_INDICATORS,
                          "indicators.csv", nullptr);
  vigil_dataset_add_observations(d, a.providers.size(), a.providers.data(),
                                 a.indicators.data(), a.periods.data(),
                                 a.values.data(), a.numerators.data(),
                                 a.denominators.data(), nullptr);
  std::vector<const char*> plan_providers, plan_indicators, plan_periods;
  std::vector<double> plan_values;
  for (const WorkloadPlan& p : w.plans) {
    plan_providers.push_back(w.providers[p.provider].id().c_str());
    plan_indicators.push_back(w.indicators[p.indicator].id().c_str());
    plan_periods.push_back(w.periods[p.month].c_str());
    plan_values.push_back(p.value);
  }
  vigil_dataset_add_plans(d, plan_values.size(), plan_providers.data(),
                          plan_indicators.data(), plan_periods.data(),
                          plan_values.data(), nullptr);
  return d;
}

// Arrays in, report out: what a host without protobuf does every month.
void BM_CApiArraysIndexAndEvaluate(benchmark::State& state) {
  const std::string as_of = AsOf(England());
  for (auto _ : state) {
    vigil_dataset* d = NewDataset();
    vigil_report* r = nullptr;
    vigil_engine_evaluate(Engine(), d, as_of.c_str(), 1, &r, nullptr);
    benchmark::DoNotOptimize(vigil_report_assessment_count(r));
    vigil_report_destroy(r);
    vigil_dataset_destroy(d);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
}
BENCHMARK(BM_CApiArraysIndexAndEvaluate)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Evaluation alone, on a dataset indexed once, report freed each time
// (compare BM_EvaluateEnglandArena/threads:1/free_timed:1).
void BM_CApiEvaluateIndexed(benchmark::State& state) {
  static vigil_dataset* d = [] {
    vigil_dataset* ds = NewDataset();
    vigil_report* r = nullptr;
    vigil_engine_evaluate(Engine(), ds, AsOf(England()).c_str(), 1, &r,
                          nullptr);
    vigil_report_destroy(r);
    return ds;
  }();
  const std::string as_of = AsOf(England());
  for (auto _ : state) {
    vigil_report* r = nullptr;
    vigil_engine_evaluate(Engine(), d, as_of.c_str(),
                          static_cast<int>(state.range(0)), &r, nullptr);
    benchmark::DoNotOptimize(vigil_report_assessment_count(r));
    vigil_report_destroy(r);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
}
BENCHMARK(BM_CApiEvaluateIndexed)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Protobuf bytes in (a whole vigil.v1.Dataset), binary report out.
void BM_CApiBytesEvaluateSerialize(benchmark::State& state) {
  const std::string bytes = ToDataset(England()).SerializeAsString();
  const std::string as_of = AsOf(England());
  for (auto _ : state) {
    vigil_report* r = nullptr;
    vigil_engine_evaluate_bytes(Engine(), bytes.data(), bytes.size(),
                                VIGIL_FORMAT_BINARY, as_of.c_str(), &r,
                                nullptr);
    char* out = nullptr;
    size_t length = 0;
    vigil_report_serialize(r, VIGIL_FORMAT_BINARY, &out, &length, nullptr);
    benchmark::DoNotOptimize(length);
    vigil_free(out);
    vigil_report_destroy(r);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_CApiBytesEvaluateSerialize)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bench
}  // namespace vigil
