// Packs and datasets in text and JSON take the enum spellings CSV takes.
#include "src/io/enum_spellings.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/io/proto_formats.h"
#include "vigil/io.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace {

using Syntax = EnumSpellings::Syntax;

TEST(EnumSpellingsTest, TextShortNamesBecomeFullNamesInAnyCase) {
  const std::string in =
      "rules { id: 'a' severity: critical selector { domains: Safe "
      "domains: [responsive, DOMAIN_CARING] }\n"
      "  trend { comparison: PREVIOUS_PERIOD polarity: lower_is_better } }";
  EnumSpellings s(in, Syntax::kText, v1::RuleSet::descriptor());
  EXPECT_EQ(s.text(),
            "rules { id: 'a' severity: SEVERITY_CRITICAL selector { domains: "
            "DOMAIN_SAFE domains: [DOMAIN_RESPONSIVE, DOMAIN_CARING] }\n"
            "  trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD polarity: "
            "POLARITY_LOWER_IS_BETTER } }");
  EXPECT_FALSE(s.unknown().has_value());
}

TEST(EnumSpellingsTest, TextLeavesStringsNumbersAndOtherFieldsAlone) {
  const std::string in =
      "id: \"red\" name: 'latest' rules { id: 'x' severity: 3 "
      "description: \"critical\" spc { minimum_points: 12 } }";
  EnumSpellings s(in, Syntax::kText, v1::RuleSet::descriptor());
  EXPECT_EQ(s.text().data(), in.data()) << "nothing to change: the input";
}

TEST(EnumSpellingsTest, TextNestedEnumsAndMapsAndAngleBrackets) {
  const std::string in =
      "rules < id: 'p' peer: { method: ratio scale: sqrt } >\n"
      "rules { milestone { payment: linear provider_weights { key: 'R' value: "
      "1 } } }";
  EnumSpellings s(in, Syntax::kText, v1::RuleSet::descriptor());
  EXPECT_EQ(s.text(),
            "rules < id: 'p' peer: { method: METHOD_RATIO scale: SCALE_SQRT } "
            ">\n"
            "rules { milestone { payment: PAYMENT_LINEAR provider_weights { "
            "key: 'R' value: 1 } } }");
}

TEST(EnumSpellingsTest, UnknownValueNamesFieldPathAndSpellings) {
  const std::string in =
      "rules { id: 'a' }\nrules {\n  id: 'b'\n  trend { polarity: upward }\n}";
  EnumSpellings s(in, Syntax::kText, v1::RuleSet::descriptor());
  ASSERT_TRUE(s.unknown().has_value());
  EXPECT_EQ(s.unknown()->position.line, 3);
  EXPECT_EQ(s.unknown()->position.column, 20);
  EXPECT_EQ(s.unknown()->message,
            "unknown value \"upward\" for field \"polarity\" "
            "(rules[1].trend.polarity), a vigil.v1.Polarity; write one of "
            "higher_is_better, lower_is_better, neutral, "
            "zero_tolerance (in any case, or with the prefix, as in "
            "POLARITY_HIGHER_IS_BETTER)");
}

TEST(EnumSpellingsTest, PositionsMapBackAcrossEditsAndTabs) {
  //            0123456789012345678901234567
  std::string in = "rules { severity: info\tid: 1 }";
  EnumSpellings s(in, Syntax::kText, v1::RuleSet::descriptor());
  ASSERT_EQ(s.text(), "rules { severity: SEVERITY_INFO\tid: 1 }");
  // "id" is at column 24 in the input (the tab runs to 24), 32 in the text.
  EXPECT_EQ(s.Original({0, 32}).column, 24);
  EXPECT_EQ(s.Original({0, 20}).column, 18) << "inside the edit: its start";
  EXPECT_EQ(s.Original({0, 6}).column, 6);
}

TEST(EnumSpellingsTest, ParseErrorsKeepTheInputsLineAndColumn) {
  v1::RuleSet rules;
  absl::Status status = ParseMessage("rules {\n  severity: info bogus: 1\n}",
                                     Format::kText, &rules);
  EXPECT_EQ(std::string(status.message()),
            // libprotobuf points after the name, at the ':' (column 32 of
            // the rewritten "  severity: SEVERITY_INFO bogus: 1").
            "not a valid text-format RuleSet: line 2 column 23: Message type "
            "\"vigil.v1.Rule\" has no field named \"bogus\".");
}

TEST(EnumSpellingsTest, TextUnknownValueIsTheParseError) {
  v1::RuleSet rules;
  absl::Status status = ParseMessage(
      "rules {\n  threshold { statistic: LAST }\n}", Format::kText, &rules);
  EXPECT_EQ(std::string(status.message()),
            "not a valid text-format RuleSet: line 2 column 26: "
            "unknown value \"LAST\" for field \"statistic\" "
            "(rules[0].threshold.statistic), a vigil.v1.Statistic; write one "
            "of latest, mean, sum, year_to_date "
            "(in any case, or with the prefix, as in STATISTIC_MEAN)");
}

TEST(EnumSpellingsTest, JsonShortNamesWithSpacesAndCamelCaseFields) {
  const std::string in = R"({"rules": [{"id": "a",
    "selector": {"providerTypes": ["acute", "mental health"]},
    "threshold": {"statistic": "Year-To-Date", "polarity": 2},
    "severity": "SEVERITY_INFO"}],
    "description": "lower_is_better"})";
  v1::RuleSet rules;
  ASSERT_TRUE(ParseMessage(in, Format::kJson, &rules).ok());
  const v1::Rule& r = rules.rules(0);
  EXPECT_EQ(r.selector().provider_types(0), v1::PROVIDER_TYPE_ACUTE);
  EXPECT_EQ(r.selector().provider_types(1), v1::PROVIDER_TYPE_MENTAL_HEALTH);
  EXPECT_EQ(r.threshold().statistic(), v1::STATISTIC_YEAR_TO_DATE);
  EXPECT_EQ(r.threshold().polarity(), v1::POLARITY_LOWER_IS_BETTER);
  EXPECT_EQ(r.severity(), v1::SEVERITY_INFO);
  EXPECT_EQ(rules.description(), "lower_is_better");
}

TEST(EnumSpellingsTest, JsonUnknownValueNamesFieldAndSpellings) {
  v1::RuleSet rules;
  absl::Status status = ParseMessage(
      R"({"rules": [{"id": "a", "trend": {"worse_rating": "purple"}}]})",
      Format::kJson, &rules);
  EXPECT_EQ(std::string(status.message()),
            "not a valid JSON RuleSet: line 1 column 50: "
            "unknown value \"purple\" for field \"worse_rating\" "
            "(rules[0].trend.worse_rating), a vigil.v1.Rating; write one of "
            "green, amber, red, no_data, "
            "not_applicable (in any case, or with the prefix, as in "
            "RATING_GREEN)");
}

TEST(EnumSpellingsTest, DatasetsTakeTheSpellingsToo) {
  v1::Dataset data;
  ASSERT_TRUE(ParseMessage("indicators { id: 'X' polarity: higher_is_better "
                           "unit: percentage frequency: monthly }\n"
                           "observations { status: suppressed }",
                           Format::kText, &data)
                  .ok());
  EXPECT_EQ(data.indicators(0).polarity(), v1::POLARITY_HIGHER_IS_BETTER);
  EXPECT_EQ(data.indicators(0).unit(), v1::UNIT_PERCENTAGE);
  EXPECT_EQ(data.indicators(0).frequency(), v1::FREQUENCY_MONTHLY);
  EXPECT_EQ(data.observations(0).status(), v1::OBSERVATION_STATUS_SUPPRESSED);
  v1::Dataset json;
  ASSERT_TRUE(
      ParseMessage(R"({"providers": [{"id": "P", "type": "ambulance"}]})",
                   Format::kJson, &json)
          .ok());
  EXPECT_EQ(json.providers(0).type(), v1::PROVIDER_TYPE_AMBULANCE);
}

TEST(EnumSpellingsTest, ManyValuesOnOneLongLineTakeLinearTime) {
  // A JSON Dataset is often one line: a column is found from the last
  // replacement, not from the start of the line (50,000 x 2 MB otherwise).
  std::string in = R"({"observations": [)";
  constexpr int kRows = 50000;
  for (int i = 0; i < kRows; ++i) {
    absl::StrAppend(&in, i == 0 ? "" : ", ",
                    R"({"providerId": "P", "status": "suppressed"})");
  }
  in += "]}";
  v1::Dataset data;
  ASSERT_TRUE(ParseMessage(in, Format::kJson, &data).ok());
  ASSERT_EQ(data.observations_size(), kRows);
  EXPECT_EQ(data.observations(kRows - 1).status(),
            v1::OBSERVATION_STATUS_SUPPRESSED);
}

}  // namespace
}  // namespace vigil
