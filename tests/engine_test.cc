// Engine: determinism, as-of handling, unused observations and roll-up.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/io.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::ParseText;

const std::string kExample =
    std::string(VIGIL_SOURCE_DIR) + "/examples/nhs_early_warning/";

std::string ReadOrDie(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

// The example's JSON report with the observation rows in the given order.
std::string ExampleJson(const std::string& observations_csv) {
  auto rules = LoadRuleSet(kExample + "rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  auto engine = Engine::Create(*rules);
  EXPECT_TRUE(engine.ok()) << engine.status();
  DatasetIndexer indexer;
  EXPECT_TRUE(
      AddDataFile(kExample + "providers.csv", DataKind::kProviders, &indexer)
          .ok());
  EXPECT_TRUE(
      AddDataFile(kExample + "indicators.csv", DataKind::kIndicators, &indexer)
          .ok());
  EXPECT_TRUE(AddDataBytes(observations_csv, Format::kCsv,
                           DataKind::kObservations, "observations.csv",
                           &indexer)
                  .ok());
  auto report = (*engine)->Evaluate(std::move(indexer).Build(), "2019-03");
  EXPECT_TRUE(report.ok()) << report.status();
  return vigil::ReportJson(*report);
}

TEST(EngineTest, PermutingInputRowsChangesNoByteOfTheJsonReport) {
  const std::string csv = ReadOrDie(kExample + "observations.csv");
  std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  const std::string header = lines.front();
  std::vector<std::string> rows(lines.begin() + 1, lines.end());
  const std::string original = ExampleJson(csv);
  ASSERT_GT(original.size(), 1000u);
  for (unsigned seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    std::shuffle(rows.begin(), rows.end(), rng);
    const std::string shuffled =
        header + "\n" + absl::StrJoin(rows, "\n") + "\n";
    EXPECT_EQ(ExampleJson(shuffled), original) << "seed " << seed;
  }
}

TEST(EngineTest, EmptyAsOfMeansTheLatestPeriodWithData) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "C", "2019-01", {1, 2, 3});
  v1::Report r = EvaluatePack(
      "rules { id: 'r' selector { all_indicators: true } threshold { standard: "
      "5 } }",
      d, "");
  EXPECT_EQ(r.as_of(), "2019-03");
}

TEST(EngineTest, BadAsOfIsAnErrorNamingTheField) {
  auto engine = Engine::Create(
      testing::PackWith("rules { id: 'r' selector { all_indicators: true } "
                        "threshold { standard: 5 } }"));
  ASSERT_TRUE(engine.ok());
  auto report = (*engine)->Evaluate(v1::Dataset(), "March");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("as_of: period \"March\""),
            std::string::npos);
  auto empty = (*engine)->Evaluate(v1::Dataset(), "");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("as_of"), std::string::npos);
}

TEST(EngineTest, ObservationsAfterAsOfOrUnselectedAreReportedNotDropped) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  *d.add_indicators() =
      MakeIndicator("U", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  AddMonthlyValues(&d, "P1", "C", "2019-01", {1, 2, 3});
  AddMonthlyValues(&d, "P1", "U", "2019-01", {1});
  v1::Report r = EvaluatePack(
      "rules { id: 'r' selector { indicator_ids: 'C' } threshold { standard: 5 "
      "} }",
      d, "2019-01");
  std::vector<std::string> codes;
  for (const auto& diag : r.diagnostics()) {
    codes.push_back(v1::DiagnosticCode_Name(diag.code()) + ": " +
                    diag.message());
  }
  ASSERT_EQ(codes.size(), 2u) << ::testing::PrintToString(codes);
  EXPECT_EQ(codes[0],
            "DIAGNOSTIC_CODE_AFTER_AS_OF: 2 observations of indicator 'C' are "
            "after the "
            "as-of period (Jan 2019) and were not used");
  EXPECT_EQ(codes[1],
            "DIAGNOSTIC_CODE_NOT_SELECTED: 1 observations of indicator 'U' "
            "were not used: "
            "no rule selects it");
  EXPECT_EQ(r.observations_read(), 4);
  EXPECT_EQ(r.observations_used(), 1);
  EXPECT_EQ(r.observations_rejected(), 3);
}

TEST(EngineTest, AsOfMapsToEachIndicatorsFrequency) {
  v1::Indicator q =
      MakeIndicator("Q", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  q.set_frequency(v1::FREQUENCY_QUARTERLY);
  v1::Dataset d = DatasetWith(q);
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'P1' indicator_id: 'Q' period: '2019-Q1' value: 9");
  v1::Assessment a =
      Find(EvaluatePack("rules { id: 'r' selector { all_indicators: true } "
                        "threshold { standard: 5 } }",
                        d, "2019-03"),
           "P1", "r");
  EXPECT_EQ(a.period(), "2019-Q1");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
}

TEST(EngineTest, ProviderSummariesCountByDomainAndEscalate) {
  v1::Dataset d =
      DatasetWith(MakeIndicator("S", v1::UNIT_COUNT,
                                v1::POLARITY_LOWER_IS_BETTER, v1::DOMAIN_SAFE),
                  3);
  *d.add_indicators() = MakeIndicator(
      "R", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER, v1::DOMAIN_RESPONSIVE);
  AddMonthlyValues(&d, "P1", "S", "2019-01", {9});
  AddMonthlyValues(&d, "P1", "R", "2019-01", {9});
  AddMonthlyValues(&d, "P2", "S", "2019-01", {1});
  const char rules[] = R"pb(
    rules {
      id: "warn"
      severity: SEVERITY_WARNING
      selector { all_indicators: true }
      threshold { standard: 5 }
    }
    rules {
      id: "crit"
      severity: SEVERITY_CRITICAL
      selector { all_indicators: true }
      threshold { standard: 5 }
    }
    rules {
      id: "p3only"
      selector { all_indicators: true provider_ids: "P9" }
      threshold { standard: 5 }
    })pb";
  v1::Report r = EvaluatePack(rules, d, "2019-01");
  ASSERT_EQ(r.providers_size(), 3);
  const v1::ProviderSummary& p1 = r.providers(0);
  EXPECT_EQ(p1.worst_rating(), v1::RATING_RED);
  EXPECT_EQ(p1.counts().red(), 4);
  ASSERT_EQ(p1.domains_size(), 2);
  EXPECT_EQ(p1.domains(0).domain(), v1::DOMAIN_SAFE);
  EXPECT_EQ(p1.domains(0).counts().red(), 2);
  EXPECT_EQ(p1.escalation(), v1::ESCALATION_LEVEL_RISK_SUMMIT);
  EXPECT_NE(p1.escalation_reason().find(
                "4 red ratings (2 from critical rules) in 2 domains"),
            std::string::npos);
  const v1::ProviderSummary& p2 = r.providers(1);
  EXPECT_EQ(p2.worst_rating(), v1::RATING_GREEN);
  EXPECT_EQ(p2.escalation(), v1::ESCALATION_LEVEL_ROUTINE);
  const v1::ProviderSummary& p3 = r.providers(2);
  EXPECT_EQ(p3.worst_rating(), v1::RATING_NO_DATA);
}

TEST(EngineTest, OneRedFromAWarningRuleIsEnhancedSurveillance) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("S", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "S", "2019-01", {9});
  v1::Report r = EvaluatePack(
      "rules { id: 'w' selector { all_indicators: true } threshold { standard: "
      "5 } }",
      d, "2019-01");
  EXPECT_EQ(r.providers(0).escalation(),
            v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
  v1::Report info = EvaluatePack(
      "rules { id: 'w' severity: SEVERITY_INFO selector { all_indicators: true "
      "} "
      "threshold { standard: 5 } }",
      d, "2019-01");
  EXPECT_EQ(info.providers(0).escalation(), v1::ESCALATION_LEVEL_ROUTINE);
}

TEST(EngineTest, EngineIsSharedByThreads) {
  auto engine = Engine::Create(
      testing::PackWith("rules { id: 'r' selector { all_indicators: true } "
                        "threshold { standard: 5 } }"));
  ASSERT_TRUE(engine.ok());
  v1::Dataset d = DatasetWith(
      MakeIndicator("S", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  AddMonthlyValues(&d, "P1", "S", "2019-01", {9});
  const SeriesStore store = IndexDataset(d);
  const std::string expected =
      (*engine)->Evaluate(store, "2019-01")->SerializeAsString();
  std::vector<std::thread> threads;
  std::vector<int> same(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto report = (*engine)->Evaluate(store, "2019-01");
        same[t] += report.ok() && report->SerializeAsString() == expected;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(same[t], 50);
}

// The example pack's engine and the example data, indexed.
struct Example {
  std::unique_ptr<Engine> engine;
  SeriesStore store;
};

Example LoadExample() {
  Example ex;
  auto rules = LoadRuleSet(kExample + "rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  auto engine = Engine::Create(*rules);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (engine.ok()) ex.engine = *std::move(engine);
  DatasetIndexer indexer;
  for (const auto& [file, kind] :
       {std::make_pair("providers.csv", DataKind::kProviders),
        std::make_pair("indicators.csv", DataKind::kIndicators),
        std::make_pair("observations.csv", DataKind::kObservations)}) {
    EXPECT_TRUE(AddDataFile(kExample + file, kind, &indexer).ok()) << file;
  }
  ex.store = std::move(indexer).Build();
  return ex;
}

TEST(EngineTest, WorkerThreadsGiveTheSameBytesAsOneThread) {
  const Example ex = LoadExample();
  ASSERT_NE(ex.engine, nullptr);
  const SeriesStore& store = ex.store;
  const std::string one =
      ex.engine->Evaluate(store, "2019-03")->SerializeAsString();
  for (int threads : {2, 3, 7, EvaluateOptions::kMaxThreads}) {
    EvaluateOptions options;
    options.threads = threads;
    auto report = ex.engine->Evaluate(store, "2019-03", options);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->SerializeAsString(), one) << threads << " threads";
  }
}

TEST(EngineTest, MoreThreadsThanTheLimitIsAnErrorNamingIt) {
  const Example ex = LoadExample();
  ASSERT_NE(ex.engine, nullptr);
  EvaluateOptions options;
  options.threads = EvaluateOptions::kMaxThreads + 1;
  auto report = ex.engine->Evaluate(ex.store, "2019-03", options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report.status().message(), "threads: at most 256, got 257");
}

TEST(EngineTest, EvaluateIntoAnArenaReportGivesTheSameBytes) {
  const Example ex = LoadExample();
  ASSERT_NE(ex.engine, nullptr);
  const SeriesStore& store = ex.store;
  const std::string heap =
      ex.engine->Evaluate(store, "2019-03")->SerializeAsString();
  for (int threads : {1, 2, 5}) {
    google::protobuf::Arena arena(ReportArenaOptions());
    auto* report = google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
    report->set_ruleset_id("left over from an earlier use");
    EvaluateOptions options;
    options.threads = threads;
    ASSERT_TRUE(
        ex.engine->EvaluateInto(store, "2019-03", options, report).ok());
    EXPECT_EQ(report->SerializeAsString(), heap) << threads << " threads";
    // Reusing the report for another as-of replaces, not appends.
    ASSERT_TRUE(
        ex.engine->EvaluateInto(store, "2018-03", options, report).ok());
    EXPECT_EQ(report->SerializeAsString(),
              ex.engine->Evaluate(store, "2018-03")->SerializeAsString());
  }
  v1::Report report;
  EXPECT_EQ(ex.engine->EvaluateInto(store, "March", EvaluateOptions(), &report)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ex.engine->EvaluateInto(store, "2019-03", EvaluateOptions(), nullptr)
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(EngineTest, BuildLeavesAnEmptyUsableIndexer) {
  DatasetIndexer indexer;
  const int source = indexer.AddSource("rows");
  ObservationRow row;
  row.provider_id = "RAE";
  row.indicator_id = "AE";
  row.period = "2019-03";
  row.has_value = true;
  row.value = 90;
  indexer.AddObservation(row, source, 1);
  const SeriesStore first = std::move(indexer).Build();
  EXPECT_EQ(first.observations_read(), 1);
  // The spent indexer holds nothing (its rows were freed by Build).
  const SeriesStore second = std::move(indexer).Build();
  EXPECT_EQ(second.observations_read(), 0);
  EXPECT_EQ(second.num_series(), 0);
}

}  // namespace
}  // namespace vigil
