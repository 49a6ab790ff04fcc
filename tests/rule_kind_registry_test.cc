// A rule kind added from outside the engine: a toy peer rule registered for
// the `peer` case by this test binary, with no edit to src/engine/. It
// proves the per-indicator phase (gather over providers, merge, judge) and
// the registry's contract.
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "src/rules/rule_kind.h"
#include "tests/test_util.h"
#include "vigil/engine.h"

namespace vigil {
namespace {

using internal::GatheredStatistics;
using internal::IndicatorContext;
using internal::IndicatorRuleEvaluator;
using internal::PeerMember;
using internal::Phase;
using internal::RuleCompileContext;
using internal::RuleEvaluator;
using internal::RuleKind;
using internal::RuleKindRegistry;
using internal::SeriesContext;
using internal::SeriesRuleEvaluator;
using testing::AddMonthlyValues;
using testing::DatasetWith;
using testing::Find;
using testing::MakeIndicator;
using testing::PackWith;

// The sum and count of the providers' values at the assessed period.
struct MeanStatistics : GatheredStatistics {
  double sum = 0;
  int count = 0;
};

// Toy peer rule: red above the mean of the selected providers, else green;
// NO_DATA without a value at the assessed period.
class AboveMeanEvaluator : public IndicatorRuleEvaluator {
 public:
  static double ValueAt(const PeerMember& m, Period at) {
    if (m.series == nullptr) return std::nan("");
    const int k = m.series->IndexOf(at);
    if (k < 0 || m.series->status[k] != PointStatus::kObserved) {
      return std::nan("");
    }
    return m.series->values[k];
  }

  std::unique_ptr<GatheredStatistics> Gather(
      const IndicatorContext& context,
      absl::Span<const PeerMember> members) const override {
    auto stats = std::make_unique<MeanStatistics>();
    for (const PeerMember& m : members) {
      const double v = ValueAt(m, context.assessed);
      if (std::isnan(v)) continue;
      stats->sum += v;
      ++stats->count;
    }
    return stats;
  }
  void Merge(const GatheredStatistics& part,
             GatheredStatistics* total) const override {
    const auto& p = static_cast<const MeanStatistics&>(part);
    auto* t = static_cast<MeanStatistics*>(total);
    t->sum += p.sum;
    t->count += p.count;
  }
  void Judge(const IndicatorContext& context, const GatheredStatistics& all,
             const PeerMember& member, v1::Assessment* out) const override {
    const auto& stats = static_cast<const MeanStatistics&>(all);
    const double v = ValueAt(member, context.assessed);
    if (std::isnan(v) || stats.count == 0) {
      out->set_rating(v1::RATING_NO_DATA);
      out->set_reason("no value");
      return;
    }
    const double mean = stats.sum / stats.count;
    out->set_value(v);
    out->set_standard(mean);
    out->set_rating(v > mean ? v1::RATING_RED : v1::RATING_GREEN);
    out->set_reason(v > mean ? "above the peer mean" : "at or below the mean");
  }
};

absl::StatusOr<std::unique_ptr<RuleEvaluator>> CompileAboveMean(
    const RuleCompileContext& context) {
  if (context.rule().peer().minimum_providers() < 0) {
    return context.Error("minimum_providers", "must be >= 0");
  }
  return std::make_unique<AboveMeanEvaluator>();
}

// The built-in registry with its peer kind replaced by the toy.
RuleKindRegistry RegistryWithToyPeer() {
  RuleKindRegistry kinds = RuleKindRegistry::Builtin();
  kinds.Set({v1::Rule::kPeer, Phase::kPerIndicator, &CompileAboveMean});
  return kinds;
}

// Four providers of one lower-is-better count; P5 has no data.
v1::Dataset FourPeers() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("CDI", v1::UNIT_COUNT, v1::POLARITY_LOWER_IS_BETTER), 5);
  AddMonthlyValues(&d, "P1", "CDI", "2019-02", {1, 2});
  AddMonthlyValues(&d, "P2", "CDI", "2019-02", {1, 4});
  AddMonthlyValues(&d, "P3", "CDI", "2019-02", {1, 9});
  AddMonthlyValues(&d, "P4", "CDI", "2019-02", {1, 5});
  return d;
}

constexpr char kPeerPack[] = R"(
  rules { id: 'cdi_peer' name: 'C. difficile against peers'
          selector { indicator_ids: 'CDI' } peer { } }
  rules { id: 'cdi_dq' selector { indicator_ids: 'CDI' } data_quality { } }
  rules { id: 'both' selector { indicator_ids: 'CDI' }
          composite { rule_ids: ['cdi_peer', 'cdi_dq'] } })";

TEST(RuleKindRegistryTest, ToyPeerKindRunsInThePerIndicatorPhase) {
  auto engine =
      internal::CreateEngine(PackWith(kPeerPack), RegistryWithToyPeer());
  ASSERT_TRUE(engine.ok()) << engine.status();
  auto report = (*engine)->Evaluate(FourPeers(), "2019-03");
  ASSERT_TRUE(report.ok()) << report.status();
  // Mean of 2, 4, 9, 5 is 5: only P3 is above it.
  EXPECT_EQ(Find(*report, "P1", "cdi_peer").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(*report, "P3", "cdi_peer").rating(), v1::RATING_RED);
  EXPECT_DOUBLE_EQ(Find(*report, "P3", "cdi_peer").standard(), 5.0);
  EXPECT_EQ(Find(*report, "P4", "cdi_peer").rating(), v1::RATING_GREEN);
  EXPECT_EQ(Find(*report, "P3", "cdi_peer").rule_name(),
            "C. difficile against peers");
  // The combining phase sees the per-indicator rating.
  EXPECT_EQ(Find(*report, "P3", "both").rating(), v1::RATING_RED);
  // A provider without a series is not judged by a rule that needs one.
  for (const v1::Assessment& a : report->assessments()) {
    EXPECT_FALSE(a.provider_id() == "P5" && a.rule_id() == "cdi_peer");
  }
}

TEST(RuleKindRegistryTest, PerIndicatorResultsDoNotDependOnThreads) {
  auto engine =
      internal::CreateEngine(PackWith(kPeerPack), RegistryWithToyPeer());
  ASSERT_TRUE(engine.ok()) << engine.status();
  const SeriesStore data = IndexDataset(FourPeers());
  std::string first;
  for (int threads : {1, 2, 3, 8}) {
    EvaluateOptions options;
    options.threads = threads;
    auto report = (*engine)->Evaluate(data, "2019-03", options);
    ASSERT_TRUE(report.ok()) << report.status();
    std::string bytes;
    ASSERT_TRUE(report->SerializeToString(&bytes));
    if (first.empty()) first = bytes;
    EXPECT_EQ(bytes, first) << threads << " threads";
  }
}

TEST(RuleKindRegistryTest, GatherOnPartitionsMergesToGatherOnAll) {
  const SeriesStore data = IndexDataset(FourPeers());
  AboveMeanEvaluator evaluator;
  IndicatorContext context;
  context.indicator = &data.indicators()[0];
  context.assessed = *ParsePeriod("2019-03");
  std::vector<SeriesView> views;
  for (int s = 0; s < data.num_series(); ++s) views.push_back(data.series(s));
  std::vector<PeerMember> members;
  for (const SeriesView& v : views) {
    members.push_back({v.provider, &data.providers()[v.provider], &v, nullptr});
  }
  const auto all = evaluator.Gather(context, members);
  auto left = evaluator.Gather(context, absl::MakeSpan(members).subspan(0, 1));
  const auto right =
      evaluator.Gather(context, absl::MakeSpan(members).subspan(1));
  evaluator.Merge(*right, left.get());
  for (const PeerMember& m : members) {
    v1::Assessment whole, merged;
    evaluator.Judge(context, *all, m, &whole);
    evaluator.Judge(context, *left, m, &merged);
    EXPECT_EQ(whole.SerializeAsString(), merged.SerializeAsString());
  }
}

// A registry without the milestone kind: every kind in the schema is built
// in, so a kind an engine cannot run is one its registry lacks.
RuleKindRegistry RegistryWithoutMilestones() {
  RuleKindRegistry kinds;
  for (v1::Rule::KindCase kind :
       {v1::Rule::kThreshold, v1::Rule::kDataQuality}) {
    kinds.Set(*RuleKindRegistry::Builtin().Find(kind));
  }
  return kinds;
}

TEST(RuleKindRegistryTest, EngineRefusesRulesOfAKindItLacksButMayDisableThem) {
  auto engine = internal::CreateEngine(PackWith(R"(
    rules { id: 'cdi_cquin' selector { indicator_ids: 'CDI' }
            milestone { weight: 1 } })"),
                                       RegistryWithoutMilestones());
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(engine.status().message().find("cdi_cquin"), std::string::npos);
  auto disabled = internal::CreateEngine(PackWith(R"(
    rules { id: 'cdi_cquin' disabled: true
            selector { indicator_ids: 'CDI' } milestone { } }
    rules { id: 'cdi_dq' selector { indicator_ids: 'CDI' } data_quality { } })"),
                                         RegistryWithoutMilestones());
  EXPECT_TRUE(disabled.ok()) << disabled.status();
}

TEST(RuleKindRegistryTest, BuiltinRegistryRunsMilestoneRulesPerSeries) {
  const RuleKind* kind = RuleKindRegistry::Builtin().Find(v1::Rule::kMilestone);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->phase, Phase::kPerSeries);
}

TEST(RuleKindRegistryTest, BuiltinRegistryRunsPeerRules) {
  EXPECT_NE(RuleKindRegistry::Builtin().Find(v1::Rule::kPeer), nullptr);
  EXPECT_EQ(RuleKindRegistry::Builtin().Find(v1::Rule::kPeer)->phase,
            Phase::kPerIndicator);
}

TEST(RuleKindRegistryTest, RegisterRejectsTakenCasesAndMissingCompilers) {
  RuleKindRegistry kinds = RuleKindRegistry::Builtin();
  EXPECT_EQ(kinds
                .Register({v1::Rule::kThreshold, Phase::kPerSeries,
                           &CompileAboveMean})
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      kinds.Register({v1::Rule::kPeer, Phase::kPerIndicator, nullptr}).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(internal::RuleKindName(v1::Rule::kDataQuality), "data_quality");
}

TEST(RuleKindRegistryTest, KindCompiledToTheWrongPhaseIsAnInternalError) {
  RuleKindRegistry kinds = RuleKindRegistry::Builtin();
  kinds.Set({v1::Rule::kPeer, Phase::kPerSeries, &CompileAboveMean});
  auto engine = internal::CreateEngine(PackWith(kPeerPack), kinds);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInternal);
}

// Toy trajectory rule: red when the value at the assessed period is above
// the provider's plan for it; NO_DATA without a plan value.
class AbovePlanEvaluator : public SeriesRuleEvaluator {
 public:
  bool ReadsPlans() const override { return true; }
  void Assess(const SeriesContext& context,
              v1::Assessment* out) const override {
    const double plan = context.plan == nullptr
                            ? std::nan("")
                            : context.plan->At(context.assessed);
    const int k = context.series->IndexOf(context.assessed);
    if (std::isnan(plan) || k < 0 ||
        context.series->status[k] != PointStatus::kObserved) {
      out->set_rating(v1::RATING_NO_DATA);
      out->set_reason("no plan or no value");
      return;
    }
    const double v = context.series->values[k];
    out->set_value(v);
    out->set_standard(plan);
    out->set_rating(v > plan ? v1::RATING_RED : v1::RATING_GREEN);
    out->set_reason(v > plan ? "above plan" : "on plan");
  }
};

absl::StatusOr<std::unique_ptr<RuleEvaluator>> CompileAbovePlan(
    const RuleCompileContext&) {
  return std::make_unique<AbovePlanEvaluator>();
}

TEST(RuleKindRegistryTest, PlanValuesReachAPerSeriesRule) {
  RuleKindRegistry kinds = RuleKindRegistry::Builtin();
  kinds.Set({v1::Rule::kTrajectory, Phase::kPerSeries, &CompileAbovePlan});
  auto engine = internal::CreateEngine(PackWith(R"(
    rules { id: 'cdi_plan' selector { indicator_ids: 'CDI' } trajectory { } })"),
                                       kinds);
  ASSERT_TRUE(engine.ok()) << engine.status();
  v1::Dataset data = FourPeers();
  for (const auto& [provider, value] :
       std::vector<std::pair<std::string, double>>{{"P1", 3}, {"P3", 6}}) {
    v1::PlanValue* plan = data.add_plans();
    plan->set_provider_id(provider);
    plan->set_indicator_id("CDI");
    plan->set_period("2019-03");
    plan->set_value(value);
  }
  auto report = (*engine)->Evaluate(data, "2019-03");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Find(*report, "P1", "cdi_plan").rating(), v1::RATING_GREEN);
  EXPECT_DOUBLE_EQ(Find(*report, "P1", "cdi_plan").standard(), 3.0);
  EXPECT_EQ(Find(*report, "P3", "cdi_plan").rating(), v1::RATING_RED);
  EXPECT_EQ(Find(*report, "P2", "cdi_plan").rating(), v1::RATING_NO_DATA);
  EXPECT_EQ(report->plans_read(), 2);
  EXPECT_EQ(report->plans_used(), 2);
  for (const v1::Diagnostic& d : report->diagnostics()) {
    EXPECT_NE(d.field(), "plans") << d.message();
  }
}

TEST(RuleKindRegistryTest, PlansNoRuleReadsAreReportedAsNotUsed) {
  v1::Dataset data = FourPeers();
  v1::PlanValue* plan = data.add_plans();
  plan->set_provider_id("P1");
  plan->set_indicator_id("CDI");
  plan->set_period("2019-03");
  plan->set_value(3);
  const v1::Report report = testing::EvaluatePack(
      "rules { id: 'dq' selector { indicator_ids: 'CDI' } data_quality { } }",
      data, "2019-03");
  int said = 0;
  for (const v1::Diagnostic& d : report.diagnostics()) {
    if (d.field() == "plans") {
      ++said;
      EXPECT_NE(d.message().find("no rule of this pack reads plans"),
                std::string::npos);
    }
  }
  EXPECT_EQ(said, 1);
}

}  // namespace
}  // namespace vigil
