// The SpcRule's config and the rating and reason pieces both SPC
// evaluators use.
#include "src/rules/spc_config.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/rules/format.h"

namespace vigil {
namespace internal {
namespace {

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

// The chart, its signal rules and screening.
absl::Status ReadChart(const RuleCompileContext& context, const v1::SpcRule& c,
                       SpcConfig* config) {
  if (!v1::SpcChart_IsValid(c.chart())) {
    return context.Error("chart", absl::StrCat("unknown chart ", c.chart()));
  }
  if (!v1::SpcSignalRules_IsValid(c.signal_rules())) {
    return context.Error("signal_rules", absl::StrCat("unknown signal rules ",
                                                      c.signal_rules()));
  }
  config->chart = static_cast<spc::Chart>(c.chart());
  config->rules = static_cast<spc::SignalRules>(c.signal_rules());
  config->screen_moving_ranges = c.screen_moving_ranges();
  const bool xmr = config->chart == spc::Chart::kXmR;
  if (xmr && config->rules == spc::SignalRules::kAnhoej) {
    return context.Error("signal_rules",
                         "Anhoej's runs analysis needs an attribute chart (p, "
                         "p′, u, u′, c, g or t); the XmR chart uses Making "
                         "Data Count rules");
  }
  if (c.screen_moving_ranges() && config->chart != spc::Chart::kPPrime &&
      config->chart != spc::Chart::kUPrime && config->chart != spc::Chart::kT) {
    return context.Error("screen_moving_ranges",
                         "applies to the p′, u′ and t charts only (the XmR "
                         "chart screens unless disable_outlier_screening)");
  }
  if (!xmr && c.disable_outlier_screening()) {
    return context.Error("disable_outlier_screening",
                         "applies to the XmR chart only (attribute charts do "
                         "not screen unless screen_moving_ranges)");
  }
  const int min_fix = xmr ? spc::kMinFixAfterPoints : 2;
  if (c.fix_after_periods() != 0 && c.fix_after_periods() < min_fix) {
    return context.Error("fix_after_periods",
                         absl::StrCat("must be 0 (all points) or >= ", min_fix,
                                      ", got ", c.fix_after_periods()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadSpcConfig(const RuleCompileContext& context,
                           SpcConfig* config) {
  const v1::SpcRule& c = context.rule().spc();
  if (absl::Status s = ReadChart(context, c, config); !s.ok()) return s;
  config->fix_after_periods = c.fix_after_periods();
  if (c.run_length() != 0 && (c.run_length() < spc::kMinRunLength ||
                              c.run_length() > spc::kMaxRunLength)) {
    return context.Error(
        "run_length",
        absl::StrCat("must be ", spc::kMinRunLength, "..", spc::kMaxRunLength,
                     " (0 = ", config->run_length, "), got ", c.run_length()));
  }
  if (c.run_length() != 0) config->run_length = c.run_length();
  if (c.has_target() && !std::isfinite(c.target())) {
    return context.Error("target", "is not a finite number");
  }
  if (c.has_target()) config->target = c.target();
  if (c.minimum_points() != 0 && c.minimum_points() < 2) {
    return context.Error(
        "minimum_points",
        absl::StrCat("must be 0 (", config->minimum_points, ") or >= 2"));
  }
  if (c.minimum_points() != 0) config->minimum_points = c.minimum_points();
  if (c.max_staleness_periods() < 0) {
    return context.Error("max_staleness_periods", "must be >= 0");
  }
  config->max_staleness_periods = c.max_staleness_periods();
  if (absl::Status s = ReadRatings(context, c, config); !s.ok()) return s;
  for (int i = 0; i < c.rebase_periods_size(); ++i) {
    absl::StatusOr<Period> p = ParsePeriod(c.rebase_periods(i));
    if (!p.ok()) {
      return context.Error(absl::StrCat("rebase_periods[", i, "]"),
                           p.status().message());
    }
    config->rebases.push_back(*p);
  }
  config->screen_outliers = !c.disable_outlier_screening();
  return absl::OkStatus();
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

v1::Rating SpcRating(const SpcConfig& config, spc::PointType latest,
                     spc::Assurance assurance, Orientation orientation) {
  // A neutral indicator's variation is shown, not judged.
  if (orientation == Orientation::kNeutral) return v1::RATING_NOT_APPLICABLE;
  v1::Rating variation = config.common_cause;
  if (latest == spc::PointType::kConcern) {
    variation = config.concern;
  } else if (latest == spc::PointType::kImprovement) {
    variation = config.improvement;
  }
  v1::Rating from_assurance = v1::RATING_GREEN;
  if (assurance == spc::Assurance::kConsistentFail) {
    from_assurance = config.consistent_fail;
  } else if (assurance == spc::Assurance::kInconsistent) {
    from_assurance = config.inconsistent;
  }
  return RatingSeverityRank(from_assurance) > RatingSeverityRank(variation)
             ? from_assurance
             : variation;
}

std::string AssuranceText(spc::Assurance assurance, const std::string& target) {
  switch (assurance) {
    case spc::Assurance::kConsistentPass:
      return absl::StrCat("; the ", target, " target will consistently be met");
    case spc::Assurance::kConsistentFail:
      return absl::StrCat("; the ", target,
                          " target will consistently be missed");
    case spc::Assurance::kInconsistent:
      return absl::StrCat("; the ", target, " target is hit and miss");
    case spc::Assurance::kNone:
      break;
  }
  return "";
}

bool PrepareSpcInputs(const SpcConfig& config, const SeriesContext& context,
                      int n, std::vector<uint8_t>* rebase,
                      std::vector<double>* targets) {
  const SeriesView& series = *context.series;
  rebase->assign(n, 0);
  for (Period r : config.rebases) {
    const int j = series.IndexOf(ConvertPeriod(r, series.first.frequency));
    if (j >= 0 && j < n) (*rebase)[j] = 1;
  }
  if (config.target.has_value()) {
    targets->assign(n, *config.target);
    return true;
  }
  const std::string& id = context.indicator->id();
  if (!context.standards->Has(id)) return false;
  bool has_target = false;
  targets->assign(n, std::nan(""));
  for (int j = 0; j < n; ++j) {
    if (const StandardValue* st =
            context.standards->Find(id, PeriodAt(series, j))) {
      (*targets)[j] = st->value;
      has_target = true;
    }
  }
  return has_target;
}

void AddChartPoint(Period period, double value, double centre, double lower,
                   double upper, spc::PointType type, int group,
                   v1::SpcState* state) {
  v1::SpcChartPoint* p = state->add_chart_points();
  p->set_period(FormatPeriod(period));
  p->set_value(value);
  p->set_centre(centre);
  p->set_lower(lower);
  p->set_upper(upper);
  p->set_point_type(spc::PointTypeName(type));
  p->set_group(group);
}

}  // namespace internal
}  // namespace vigil
