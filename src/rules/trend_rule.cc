// Trend rules: runs of deterioration and direction of travel.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "vigil/trend.h"

namespace vigil {
namespace internal {
namespace {

enum class TrendComparison { kConsecutiveDeterioration, kPrevious, kLastYear };

// The native config of a trend rule (vigil.v1.TrendRule), defaults beside
// their fields.
struct TrendConfig {
  TrendComparison comparison = TrendComparison::kConsecutiveDeterioration;
  double minimum_change = 0;
  int red_after_periods = 3;                   // Pack value 0 means this.
  int amber_after_periods = 0;                 // 0 = no amber.
  v1::Rating worse_rating = v1::RATING_AMBER;  // Pack value unset means this.
  int max_staleness_periods = 0;
  // The rule's own direction; kUnknown = the indicator's.
  Orientation polarity = Orientation::kUnknown;

  static constexpr int kMaxRun = 1000;
};

class TrendEvaluator : public SeriesRuleEvaluator {
 public:
  explicit TrendEvaluator(const TrendConfig& config) : config_(config) {}

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  void AssessRun(const SeriesContext& context, int k, Orientation orientation,
                 v1::Assessment* out) const;
  void AssessTravel(const SeriesContext& context, int k,
                    Orientation orientation, v1::Assessment* out) const;

  const TrendConfig config_;
};

void TrendEvaluator::Assess(const SeriesContext& context,
                            v1::Assessment* out) const {
  const Orientation orientation =
      config_.polarity != Orientation::kUnknown
          ? config_.polarity
          : OrientationOf(context.indicator->polarity());
  if (orientation == Orientation::kUnknown) {
    out->set_rating(v1::RATING_NOT_APPLICABLE);
    SetReason(context, out,
              "a trend needs a direction, and the indicator's polarity is "
              "unset");
    return;
  }
  const int k = FindJudgedPoint(context, config_.max_staleness_periods, out);
  if (k < 0) return;
  if (context.explain) {
    out->set_data_period(FormatPeriod(PeriodAt(*context.series, k)));
    out->set_value(context.series->values[k]);
  }
  if (config_.comparison == TrendComparison::kConsecutiveDeterioration) {
    AssessRun(context, k, orientation, out);
  } else {
    AssessTravel(context, k, orientation, out);
  }
}

void TrendEvaluator::AssessRun(const SeriesContext& context, int k,
                               Orientation orientation,
                               v1::Assessment* out) const {
  const SeriesView& series = *context.series;
  const Period at = PeriodAt(series, k);
  if (orientation == Orientation::kNeutral) {
    out->set_rating(v1::RATING_NOT_APPLICABLE);
    if (!context.explain) return;
    SetReason(context, out,
              absl::StrCat("neutral indicator: no direction is a "
                           "deterioration (",
                           FormatValue(series.values[k], *context.indicator),
                           " in ", DescribePeriod(at), ")"));
    return;
  }
  const int red_after = config_.red_after_periods;
  int chain = 0;
  const int run = TrailingDeteriorations(series.values.subspan(0, k + 1),
                                         ToDirection(orientation),
                                         config_.minimum_change, &chain);
  const bool explain = context.explain;
  if (explain) out->set_consecutive_periods(run);
  const int first = k - run;
  std::vector<std::string> path;
  for (int j = first; explain && j <= k; ++j) {
    AddEvidence(out, "value", PeriodAt(series, j), series.values[j]);
    path.push_back(FormatValue(series.values[j], *context.indicator));
  }
  const std::string needed =
      explain ? absl::StrCat("red after ", PeriodCount(red_after, at.frequency))
              : std::string();
  if (run < red_after && run == chain - 1) {
    out->set_rating(v1::RATING_NO_DATA);
    if (!explain) return;
    SetReason(context, out,
              absl::StrCat("only ", PeriodCount(chain, at.frequency),
                           " of unbroken data to ", DescribePeriod(at),
                           ", too few to judge a run of deterioration (",
                           needed, ")"));
    return;
  }
  v1::Rating rating = v1::RATING_GREEN;
  if (run >= red_after) {
    rating = v1::RATING_RED;
  } else if (config_.amber_after_periods > 0 &&
             run >= config_.amber_after_periods) {
    rating = v1::RATING_AMBER;
  }
  out->set_rating(rating);
  if (!explain) return;
  if (run == 0) {
    SetReason(context, out,
              absl::StrCat("no deterioration in ", DescribePeriod(at), " (",
                           FormatValue(series.values[k], *context.indicator),
                           "; ", needed, ")"));
    return;
  }
  if (rating == v1::RATING_RED) {
    out->set_signal(absl::StrCat("worse for ", PeriodCount(run, at.frequency),
                                 " in a row to ", DescribePeriod(at)));
  }
  SetReason(context, out,
            absl::StrCat("worse for ", PeriodCount(run, at.frequency),
                         " in a row to ", DescribePeriod(at), ": ",
                         absl::StrJoin(path, " -> "), " (", needed, ")"));
}

void TrendEvaluator::AssessTravel(const SeriesContext& context, int k,
                                  Orientation orientation,
                                  v1::Assessment* out) const {
  const SeriesView& series = *context.series;
  const v1::Indicator& indicator = *context.indicator;
  const Period at = PeriodAt(series, k);
  const bool last_year = config_.comparison == TrendComparison::kLastYear;
  const Period before =
      last_year ? SamePeriodLastYear(at) : Period{at.frequency, at.index - 1};
  const int j = series.IndexOf(before);
  if (j < 0 || series.status[j] != PointStatus::kObserved) {
    out->set_rating(v1::RATING_NO_DATA);
    if (!context.explain) return;
    SetReason(context, out,
              absl::StrCat(FormatValue(series.values[k], indicator), " in ",
                           DescribePeriod(at), " but ",
                           DescribeGap(series, before), " to compare with"));
    return;
  }
  const double now = series.values[k];
  const double then = series.values[j];
  const double delta = now - then;
  const bool moved = std::fabs(delta) >= config_.minimum_change && delta != 0;
  if (!context.explain) {
    if (orientation == Orientation::kNeutral) {
      out->set_rating(v1::RATING_NOT_APPLICABLE);
      return;
    }
    const Change change = CompareValues(then, now, ToDirection(orientation),
                                        config_.minimum_change);
    out->set_rating(change == Change::kWorse ? config_.worse_rating
                                             : v1::RATING_GREEN);
    return;
  }
  AddEvidence(out, "value", at, now);
  AddEvidence(out, "compared with", before, then);
  AddEvidence(out, "change", now - then);
  std::string text = absl::StrCat(
      FormatValue(now, indicator), " in ", DescribePeriod(at), ", ",
      moved ? (delta > 0 ? "up " : "down ") : "",
      moved ? absl::StrCat(FormatDifference(std::fabs(delta), indicator),
                           " from ")
            : "about the same as ",
      FormatValue(then, indicator), " in ", DescribePeriod(before));
  if (orientation == Orientation::kNeutral) {
    out->set_travel(!moved      ? v1::TRAVEL_NO_CHANGE
                    : delta > 0 ? v1::TRAVEL_UP
                                : v1::TRAVEL_DOWN);
    out->set_rating(v1::RATING_NOT_APPLICABLE);
    SetReason(context, out, absl::StrCat(text, " (neutral indicator)"));
    return;
  }
  const Change change = CompareValues(then, now, ToDirection(orientation),
                                      config_.minimum_change);
  switch (change) {
    case Change::kWorse:
      out->set_travel(v1::TRAVEL_WORSENING);
      out->set_rating(config_.worse_rating);
      if (config_.worse_rating == v1::RATING_RED) out->set_signal(text);
      absl::StrAppend(&text, " (worse)");
      break;
    case Change::kBetter:
      out->set_travel(v1::TRAVEL_IMPROVING);
      out->set_rating(v1::RATING_GREEN);
      absl::StrAppend(&text, " (better)");
      break;
    case Change::kNoChange:
      out->set_travel(v1::TRAVEL_NO_CHANGE);
      out->set_rating(v1::RATING_GREEN);
      break;
  }
  SetReason(context, out, text);
}

}  // namespace

CompiledEvaluator CompileTrendRule(const RuleCompileContext& context) {
  const v1::TrendRule& t = context.rule().trend();
  TrendConfig c;
  switch (t.comparison()) {
    case v1::TREND_COMPARISON_CONSECUTIVE_DETERIORATION:
      c.comparison = TrendComparison::kConsecutiveDeterioration;
      break;
    case v1::TREND_COMPARISON_PREVIOUS_PERIOD:
      c.comparison = TrendComparison::kPrevious;
      break;
    case v1::TREND_COMPARISON_SAME_PERIOD_LAST_YEAR:
      c.comparison = TrendComparison::kLastYear;
      break;
    default:
      return context.Error("comparison",
                           "must be CONSECUTIVE_DETERIORATION, PREVIOUS_PERIOD "
                           "or SAME_PERIOD_LAST_YEAR");
  }
  if (!std::isfinite(t.minimum_change()) || t.minimum_change() < 0) {
    return context.Error("minimum_change", "must be a finite number >= 0");
  }
  c.minimum_change = t.minimum_change();
  if (t.red_after_periods() < 0 || t.red_after_periods() > c.kMaxRun) {
    return context.Error("red_after_periods",
                         absl::StrCat("must be 0..", c.kMaxRun));
  }
  if (t.red_after_periods() != 0) c.red_after_periods = t.red_after_periods();
  if (t.amber_after_periods() < 0 ||
      t.amber_after_periods() >= c.red_after_periods) {
    return context.Error(
        "amber_after_periods",
        absl::StrCat("must be 0 or below red_after_periods (",
                     c.red_after_periods, "), got ", t.amber_after_periods()));
  }
  c.amber_after_periods = t.amber_after_periods();
  if (!v1::Rating_IsValid(t.worse_rating()) ||
      t.worse_rating() == v1::RATING_NO_DATA ||
      t.worse_rating() == v1::RATING_NOT_APPLICABLE) {
    return context.Error("worse_rating", "must be GREEN, AMBER or RED");
  }
  if (t.worse_rating() != v1::RATING_UNSPECIFIED) {
    c.worse_rating = t.worse_rating();
  }
  if (t.max_staleness_periods() < 0) {
    return context.Error("max_staleness_periods", "must be >= 0");
  }
  c.max_staleness_periods = t.max_staleness_periods();
  if (absl::Status s = CheckPolarityOverride(t.polarity(), context); !s.ok()) {
    return s;
  }
  if (t.polarity() != v1::POLARITY_UNSPECIFIED) {
    c.polarity = OrientationOf(t.polarity());
  }
  return std::make_unique<TrendEvaluator>(c);
}

}  // namespace internal
}  // namespace vigil
