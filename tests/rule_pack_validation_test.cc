// Engine::Create rejects every mistake in a pack, naming the rule and field.
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "src/rules/rule_kind.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::ParseText;

struct Mistake {
  const char* name;
  const char* pack;
  const char* expected;  // Substring of the error message.
};

void PrintTo(const Mistake& m, std::ostream* os) { *os << m.name; }

class RulePackValidationTest : public ::testing::TestWithParam<Mistake> {};

TEST_P(RulePackValidationTest, NamesTheRuleAndTheField) {
  const Mistake& m = GetParam();
  auto rules = ParseText<v1::RuleSet>(m.pack);
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(rules);
  ASSERT_FALSE(engine.ok()) << m.name;
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(engine.status().message().find(m.expected), std::string::npos)
      << m.name << ": " << engine.status().message();
}

#define RULE(body) \
  "id: 'p' rules { id: 'r1' selector { indicator_ids: 'X' } " body " }"

INSTANTIATE_TEST_SUITE_P(
    Mistakes, RulePackValidationTest,
    ::testing::Values(
        Mistake{"NoId", "rules { id: 'r' threshold { standard: 1 } }",
                "id: the rule pack has no id"},
        Mistake{"NoRules", "id: 'p'", "rules: the rule pack has no rules"},
        Mistake{"BadRuleId",
                "id: 'p' rules { id: 'a b' selector { all_indicators: true } "
                "threshold { standard: 1 } }",
                "rules[0].id: \"a b\" is not a rule id"},
        Mistake{"DuplicateRuleId",
                "id: 'p' rules { id: 'a' selector { all_indicators: true } "
                "threshold { standard: 1 } }"
                " rules { id: 'a' selector { all_indicators: true } threshold "
                "{ standard: 1 } }",
                "rule 'a' (rules[1]): id: another rule has the same id"},
        Mistake{"EmptySelector",
                "id: 'p' rules { id: 'a' threshold { standard: 1 } }",
                "rule 'a' (rules[0]): selector: selects no indicator"},
        Mistake{"EmptySelectorId",
                "id: 'p' rules { id: 'a' selector { indicator_ids: '' } "
                "threshold { standard: 1 } }",
                "rule 'a' (rules[0]): selector.indicator_ids: contains an "
                "empty id"},
        Mistake{"NoKind", RULE(""),
                "rule 'r1' (rules[0]): kind: no rule kind is set"},
        Mistake{"BandsWrongOrder",
                RULE("threshold { standard: 95 red_threshold: 96 polarity: "
                     "POLARITY_HIGHER_IS_BETTER }"),
                "rule 'r1' (rules[0]): threshold.red_threshold: bands in the "
                "wrong order"},
        Mistake{"NegativeTolerance",
                RULE("threshold { standard: 95 amber_tolerance: -1 }"),
                "threshold.amber_tolerance: must be a finite number >= 0"},
        Mistake{"MeanWithoutWindow",
                RULE("threshold { standard: 95 statistic: STATISTIC_MEAN }"),
                "threshold.window_periods: must be 1..10000 for statistic "
                "STATISTIC_MEAN"},
        Mistake{"WindowOnLatest",
                RULE("threshold { standard: 95 window_periods: 3 }"),
                "threshold.window_periods: must be 0 for statistic "
                "STATISTIC_LATEST"},
        Mistake{"ZeroToleranceWithStandard",
                RULE("threshold { standard: 95 zero_tolerance: true }"),
                "threshold.zero_tolerance: excludes standard"},
        Mistake{"NoStandardAnywhere", RULE("threshold { red_threshold: 90 }"),
                "threshold.standard: is unset and the pack has no standard for "
                "indicator 'X'"},
        Mistake{"NeutralPolarityOverride",
                RULE("threshold { standard: 1 polarity: POLARITY_NEUTRAL }"),
                "threshold.polarity: may only override"},
        Mistake{"NegativePersistence",
                RULE("threshold { standard: 1 red_after_periods: -2 }"),
                "threshold.red_after_periods"},
        Mistake{"TrendWithoutComparison", RULE("trend {}"),
                "trend.comparison: must be"},
        Mistake{"AmberAfterNotBelowRed",
                RULE("trend { comparison: "
                     "TREND_COMPARISON_CONSECUTIVE_DETERIORATION "
                     "red_after_periods: 3 amber_after_periods: 3 }"),
                "trend.amber_after_periods: must be 0 or below "
                "red_after_periods (3)"},
        Mistake{"TrendNoDataRating",
                RULE("trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD "
                     "worse_rating: RATING_NO_DATA }"),
                "trend.worse_rating"},
        Mistake{"NegativeMinimumChange",
                RULE("trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD "
                     "minimum_change: -1 }"),
                "trend.minimum_change"},
        Mistake{"NegativeLookback",
                RULE("data_quality { lookback_periods: -1 }"),
                "data_quality.lookback_periods"},
        Mistake{
            "UnknownRuleReference", RULE("composite { rule_ids: 'nope' }"),
            "rule 'r1' (rules[0]): composite.rule_ids: unknown rule 'nope'"},
        Mistake{"SelfReference", RULE("composite { rule_ids: 'r1' }"),
                "composite.rule_ids: 'r1' is a composite rule"},
        Mistake{"EmptyComposite", RULE("composite {}"),
                "composite.rule_ids: names no rule"},
        Mistake{"SpcShortBaseline", RULE("spc { fix_after_periods: 6 }"),
                "rule 'r1' (rules[0]): spc.fix_after_periods: must be 0 (all "
                "points) or >= 12"},
        Mistake{"SpcRunLength", RULE("spc { run_length: 4 }"),
                "spc.run_length: must be 5..10"},
        Mistake{"SpcBadRebase", RULE("spc { rebase_periods: 'spring' }"),
                "spc.rebase_periods[0]: period \"spring\""},
        Mistake{"SpcNoDataRating",
                RULE("spc { concern_rating: RATING_NO_DATA }"),
                "spc.concern_rating: must be GREEN, AMBER or RED"},
        Mistake{"StandardWithoutIndicator",
                "id: 'p' standards { value: 95 } rules { id: 'a' selector { "
                "all_indicators: true } threshold { standard: 1 } }",
                "standards[0].indicator_id: is empty"},
        Mistake{"StandardBadPeriod",
                "id: 'p' standards { indicator_id: 'X' value: 95 "
                "effective_from: 'April' }"
                " rules { id: 'a' selector { all_indicators: true } threshold "
                "{ standard: 1 } }",
                "standards[0].effective_from: period \"April\""},
        Mistake{"DuplicateStandard",
                "id: 'p' standards { indicator_id: 'X' value: 95 } standards { "
                "indicator_id: 'X' value: 90 }"
                " rules { id: 'a' selector { all_indicators: true } threshold "
                "{ standard: 1 } }",
                "standards[1].effective_from: indicator 'X' already has a "
                "standard"}),
    [](const ::testing::TestParamInfo<Mistake>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(RulePackValidationTest, RuleKindsAnEngineCannotEvaluateAreUnimplemented) {
  // Every kind of the schema is built in, so an engine lacking one is made
  // from a registry lacking it: here, one with threshold rules only.
  internal::RuleKindRegistry kinds;
  kinds.Set(*internal::RuleKindRegistry::Builtin().Find(v1::Rule::kThreshold));
  auto rules = ParseText<v1::RuleSet>(
      "id: 'p' rules { id: 'plan' selector { all_indicators: true } "
      "milestone { weight: 1 } }");
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      internal::CreateEngine(rules, kinds);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(engine.status().message().find("rule 'plan' (rules[0]): milestone"),
            std::string::npos);
}

TEST(RulePackValidationTest, DisabledRulesAreValidatedButNotEvaluated) {
  auto rules = ParseText<v1::RuleSet>(
      "id: 'p' rules { id: 'off' disabled: true selector { all_indicators: "
      "true } "
      "threshold { standard: 1 } }");
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(rules);
  ASSERT_TRUE(engine.ok());
  v1::Dataset d = testing::DatasetWith(testing::MakeIndicator(
      "X", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER));
  testing::AddMonthlyValues(&d, "P1", "X", "2019-01", {3});
  auto report = (*engine)->Evaluate(d, "2019-01");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->assessments_size(), 0);
}

// A pack holding a disabled rule of every kind the schema has (taken from
// Rule's descriptor, so a new kind is covered when it is added).
TEST(RulePackValidationTest, ADisabledRuleOfEveryKindIsAccepted) {
  v1::RuleSet rules = ParseText<v1::RuleSet>(
      "id: 'p' rules { id: 'live' selector { all_indicators: true } "
      "data_quality {} }");
  const google::protobuf::OneofDescriptor* kind =
      v1::Rule::descriptor()->FindOneofByName("kind");
  ASSERT_NE(kind, nullptr);
  for (int f = 0; f < kind->field_count(); ++f) {
    v1::Rule* rule = rules.add_rules();
    rule->set_id("off_" + kind->field(f)->name());
    rule->set_disabled(true);
    rule->mutable_selector()->set_all_indicators(true);
    rule->GetReflection()->MutableMessage(rule, kind->field(f));
    if (rule->has_trend()) {
      rule->mutable_trend()->set_comparison(
          v1::TREND_COMPARISON_PREVIOUS_PERIOD);
    }
    if (rule->has_composite()) rule->mutable_composite()->add_rule_ids("live");
    if (rule->has_milestone()) rule->mutable_milestone()->set_weight(1);
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(rules);
  EXPECT_TRUE(engine.ok()) << engine.status();
}

TEST(RulePackValidationTest, ADisabledRuleIsStillValidatedFieldByField) {
  auto rules = ParseText<v1::RuleSet>(
      "id: 'p' rules { id: 'off' disabled: true selector { all_indicators: "
      "true } threshold { statistic: STATISTIC_MEAN window_periods: -1 } }");
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(rules);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find(
                "rule 'off' (rules[0]): threshold.window_periods"),
            std::string::npos)
      << engine.status();
}

}  // namespace
}  // namespace vigil
