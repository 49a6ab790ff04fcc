// SPC rules: Making Data Count variation and assurance mapped to ratings.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/report/format.h"
#include "src/rules/rule_support.h"
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

v1::Rating Or(v1::Rating r, v1::Rating fallback) {
  return r == v1::RATING_UNSPECIFIED ? fallback : r;
}

class SpcEvaluator : public RuleEvaluator {
 public:
  SpcEvaluator(const v1::SpcRule& config, std::vector<Period> rebases)
      : config_(config), rebases_(std::move(rebases)) {}

  void Assess(const AssessContext& context, v1::Assessment* out) const override;

 private:
  std::string Describe(const AssessContext& context, const SeriesView& series,
                       int latest, const spc::SeriesSummary& summary) const;

  v1::SpcRule config_;
  std::vector<Period> rebases_;
};

std::string SpcEvaluator::Describe(const AssessContext& context,
                                   const SeriesView& series, int latest,
                                   const spc::SeriesSummary& summary) const {
  const v1::Indicator& ind = *context.indicator;
  const std::vector<spc::PointResult>& points = Scratch().points;
  const spc::PointResult& p = points[latest];
  const std::string limits =
      std::isnan(p.lpl) ? absl::StrCat("mean ", FormatValue(p.mean, ind),
                                       ", limits not computable")
                        : absl::StrCat("mean ", FormatValue(p.mean, ind),
                                       ", limits ", FormatValue(p.lpl, ind),
                                       " to ", FormatValue(p.upl, ind));
  std::string text;
  if (p.special_cause == spc::SpecialCause::kCommonCause) {
    text = absl::StrCat(
        "common cause variation: ", FormatValue(series.values[latest], ind),
        " in ", DescribePeriod(PeriodAt(series, latest)), " (", limits, ")");
  } else {
    // How long the latest point's special cause has lasted.
    int first = latest, count = 0;
    for (int j = latest; j >= 0; --j) {
      if (points[j].special_cause == spc::SpecialCause::kMissing) continue;
      if (points[j].special_cause != p.special_cause) break;
      first = j;
      ++count;
    }
    const char* kind = p.point_type == spc::PointType::kConcern
                           ? "special cause concern"
                       : p.point_type == spc::PointType::kImprovement
                           ? "special cause improvement"
                           : "special cause variation";
    text = absl::StrCat(
        kind, ": ", spc::SpecialCauseLabel(p.special_cause), ", ", count,
        count == 1 ? " point" : " points", count == 1 ? " in " : " since ",
        DescribePeriod(PeriodAt(series, first)), "; latest ",
        FormatValue(series.values[latest], ind), " in ",
        DescribePeriod(PeriodAt(series, latest)), " (", limits, ")");
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

void SpcEvaluator::Assess(const AssessContext& context,
                          v1::Assessment* out) const {
  const v1::Indicator& ind = *context.indicator;
  const Orientation orientation = OrientationOf(ind.polarity());
  if (orientation == Orientation::kUnknown) {
    out->set_rating(v1::RATING_NOT_APPLICABLE);
    SetReason(context, out,
              "SPC needs the indicator's polarity (higher or lower is better, "
              "or neutral)");
    return;
  }
  const SeriesView& series = *context.series;
  const int k = FindJudgedPoint(context, config_.max_staleness_periods(), out);
  if (k < 0) return;
  const int n = k + 1;
  SpcScratch& s = Scratch();
  s.points.resize(n);
  s.rebase.assign(n, 0);
  for (Period r : rebases_) {
    const int j = series.IndexOf(ConvertPeriod(r, series.first.frequency));
    if (j >= 0 && j < n) s.rebase[j] = 1;
  }
  // The rule's target, else the standard in force at each point.
  bool has_target = config_.has_target();
  if (has_target) {
    s.targets.assign(n, config_.target());
  } else if (context.standards->Has(ind.id())) {
    s.targets.assign(n, std::nan(""));
    for (int j = 0; j < n; ++j) {
      if (const v1::Standard* st =
              context.standards->Find(ind.id(), PeriodAt(series, j))) {
        s.targets[j] = st->value();
        has_target = true;
      }
    }
  }
  spc::Options options;
  options.direction = orientation == Orientation::kHigherIsBetter
                          ? spc::ImprovementDirection::kIncrease
                      : orientation == Orientation::kLowerIsBetter
                          ? spc::ImprovementDirection::kDecrease
                          : spc::ImprovementDirection::kNeutral;
  options.screen_outliers = !config_.disable_outlier_screening();
  options.run_length = config_.run_length() == 0 ? 7 : config_.run_length();
  options.fix_after_n_points = config_.fix_after_periods();
  spc::SeriesSummary summary;
  const absl::Status status = spc::Analyze(
      series.values.subspan(0, n), s.rebase,
      has_target ? absl::MakeConstSpan(s.targets) : absl::Span<const double>(),
      options, &s.workspace, absl::MakeSpan(s.points), &summary);
  const int minimum =
      config_.minimum_points() == 0 ? 12 : config_.minimum_points();
  if (!status.ok() || summary.present_points < minimum) {
    out->set_rating(v1::RATING_NO_DATA);
    SetReason(context, out,
              status.ok() ? absl::StrCat("only ", summary.present_points,
                                         " values up to ",
                                         DescribePeriod(PeriodAt(series, k)),
                                         "; SPC needs ", minimum)
                          : std::string(status.message()));
    return;
  }
  const spc::PointResult& p = s.points[k];
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

  v1::Rating variation = Or(config_.common_cause_rating(), v1::RATING_GREEN);
  if (p.point_type == spc::PointType::kConcern) {
    variation = Or(config_.concern_rating(), v1::RATING_RED);
  } else if (p.point_type == spc::PointType::kImprovement) {
    variation = Or(config_.improvement_rating(), v1::RATING_GREEN);
  }
  v1::Rating assurance = v1::RATING_GREEN;
  if (summary.assurance == spc::Assurance::kConsistentFail) {
    assurance = Or(config_.consistent_fail_rating(), v1::RATING_AMBER);
  } else if (summary.assurance == spc::Assurance::kInconsistent) {
    assurance = Or(config_.inconsistent_rating(), v1::RATING_GREEN);
  }
  // A neutral indicator's variation is shown, not judged.
  if (orientation == Orientation::kNeutral) {
    out->set_rating(v1::RATING_NOT_APPLICABLE);
  } else {
    out->set_rating(RatingSeverityRank(assurance) >
                            RatingSeverityRank(variation)
                        ? assurance
                        : variation);
  }
  SetReason(context, out, Describe(context, series, k, summary));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeSpcEvaluator(
    const v1::Rule& rule, int index) {
  const v1::SpcRule& c = rule.spc();
  auto error = [&](absl::string_view field, absl::string_view problem) {
    return RuleError(rule, index, absl::StrCat("spc.", field), problem);
  };
  if (c.fix_after_periods() != 0 && c.fix_after_periods() < 12) {
    return error("fix_after_periods",
                 absl::StrCat("must be 0 (all points) or >= 12, got ",
                              c.fix_after_periods()));
  }
  if (c.run_length() != 0 && (c.run_length() < 5 || c.run_length() > 10)) {
    return error("run_length",
                 absl::StrCat("must be 5..10 (0 = 7), got ", c.run_length()));
  }
  if (c.has_target() && !std::isfinite(c.target())) {
    return error("target", "is not a finite number");
  }
  if (c.minimum_points() != 0 && c.minimum_points() < 2) {
    return error("minimum_points", "must be 0 (12) or >= 2");
  }
  if (c.max_staleness_periods() < 0) {
    return error("max_staleness_periods", "must be >= 0");
  }
  const std::pair<const char*, v1::Rating> ratings[] = {
      {"concern_rating", c.concern_rating()},
      {"improvement_rating", c.improvement_rating()},
      {"common_cause_rating", c.common_cause_rating()},
      {"consistent_fail_rating", c.consistent_fail_rating()},
      {"inconsistent_rating", c.inconsistent_rating()}};
  for (const auto& [field, rating] : ratings) {
    if (!v1::Rating_IsValid(rating) || rating == v1::RATING_NO_DATA ||
        rating == v1::RATING_NOT_APPLICABLE) {
      return error(field, "must be GREEN, AMBER or RED");
    }
  }
  std::vector<Period> rebases;
  for (int i = 0; i < c.rebase_periods_size(); ++i) {
    absl::StatusOr<Period> p = ParsePeriod(c.rebase_periods(i));
    if (!p.ok()) {
      return error(absl::StrCat("rebase_periods[", i, "]"),
                   p.status().message());
    }
    rebases.push_back(*p);
  }
  return std::unique_ptr<RuleEvaluator>(
      new SpcEvaluator(c, std::move(rebases)));
}

}  // namespace internal
}  // namespace vigil
