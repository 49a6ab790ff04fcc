// Threshold (RAG) rules: bands against a standard, a statistic over a
// window, zero tolerance and persistence.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "src/rules/threshold_config.h"
#include "src/rules/threshold_window.h"
#include "vigil/threshold.h"

namespace vigil {
namespace internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The bands a value is judged against, once resolved for a period.
struct ResolvedBands {
  Bands bands;
  bool has_amber = false;
};

class ThresholdEvaluator : public SeriesRuleEvaluator {
 public:
  explicit ThresholdEvaluator(const ThresholdConfig& config)
      : config_(config) {}

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  // The statistic at position k, or NaN; `why` says why it is NaN.
  double StatisticAt(const SeriesView& series, int k,
                     const v1::Indicator& indicator, std::string* why) const;
  std::string DescribeStatistic(const SeriesView& series, int k,
                                const v1::Indicator& indicator,
                                double value) const;
  // Resolves the bands; on failure rates `out` NOT_APPLICABLE and returns
  // false.
  bool ResolveBands(const SeriesContext& context, Period at, bool zero,
                    Orientation orientation, ResolvedBands* resolved,
                    v1::Assessment* out) const;
  // Periods in a row in the red band up to k (k itself is red), with
  // evidence for the ones persistence needs. With a null `out`, counts no
  // further than red_after_periods.
  int RedRun(const SeriesView& series, int k, const v1::Indicator& indicator,
             const Bands& bands, v1::Assessment* out) const;
  std::string DescribeBands(const ResolvedBands& resolved, bool zero,
                            const v1::Indicator& indicator) const;

  const ThresholdConfig config_;
};

bool ThresholdEvaluator::ResolveBands(const SeriesContext& context, Period at,
                                      bool zero, Orientation orientation,
                                      ResolvedBands* resolved,
                                      v1::Assessment* out) const {
  Bands& bands = resolved->bands;
  bands.direction = ToDirection(orientation);
  if (zero) {
    bands.standard = 0;
    bands.red_boundary = 0;
    resolved->has_amber = false;
    return true;
  }
  double standard = 0;
  if (config_.standard.has_value()) {
    standard = *config_.standard;
  } else {
    const StandardValue* s =
        context.standards->Find(context.indicator->id(), at);
    if (s == nullptr) {
      Rate(context, v1::RATING_NOT_APPLICABLE,
           absl::StrCat("the rule sets no standard and the pack has none for "
                        "this indicator in force in ",
                        DescribePeriod(at)),
           out);
      return false;
    }
    standard = s->value;
  }
  const double d = static_cast<double>(bands.direction);
  double red = standard;
  switch (config_.amber_band) {
    case AmberBand::kTolerance:
      red = standard - d * config_.amber;
      break;
    case AmberBand::kRelativeTolerance:
      red = standard - d * config_.amber * std::fabs(standard);
      break;
    case AmberBand::kRedThreshold:
      red = config_.amber;
      if (d * red > d * standard) {
        const v1::Indicator& ind = *context.indicator;
        Rate(context, v1::RATING_NOT_APPLICABLE,
             absl::StrCat("bands in the wrong order: red_threshold ",
                          FormatValue(red, ind), " is ",
                          d > 0 ? "above" : "below", " the standard ",
                          FormatValue(standard, ind), " but the indicator is ",
                          d > 0 ? "higher" : "lower", "-is-better"),
             out);
        return false;
      }
      break;
    case AmberBand::kNone:
      break;
  }
  bands.standard = standard;
  bands.red_boundary = red;
  resolved->has_amber = config_.amber_band != AmberBand::kNone;
  return true;
}

double ThresholdEvaluator::StatisticAt(const SeriesView& series, int k,
                                       const v1::Indicator& indicator,
                                       std::string* why) const {
  const Period at = PeriodAt(series, k);
  int begin = k;
  bool need_complete = false;
  switch (config_.statistic) {
    case ThresholdStatistic::kMean:
      begin = k - config_.window_periods + 1;
      break;
    case ThresholdStatistic::kSum:
      begin = k - config_.window_periods + 1;
      need_complete = true;
      break;
    case ThresholdStatistic::kYearToDate:
      begin = k - (at.index - FinancialYearStart(at).index);
      need_complete = !series.has_denominators;
      break;
    case ThresholdStatistic::kLatest:
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
  if (series.has_denominators &&
      config_.statistic != ThresholdStatistic::kSum) {
    return PooledRatio(span(series.numerators), span(series.denominators),
                       indicator.rate_multiplier());
  }
  if (config_.statistic == ThresholdStatistic::kMean) {
    return MeanPresent(span(series.values));
  }
  return SumPresent(span(series.values), nullptr);
}

std::string ThresholdEvaluator::DescribeStatistic(
    const SeriesView& series, int k, const v1::Indicator& indicator,
    double value) const {
  const Period at = PeriodAt(series, k);
  const std::string v = FormatValue(value, indicator);
  switch (config_.statistic) {
    case ThresholdStatistic::kMean:
      return absl::StrCat(v, " on average over the ",
                          PeriodCount(config_.window_periods, at.frequency),
                          " to ", DescribePeriod(at));
    case ThresholdStatistic::kSum:
      return absl::StrCat(v, " in total over the ",
                          PeriodCount(config_.window_periods, at.frequency),
                          " to ", DescribePeriod(at));
    case ThresholdStatistic::kYearToDate:
      return absl::StrCat(v, " year to date (",
                          DescribePeriod(FinancialYearStart(at)), " to ",
                          DescribePeriod(at), ")");
    case ThresholdStatistic::kLatest:
      break;
  }
  return absl::StrCat(v, " in ", DescribePeriod(at));
}

namespace {

// Whether `value` is within rounding of a boundary of `bands`, where a sum
// added in another order might fall on the other side.
bool NearBoundary(double value, const Bands& bands) {
  for (const double boundary : {bands.standard, bands.red_boundary}) {
    const double scale = std::max({std::fabs(value), std::fabs(boundary),
                                   std::numeric_limits<double>::min()});
    if (std::fabs(value - boundary) <= 1e-9 * scale) return true;
  }
  return false;
}

}  // namespace

int ThresholdEvaluator::RedRun(const SeriesView& series, int k,
                               const v1::Indicator& indicator,
                               const Bands& bands, v1::Assessment* out) const {
  // A windowed statistic at each earlier period costs O(1) amortised
  // (WindowWalk), not O(window): a run of n periods is O(n + window).
  const bool windowed = config_.statistic != ThresholdStatistic::kLatest;
  WindowWalk walk(config_, series, indicator.rate_multiplier(), k);
  int run = 1;
  for (int j = k - 1; j >= 0; --j) {
    std::string ignored;
    double earlier = windowed ? walk.At(j) : kNaN;
    if (!windowed || NearBoundary(earlier, bands)) {
      // Exactly as the judged period's statistic is computed.
      earlier = StatisticAt(series, j, indicator, &ignored);
    }
    if (ClassifyValue(earlier, bands) != Band::kRed) break;
    if (out != nullptr && run < config_.red_after_periods) {
      AddEvidence(out, "earlier red statistic", PeriodAt(series, j), earlier);
    } else if (out == nullptr && run >= config_.red_after_periods) {
      break;  // Only whether the run is long enough is read.
    }
    ++run;
  }
  return run;
}

std::string ThresholdEvaluator::DescribeBands(
    const ResolvedBands& resolved, bool zero,
    const v1::Indicator& indicator) const {
  if (zero) return " (zero tolerance: any event is red)";
  const bool higher = resolved.bands.direction == Direction::kHigherIsBetter;
  std::string text = absl::StrCat(
      " against the ", FormatValue(resolved.bands.standard, indicator),
      " standard");
  if (resolved.has_amber) {
    absl::StrAppend(&text, " (red ", higher ? "below " : "above ",
                    FormatValue(resolved.bands.red_boundary, indicator), ")");
  }
  return text;
}

void ThresholdEvaluator::Assess(const SeriesContext& context,
                                v1::Assessment* out) const {
  const v1::Indicator& indicator = *context.indicator;
  const bool zero = config_.zero_tolerance ||
                    indicator.polarity() == v1::POLARITY_ZERO_TOLERANCE;
  const Orientation orientation = zero ? Orientation::kLowerIsBetter
                                  : config_.polarity != Orientation::kUnknown
                                      ? config_.polarity
                                      : OrientationOf(indicator.polarity());
  if (orientation == Orientation::kNeutral ||
      orientation == Orientation::kUnknown) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "a threshold needs a direction, and the indicator's polarity is "
         "neutral or unset (set the rule's polarity to override)",
         out);
    return;
  }
  const SeriesView& series = *context.series;
  const int k = FindJudgedPoint(context, config_.max_staleness_periods, out);
  if (k < 0) return;
  const Period at = PeriodAt(series, k);
  const bool explain = context.explain;
  if (explain) out->set_data_period(FormatPeriod(at));
  ResolvedBands resolved;
  if (!ResolveBands(context, at, zero, orientation, &resolved, out)) return;
  std::string why;
  const double value = StatisticAt(series, k, indicator, &why);
  if (std::isnan(value)) {
    Rate(context, v1::RATING_NO_DATA, why, out);
    return;
  }
  if (explain) {
    out->set_value(value);
    out->set_standard(resolved.bands.standard);
    if (resolved.has_amber) {
      out->set_red_threshold(resolved.bands.red_boundary);
    }
    AddEvidence(out, "statistic", at, value);
  }
  Band band = ClassifyValue(value, resolved.bands);
  int run = 0;
  if (band == Band::kRed) {
    // Without explaining, only whether the run is long enough matters.
    run = explain || config_.red_after_periods > 1
              ? RedRun(series, k, indicator, resolved.bands,
                       explain ? out : nullptr)
              : 1;
    if (explain) out->set_consecutive_periods(run);
  }
  const int needed = config_.red_after_periods;
  const bool too_short = band == Band::kRed && run < needed;
  if (too_short) band = Band::kAmber;
  const v1::Rating rating = band == Band::kGreen   ? v1::RATING_GREEN
                            : band == Band::kAmber ? v1::RATING_AMBER
                                                   : v1::RATING_RED;
  if (!explain) {
    out->set_rating(rating);
    return;
  }
  std::string text = DescribeStatistic(series, k, indicator, value) +
                     DescribeBands(resolved, zero, indicator);
  if (rating == v1::RATING_RED) out->set_signal(text);
  if (too_short) {
    absl::StrAppend(&text, "; in the red band for ",
                    PeriodCount(run, at.frequency), " of the ", needed,
                    " in a row needed for red");
  } else if (band == Band::kRed && run > 1) {
    absl::StrAppend(&text, "; red for ", PeriodCount(run, at.frequency),
                    " in a row");
  }
  Rate(context, rating, text, out);
}

}  // namespace

CompiledEvaluator CompileThresholdRule(const RuleCompileContext& context) {
  absl::StatusOr<ThresholdConfig> config = CompileThresholdConfig(context);
  if (!config.ok()) return config.status();
  return std::make_unique<ThresholdEvaluator>(*config);
}

}  // namespace internal
}  // namespace vigil
