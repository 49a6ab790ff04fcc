// No input may crash the library: random and mutated bytes through every
// reader, the indexer and the engine.
#include <cmath>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kExample =
    std::string(VIGIL_SOURCE_DIR) + "/examples/nhs_early_warning/";

std::string Mutate(std::string s, std::mt19937* rng, int edits) {
  static const char kAlphabet[] = ",\"\n\r-Q0123456789.eE+naif \t;";
  std::uniform_int_distribution<int> pick(0, sizeof(kAlphabet) - 2);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    std::uniform_int_distribution<size_t> at(0, s.size() - 1);
    switch ((*rng)() % 3) {
      case 0:
        s[at(*rng)] = kAlphabet[pick(*rng)];
        break;
      case 1:
        s.insert(at(*rng), 1, kAlphabet[pick(*rng)]);
        break;
      default:
        s.erase(at(*rng), 1);
        break;
    }
  }
  return s;
}

TEST(RobustnessTest, MutatedCsvNeverCrashesAndEveryRowIsAccounted) {
  auto rules = LoadRuleSet(kExample + "rules.textproto");
  ASSERT_TRUE(rules.ok());
  auto engine = Engine::Create(*rules);
  ASSERT_TRUE(engine.ok());
  const std::string providers = *ReadFile(kExample + "providers.csv");
  const std::string indicators = *ReadFile(kExample + "indicators.csv");
  const std::string observations =
      ReadFile(kExample + "observations.csv")->substr(0, 20000);
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    DatasetIndexer indexer;
    (void)AddDataBytes(Mutate(providers, &rng, 20), Format::kCsv,
                       DataKind::kProviders, "p.csv", &indexer);
    (void)AddDataBytes(Mutate(indicators, &rng, 3), Format::kCsv,
                       DataKind::kIndicators, "i.csv", &indexer);
    (void)AddDataBytes(Mutate(observations, &rng, 200), Format::kCsv,
                       DataKind::kObservations, "o.csv", &indexer);
    SeriesStore store = std::move(indexer).Build();
    EXPECT_EQ(store.observations_used() + store.observations_rejected(),
              store.observations_read());
    auto report = (*engine)->Evaluate(store, "2017-03");
    EXPECT_TRUE(report.ok()) << report.status();
  }
}

TEST(RobustnessTest, MutatedPlansCsvNeverCrashesAndEveryPlanRowIsAccounted) {
  const std::string providers = *ReadFile(kExample + "providers.csv");
  const std::string indicators = *ReadFile(kExample + "indicators.csv");
  std::string plans = "provider_id,indicator_id,period,value\n";
  for (const char* provider : {"R0A", "RRK", "RXQ"}) {
    for (int month = 1; month <= 12; ++month) {
      plans += std::string(provider) + ",AE_4HR_T1,2019-" +
               (month < 10 ? "0" : "") + std::to_string(month) + ",95\n";
    }
  }
  std::mt19937 rng(4242);
  for (int round = 0; round < 200; ++round) {
    DatasetIndexer indexer;
    (void)AddDataBytes(providers, Format::kCsv, DataKind::kProviders, "p.csv",
                       &indexer);
    (void)AddDataBytes(indicators, Format::kCsv, DataKind::kIndicators, "i.csv",
                       &indexer);
    (void)AddDataBytes(Mutate(plans, &rng, 30), Format::kCsv, DataKind::kPlans,
                       "plans.csv", &indexer);
    SeriesStore store = std::move(indexer).Build();
    EXPECT_EQ(store.plans_used() + store.plans_rejected(), store.plans_read());
    int64_t values = 0;
    for (int i = 0; i < store.num_plans(); ++i) {
      for (double v : store.plan(i).values) values += std::isnan(v) ? 0 : 1;
    }
    EXPECT_EQ(values, store.plans_used());
    EXPECT_EQ(store.observations_read(), 0);
  }
}

TEST(RobustnessTest, RandomBytesInEveryProtobufFormatAreErrorsNotCrashes) {
  std::mt19937 rng(99);
  for (int round = 0; round < 300; ++round) {
    std::string bytes(rng() % 200, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    for (Format f : {Format::kBinary, Format::kJson, Format::kText}) {
      (void)ParseRuleSet(bytes, f);
      DatasetIndexer indexer;
      (void)AddDataBytes(bytes, f, DataKind::kObservations, "x", &indexer);
      SeriesStore store = std::move(indexer).Build();
      (void)store.num_series();
    }
  }
}

TEST(RobustnessTest, ExtremeButValidNumbersAreHandled) {
  v1::Dataset d = testing::DatasetWith(testing::MakeIndicator(
      "C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  testing::AddMonthlyValues(&d, "P1", "C", "1900-01", {1e308, -1e308, 0});
  testing::AddMonthlyValues(&d, "P1", "C", "2200-12", {5e-324});
  auto engine = Engine::Create(testing::PackWith(R"pb(
    rules {
      id: "sum"
      selector { all_indicators: true }
      threshold { standard: 1 statistic: STATISTIC_SUM window_periods: 10000 }
    }
    rules {
      id: "mean"
      selector { all_indicators: true }
      threshold { standard: 1 statistic: STATISTIC_MEAN window_periods: 3 }
    }
    rules {
      id: "trend"
      selector { all_indicators: true }
      trend {
        comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
        red_after_periods: 1000
      }
    }
    rules {
      id: "dq"
      selector { all_indicators: true }
      data_quality { lookback_periods: 10000 }
    })pb"));
  ASSERT_TRUE(engine.ok());
  for (const char* as_of :
       {"1900-03", "2200-12", "1950-06", "2200", "1900-01-01"}) {
    auto report = (*engine)->Evaluate(d, as_of);
    ASSERT_TRUE(report.ok()) << as_of;
    for (const auto& a : report->assessments()) {
      EXPECT_NE(a.rating(), v1::RATING_UNSPECIFIED);
      EXPECT_FALSE(a.reason().empty());
    }
  }
}

}  // namespace
}  // namespace vigil
