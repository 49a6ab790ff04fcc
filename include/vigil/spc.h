// Making Data Count SPC (XmR) kernel, as NHSRplotthedots 0.2.2 computes it,
// on plain arrays of doubles. No protobuf, no allocation per point.
//
// Per baseline group (the whole series, or the points between rebases):
//   mean  = mean of the first N points (N = fix_after_n_points, default all)
//   mr_i  = |y_i - y_{i-1}| over those points; amr0 = mean(mr)
//   screening (default on): drop mr_i >= 3.267 * amr0; amr = mean(rest)
//   limits = mean -/+ 2.66 * amr; the "2 sigma" band = mean -/+ 1.7733 * amr
// then four special-cause rules on every point, in priority order: outside
// the limits; a run of `run_length` (default 7) strictly rising or falling
// points; 2 of 3 consecutive points between 2 sigma and the limit on one side
// (all three on that side); a run of `run_length` points on one side of the
// mean. Labels, point types, the variation icon (latest point) and the
// assurance icon (target against the last group's limits) follow the
// reference exactly; see docs/spc.md.
//
// Beyond the reference:
//   * run_length may be 5..10 (labels keep the reference's "7 Point" text);
//   * a target per point (the latest present point's target decides
//     assurance);
//   * missing values (NaN) are skipped: the rules run on the present points
//     in order, as if the gap were not there (a moving range bridges it and
//     runs continue across it); a rebase flagged on a missing point starts
//     the new group at the next present point. Missing points get
//     SpecialCause::kMissing and the limits of their group.
//
// Example:
//   vigil::spc::Workspace ws;
//   std::vector<vigil::spc::PointResult> points(values.size());
//   vigil::spc::SeriesSummary summary;
//   absl::Status s = vigil::spc::Analyze(values, {}, {}, options, &ws,
//                                        absl::MakeSpan(points), &summary);
//
// Thread safety: Analyze is reentrant; a Workspace belongs to one thread.
#ifndef VIGIL_SPC_H_
#define VIGIL_SPC_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace vigil {
namespace spc {

enum class ImprovementDirection : int8_t {
  kIncrease = 1,
  kNeutral = 0,
  kDecrease = -1,
};

// The enums below cross the C API as ints: their values are fixed and equal
// the VIGIL_SPC_* constants of include/vigil/vigil.h (static_asserted there).

// The reference's special_cause_type labels, plus kMissing for a gap.
enum class SpecialCause : uint8_t {
  kCommonCause = 0,      // "Common Cause"
  kAboveUcl = 1,         // "Above UCL"
  kBelowLcl = 2,         // "Below LCL"
  kTrendIncreasing = 3,  // "7 Point Trend (Increasing)"
  kTrendDecreasing = 4,  // "7 Point Trend (Decreasing)"
  kTwoInThreeAbove = 5,  // "2 in 3 Above CL"
  kTwoInThreeBelow = 6,  // "2 in 3 Below CL"
  kShiftAbove = 7,       // "7 Points Above CL"
  kShiftBelow = 8,       // "7 Points Below CL"
  kMissing = 9,          // "" (no value)
  // Anhøj runs analysis (attribute charts, include/vigil/attribute_spc.h):
  // part of a run on one side of the centre line longer than
  // round(log2(useful points)) + 3.
  kLongRunAbove = 10,  // "Long Run Above CL"
  kLongRunBelow = 11,  // "Long Run Below CL"
};

enum class PointType : uint8_t {
  kCommonCause = 0,  // common_cause
  kImprovement = 1,  // special_cause_improvement
  kConcern = 2,      // special_cause_concern
  kNeutralHigh = 3,  // special_cause_neutral_high
  kNeutralLow = 4,   // special_cause_neutral_low
  kMissing = 5,      // missing
};

enum class VariationIcon : uint8_t {
  kCommonCause = 0,      // common_cause
  kImprovementHigh = 1,  // improvement_high
  kImprovementLow = 2,   // improvement_low
  kConcernHigh = 3,      // concern_high
  kConcernLow = 4,       // concern_low
  kNeutralHigh = 5,      // neutral_high
  kNeutralLow = 6,       // neutral_low
  kNone = 7,             // "" (no present point)
};

enum class Assurance : uint8_t {
  kNone = 0,            // "" (no target, or neutral direction)
  kConsistentPass = 1,  // consistent_pass
  kConsistentFail = 2,  // consistent_fail
  kInconsistent = 3,    // inconsistent
};

// Limits of Options, the one source for the engine, the C API and the tool.
inline constexpr int kDefaultRunLength = 7;
inline constexpr int kMinRunLength = 5;
inline constexpr int kMaxRunLength = 10;
inline constexpr int kMinFixAfterPoints = 12;

struct Options {
  ImprovementDirection direction = ImprovementDirection::kIncrease;
  bool screen_outliers = true;  // 3.267 moving-range screening.
  // Trend and shift runs: kMinRunLength..kMaxRunLength.
  int run_length = kDefaultRunLength;
  // 0 = all points; else >= kMinFixAfterPoints.
  int fix_after_n_points = 0;
  // A group with fewer points than this gets a short-baseline warning (the
  // reference's default option, 13: groups of 12 or fewer are flagged).
  int short_group_threshold = 13;
  // Only the latest present point is labelled (its special cause and point
  // type, the same as a full analysis gives it); the other points of `out`
  // are left unspecified. The summary is the full analysis's. For
  // back-testing, which reads only the latest point of each as-of period:
  // the rules then run on the tail of the last group that can reach it.
  bool latest_only = false;
};

struct PointResult {
  double mean = 0;  // Centre line of the point's group.
  double lpl = 0;   // Lower process limit (NaN when not computable).
  double upl = 0;   // Upper process limit.
  SpecialCause special_cause = SpecialCause::kCommonCause;
  PointType point_type = PointType::kCommonCause;
  int32_t group = 0;  // 0-based baseline group.
};

struct SeriesSummary {
  VariationIcon variation = VariationIcon::kNone;  // Of the latest point.
  Assurance assurance = Assurance::kNone;
  int latest = -1;         // Index of the latest present point, or -1.
  int present_points = 0;  // Non-missing values.
  int missing_points = 0;  // NaN values skipped.
  int groups = 0;
  int last_group_points = 0;         // Present points in the last group.
  int last_group_baseline = 0;       // Points its limits came from.
  bool short_group_warning = false;  // Some group is below the threshold.
  double target = 0;  // Target used for assurance (NaN when none).
};

// Scratch space reused across calls; grows to the longest series seen.
struct Workspace {
  std::vector<double> y;
  std::vector<int32_t> index;  // Present point -> input position.
  std::vector<int8_t> side;    // sign(y - mean)
  std::vector<uint8_t> flags;  // Rule bits per present point.
  std::vector<int32_t> group_start;
};

// Analyses one series in period order. `rebase` (empty, or one flag per
// value; nonzero starts a new group at that point) and `targets` (empty, or
// one per value; NaN = no target) are optional. `out` must have one element
// per value. Errors (InvalidArgument naming the parameter): mismatched
// lengths, run_length outside 5..10, fix_after_n_points in 1..11, an
// infinite value or target (NaN is a gap, or no target).
absl::Status Analyze(absl::Span<const double> values,
                     absl::Span<const uint8_t> rebase,
                     absl::Span<const double> targets, const Options& options,
                     Workspace* workspace, absl::Span<PointResult> out,
                     SeriesSummary* summary);

// The reference's strings.
const char* SpecialCauseLabel(SpecialCause cause);
const char* PointTypeName(PointType type);
const char* VariationIconName(VariationIcon icon);
const char* AssuranceName(Assurance assurance);

}  // namespace spc
}  // namespace vigil

#endif  // VIGIL_SPC_H_
