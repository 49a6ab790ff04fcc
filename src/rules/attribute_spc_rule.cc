// SPC rules on attribute charts (p, p′, u, u′, c, g, t): the kernel of
// vigil/attribute_spc.h on a provider's series, its latest point's variation
// and assurance mapped to ratings as for the XmR chart.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "src/rules/spc_config.h"
#include "vigil/attribute_spc.h"

namespace vigil {
namespace internal {
namespace {

// Per-thread scratch so an assessment allocates nothing per point once warm.
struct AttributeScratch {
  spc::AttributeWorkspace workspace;
  spc::AttributeSummary summary;
  std::vector<spc::AttributePoint> points;
  std::vector<double> x, n, targets, all_targets;
  std::vector<uint8_t> rebase, all_rebase;
  std::vector<int32_t> position;  // Compact point -> series position.
};

AttributeScratch& Scratch() {
  thread_local AttributeScratch scratch;
  return scratch;
}

class AttributeSpcEvaluator : public SeriesRuleEvaluator {
 public:
  explicit AttributeSpcEvaluator(SpcConfig config)
      : config_(std::move(config)) {}

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  // Gathers the observed points of the first n periods into the scratch;
  // returns "" or why the chart cannot be drawn (naming the period).
  std::string Gather(const SeriesContext& context, int n, bool has_target,
                     AttributeScratch* s) const;
  std::string Describe(const v1::Indicator& ind, const SeriesView& series,
                       const AttributeScratch& s) const;
  void SetState(const SeriesView& series, const AttributeScratch& s,
                v1::Assessment* out) const;
  // The periods first..k of the chart (gaps where no point), for drawing.
  void AddChart(const SeriesView& series, int k, int periods,
                const AttributeScratch& s, v1::SpcState* state) const;

  const SpcConfig config_;
};

std::string AttributeSpcEvaluator::Gather(const SeriesContext& context, int n,
                                          bool has_target,
                                          AttributeScratch* s) const {
  const SeriesView& series = *context.series;
  const bool ratio = spc::ChartUsesDenominator(config_.chart);
  const bool proportion =
      config_.chart == spc::Chart::kP || config_.chart == spc::Chart::kPPrime;
  const char* title = spc::ChartTitle(config_.chart);
  s->x.clear();
  s->n.clear();
  s->targets.clear();
  s->rebase.clear();
  s->position.clear();
  bool pending_rebase = false;
  for (int j = 0; j < n; ++j) {
    pending_rebase = pending_rebase || s->all_rebase[j] != 0;
    if (std::isnan(series.values[j])) continue;  // No observation.
    const double x = ratio ? series.numerators[j] : series.values[j];
    const double d = ratio ? series.denominators[j] : 1.0;
    const std::string at = DescribePeriod(PeriodAt(series, j));
    if (x < 0 || d < 0) {
      return absl::StrCat("a ", title, " needs counts >= 0; ", at, " has ",
                          x < 0 ? x : d);
    }
    if (proportion && d > 0 && x > d) {
      return absl::StrCat("a ", title, " needs numerator <= denominator; ", at,
                          " has ", x, " over ", d);
    }
    if (config_.chart == spc::Chart::kT && x <= 0) {
      return absl::StrCat("a t-chart needs times between events > 0; ", at,
                          " has ", x);
    }
    s->x.push_back(x);
    s->n.push_back(d);
    s->rebase.push_back(pending_rebase ? 1 : 0);
    pending_rebase = false;
    s->targets.push_back(has_target ? s->all_targets[j] : std::nan(""));
    s->position.push_back(j);
  }
  return "";
}

std::string AttributeSpcEvaluator::Describe(const v1::Indicator& ind,
                                            const SeriesView& series,
                                            const AttributeScratch& s) const {
  const int last = static_cast<int>(s.points.size()) - 1;
  const spc::AttributePoint& p = s.points[last];
  const auto value = [&](double v) { return FormatValue(v, ind); };
  const std::string centre = absl::StrCat(
      config_.chart == spc::Chart::kG ? "median " : "centre ", value(p.centre));
  const std::string limits =
      std::isnan(p.lower) || std::isnan(p.upper)
          ? absl::StrCat(centre, ", limits not computable")
          : absl::StrCat(centre, ", limits ", value(p.lower), " to ",
                         value(p.upper));
  const std::string latest =
      absl::StrCat(value(p.value), " in ",
                   DescribePeriod(PeriodAt(series, s.position[last])));
  std::string text = absl::StrCat(spc::ChartTitle(config_.chart), ": ");
  switch (p.special_cause) {
    case spc::SpecialCause::kCommonCause:
      absl::StrAppend(&text, "common cause variation: ", latest, " (", limits,
                      ")");
      break;
    case spc::SpecialCause::kAboveUcl:
    case spc::SpecialCause::kBelowLcl: {
      const bool above = p.special_cause == spc::SpecialCause::kAboveUcl;
      absl::StrAppend(
          &text, PointKind(p.point_type), ": ", latest,
          above ? " above the upper limit of " : " below the lower limit of ",
          value(above ? p.upper : p.lower), " (", centre, ")");
      break;
    }
    default: {
      // How long the latest point's special cause has lasted.
      int first = last, count = 0;
      for (int j = last; j >= 0; --j) {
        if (s.points[j].special_cause != p.special_cause) break;
        first = j;
        ++count;
      }
      absl::StrAppend(&text, PointKind(p.point_type), ": ",
                      spc::SpecialCauseLabel(p.special_cause), ", ", count,
                      count == 1 ? " point in " : " points since ",
                      DescribePeriod(PeriodAt(series, s.position[first])),
                      "; latest ", latest, " (", limits, ")");
    }
  }
  const spc::RunsAnalysis& runs = s.summary.runs[p.group];
  if (runs.signal) {
    absl::StrAppend(&text, "; runs analysis: non-random variation (");
    if (runs.longest_run > runs.longest_run_max) {
      absl::StrAppend(&text, "a run of ", runs.longest_run,
                      " on one side of the centre, more than ",
                      runs.longest_run_max);
    }
    if (runs.crossings < runs.crossings_min) {
      absl::StrAppend(&text,
                      runs.longest_run > runs.longest_run_max ? "; " : "",
                      runs.crossings, " crossings of the centre, fewer than ",
                      runs.crossings_min);
    }
    absl::StrAppend(&text, ")");
  }
  if (s.summary.assurance != spc::Assurance::kNone) {
    absl::StrAppend(
        &text, AssuranceText(s.summary.assurance, value(s.summary.target)));
  }
  if (s.summary.status != spc::ChartStatus::kOk) {
    absl::StrAppend(&text, "; ", spc::ChartStatusDescription(s.summary.status));
  }
  return text;
}

void AttributeSpcEvaluator::SetState(const SeriesView& series,
                                     const AttributeScratch& s,
                                     v1::Assessment* out) const {
  const int last = static_cast<int>(s.points.size()) - 1;
  const spc::AttributePoint& p = s.points[last];
  const spc::RunsAnalysis& runs = s.summary.runs[p.group];
  const Period period = PeriodAt(series, s.position[last]);
  v1::SpcState* state = out->mutable_spc();
  state->set_chart(spc::ChartName(config_.chart));
  state->set_mean(p.centre);
  state->set_lower_process_limit(p.lower);
  state->set_upper_process_limit(p.upper);
  state->set_lower_2sigma(p.lower_2sigma);
  state->set_upper_2sigma(p.upper_2sigma);
  state->set_special_cause_type(spc::SpecialCauseLabel(p.special_cause));
  state->set_point_type(spc::PointTypeName(p.point_type));
  state->set_variation_icon(spc::VariationIconName(s.summary.variation));
  state->set_assurance(spc::AssuranceName(s.summary.assurance));
  if (!std::isnan(s.summary.target)) state->set_target(s.summary.target);
  state->set_points(s.summary.present_points);
  int group_points = 0;
  for (const spc::AttributePoint& q : s.points) {
    group_points +=
        q.group == p.group && q.status == spc::PointStatus::kPresent;
  }
  state->set_baseline_points(
      config_.fix_after_periods > 0
          ? std::min(config_.fix_after_periods, group_points)
          : group_points);
  state->set_runs_signal(runs.signal);
  state->set_longest_run(runs.longest_run);
  state->set_longest_run_max(runs.longest_run_max);
  state->set_crossings(runs.crossings);
  state->set_crossings_min(runs.crossings_min);
  out->set_value(p.value);
  out->set_data_period(FormatPeriod(period));
  if (!std::isnan(s.summary.target)) out->set_standard(s.summary.target);
  AddEvidence(out, "value", period, p.value);
  AddEvidence(out, "centre", p.centre);
  AddEvidence(out, "lower process limit", p.lower);
  AddEvidence(out, "upper process limit", p.upper);
}

void AttributeSpcEvaluator::AddChart(const SeriesView& series, int k,
                                     int periods, const AttributeScratch& s,
                                     v1::SpcState* state) const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const int first = std::max(0, k + 1 - periods);
  // Compact points are in series order; positions without one are gaps.
  size_t i = std::lower_bound(s.position.begin(), s.position.end(), first) -
             s.position.begin();
  for (int j = first; j <= k; ++j) {
    if (i < s.position.size() && s.position[i] == j) {
      const spc::AttributePoint& q = s.points[i++];
      AddChartPoint(PeriodAt(series, j), q.value, q.centre, q.lower, q.upper,
                    q.point_type, q.group, state);
    } else {
      AddChartPoint(PeriodAt(series, j), kNaN, kNaN, kNaN, kNaN,
                    spc::PointType::kMissing, 0, state);
    }
  }
}

void AttributeSpcEvaluator::Assess(const SeriesContext& context,
                                   v1::Assessment* out) const {
  const Orientation orientation = OrientationOf(context.indicator->polarity());
  if (orientation == Orientation::kUnknown) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "SPC needs the indicator's polarity (higher or lower is better, or "
         "neutral)",
         out);
    return;
  }
  const SeriesView& series = *context.series;
  const char* title = spc::ChartTitle(config_.chart);
  if (spc::ChartUsesDenominator(config_.chart) && !series.has_denominators) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("a ", title,
                      " needs numerators and denominators; this series has "
                      "values only"),
         out);
    return;
  }
  const int k = FindJudgedPoint(context, config_.max_staleness_periods, out);
  if (k < 0) return;
  AttributeScratch& s = Scratch();
  const bool has_target =
      PrepareSpcInputs(config_, context, k + 1, &s.all_rebase, &s.all_targets);
  if (std::string problem = Gather(context, k + 1, has_target, &s);
      !problem.empty()) {
    Rate(context, v1::RATING_NO_DATA, problem, out);
    return;
  }
  spc::AttributeOptions options;
  options.chart = config_.chart;
  options.rules = config_.rules;
  options.screen_moving_ranges = config_.screen_moving_ranges;
  options.direction = DirectionOf(orientation);
  options.run_length = config_.run_length;
  options.fix_after_n_points = config_.fix_after_periods;
  options.multiplier = spc::ChartUsesDenominator(config_.chart)
                           ? context.indicator->rate_multiplier()
                           : 1;
  if (!(options.multiplier > 0)) options.multiplier = 1;
  s.points.resize(s.x.size());
  const absl::Status status = spc::AnalyzeAttribute(
      s.x, s.n, s.rebase,
      has_target ? absl::MakeConstSpan(s.targets) : absl::Span<const double>(),
      options, &s.workspace, absl::MakeSpan(s.points), &s.summary);
  if (!status.ok()) {
    Rate(context, v1::RATING_NO_DATA, status.message(), out);
    return;
  }
  if (s.summary.present_points < config_.minimum_points) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("only ", s.summary.present_points, " points up to ",
                      DescribePeriod(PeriodAt(series, k)), "; the ", title,
                      " needs ", config_.minimum_points),
         out);
    return;
  }
  if (s.points.back().status != spc::PointStatus::kPresent) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat(
             "the ", title, " has no point for ",
             DescribePeriod(PeriodAt(series, k)),
             s.points.back().status == spc::PointStatus::kZeroDenominator
                 ? " (its denominator is 0)"
                 : " (no numerator or denominator)"),
         out);
    return;
  }
  SetState(series, s, out);
  if (context.chart_periods > 0) {
    AddChart(series, k, context.chart_periods, s, out->mutable_spc());
  }
  Rate(context,
       SpcRating(config_, s.points.back().point_type, s.summary.assurance,
                 orientation),
       Describe(*context.indicator, series, s), out);
}

}  // namespace

std::unique_ptr<SeriesRuleEvaluator> MakeAttributeSpcEvaluator(
    SpcConfig config) {
  return std::make_unique<AttributeSpcEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
