// Making Data Count XmR: limits, the four special-cause rules, labels and
// icons. See include/vigil/spc.h and docs/spc.md.
#include "vigil/spc.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "src/kernels/spc_rules.h"

namespace vigil {
namespace spc {
using internal::kClose;
using internal::kOutside;
using internal::kShift;
using internal::kTrend;
using internal::kTwoInThree;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLimit = 2.66;
constexpr double kCloseLimit = 2.0 * (kLimit / 3.0);
constexpr double kScreen = 3.267;

struct Limits {
  double mean, lpl, upl, nlpl, nupl;
  int baseline;
};

// Mean and limits of y[0..n) with the first `baseline` points as baseline.
Limits GroupLimits(const double* y, int n, int baseline, bool screen) {
  Limits l{};
  l.baseline = baseline < n ? baseline : n;
  const int b = l.baseline;
  double sum = 0;
  for (int i = 0; i < b; ++i) sum += y[i];
  l.mean = b > 0 ? sum / b : kNaN;
  double mr_sum = 0;
  int mr_n = 0;
  for (int i = 1; i < b; ++i) {
    mr_sum += std::fabs(y[i] - y[i - 1]);
    ++mr_n;
  }
  double amr = mr_n > 0 ? mr_sum / mr_n : kNaN;
  if (screen && mr_n > 0) {
    const double cut = kScreen * amr;
    double kept_sum = 0;
    int kept = 0;
    for (int i = 1; i < b; ++i) {
      const double mr = std::fabs(y[i] - y[i - 1]);
      if (mr < cut) {
        kept_sum += mr;
        ++kept;
      }
    }
    amr = kept > 0 ? kept_sum / kept : kNaN;
  }
  l.lpl = l.mean - kLimit * amr;
  l.upl = l.mean + kLimit * amr;
  l.nlpl = l.mean - kCloseLimit * amr;
  l.nupl = l.mean + kCloseLimit * amr;
  return l;
}

// Marks every point of every window of `run` points ending at an index where
// `ends` is true: a point is flagged iff some such window covers it.
template <typename EndsAt>
void SpreadRuns(int n, int run, uint8_t bit, uint8_t* flags, EndsAt ends) {
  int next_end = -1;  // Nearest window end at or after i.
  for (int i = n - 1; i >= 0; --i) {
    if (i >= run - 1 && ends(i)) next_end = i;
    if (next_end >= 0 && next_end - i <= run - 1) flags[i] |= bit;
  }
}

VariationIcon IconOf(PointType t, ImprovementDirection direction) {
  const bool increase = direction == ImprovementDirection::kIncrease;
  switch (t) {
    case PointType::kImprovement:
      return increase ? VariationIcon::kImprovementHigh
                      : VariationIcon::kImprovementLow;
    case PointType::kConcern:
      return increase ? VariationIcon::kConcernLow
                      : VariationIcon::kConcernHigh;
    case PointType::kNeutralHigh:
      return VariationIcon::kNeutralHigh;
    case PointType::kNeutralLow:
      return VariationIcon::kNeutralLow;
    case PointType::kCommonCause:
      return VariationIcon::kCommonCause;
    case PointType::kMissing:
      break;
  }
  return VariationIcon::kNone;
}

}  // namespace

namespace internal {

VariationIcon VariationIconOf(PointType type, ImprovementDirection direction) {
  return IconOf(type, direction);
}

Assurance AssuranceOf(double target, double lower, double upper,
                      ImprovementDirection direction) {
  if (std::isnan(target) || direction == ImprovementDirection::kNeutral) {
    return Assurance::kNone;
  }
  const bool increase = direction == ImprovementDirection::kIncrease;
  if (target > upper) {
    return increase ? Assurance::kConsistentFail : Assurance::kConsistentPass;
  }
  if (target < lower) {
    return increase ? Assurance::kConsistentPass : Assurance::kConsistentFail;
  }
  return Assurance::kInconsistent;
}

void ApplyRules(const double* y, const int8_t* side, int n, int run,
                uint8_t* flags) {
  // Trend: a window of `run` strictly monotone points ends at i (bit 32
  // marks such ends before they are spread over their windows).
  int up = 1, down = 1;
  for (int i = 1; i < n; ++i) {  // Branch-free: rises and falls are noise.
    const int rising = y[i] > y[i - 1];
    const int falling = y[i] < y[i - 1];
    up = up * rising + 1;
    down = down * falling + 1;
    flags[i] |= static_cast<uint8_t>(((up >= run) | (down >= run)) << 5);
  }
  SpreadRuns(n, run, kTrend, flags,
             [&](int i) { return (flags[i] & 32) != 0; });
  // Shift: `run` points on one side of the mean (not on it) end at i (bit
  // 64 marks the ends).
  int same = n > 0 ? (side[0] != 0) : 0;
  for (int i = 1; i < n; ++i) {
    const int nonzero = side[i] != 0;
    const int continues = nonzero & (side[i] == side[i - 1]);
    same = same * continues + nonzero;
    flags[i] |= static_cast<uint8_t>((same >= run) << 6);
  }
  SpreadRuns(n, run, kShift, flags,
             [&](int i) { return (flags[i] & 64) != 0; });
  // Two in three: a full window k..k+2 with >= 2 close points, all three on
  // one side; only its close points are flagged.
  for (int k = 0; k + 2 < n; ++k) {
    const int close = ((flags[k] & kClose) != 0) +
                      ((flags[k + 1] & kClose) != 0) +
                      ((flags[k + 2] & kClose) != 0);
    const int sides = side[k] + side[k + 1] + side[k + 2];
    if (close >= 2 && (sides == 3 || sides == -3)) {
      for (int j = k; j <= k + 2; ++j) {
        if (flags[j] & kClose) flags[j] |= kTwoInThree;
      }
    }
  }
}

}  // namespace internal

namespace {

absl::Status CheckArguments(size_t n_in, absl::Span<const uint8_t> rebase,
                            absl::Span<const double> targets,
                            const Options& options, size_t out_size) {
  if (out_size != n_in) {
    return absl::InvalidArgumentError(
        absl::StrCat("out: has ", out_size, " elements for ", n_in, " values"));
  }
  if (!rebase.empty() && rebase.size() != n_in) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rebase: has ", rebase.size(), " flags for ", n_in, " values"));
  }
  if (!targets.empty() && targets.size() != n_in) {
    return absl::InvalidArgumentError(absl::StrCat(
        "targets: has ", targets.size(), " targets for ", n_in, " values"));
  }
  if (options.run_length < kMinRunLength ||
      options.run_length > kMaxRunLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("run_length: must be ", kMinRunLength, "..", kMaxRunLength,
                     ", got ", options.run_length));
  }
  if (options.fix_after_n_points != 0 &&
      options.fix_after_n_points < kMinFixAfterPoints) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fix_after_n_points: must be 0 (all points) or >= ", kMinFixAfterPoints,
        ", got ", options.fix_after_n_points));
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (std::isinf(targets[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("targets[", i, "]: ", targets[i],
                       " is not a finite number (NaN means no target)"));
    }
  }
  return absl::OkStatus();
}

// Compacts the present points into ws->y (positions in ws->index) and notes
// where groups start (ws->group_start, ended by the point count).
// InvalidArgument for an infinite value (NaN is a gap; infinity is no value).
absl::Status CompactPresentPoints(absl::Span<const double> values,
                                  absl::Span<const uint8_t> rebase,
                                  Workspace* ws) {
  ws->y.clear();
  ws->index.clear();
  ws->group_start.clear();
  bool pending_rebase = false;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!rebase.empty() && rebase[i] != 0) pending_rebase = true;
    if (std::isnan(values[i])) continue;
    if (std::isinf(values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("values[", i, "]: ", values[i],
                       " is not a finite number (NaN marks a gap)"));
    }
    if (ws->y.empty() || pending_rebase) {
      ws->group_start.push_back(static_cast<int32_t>(ws->y.size()));
    }
    pending_rebase = false;
    ws->y.push_back(values[i]);
    ws->index.push_back(static_cast<int32_t>(i));
  }
  const int n = static_cast<int>(ws->y.size());
  ws->side.assign(n, 0);
  ws->flags.assign(n, 0);
  ws->group_start.push_back(n);
  return absl::OkStatus();
}

// Each point's side of the mean and whether it is beyond a limit or 2
// sigma (branch-free), then the special-cause rules on y[0..n).
void MarkAndApplyRules(const double* y, int n, const Limits& l, int run,
                       int8_t* side, uint8_t* flags) {
  for (int i = 0; i < n; ++i) {
    const double v = y[i];
    side[i] = static_cast<int8_t>((v > l.mean) - (v < l.mean));
    const int outside = (v > l.upl) | (v < l.lpl);
    const int close = (outside ^ 1) & ((v < l.nlpl) | (v > l.nupl));
    flags[i] = static_cast<uint8_t>(outside * kOutside | close * kClose);
  }
  internal::ApplyRules(y, side, n, run, flags);
}

// Limits, rules and labels of group g; returns its limits.
Limits AnalyzeGroup(int g, int baseline, const Options& options, Workspace* ws,
                    absl::Span<PointResult> out) {
  const int begin = ws->group_start[g];
  const int size = ws->group_start[g + 1] - begin;
  const double* y = ws->y.data() + begin;
  int8_t* side = ws->side.data() + begin;
  uint8_t* flags = ws->flags.data() + begin;
  const Limits l = GroupLimits(y, size, baseline, options.screen_outliers);
  MarkAndApplyRules(y, size, l, options.run_length, side, flags);
  for (int i = 0; i < size; ++i) {
    PointResult& r = out[ws->index[begin + i]];
    r.mean = l.mean;
    r.lpl = l.lpl;
    r.upl = l.upl;
    r.group = g;
    r.special_cause = internal::LabelPoint(y, side, flags, i, size);
    r.point_type = internal::PointTypeOf(r.special_cause, options.direction);
  }
  return l;
}

// Options::latest_only: the limits of group g (the last) and the label of
// its last point only. A shift or trend reaching the last point lies within
// its last run_length points and a 2-in-3 window within its last three, so
// the rules run on a tail a little longer than that.
Limits AnalyzeLatest(int g, int baseline, const Options& options, Workspace* ws,
                     absl::Span<PointResult> out) {
  const int begin = ws->group_start[g];
  const int size = ws->group_start[g + 1] - begin;
  const Limits l = GroupLimits(ws->y.data() + begin, size, baseline,
                               options.screen_outliers);
  const int tail = std::min(size, 2 * options.run_length + 3);
  const int first = begin + size - tail;
  const double* y = ws->y.data() + first;
  int8_t* side = ws->side.data() + first;
  uint8_t* flags = ws->flags.data() + first;
  MarkAndApplyRules(y, tail, l, options.run_length, side, flags);
  PointResult& r = out[ws->index[begin + size - 1]];
  r.mean = l.mean;
  r.lpl = l.lpl;
  r.upl = l.upl;
  r.group = g;
  r.special_cause = internal::LabelPoint(y, side, flags, tail - 1, tail);
  r.point_type = internal::PointTypeOf(r.special_cause, options.direction);
  return l;
}

// Missing points get the limits of the group they fall in (the next
// present point's group, or the last).
void FillMissingPoints(absl::Span<const double> values, int groups,
                       const Limits& last, absl::Span<PointResult> out) {
  int group = groups > 0 ? groups - 1 : 0;
  double mean = last.mean, lpl = last.lpl, upl = last.upl;
  for (size_t i = values.size(); i > 0; --i) {
    PointResult& r = out[i - 1];
    if (!std::isnan(values[i - 1])) {
      group = r.group;
      mean = r.mean;
      lpl = r.lpl;
      upl = r.upl;
      continue;
    }
    r = PointResult{mean, lpl, upl, SpecialCause::kMissing, PointType::kMissing,
                    group};
  }
}

}  // namespace

absl::Status Analyze(absl::Span<const double> values,
                     absl::Span<const uint8_t> rebase,
                     absl::Span<const double> targets, const Options& options,
                     Workspace* ws, absl::Span<PointResult> out,
                     SeriesSummary* summary) {
  if (absl::Status s =
          CheckArguments(values.size(), rebase, targets, options, out.size());
      !s.ok()) {
    return s;
  }
  *summary = SeriesSummary();
  summary->target = kNaN;
  if (absl::Status s = CompactPresentPoints(values, rebase, ws); !s.ok()) {
    return s;
  }
  const int n = static_cast<int>(ws->y.size());
  summary->present_points = n;
  summary->missing_points = static_cast<int>(values.size()) - n;
  summary->groups = static_cast<int>(ws->group_start.size()) - 1;
  const int baseline =
      options.fix_after_n_points > 0 ? options.fix_after_n_points : n;
  Limits last{kNaN, kNaN, kNaN, kNaN, kNaN, 0};
  for (int g = 0; g < summary->groups; ++g) {
    if (!options.latest_only) {
      last = AnalyzeGroup(g, baseline, options, ws, out);
    } else if (g + 1 == summary->groups) {
      last = AnalyzeLatest(g, baseline, options, ws, out);
    }
    const int size = ws->group_start[g + 1] - ws->group_start[g];
    if (size < options.short_group_threshold) {
      summary->short_group_warning = true;
    }
    summary->last_group_points = size;
    summary->last_group_baseline = last.baseline;
  }
  if (!options.latest_only) {
    FillMissingPoints(values, summary->groups, last, out);
  }
  if (n == 0) return absl::OkStatus();
  summary->latest = ws->index[n - 1];
  summary->variation =
      IconOf(out[summary->latest].point_type, options.direction);
  summary->target = targets.empty() ? kNaN : targets[summary->latest];
  summary->assurance = internal::AssuranceOf(summary->target, last.lpl,
                                             last.upl, options.direction);
  return absl::OkStatus();
}

const char* SpecialCauseLabel(SpecialCause cause) {
  switch (cause) {
    case SpecialCause::kCommonCause:
      return "Common Cause";
    case SpecialCause::kAboveUcl:
      return "Above UCL";
    case SpecialCause::kBelowLcl:
      return "Below LCL";
    case SpecialCause::kTrendIncreasing:
      return "7 Point Trend (Increasing)";
    case SpecialCause::kTrendDecreasing:
      return "7 Point Trend (Decreasing)";
    case SpecialCause::kTwoInThreeAbove:
      return "2 in 3 Above CL";
    case SpecialCause::kTwoInThreeBelow:
      return "2 in 3 Below CL";
    case SpecialCause::kShiftAbove:
      return "7 Points Above CL";
    case SpecialCause::kShiftBelow:
      return "7 Points Below CL";
    case SpecialCause::kLongRunAbove:
      return "Long Run Above CL";
    case SpecialCause::kLongRunBelow:
      return "Long Run Below CL";
    case SpecialCause::kMissing:
      break;
  }
  return "";
}

const char* PointTypeName(PointType type) {
  switch (type) {
    case PointType::kCommonCause:
      return "common_cause";
    case PointType::kImprovement:
      return "special_cause_improvement";
    case PointType::kConcern:
      return "special_cause_concern";
    case PointType::kNeutralHigh:
      return "special_cause_neutral_high";
    case PointType::kNeutralLow:
      return "special_cause_neutral_low";
    case PointType::kMissing:
      break;
  }
  return "missing";
}

const char* VariationIconName(VariationIcon icon) {
  switch (icon) {
    case VariationIcon::kCommonCause:
      return "common_cause";
    case VariationIcon::kImprovementHigh:
      return "improvement_high";
    case VariationIcon::kImprovementLow:
      return "improvement_low";
    case VariationIcon::kConcernHigh:
      return "concern_high";
    case VariationIcon::kConcernLow:
      return "concern_low";
    case VariationIcon::kNeutralHigh:
      return "neutral_high";
    case VariationIcon::kNeutralLow:
      return "neutral_low";
    case VariationIcon::kNone:
      break;
  }
  return "";
}

const char* AssuranceName(Assurance assurance) {
  switch (assurance) {
    case Assurance::kConsistentPass:
      return "consistent_pass";
    case Assurance::kConsistentFail:
      return "consistent_fail";
    case Assurance::kInconsistent:
      return "inconsistent";
    case Assurance::kNone:
      break;
  }
  return "";
}

}  // namespace spc
}  // namespace vigil
