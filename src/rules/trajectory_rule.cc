// Trajectory rules: the year-to-date actual against the provider's plan,
// the annual objective and the forecast outturn (vigil.v1.TrajectoryRule
// documents the judgement).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"

namespace vigil {
namespace internal {
namespace {

// A tolerance: relative to the plan, or in the indicator's unit.
struct Tolerance {
  double value = 0;
  bool relative = false;

  double Of(double plan) const {
    return relative ? value * std::fabs(plan) : value;
  }
};

// The native config of a trajectory rule, defaults beside their fields.
struct TrajectoryConfig {
  Tolerance amber;
  Tolerance red;         // Unset in the pack: the amber tolerance.
  double objective = 0;  // 0 = none (zero-tolerance indicators: always 0).
  int year_start_month = 4;
  v1::Rating forecast_breach = v1::RATING_AMBER;
};

// What the year to date holds.
struct YearToDate {
  Period start;
  int periods = 0;  // Year start to the assessed period.
  std::vector<Period> missing;
  double actual = 0;        // Sum (counts) or pooled / mean (others).
  double plan = 0;          // Sum over periods with an actual, or the plan
                            // for the assessed period.
  double plan_to_date = 0;  // Counts: the plan over every period to date.
  double numerator = 0, denominator = 0;
  bool pooled = true;  // Others: false when some value had no
                       // numerator and denominator (then averaged).
  Period latest;       // Latest period with an actual.
  Period breached;     // Counts: first period past the objective.
  bool has_breach = false;
};

int PeriodsInYear(Frequency frequency, Period start) {
  switch (frequency) {
    case Frequency::kMonthly:
      return 12;
    case Frequency::kQuarterly:
      return 4;
    case Frequency::kDaily: {
      const absl::CivilDay first = FirstDay(start);
      return static_cast<int>(
          absl::CivilDay(first.year() + 1, first.month(), first.day()) - first);
    }
    default:
      return 1;
  }
}

// "2017/18" for a financial year; "the year from Jan 2017" otherwise.
std::string YearName(Period start, int first_month) {
  if (first_month == 4 && start.frequency != Frequency::kAnnual) {
    const int year = static_cast<int>(FirstDay(start).year());
    return absl::StrFormat("%d/%02d", year, (year + 1) % 100);
  }
  return absl::StrCat("the year from ", DescribePeriod(start));
}

bool IsCount(const v1::Indicator& indicator) {
  return indicator.unit() == v1::UNIT_COUNT ||
         indicator.unit() == v1::UNIT_UNSPECIFIED;
}

double UnitMultiplier(const v1::Indicator& indicator) {
  switch (indicator.unit()) {
    case v1::UNIT_PERCENTAGE:
      return 100;
    case v1::UNIT_RATE:
      return indicator.rate_multiplier() > 0 ? indicator.rate_multiplier() : 1;
    default:
      return 1;
  }
}

class TrajectoryEvaluator : public SeriesRuleEvaluator {
 public:
  explicit TrajectoryEvaluator(TrajectoryConfig config)
      : config_(std::move(config)) {}

  bool NeedsSeries() const override { return false; }
  bool ReadsPlans() const override { return true; }

  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  // Sums the year to date into `ytd`; false (with `out` set to NO_DATA)
  // when the plan lacks a value it needs.
  bool Gather(const SeriesContext& context, double objective, YearToDate* ytd,
              v1::Assessment* out) const;

  TrajectoryConfig config_;
};

// For drawing: the whole year from `start` (`in_year` periods), the plan to
// its end and the actual to the assessed period; running totals for counts.
void AddChart(const SeriesContext& context, Period start, int in_year,
              bool count, double objective, v1::Assessment* out) {
  v1::TrajectoryState* chart = out->mutable_trajectory();
  chart->set_cumulative(count);
  if (objective >= 0) chart->set_objective(objective);
  const SeriesView* s = context.series;
  double actual_sum = 0, plan_sum = 0;
  bool plan_known = true;
  for (int i = 0; i < in_year; ++i) {
    const Period t{context.assessed.frequency, start.index + i};
    const double plan = context.plan->At(t);
    plan_known = plan_known && !std::isnan(plan);
    plan_sum += std::isnan(plan) ? 0 : plan;
    const int k =
        s == nullptr || t.index > context.assessed.index ? -1 : s->IndexOf(t);
    const bool observed = k >= 0 && s->status[k] == PointStatus::kObserved;
    if (observed) actual_sum += s->values[k];
    v1::TrajectoryChartPoint* point = chart->add_points();
    point->set_period(FormatPeriod(t));
    point->set_actual(!observed ? std::nan("")
                      : count   ? actual_sum
                                : s->values[k]);
    point->set_plan(count ? (plan_known ? plan_sum : std::nan("")) : plan);
  }
}

bool TrajectoryEvaluator::Gather(const SeriesContext& context, double objective,
                                 YearToDate* ytd, v1::Assessment* out) const {
  const Period at = context.assessed;
  const bool count = IsCount(*context.indicator);
  ytd->start = YearStart(at, config_.year_start_month);
  ytd->periods = at.index - ytd->start.index + 1;
  const double plan_now = context.plan->At(at);
  if (std::isnan(plan_now)) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("no plan value for ", DescribePeriod(at)), out);
    return false;
  }
  double values_sum = 0;
  int present = 0;
  for (int i = 0; i < ytd->periods; ++i) {
    const Period t{at.frequency, ytd->start.index + i};
    const double plan = context.plan->At(t);
    if (count && std::isnan(plan)) {
      Rate(context, v1::RATING_NO_DATA,
           absl::StrCat("the plan has no value for ", DescribePeriod(t),
                        ", so the year-to-date plan is unknown"),
           out);
      return false;
    }
    if (count) ytd->plan_to_date += plan;
    const SeriesView* s = context.series;
    const int k = s == nullptr ? -1 : s->IndexOf(t);
    if (k < 0 || s->status[k] != PointStatus::kObserved) {
      ytd->missing.push_back(t);
      continue;
    }
    ++present;
    ytd->latest = t;
    values_sum += s->values[k];
    if (count) {
      ytd->plan += plan;
      if (objective >= 0 && !ytd->has_breach && values_sum > objective) {
        ytd->has_breach = true;
        ytd->breached = t;
      }
    } else if (std::isnan(s->numerators[k]) || std::isnan(s->denominators[k])) {
      ytd->pooled = false;
    } else {
      ytd->numerator += s->numerators[k];
      ytd->denominator += s->denominators[k];
    }
  }
  if (present == 0) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("no values in ",
                      YearName(ytd->start, config_.year_start_month), " to ",
                      DescribePeriod(at)),
         out);
    return false;
  }
  if (count) {
    ytd->actual = values_sum;
  } else {
    ytd->plan = plan_now;
    ytd->actual = ytd->pooled && ytd->denominator > 0
                      ? UnitMultiplier(*context.indicator) * ytd->numerator /
                            ytd->denominator
                      : values_sum / present;
    if (ytd->denominator <= 0) ytd->pooled = false;
  }
  return true;
}

void TrajectoryEvaluator::Assess(const SeriesContext& context,
                                 v1::Assessment* out) const {
  if (context.plan == nullptr) {
    if (context.series == nullptr) return;  // Neither: nothing to judge.
    Rate(context, v1::RATING_NO_DATA,
         "no plan (trajectory) for this provider and indicator", out);
    return;
  }
  const v1::Indicator& indicator = *context.indicator;
  const Orientation orientation = OrientationOf(indicator.polarity());
  if (orientation == Orientation::kNeutral ||
      orientation == Orientation::kUnknown) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "a trajectory needs a direction: the indicator's polarity is "
         "neutral or unspecified",
         out);
    return;
  }
  const bool lower_better = orientation == Orientation::kLowerIsBetter;
  const bool count = IsCount(indicator);
  const bool zero_tolerance =
      indicator.polarity() == v1::POLARITY_ZERO_TOLERANCE;
  // Counts only; zero tolerance means an objective of 0.
  double objective = -1;
  if (count && zero_tolerance) objective = 0;
  if (count && config_.objective > 0) objective = config_.objective;
  YearToDate ytd;
  if (!Gather(context, lower_better ? objective : -1, &ytd, out)) return;

  const Period at = context.assessed;
  const std::string year = YearName(ytd.start, config_.year_start_month);
  const double variance = ytd.actual - ytd.plan;
  const double adverse = lower_better ? variance : -variance;
  const double amber = config_.amber.Of(ytd.plan);
  const double red = std::max(amber, config_.red.Of(ytd.plan));
  v1::Rating rating = adverse <= amber ? v1::RATING_GREEN
                      : adverse <= red ? v1::RATING_AMBER
                                       : v1::RATING_RED;

  out->set_value(ytd.actual);
  out->set_standard(ytd.plan);
  out->set_red_threshold(lower_better ? ytd.plan + red : ytd.plan - red);
  out->set_data_period(FormatPeriod(ytd.latest));
  AddEvidence(out, "year-to-date actual", at, ytd.actual);
  AddEvidence(out, "year-to-date plan", at, ytd.plan);
  AddEvidence(out, "variance", at, variance);
  if (ytd.plan != 0) AddEvidence(out, "relative variance", variance / ytd.plan);
  const int present = ytd.periods - static_cast<int>(ytd.missing.size());
  AddEvidence(out, "periods with data", present);
  AddEvidence(out, "periods missing", static_cast<double>(ytd.missing.size()));

  // The text: "11 to Dec 2017 against a year-to-date plan of 9 (22% over)".
  std::string text =
      count ? absl::StrCat(FormatValue(ytd.actual, indicator), " in ", year,
                           " to ", DescribePeriod(at),
                           " against a year-to-date plan of ",
                           FormatValue(ytd.plan, indicator))
            : absl::StrCat(
                  FormatValue(ytd.actual, indicator), " in ", year, " to ",
                  DescribePeriod(at), ytd.pooled ? " (pooled)" : " (averaged)",
                  " against a plan of ", FormatValue(ytd.plan, indicator));
  std::vector<std::string> notes;
  if (variance == 0) {
    notes.push_back("on plan");
  } else {
    const std::string size =
        ytd.plan != 0
            ? absl::StrFormat("%.0f%%", std::fabs(variance / ytd.plan) * 100)
            : FormatDifference(std::fabs(variance), indicator);
    notes.push_back(absl::StrCat(size, variance > 0 ? " over" : " under"));
  }
  const double tolerance = rating == v1::RATING_RED ? red : amber;
  if (rating != v1::RATING_GREEN && tolerance > 0) {
    notes.push_back(absl::StrCat(
        "beyond the ", rating == v1::RATING_RED && red > amber ? "red " : "",
        "tolerance of ", FormatDifference(tolerance, indicator)));
  } else if (rating == v1::RATING_GREEN && adverse > 0) {
    notes.push_back(absl::StrCat("within the tolerance of ",
                                 FormatDifference(amber, indicator)));
  }

  // The objective and the forecasts (counts).
  const int in_year = PeriodsInYear(at.frequency, ytd.start);
  if (context.chart_periods > 0) {
    AddChart(context, ytd.start, in_year, count, objective, out);
  }
  if (objective >= 0) {
    AddEvidence(out, "annual objective", objective);
    const double run_rate = ytd.actual * in_year / present;
    AddEvidence(out, "forecast (run rate)", run_rate);
    double annual_plan = 0;
    bool full_plan = ytd.plan > 0;
    for (int i = 0; i < in_year && full_plan; ++i) {
      const double p =
          context.plan->At(Period{at.frequency, ytd.start.index + i});
      if (std::isnan(p)) full_plan = false;
      annual_plan += std::isnan(p) ? 0 : p;
    }
    const double profile =
        full_plan ? ytd.actual / ytd.plan * annual_plan : std::nan("");
    if (full_plan) {
      AddEvidence(out, "annual plan", annual_plan);
      AddEvidence(out, "forecast (plan profile)", profile);
    }
    const std::string forecasts = absl::StrCat(
        "forecast ", FormatValue(run_rate, indicator), " by run rate",
        full_plan ? absl::StrCat(", ", FormatValue(profile, indicator),
                                 " by plan profile")
                  : "");
    const bool year_over = ytd.periods >= in_year;
    if (lower_better && ytd.has_breach) {
      rating = v1::RATING_RED;
      notes.push_back(absl::StrCat(
          "objective of ", FormatValue(objective, indicator), " for ", year,
          " breached in ", DescribePeriod(ytd.breached)));
    } else if (!lower_better && year_over && ytd.actual < objective) {
      rating = v1::RATING_RED;
      notes.push_back(absl::StrCat("objective of ",
                                   FormatValue(objective, indicator), " for ",
                                   year, " missed"));
    } else {
      const bool breach_ahead =
          lower_better ? (run_rate > objective || profile > objective)
                       : (run_rate < objective || profile < objective);
      std::string note =
          absl::StrCat("objective ", FormatValue(objective, indicator), " for ",
                       year, ", ", forecasts);
      if (breach_ahead && !year_over) {
        if (RatingSeverityRank(config_.forecast_breach) >
            RatingSeverityRank(rating)) {
          rating = config_.forecast_breach;
        }
        absl::StrAppend(&note, lower_better ? ": forecast to breach it"
                                            : ": forecast to miss it");
        if (lower_better && present > 0 && ytd.actual > 0) {
          // At the run rate, the cumulative count passes the objective
          // after floor(objective / rate) + 1 periods of the year.
          const double per_period = ytd.actual / present;
          const int crossing =
              static_cast<int>(std::floor(objective / per_period)) + 1;
          if (crossing <= in_year) {
            absl::StrAppend(&note, " in ",
                            DescribePeriod(Period{
                                at.frequency, ytd.start.index + crossing - 1}),
                            " at the current rate");
          }
        }
      }
      notes.push_back(note);
    }
  }
  if (!ytd.missing.empty()) {
    std::vector<std::string> names;
    for (Period p : ytd.missing) names.push_back(DescribePeriod(p));
    notes.push_back(absl::StrCat(
        PeriodCount(static_cast<int>(ytd.missing.size()), at.frequency),
        " without data left out (", absl::StrJoin(names, ", "), ")"));
  }
  absl::StrAppend(&text, " (", absl::StrJoin(notes, "; "), ")");
  // Missing data is never green: without an actual for the assessed period
  // the year to date is not known to be on plan (a breach already seen, or
  // a variance beyond tolerance, stays as it is).
  if (rating == v1::RATING_GREEN && ytd.latest != at) {
    rating = v1::RATING_NO_DATA;
    text =
        absl::StrCat("no value for ", DescribePeriod(at), "; so far: ", text);
  }
  Rate(context, rating, text, out);
}

// A tolerance from its two pack fields; `field` names them in errors.
absl::Status ReadTolerance(const RuleCompileContext& context,
                           absl::string_view level, double relative,
                           double absolute, Tolerance* out) {
  const std::string rel = absl::StrCat(level, "_tolerance_relative");
  const std::string abs = absl::StrCat(level, "_tolerance_absolute");
  if (!std::isfinite(relative) || relative < 0) {
    return context.Error(rel, "must be a fraction >= 0 (0.1 = 10%)");
  }
  if (!std::isfinite(absolute) || absolute < 0) {
    return context.Error(abs, "must be a number >= 0");
  }
  if (relative > 0 && absolute > 0) {
    return context.Error(abs,
                         absl::StrCat("give ", rel, " or ", abs, ", not both"));
  }
  if (relative > 0) *out = Tolerance{relative, true};
  if (absolute > 0) *out = Tolerance{absolute, false};
  return absl::OkStatus();
}

}  // namespace

CompiledEvaluator CompileTrajectoryRule(const RuleCompileContext& context) {
  const v1::TrajectoryRule& rule = context.rule().trajectory();
  TrajectoryConfig config;
  if (absl::Status s =
          ReadTolerance(context, "amber", rule.amber_tolerance_relative(),
                        rule.amber_tolerance_absolute(), &config.amber);
      !s.ok()) {
    return s;
  }
  config.red = config.amber;
  if (absl::Status s =
          ReadTolerance(context, "red", rule.red_tolerance_relative(),
                        rule.red_tolerance_absolute(), &config.red);
      !s.ok()) {
    return s;
  }
  if (config.red.relative == config.amber.relative &&
      config.red.value < config.amber.value) {
    return context.Error(config.red.relative ? "red_tolerance_relative"
                                             : "red_tolerance_absolute",
                         "must not be below the amber tolerance");
  }
  if (!std::isfinite(rule.annual_objective()) || rule.annual_objective() < 0) {
    return context.Error("annual_objective", "must be a number >= 0");
  }
  config.objective = rule.annual_objective();
  if (rule.year_start_month() < 0 || rule.year_start_month() > 12) {
    return context.Error("year_start_month",
                         "must be a month 1..12 (0 means April)");
  }
  if (rule.year_start_month() != 0) {
    config.year_start_month = rule.year_start_month();
  }
  if (!v1::Rating_IsValid(rule.forecast_breach_rating()) ||
      rule.forecast_breach_rating() == v1::RATING_NO_DATA ||
      rule.forecast_breach_rating() == v1::RATING_NOT_APPLICABLE) {
    return context.Error("forecast_breach_rating",
                         "must be GREEN, AMBER or RED");
  }
  if (rule.forecast_breach_rating() != v1::RATING_UNSPECIFIED) {
    config.forecast_breach = rule.forecast_breach_rating();
  }
  return std::make_unique<TrajectoryEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
