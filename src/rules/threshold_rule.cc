// Threshold (RAG) rules: bands against a standard, a statistic over a
// window, zero tolerance and persistence.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/report/format.h"
#include "src/rules/rule_support.h"
#include "vigil/threshold.h"

namespace vigil {
namespace internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMaxPeriods = 10000;

class ThresholdEvaluator : public RuleEvaluator {
 public:
  explicit ThresholdEvaluator(const v1::ThresholdRule& config)
      : config_(config) {}

  void Assess(const AssessContext& context, v1::Assessment* out) const override;

 private:
  // The statistic at position k, or NaN; `why` says why it is NaN.
  double StatisticAt(const SeriesView& series, int k,
                     const v1::Indicator& indicator, std::string* why) const;
  std::string DescribeStatistic(const SeriesView& series, int k,
                                const AssessContext& context,
                                double value) const;
  // Resolves the bands; on failure sets `out` (NOT_APPLICABLE) and returns
  // false.
  bool ResolveBands(const AssessContext& context, Period at, bool zero,
                    Orientation orientation, Bands* bands, bool* has_amber,
                    v1::Assessment* out) const;

  v1::ThresholdRule config_;
};

bool ThresholdEvaluator::ResolveBands(const AssessContext& context, Period at,
                                      bool zero, Orientation orientation,
                                      Bands* bands, bool* has_amber,
                                      v1::Assessment* out) const {
  bands->direction = ToDirection(orientation);
  if (zero) {
    bands->standard = 0;
    bands->red_boundary = 0;
    *has_amber = false;
    return true;
  }
  double standard = config_.standard();
  if (!config_.has_standard()) {
    const v1::Standard* s =
        context.standards->Find(context.indicator->id(), at);
    if (s == nullptr) {
      out->set_rating(v1::RATING_NOT_APPLICABLE);
      SetReason(context, out,
                absl::StrCat("the rule sets no standard and the pack has none "
                             "for this indicator in force in ",
                             DescribePeriod(at)));
      return false;
    }
    standard = s->value();
  }
  const double d = static_cast<double>(bands->direction);
  double red = standard;
  switch (config_.amber_band_case()) {
    case v1::ThresholdRule::kAmberTolerance:
      red = standard - d * config_.amber_tolerance();
      break;
    case v1::ThresholdRule::kAmberToleranceRelative:
      red = standard -
            d * config_.amber_tolerance_relative() * std::fabs(standard);
      break;
    case v1::ThresholdRule::kRedThreshold:
      red = config_.red_threshold();
      if (d * red > d * standard) {
        out->set_rating(v1::RATING_NOT_APPLICABLE);
        SetReason(context, out,
                  absl::StrCat("bands in the wrong order: red_threshold ",
                               FormatValue(red, *context.indicator), " is ",
                               d > 0 ? "above" : "below", " the standard ",
                               FormatValue(standard, *context.indicator),
                               " but the indicator is ",
                               d > 0 ? "higher" : "lower", "-is-better"));
        return false;
      }
      break;
    case v1::ThresholdRule::AMBER_BAND_NOT_SET:
      break;
  }
  bands->standard = standard;
  bands->red_boundary = red;
  *has_amber =
      config_.amber_band_case() != v1::ThresholdRule::AMBER_BAND_NOT_SET;
  return true;
}

double ThresholdEvaluator::StatisticAt(const SeriesView& series, int k,
                                       const v1::Indicator& indicator,
                                       std::string* why) const {
  const Period at = PeriodAt(series, k);
  int begin = k;
  bool need_complete = false;
  switch (config_.statistic()) {
    case v1::STATISTIC_MEAN:
      begin = k - config_.window_periods() + 1;
      break;
    case v1::STATISTIC_SUM:
      begin = k - config_.window_periods() + 1;
      need_complete = true;
      break;
    case v1::STATISTIC_YEAR_TO_DATE:
      begin = k - (at.index - FinancialYearStart(at).index);
      need_complete = !series.has_denominators;
      break;
    default:
      if (series.status[k] != PointStatus::kObserved) {
        *why = DescribeGap(series, at);
        return kNaN;
      }
      return series.values[k];
  }
  const int window = k - begin + 1;
  const int first = std::max(begin, 0);
  const auto span = [&](absl::Span<const double> s) {
    return s.subspan(first, k - first + 1);
  };
  int present = 0;
  for (int i = first; i <= k; ++i) {
    present += series.status[i] == PointStatus::kObserved ? 1 : 0;
  }
  if (present == 0 || (need_complete && present < window)) {
    *why = absl::StrCat(present == 0 ? "no value" : "values missing",
                        " in the ", PeriodCount(window, at.frequency), " to ",
                        DescribePeriod(at),
                        need_complete ? " (a total needs every period)" : "");
    return kNaN;
  }
  if (series.has_denominators && config_.statistic() != v1::STATISTIC_SUM) {
    return PooledRatio(span(series.numerators), span(series.denominators),
                       indicator.rate_multiplier());
  }
  if (config_.statistic() == v1::STATISTIC_MEAN) {
    return MeanPresent(span(series.values));
  }
  return SumPresent(span(series.values), nullptr);
}

std::string ThresholdEvaluator::DescribeStatistic(const SeriesView& series,
                                                  int k,
                                                  const AssessContext& context,
                                                  double value) const {
  const Period at = PeriodAt(series, k);
  const std::string v = FormatValue(value, *context.indicator);
  switch (config_.statistic()) {
    case v1::STATISTIC_MEAN:
      return absl::StrCat(v, " on average over the ",
                          PeriodCount(config_.window_periods(), at.frequency),
                          " to ", DescribePeriod(at));
    case v1::STATISTIC_SUM:
      return absl::StrCat(v, " in total over the ",
                          PeriodCount(config_.window_periods(), at.frequency),
                          " to ", DescribePeriod(at));
    case v1::STATISTIC_YEAR_TO_DATE:
      return absl::StrCat(v, " year to date (",
                          DescribePeriod(FinancialYearStart(at)), " to ",
                          DescribePeriod(at), ")");
    default:
      return absl::StrCat(v, " in ", DescribePeriod(at));
  }
}

void ThresholdEvaluator::Assess(const AssessContext& context,
                                v1::Assessment* out) const {
  const v1::Indicator& indicator = *context.indicator;
  const bool zero = config_.zero_tolerance() ||
                    indicator.polarity() == v1::POLARITY_ZERO_TOLERANCE;
  const Orientation orientation =
      zero ? Orientation::kLowerIsBetter
           : OrientationOf(config_.polarity() != v1::POLARITY_UNSPECIFIED
                               ? config_.polarity()
                               : indicator.polarity());
  if (orientation == Orientation::kNeutral ||
      orientation == Orientation::kUnknown) {
    out->set_rating(v1::RATING_NOT_APPLICABLE);
    SetReason(context, out,
              "a threshold needs a direction, and the indicator's polarity is "
              "neutral or unset (set the rule's polarity to override)");
    return;
  }
  const SeriesView& series = *context.series;
  const int k = FindJudgedPoint(context, config_.max_staleness_periods(), out);
  if (k < 0) return;
  const Period at = PeriodAt(series, k);
  out->set_data_period(FormatPeriod(at));
  Bands bands;
  bool has_amber = false;
  if (!ResolveBands(context, at, zero, orientation, &bands, &has_amber, out)) {
    return;
  }
  std::string why;
  const double value = StatisticAt(series, k, indicator, &why);
  if (std::isnan(value)) {
    out->set_rating(v1::RATING_NO_DATA);
    SetReason(context, out, why);
    return;
  }
  out->set_value(value);
  out->set_standard(bands.standard);
  if (has_amber) out->set_red_threshold(bands.red_boundary);
  AddEvidence(out, "statistic", at, value);
  Band band = ClassifyValue(value, bands);
  int run = 0;
  const int needed = std::max(1, config_.red_after_periods());
  if (band == Band::kRed) {
    run = 1;
    // The whole run, so the reason can say how long it has lasted; evidence
    // for the periods persistence needs.
    for (int j = k - 1; j >= 0; --j) {
      std::string ignored;
      const double earlier = StatisticAt(series, j, indicator, &ignored);
      if (ClassifyValue(earlier, bands) != Band::kRed) break;
      if (run < needed) {
        AddEvidence(out, "earlier red statistic", PeriodAt(series, j), earlier);
      }
      ++run;
    }
    out->set_consecutive_periods(run);
  }
  std::string text = DescribeStatistic(series, k, context, value);
  const std::string s = FormatValue(bands.standard, indicator);
  const bool higher = bands.direction == Direction::kHigherIsBetter;
  if (zero) {
    absl::StrAppend(&text, " (zero tolerance: any event is red)");
  } else {
    absl::StrAppend(&text, " against the ", s, " standard");
    if (has_amber) {
      absl::StrAppend(&text, " (red ", higher ? "below " : "above ",
                      FormatValue(bands.red_boundary, indicator), ")");
    }
  }
  if (band == Band::kRed && run < needed) {
    band = Band::kAmber;
    absl::StrAppend(&text, "; in the red band for ",
                    PeriodCount(run, at.frequency), " of the ", needed,
                    " in a row needed for red");
  } else if (band == Band::kRed && run > 1) {
    absl::StrAppend(&text, "; red for ", PeriodCount(run, at.frequency),
                    " in a row");
  }
  out->set_rating(band == Band::kGreen   ? v1::RATING_GREEN
                  : band == Band::kAmber ? v1::RATING_AMBER
                                         : v1::RATING_RED);
  SetReason(context, out, text);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeThresholdEvaluator(
    const v1::Rule& rule, int index, const StandardTable& standards) {
  const v1::ThresholdRule& t = rule.threshold();
  auto error = [&](absl::string_view field, absl::string_view problem) {
    return RuleError(rule, index, absl::StrCat("threshold.", field), problem);
  };
  if (!v1::Statistic_IsValid(t.statistic())) {
    return error("statistic", "is not a known statistic");
  }
  const bool windowed =
      t.statistic() == v1::STATISTIC_MEAN || t.statistic() == v1::STATISTIC_SUM;
  if (windowed &&
      (t.window_periods() < 1 || t.window_periods() > kMaxPeriods)) {
    return error("window_periods",
                 absl::StrCat("must be 1..", kMaxPeriods, " for statistic ",
                              v1::Statistic_Name(t.statistic()), ", got ",
                              t.window_periods()));
  }
  if (!windowed && t.window_periods() > 1) {
    return error("window_periods",
                 absl::StrCat("must be 0 for statistic ",
                              v1::Statistic_Name(t.statistic()), ", got ",
                              t.window_periods()));
  }
  if (t.red_after_periods() < 0 || t.red_after_periods() > kMaxPeriods) {
    return error("red_after_periods", absl::StrCat("must be 0..", kMaxPeriods));
  }
  if (t.max_staleness_periods() < 0) {
    return error("max_staleness_periods", "must be >= 0");
  }
  if (t.has_standard() && !std::isfinite(t.standard())) {
    return error("standard", "is not a finite number");
  }
  switch (t.amber_band_case()) {
    case v1::ThresholdRule::kAmberTolerance:
      if (!std::isfinite(t.amber_tolerance()) || t.amber_tolerance() < 0) {
        return error("amber_tolerance", "must be a finite number >= 0");
      }
      break;
    case v1::ThresholdRule::kAmberToleranceRelative:
      if (!std::isfinite(t.amber_tolerance_relative()) ||
          t.amber_tolerance_relative() < 0) {
        return error("amber_tolerance_relative",
                     "must be a finite number >= 0");
      }
      break;
    case v1::ThresholdRule::kRedThreshold:
      if (!std::isfinite(t.red_threshold())) {
        return error("red_threshold", "is not a finite number");
      }
      break;
    case v1::ThresholdRule::AMBER_BAND_NOT_SET:
      break;
  }
  if (t.zero_tolerance() &&
      (t.has_standard() ||
       t.amber_band_case() != v1::ThresholdRule::AMBER_BAND_NOT_SET)) {
    return error("zero_tolerance",
                 "excludes standard and amber bands (any event is red)");
  }
  if (t.polarity() != v1::POLARITY_UNSPECIFIED &&
      t.polarity() != v1::POLARITY_HIGHER_IS_BETTER &&
      t.polarity() != v1::POLARITY_LOWER_IS_BETTER) {
    return error("polarity",
                 "may only override with HIGHER_IS_BETTER or LOWER_IS_BETTER");
  }
  if (t.polarity() != v1::POLARITY_UNSPECIFIED && t.has_standard() &&
      t.amber_band_case() == v1::ThresholdRule::kRedThreshold) {
    const bool higher = t.polarity() == v1::POLARITY_HIGHER_IS_BETTER;
    if (higher ? t.red_threshold() > t.standard()
               : t.red_threshold() < t.standard()) {
      return error(
          "red_threshold",
          absl::StrCat("bands in the wrong order: ", t.red_threshold(), " is ",
                       higher ? "above" : "below", " the standard ",
                       t.standard(), " for a ", higher ? "higher" : "lower",
                       "-is-better rule"));
    }
  }
  // A rule with bands but no standard needs the pack's standard. (One with
  // neither may serve zero-tolerance indicators, known only with the data.)
  if (!t.has_standard() && !t.zero_tolerance() &&
      t.amber_band_case() != v1::ThresholdRule::AMBER_BAND_NOT_SET) {
    for (const std::string& id : rule.selector().indicator_ids()) {
      if (!standards.Has(id)) {
        return error("standard",
                     absl::StrCat("is unset and the pack has no standard for "
                                  "indicator '",
                                  id, "'"));
      }
    }
  }
  return std::unique_ptr<RuleEvaluator>(new ThresholdEvaluator(t));
}

}  // namespace internal
}  // namespace vigil
