// Back-testing on the real examples: Engine::EvaluateTimeline replays the
// dashboard at every month, on one or several threads, without explaining;
// every rating and escalation must still be exactly what a separate
// Engine::Evaluate as of that month gives, for every rule kind the examples
// use (threshold statistics, persistence, trends, XmR and attribute SPC,
// peer comparison, data quality, composites, trajectories, milestones).
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "vigil/engine.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;

// Rules added to the A&E example's pack so that composites, windowed
// means, sums, a p-chart and a previous-period trend are replayed too.
const char kExtraRules[] = R"(
  rules { id: 'x_two_of_three' severity: SEVERITY_CRITICAL
          selector { indicator_ids: 'AE_4HR_T1' }
          composite { rule_ids: 'ae_4hr_standard' rule_ids: 'ae_4hr_spc'
                      rule_ids: 'ae_4hr_deteriorating' minimum_red: 2 } }
  rules { id: 'x_worst_of' selector { indicator_ids: 'AE_4HR_T1' }
          composite { rule_ids: 'ae_4hr_ytd' rule_ids: 'ae_4hr_vs_last_year' } }
  rules { id: 'x_mean' selector { indicator_ids: 'AE_4HR_T1' }
          threshold { standard: 92 amber_tolerance_relative: 0.02
                      statistic: STATISTIC_MEAN window_periods: 3 } }
  rules { id: 'x_admissions_sum' selector { indicator_ids: 'AE_ADM_T1' }
          threshold { standard: 30000 red_threshold: 40000
                      statistic: STATISTIC_SUM window_periods: 3
                      polarity: POLARITY_LOWER_IS_BETTER } }
  rules { id: 'x_attendances_up' severity: SEVERITY_CRITICAL
          selector { indicator_ids: 'AE_ATT_T1' }
          trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD
                  polarity: POLARITY_LOWER_IS_BETTER minimum_change: 500 } }
  rules { id: 'x_p_chart' selector { indicator_ids: 'AE_4HR_T1' }
          spc { chart: SPC_CHART_P } })";

std::unique_ptr<Engine> ExampleEngine(const std::string& ex,
                                      const char* extra) {
  auto rules = LoadRuleSet(ex + "rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return nullptr;
  if (extra != nullptr) {
    v1::RuleSet more;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(extra, &more));
    for (const v1::Rule& r : more.rules()) *rules->add_rules() = r;
  }
  auto engine = Engine::Create(*rules);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

SeriesStore IndexExample(const std::string& ex, bool with_plans) {
  DatasetIndexer indexer;
  std::vector<std::pair<const char*, DataKind>> files = {
      {"providers.csv", DataKind::kProviders},
      {"indicators.csv", DataKind::kIndicators},
      {"observations.csv", DataKind::kObservations}};
  if (with_plans) files.push_back({"plans.csv", DataKind::kPlans});
  for (const auto& [file, kind] : files) {
    EXPECT_TRUE(AddDataFile(ex + file, kind, &indexer).ok()) << file;
  }
  return std::move(indexer).Build();
}

using RuleKey = std::tuple<std::string, std::string, std::string>;

// Every rating of the timeline is the separate evaluation's, UNSPECIFIED
// exactly where that evaluation has no assessment; every escalation too.
// Returns how many ratings were compared.
int ExpectTimelineIsSeparateEvaluations(const Engine& engine,
                                        const SeriesStore& data,
                                        const v1::Timeline& timeline) {
  absl::flat_hash_map<RuleKey, const v1::RuleTimeline*> rules;
  for (const v1::RuleTimeline& r : timeline.rules()) {
    rules[{r.provider_id(), r.indicator_id(), r.rule_id()}] = &r;
  }
  absl::flat_hash_map<std::string, const v1::ProviderTimeline*> providers;
  for (const v1::ProviderTimeline& p : timeline.providers()) {
    providers[p.provider_id()] = &p;
  }
  int compared = 0;
  for (int t = 0; t < timeline.as_of_size(); ++t) {
    const std::string& as_of = timeline.as_of(t);
    auto report = engine.Evaluate(data, as_of);
    EXPECT_TRUE(report.ok()) << report.status();
    if (!report.ok()) return compared;
    int rated = 0;
    for (const v1::Assessment& a : report->assessments()) {
      const auto found =
          rules.find(RuleKey{a.provider_id(), a.indicator_id(), a.rule_id()});
      if (found == rules.end()) {
        ADD_FAILURE() << "no timeline for " << a.provider_id() << " "
                      << a.indicator_id() << " " << a.rule_id();
        continue;
      }
      EXPECT_EQ(found->second->ratings(t), a.rating())
          << a.provider_id() << " " << a.indicator_id() << " " << a.rule_id()
          << " as of " << as_of;
      ++rated;
    }
    // No rating where the evaluation has no assessment.
    int in_timeline = 0;
    for (const v1::RuleTimeline& r : timeline.rules()) {
      in_timeline += r.ratings(t) != v1::RATING_UNSPECIFIED ? 1 : 0;
    }
    EXPECT_EQ(in_timeline, rated) << "as of " << as_of;
    EXPECT_EQ(static_cast<int>(providers.size()), report->providers_size());
    for (const v1::ProviderSummary& p : report->providers()) {
      const auto found = providers.find(p.provider_id());
      if (found == providers.end()) {
        ADD_FAILURE() << "no timeline for provider " << p.provider_id();
        continue;
      }
      EXPECT_EQ(found->second->escalation(t), p.escalation())
          << p.provider_id() << " as of " << as_of;
    }
    compared += rated;
  }
  return compared;
}

TEST(TimelineExamplesTest, AeExampleWithEveryRuleKindIsSeparateEvaluations) {
  const std::string ex = kRoot + "/examples/nhs_early_warning/";
  const std::unique_ptr<Engine> engine = ExampleEngine(ex, kExtraRules);
  ASSERT_NE(engine, nullptr);
  const SeriesStore data = IndexExample(ex, false);
  for (const int threads : {1, 3}) {
    SCOPED_TRACE(threads);
    EvaluateOptions options;
    options.threads = threads;
    v1::Timeline timeline;
    // From before the data starts (Apr 2016) to after it ends (Mar 2019).
    ASSERT_TRUE(
        engine->EvaluateTimeline(data, "2016-02", "2019-05", options, &timeline)
            .ok());
    ASSERT_EQ(timeline.as_of_size(), 40);
    EXPECT_GT(ExpectTimelineIsSeparateEvaluations(*engine, data, timeline),
              40000);
  }
}

TEST(TimelineExamplesTest,
     HcaiTrajectoriesAndMilestonesAreSeparateEvaluations) {
  const std::string ex = kRoot + "/examples/hcai/";
  const std::unique_ptr<Engine> engine = ExampleEngine(ex, nullptr);
  ASSERT_NE(engine, nullptr);
  const SeriesStore data = IndexExample(ex, true);
  EvaluateOptions options;
  options.threads = 2;
  v1::Timeline timeline;
  ASSERT_TRUE(
      engine->EvaluateTimeline(data, "2016-04", "2018-06", options, &timeline)
          .ok());
  EXPECT_GT(ExpectTimelineIsSeparateEvaluations(*engine, data, timeline), 500);
}

}  // namespace
}  // namespace vigil
