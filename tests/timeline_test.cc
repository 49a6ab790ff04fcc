// Back-testing (Engine::EvaluateTimeline): every period's ratings and
// escalations are those of a separate evaluation as of it; changes, the
// first red and the longest red run are read off them; bad ranges are
// refused naming the argument.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::MakeIndicator;
using testing::MonthAfter;
using testing::PackWith;

const char kPack[] = R"(
  rules { id: 'standard' severity: SEVERITY_CRITICAL
          selector { indicator_ids: 'AE' }
          threshold { standard: 95 red_threshold: 90 } }
  rules { id: 'falling' selector { indicator_ids: 'AE' }
          trend { comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION red_after_periods: 2 } })";

// P1: 96, 94, 89, 88, 96, 85, 84, 83 from 2019-01; P2 from 2019-04.
v1::Dataset Data() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      2);
  AddMonthlyValues(&d, "P1", "AE", "2019-01", {96, 94, 89, 88, 96, 85, 84, 83});
  AddMonthlyValues(&d, "P2", "AE", "2019-04", {97, 97, 80, 97, 97});
  return d;
}

SeriesStore Store() {
  DatasetIndexer indexer;
  indexer.AddDataset(Data());
  return std::move(indexer).Build();
}

std::unique_ptr<Engine> MakeEngine() {
  auto engine = Engine::Create(PackWith(kPack));
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

TEST(TimelineTest, EveryPeriodIsWhatASeparateEvaluationSays) {
  const SeriesStore store = Store();
  const auto engine = MakeEngine();
  v1::Timeline timeline;
  ASSERT_TRUE(
      engine->EvaluateTimeline(store, "2019-01", "2019-08", {}, &timeline)
          .ok());
  ASSERT_EQ(timeline.as_of_size(), 8);
  EXPECT_EQ(timeline.as_of(0), "2019-01");
  EXPECT_EQ(timeline.as_of(7), "2019-08");
  EXPECT_EQ(timeline.ruleset_id(), "test");
  int compared = 0;
  for (int t = 0; t < timeline.as_of_size(); ++t) {
    auto report = engine->Evaluate(store, timeline.as_of(t));
    ASSERT_TRUE(report.ok()) << report.status();
    for (const v1::Assessment& a : report->assessments()) {
      const v1::RuleTimeline* found = nullptr;
      for (const v1::RuleTimeline& r : timeline.rules()) {
        if (r.provider_id() == a.provider_id() &&
            r.indicator_id() == a.indicator_id() && r.rule_id() == a.rule_id())
          found = &r;
      }
      ASSERT_NE(found, nullptr) << a.ShortDebugString();
      EXPECT_EQ(found->ratings(t), a.rating())
          << a.provider_id() << " " << a.rule_id() << " as of "
          << timeline.as_of(t);
      ++compared;
    }
    for (const v1::ProviderSummary& p : report->providers()) {
      for (const v1::ProviderTimeline& pt : timeline.providers()) {
        if (pt.provider_id() == p.provider_id()) {
          EXPECT_EQ(pt.escalation(t), p.escalation());
        }
      }
    }
  }
  EXPECT_GT(compared, 20);
  // Sorted by provider, indicator, then rule order in the pack.
  ASSERT_EQ(timeline.rules_size(), 4);
  EXPECT_EQ(timeline.rules(0).provider_id(), "P1");
  EXPECT_EQ(timeline.rules(0).rule_id(), "standard");
  EXPECT_EQ(timeline.rules(1).rule_id(), "falling");
  EXPECT_EQ(timeline.rules(2).provider_id(), "P2");
}

TEST(TimelineTest, ChangesFirstRedAndLongestRedRun) {
  const SeriesStore store = Store();
  v1::Timeline timeline;
  ASSERT_TRUE(MakeEngine()
                  ->EvaluateTimeline(store, "2019-01", "2019-08", {}, &timeline)
                  .ok());
  // P1's standard: green (96), amber (94), red (89, 88), green (96),
  // red (85, 84, 83).
  const v1::RuleTimeline& p1 = timeline.rules(0);
  const v1::Rating expected[] = {
      v1::RATING_GREEN, v1::RATING_AMBER, v1::RATING_RED, v1::RATING_RED,
      v1::RATING_GREEN, v1::RATING_RED,   v1::RATING_RED, v1::RATING_RED};
  ASSERT_EQ(p1.ratings_size(), 8);
  for (int t = 0; t < 8; ++t) EXPECT_EQ(p1.ratings(t), expected[t]) << t;
  EXPECT_EQ(p1.first_red(), "2019-03");
  EXPECT_EQ(p1.longest_red_run(), 3);
  EXPECT_EQ(p1.longest_red_run_start(), "2019-06");
  ASSERT_EQ(p1.changes_size(), 5);
  EXPECT_EQ(p1.changes(0).from_rating(), v1::RATING_UNSPECIFIED);
  EXPECT_EQ(p1.changes(0).to_rating(), v1::RATING_GREEN);
  EXPECT_EQ(p1.changes(2).as_of(), "2019-03");
  EXPECT_EQ(p1.changes(4).as_of(), "2019-06");
  // P2 has no data before April: no data (never green), and it is not red
  // before its one bad month.
  const v1::RuleTimeline& p2 = timeline.rules(2);
  EXPECT_EQ(p2.ratings(0), v1::RATING_NO_DATA);
  EXPECT_EQ(p2.first_red(), "2019-06");
  EXPECT_EQ(p2.longest_red_run(), 1);
}

TEST(TimelineTest, BadRangesAreRefusedNamingTheArgument) {
  const SeriesStore store = Store();
  const auto engine = MakeEngine();
  v1::Timeline timeline;
  const std::pair<const char*, const char*> bad[] = {{"2019-13", "2019-08"},
                                                     {"2019-01", "nope"},
                                                     {"2019-08", "2019-01"},
                                                     {"2019-01", "2019-Q3"},
                                                     {"1900-01", "2199-12-31"}};
  const char* needles[] = {"from:", "to:", "before from", "one frequency",
                           "one frequency"};
  for (int i = 0; i < 5; ++i) {
    absl::Status s = engine->EvaluateTimeline(store, bad[i].first,
                                              bad[i].second, {}, &timeline);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << i;
    EXPECT_NE(s.message().find(needles[i]), std::string::npos) << s;
  }
  absl::Status too_long = engine->EvaluateTimeline(store, "1900-01-01",
                                                   "2199-12-31", {}, &timeline);
  EXPECT_NE(too_long.message().find("more than 10000 periods"),
            std::string::npos)
      << too_long;
  EXPECT_EQ(
      engine->EvaluateTimeline(store, "2019-01", "2019-02", {}, nullptr).code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil
