// The example dashboards must match their reviewed golden reports byte for
// byte: the A&E example as of March 2019 and the HCAI example (trajectories
// and CQUIN) as of March 2018. After an intended change, regenerate them
// with scripts/update_golden.sh and review the diff.
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;

// The report's JSON must equal the golden file, and the streamed JSON the
// same bytes.
void ExpectMatchesGolden(const v1::Report& report, const std::string& name) {
  auto golden = ReadFile(kRoot + "/tests/golden/" + name);
  ASSERT_TRUE(golden.ok()) << golden.status();
  const std::string actual = vigil::ReportJson(report);
  EXPECT_TRUE(actual == *golden)
      << "the report differs from tests/golden/" << name
      << "; if the change is intended, run scripts/update_golden.sh and "
         "review the diff";
  // The tool streams the same bytes without holding them in memory.
  std::ostringstream streamed;
  ASSERT_TRUE(vigil::PrintReportJson(report, streamed));
  EXPECT_TRUE(streamed.str() == actual);
}

// The pack of examples/<name>/ compiled (null, with a failure, if not).
std::unique_ptr<Engine> ExampleEngine(const std::string& ex) {
  auto rules = LoadRuleSet(ex + "rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return nullptr;
  auto engine = Engine::Create(*rules);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

// The example's CSV files indexed: `observations` (the main job's are
// observations.csv), and plans.csv too when `with_plans`.
SeriesStore IndexExample(const std::string& ex, const char* observations,
                         bool with_plans) {
  DatasetIndexer indexer;
  std::vector<std::pair<const char*, DataKind>> files = {
      {"providers.csv", DataKind::kProviders},
      {"indicators.csv", DataKind::kIndicators},
      {observations, DataKind::kObservations}};
  if (with_plans) files.push_back({"plans.csv", DataKind::kPlans});
  for (const auto& [file, kind] : files) {
    EXPECT_TRUE(AddDataFile(ex + file, kind, &indexer).ok()) << file;
  }
  return std::move(indexer).Build();
}

TEST(GoldenReportTest, ExampleDashboardMatchesGoldenJson) {
  const std::string ex = kRoot + "/examples/nhs_early_warning/";
  std::unique_ptr<Engine> engine = ExampleEngine(ex);
  ASSERT_NE(engine, nullptr);
  auto report =
      engine->Evaluate(IndexExample(ex, "observations.csv", false), "2019-03");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GE(report->providers_size(), 130);
  ExpectMatchesGolden(*report, "nhs_early_warning_2019-03.json");
}

TEST(GoldenReportTest, HcaiTrajectoriesAndCquinMatchGoldenJson) {
  const std::string ex = kRoot + "/examples/hcai/";
  std::unique_ptr<Engine> engine = ExampleEngine(ex);
  ASSERT_NE(engine, nullptr);
  auto report =
      engine->Evaluate(IndexExample(ex, "observations.csv", true), "2018-03");
  ASSERT_TRUE(report.ok()) << report.status();
  // The trust and 15 CCGs; every plan row used.
  EXPECT_EQ(report->providers_size(), 16);
  EXPECT_EQ(report->plans_read(), 380);
  EXPECT_EQ(report->plans_rejected(), 0);
  ExpectMatchesGolden(*report, "hcai_2018-03.json");
}

// Evaluated as of each month of 2017/18, a trajectory shows its objective
// breached from the month the running total passes it, never before, and
// red from then on: R0A's C. difficile passes 130 in Mar 2018 (121 to Feb,
// 138 to Mar); Bury CCG's first MRSA case of the year is in Jul 2017.
TEST(GoldenReportTest, HcaiObjectiveBreachedFromTheMonthItIsCrossed) {
  const std::string ex = kRoot + "/examples/hcai/";
  std::unique_ptr<Engine> engine = ExampleEngine(ex);
  ASSERT_NE(engine, nullptr);
  const SeriesStore data = IndexExample(ex, "observations.csv", true);
  const char* const kMonths[] = {"2017-04", "2017-05", "2017-06", "2017-07",
                                 "2017-08", "2017-09", "2017-10", "2017-11",
                                 "2017-12", "2018-01", "2018-02", "2018-03"};
  for (const std::string as_of : kMonths) {
    auto report = engine->Evaluate(data, as_of);
    ASSERT_TRUE(report.ok()) << report.status();
    const v1::Assessment* cdi = nullptr;
    const v1::Assessment* bury = nullptr;
    for (const v1::Assessment& a : report->assessments()) {
      if (a.provider_id() == "R0A" && a.rule_id() == "cdi_trajectory") cdi = &a;
      if (a.provider_id() == "00V" && a.rule_id() == "mrsa_trajectory") {
        bury = &a;
      }
    }
    ASSERT_NE(cdi, nullptr) << as_of;
    ASSERT_NE(bury, nullptr) << as_of;
    const bool cdi_breached = as_of >= "2018-03";
    EXPECT_EQ(cdi->reason().find("breached in Mar 2018") != std::string::npos,
              cdi_breached)
        << as_of << ": " << cdi->reason();
    EXPECT_EQ(cdi->reason().find("breached") != std::string::npos, cdi_breached)
        << as_of << ": " << cdi->reason();
    EXPECT_EQ(cdi->rating() == v1::RATING_RED, cdi_breached)
        << as_of << ": " << cdi->reason();
    const bool bury_breached = as_of >= "2017-07";
    EXPECT_EQ(bury->reason().find("breached in Jul 2017") != std::string::npos,
              bury_breached)
        << as_of << ": " << bury->reason();
    // Before July the months so far are on plan (green); from August the
    // file has no MRSA data, but the breach stays red.
    EXPECT_EQ(bury->rating(), bury_breached ? v1::RATING_RED : v1::RATING_GREEN)
        << as_of << ": " << bury->reason();
  }
}

}  // namespace
}  // namespace vigil
