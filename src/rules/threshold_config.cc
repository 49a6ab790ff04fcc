// Validation of vigil.v1.ThresholdRule into a ThresholdConfig.
#include "src/rules/threshold_config.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"

namespace vigil {
namespace internal {
namespace {

absl::Status CheckWindow(const v1::ThresholdRule& t,
                         const RuleCompileContext& context) {
  constexpr int kMax = ThresholdConfig::kMaxPeriods;
  const bool windowed =
      t.statistic() == v1::STATISTIC_MEAN || t.statistic() == v1::STATISTIC_SUM;
  if (windowed && (t.window_periods() < 1 || t.window_periods() > kMax)) {
    return context.Error("window_periods",
                         absl::StrCat("must be 1..", kMax, " for statistic ",
                                      v1::Statistic_Name(t.statistic()),
                                      ", got ", t.window_periods()));
  }
  if (!windowed && t.window_periods() > 1) {
    return context.Error("window_periods",
                         absl::StrCat("must be 0 for statistic ",
                                      v1::Statistic_Name(t.statistic()),
                                      ", got ", t.window_periods()));
  }
  if (t.red_after_periods() < 0 || t.red_after_periods() > kMax) {
    return context.Error("red_after_periods",
                         absl::StrCat("must be 0..", kMax));
  }
  if (t.max_staleness_periods() < 0) {
    return context.Error("max_staleness_periods", "must be >= 0");
  }
  return absl::OkStatus();
}

absl::Status CheckBands(const v1::ThresholdRule& t,
                        const RuleCompileContext& context) {
  if (t.has_standard() && !std::isfinite(t.standard())) {
    return context.Error("standard", "is not a finite number");
  }
  switch (t.amber_band_case()) {
    case v1::ThresholdRule::kAmberTolerance:
      if (!std::isfinite(t.amber_tolerance()) || t.amber_tolerance() < 0) {
        return context.Error("amber_tolerance", "must be a finite number >= 0");
      }
      break;
    case v1::ThresholdRule::kAmberToleranceRelative:
      if (!std::isfinite(t.amber_tolerance_relative()) ||
          t.amber_tolerance_relative() < 0) {
        return context.Error("amber_tolerance_relative",
                             "must be a finite number >= 0");
      }
      break;
    case v1::ThresholdRule::kRedThreshold:
      if (!std::isfinite(t.red_threshold())) {
        return context.Error("red_threshold", "is not a finite number");
      }
      break;
    case v1::ThresholdRule::AMBER_BAND_NOT_SET:
      break;
  }
  if (t.zero_tolerance() &&
      (t.has_standard() ||
       t.amber_band_case() != v1::ThresholdRule::AMBER_BAND_NOT_SET)) {
    return context.Error("zero_tolerance",
                         "excludes standard and amber bands (any event is "
                         "red)");
  }
  return absl::OkStatus();
}

absl::Status CheckPolarity(const v1::ThresholdRule& t,
                           const RuleCompileContext& context) {
  if (absl::Status s = CheckPolarityOverride(t.polarity(), context); !s.ok()) {
    return s;
  }
  if (t.polarity() != v1::POLARITY_UNSPECIFIED && t.has_standard() &&
      t.amber_band_case() == v1::ThresholdRule::kRedThreshold) {
    const bool higher = t.polarity() == v1::POLARITY_HIGHER_IS_BETTER;
    if (higher ? t.red_threshold() > t.standard()
               : t.red_threshold() < t.standard()) {
      return context.Error(
          "red_threshold",
          absl::StrCat("bands in the wrong order: ", t.red_threshold(), " is ",
                       higher ? "above" : "below", " the standard ",
                       t.standard(), " for a ", higher ? "higher" : "lower",
                       "-is-better rule"));
    }
  }
  return absl::OkStatus();
}

// A rule with bands but no standard needs the pack's standard. (One with
// neither may serve zero-tolerance indicators, known only with the data.)
absl::Status CheckStandardExists(const v1::Rule& rule,
                                 const RuleCompileContext& context) {
  const v1::ThresholdRule& t = rule.threshold();
  if (t.has_standard() || t.zero_tolerance() ||
      t.amber_band_case() == v1::ThresholdRule::AMBER_BAND_NOT_SET) {
    return absl::OkStatus();
  }
  for (const std::string& id : rule.selector().indicator_ids()) {
    if (!context.standards->Has(id)) {
      return context.Error(
          "standard",
          absl::StrCat("is unset and the pack has no standard for indicator '",
                       id, "'"));
    }
  }
  return absl::OkStatus();
}

ThresholdStatistic StatisticOf(v1::Statistic s) {
  switch (s) {
    case v1::STATISTIC_MEAN:
      return ThresholdStatistic::kMean;
    case v1::STATISTIC_SUM:
      return ThresholdStatistic::kSum;
    case v1::STATISTIC_YEAR_TO_DATE:
      return ThresholdStatistic::kYearToDate;
    default:
      return ThresholdStatistic::kLatest;
  }
}

}  // namespace

absl::StatusOr<ThresholdConfig> CompileThresholdConfig(
    const RuleCompileContext& context) {
  const v1::Rule& rule = context.rule();
  const v1::ThresholdRule& t = rule.threshold();
  if (!v1::Statistic_IsValid(t.statistic())) {
    return context.Error("statistic", "is not a known statistic");
  }
  for (absl::Status s :
       {CheckWindow(t, context), CheckBands(t, context),
        CheckPolarity(t, context), CheckStandardExists(rule, context)}) {
    if (!s.ok()) return s;
  }
  ThresholdConfig c;
  if (t.has_standard()) c.standard = t.standard();
  switch (t.amber_band_case()) {
    case v1::ThresholdRule::kAmberTolerance:
      c.amber_band = AmberBand::kTolerance;
      c.amber = t.amber_tolerance();
      break;
    case v1::ThresholdRule::kAmberToleranceRelative:
      c.amber_band = AmberBand::kRelativeTolerance;
      c.amber = t.amber_tolerance_relative();
      break;
    case v1::ThresholdRule::kRedThreshold:
      c.amber_band = AmberBand::kRedThreshold;
      c.amber = t.red_threshold();
      break;
    case v1::ThresholdRule::AMBER_BAND_NOT_SET:
      break;
  }
  c.statistic = StatisticOf(t.statistic());
  c.window_periods = t.window_periods();
  c.red_after_periods = std::max(c.red_after_periods, t.red_after_periods());
  c.max_staleness_periods = t.max_staleness_periods();
  c.zero_tolerance = t.zero_tolerance();
  if (t.polarity() != v1::POLARITY_UNSPECIFIED) {
    c.polarity = OrientationOf(t.polarity());
  }
  return c;
}

}  // namespace internal
}  // namespace vigil
