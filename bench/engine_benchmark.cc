// Indexing and end-to-end evaluation on the England-scale workload:
// 250 providers x 40 indicators x 120 months (about 1.2 million
// observations) with the full rule pack (bench/workload.h).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/json_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "workload.h"

namespace vigil {
namespace bench {
namespace {

// A fifth of England (50 providers) for the slower text formats.
const Workload& Region() {
  static const Workload* w = [] {
    WorkloadOptions o;
    o.providers = 50;
    return new Workload(MakeWorkload(o));
  }();
  return *w;
}

// The engine of the full pack, compiled once (a bad pack is a bug: abort).

void BM_IndexRows(benchmark::State& state) {
  const Workload& w = England();
  for (auto _ : state) {
    DatasetIndexer indexer;
    AddToIndexer(w, &indexer);
    SeriesStore store = std::move(indexer).Build();
    benchmark::DoNotOptimize(store.num_series());
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.rows.size()));
}
BENCHMARK(BM_IndexRows)->Unit(benchmark::kMillisecond);

void BM_IndexProtobufBinary(benchmark::State& state) {
  const Workload& w = England();
  const std::string bytes = ToDataset(w).SerializeAsString();
  for (auto _ : state) {
    DatasetIndexer indexer;
    if (!AddDataBytes(bytes, Format::kBinary, DataKind::kObservations,
                      "bench.pb", &indexer)
             .ok()) {
      state.SkipWithError("parse failed");
    }
    SeriesStore store = std::move(indexer).Build();
    benchmark::DoNotOptimize(store.num_series());
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.rows.size()));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_IndexProtobufBinary)->Unit(benchmark::kMillisecond);

// Indexes the England CSV files into a store: the observations through
// `add_observations` (from bytes or from a file).
template <typename AddObservations>
void IndexEnglandCsv(benchmark::State& state,
                     AddObservations add_observations) {
  const Workload& w = England();
  const std::string providers = ProvidersCsv(w);
  const std::string indicators = IndicatorsCsv(w);
  for (auto _ : state) {
    DatasetIndexer indexer;
    bool ok = AddDataBytes(providers, Format::kCsv, DataKind::kProviders,
                           "p.csv", &indexer)
                  .ok() &&
              AddDataBytes(indicators, Format::kCsv, DataKind::kIndicators,
                           "i.csv", &indexer)
                  .ok() &&
              add_observations(&indexer).ok();
    if (!ok) state.SkipWithError("csv failed");
    SeriesStore store = std::move(indexer).Build();
    benchmark::DoNotOptimize(store.num_series());
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.rows.size()));
}

// IndexEnglandCsv with the observations from the bytes `csv`.
void IndexEnglandCsvBytes(benchmark::State& state, const std::string& csv) {
  IndexEnglandCsv(state, [&csv](DatasetIndexer* indexer) {
    return AddDataBytes(csv, Format::kCsv, DataKind::kObservations, "o.csv",
                        indexer);
  });
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(csv.size()));
}

void BM_IndexCsv(benchmark::State& state) {
  IndexEnglandCsvBytes(state, ObservationsCsv(England()));
}
BENCHMARK(BM_IndexCsv)->Unit(benchmark::kMillisecond);

// The same CSV from a file (read in pieces of 256 KB), then Build: what
// `vigil evaluate` spends on --data before evaluating.
void BM_IndexCsvFile(benchmark::State& state) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") +
                           "/vigil_bench_observations.csv";
  std::ofstream(path, std::ios::binary) << ObservationsCsv(England());
  IndexEnglandCsv(state, [&path](DatasetIndexer* indexer) {
    return AddDataFile(path, DataKind::kObservations, indexer);
  });
  std::remove(path.c_str());
}
BENCHMARK(BM_IndexCsvFile)->Unit(benchmark::kMillisecond);

// The same rows with every field quoted, as spreadsheet exports write
// them: each record goes through CsvReader::Next.
void BM_IndexCsvQuoted(benchmark::State& state) {
  const std::string plain = ObservationsCsv(England());
  std::string quoted;
  quoted.reserve(plain.size() * 2);
  for (absl::string_view line :
       absl::StrSplit(plain, '\n', absl::SkipEmpty())) {
    for (absl::string_view field : absl::StrSplit(line, ',')) {
      absl::StrAppend(&quoted, "\"", field, "\",");
    }
    quoted.back() = '\n';
  }
  IndexEnglandCsvBytes(state, quoted);
}
BENCHMARK(BM_IndexCsvQuoted)->Unit(benchmark::kMillisecond);

void BM_IndexJson(benchmark::State& state) {
  const Workload& w = Region();
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(ToDataset(w), &json);
  for (auto _ : state) {
    DatasetIndexer indexer;
    if (!AddDataBytes(json, Format::kJson, DataKind::kObservations,
                      "bench.json", &indexer)
             .ok()) {
      state.SkipWithError("parse failed");
    }
    SeriesStore store = std::move(indexer).Build();
    benchmark::DoNotOptimize(store.num_series());
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.rows.size()));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_IndexJson)->Unit(benchmark::kMillisecond);

// Indexing and evaluation together, rows in (compare
// BM_CApiArraysIndexAndEvaluate).
void BM_IndexAndEvaluateEngland(benchmark::State& state) {
  const Workload& w = England();
  const Engine& engine = FullPackEngine();
  const std::string as_of = AsOf(w);
  for (auto _ : state) {
    DatasetIndexer indexer;
    AddToIndexer(w, &indexer);
    auto report = engine.Evaluate(std::move(indexer).Build(), as_of);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(w.rows.size()));
}
BENCHMARK(BM_IndexAndEvaluateEngland)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Engine::Evaluate end to end on an indexed store, full pack; the argument
// is the number of worker threads of the one evaluation.
void BM_EvaluateEngland(benchmark::State& state) {
  const SeriesStore& store = EnglandStore();
  const Engine& engine = FullPackEngine();
  EvaluateOptions options;
  options.threads = static_cast<int>(state.range(0));
  const std::string as_of = AsOf(England());
  int64_t assessments = 0;
  for (auto _ : state) {
    auto report = engine.Evaluate(store, as_of, options);
    assessments = report->assessments_size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["assessments"] = static_cast<double>(assessments);
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
}
BENCHMARK(BM_EvaluateEngland)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same, with the report on a protobuf arena (Engine::EvaluateInto with
// ReportArenaOptions; the C API and the tool do this). Argument 0: worker
// threads; argument 1: whether freeing the report (the arena) is timed too,
// or happens outside the timed region as a host would after reading it.
void BM_EvaluateEnglandArena(benchmark::State& state) {
  const SeriesStore& store = EnglandStore();
  const Engine& engine = FullPackEngine();
  EvaluateOptions options;
  options.threads = static_cast<int>(state.range(0));
  const bool time_free = state.range(1) != 0;
  const std::string as_of = AsOf(England());
  int64_t assessments = 0;
  for (auto _ : state) {
    auto arena =
        std::make_unique<google::protobuf::Arena>(ReportArenaOptions());
    auto* report =
        google::protobuf::Arena::CreateMessage<v1::Report>(arena.get());
    if (!engine.EvaluateInto(store, as_of, options, report).ok()) {
      state.SkipWithError("evaluation failed");
    }
    assessments = report->assessments_size();
    benchmark::DoNotOptimize(report);
    if (time_free) {
      arena.reset();
    } else {
      state.PauseTiming();
      arena.reset();
      state.ResumeTiming();
    }
  }
  state.counters["assessments"] = static_cast<double>(assessments);
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
}
BENCHMARK(BM_EvaluateEnglandArena)
    ->ArgNames({"threads", "free_timed"})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Many hosts sharing one engine: each benchmark thread runs its own
// single-threaded evaluation.
void BM_EvaluateSharedEngine(benchmark::State& state) {
  const Engine& engine = FullPackEngine();
  const SeriesStore& store = EnglandStore();
  const std::string as_of = AsOf(England());
  for (auto _ : state) {
    auto report = engine.Evaluate(store, as_of);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(England().rows.size()));
}
BENCHMARK(BM_EvaluateSharedEngine)
    ->ThreadRange(1, 2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bench
}  // namespace vigil
