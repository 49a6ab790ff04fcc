// The SPC kernel against NHSRplotthedots 0.2.2's published vectors
// (../shared/reference/spc-test-vectors.md), plus properties and the
// extensions (run length, gaps, time-varying targets).
#include "vigil/spc.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/kernels/spc_rules.h"

namespace vigil {
namespace spc {
namespace {

using internal::kClose;
using internal::kShift;
using internal::kTrend;
using internal::kTwoInThree;

const std::vector<double> kY20 = {
    -0.560475646552213, -0.23017748948328, 1.55870831414912,
    0.070508391424576,  0.129287735160946, 1.71506498688328,
    0.460916205989202,  -1.26506123460653, -0.686852851893526,
    -0.445661970099958, 1.22408179743946,  0.359813827057364,
    0.400771450594052,  0.11068271594512,  -0.555841134754075,
    1.78691313680308,   0.497850478229239, -1.96661715662964,
    0.701355901563686,  -0.472791407727934};
const std::vector<double> kY24Tail = {-1.06782370598685, -0.217974914658295,
                                      -1.02600444830724, -0.72889122929114};

struct Result {
  std::vector<PointResult> points;
  SeriesSummary summary;
};

Result Analyse(const std::vector<double>& y, Options options = Options(),
               std::vector<uint8_t> rebase = {},
               std::vector<double> targets = {}) {
  Workspace ws;
  Result r;
  r.points.resize(y.size());
  absl::Status s = Analyze(y, rebase, targets, options, &ws,
                           absl::MakeSpan(r.points), &r.summary);
  EXPECT_TRUE(s.ok()) << s;
  return r;
}

std::string Codes(const Result& r) {
  std::string out;
  for (const PointResult& p : r.points) {
    static const char* kCodes[] = {"CC", "AU", "BL", "TI", "TD",
                                   "2A", "2B", "SA", "SB", "--"};
    if (!out.empty()) out += ",";
    out += kCodes[static_cast<int>(p.special_cause)];
  }
  return out;
}

void ExpectLimits(const PointResult& p, double mean, double lpl, double upl) {
  EXPECT_NEAR(p.mean, mean, 1e-9);
  EXPECT_NEAR(p.lpl, lpl, 1e-9);
  EXPECT_NEAR(p.upl, upl, 1e-9);
}

// --- A: unit-level rule vectors ------------------------------------------

std::vector<uint8_t> Rules(const std::vector<double>& y,
                           const std::vector<int8_t>& side,
                           const std::vector<uint8_t>& close, int run = 7) {
  std::vector<uint8_t> flags(y.size(), 0);
  for (size_t i = 0; i < close.size(); ++i) flags[i] = close[i] ? kClose : 0;
  internal::ApplyRules(y.data(), side.data(), static_cast<int>(y.size()), run,
                       flags.data());
  return flags;
}

std::vector<int> Bit(const std::vector<uint8_t>& flags, uint8_t bit) {
  std::vector<int> out;
  for (uint8_t f : flags) out.push_back((f & bit) != 0);
  return out;
}

TEST(SpcRulesTest, A1ShiftNeedsSevenOnOneSide) {
  auto shift = [](std::vector<int8_t> side) {
    std::vector<double> y(side.size(), 0.0);
    return Bit(Rules(y, side, {}), kShift);
  };
  EXPECT_EQ(shift({1, 1, 1, 1, 1, 1}), (std::vector<int>{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(shift({1, 1, 1, 1, 1, 1, -1}), (std::vector<int>(7, 0)));
  EXPECT_EQ(shift({1, 1, 1, 1, 1, 1, 1, 1, -1}),
            (std::vector<int>{1, 1, 1, 1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(shift({-1, -1, -1, -1, -1, -1, -1, -1, 1}),
            (std::vector<int>{1, 1, 1, 1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(shift({1, 1, 1, 0, 1, 1, 1, 1}), (std::vector<int>(8, 0)));
}

TEST(SpcRulesTest, A2A3TrendIsStrictAndCoversItsWindow) {
  auto trend = [](std::vector<double> y) {
    return Bit(Rules(y, std::vector<int8_t>(y.size(), 0), {}), kTrend);
  };
  EXPECT_EQ(trend({1, 2, 3, 4, 5, 6}), (std::vector<int>(6, 0)));
  EXPECT_EQ(trend({1, 2, 3, 3, 4, 5, 6}), (std::vector<int>(7, 0)));
  EXPECT_EQ(trend({1, 2, 3, 4, 5, 6, 7}), (std::vector<int>(7, 1)));
  EXPECT_EQ(trend({2, 1, 2, 3, 4, 5, 6, 7, 3}),
            (std::vector<int>{0, 1, 1, 1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(trend({7, 6, 5, 4, 3, 2, 1}), (std::vector<int>(7, 1)));
  EXPECT_EQ(trend({2, 7, 6, 5, 4, 3, 2, 1, 3}),
            (std::vector<int>{0, 1, 1, 1, 1, 1, 1, 1, 0}));
}

TEST(SpcRulesTest, A4A5TwoInThreeNeedsOneSideAndFlagsOnlyClosePoints) {
  struct Case {
    std::vector<uint8_t> close;
    std::vector<int8_t> side;
    std::vector<int> expected;
  } cases[] = {
      {{1, 0, 1}, {1, 1, 1}, {1, 0, 1}},
      {{0, 1, 1}, {1, 1, 1}, {0, 1, 1}},
      {{1, 1, 0}, {1, 1, 1}, {1, 1, 0}},
      {{0, 0, 1, 0, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 0, 1, 0, 0}},
      {{0, 0, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 0, 0, 0}},
      {{1, 0, 0, 1}, {1, 1, 1, 1}, {0, 0, 0, 0}},
      {{1, 0, 0, 1, 1}, {1, 1, 1, 1, 1}, {0, 0, 0, 1, 1}},
      {{1, 0, 1}, {1, -1, 1}, {0, 0, 0}},
      {{0, 1, 1}, {1, -1, 1}, {0, 0, 0}},
      {{1, 1, 0}, {1, -1, 1}, {0, 0, 0}},
      {{0, 0, 1, 0, 1, 0, 0}, {1, -1, 1, -1, 1, -1, 1}, {0, 0, 0, 0, 0, 0, 0}},
      {{0, 0, 1, 1, 0, 0, 0}, {-1, 1, -1, 1, -1, 1, -1}, {0, 0, 0, 0, 0, 0, 0}},
  };
  for (const Case& c : cases) {
    std::vector<double> y(c.close.size(), 0.0);
    EXPECT_EQ(Bit(Rules(y, c.side, c.close), kTwoInThree), c.expected);
  }
}

// --- B: integration vectors ------------------------------------------------

TEST(SpcTest, B1Y20ScreenedLimitsAllCommonCause) {
  Result r = Analyse(kY20);
  for (const PointResult& p : r.points) {
    ExpectLimits(p, 0.141623802474599, -3.0113795957081, 3.2946272006573);
    EXPECT_EQ(p.point_type, PointType::kCommonCause);
  }
  EXPECT_EQ(r.summary.variation, VariationIcon::kCommonCause);
  EXPECT_EQ(r.summary.assurance, Assurance::kNone);
}

TEST(SpcTest, B1OutlierAboveUclWithAndWithoutScreening) {
  std::vector<double> y = kY20;
  y[14] = 10;
  Result screened = Analyse(y);
  ExpectLimits(screened.points[0], 0.669415859212302, -2.38366559727413,
               3.72249731569874);
  Options excel;
  excel.screen_outliers = false;
  Result unscreened = Analyse(y, excel);
  ExpectLimits(unscreened.points[0], 0.669415859212302, -4.59662518246976,
               5.93545690089436);
  for (const Result* r : {&screened, &unscreened}) {
    for (size_t i = 0; i < y.size(); ++i) {
      EXPECT_EQ(r->points[i].point_type,
                i == 14 ? PointType::kImprovement : PointType::kCommonCause)
          << i;
    }
    EXPECT_EQ(r->points[14].special_cause, SpecialCause::kAboveUcl);
  }
}

TEST(SpcTest, B1FixAfterTwelvePoints) {
  Options o;
  o.fix_after_n_points = 12;
  ExpectLimits(Analyse(kY20, o).points[19], 0.194179338789037,
               -2.60739981479775, 2.99575849237582);
}

TEST(SpcTest, B1RebaseSplitsIntoTwoGroupsWithShortWarnings) {
  std::vector<uint8_t> rebase(20, 0);
  rebase[10] = 1;
  Result r = Analyse(kY20, Options(), rebase);
  ExpectLimits(r.points[0], 0.0746256440971619, -2.60058540774544,
               2.74983669593976);
  ExpectLimits(r.points[19], 0.2086219608520353, -3.27900544772941,
               3.69624936943348);
  EXPECT_EQ(r.summary.groups, 2);
  EXPECT_EQ(r.points[10].group, 1);
  EXPECT_TRUE(r.summary.short_group_warning);
}

TEST(SpcTest, B1TargetInsideLimitsIsInconsistent) {
  Result r = Analyse(kY20, Options(), {}, std::vector<double>(20, 0.5));
  EXPECT_EQ(r.summary.assurance, Assurance::kInconsistent);
  EXPECT_EQ(r.summary.variation, VariationIcon::kCommonCause);
}

std::vector<double> Y24WithTail(const std::vector<double>& tail) {
  std::vector<double> y(kY20.begin(), kY20.begin() + 12);
  y.insert(y.end(), tail.begin(), tail.end());
  return y;
}

TEST(SpcTest, B2Y24Limits) {
  std::vector<double> y = kY20;
  y.insert(y.end(), kY24Tail.begin(), kY24Tail.end());
  Result r = Analyse(y);
  EXPECT_NEAR(r.points[0].mean, -0.00867576, 5e-9);
  EXPECT_NEAR(r.points[0].lpl, -2.908247, 5e-7);
  EXPECT_NEAR(r.points[0].upl, 2.890895, 5e-7);
  std::vector<double> second(y.begin() + 12, y.end());
  ExpectLimits(Analyse(second).points[0], -0.211530859518333, -3.46278631568203,
               3.03972459664537);
}

TEST(SpcTest, B2ShiftUpwardsIconsAndTypes) {
  const std::vector<double> y = Y24WithTail(
      {4.37496073215074, 3.31330668925759, 5.83778704449453, 5.15337311783651,
       3.86186306298805, 6.25381492106993, 5.42646422147681, 4.70492851700773,
       5.89512566104502, 5.87813348753304, 5.82158108163749, 5.68864025410009});
  std::vector<double> target(24, -3);
  Result up = Analyse(y, Options(), {}, target);
  EXPECT_NEAR(up.points[0].mean, 2.689172, 5e-7);
  EXPECT_NEAR(up.points[0].lpl, -0.02947567, 5e-9);
  EXPECT_NEAR(up.points[0].upl, 5.40782, 5e-6);
  EXPECT_EQ(Codes(up),
            "BL,BL,SB,2B,2B,SB,2B,BL,BL,BL,SB,SB,SA,SA,AU,SA,SA,AU,AU,SA,AU,AU,"
            "AU,AU");
  EXPECT_EQ(up.summary.variation, VariationIcon::kImprovementHigh);
  EXPECT_EQ(up.summary.assurance, Assurance::kConsistentPass);
  Options down;
  down.direction = ImprovementDirection::kDecrease;
  Result dn = Analyse(y, down, {}, target);
  EXPECT_EQ(dn.summary.variation, VariationIcon::kConcernHigh);
  EXPECT_EQ(dn.summary.assurance, Assurance::kConsistentFail);
}

TEST(SpcTest, B2ShiftDownwardsIconsAndTypes) {
  const std::vector<double> y =
      Y24WithTail({-4.44608234646241, -5.06191171057672, -5.30596266373992,
                   -5.38047100101238, -5.69470697892051, -5.2079172780196,
                   -6.26539635156826, -2.83104403466149, -3.79203800169501,
                   -6.12310858320335, -5.40288483529908, -5.46665535362322});
  std::vector<double> target(24, 3);
  Result up = Analyse(y, Options(), {}, target);
  EXPECT_NEAR(up.points[0].mean, -2.443668, 5e-7);
  EXPECT_NEAR(up.points[0].lpl, -5.090221, 5e-7);
  EXPECT_NEAR(up.points[0].upl, 0.202885, 5e-7);
  EXPECT_EQ(Codes(up),
            "2A,2A,AU,2A,2A,AU,AU,SA,SA,SA,AU,AU,TD,TD,BL,BL,BL,BL,BL,SB,SB,BL,"
            "BL,BL");
  EXPECT_EQ(up.summary.variation, VariationIcon::kConcernLow);
  EXPECT_EQ(up.summary.assurance, Assurance::kConsistentFail);
  Options down;
  down.direction = ImprovementDirection::kDecrease;
  Result dn = Analyse(y, down, {}, target);
  EXPECT_EQ(dn.summary.variation, VariationIcon::kImprovementLow);
  EXPECT_EQ(dn.summary.assurance, Assurance::kConsistentPass);
  Options neutral;
  neutral.direction = ImprovementDirection::kNeutral;
  Result nt = Analyse(y, neutral, {}, target);
  EXPECT_EQ(nt.summary.variation, VariationIcon::kNeutralLow);
  EXPECT_EQ(nt.summary.assurance, Assurance::kNone);
  for (int i = 0; i < 24; ++i) {
    EXPECT_EQ(nt.points[i].point_type,
              i < 12 ? PointType::kNeutralHigh : PointType::kNeutralLow)
        << i;
  }
}

TEST(SpcTest, B3OppositeSideCloseStaysCommonCause) {
  std::vector<double> y;
  for (int i = 0; i < 14; ++i) y.push_back(i % 2 == 0 ? 1 : -1);
  y.push_back(5.5);
  y.push_back(-5.5);
  Result r = Analyse(y);
  ExpectLimits(r.points[0], 0, -6.175, 6.175);
  for (const PointResult& p : r.points) {
    EXPECT_EQ(p.point_type, PointType::kCommonCause);
  }
}

TEST(SpcTest, B4ScreeningAgainstTheExcelTool) {
  const std::vector<double> y = {1, 2, 1, 2, 10, 1, 2, 1, 2,
                                 1, 2, 1, 2, 1,  2, 1, 2, 1};
  Result screened = Analyse(y);
  EXPECT_NEAR(screened.points[0].upl, 4.6, 0.005);
  EXPECT_NEAR(screened.points[0].mean, 1.94, 0.005);
  EXPECT_NEAR(screened.points[0].lpl, -0.72, 0.005);
  Options excel;
  excel.screen_outliers = false;
  Result unscreened = Analyse(y, excel);
  EXPECT_NEAR(unscreened.points[0].upl, 6.95, 0.005);
  EXPECT_NEAR(unscreened.points[0].lpl, -3.06, 0.005);
  EXPECT_EQ(screened.points[4].point_type, PointType::kImprovement);
  EXPECT_EQ(unscreened.points[4].point_type, PointType::kImprovement);
}

TEST(SpcTest, A7AssuranceAgainstTheLastGroupsLimits) {
  // Two groups; the last group's limits decide.
  std::vector<double> y = {1, 2, 1, 2, 1, 2, 10, 11, 10, 11, 10, 11};
  std::vector<uint8_t> rebase(12, 0);
  rebase[6] = 1;
  std::vector<double> target(12, 5);
  Result inc =
      Analyse(y, Options(), rebase, target);  // 5 < lpl of 10/11 group.
  EXPECT_EQ(inc.summary.assurance, Assurance::kConsistentPass);
  Options dec;
  dec.direction = ImprovementDirection::kDecrease;
  EXPECT_EQ(Analyse(y, dec, rebase, target).summary.assurance,
            Assurance::kConsistentFail);
}

TEST(SpcTest, A9ShortGroupWarningThreshold) {
  Options o;
  o.short_group_threshold = 12;
  EXPECT_TRUE(Analyse(std::vector<double>(kY20.begin(), kY20.begin() + 11), o)
                  .summary.short_group_warning);
  EXPECT_FALSE(Analyse(std::vector<double>(kY20.begin(), kY20.begin() + 12), o)
                   .summary.short_group_warning);
  EXPECT_TRUE(Analyse(std::vector<double>(kY20.begin(), kY20.begin() + 12))
                  .summary.short_group_warning);  // Default 13.
}

TEST(SpcTest, InfiniteValuesAndTargetsAreErrorsNotSpecialCause) {
  Workspace ws;
  std::vector<PointResult> out(20);
  SeriesSummary summary;
  std::vector<double> values(kY20.begin(), kY20.end());
  values[3] = std::numeric_limits<double>::infinity();
  absl::Status s =
      Analyze(values, {}, {}, Options(), &ws, absl::MakeSpan(out), &summary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "values[3]: inf is not a finite number (NaN marks a gap)");
  std::vector<double> targets(20, 50);
  targets[5] = -std::numeric_limits<double>::infinity();
  s = Analyze(kY20, {}, targets, Options(), &ws, absl::MakeSpan(out), &summary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("targets[5]"), std::string::npos) << s.message();
}

TEST(SpcTest, A10OptionsAreValidated) {
  Workspace ws;
  std::vector<PointResult> out(20);
  SeriesSummary summary;
  Options o;
  o.fix_after_n_points = 11;
  absl::Status s = Analyze(kY20, {}, {}, o, &ws, absl::MakeSpan(out), &summary);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("fix_after_n_points"), std::string::npos);
  o.fix_after_n_points = 12;
  EXPECT_TRUE(
      Analyze(kY20, {}, {}, o, &ws, absl::MakeSpan(out), &summary).ok());
  o.run_length = 4;
  EXPECT_NE(Analyze(kY20, {}, {}, o, &ws, absl::MakeSpan(out), &summary)
                .message()
                .find("run_length"),
            std::string::npos);
  std::vector<PointResult> short_out(3);
  EXPECT_FALSE(
      Analyze(kY20, {}, {}, Options(), &ws, absl::MakeSpan(short_out), &summary)
          .ok());
}

// --- Properties and extensions ---------------------------------------------

TEST(SpcTest, AddingAConstantShiftsLimitsAndKeepsLabels) {
  const std::vector<double> y = Y24WithTail(
      {4.37496073215074, 3.31330668925759, 5.83778704449453, 5.15337311783651,
       3.86186306298805, 6.25381492106993, 5.42646422147681, 4.70492851700773,
       5.89512566104502, 5.87813348753304, 5.82158108163749, 5.68864025410009});
  std::vector<double> shifted = y;
  for (double& v : shifted) v += 1000;
  Result a = Analyse(y), b = Analyse(shifted);
  EXPECT_EQ(Codes(a), Codes(b));
  EXPECT_NEAR(b.points[0].mean - a.points[0].mean, 1000, 1e-9);
  EXPECT_NEAR(b.points[0].upl - a.points[0].upl, 1000, 1e-9);
}

TEST(SpcTest, ScalingScalesLimitsAndKeepsLabels) {
  std::vector<double> y = kY20;
  y[14] = 10;
  std::vector<double> scaled = y;
  for (double& v : scaled) v *= 37.5;
  Result a = Analyse(y), b = Analyse(scaled);
  EXPECT_EQ(Codes(a), Codes(b));
  EXPECT_NEAR(b.points[0].lpl, a.points[0].lpl * 37.5, 1e-9);
  EXPECT_NEAR(b.points[0].upl, a.points[0].upl * 37.5, 1e-9);
}

TEST(SpcTest, RunLengthSixFiresWhereSevenDoesNot) {
  // Six rising points within the limits of a long flat-ish baseline.
  std::vector<double> y = {5, 6, 5, 6,   5,   6,   5,   6,   5,
                           6, 5, 6, 5.1, 5.2, 5.3, 5.4, 5.5, 5.55};
  EXPECT_EQ(Analyse(y).points.back().special_cause, SpecialCause::kCommonCause);
  Options six;
  six.run_length = 6;
  EXPECT_EQ(Analyse(y, six).points.back().special_cause,
            SpecialCause::kTrendIncreasing);
}

TEST(SpcTest, GapsAreSkippedAndReported) {
  std::vector<double> y = kY20;
  y.insert(y.begin() + 5, std::nan(""));
  Result r = Analyse(y);
  EXPECT_EQ(r.summary.missing_points, 1);
  EXPECT_EQ(r.summary.present_points, 20);
  EXPECT_EQ(r.points[5].special_cause, SpecialCause::kMissing);
  EXPECT_STREQ(PointTypeName(r.points[5].point_type), "missing");
  // The present points give exactly the gap-free result.
  ExpectLimits(r.points[0], 0.141623802474599, -3.0113795957081,
               3.2946272006573);
  ExpectLimits(r.points[5], 0.141623802474599, -3.0113795957081,
               3.2946272006573);
  EXPECT_EQ(r.summary.latest, 20);
}

TEST(SpcTest, AllMissingHasNoIcon) {
  Result r = Analyse(std::vector<double>(5, std::nan("")));
  EXPECT_EQ(r.summary.variation, VariationIcon::kNone);
  EXPECT_EQ(r.summary.latest, -1);
}

TEST(SpcTest, TargetMayChangeOverTimeAndTheLatestDecides) {
  std::vector<double> target(20, 100);  // Far above the limits.
  target.back() = -100;                 // The latest target is far below.
  Result r = Analyse(kY20, Options(), {}, target);
  EXPECT_EQ(r.summary.assurance, Assurance::kConsistentPass);
  EXPECT_DOUBLE_EQ(r.summary.target, -100);
}

TEST(SpcTest, LabelsAreTheReferenceStrings) {
  EXPECT_STREQ(SpecialCauseLabel(SpecialCause::kTrendDecreasing),
               "7 Point Trend (Decreasing)");
  EXPECT_STREQ(SpecialCauseLabel(SpecialCause::kTwoInThreeAbove),
               "2 in 3 Above CL");
  EXPECT_STREQ(SpecialCauseLabel(SpecialCause::kShiftBelow),
               "7 Points Below CL");
  EXPECT_STREQ(PointTypeName(PointType::kNeutralHigh),
               "special_cause_neutral_high");
  EXPECT_STREQ(VariationIconName(VariationIcon::kConcernLow), "concern_low");
  EXPECT_STREQ(AssuranceName(Assurance::kConsistentFail), "consistent_fail");
}

}  // namespace
}  // namespace spc
}  // namespace vigil

namespace vigil {
namespace spc {
namespace {

// Options::latest_only labels the latest point and fills the summary exactly
// as the full analysis does, on every prefix of random series built to hit
// every rule: shifts, trends, 2-in-3 runs, outliers, gaps, ties, rebases,
// fixed baselines, targets, both directions and every run length.
TEST(SpcTest, LatestOnlyIsTheFullAnalysisOfTheLatestPoint) {
  std::mt19937 random(20261206);
  std::uniform_real_distribution<double> unit(0, 1);
  Workspace full_ws, latest_ws;
  int compared = 0, special = 0;
  for (int series = 0; series < 400; ++series) {
    const int n = 1 + static_cast<int>(unit(random) * 80);
    std::vector<double> values(n);
    std::vector<uint8_t> rebase(n, 0);
    std::vector<double> targets(n, 50 + unit(random) * 10);
    double level = 50;
    for (int i = 0; i < n; ++i) {
      const double u = unit(random);
      if (u < 0.05) level += (unit(random) - 0.5) * 20;       // Shift.
      if (u > 0.9) level += unit(random) < 0.5 ? 1.5 : -1.5;  // Drift.
      values[i] = std::round((level + (unit(random) - 0.5) * 6) * 2) / 2;
      if (unit(random) < 0.03) values[i] += 40;           // Outlier.
      if (unit(random) < 0.05) values[i] = std::nan("");  // Gap.
      if (unit(random) < 0.02) rebase[i] = 1;
    }
    Options options;
    options.direction = series % 3 == 0   ? ImprovementDirection::kDecrease
                        : series % 3 == 1 ? ImprovementDirection::kIncrease
                                          : ImprovementDirection::kNeutral;
    options.screen_outliers = series % 2 == 0;
    options.run_length =
        kMinRunLength + series % (kMaxRunLength - kMinRunLength + 1);
    options.fix_after_n_points = series % 5 == 0 ? kMinFixAfterPoints + 2 : 0;
    const bool with_rebase = series % 4 == 0;
    const bool with_targets = series % 2 == 1;
    for (int k = 1; k <= n; ++k) {
      const auto prefix = absl::MakeConstSpan(values).subspan(0, k);
      const auto flags = with_rebase ? absl::MakeConstSpan(rebase).subspan(0, k)
                                     : absl::Span<const uint8_t>();
      const auto goals = with_targets
                             ? absl::MakeConstSpan(targets).subspan(0, k)
                             : absl::Span<const double>();
      std::vector<PointResult> full(k), latest(k);
      SeriesSummary full_summary, latest_summary;
      ASSERT_TRUE(Analyze(prefix, flags, goals, options, &full_ws,
                          absl::MakeSpan(full), &full_summary)
                      .ok());
      Options only = options;
      only.latest_only = true;
      ASSERT_TRUE(Analyze(prefix, flags, goals, only, &latest_ws,
                          absl::MakeSpan(latest), &latest_summary)
                      .ok());
      ASSERT_EQ(latest_summary.latest, full_summary.latest);
      EXPECT_EQ(latest_summary.variation, full_summary.variation);
      EXPECT_EQ(latest_summary.assurance, full_summary.assurance);
      EXPECT_EQ(latest_summary.present_points, full_summary.present_points);
      EXPECT_EQ(latest_summary.groups, full_summary.groups);
      EXPECT_EQ(latest_summary.last_group_points,
                full_summary.last_group_points);
      EXPECT_EQ(latest_summary.last_group_baseline,
                full_summary.last_group_baseline);
      EXPECT_EQ(latest_summary.short_group_warning,
                full_summary.short_group_warning);
      if (full_summary.latest < 0) continue;
      const PointResult& a = full[full_summary.latest];
      const PointResult& b = latest[full_summary.latest];
      ASSERT_EQ(b.special_cause, a.special_cause)
          << "series " << series << " prefix " << k;
      EXPECT_EQ(b.point_type, a.point_type);
      EXPECT_EQ(b.group, a.group);
      EXPECT_TRUE(b.mean == a.mean ||
                  (std::isnan(a.mean) && std::isnan(b.mean)));
      EXPECT_TRUE(b.lpl == a.lpl || (std::isnan(a.lpl) && std::isnan(b.lpl)));
      ++compared;
      special += a.special_cause != SpecialCause::kCommonCause ? 1 : 0;
    }
  }
  EXPECT_GT(compared, 10000);
  EXPECT_GT(special, 2000);  // The special causes were exercised.
}

}  // namespace
}  // namespace spc
}  // namespace vigil
