// Attribute SPC charts (p, p′, u, u′, c, g, t) with Anhøj and Making Data
// Count signals. See include/vigil/attribute_spc.h and docs/spc.md.
#include "vigil/attribute_spc.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "src/kernels/runs_analysis.h"
#include "src/kernels/spc_rules.h"

namespace vigil {
namespace spc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kD2 = 1.128;      // E|X1 - X2| / sigma, rounded as Laney.
constexpr double kScreen = 3.267;  // Moving-range screening limit.
constexpr double kTPower = 3.6;    // t chart: y^(1/3.6) is near normal.

bool IsLaney(Chart c) { return c == Chart::kPPrime || c == Chart::kUPrime; }
bool IsProportion(Chart c) { return c == Chart::kP || c == Chart::kPPrime; }

absl::Status CheckOptions(const AttributeOptions& o) {
  if (o.chart == Chart::kXmR || static_cast<int>(o.chart) > 7) {
    return absl::InvalidArgumentError(
        absl::StrCat("chart: ", static_cast<int>(o.chart),
                     " is not an attribute chart (p, pp, u, up, c, g or t)"));
  }
  if (!(o.multiplier > 0) || !std::isfinite(o.multiplier)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "multiplier: must be a finite number > 0, got ", o.multiplier));
  }
  if (o.run_length < kMinRunLength || o.run_length > kMaxRunLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("run_length: must be ", kMinRunLength, "..", kMaxRunLength,
                     ", got ", o.run_length));
  }
  if (o.fix_after_n_points < 0 || o.fix_after_n_points == 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("fix_after_n_points: must be 0 (all points) or >= 2, "
                     "got ",
                     o.fix_after_n_points));
  }
  const int rules = static_cast<int>(o.rules);
  if (rules != 0 && rules != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rules: ", rules, " is neither Making Data Count (0) nor Anhoej (1)"));
  }
  return absl::OkStatus();
}

absl::Status CheckSizes(size_t n, absl::Span<const double> denominators,
                        absl::Span<const uint8_t> rebase,
                        absl::Span<const double> targets, size_t out,
                        bool uses_denominator) {
  if (uses_denominator && denominators.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("denominators: has ", denominators.size(), " values for ",
                     n, " numerators"));
  }
  if (out != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("out: has ", out, " elements for ", n, " points"));
  }
  if (!rebase.empty() && rebase.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rebase: has ", rebase.size(), " flags for ", n, " points"));
  }
  if (!targets.empty() && targets.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "targets: has ", targets.size(), " targets for ", n, " points"));
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

// Checks one input point; sets *status to a missing status, or kPresent.
absl::Status CheckPoint(Chart chart, bool uses_denominator, size_t i, double x,
                        double d, PointStatus* status) {
  const char* what = uses_denominator ? "numerators" : "values";
  if (std::isinf(x)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, "[", i, "]: ", x, " is not a finite number"));
  }
  if (uses_denominator && std::isinf(d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("denominators[", i, "]: ", d, " is not a finite number"));
  }
  if (x < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, "[", i, "]: ", x, " is negative"));
  }
  if (uses_denominator && d < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("denominators[", i, "]: ", d, " is negative"));
  }
  *status = PointStatus::kPresent;
  if (std::isnan(x) || (uses_denominator && std::isnan(d))) {
    *status = PointStatus::kMissing;
    return absl::OkStatus();
  }
  if (uses_denominator && d == 0) {
    *status = PointStatus::kZeroDenominator;
    return absl::OkStatus();
  }
  if (IsProportion(chart) && x > d) {
    return absl::InvalidArgumentError(
        absl::StrCat("numerators[", i, "]: ", x, " exceeds its denominator ", d,
                     " (a proportion above 1)"));
  }
  if (chart == Chart::kT && x <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "values[", i, "]: ", x, " is not a time between events (must be > 0)"));
  }
  return absl::OkStatus();
}

// Compacts the present points into the workspace; marks missing points in
// `out`; records where groups start (ended by the point count).
absl::Status Compact(absl::Span<const double> numerators,
                     absl::Span<const double> denominators,
                     absl::Span<const uint8_t> rebase, Chart chart,
                     AttributeWorkspace* ws, absl::Span<AttributePoint> out,
                     AttributeSummary* summary) {
  const bool uses_denominator = ChartUsesDenominator(chart);
  const bool proportion = IsProportion(chart);
  const bool times = chart == Chart::kT;
  const size_t size = numerators.size();
  ws->y.resize(size);
  ws->x.resize(size);
  ws->n.resize(size);
  ws->index.resize(size);
  ws->follows.resize(size);
  ws->group_start.clear();
  constexpr double kMax = std::numeric_limits<double>::max();
  bool pending_rebase = false;
  bool previous_present = false;
  int k = 0;
  for (size_t i = 0; i < size; ++i) {
    if (!rebase.empty() && rebase[i] != 0) pending_rebase = true;
    const double x = numerators[i];
    const double d = uses_denominator ? denominators[i] : 1.0;
    // The common case in one test (NaN fails every comparison); anything
    // else goes through CheckPoint, which names the problem.
    const bool ordinary = x >= 0 && x <= kMax && d > 0 && d <= kMax &&
                          !(proportion && x > d) && !(times && x <= 0);
    PointStatus status = PointStatus::kPresent;
    if (!ordinary) {
      if (absl::Status s =
              CheckPoint(chart, uses_denominator, i, x, d, &status);
          !s.ok()) {
        return s;
      }
    }
    if (status != PointStatus::kPresent) {
      out[i].status = status;  // Present points get theirs with the limits.
      ++summary->missing_points;
      if (status == PointStatus::kZeroDenominator) {
        ++summary->zero_denominators;
      }
      previous_present = false;
      continue;
    }
    const bool new_group = k == 0 || pending_rebase;
    if (new_group) ws->group_start.push_back(k);
    ws->follows[k] = previous_present && !new_group;
    pending_rebase = false;
    previous_present = true;
    ws->x[k] = x;
    ws->n[k] = d;
    ws->index[k] = static_cast<int32_t>(i);
    ++k;
  }
  for (auto* v : {&ws->y, &ws->x, &ws->n}) v->resize(k);
  ws->index.resize(k);
  ws->follows.resize(k);
  ws->group_start.push_back(k);
  ws->side.resize(k);
  ws->flags.resize(k);
  // Values in simple loops the compiler vectorises.
  double* y = ws->y.data();
  const double* xs = ws->x.data();
  const double* ns = ws->n.data();
  if (uses_denominator) {
    for (int j = 0; j < k; ++j) y[j] = xs[j] / ns[j];
  } else if (times) {  // Work on the transformed scale.
    for (int j = 0; j < k; ++j) y[j] = std::pow(xs[j], 1.0 / kTPower);
  } else {
    for (int j = 0; j < k; ++j) y[j] = xs[j];
  }
  return absl::OkStatus();
}

// Mean moving range of v[0..b) between points that follow each other
// (`follows`), skipping NaN ranges; then, when screening, again over the
// ranges below 3.267 times it. NaN when there is none.
double MeanMovingRange(const double* v, const uint8_t* follows, int b,
                       bool screen) {
  double sum = 0;
  int count = 0;
  for (int i = 1; i < b; ++i) {
    const double mr = std::fabs(v[i] - v[i - 1]);
    if (follows[i] && !std::isnan(mr)) {
      sum += mr;
      ++count;
    }
  }
  double amr = count > 0 ? sum / count : kNaN;
  if (!screen || count == 0) return amr;
  const double cut = kScreen * amr;
  sum = 0;
  count = 0;
  for (int i = 1; i < b; ++i) {
    const double mr = std::fabs(v[i] - v[i - 1]);
    if (follows[i] && mr < cut) {
      sum += mr;
      ++count;
    }
  }
  return count > 0 ? sum / count : kNaN;
}

double Median(const double* v, int b, std::vector<double>* scratch) {
  if (b == 0) return kNaN;
  scratch->assign(v, v + b);
  auto mid = scratch->begin() + b / 2;
  std::nth_element(scratch->begin(), mid, scratch->end());
  const double upper = *mid;
  if (b % 2 == 1) return upper;
  const double lower = *std::max_element(scratch->begin(), mid);
  return (lower + upper) / 2;
}

struct GroupRange {
  int begin, size, baseline;
};

// The centre line and spread of one group's baseline (working scale: not
// multiplied; t transformed).
struct GroupModel {
  double cl = kNaN;      // Mean (the limits are about it).
  double centre = kNaN;  // The line drawn: cl, or the g chart's median.
  double sigma = kNaN;   // c, g, t: one sigma for every point.
  double spread = kNaN;  // p, u: sigma_i = sqrt(spread / n_i) * sigma_z.
  double sigma_z = 1;    // Laney's correction.
  bool all_zero = false;
};

GroupModel FitGroup(const GroupRange& g, const AttributeOptions& o,
                    AttributeWorkspace* ws) {
  const double* y = ws->y.data() + g.begin;
  const double* x = ws->x.data() + g.begin;
  const double* n = ws->n.data() + g.begin;
  const uint8_t* follows = ws->follows.data() + g.begin;
  const int b = g.baseline;
  double sum_x = 0, sum_n = 0;
  for (int i = 0; i < b; ++i) {
    sum_x += x[i];
    sum_n += n[i];
  }
  GroupModel m;
  m.all_zero = sum_x == 0;
  const Chart chart = o.chart;
  switch (chart) {
    case Chart::kP:
    case Chart::kPPrime:
    case Chart::kU:
    case Chart::kUPrime:
      m.cl = sum_n > 0 ? sum_x / sum_n : kNaN;
      m.spread = IsProportion(chart) ? m.cl * (1 - m.cl) : m.cl;  // Var × n.
      break;
    case Chart::kC:
    case Chart::kG:
      m.cl = b > 0 ? sum_x / b : kNaN;
      m.sigma =
          chart == Chart::kC ? std::sqrt(m.cl) : std::sqrt(m.cl * (m.cl + 1));
      break;
    case Chart::kT: {
      double sum = 0;
      for (int i = 0; i < b; ++i) sum += y[i];
      m.cl = b > 0 ? sum / b : kNaN;
      m.sigma = MeanMovingRange(y, follows, b, o.screen_moving_ranges) / kD2;
      break;
    }
    case Chart::kXmR:
      break;
  }
  m.centre = chart == Chart::kG ? Median(y, b, &ws->scratch) : m.cl;
  if (ChartUsesDenominator(chart)) {  // sigma_i / sigma_z, per point.
    ws->sd.resize(g.size);
    double* sd = ws->sd.data();
    const double spread = m.spread;
    for (int i = 0; i < g.size; ++i) sd[i] = std::sqrt(spread / n[i]);
  }
  if (IsLaney(chart)) {
    ws->scratch.resize(b);
    const double* sd = ws->sd.data();
    for (int i = 0; i < b; ++i) ws->scratch[i] = (y[i] - m.cl) / sd[i];
    m.sigma_z = MeanMovingRange(ws->scratch.data(), follows, b,
                                o.screen_moving_ranges) /
                kD2;
  }
  return m;
}

double Finite(double v) { return std::isfinite(v) ? v : kNaN; }

// A t chart's working-scale value in output units: back-transformed (a
// value below 0 is 0), then multiplied.
double FromT(double v, double multiplier) {
  return Finite((v > 0 ? std::pow(v, kTPower) : (v < 0 ? 0 : v)) * multiplier);
}

// Limits of every present point of one group; their sides of the centre
// and the outside / close flags (working scale); the output values.
void GroupLimits(const GroupRange& g, int group, const GroupModel& m,
                 const AttributeOptions& o, AttributeWorkspace* ws,
                 absl::Span<AttributePoint> out) {
  const double* y = ws->y.data() + g.begin;
  const double* x = ws->x.data() + g.begin;
  const int32_t* index = ws->index.data() + g.begin;
  int8_t* side = ws->side.data() + g.begin;
  uint8_t* flags = ws->flags.data() + g.begin;
  const Chart chart = o.chart;
  const bool per_point = ChartUsesDenominator(chart);
  const bool proportion = IsProportion(chart);
  const bool times = chart == Chart::kT;
  const double mult = o.multiplier;
  const double centre_out =
      times ? FromT(m.centre, mult) : Finite(m.centre * mult);
  const double* sd = ws->sd.data();
  for (int i = 0; i < g.size; ++i) {
    const double s = per_point ? sd[i] * m.sigma_z : m.sigma;
    double hi = m.cl + 3 * s, hi2 = m.cl + 2 * s;
    double lo = m.cl - 3 * s, lo2 = m.cl - 2 * s;
    if (!times) {  // t: the back-transform makes them 0.
      lo = lo < 0 ? 0 : lo;
      lo2 = lo2 < 0 ? 0 : lo2;
    }
    if (proportion) {
      hi = hi > 1 ? 1 : hi;
      hi2 = hi2 > 1 ? 1 : hi2;
    }
    const double v = y[i];
    side[i] = static_cast<int8_t>((v > m.centre) - (v < m.centre));
    const int outside = (v > hi) | (v < lo);
    const int close = (outside ^ 1) & ((v > hi2) | (v < lo2));
    flags[i] = static_cast<uint8_t>(outside * internal::kOutside |
                                    close * internal::kClose);
    AttributePoint& p = out[index[i]];
    p.status = PointStatus::kPresent;
    p.group = group;
    p.sigma_signal = outside != 0;
    p.centre = centre_out;
    if (times) {
      p.value = x[i] * mult;
      p.lower = FromT(lo, mult);
      p.upper = FromT(hi, mult);
      p.lower_2sigma = FromT(lo2, mult);
      p.upper_2sigma = FromT(hi2, mult);
    } else {
      p.value = v * mult;
      p.lower = Finite(lo * mult);
      p.upper = Finite(hi * mult);
      p.lower_2sigma = Finite(lo2 * mult);
      p.upper_2sigma = Finite(hi2 * mult);
    }
  }
}

// Runs analysis and labels of one group's present points.
void GroupSignals(const GroupRange& g, const AttributeOptions& o,
                  AttributeWorkspace* ws, absl::Span<AttributePoint> out,
                  AttributeSummary* summary) {
  const double* y = ws->y.data() + g.begin;
  const int8_t* side = ws->side.data() + g.begin;
  uint8_t* flags = ws->flags.data() + g.begin;
  const int32_t* index = ws->index.data() + g.begin;
  const bool mdc = o.rules == SignalRules::kMakingDataCount;
  ws->long_run.resize(g.size);
  uint8_t* long_run = ws->long_run.data();
  summary->runs.push_back(
      internal::AnalyzeRuns(side, g.size, mdc ? nullptr : long_run));
  if (mdc) internal::ApplyRules(y, side, g.size, o.run_length, flags);
  for (int i = 0; i < g.size; ++i) {
    AttributePoint& p = out[index[i]];
    SpecialCause cause = SpecialCause::kCommonCause;
    if (mdc) {
      if (flags[i] & ~internal::kClose) {  // Some rule fired.
        cause = internal::LabelPoint(y, side, flags, i, g.size);
      }
    } else if (p.sigma_signal) {
      cause = side[i] > 0 ? SpecialCause::kAboveUcl : SpecialCause::kBelowLcl;
    } else if (long_run[i]) {
      cause = side[i] > 0 ? SpecialCause::kLongRunAbove
                          : SpecialCause::kLongRunBelow;
    }
    p.special_cause = cause;
    p.point_type = internal::PointTypeOf(cause, o.direction);
  }
}

// Missing points: NaN value and limits, the group and centre line of the
// next present point (or of the last group).
void WriteMissing(int groups, double last_centre,
                  absl::Span<AttributePoint> out) {
  int group = groups > 0 ? groups - 1 : 0;
  double centre = last_centre;
  for (size_t i = out.size(); i > 0; --i) {
    AttributePoint& p = out[i - 1];
    if (p.status == PointStatus::kPresent) {
      group = p.group;
      centre = p.centre;
      continue;
    }
    const PointStatus status = p.status;
    p = AttributePoint{};
    p.value = p.lower = p.upper = p.lower_2sigma = p.upper_2sigma = kNaN;
    p.centre = centre;
    p.status = status;
    p.special_cause = SpecialCause::kMissing;
    p.point_type = PointType::kMissing;
    p.group = group;
  }
}

}  // namespace

absl::Status AnalyzeAttribute(
    absl::Span<const double> numerators, absl::Span<const double> denominators,
    absl::Span<const uint8_t> rebase, absl::Span<const double> targets,
    const AttributeOptions& options, AttributeWorkspace* ws,
    absl::Span<AttributePoint> out, AttributeSummary* summary) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (absl::Status s =
          CheckSizes(numerators.size(), denominators, rebase, targets,
                     out.size(), ChartUsesDenominator(options.chart));
      !s.ok()) {
    return s;
  }
  summary->runs.clear();
  std::vector<RunsAnalysis> runs = std::move(summary->runs);
  *summary = AttributeSummary();
  summary->runs = std::move(runs);
  summary->target = kNaN;
  if (absl::Status s = Compact(numerators, denominators, rebase, options.chart,
                               ws, out, summary);
      !s.ok()) {
    return s;
  }
  const int n = static_cast<int>(ws->y.size());
  summary->present_points = n;
  summary->groups = static_cast<int>(ws->group_start.size()) - 1;
  bool last_all_zero = false;
  GroupRange last{0, 0, 0};
  for (int g = 0; g < summary->groups; ++g) {
    GroupRange range;
    range.begin = ws->group_start[g];
    range.size = ws->group_start[g + 1] - range.begin;
    range.baseline = options.fix_after_n_points > 0
                         ? std::min(options.fix_after_n_points, range.size)
                         : range.size;
    const GroupModel model = FitGroup(range, options, ws);
    last_all_zero = model.all_zero;
    GroupLimits(range, g, model, options, ws, out);
    GroupSignals(range, options, ws, out, summary);
    last = range;
  }
  if (summary->missing_points > 0) {
    WriteMissing(summary->groups, n > 0 ? out[ws->index[n - 1]].centre : kNaN,
                 out);
  }
  if (n == 0) return absl::OkStatus();
  summary->latest = ws->index[n - 1];
  const AttributePoint& latest = out[summary->latest];
  summary->variation =
      internal::VariationIconOf(latest.point_type, options.direction);
  summary->target = targets.empty() ? kNaN : targets[summary->latest];
  if (!std::isnan(latest.lower) && !std::isnan(latest.upper)) {
    summary->assurance = internal::AssuranceOf(summary->target, latest.lower,
                                               latest.upper, options.direction);
  }
  if (last.size == 1) {
    summary->status = ChartStatus::kSinglePoint;
  } else if (last_all_zero) {
    summary->status = ChartStatus::kAllZero;
  } else if (std::isnan(latest.lower) || std::isnan(latest.upper)) {
    summary->status = ChartStatus::kNoLimits;
  } else {
    summary->status = ChartStatus::kOk;
  }
  return absl::OkStatus();
}

const char* ChartName(Chart chart) {
  switch (chart) {
    case Chart::kXmR:
      return "xmr";
    case Chart::kP:
      return "p";
    case Chart::kPPrime:
      return "pp";
    case Chart::kU:
      return "u";
    case Chart::kUPrime:
      return "up";
    case Chart::kC:
      return "c";
    case Chart::kG:
      return "g";
    case Chart::kT:
      return "t";
  }
  return "";
}

const char* ChartTitle(Chart chart) {
  switch (chart) {
    case Chart::kXmR:
      return "XmR chart";
    case Chart::kP:
      return "p-chart";
    case Chart::kPPrime:
      return "Laney p′-chart";
    case Chart::kU:
      return "u-chart";
    case Chart::kUPrime:
      return "Laney u′-chart";
    case Chart::kC:
      return "c-chart";
    case Chart::kG:
      return "g-chart";
    case Chart::kT:
      return "t-chart";
  }
  return "";
}

bool ChartUsesDenominator(Chart chart) {
  return chart == Chart::kP || chart == Chart::kPPrime || chart == Chart::kU ||
         chart == Chart::kUPrime;
}

const char* ChartStatusDescription(ChartStatus status) {
  switch (status) {
    case ChartStatus::kOk:
      return "ok";
    case ChartStatus::kNoPoints:
      return "no point has a value";
    case ChartStatus::kSinglePoint:
      return "a single point: its limits rest on one value";
    case ChartStatus::kAllZero:
      return "every count is zero: the limits collapse onto the centre line";
    case ChartStatus::kNoLimits:
      return "the limits cannot be computed (no moving range to estimate "
             "the spread)";
  }
  return "";
}

}  // namespace spc
}  // namespace vigil
