// Data-quality and composite rules. Missing data is never green.
#include <cmath>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::ParseText;

constexpr double kNaN = std::nan("");

const char kQuality[] = R"pb(
  rules {
    id: "dq"
    selector { indicator_ids: "C" }
    data_quality {
      lookback_periods: 6
      max_missing_periods: 0
      minimum_denominator: 10
    }
  })pb";

v1::Dataset Counts(const std::vector<double>& values, int providers = 1) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER),
      providers);
  AddMonthlyValues(&d, "P1", "C", "2019-01", values);
  return d;
}

TEST(DataQualityRuleTest, CompleteDataIsGreen) {
  v1::Assessment a =
      Find(EvaluatePack(kQuality, Counts({1, 2, 3}), "2019-03"), "P1", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_GREEN);
  EXPECT_EQ(a.reason(), "C: data complete: 3 of 3 months to Mar 2019");
}

TEST(DataQualityRuleTest, MissingLatestPeriodIsRed) {
  v1::Assessment a =
      Find(EvaluatePack(kQuality, Counts({1, 2, kNaN}), "2019-03"), "P1", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_EQ(a.reason(), "C: no value for Mar 2019 (latest: Feb 2019)");
}

TEST(DataQualityRuleTest, ProviderWithNoRowsAtAllIsRed) {
  v1::Report r = EvaluatePack(kQuality, Counts({1, 2, 3}, 2), "2019-03");
  v1::Assessment a = Find(r, "P2", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_NE(a.reason().find("no data at all"), std::string::npos);
}

TEST(DataQualityRuleTest, GapInLookbackIsAmberAndListed) {
  v1::Assessment a =
      Find(EvaluatePack(kQuality, Counts({1, kNaN, 3}), "2019-03"), "P1", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_NE(
      a.reason().find("1 of the last 3 months missing or unusable (Feb 2019"),
      std::string::npos);
}

TEST(DataQualityRuleTest, SuppressedIsAmberNotSubmittedIsRed) {
  v1::Dataset d = Counts({1, 2});
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'P1' indicator_id: 'C' period: '2019-03' "
      "status: OBSERVATION_STATUS_SUPPRESSED");
  EXPECT_EQ(Find(EvaluatePack(kQuality, d, "2019-03"), "P1", "dq").rating(),
            v1::RATING_AMBER);
  d.mutable_observations(2)->set_status(v1::OBSERVATION_STATUS_NOT_SUBMITTED);
  v1::Assessment a = Find(EvaluatePack(kQuality, d, "2019-03"), "P1", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_RED);
  EXPECT_NE(a.reason().find("no submission for Mar 2019"), std::string::npos);
}

TEST(DataQualityRuleTest, SmallDenominatorIsAmber) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("C", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER));
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'P1' indicator_id: 'C' period: '2019-03' numerator: 4 "
      "denominator: 5");
  v1::Assessment a = Find(EvaluatePack(kQuality, d, "2019-03"), "P1", "dq");
  EXPECT_EQ(a.rating(), v1::RATING_AMBER);
  EXPECT_NE(
      a.reason().find("denominator 5 in Mar 2019 is below the minimum of 10"),
      std::string::npos);
}

TEST(CompositeRuleTest, WorstOfMembersOrRedAtACount) {
  const char rules[] = R"pb(
    rules {
      id: "a"
      selector { indicator_ids: "C" }
      threshold { standard: 5 }
    }
    rules {
      id: "b"
      selector { indicator_ids: "C" }
      threshold { standard: 1 }
    }
    rules {
      id: "worst"
      selector { indicator_ids: "C" }
      composite { rule_ids: [ "a", "b" ] }
    }
    rules {
      id: "both"
      selector { indicator_ids: "C" }
      composite {
        rule_ids: [ "a", "b" ]
        minimum_red: 2
      }
    })pb";
  v1::Report r = EvaluatePack(rules, Counts({3}), "2019-01");
  EXPECT_EQ(Find(r, "P1", "a").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(r, "P1", "b").rating(), v1::RATING_RED);
  v1::Assessment worst = Find(r, "P1", "worst");
  EXPECT_EQ(worst.rating(), v1::RATING_RED);
  EXPECT_NE(worst.reason().find("1 of 2 combined rules red (b)"),
            std::string::npos);
  EXPECT_EQ(Find(r, "P1", "both").rating(), v1::RATING_AMBER);
  // Assessments keep pack order within a provider and indicator.
  ASSERT_EQ(r.assessments_size(), 4);
  EXPECT_EQ(r.assessments(2).rule_id(), "worst");
}

}  // namespace
}  // namespace vigil
