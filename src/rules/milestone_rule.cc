// Milestone (CQUIN) rules: a scheme's milestones are the provider's plan
// values for the indicator in the year of the assessed period; each due one
// is met, partly met or not met by the actual for its period, and earns its
// share of the scheme's weight (all or nothing, or linearly from a floor).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"

namespace vigil {
namespace internal {
namespace {

// The native config of a milestone rule (vigil.v1.MilestoneRule), defaults
// beside their fields.
struct MilestoneConfig {
  // The scheme's value for the year; 0 = only the providers in
  // provider_weights take part.
  double weight = 0;
  absl::flat_hash_map<std::string, double> provider_weights;
  bool linear = false;       // PAYMENT_UNSPECIFIED is ALL_OR_NOTHING.
  double floor = 0;          // LINEAR only.
  int year_start_month = 4;  // Pack value 0 means this (April).
};

enum class Outcome { kNotYetDue, kMet, kPartlyMet, kNotMet };

// One milestone of the year and how the provider did.
struct Milestone {
  Period period;
  double planned = 0;
  bool has_actual = false;
  double actual = 0;
  Outcome outcome = Outcome::kNotYetDue;
  // The fraction of its share earned is part / whole, in [0, 1]; kept
  // apart so that money is share * part / whole, exact for whole numbers.
  double part = 0;
  double whole = 1;

  double Earned(double share) const { return share * part / whole; }
  double AtRisk(double share) const { return share * (whole - part) / whole; }
};

using Milestones = absl::InlinedVector<Milestone, 12>;

class MilestoneEvaluator : public SeriesRuleEvaluator {
 public:
  explicit MilestoneEvaluator(MilestoneConfig config)
      : config_(std::move(config)) {}

  // A provider with milestones but no data at all still has money at risk.
  bool NeedsSeries() const override { return false; }
  bool ReadsPlans() const override { return true; }
  void Assess(const SeriesContext& context, v1::Assessment* out) const override;

 private:
  // The year starting at `year_start` (YearStart of the assessed period):
  // "2017/18" from April, else "year from Jan 2017"; an annual indicator's
  // year is its period ("2017").
  std::string YearLabel(Period year_start) const;
  // Fraction of a due milestone's share the actual earns, and its outcome.
  void Judge(Orientation orientation, Milestone* m) const;
  std::string Describe(const v1::Indicator& indicator, const SeriesView* series,
                       const Milestone& m, double share) const;

  const MilestoneConfig config_;
};

std::string MilestoneEvaluator::YearLabel(Period year_start) const {
  if (year_start.frequency == Frequency::kAnnual) {
    return DescribePeriod(year_start);
  }
  const int year = static_cast<int>(FirstDay(year_start).year());
  const int month = config_.year_start_month;
  if (month == 4) return absl::StrFormat("%d/%02d", year, (year + 1) % 100);
  return absl::StrCat(
      "year from ",
      DescribePeriod(Period{Frequency::kMonthly, year * 12 + month - 1}));
}

void MilestoneEvaluator::Judge(Orientation orientation, Milestone* m) const {
  if (!m->has_actual) {
    m->outcome = Outcome::kNotMet;
    return;
  }
  // Signed distances towards better: positive is on the good side.
  const double sign = orientation == Orientation::kLowerIsBetter ? -1 : 1;
  const double beyond_milestone = sign * (m->actual - m->planned);
  if (beyond_milestone >= 0) {
    m->outcome = Outcome::kMet;
    m->part = 1;
    return;
  }
  m->outcome = Outcome::kNotMet;
  if (!config_.linear) return;
  // A floor not on the bad side of the milestone leaves no partial band.
  const double span = sign * (m->planned - config_.floor);
  const double above_floor = sign * (m->actual - config_.floor);
  if (span > 0 && above_floor > 0) {  // Below span: the milestone is missed.
    m->part = above_floor;
    m->whole = span;
    m->outcome = Outcome::kPartlyMet;
  }
}

std::string MilestoneEvaluator::Describe(const v1::Indicator& indicator,
                                         const SeriesView* series,
                                         const Milestone& m,
                                         double share) const {
  const std::string when = DescribePeriod(m.period);
  const std::string against =
      absl::StrCat(m.has_actual ? FormatValue(m.actual, indicator) : "",
                   " against ", FormatValue(m.planned, indicator));
  switch (m.outcome) {
    case Outcome::kMet:
      return absl::StrCat(when, " met (", against, ")");
    case Outcome::kPartlyMet:
      return absl::StrCat(when, " partly met (", against, ": ",
                          FormatMoney(m.Earned(share)), " of ",
                          FormatMoney(share), ")");
    case Outcome::kNotMet:
      if (!m.has_actual) {
        return absl::StrCat(when, " not met (",
                            series == nullptr
                                ? absl::StrCat("no value for ", when)
                                : DescribeGap(*series, m.period),
                            ")");
      }
      return absl::StrCat(when, " not met (", against, ")");
    case Outcome::kNotYetDue:
      break;
  }
  return absl::StrCat(when, " not yet due");
}

void MilestoneEvaluator::Assess(const SeriesContext& context,
                                v1::Assessment* out) const {
  const v1::Indicator& indicator = *context.indicator;
  const Orientation orientation = OrientationOf(indicator.polarity());
  if (orientation == Orientation::kUnknown) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "CQUIN milestones need the indicator's polarity (higher or lower is "
         "better) to say whether one is met",
         out);
    return;
  }
  if (orientation == Orientation::kNeutral) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "the indicator is neutral (neither higher nor lower is better), so "
         "no CQUIN milestone can be met or missed",
         out);
    return;
  }
  double weight = config_.weight;
  if (auto it = config_.provider_weights.find(context.provider->id());
      it != config_.provider_weights.end()) {
    weight = it->second;
  }
  if (weight <= 0) {
    Rate(context, v1::RATING_NOT_APPLICABLE,
         "not in this CQUIN scheme: the rule gives weights per provider and "
         "none for this one",
         out);
    return;
  }
  const Period start = YearStart(context.assessed, config_.year_start_month);
  if (context.plan == nullptr) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("no CQUIN milestones for ", YearLabel(start),
                      ": no plan values for this provider"),
         out);
    return;
  }
  const PlanView& plan = *context.plan;
  const SeriesView* series = context.series;
  if (plan.first.frequency != context.assessed.frequency) {
    Rate(context, v1::RATING_NO_DATA,
         "the plan is not in the indicator's frequency", out);
    return;
  }
  // The year's milestones: plan values of periods in the same year (as
  // YearStart places them, like trajectory rules).
  Milestones milestones;
  for (int k = 0; k < plan.size(); ++k) {
    if (std::isnan(plan.values[k])) continue;
    const Period p{plan.first.frequency, plan.first.index + k};
    const Period year = YearStart(p, config_.year_start_month);
    if (year.index < start.index) continue;
    if (year.index > start.index) break;
    Milestone m;
    m.period = p;
    m.planned = plan.values[k];
    if (p.index <= context.assessed.index) {
      const int j = series == nullptr ? -1 : series->IndexOf(p);
      if (j >= 0 && series->status[j] == PointStatus::kObserved) {
        m.has_actual = true;
        m.actual = series->values[j];
      }
      Judge(orientation, &m);
    }
    milestones.push_back(m);
  }
  if (milestones.empty()) {
    Rate(context, v1::RATING_NO_DATA,
         absl::StrCat("no CQUIN milestones for ", YearLabel(start)), out);
    return;
  }
  const double share = weight / static_cast<double>(milestones.size());
  v1::CquinState* cquin = out->mutable_cquin();
  cquin->set_weight(weight);
  cquin->set_milestones(static_cast<int>(milestones.size()));
  double earned = 0, at_risk = 0, not_yet_due = 0;
  int due = 0, met = 0, partly_met = 0, not_met = 0;
  const Milestone* latest_due = nullptr;
  const Milestone* latest_actual = nullptr;
  std::string listed;
  for (const Milestone& m : milestones) {
    AddEvidence(out, "milestone", m.period, m.planned);
    if (m.outcome == Outcome::kNotYetDue) {
      not_yet_due += share;
      continue;
    }
    if (m.has_actual) {
      AddEvidence(out, "actual", m.period, m.actual);
      latest_actual = &m;
    }
    latest_due = &m;
    ++due;
    met += m.outcome == Outcome::kMet;
    partly_met += m.outcome == Outcome::kPartlyMet;
    not_met += m.outcome == Outcome::kNotMet;
    earned += m.Earned(share);
    at_risk += m.AtRisk(share);
    absl::StrAppend(&listed, listed.empty() ? "" : ", ",
                    Describe(indicator, series, m, share));
  }
  cquin->set_earned(earned);
  cquin->set_at_risk(at_risk);
  cquin->set_not_yet_due(not_yet_due);
  cquin->set_due(due);
  cquin->set_met(met);
  cquin->set_partly_met(partly_met);
  cquin->set_not_met(not_met);
  if (latest_due != nullptr) {
    out->set_standard(latest_due->planned);
    if (latest_due->has_actual) out->set_value(latest_due->actual);
  }
  if (latest_actual != nullptr) {
    out->set_data_period(FormatPeriod(latest_actual->period));
  }
  // "4 milestones", "1 milestone".
  const std::string n = absl::StrCat(
      milestones.size(), milestones.size() == 1 ? " milestone" : " milestones");
  const std::string to = DescribePeriod(context.assessed);
  std::string text;
  if (due == 0) {
    text = absl::StrCat("CQUIN: none of ", n, " for ", YearLabel(start),
                        " due yet to ", to, " (the first is ",
                        DescribePeriod(milestones.front().period), "); ",
                        FormatMoney(not_yet_due), " not yet due");
  } else {
    text = absl::StrCat("CQUIN: ", due, " of ", n, " due to ", to, ": ", listed,
                        "; ", FormatMoney(earned), " earned, ",
                        FormatMoney(at_risk), " at risk");
    if (due < static_cast<int>(milestones.size())) {
      absl::StrAppend(&text, ", ", FormatMoney(not_yet_due), " not yet due");
    }
  }
  v1::Rating rating = v1::RATING_GREEN;
  if (not_met > 0) {
    rating = v1::RATING_RED;
  } else if (partly_met > 0) {
    rating = v1::RATING_AMBER;
  }
  Rate(context, rating, text, out);
}

}  // namespace

CompiledEvaluator CompileMilestoneRule(const RuleCompileContext& context) {
  const v1::MilestoneRule& rule = context.rule().milestone();
  MilestoneConfig config;
  if (!std::isfinite(rule.weight()) || rule.weight() < 0) {
    return context.Error(
        "weight",
        absl::StrCat("must be a sum of money > 0, got ", rule.weight()));
  }
  if (rule.weight() == 0 && rule.provider_weights().empty()) {
    return context.Error("weight",
                         "must be > 0 (the scheme's value for the year), or 0 "
                         "with provider_weights for the providers in it");
  }
  config.weight = rule.weight();
  // In id order, so the first mistake reported does not depend on the
  // map's order.
  std::vector<std::pair<std::string, double>> weights(
      rule.provider_weights().begin(), rule.provider_weights().end());
  std::sort(weights.begin(), weights.end());
  for (const auto& [provider, weight] : weights) {
    if (!std::isfinite(weight) || weight <= 0) {
      return context.Error(
          absl::StrCat("provider_weights[\"", provider, "\"]"),
          absl::StrCat("must be a sum of money > 0, got ", weight));
    }
    config.provider_weights[provider] = weight;
  }
  switch (rule.payment()) {
    case v1::MilestoneRule::PAYMENT_UNSPECIFIED:
    case v1::MilestoneRule::PAYMENT_ALL_OR_NOTHING:
      break;
    case v1::MilestoneRule::PAYMENT_LINEAR:
      config.linear = true;
      break;
    default:
      return context.Error("payment", "is not a known payment");
  }
  if (!std::isfinite(rule.floor())) {
    return context.Error("floor", "is not a finite number");
  }
  if (!config.linear && rule.floor() != 0) {
    return context.Error("floor",
                         "applies to PAYMENT_LINEAR only (all or nothing "
                         "has no floor)");
  }
  config.floor = rule.floor();
  if (rule.year_start_month() < 0 || rule.year_start_month() > 12) {
    return context.Error(
        "year_start_month",
        absl::StrCat("must be 1..12 (0 = ", config.year_start_month,
                     ", April), got ", rule.year_start_month()));
  }
  if (rule.year_start_month() != 0) {
    config.year_start_month = rule.year_start_month();
  }
  return std::make_unique<MilestoneEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
