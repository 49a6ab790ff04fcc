// Signal escalation (vigil.v1.SignalPolicy) on a hand-built dataset of ten
// providers, January to June 2019, where each level can be counted by hand:
//   A (%, higher is better): rule a_std (critical, red below 90) and a_low
//     (warning, red below 80). P5-P10 sit at 85 throughout, so a_std is
//     red for most providers: a common red, weighing 2 x 0.25 = 0.5.
//   B (count, lower is better): b_max (warning, red above 10).
//   C (count, lower is better): c_crit (critical, red above 2).
//   P1 is clean. P2 has A at 75 (a_low red, not common: weight 1) and B at
//   20 (weight 1) throughout: score 2 from 2 signals, enhanced surveillance
//   from February (red for 2 months: persist_periods 2). P3 has B red in June
//   only: not yet persistent. P4 is red on A (70), B and C from February to
//   April: from March, score 1 + 1 + 2 = 4 from 3 signals, risk summit; in
//   May it is clean but the summit is held (hold_periods 2); in June it
//   steps down to enhanced surveillance (held 2 months more).
#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace vigil {
namespace {

using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::MakeIndicator;
using testing::PackWith;

const char kRules[] = R"(
  rules { id: 'a_std' name: 'A below 90%' severity: SEVERITY_CRITICAL
          selector { indicator_ids: 'A' }
          threshold { standard: 95 red_threshold: 90 } }
  rules { id: 'a_low' name: 'A below 80%' severity: SEVERITY_WARNING
          selector { indicator_ids: 'A' } threshold { standard: 80 } }
  rules { id: 'b_max' name: 'B above 10' severity: SEVERITY_WARNING
          selector { indicator_ids: 'B' }
          threshold { standard: 5 red_threshold: 10 } }
  rules { id: 'c_crit' name: 'C above 2' severity: SEVERITY_CRITICAL
          selector { indicator_ids: 'C' }
          threshold { standard: 1 red_threshold: 2 } })";

const char kSignals[] = R"(
  escalation { signals {
    common_share: 0.5 common_factor: 0.25 persist_periods: 2 hold_periods: 2
    levels { level: ESCALATION_LEVEL_ENHANCED_SURVEILLANCE
             name: 'enhanced surveillance' min_score: 2 min_signals: 2 }
    levels { level: ESCALATION_LEVEL_RISK_SUMMIT name: 'QSG risk summit'
             min_score: 4 min_signals: 2 } } })";

v1::Dataset Data() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("A", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER,
                    v1::DOMAIN_RESPONSIVE),
      10);
  *d.add_indicators() =
      MakeIndicator("B", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  *d.add_indicators() =
      MakeIndicator("C", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER);
  const std::string jan = "2019-01";
  for (int p = 1; p <= 10; ++p) {
    const std::string id = "P" + std::to_string(p);
    std::vector<double> a(6, p >= 5 ? 85 : 97), b(6, 3), c(6, 0.5);
    if (p == 2) {
      a.assign(6, 75);
      b.assign(6, 20);
    } else if (p == 3) {
      b[5] = 20;
    } else if (p == 4) {
      for (int m = 1; m <= 3; ++m) {
        a[m] = 70;
        b[m] = 20;
        c[m] = 5;
      }
    }
    AddMonthlyValues(&d, id, "A", jan, a);
    AddMonthlyValues(&d, id, "B", jan, b);
    AddMonthlyValues(&d, id, "C", jan, c);
  }
  return d;
}

class SignalEscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Create(PackWith(std::string(kRules) + kSignals));
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    DatasetIndexer indexer;
    indexer.AddDataset(Data());
    store_ = std::make_unique<SeriesStore>(std::move(indexer).Build());
  }
  const v1::ProviderSummary& Summary(const std::string& as_of,
                                     const std::string& provider) {
    auto report = engine_->Evaluate(*store_, as_of);
    EXPECT_TRUE(report.ok()) << report.status();
    reports_.push_back(*std::move(report));
    for (const v1::ProviderSummary& s : reports_.back().providers()) {
      if (s.provider_id() == provider) return s;
    }
    ADD_FAILURE() << "no summary for " << provider;
    return v1::ProviderSummary::default_instance();
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<SeriesStore> store_;
  std::vector<v1::Report> reports_;
};

TEST_F(SignalEscalationTest, ACommonRedCountsLessThanAnOutlier) {
  const v1::ProviderSummary& p5 = Summary("2019-04", "P5");
  EXPECT_EQ(p5.escalation(), v1::ESCALATION_LEVEL_ROUTINE);
  EXPECT_EQ(p5.escalation_reason(),
            "routine: 1 independent signal, score 0.5 (enhanced surveillance "
            "at 2 from 2): A: 85% in Apr 2019 against the 95% standard (red "
            "below 90%), red for 4 months (as 8 of 10 providers: counts "
            "0.5)");
}

TEST_F(SignalEscalationTest, OneSignalPerIndicatorWeighedByItsHeaviestRule) {
  // a_std (common, 0.5) and a_low (1) are both red on A: one signal of 1.
  const v1::ProviderSummary& p2 = Summary("2019-04", "P2");
  EXPECT_EQ(p2.escalation(), v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
  EXPECT_EQ(p2.escalation_reason(),
            "enhanced surveillance: 2 independent signals, score 2 (enhanced "
            "surveillance at 2 from 2): A: 75% in Apr 2019 against the 80% "
            "standard, red for 4 months; B: 20 in Apr 2019 against the 5 "
            "standard (red above 10), red for 4 months");
}

TEST_F(SignalEscalationTest, ARedCountsOnlyOnceItHasPersisted) {
  EXPECT_EQ(Summary("2019-01", "P2").escalation(),
            v1::ESCALATION_LEVEL_ROUTINE);  // Red for 1 month only.
  EXPECT_EQ(Summary("2019-02", "P2").escalation(),
            v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
  const v1::ProviderSummary& p3 = Summary("2019-06", "P3");
  EXPECT_EQ(p3.escalation(), v1::ESCALATION_LEVEL_ROUTINE);
  EXPECT_EQ(p3.escalation_reason(),
            "routine: no independent signal (enhanced surveillance at 2 from "
            "2); not yet counted (signals count once red for 2 months): B: 20 "
            "in Jun 2019 against the 5 standard (red above 10), red for 1 "
            "month");
}

TEST_F(SignalEscalationTest, LevelsAndTheirNamesComeFromThePackAndAreHeld) {
  EXPECT_EQ(Summary("2019-02", "P4").escalation(),
            v1::ESCALATION_LEVEL_ROUTINE);
  const v1::ProviderSummary& march = Summary("2019-03", "P4");
  EXPECT_EQ(march.escalation(), v1::ESCALATION_LEVEL_RISK_SUMMIT);
  EXPECT_EQ(march.escalation_reason(),
            "QSG risk summit: 3 independent signals, score 4 (QSG risk summit "
            "at 4 from 2): C: 5 in Mar 2019 against the 1 standard (red above "
            "2), red for 2 months; A: 70% in Mar 2019 against the 80% "
            "standard, red for 2 months; B: 20 in Mar 2019 against the 5 "
            "standard (red above 10), red for 2 months");
  // Clean in May, still held; routine in June.
  const v1::ProviderSummary& may = Summary("2019-05", "P4");
  EXPECT_EQ(may.escalation(), v1::ESCALATION_LEVEL_RISK_SUMMIT);
  EXPECT_EQ(
      may.escalation_reason(),
      "QSG risk summit: no independent signal (enhanced surveillance at "
      "2 from 2); held at QSG risk summit since it was met in Apr 2019 "
      "on 3 independent signals, score 4 (C: C above 2, red for 3 months; "
      "A: A below 80%, red for 3 months; B: B above 10, red for 3 "
      "months; levels are held for 2 months, then step down one level "
      "at a time)");
  // Not straight back to routine: one level down, saying why.
  const v1::ProviderSummary& june = Summary("2019-06", "P4");
  EXPECT_EQ(june.escalation(), v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
  EXPECT_EQ(june.escalation_reason(),
            "enhanced surveillance: no independent signal (enhanced "
            "surveillance at 2 from 2); stepping down from QSG risk summit, "
            "met in Apr 2019 on 3 independent signals, score 4 (C: C above 2, "
            "red for at least 3 months; A: A below 80%, red for at least 3 "
            "months; B: B above 10, red for at least 3 months; levels are "
            "held for 2 months, then step down one level at a time)");
}

TEST_F(SignalEscalationTest, TheTimelineHasEveryPeriodsLevel) {
  v1::Timeline timeline;
  ASSERT_TRUE(
      engine_->EvaluateTimeline(*store_, "2019-01", "2019-06", {}, &timeline)
          .ok());
  ASSERT_EQ(timeline.providers_size(), 10);
  for (const v1::ProviderTimeline& p : timeline.providers()) {
    for (int t = 0; t < timeline.as_of_size(); ++t) {
      EXPECT_EQ(p.escalation(t),
                Summary(timeline.as_of(t), p.provider_id()).escalation())
          << p.provider_id() << " as of " << timeline.as_of(t);
    }
  }
  // P4: routine, routine, summit, summit, summit (held), enhanced
  // surveillance (stepping down).
  const v1::ProviderTimeline& p4 = timeline.providers(4);  // P1, P10, P2...
  ASSERT_EQ(p4.provider_id(), "P4");
  EXPECT_EQ(p4.escalation(2), v1::ESCALATION_LEVEL_RISK_SUMMIT);
  EXPECT_EQ(p4.escalation(4), v1::ESCALATION_LEVEL_RISK_SUMMIT);
  EXPECT_EQ(p4.escalation(5), v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
}

TEST(SignalPolicyTest, MistakesAreRefusedNamingTheField) {
  const struct {
    const char* escalation;
    const char* message;
  } kCases[] = {
      {"escalation { enhanced_surveillance_min_red: 2 signals {} }",
       "escalation: set either the red counts"},
      {"escalation { signals { common_share: 1.5 } }",
       "escalation.signals.common_share: must be 0..1"},
      {"escalation { signals { common_factor: -1 } }",
       "escalation.signals.common_factor: must be 0..1"},
      {"escalation { signals { persist_periods: 25 } }",
       "escalation.signals.persist_periods: must be 0..24"},
      {"escalation { signals { levels { level: ESCALATION_LEVEL_ROUTINE "
       "min_score: 1 } } }",
       "escalation.signals.levels[0].level: must be"},
      {"escalation { signals { levels { level: ESCALATION_LEVEL_RISK_SUMMIT "
       "min_score: 4 } levels { level: ESCALATION_LEVEL_ENHANCED_SURVEILLANCE "
       "min_score: 2 } } }",
       "escalation.signals.levels[1].level: levels must be given lowest "
       "first"},
      {"escalation { signals { levels { level: "
       "ESCALATION_LEVEL_ENHANCED_SURVEILLANCE } } }",
       "escalation.signals.levels[0]: set min_score or min_signals"},
      {"escalation { signals { levels { level: "
       "ESCALATION_LEVEL_ENHANCED_SURVEILLANCE min_score: 3 } levels { level: "
       "ESCALATION_LEVEL_RISK_SUMMIT min_score: 2 } } }",
       "escalation.signals.levels[1]: a higher level must not need less"},
  };
  for (const auto& c : kCases) {
    auto engine = Engine::Create(PackWith(std::string(kRules) + c.escalation));
    ASSERT_FALSE(engine.ok()) << c.escalation;
    EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(engine.status().message().find(c.message), std::string::npos)
        << engine.status().message();
  }
}

}  // namespace
}  // namespace vigil
