// Back-test scoring (vigil/backtest.h): lead times, sensitivity, false
// alarms and pending warnings on a hand-built timeline small enough to count
// by hand; warn_after, the horizon cut off by the end of the range, outcome
// rows that cannot be scored, outcomes-file errors, and an outcome defined
// by a rule of the pack.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/backtest.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::MakeIndicator;
using testing::PackWith;

// 12 monthly as-of periods, 2019-01 (index 0) to 2019-12 (index 11). Each
// string is a rule's ratings, one letter per period: R red, G green, N no
// data.
//   P1 a: ..RR........   b: R....RR.....   outcome 2019-07 (index 6)
//   P2 a: .R..........   b: .........RR.   no outcome
//   P3 a: R...........                     outcome 2019-01 (index 0)
//   P4 a: GGGGGGGGGGGG                     outcome 2019-11 (index 10)
v1::RuleTimeline RuleLine(const std::string& provider, const std::string& rule,
                          const std::string& ratings) {
  v1::RuleTimeline r;
  r.set_provider_id(provider);
  r.set_indicator_id("AE");
  r.set_rule_id(rule);
  for (char c : ratings) {
    r.add_ratings(c == 'R'   ? v1::RATING_RED
                  : c == 'G' ? v1::RATING_GREEN
                             : v1::RATING_NO_DATA);
  }
  return r;
}

v1::Timeline HandTimeline() {
  v1::Timeline t;
  t.set_ruleset_id("hand");
  for (int m = 1; m <= 12; ++m) {
    t.add_as_of(m < 10 ? "2019-0" + std::to_string(m)
                       : "2019-" + std::to_string(m));
  }
  *t.add_rules() = RuleLine("P1", "a", "GGRRGGGGGGGG");
  *t.add_rules() = RuleLine("P1", "b", "RGGGGRRGGGGG");
  *t.add_rules() = RuleLine("P2", "a", "GRGGGGGGGGGG");
  *t.add_rules() = RuleLine("P2", "b", "GGGGGGGGGRRG");
  *t.add_rules() = RuleLine("P3", "a", "RGGGGGGGGGGG");
  *t.add_rules() = RuleLine("P4", "a", "GGGGGGGGGGGG");
  for (const char* p : {"P1", "P2", "P3", "P4"}) {
    t.add_providers()->set_provider_id(p);
  }
  return t;
}

v1::Outcome MakeOutcome(const std::string& provider, const std::string& period,
                        int row = 0) {
  v1::Outcome o;
  o.set_provider_id(provider);
  o.set_period(period);
  o.set_outcome("inadequate");
  o.set_source("outcomes.csv");
  o.set_row(row);
  return o;
}

std::vector<v1::Outcome> HandOutcomes() {
  return {MakeOutcome("P1", "2019-07", 2), MakeOutcome("P3", "2019-01", 3),
          MakeOutcome("P4", "2019-11", 4)};
}

v1::BacktestSummary Score(int warn_after, int horizon,
                          const std::vector<v1::Outcome>& outcomes) {
  BacktestOptions options;
  options.warn_after = warn_after;
  options.horizon = horizon;
  v1::BacktestSummary summary;
  absl::Status s = ScoreTimeline(HandTimeline(), outcomes, options, &summary);
  EXPECT_TRUE(s.ok()) << s;
  return summary;
}

const v1::OutcomeLead* Lead(const v1::BacktestSummary& s,
                            const std::string& provider,
                            const std::string& rule) {
  for (const auto& l : s.leads()) {
    if (l.provider_id() == provider && l.rule_id() == rule) return &l;
  }
  return nullptr;
}

TEST(BacktestScoreTest, LeadTimesAndFalseAlarmsCountedByHand) {
  const v1::BacktestSummary s = Score(1, 3, HandOutcomes());
  EXPECT_EQ(s.providers(), 4);
  EXPECT_EQ(s.outcomes(), 3);
  ASSERT_EQ(s.rules_size(), 2);
  // Outcomes are scored from 2019-04, the horizon (3) after the start.
  EXPECT_EQ(s.outcomes_from(), "2019-04");
  // Rule a. P1's warning 2019-03..04 is in force within 3 months before the
  // outcome in 2019-07 (it ends in 2019-04 = 7 - 3): foreseen, lead 7 - 3 =
  // 4. P4 had an outcome and no warning. P3's outcome is at the first
  // period, too early to score. So 1 of 2, median 4. P2's warning in 2019-02
  // has no outcome within 3 months of it, and 2019-05 is inside the range: a
  // false alarm. P3's warning in 2019-01 is borne out by its outcome then.
  const v1::RuleScore& a = s.rules(0);
  EXPECT_EQ(a.rule_id(), "a");
  EXPECT_EQ(a.providers_with_outcome(), 2);
  EXPECT_EQ(a.providers_warned_before(), 1);
  EXPECT_DOUBLE_EQ(a.sensitivity(), 0.5);
  EXPECT_DOUBLE_EQ(a.median_lead_periods(), 4);
  EXPECT_EQ(a.providers_warned(), 3);
  EXPECT_EQ(a.false_alarm_providers(), 1);
  EXPECT_EQ(a.warnings(), 3);
  EXPECT_EQ(a.false_alarms(), 1);
  EXPECT_EQ(a.pending_warnings(), 0);
  // Rule b. P1: the red of 2019-01 ended 6 months before the outcome (more
  // than the 3 of the horizon): a false alarm; 2019-06..07 foresees it by 1
  // month. P2's warning from 2019-10 has its horizon (2020-01) beyond the
  // range's end: pending, not a false alarm.
  const v1::RuleScore& b = s.rules(1);
  EXPECT_EQ(b.providers_warned_before(), 1);
  EXPECT_DOUBLE_EQ(b.median_lead_periods(), 1);
  EXPECT_EQ(b.providers_warned(), 2);
  EXPECT_EQ(b.false_alarm_providers(), 1);
  EXPECT_EQ(b.warnings(), 3);
  EXPECT_EQ(b.false_alarms(), 1);
  EXPECT_EQ(b.pending_warnings(), 1);
  // The pack warns when either rule does: P1 red in 2019-01, 03..04, 06..07
  // (three warnings, the first a false alarm; the lead is from 2019-03, the
  // earliest still in force within the horizon: 4), P2 in 2019-02 (false
  // alarm) and 2019-10..11 (pending), P3 in 2019-01 (borne out).
  const v1::RuleScore& pack = s.pack();
  EXPECT_EQ(pack.rule_id(), "");
  EXPECT_EQ(pack.providers_with_outcome(), 2);
  EXPECT_EQ(pack.providers_warned_before(), 1);
  EXPECT_DOUBLE_EQ(pack.median_lead_periods(), 4);
  EXPECT_EQ(pack.providers_warned(), 3);
  EXPECT_EQ(pack.false_alarm_providers(), 2);
  EXPECT_EQ(pack.warnings(), 6);
  EXPECT_EQ(pack.false_alarms(), 2);
  EXPECT_EQ(pack.pending_warnings(), 1);
  // Per outcome.
  const v1::OutcomeLead* p1 = Lead(s, "P1", "a");
  ASSERT_NE(p1, nullptr);
  EXPECT_TRUE(p1->warned());
  EXPECT_EQ(p1->warning_period(), "2019-03");
  EXPECT_EQ(p1->lead_periods(), 4);
  const v1::OutcomeLead* p3 = Lead(s, "P3", "");
  ASSERT_NE(p3, nullptr);
  EXPECT_TRUE(p3->too_early());
  EXPECT_FALSE(p3->warned());
  EXPECT_FALSE(Lead(s, "P4", "a")->warned());
  EXPECT_EQ(Lead(s, "P4", "a")->lead_periods(), 0);
  // 3 outcomes x (pack + 2 rules).
  EXPECT_EQ(s.leads_size(), 9);
  EXPECT_EQ(s.warnings_size(), 12);
  EXPECT_EQ(s.diagnostics_size(), 0);
}

TEST(BacktestScoreTest, WarnAfterTwoNeedsTwoConsecutiveReds) {
  const v1::BacktestSummary s = Score(2, 3, HandOutcomes());
  // Rule a: only P1's 2019-03..04 lasts 2 months; the warning is 2019-04,
  // where the run reaches 2: lead 7 - 4 = 3. P2's and P3's single reds are
  // no warning.
  EXPECT_EQ(s.rules(0).providers_warned(), 1);
  EXPECT_EQ(s.rules(0).providers_warned_before(), 1);
  EXPECT_DOUBLE_EQ(s.rules(0).median_lead_periods(), 3);
  EXPECT_EQ(s.rules(0).false_alarms(), 0);
  // Rule b: P1's 2019-06..07 warns in 2019-07, the outcome's own month: not
  // before it (no lead), but borne out. P2 warns in 2019-11: pending.
  EXPECT_EQ(s.rules(1).providers_warned_before(), 0);
  EXPECT_DOUBLE_EQ(s.rules(1).sensitivity(), 0);
  EXPECT_FALSE(s.rules(1).has_median_lead_periods());
  EXPECT_EQ(s.rules(1).pending_warnings(), 1);
  EXPECT_EQ(s.rules(1).false_alarms(), 0);
  EXPECT_EQ(Lead(s, "P1", "a")->warning_period(), "2019-04");
}

TEST(BacktestScoreTest, HorizonCutOffByTheEndOfTheRangeIsPending) {
  // P2's rule-b warning starts 2019-10 (index 9) and the range ends 2019-12
  // (index 11). With a horizon of 3 the horizon runs past the range:
  // pending. With a horizon of 2 it ends at 2019-12, inside the range, with
  // no outcome: a false alarm.
  EXPECT_EQ(Score(1, 3, HandOutcomes()).rules(1).pending_warnings(), 1);
  const v1::BacktestSummary two = Score(1, 2, HandOutcomes());
  EXPECT_EQ(two.rules(1).pending_warnings(), 0);
  EXPECT_EQ(two.rules(1).false_alarms(), 2);
  EXPECT_EQ(two.rules(1).false_alarm_providers(), 2);
  // No outcome at all: every warning whose horizon is inside the range is
  // a false alarm, the others pending; nothing is scored for sensitivity.
  const v1::BacktestSummary none = Score(1, 3, {});
  // P1's three, P2's 2019-02 and P3's 2019-01.
  EXPECT_EQ(none.pack().false_alarms(), 5);
  EXPECT_EQ(none.pack().pending_warnings(), 1);
  EXPECT_FALSE(none.pack().has_sensitivity());
}

TEST(BacktestScoreTest, RowsThatCannotBeScoredAreDiagnosedNotDropped) {
  std::vector<v1::Outcome> outcomes = HandOutcomes();
  outcomes.push_back(MakeOutcome("P9", "2019-05", 5));     // Unknown.
  outcomes.push_back(MakeOutcome("P2", "2020-02", 6));     // After the range.
  outcomes.push_back(MakeOutcome("P2", "2018-12", 7));     // Before it.
  outcomes.push_back(MakeOutcome("P1", "2019-07-15", 8));  // Duplicate month.
  outcomes.push_back(MakeOutcome("P2", "2019-Q3", 9));     // Coarser.
  const v1::BacktestSummary s = Score(1, 3, outcomes);
  EXPECT_EQ(s.outcomes(), 3);
  ASSERT_EQ(s.diagnostics_size(), 5);
  EXPECT_EQ(s.diagnostics(0).code(), v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER);
  EXPECT_EQ(s.diagnostics(0).row(), 5);
  EXPECT_EQ(s.diagnostics(0).field(), "provider_id");
  EXPECT_EQ(s.diagnostics(1).code(), v1::DIAGNOSTIC_CODE_OUTSIDE_RANGE);
  EXPECT_NE(s.diagnostics(1).message().find("after the last as-of period"),
            std::string::npos)
      << s.diagnostics(1).message();
  EXPECT_EQ(s.diagnostics(2).code(), v1::DIAGNOSTIC_CODE_OUTSIDE_RANGE);
  EXPECT_NE(s.diagnostics(2).message().find("outcomes.csv line 7"),
            std::string::npos);
  EXPECT_EQ(s.diagnostics(3).code(), v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  EXPECT_EQ(s.diagnostics(4).code(), v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY);
  // A date alone is mapped to its month.
  const v1::BacktestSummary dated =
      Score(1, 3, {MakeOutcome("P1", "2019-07-15")});
  EXPECT_EQ(Lead(dated, "P1", "a")->outcome_period(), "2019-07");
  EXPECT_EQ(Lead(dated, "P1", "a")->lead_periods(), 4);
}

TEST(BacktestScoreTest, OutcomesFromSetsWhichOutcomesAreScored) {
  BacktestOptions options;
  options.horizon = 3;
  options.outcomes_from = "2019-01";
  v1::BacktestSummary s;
  ASSERT_TRUE(ScoreTimeline(HandTimeline(), HandOutcomes(), options, &s).ok());
  // P3's outcome in 2019-01 now counts: 3 providers, still 1 warned before.
  EXPECT_EQ(s.rules(0).providers_with_outcome(), 3);
  EXPECT_EQ(s.rules(0).providers_warned_before(), 1);
  options.outcomes_from = "2019-08";  // After P1's outcome: P4 only.
  ASSERT_TRUE(ScoreTimeline(HandTimeline(), HandOutcomes(), options, &s).ok());
  EXPECT_EQ(s.rules(0).providers_with_outcome(), 1);
  EXPECT_EQ(s.rules(0).providers_warned_before(), 0);
  options.outcomes_from = "2020-01";
  absl::Status bad = ScoreTimeline(HandTimeline(), {}, options, &s);
  EXPECT_NE(bad.message().find("outcomes_from '2020-01'"),
            absl::string_view::npos)
      << bad;
}

TEST(BacktestScoreTest, AWarningInForceSinceAnEarlierOutcomeCountsFromIt) {
  // P5 red all year; outcomes in 2019-05 (index 4) and 2019-10 (index 9).
  // The first is foreseen from 2019-01 (lead 4); for the second the same
  // warning counts from 2019-06, the month after the first outcome (lead 4).
  v1::Timeline t = HandTimeline();
  *t.add_rules() = RuleLine("P5", "a", "RRRRRRRRRRRR");
  t.add_providers()->set_provider_id("P5");
  BacktestOptions options;
  options.horizon = 3;
  v1::BacktestSummary s;
  ASSERT_TRUE(ScoreTimeline(
                  t,
                  {MakeOutcome("P5", "2019-05"), MakeOutcome("P5", "2019-10")},
                  options, &s)
                  .ok());
  std::vector<std::pair<std::string, int>> leads;
  for (const auto& l : s.leads()) {
    if (l.rule_id() == "a")
      leads.emplace_back(l.warning_period(), l.lead_periods());
  }
  const std::vector<std::pair<std::string, int>> expected = {{"2019-01", 4},
                                                             {"2019-06", 4}};
  EXPECT_EQ(leads, expected);
  EXPECT_EQ(s.rules(0).providers_with_outcome(), 1);  // Its first, scored.
  EXPECT_DOUBLE_EQ(s.rules(0).median_lead_periods(), 4);
}

TEST(BacktestOutcomesFromRuleTest, EveryNewRedRunIsAnOutcome) {
  v1::Timeline t = HandTimeline();
  *t.add_rules() = RuleLine("P1", "out", "GRRGGRGGGGGG");
  auto outcomes = OutcomesFromRule(t, "out", "failed");
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 2u);
  EXPECT_EQ((*outcomes)[0].period(), "2019-02");
  EXPECT_EQ((*outcomes)[1].period(), "2019-06");
  EXPECT_EQ((*outcomes)[1].outcome(), "failed");
}

TEST(BacktestScoreTest, BadOptionsNameTheField) {
  v1::BacktestSummary summary;
  BacktestOptions options;
  options.warn_after = 0;
  absl::Status s = ScoreTimeline(HandTimeline(), {}, options, &summary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("warn_after"), absl::string_view::npos);
  options.warn_after = 1;
  options.horizon = 0;
  s = ScoreTimeline(HandTimeline(), {}, options, &summary);
  EXPECT_NE(s.message().find("horizon"), absl::string_view::npos);
}

TEST(BacktestOutcomesCsvTest, ReadsRowsInAnyColumnOrder) {
  auto rows = ReadOutcomesCsv(
      "outcome,provider_id,note,period\n"
      "CQC inadequate,RAE,x,2018-01-01\n"
      "\n"
      "risk summit,RXF,,2018-Q2\n",
      "o.csv");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->outcomes.size(), 2u);
  EXPECT_EQ(rows->outcomes[0].provider_id(), "RAE");
  EXPECT_EQ(rows->outcomes[0].period(), "2018-01-01");
  EXPECT_EQ(rows->outcomes[0].outcome(), "CQC inadequate");
  EXPECT_EQ(rows->outcomes[0].row(), 2);
  EXPECT_EQ(rows->outcomes[1].row(), 4);
  EXPECT_EQ(rows->outcomes[1].source(), "o.csv");
}

TEST(BacktestOutcomesCsvTest, ErrorsNameTheLineAndField) {
  const std::pair<const char*, const char*> cases[] = {
      {"provider_id,period\nRAE,2018-01\n",
       "o.csv line 1, field outcome: no such column"},
      {"provider_id,period,outcome\nRAE,2018-13,x\n",
       "o.csv line 2, field period:"},
      {"provider_id,period,outcome\nRAE,2018-01,x\n,2018-02,x\n",
       "o.csv line 3, field provider_id: empty"},
      {"provider_id,period,outcome\nRAE,2018-01, \n",
       "o.csv line 2, field outcome: empty"},
      {"provider_id,period,outcome\nRAE,2018-01\n",
       "o.csv line 2: expected at least 3 fields, found 2"},
      {"provider_id,period,outcome\nRAE,\"2018-01\"x,y\n", "o.csv line 2: "},
      {"", "o.csv: empty"},
  };
  for (const auto& [text, expected] : cases) {
    auto rows = ReadOutcomesCsv(text, "o.csv");
    ASSERT_FALSE(rows.ok()) << text;
    EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(rows.status().message().find(expected), absl::string_view::npos)
        << rows.status().message() << "\nexpected: " << expected;
  }
}

// The outcome "below 80% for 3 consecutive months" as a rule of the pack:
// P1 96, 79, 78, 77, ... (red from its third month below 80: 2019-04); the
// 90% rule is red from 2019-02: 2 months earlier. P2 stays at 85: red on
// the 90% rule from 2019-01 and never an outcome: a false alarm.
TEST(BacktestOutcomesFromRuleTest, FirstRedOfTheRuleIsTheOutcome) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      2);
  AddMonthlyValues(&d, "P1", "AE", "2019-01",
                   {96, 79, 78, 77, 76, 96, 96, 96, 96, 96, 96, 96});
  AddMonthlyValues(&d, "P2", "AE", "2019-01",
                   {85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85});
  auto engine = Engine::Create(PackWith(R"(
    rules { id: 'below_90' selector { indicator_ids: 'AE' }
            threshold { standard: 90 } }
    rules { id: 'below_80_3m' selector { indicator_ids: 'AE' }
            threshold { standard: 80 red_after_periods: 3 } })"));
  ASSERT_TRUE(engine.ok()) << engine.status();
  DatasetIndexer indexer;
  indexer.AddDataset(d);
  const SeriesStore store = std::move(indexer).Build();
  v1::Timeline timeline;
  ASSERT_TRUE((*engine)
                  ->EvaluateTimeline(store, "2019-01", "2019-12", {}, &timeline)
                  .ok());
  auto outcomes = OutcomesFromRule(timeline, "below_80_3m", "below 80%");
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 1u);
  EXPECT_EQ((*outcomes)[0].provider_id(), "P1");
  EXPECT_EQ((*outcomes)[0].period(), "2019-04");
  EXPECT_EQ((*outcomes)[0].source(), "rule below_80_3m");
  EXPECT_FALSE(OutcomesFromRule(timeline, "nope", "x").ok());

  BacktestOptions options;
  options.excluded_rule_ids = {"below_80_3m"};
  options.horizon = 6;
  options.outcomes_from = "2019-02";
  v1::BacktestSummary s;
  ASSERT_TRUE(ScoreTimeline(timeline, *outcomes, options, &s).ok());
  ASSERT_EQ(s.rules_size(), 1);  // The outcome rule is not scored.
  EXPECT_EQ(s.rules(0).rule_id(), "below_90");
  EXPECT_EQ(s.excluded_rule_ids(0), "below_80_3m");
  EXPECT_DOUBLE_EQ(s.pack().median_lead_periods(), 2);
  EXPECT_EQ(s.pack().false_alarm_providers(), 1);
}

}  // namespace
}  // namespace vigil
