// The example dashboard as of March 2019 must match the reviewed golden
// report byte for byte. After an intended change, regenerate it with
// scripts/update_golden.sh and review the diff.
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;

TEST(GoldenReportTest, ExampleDashboardMatchesGoldenJson) {
  const std::string ex = kRoot + "/examples/nhs_early_warning/";
  auto rules = LoadRuleSet(ex + "rules.textproto");
  ASSERT_TRUE(rules.ok()) << rules.status();
  auto engine = Engine::Create(*rules);
  ASSERT_TRUE(engine.ok()) << engine.status();
  DatasetIndexer indexer;
  ASSERT_TRUE(
      AddDataFile(ex + "providers.csv", DataKind::kProviders, &indexer).ok());
  ASSERT_TRUE(
      AddDataFile(ex + "indicators.csv", DataKind::kIndicators, &indexer).ok());
  ASSERT_TRUE(
      AddDataFile(ex + "observations.csv", DataKind::kObservations, &indexer)
          .ok());
  auto report = (*engine)->Evaluate(std::move(indexer).Build(), "2019-03");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GE(report->providers_size(), 130);
  auto golden =
      ReadFile(kRoot + "/tests/golden/nhs_early_warning_2019-03.json");
  ASSERT_TRUE(golden.ok()) << golden.status();
  const std::string actual = vigil::ReportJson(*report);
  EXPECT_TRUE(actual == *golden)
      << "the report differs from tests/golden/nhs_early_warning_2019-03.json; "
         "if the change is intended, run scripts/update_golden.sh and review "
         "the diff";
  // The tool streams the same bytes without holding them in memory.
  std::ostringstream streamed;
  ASSERT_TRUE(vigil::PrintReportJson(*report, streamed));
  EXPECT_TRUE(streamed.str() == actual);
}

}  // namespace
}  // namespace vigil
