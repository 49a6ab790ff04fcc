// Peer rules in the engine: the funnel position of each provider at the
// assessed period, mapped to a rating through the indicator's polarity.
// The funnel numbers themselves are proven in funnel_test.cc; here, that
// the engine places the right providers, rates and explains them.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/funnel.h"

namespace vigil {
namespace {

using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;
using testing::PackWith;

void AddCounts(v1::Dataset* d, const std::string& provider,
               const std::string& period, double numerator,
               double denominator) {
  v1::Observation* o = d->add_observations();
  o->set_provider_id(provider);
  o->set_indicator_id(d->indicators(0).id());
  o->set_period(period);
  o->set_numerator(numerator);
  o->set_denominator(denominator);
}

// Twelve providers seeing 1,000 patients each in March 2019. Pooled 88.76%;
// unadjusted 95% limits about 86.7-90.8%, 99.8% about 85.5-91.9%: P10
// (86.2%) is between them on the low side, P11 (70%) far below, P12 (97%)
// far above.
v1::Dataset TwelvePeers(v1::Polarity polarity = v1::POLARITY_HIGHER_IS_BETTER,
                        v1::Unit unit = v1::UNIT_PERCENTAGE) {
  v1::Dataset d = DatasetWith(MakeIndicator("AE", unit, polarity), 13);
  const std::vector<double> seen = {900, 905, 910, 895, 902, 898,
                                    904, 899, 906, 862, 700, 970};
  for (size_t i = 0; i < seen.size(); ++i) {
    AddCounts(&d, "P" + std::to_string(i + 1), "2019-03", seen[i], 1000);
  }
  return d;
}

constexpr char kUnadjusted[] = R"(
  rules { id: 'peer' selector { indicator_ids: 'AE' }
          peer { adjustment: ADJUSTMENT_NONE } })";

TEST(PeerRuleTest, RatesEachProviderByItsFunnelPositionAndPolarity) {
  const v1::Report report = EvaluatePack(kUnadjusted, TwelvePeers(), "2019-03");
  EXPECT_EQ(Find(report, "P1", "peer").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(report, "P10", "peer").rating(), v1::RATING_AMBER);
  EXPECT_EQ(Find(report, "P11", "peer").rating(), v1::RATING_RED);
  EXPECT_EQ(Find(report, "P12", "peer").rating(), v1::RATING_GREEN);
  EXPECT_NE(Find(report, "P12", "peer").reason().find("better than peers"),
            std::string::npos);
  // P13 has no series: like every rule that needs one, the peer rule does
  // not assess it (data quality rules report missing series).
  for (const v1::Assessment& a : report.assessments()) {
    EXPECT_NE(a.provider_id(), "P13");
  }
}

TEST(PeerRuleTest, LowerIsBetterTurnsTheBadSideOver) {
  const v1::Report report = EvaluatePack(
      kUnadjusted, TwelvePeers(v1::POLARITY_LOWER_IS_BETTER), "2019-03");
  EXPECT_EQ(Find(report, "P11", "peer").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(report, "P12", "peer").rating(), v1::RATING_RED);
  EXPECT_EQ(Find(report, "P10", "peer").rating(), v1::RATING_GREEN);
}

TEST(PeerRuleTest, ReasonAndEvidenceGiveValueLimitsAndPeers) {
  const v1::Report report = EvaluatePack(kUnadjusted, TwelvePeers(), "2019-03");
  const v1::Assessment red = Find(report, "P11", "peer");
  EXPECT_EQ(red.reason().rfind("AE: 70% in Mar 2019, below the 99.8% lower "
                               "limit of ",
                               0),
            0u)
      << red.reason();
  EXPECT_NE(red.reason().find("for 12 providers (not adjusted for "
                              "overdispersion)"),
            std::string::npos)
      << red.reason();
  EXPECT_DOUBLE_EQ(red.value(), 70.0);
  EXPECT_NEAR(red.standard(), 100.0 * 10651 / 12000, 1e-9);
  // The red limit on the bad side is the red threshold, and it is the
  // kernel's 99.8% lower limit at 1,000 patients.
  funnel::Options options;
  options.multiplier = 100;
  funnel::Result fit;
  ASSERT_TRUE(
      funnel::Fit({900, 905, 910, 895, 902, 898, 904, 899, 906, 862, 700, 970},
                  std::vector<double>(12, 1000), options, &fit)
          .ok());
  EXPECT_DOUBLE_EQ(red.red_threshold(), fit.lower[10 * 2 + 1]);
  std::vector<std::string> labels;
  for (const v1::EvidenceValue& e : red.evidence()) labels.push_back(e.label());
  const std::vector<std::string> expected = {"value",
                                             "numerator",
                                             "denominator",
                                             "peer target",
                                             "lower 95% limit",
                                             "upper 95% limit",
                                             "lower 99.8% limit",
                                             "upper 99.8% limit",
                                             "z-score",
                                             "phi",
                                             "tau2",
                                             "peers"};
  EXPECT_EQ(labels, expected);
  const v1::Assessment amber = Find(report, "P10", "peer");
  EXPECT_NE(amber.reason().find("below the 95% lower limit"), std::string::npos)
      << amber.reason();
  EXPECT_NE(amber.reason().find("within the 99.8% limit"), std::string::npos);
}

TEST(PeerRuleTest, AdditiveAdjustmentIsTheDefaultAndTheReasonGivesTau2) {
  const v1::Report report = EvaluatePack(
      "rules { id: 'peer' selector { indicator_ids: 'AE' } peer { } }",
      TwelvePeers(), "2019-03");
  const v1::Assessment red = Find(report, "P11", "peer");
  EXPECT_NE(red.reason().find("(overdispersion-adjusted, τ² = "),
            std::string::npos)
      << red.reason();
  double tau2 = -1;
  for (const v1::EvidenceValue& e : red.evidence()) {
    if (e.label() == "tau2") tau2 = e.value();
  }
  EXPECT_GT(tau2, 0.0);
  // Widened limits: P10 is no longer outside the 95% limit.
  EXPECT_EQ(Find(report, "P10", "peer").rating(), v1::RATING_GREEN);
}

TEST(PeerRuleTest, FewerPeersThanTheMinimumIsNoDataWithTheReason) {
  const v1::Report report = EvaluatePack(R"(
    rules { id: 'peer' selector { indicator_ids: 'AE' }
            peer { minimum_providers: 13 } })",
                                         TwelvePeers(), "2019-03");
  const v1::Assessment a = Find(report, "P1", "peer");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("only 12 providers have a numerator and "
                            "denominator for Mar 2019; peer comparison needs "
                            "at least 13"),
            std::string::npos)
      << a.reason();
}

TEST(PeerRuleTest, AValueWithoutNumeratorAndDenominatorIsNoDataNotDropped) {
  v1::Dataset d = TwelvePeers();
  v1::Observation* o = d.add_observations();
  o->set_provider_id("P13");
  o->set_indicator_id("AE");
  o->set_period("2019-03");
  o->set_value(91.0);
  const v1::Report report = EvaluatePack(kUnadjusted, d, "2019-03");
  const v1::Assessment a = Find(report, "P13", "peer");
  EXPECT_EQ(a.rating(), v1::RATING_NO_DATA);
  EXPECT_NE(a.reason().find("no numerator and denominator for Mar 2019"),
            std::string::npos)
      << a.reason();
  // The others are still judged among 12.
  EXPECT_EQ(Find(report, "P11", "peer").rating(), v1::RATING_RED);
}

TEST(PeerRuleTest, NeutralIndicatorIsNotApplicableWithItsPosition) {
  const v1::Report report =
      EvaluatePack(kUnadjusted, TwelvePeers(v1::POLARITY_NEUTRAL), "2019-03");
  const v1::Assessment a = Find(report, "P11", "peer");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_NE(a.reason().find("below the 99.8% lower limit"), std::string::npos);
  EXPECT_NE(a.reason().find("neutral indicator"), std::string::npos);
}

TEST(PeerRuleTest, CountIndicatorWithoutAMethodIsNotApplicable) {
  const v1::Report report = EvaluatePack(
      kUnadjusted, TwelvePeers(v1::POLARITY_LOWER_IS_BETTER, v1::UNIT_COUNT),
      "2019-03");
  const v1::Assessment a = Find(report, "P1", "peer");
  EXPECT_EQ(a.rating(), v1::RATING_NOT_APPLICABLE);
  EXPECT_NE(a.reason().find("set peer.method"), std::string::npos);
}

TEST(PeerRuleTest, SameRatingsWithOneOrTwoThreads) {
  auto engine = Engine::Create(PackWith(kUnadjusted));
  ASSERT_TRUE(engine.ok());
  EvaluateOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const SeriesStore data = IndexDataset(TwelvePeers());
  auto a = (*engine)->Evaluate(data, "2019-03", one);
  auto b = (*engine)->Evaluate(data, "2019-03", two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
}

TEST(PeerRuleTest, PackMistakesNameTheField) {
  struct Case {
    const char* peer;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {"amber_limit: 0.998 red_limit: 0.95", "peer.red_limit"},
           {"red_limit: 1.5", "peer.red_limit"},
           {"minimum_providers: 1", "peer.minimum_providers"},
           {"winsorize_fraction: 0.5", "peer.winsorize_fraction"},
           {"method: METHOD_PROPORTION scale: SCALE_LOG", "peer.scale"},
           {"overdispersion: true adjustment: ADJUSTMENT_ADDITIVE",
            "peer.overdispersion"},
           {"target: -1", "peer.target"}}) {
    auto engine = Engine::Create(
        PackWith(std::string("rules { id: 'p' selector { indicator_ids: 'AE' "
                             "} peer { ") +
                 c.peer + " } }"));
    ASSERT_FALSE(engine.ok()) << c.peer;
    EXPECT_NE(engine.status().message().find(c.field), std::string::npos)
        << engine.status();
  }
}

}  // namespace
}  // namespace vigil
