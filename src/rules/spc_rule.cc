// SPC rules: Making Data Count variation and assurance mapped to ratings.
// The XmR chart here; attribute charts in attribute_spc_rule.cc.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "src/rules/spc_config.h"
#include "vigil/spc.h"

namespace vigil {
namespace internal {
namespace {

// Per-thread scratch so an assessment allocates nothing per point.
struct SpcScratch {
  spc::Workspace workspace;
  std::vector<spc::PointResult> points;
  std::vector<uint8_t> rebase;
  std::vector<double> targets;
};

SpcScratch& Scratch() {
  thread_local SpcScratch scratch;
  return scratch;
}

class SpcEvaluator : public SeriesRuleEvaluator {
 public:
  explicit SpcEvaluator(SpcConfig config) : config_(std::move(config)) {}

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  void SetState(const SeriesView& series, int k,
                absl::Span<const spc::PointResult> points,
                const spc::SeriesSummary& summary, v1::Assessment* out) const;
  // The last `periods` points up to k, for drawing.
  void AddChart(const SeriesView& series, int k, int periods,
                absl::Span<const spc::PointResult> points,
                v1::SpcState* state) const;
  std::string Describe(const v1::Indicator& ind, const SeriesView& series,
                       int latest, absl::Span<const spc::PointResult> points,
                       const spc::SeriesSummary& summary) const;

  const SpcConfig config_;
};

// Where the latest point's special cause began (the run of points with
// that cause, gaps skipped), and in *count how many points it has lasted.
int CauseStart(absl::Span<const spc::PointResult> points, int latest,
               int* count) {
  int first = latest;
  *count = 0;
  for (int j = latest; j >= 0; --j) {
    if (points[j].special_cause == spc::SpecialCause::kMissing) continue;
    if (points[j].special_cause != points[latest].special_cause) break;
    first = j;
    ++*count;
  }
  return first;
}

std::string SpcEvaluator::Describe(const v1::Indicator& ind,
                                   const SeriesView& series, int latest,
                                   absl::Span<const spc::PointResult> points,
                                   const spc::SeriesSummary& summary) const {
  const spc::PointResult& p = points[latest];
  const std::string limits =
      std::isnan(p.lpl) ? absl::StrCat("mean ", FormatValue(p.mean, ind),
                                       ", limits not computable")
                        : absl::StrCat("mean ", FormatValue(p.mean, ind),
                                       ", limits ", FormatValue(p.lpl, ind),
                                       " to ", FormatValue(p.upl, ind));
  const std::string latest_text =
      absl::StrCat(FormatValue(series.values[latest], ind), " in ",
                   DescribePeriod(PeriodAt(series, latest)));
  std::string text;
  if (p.special_cause == spc::SpecialCause::kCommonCause) {
    text = absl::StrCat("common cause variation: ", latest_text, " (", limits,
                        ")");
  } else {
    int count = 0;
    const int first = CauseStart(points, latest, &count);
    text = absl::StrCat(PointKind(p.point_type), ": ",
                        spc::SpecialCauseLabel(p.special_cause), ", ", count,
                        count == 1 ? " point" : " points",
                        count == 1 ? " in " : " since ",
                        DescribePeriod(PeriodAt(series, first)), "; latest ",
                        latest_text, " (", limits, ")");
  }
  if (summary.assurance != spc::Assurance::kNone) {
    absl::StrAppend(&text, AssuranceText(summary.assurance,
                                         FormatValue(summary.target, ind)));
  }
  if (summary.short_group_warning) {
    absl::StrAppend(&text, "; trial limits from ", summary.last_group_baseline,
                    " points");
  }
  return text;
}

void SpcEvaluator::SetState(const SeriesView& series, int k,
                            absl::Span<const spc::PointResult> points,
                            const spc::SeriesSummary& summary,
                            v1::Assessment* out) const {
  const spc::PointResult& p = points[k];
  v1::SpcState* state = out->mutable_spc();
  state->set_mean(p.mean);
  state->set_lower_process_limit(p.lpl);
  state->set_upper_process_limit(p.upl);
  state->set_special_cause_type(spc::SpecialCauseLabel(p.special_cause));
  state->set_point_type(spc::PointTypeName(p.point_type));
  state->set_variation_icon(spc::VariationIconName(summary.variation));
  state->set_assurance(spc::AssuranceName(summary.assurance));
  if (!std::isnan(summary.target)) state->set_target(summary.target);
  state->set_points(summary.present_points);
  state->set_baseline_points(summary.last_group_baseline);
  state->set_chart("xmr");
  out->set_value(series.values[k]);
  out->set_data_period(FormatPeriod(PeriodAt(series, k)));
  if (!std::isnan(summary.target)) out->set_standard(summary.target);
  AddEvidence(out, "value", PeriodAt(series, k), series.values[k]);
  AddEvidence(out, "mean", p.mean);
  AddEvidence(out, "lower process limit", p.lpl);
  AddEvidence(out, "upper process limit", p.upl);
}

void SpcEvaluator::AddChart(const SeriesView& series, int k, int periods,
                            absl::Span<const spc::PointResult> points,
                            v1::SpcState* state) const {
  for (int j = std::max(0, k + 1 - periods); j <= k; ++j) {
    const spc::PointResult& q = points[j];
    AddChartPoint(PeriodAt(series, j), series.values[j], q.mean, q.lpl, q.upl,
                  q.point_type, q.group, state);
  }
}

void SpcEvaluator::Assess(const SeriesContext& context,
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
  const int k = FindJudgedPoint(context, config_.max_staleness_periods, out);
  if (k < 0) return;
  const int n = k + 1;
  SpcScratch& s = Scratch();
  s.points.resize(n);
  const bool has_target =
      PrepareSpcInputs(config_, context, n, &s.rebase, &s.targets);
  spc::Options options;
  options.direction = DirectionOf(orientation);
  options.screen_outliers = config_.screen_outliers;
  options.run_length = config_.run_length;
  options.fix_after_n_points = config_.fix_after_periods;
  options.latest_only = !context.explain;
  spc::SeriesSummary summary;
  const absl::Status status = spc::Analyze(
      series.values.subspan(0, n), s.rebase,
      has_target ? absl::MakeConstSpan(s.targets) : absl::Span<const double>(),
      options, &s.workspace, absl::MakeSpan(s.points), &summary);
  if (!status.ok()) {
    Rate(context, v1::RATING_NO_DATA, status.message(), out);
    return;
  }
  if (summary.present_points < config_.minimum_points) {
    if (!context.explain) {
      out->set_rating(v1::RATING_NO_DATA);
      return;
    }
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("only ", summary.present_points, " values up to ",
                      DescribePeriod(PeriodAt(series, k)), "; SPC needs ",
                      config_.minimum_points),
         out);
    return;
  }
  const absl::Span<const spc::PointResult> points = s.points;
  const v1::Rating rating =
      SpcRating(config_, points[k].point_type, summary.assurance, orientation);
  if (!context.explain) {
    out->set_rating(rating);
    return;
  }
  SetState(series, k, points, summary, out);
  if (context.chart_periods > 0) {
    AddChart(series, k, context.chart_periods, points, out->mutable_spc());
  }
  if (rating == v1::RATING_RED) {
    int count = 0;
    const int first = CauseStart(points, k, &count);
    if (points[k].point_type == spc::PointType::kConcern) {
      out->set_signal(
          absl::StrCat("special cause concern (",
                       spc::SpecialCauseLabel(points[k].special_cause),
                       ") since ", DescribePeriod(PeriodAt(series, first))));
    } else if (summary.assurance == spc::Assurance::kConsistentFail) {
      out->set_signal(
          absl::StrCat("the ", FormatValue(summary.target, *context.indicator),
                       " target will consistently be missed"));
    }
  }
  Rate(context, rating,
       Describe(*context.indicator, series, k, points, summary), out);
}

}  // namespace

CompiledEvaluator CompileSpcRule(const RuleCompileContext& context) {
  SpcConfig config;
  if (absl::Status s = ReadSpcConfig(context, &config); !s.ok()) return s;
  if (config.chart != spc::Chart::kXmR) {
    return MakeAttributeSpcEvaluator(std::move(config));
  }
  return std::make_unique<SpcEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
