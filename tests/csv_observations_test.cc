// A CSV file of observations read by a pipeline of two threads
// (DataFileOptions::threads >= 2) indexes exactly as read on one: the same
// report and the same diagnostics, on the real A&E example with rows that
// cannot be used and a quoted record late in the file.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kExample =
    std::string(VIGIL_SOURCE_DIR) + "/examples/nhs_early_warning/";

struct Indexed {
  std::string report;
  std::string diagnostics;
  int64_t observations_read = 0;
};

Indexed IndexAndEvaluate(const std::string& observations, int threads) {
  Indexed out;
  DatasetIndexer indexer;
  EXPECT_TRUE(
      AddDataFile(kExample + "providers.csv", DataKind::kProviders, &indexer)
          .ok());
  EXPECT_TRUE(
      AddDataFile(kExample + "indicators.csv", DataKind::kIndicators, &indexer)
          .ok());
  DataFileOptions options;
  options.threads = threads;
  const absl::Status added =
      AddDataFile(observations, DataKind::kObservations, &indexer, options);
  EXPECT_TRUE(added.ok()) << added;
  absl::StatusOr<SeriesStore> store = std::move(indexer).Build();
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return out;
  for (const v1::Diagnostic& d : store->diagnostics()) {
    out.diagnostics += d.message() + "\n";
  }
  out.observations_read = store->observations_read();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(testing::ExamplePackWithComposite(kExample));
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return out;
  v1::Report report;
  EXPECT_TRUE((*engine)
                  ->EvaluateInto(*store, "2019-03", EvaluateOptions(), &report)
                  .ok());
  out.report = report.SerializeAsString();
  return out;
}

TEST(CsvObservationsTest, TwoThreadsIndexAsOne) {
  std::ifstream in(kExample + "observations.csv", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string csv = text.str();
  const size_t middle = csv.find('\n', csv.size() / 2) + 1;
  // Rows that cannot be used, in the middle of the file: a field too many,
  // a value that is not a number; and blank lines.
  std::string bad;
  for (int i = 0; i < 50; ++i) {
    bad += "R0A,AE_4HR_T1,2015-01,90,1,2,extra\n";
    bad += "R0A,AE_4HR_T1,2015-02,ninety,,\n\n";
  }
  csv.insert(middle, bad);
  // A quoted record near the end: the rest of the file is read whole.
  csv.insert(csv.rfind('\n', csv.size() - 2) + 1,
             "\"R0A\",\"AE_4HR_T1\",\"2010-01\",91,,\n");
  const std::string path = ::testing::TempDir() + "/pipelined.csv";
  std::ofstream(path, std::ios::binary) << csv;

  const Indexed one = IndexAndEvaluate(path, 1);
  const Indexed two = IndexAndEvaluate(path, 2);
  // The bad rows are reported, each once, and counted as read.
  EXPECT_NE(one.diagnostics.find("is not a number"), std::string::npos);
  EXPECT_NE(one.diagnostics.find("7 fields where the header has 6"),
            std::string::npos);
  EXPECT_GT(one.observations_read, 24000);
  EXPECT_EQ(two.observations_read, one.observations_read);
  EXPECT_EQ(two.diagnostics, one.diagnostics);
  EXPECT_FALSE(one.report.empty());
  EXPECT_TRUE(two.report == one.report);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace vigil
