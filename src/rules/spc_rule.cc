// SPC rules: Making Data Count variation and assurance mapped to ratings.
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
#include "vigil/spc.h"

namespace vigil {
namespace internal {
namespace {

// The native config of an SPC rule (vigil.v1.SpcRule), defaults beside
// their fields.
struct SpcConfig {
  int fix_after_periods = 0;  // 0 = every point.
  std::vector<Period> rebases;
  bool screen_outliers = true;
  int run_length = spc::kDefaultRunLength;  // Pack value 0 means this.
  std::optional<double> target;             // None: the pack's standard.
  int minimum_points = 12;                  // Pack value 0 means this.
  v1::Rating concern = v1::RATING_RED;
  v1::Rating improvement = v1::RATING_GREEN;
  v1::Rating common_cause = v1::RATING_GREEN;
  v1::Rating consistent_fail = v1::RATING_AMBER;
  v1::Rating inconsistent = v1::RATING_GREEN;
  int max_staleness_periods = 0;
};

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

spc::ImprovementDirection DirectionOf(Orientation orientation) {
  switch (orientation) {
    case Orientation::kHigherIsBetter:
      return spc::ImprovementDirection::kIncrease;
    case Orientation::kLowerIsBetter:
      return spc::ImprovementDirection::kDecrease;
    default:
      return spc::ImprovementDirection::kNeutral;
  }
}

const char* PointKind(spc::PointType type) {
  switch (type) {
    case spc::PointType::kConcern:
      return "special cause concern";
    case spc::PointType::kImprovement:
      return "special cause improvement";
    default:
      return "special cause variation";
  }
}

class SpcEvaluator : public SeriesRuleEvaluator {
 public:
  explicit SpcEvaluator(SpcConfig config) : config_(std::move(config)) {}

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  // Fills the scratch's rebase flags and targets for the first n points;
  // returns whether any point has a target.
  bool PrepareInputs(const SeriesContext& context, int n, SpcScratch* s) const;
  v1::Rating RatingOf(const spc::PointResult& latest,
                      const spc::SeriesSummary& summary,
                      Orientation orientation) const;
  void SetState(const SeriesView& series, int k,
                absl::Span<const spc::PointResult> points,
                const spc::SeriesSummary& summary, v1::Assessment* out) const;
  std::string Describe(const v1::Indicator& ind, const SeriesView& series,
                       int latest, absl::Span<const spc::PointResult> points,
                       const spc::SeriesSummary& summary) const;

  const SpcConfig config_;
};

bool SpcEvaluator::PrepareInputs(const SeriesContext& context, int n,
                                 SpcScratch* s) const {
  const SeriesView& series = *context.series;
  s->points.resize(n);
  s->rebase.assign(n, 0);
  for (Period r : config_.rebases) {
    const int j = series.IndexOf(ConvertPeriod(r, series.first.frequency));
    if (j >= 0 && j < n) s->rebase[j] = 1;
  }
  // The rule's target, else the standard in force at each point.
  if (config_.target.has_value()) {
    s->targets.assign(n, *config_.target);
    return true;
  }
  const std::string& id = context.indicator->id();
  if (!context.standards->Has(id)) return false;
  bool has_target = false;
  s->targets.assign(n, std::nan(""));
  for (int j = 0; j < n; ++j) {
    if (const StandardValue* st =
            context.standards->Find(id, PeriodAt(series, j))) {
      s->targets[j] = st->value;
      has_target = true;
    }
  }
  return has_target;
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
    // How long the latest point's special cause has lasted.
    int first = latest, count = 0;
    for (int j = latest; j >= 0; --j) {
      if (points[j].special_cause == spc::SpecialCause::kMissing) continue;
      if (points[j].special_cause != p.special_cause) break;
      first = j;
      ++count;
    }
    text = absl::StrCat(PointKind(p.point_type), ": ",
                        spc::SpecialCauseLabel(p.special_cause), ", ", count,
                        count == 1 ? " point" : " points",
                        count == 1 ? " in " : " since ",
                        DescribePeriod(PeriodAt(series, first)), "; latest ",
                        latest_text, " (", limits, ")");
  }
  if (summary.assurance != spc::Assurance::kNone) {
    const std::string target = FormatValue(summary.target, ind);
    switch (summary.assurance) {
      case spc::Assurance::kConsistentPass:
        absl::StrAppend(&text, "; the ", target,
                        " target will consistently be met");
        break;
      case spc::Assurance::kConsistentFail:
        absl::StrAppend(&text, "; the ", target,
                        " target will consistently be missed");
        break;
      default:
        absl::StrAppend(&text, "; the ", target, " target is hit and miss");
        break;
    }
  }
  if (summary.short_group_warning) {
    absl::StrAppend(&text, "; trial limits from ", summary.last_group_baseline,
                    " points");
  }
  return text;
}

v1::Rating SpcEvaluator::RatingOf(const spc::PointResult& latest,
                                  const spc::SeriesSummary& summary,
                                  Orientation orientation) const {
  // A neutral indicator's variation is shown, not judged.
  if (orientation == Orientation::kNeutral) return v1::RATING_NOT_APPLICABLE;
  v1::Rating variation = config_.common_cause;
  if (latest.point_type == spc::PointType::kConcern) {
    variation = config_.concern;
  } else if (latest.point_type == spc::PointType::kImprovement) {
    variation = config_.improvement;
  }
  v1::Rating assurance = v1::RATING_GREEN;
  if (summary.assurance == spc::Assurance::kConsistentFail) {
    assurance = config_.consistent_fail;
  } else if (summary.assurance == spc::Assurance::kInconsistent) {
    assurance = config_.inconsistent;
  }
  return RatingSeverityRank(assurance) > RatingSeverityRank(variation)
             ? assurance
             : variation;
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
  out->set_value(series.values[k]);
  out->set_data_period(FormatPeriod(PeriodAt(series, k)));
  if (!std::isnan(summary.target)) out->set_standard(summary.target);
  AddEvidence(out, "value", PeriodAt(series, k), series.values[k]);
  AddEvidence(out, "mean", p.mean);
  AddEvidence(out, "lower process limit", p.lpl);
  AddEvidence(out, "upper process limit", p.upl);
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
  const bool has_target = PrepareInputs(context, n, &s);
  spc::Options options;
  options.direction = DirectionOf(orientation);
  options.screen_outliers = config_.screen_outliers;
  options.run_length = config_.run_length;
  options.fix_after_n_points = config_.fix_after_periods;
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
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("only ", summary.present_points, " values up to ",
                      DescribePeriod(PeriodAt(series, k)), "; SPC needs ",
                      config_.minimum_points),
         out);
    return;
  }
  const absl::Span<const spc::PointResult> points = s.points;
  SetState(series, k, points, summary, out);
  Rate(context, RatingOf(points[k], summary, orientation),
       Describe(*context.indicator, series, k, points, summary), out);
}

// The rule's rating for an SPC outcome, or `fallback` when unset.
absl::Status ReadRating(const RuleCompileContext& context,
                        absl::string_view field, v1::Rating rating,
                        v1::Rating* out) {
  if (!v1::Rating_IsValid(rating) || rating == v1::RATING_NO_DATA ||
      rating == v1::RATING_NOT_APPLICABLE) {
    return context.Error(field, "must be GREEN, AMBER or RED");
  }
  if (rating != v1::RATING_UNSPECIFIED) *out = rating;
  return absl::OkStatus();
}

absl::Status ReadRatings(const RuleCompileContext& context,
                         const v1::SpcRule& c, SpcConfig* config) {
  const std::pair<const char*, std::pair<v1::Rating, v1::Rating*>> ratings[] = {
      {"concern_rating", {c.concern_rating(), &config->concern}},
      {"improvement_rating", {c.improvement_rating(), &config->improvement}},
      {"common_cause_rating", {c.common_cause_rating(), &config->common_cause}},
      {"consistent_fail_rating",
       {c.consistent_fail_rating(), &config->consistent_fail}},
      {"inconsistent_rating",
       {c.inconsistent_rating(), &config->inconsistent}}};
  for (const auto& [field, rating] : ratings) {
    absl::Status s = ReadRating(context, field, rating.first, rating.second);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

CompiledEvaluator CompileSpcRule(const RuleCompileContext& context) {
  const v1::SpcRule& c = context.rule().spc();
  SpcConfig config;
  if (c.fix_after_periods() != 0 &&
      c.fix_after_periods() < spc::kMinFixAfterPoints) {
    return context.Error(
        "fix_after_periods",
        absl::StrCat("must be 0 (all points) or >= ", spc::kMinFixAfterPoints,
                     ", got ", c.fix_after_periods()));
  }
  config.fix_after_periods = c.fix_after_periods();
  if (c.run_length() != 0 && (c.run_length() < spc::kMinRunLength ||
                              c.run_length() > spc::kMaxRunLength)) {
    return context.Error(
        "run_length",
        absl::StrCat("must be ", spc::kMinRunLength, "..", spc::kMaxRunLength,
                     " (0 = ", config.run_length, "), got ", c.run_length()));
  }
  if (c.run_length() != 0) config.run_length = c.run_length();
  if (c.has_target() && !std::isfinite(c.target())) {
    return context.Error("target", "is not a finite number");
  }
  if (c.has_target()) config.target = c.target();
  if (c.minimum_points() != 0 && c.minimum_points() < 2) {
    return context.Error(
        "minimum_points",
        absl::StrCat("must be 0 (", config.minimum_points, ") or >= 2"));
  }
  if (c.minimum_points() != 0) config.minimum_points = c.minimum_points();
  if (c.max_staleness_periods() < 0) {
    return context.Error("max_staleness_periods", "must be >= 0");
  }
  config.max_staleness_periods = c.max_staleness_periods();
  if (absl::Status s = ReadRatings(context, c, &config); !s.ok()) return s;
  for (int i = 0; i < c.rebase_periods_size(); ++i) {
    absl::StatusOr<Period> p = ParsePeriod(c.rebase_periods(i));
    if (!p.ok()) {
      return context.Error(absl::StrCat("rebase_periods[", i, "]"),
                           p.status().message());
    }
    config.rebases.push_back(*p);
  }
  config.screen_outliers = !c.disable_outlier_screening();
  return std::make_unique<SpcEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
