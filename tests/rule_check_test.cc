// CheckRulesAgainstIndicators: rules whose direction cannot apply.
#include "vigil/rule_check.h"

#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::MakeIndicator;
using testing::PackWith;

std::vector<v1::Indicator> Indicators() {
  v1::Indicator neutral =
      MakeIndicator("ADM", v1::UNIT_COUNT, v1::POLARITY_NEUTRAL);
  neutral.set_name("Admissions");
  return {
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      neutral,
      MakeIndicator("UNSET", v1::UNIT_COUNT, v1::POLARITY_UNSPECIFIED)};
}

TEST(RuleCheckTest,
     ThresholdOnANeutralIndicatorIsAWarningNamingRuleAndIndicator) {
  auto w = CheckRulesAgainstIndicators(
      PackWith(R"pb(rules {
                      id: "level"
                      selector { indicator_ids: [ "AE", "ADM" ] }
                      threshold { standard: 10 }
                    })pb"),
      Indicators());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].rule_id, "level");
  EXPECT_EQ(w[0].indicator_id, "ADM");
  EXPECT_EQ(w[0].message,
            "rule 'level' (rules[0]): a threshold rule needs a direction, and "
            "indicator 'ADM' (Admissions) has polarity neutral: it is "
            "NOT_APPLICABLE for every provider (set the rule's polarity, or "
            "the indicator's)");
}

TEST(RuleCheckTest, TrendTrajectoryPeerAndMilestoneNeedADirectionToo) {
  for (const char* kind :
       {"trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD }",
        "trajectory {}", "peer {}", "milestone { weight: 1 }"}) {
    auto w = CheckRulesAgainstIndicators(
        PackWith(std::string("rules { id: 'r' selector { indicator_ids: "
                             "'UNSET' } ") +
                 kind + "}"),
        Indicators());
    ASSERT_EQ(w.size(), 1u) << kind;
    EXPECT_NE(w[0].message.find("has polarity unset"), std::string::npos);
  }
}

TEST(RuleCheckTest, RulePolarityZeroToleranceSpcAndDataQualityAreFine) {
  auto w = CheckRulesAgainstIndicators(
      PackWith(R"pb(
        rules {
          id: "t"
          selector { indicator_ids: "ADM" }
          trend {
            comparison: TREND_COMPARISON_PREVIOUS_PERIOD
            polarity: POLARITY_LOWER_IS_BETTER
          }
        }
        rules {
          id: "th"
          selector { indicator_ids: "ADM" }
          threshold { standard: 5 polarity: POLARITY_LOWER_IS_BETTER }
        }
        rules {
          id: "zt"
          selector { indicator_ids: "ADM" }
          threshold { zero_tolerance: true }
        }
        rules {
          id: "spc"
          selector { indicator_ids: "ADM" }
          spc {}
        }
        rules {
          id: "dq"
          selector { all_indicators: true }
          data_quality {}
        }
        rules {
          id: "off"
          disabled: true
          selector { indicator_ids: "ADM" }
          threshold { standard: 1 }
        })pb"),
      Indicators());
  EXPECT_TRUE(w.empty()) << w[0].message;
}

TEST(RuleCheckTest, UnknownIndicatorIdsAndEmptySelectionsAreWarnings) {
  auto w =
      CheckRulesAgainstIndicators(PackWith(R"pb(
                                    rules {
                                      id: "typo"
                                      selector { indicator_ids: "AE_4H" }
                                      data_quality {}
                                    }
                                    rules {
                                      id: "none"
                                      selector { indicator_tags: "nothing" }
                                      data_quality {}
                                    })pb"),
                                  Indicators());
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].message,
            "rule 'typo' (rules[0]): selects indicator 'AE_4H', which the "
            "indicators do not define");
  EXPECT_EQ(w[1].message,
            "rule 'none' (rules[1]): its selector matches none of the "
            "indicators");
}

}  // namespace
}  // namespace vigil
