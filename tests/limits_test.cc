// Resource limits and the cost of evaluation (issue 14, defect 2). Each test
// says how it failed before its fix.
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/rules/rule_kind.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::MakeIndicator;
using testing::PackWith;

// `n` providers W0.., each with its own monthly indicator I0.. and one value.
v1::Dataset OwnIndicators(int n) {
  v1::Dataset d;
  for (int p = 0; p < n; ++p) {
    const std::string k = std::to_string(p);
    v1::Provider* provider = d.add_providers();
    provider->set_id("W" + k);
    *d.add_indicators() = MakeIndicator(
        "I" + k, v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER, v1::DOMAIN_SAFE);
    AddMonthlyValues(&d, "W" + k, "I" + k, "2025-12", {1});
  }
  return d;
}

constexpr char kEveryIndicator[] = R"(
  rules { id: 'mean_3' selector { all_indicators: true }
          threshold { standard: 10 red_threshold: 20
                      statistic: STATISTIC_MEAN window_periods: 3 } }
  rules { id: 'complete' selector { all_indicators: true }
          data_quality { } })";

// Before: every provider x every indicator was visited and the data-quality
// rule made a red for each pair with no data: 400,020,000 assessments,
// gigabytes and minutes (0.6 s / 2.1 s / 13.1 s at 5k / 10k / 20k without
// the data-quality rule).
TEST(LimitsTest, ProvidersWithTheirOwnIndicatorsCostWhatExists) {
  constexpr int kProviders = 20000;
  const v1::Dataset data = OwnIndicators(kProviders);
  auto engine = Engine::Create(PackWith(kEveryIndicator));
  ASSERT_TRUE(engine.ok()) << engine.status();
  const SeriesStore store = IndexDataset(data);
  auto report = (*engine)->Evaluate(store, "2025-12");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->assessments_size(), 2 * kProviders);
  EXPECT_EQ(report->providers_size(), kProviders);
  // The time (0.1 s) is BM_OwnIndicatorPerProvider's to measure
  // (bench/limits_benchmark.cc).
}

// The decision on absent pairs (rules.proto, DataQualityRule): a rule that
// names the indicator by id still reports a provider with no data for it;
// one selecting by domain, tag or all indicators does not invent one. The
// provider with no assessment at all is NO_DATA in its summary, never green.
// Before: the domain rule made a red for P2 as well.
TEST(LimitsTest, OnlyARuleNamingTheIndicatorAssessesAPairWithNoData) {
  v1::Dataset data = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 2);
  AddMonthlyValues(&data, "P1", "C", "2019-01", {1, 2, 3});
  const v1::Report named = testing::EvaluatePack(
      "rules { id: 'dq' selector { indicator_ids: 'C' } data_quality { } }",
      data, "2019-03");
  const v1::Assessment p2 = testing::Find(named, "P2", "dq");
  EXPECT_EQ(p2.rating(), v1::RATING_RED);
  EXPECT_NE(p2.reason().find("no data at all"), std::string::npos);

  const v1::Report by_domain = testing::EvaluatePack(
      "rules { id: 'dq' selector { domains: DOMAIN_SAFE } data_quality { } }",
      data, "2019-03");
  ASSERT_EQ(by_domain.assessments_size(), 1);
  EXPECT_EQ(by_domain.assessments(0).provider_id(), "P1");
  ASSERT_EQ(by_domain.providers_size(), 2);
  EXPECT_EQ(by_domain.providers(1).provider_id(), "P2");
  EXPECT_EQ(by_domain.providers(1).worst_rating(), v1::RATING_NO_DATA);
}

// A pair with a plan but no observation still exists: rules that need no
// series (data quality) assess it whatever their selector.
TEST(LimitsTest, APairWithOnlyAPlanIsAssessed) {
  v1::Dataset data = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 2);
  AddMonthlyValues(&data, "P1", "C", "2019-01", {1, 2, 3});
  v1::PlanValue* plan = data.add_plans();
  plan->set_provider_id("P2");
  plan->set_indicator_id("C");
  plan->set_period("2019-03");
  plan->set_value(4);
  const v1::Report report = testing::EvaluatePack(
      "rules { id: 'dq' selector { all_indicators: true } data_quality { } }",
      data, "2019-03");
  EXPECT_EQ(testing::Find(report, "P2", "dq").rating(), v1::RATING_RED);
}

// `series` providers, each with a daily series of two rows 300 years apart.
v1::Dataset SparseDaily(int series) {
  v1::Dataset d;
  v1::Indicator daily =
      MakeIndicator("D", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  daily.set_frequency(v1::FREQUENCY_DAILY);
  *d.add_indicators() = daily;
  for (int p = 0; p < series; ++p) {
    for (const char* day : {"1900-01-01", "2199-12-31"}) {
      v1::Observation* o = d.add_observations();
      o->set_provider_id("S" + std::to_string(p));
      o->set_indicator_id("D");
      o->set_period(day);
      o->set_value(1);
    }
  }
  return d;
}

// Before: no limit; 2,000 such series (88 KB of CSV) asked for 5.5 GB and
// the tool died on an uncaught std::bad_alloc.
TEST(LimitsTest, SparseDailySeriesOver300YearsFailsFastNamingTheLimit) {
  const v1::Dataset data = SparseDaily(2000);
  // Refused before allocating (its time is bench/limits_benchmark.cc's).
  absl::StatusOr<SeriesStore> store = IndexDataset(data, IndexLimits());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kResourceExhausted);
  const std::string message(store.status().message());
  EXPECT_NE(message.find("max_periods_per_series (100000)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("provider 'S0', indicator 'D'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("spans 109573 periods"), std::string::npos) << message;

  // The convenience Evaluate applies the default limits too.
  auto engine = Engine::Create(PackWith(kEveryIndicator));
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->Evaluate(data, "2199-12-31").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(LimitsTest, StoredPeriodsOverAllSeriesAreLimited) {
  IndexLimits limits;
  limits.max_periods_per_series = 200000;
  limits.max_stored_periods = 1000000;
  absl::StatusOr<SeriesStore> store = IndexDataset(SparseDaily(10), limits);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(store.status().message().find(
                "hold 1095730 periods, more than max_stored_periods (1000000)"),
            std::string::npos)
      << store.status();
  // Within the limits the same data is stored, and evaluates.
  limits.max_stored_periods = 1095730;
  store = IndexDataset(SparseDaily(10), limits);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(store->num_series(), 10);
}

TEST(LimitsTest, APlanSpanningTooManyPeriodsIsNamed) {
  v1::Dataset data = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 1);
  AddMonthlyValues(&data, "P1", "C", "2019-01", {1});
  for (const char* month : {"1900-01", "2199-12"}) {
    v1::PlanValue* plan = data.add_plans();
    plan->set_provider_id("P1");
    plan->set_indicator_id("C");
    plan->set_period(month);
    plan->set_value(4);
  }
  IndexLimits limits;
  limits.max_periods_per_series = 1000;
  absl::StatusOr<SeriesStore> store = IndexDataset(data, limits);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(
      store.status().message().find("the plan of provider 'P1', indicator 'C'"),
      std::string::npos)
      << store.status();
  EXPECT_NE(store.status().message().find("spans 3600 periods"),
            std::string::npos)
      << store.status();
}

TEST(LimitsTest, MoreAssessmentsThanTheLimitIsResourceExhausted) {
  const SeriesStore store = IndexDataset(OwnIndicators(100));
  auto engine = Engine::Create(PackWith(kEveryIndicator));
  ASSERT_TRUE(engine.ok());
  for (const int threads : {1, 3}) {
    EvaluateOptions options;
    options.threads = threads;
    options.max_assessments = 199;
    v1::Report report;
    const absl::Status status =
        (*engine)->EvaluateInto(store, "2025-12", options, &report);
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
    EXPECT_NE(status.message().find("max_assessments (199)"), std::string::npos)
        << status;
    options.max_assessments = 200;
    EXPECT_TRUE(
        (*engine)->EvaluateInto(store, "2025-12", options, &report).ok());
    EXPECT_EQ(report.assessments_size(), 200);
  }
}

// A data-quality rule that runs out of memory on provider W7.
class ThrowingEvaluator : public internal::SeriesRuleEvaluator {
 public:
  void Assess(const internal::SeriesContext& context,
              v1::Assessment* out) const override {
    if (context.provider->id() == "W7") throw std::bad_alloc();
    out->set_rating(v1::RATING_GREEN);
  }
};

absl::StatusOr<std::unique_ptr<internal::RuleEvaluator>> CompileThrowing(
    const internal::RuleCompileContext&) {
  return std::make_unique<ThrowingEvaluator>();
}

// Before: the bad_alloc escaped a worker thread and std::terminate ended
// the process. Now it reaches the caller (the C API's Guard and the tool's
// main turn it into RESOURCE_EXHAUSTED / "out of memory").
TEST(LimitsTest, AnExceptionInAWorkerThreadReachesTheCaller) {
  internal::RuleKindRegistry kinds = internal::RuleKindRegistry::Builtin();
  kinds.Set(
      {v1::Rule::kDataQuality, internal::Phase::kPerSeries, &CompileThrowing});
  auto engine = internal::CreateEngine(
      PackWith("rules { id: 'x' selector { all_indicators: true } "
               "data_quality { } }"),
      kinds);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const SeriesStore store = IndexDataset(OwnIndicators(16));
  for (const int threads : {1, 4}) {
    EvaluateOptions options;
    options.threads = threads;
    v1::Report report;
    EXPECT_THROW(
        (void)(*engine)->EvaluateInto(store, "2025-12", options, &report),
        std::bad_alloc);
  }
}

}  // namespace
}  // namespace vigil
