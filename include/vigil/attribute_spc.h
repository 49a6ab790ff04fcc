// Attribute SPC charts on plain arrays: p, Laney p′, u, Laney u′, c, g and t
// charts, as qicharts2 0.8.1 computes them, with the Anhøj runs analysis and
// the Making Data Count rules on their limits. No protobuf. For the XmR
// chart see vigil/spc.h.
//
// Per group (the whole series, or the points between rebases; qicharts2's
// "parts"), with the baseline the group's first `fix_after_n_points` present
// points (default all), y_i the value (numerator / denominator for p, pp, u,
// up; the count or time for c, g, t) and n_i the denominator:
//   p   centre p̄ = Σx/Σn; sigma_i = sqrt(p̄(1 − p̄)/n_i); limits in [0, 1]
//   pp  as p, with sigma_i × σz: z_i = (y_i − p̄)/sigma_i over the baseline,
//       σz = mean |z_i − z_{i−1}| / 1.128 (Laney)
//   u   centre ū = Σx/Σn; sigma_i = sqrt(ū/n_i); lower limits >= 0
//   up  as u, with sigma_i × σz (Laney)
//   c   centre c̄ = mean(y); sigma = sqrt(c̄); lower limits >= 0
//   g   m = mean(y), sigma = sqrt(m(m + 1)); limits m ± 3 sigma (lower
//       >= 0); the centre line is drawn at the MEDIAN of the baseline, as
//       qicharts2 does, while the limits come from the mean
//   t   y^(1/3.6) on an individuals chart (mean, mean moving range / 1.128),
//       centre and limits back-transformed (^3.6); a lower limit below 0 on
//       the transformed scale is 0
// The 3-sigma limits are the process limits, the 2-sigma limits the inner
// band. Moving ranges (pp, up, t) are taken between consecutive present
// points; a missing point in between breaks the chain (qicharts2's NA in
// diff()). Screening (`screen_moving_ranges`, off by default as Laney and
// Wheeler advise): drop moving ranges >= 3.267 × their mean, then take the
// mean again (qicharts2's option qic.screenedmr). `multiplier` scales the
// value, the centre and the limits (per 100, per 1,000 bed days...).
//
// Signals on each point:
//   sigma signal: the value beyond a 3-sigma limit (strictly);
//   Anhøj runs analysis per group over its present points not on the centre
//   line ("useful"): longest run on one side against round(log2(useful)) +
//   3, crossings of the centre line against qbinom(0.05, useful − 1, 0.5);
//   either breached is a runs signal (for the group);
//   Making Data Count rules on these limits: outside a limit, a trend of
//   `run_length` rising or falling points, 2 of 3 beyond 2 sigma on one
//   side, `run_length` points on one side of the centre.
// `rules` chooses which labels the points get (special_cause, point_type,
// and from the latest point the variation icon): Making Data Count labels,
// or Anhøj's (Above UCL / Below LCL for a sigma signal, Long Run Above /
// Below CL for a point in a run longer than the limit). Too few crossings
// is a group's runs signal without a point label. Assurance compares the
// latest present point's target with that point's process limits.
//
// Degenerate input:
//   * a missing numerator or denominator (NaN), or a zero denominator:
//     the point is missing (PointStatus says which), its value and limits
//     NaN (its centre that of its group), left out of every sum, moving
//     range and run;
//   * a negative numerator or denominator, a proportion above 1 (p, pp), an
//     infinite value, a t-chart time <= 0: InvalidArgument naming the index;
//   * no present point, one present point, all counts zero, limits that
//     cannot be computed: ChartStatus on the summary (limits NaN where they
//     cannot be computed, e.g. Laney with one point).
//
// Example (a p-chart of 4-hour breaches over attendances):
//   vigil::spc::AttributeOptions options;
//   options.chart = vigil::spc::Chart::kP;
//   options.multiplier = 100;  // percent
//   vigil::spc::AttributeWorkspace ws;
//   std::vector<vigil::spc::AttributePoint> points(breaches.size());
//   vigil::spc::AttributeSummary summary;
//   absl::Status s = vigil::spc::AnalyzeAttribute(
//       breaches, attendances, {}, {}, options, &ws,
//       absl::MakeSpan(points), &summary);
//
// Thread safety: AnalyzeAttribute is reentrant; a workspace and a summary
// belong to one thread.
#ifndef VIGIL_ATTRIBUTE_SPC_H_
#define VIGIL_ATTRIBUTE_SPC_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "vigil/spc.h"

namespace vigil {
namespace spc {

// The chart. Values cross the C API as ints (VIGIL_SPC_CHART_*).
enum class Chart : uint8_t {
  kXmR = 0,     // Individuals (vigil/spc.h); not accepted here.
  kP = 1,       // Proportion, numerator / denominator.
  kPPrime = 2,  // Laney p′.
  kU = 3,       // Rate, events / exposure.
  kUPrime = 4,  // Laney u′.
  kC = 5,       // Counts in equal opportunity.
  kG = 6,       // Opportunities (or days) between events.
  kT = 7,       // Time between events.
};

// Which signals label the points (VIGIL_SPC_RULES_*).
enum class SignalRules : uint8_t {
  kMakingDataCount = 0,
  kAnhoej = 1,
};

// The chart's short name as the tool spells it ("xmr", "p", "pp", "u",
// "up", "c", "g", "t"), and its title ("p-chart", "Laney p′-chart", ...).
const char* ChartName(Chart chart);
const char* ChartTitle(Chart chart);
// True for the charts that read a denominator (p, pp, u, up).
bool ChartUsesDenominator(Chart chart);

struct AttributeOptions {
  Chart chart = Chart::kP;
  // Scales value, centre and limits; finite and > 0.
  double multiplier = 1;
  // 3.267 moving-range screening for pp, up and t (ignored by the others).
  bool screen_moving_ranges = false;
  SignalRules rules = SignalRules::kMakingDataCount;
  ImprovementDirection direction = ImprovementDirection::kIncrease;
  // Making Data Count trend and shift runs: kMinRunLength..kMaxRunLength.
  int run_length = kDefaultRunLength;
  // Baseline: 0 = all points of a group; else the group's first N present
  // points (>= 2).
  int fix_after_n_points = 0;
};

enum class PointStatus : uint8_t {
  kPresent = 0,
  kMissing = 1,          // Numerator, value or denominator missing (NaN).
  kZeroDenominator = 2,  // Denominator 0.
};

enum class ChartStatus : uint8_t {
  kOk = 0,
  kNoPoints = 1,     // No present point.
  kSinglePoint = 2,  // One present point in the last group.
  kAllZero = 3,      // Every count of the last group's baseline is zero.
  kNoLimits = 4,     // The last group's limits cannot be computed (e.g.
                     // every moving range screened out).
};
const char* ChartStatusDescription(ChartStatus status);

struct AttributePoint {
  double value = 0;  // × multiplier; NaN when missing.
  double centre = 0;
  double lower = 0;  // 3-sigma (process) limits; NaN when not computable.
  double upper = 0;
  double lower_2sigma = 0;
  double upper_2sigma = 0;
  PointStatus status = PointStatus::kPresent;
  bool sigma_signal = false;
  SpecialCause special_cause = SpecialCause::kCommonCause;
  PointType point_type = PointType::kCommonCause;
  int32_t group = 0;  // 0-based group (part).
};

// Anhøj runs analysis of one group. Counts are -1 when the group has no
// useful point (then `signal` is false).
struct RunsAnalysis {
  int useful = 0;  // Present points not on the centre line.
  int longest_run = -1;
  int longest_run_max = -1;  // round(log2(useful)) + 3.
  int crossings = -1;
  int crossings_min = -1;  // qbinom(0.05, useful - 1, 0.5).
  bool signal = false;     // longest_run > max or crossings < min.
};

struct AttributeSummary {
  ChartStatus status = ChartStatus::kNoPoints;
  VariationIcon variation = VariationIcon::kNone;  // Of the latest point.
  Assurance assurance = Assurance::kNone;
  int latest = -1;  // Index of the latest present point, or -1.
  int present_points = 0;
  int missing_points = 0;  // Missing or zero denominator.
  int zero_denominators = 0;
  int groups = 0;
  double target = 0;  // Target used for assurance (NaN when none).
  // One per group, in order (reused across calls).
  std::vector<RunsAnalysis> runs;
};

// Scratch space reused across calls; grows to the longest series seen.
struct AttributeWorkspace {
  std::vector<double> y;         // Present values, not multiplied.
  std::vector<double> x;         // Present numerators (c, g, t: the values).
  std::vector<double> n;         // Present denominators (1 for c, g, t).
  std::vector<int32_t> index;    // Present point -> input position.
  std::vector<uint8_t> follows;  // 1: the previous input is present, same
                                 // group (a moving range is defined).
  std::vector<int32_t> group_start;
  std::vector<double> scratch;
  std::vector<double> sd;  // Per point sigma before Laney's correction.
  std::vector<int8_t> side;
  std::vector<uint8_t> flags;
  std::vector<uint8_t> long_run;
};

// Analyses one series in period order. `numerators` are the counts (c, g, t:
// the values); `denominators` one per numerator for p, pp, u and up, and
// empty (or ignored) for the others. `rebase` (empty, or one flag per point;
// nonzero starts a new group) and `targets` (empty, or one per point; NaN =
// no target; in multiplied units) are optional. `out` has one element per
// point. Errors (InvalidArgument naming the parameter and index): kXmR,
// mismatched lengths, a bad option, negative or infinite input, a
// proportion above 1, a t-chart time <= 0.
absl::Status AnalyzeAttribute(
    absl::Span<const double> numerators, absl::Span<const double> denominators,
    absl::Span<const uint8_t> rebase, absl::Span<const double> targets,
    const AttributeOptions& options, AttributeWorkspace* workspace,
    absl::Span<AttributePoint> out, AttributeSummary* summary);

// qbinom(0.05, trials, 0.5): the fewest crossings expected by chance among
// trials + 1 useful points (exact; trials >= 0).
int CrossingsMinimum(int trials);

}  // namespace spc
}  // namespace vigil

#endif  // VIGIL_ATTRIBUTE_SPC_H_
