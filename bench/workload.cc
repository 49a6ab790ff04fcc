#include "workload.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/text_format.h"
#include "vigil/names.h"

namespace vigil {
namespace bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Indicator archetypes, cycled over the indicator list.
enum class Kind { kPercentage, kZeroTolerance, kRate, kNeutralCount };

Kind KindOf(int indicator) {
  static constexpr Kind kCycle[] = {Kind::kPercentage, Kind::kPercentage,
                                    Kind::kRate, Kind::kZeroTolerance,
                                    Kind::kNeutralCount};
  return kCycle[indicator % 5];
}

v1::Indicator MakeIndicator(int i) {
  static constexpr v1::Domain kDomains[] = {
      v1::DOMAIN_RESPONSIVE, v1::DOMAIN_SAFE, v1::DOMAIN_EFFECTIVE,
      v1::DOMAIN_CARING, v1::DOMAIN_WELL_LED};
  v1::Indicator ind;
  ind.set_id(absl::StrFormat("IND%02d", i));
  ind.set_domain(kDomains[(i / 5) % 5]);
  ind.set_frequency(v1::FREQUENCY_MONTHLY);
  switch (KindOf(i)) {
    case Kind::kPercentage:
      ind.set_name(absl::StrCat("Standard ", i, " (% within target)"));
      ind.set_unit(v1::UNIT_PERCENTAGE);
      ind.set_polarity(v1::POLARITY_HIGHER_IS_BETTER);
      ind.add_tags("kind:percentage");
      break;
    case Kind::kRate:
      ind.set_name(absl::StrCat("Harm rate ", i, " per 1,000 bed-days"));
      ind.set_unit(v1::UNIT_RATE);
      ind.set_rate_multiplier(1000);
      ind.set_polarity(v1::POLARITY_LOWER_IS_BETTER);
      ind.add_tags("kind:rate");
      break;
    case Kind::kZeroTolerance:
      ind.set_name(absl::StrCat("Never event ", i));
      ind.set_unit(v1::UNIT_COUNT);
      ind.set_polarity(v1::POLARITY_ZERO_TOLERANCE);
      ind.add_tags("kind:zero_tolerance");
      break;
    case Kind::kNeutralCount:
      ind.set_name(absl::StrCat("Activity ", i));
      ind.set_unit(v1::UNIT_COUNT);
      ind.set_polarity(v1::POLARITY_NEUTRAL);
      ind.add_tags("kind:activity");
      break;
  }
  return ind;
}

// A deterioration injected into some series.
struct Event {
  enum Type { kNone, kShift, kTrend, kSpike } type = kNone;
  int start = 0;
  double size = 0;
};

double Poisson(std::mt19937_64& rng, double mean) {
  return static_cast<double>(std::poisson_distribution<int>(mean)(rng));
}

}  // namespace

Workload MakeWorkload(const WorkloadOptions& options) {
  Workload w;
  w.options = options;
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int p = 0; p < options.providers; ++p) {
    v1::Provider provider;
    provider.set_id(absl::StrFormat("R%03d", p));
    provider.set_name(absl::StrFormat("Synthetic Trust %03d", p));
    provider.set_type(p % 10 == 9 ? v1::PROVIDER_TYPE_COMMUNITY
                                  : v1::PROVIDER_TYPE_ACUTE);
    provider.add_tags(absl::StrCat("region:", p % 7));
    w.providers.push_back(std::move(provider));
  }
  for (int i = 0; i < options.indicators; ++i) {
    w.indicators.push_back(MakeIndicator(i));
  }
  const int end_index = 2024 * 12 + 2;  // March 2024.
  for (int m = 0; m < options.months; ++m) {
    const int index = end_index - options.months + 1 + m;
    w.periods.push_back(
        absl::StrFormat("%04d-%02d", index / 12, index % 12 + 1));
  }
  w.rows.reserve(static_cast<size_t>(options.providers) * options.indicators *
                 options.months);
  for (int p = 0; p < options.providers; ++p) {
    const double size = 0.5 + 1.5 * unit(rng);  // Trust size factor.
    for (int i = 0; i < options.indicators; ++i) {
      const Kind kind = KindOf(i);
      Event event;
      const double draw = unit(rng);
      if (draw < 0.10)
        event.type = Event::kShift;
      else if (draw < 0.15)
        event.type = Event::kTrend;
      else if (draw < 0.17)
        event.type = Event::kSpike;
      event.start = static_cast<int>(unit(rng) * options.months);
      event.size = 0.5 + unit(rng);
      const double base_pct = 80 + 15 * unit(rng);
      const double base_rate = 2 + 6 * unit(rng);
      const double base_count = 800 * size;
      for (int m = 0; m < options.months; ++m) {
        if (unit(rng) < options.missing_rate) continue;
        const int month_of_year = (end_index - options.months + 1 + m) % 12;
        const double winter =
            (month_of_year == 0 || month_of_year == 11 || month_of_year == 1)
                ? 1.0
                : 0.0;
        double effect = 0;  // In "standard deviations" of deterioration.
        if (event.type == Event::kShift && m >= event.start)
          effect = 2 * event.size;
        if (event.type == Event::kTrend && m >= event.start) {
          effect = 0.4 * event.size * (m - event.start + 1);
        }
        if (event.type == Event::kSpike && m == event.start)
          effect = 5 * event.size;
        WorkloadRow row{p, i, m, kNaN, kNaN, kNaN};
        switch (kind) {
          case Kind::kPercentage: {
            const double den =
                std::max(50.0, std::round(9000 * size + 300 * noise(rng)));
            const double pct = std::clamp(
                base_pct - 3 * winter - 2.5 * effect + 1.2 * noise(rng), 1.0,
                100.0);
            row.numerator = std::round(den * pct / 100);
            row.denominator = den;
            break;
          }
          case Kind::kRate: {
            const double bed_days = std::round(20000 * size);
            const double mean =
                base_rate * bed_days / 1000 * (1 + 0.1 * winter + 0.3 * effect);
            row.numerator = Poisson(rng, mean);
            row.denominator = bed_days;
            break;
          }
          case Kind::kZeroTolerance:
            row.value = Poisson(rng, 0.05 + 0.3 * effect);
            break;
          case Kind::kNeutralCount:
            row.value = std::round(base_count * (1 + 0.08 * winter) +
                                   25 * noise(rng) + 40 * effect);
            break;
        }
        w.rows.push_back(row);
      }
    }
  }
  for (int p = 0; p < options.providers; ++p) {
    for (int i = 0; i < options.indicators; ++i) {
      const Kind kind = KindOf(i);
      if (kind != Kind::kRate && kind != Kind::kZeroTolerance) continue;
      for (int m = std::max(0, options.months - 12); m < options.months; ++m) {
        w.plans.push_back({p, i, m, kind == Kind::kRate ? 6.0 : 0.0});
      }
    }
  }
  return w;
}

std::string AsOf(const Workload& workload) { return workload.periods.back(); }

v1::RuleSet MakeRulePack() {
  v1::RuleSet rules;
  const bool ok = google::protobuf::TextFormat::ParseFromString(
      R"pb(
        id: "bench-full-pack"
        version: "1"
        rules {
          id: "pct_latest"
          severity: SEVERITY_WARNING
          selector { indicator_tags: "kind:percentage" }
          threshold { standard: 92 red_threshold: 85 }
        }
        rules {
          id: "pct_ytd"
          selector { indicator_tags: "kind:percentage" }
          threshold {
            standard: 92
            red_threshold: 85
            statistic: STATISTIC_YEAR_TO_DATE
          }
        }
        rules {
          id: "pct_persistent"
          severity: SEVERITY_CRITICAL
          selector { indicator_tags: "kind:percentage" }
          threshold { standard: 80 red_after_periods: 3 }
        }
        rules {
          id: "rate_mean"
          selector { indicator_tags: "kind:rate" }
          threshold {
            standard: 6
            amber_tolerance_relative: 0.2
            statistic: STATISTIC_MEAN
            window_periods: 3
          }
        }
        rules {
          id: "zero_tolerance"
          severity: SEVERITY_CRITICAL
          selector { indicator_tags: "kind:zero_tolerance" }
          threshold {}
        }
        rules {
          id: "zt_quarter_sum"
          selector { indicator_tags: "kind:zero_tolerance" }
          threshold {
            standard: 0
            red_threshold: 1
            statistic: STATISTIC_SUM
            window_periods: 3
            polarity: POLARITY_LOWER_IS_BETTER
          }
        }
        rules {
          id: "deteriorating"
          selector { indicator_tags: [ "kind:percentage", "kind:rate" ] }
          trend {
            comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
            red_after_periods: 3
            amber_after_periods: 2
          }
        }
        rules {
          id: "vs_last_year"
          severity: SEVERITY_INFO
          selector { all_indicators: true }
          trend { comparison: TREND_COMPARISON_SAME_PERIOD_LAST_YEAR }
        }
        rules {
          id: "vs_last_month"
          severity: SEVERITY_INFO
          selector { all_indicators: true }
          trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD }
        }
        rules {
          id: "pct_spc"
          selector { indicator_tags: "kind:percentage" }
          spc { target: 92 concern_rating: RATING_RED }
        }
        rules {
          id: "rate_spc"
          selector { indicator_tags: "kind:rate" }
          spc { run_length: 6 }
        }
        rules {
          id: "activity_spc"
          severity: SEVERITY_INFO
          selector { indicator_tags: "kind:activity" }
          spc { fix_after_periods: 24 }
        }
        rules {
          id: "pct_peer"
          selector { indicator_tags: "kind:percentage" }
          peer {}
        }
        rules {
          id: "rate_peer"
          selector { indicator_tags: "kind:rate" }
          peer { method: METHOD_RATE }
        }
        rules {
          id: "zt_trajectory"
          severity: SEVERITY_CRITICAL
          selector { indicator_tags: "kind:zero_tolerance" }
          trajectory {}
        }
        rules {
          id: "rate_trajectory"
          selector { indicator_tags: "kind:rate" }
          trajectory {
            amber_tolerance_relative: 0.05
            red_tolerance_relative: 0.15
          }
        }
        rules {
          id: "data_quality"
          selector { all_indicators: true }
          data_quality {
            lookback_periods: 12
            max_missing_periods: 1
            minimum_denominator: 100
          }
        }
        rules {
          id: "pct_composite"
          selector { indicator_tags: "kind:percentage" }
          composite {
            rule_ids: [
              "pct_latest",
              "pct_persistent",
              "deteriorating",
              "pct_spc"
            ]
            minimum_red: 2
          }
        }
      )pb",
      &rules);
  if (!ok) std::abort();  // The pack above is a constant: a typo is a bug.
  return rules;
}

v1::Dataset ToDataset(const Workload& workload) {
  v1::Dataset d;
  for (const v1::Provider& p : workload.providers) *d.add_providers() = p;
  for (const v1::Indicator& i : workload.indicators) *d.add_indicators() = i;
  d.mutable_observations()->Reserve(static_cast<int>(workload.rows.size()));
  for (const WorkloadRow& r : workload.rows) {
    v1::Observation* o = d.add_observations();
    o->set_provider_id(workload.providers[r.provider].id());
    o->set_indicator_id(workload.indicators[r.indicator].id());
    o->set_period(workload.periods[r.month]);
    if (std::isnan(r.denominator)) {
      o->set_value(r.value);
    } else {
      o->set_numerator(r.numerator);
      o->set_denominator(r.denominator);
    }
  }
  for (const WorkloadPlan& p : workload.plans) {
    v1::PlanValue* plan = d.add_plans();
    plan->set_provider_id(workload.providers[p.provider].id());
    plan->set_indicator_id(workload.indicators[p.indicator].id());
    plan->set_period(workload.periods[p.month]);
    plan->set_value(p.value);
  }
  return d;
}

void AddToIndexer(const Workload& workload, DatasetIndexer* indexer) {
  const int source = indexer->AddSource("workload");
  for (size_t i = 0; i < workload.providers.size(); ++i) {
    indexer->AddProvider(workload.providers[i], source,
                         static_cast<int64_t>(i) + 1);
  }
  for (size_t i = 0; i < workload.indicators.size(); ++i) {
    indexer->AddIndicator(workload.indicators[i], source,
                          static_cast<int64_t>(i) + 1);
  }
  int64_t line = 0;
  for (const WorkloadRow& r : workload.rows) {
    ObservationRow row;
    row.provider_id = workload.providers[r.provider].id();
    row.indicator_id = workload.indicators[r.indicator].id();
    row.period = workload.periods[r.month];
    row.has_value = std::isnan(r.denominator);
    row.value = r.value;
    row.has_numerator = row.has_denominator = !row.has_value;
    row.numerator = r.numerator;
    row.denominator = r.denominator;
    indexer->AddObservation(row, source, ++line);
  }
  for (const WorkloadPlan& p : workload.plans) {
    PlanRow plan;
    plan.provider_id = workload.providers[p.provider].id();
    plan.indicator_id = workload.indicators[p.indicator].id();
    plan.period = workload.periods[p.month];
    plan.value = p.value;
    indexer->AddPlan(plan, source, ++line);
  }
}

std::string PlansCsv(const Workload& workload) {
  std::string out = "provider_id,indicator_id,period,value\n";
  for (const WorkloadPlan& p : workload.plans) {
    absl::StrAppend(&out, workload.providers[p.provider].id(), ",",
                    workload.indicators[p.indicator].id(), ",",
                    workload.periods[p.month], ",", p.value, "\n");
  }
  return out;
}

std::string ObservationsCsv(const Workload& workload) {
  std::string out =
      "provider_id,indicator_id,period,value,numerator,denominator\n";
  out.reserve(workload.rows.size() * 40);
  for (const WorkloadRow& r : workload.rows) {
    absl::StrAppend(&out, workload.providers[r.provider].id(), ",",
                    workload.indicators[r.indicator].id(), ",",
                    workload.periods[r.month], ",");
    if (std::isnan(r.denominator)) {
      absl::StrAppend(&out, r.value, ",,\n");
    } else {
      absl::StrAppend(&out, ",", r.numerator, ",", r.denominator, "\n");
    }
  }
  return out;
}

std::string ProvidersCsv(const Workload& workload) {
  std::string out = "id,name,type,tags\n";
  for (const v1::Provider& p : workload.providers) {
    absl::StrAppend(&out, p.id(), ",", p.name(), ",",
                    p.type() == v1::PROVIDER_TYPE_ACUTE ? "acute" : "community",
                    ",", p.tags(0), "\n");
  }
  return out;
}

std::string IndicatorsCsv(const Workload& workload) {
  std::string out =
      "id,name,domain,unit,polarity,frequency,rate_multiplier,tags\n";
  for (const v1::Indicator& i : workload.indicators) {
    absl::StrAppend(&out, i.id(), ",\"", i.name(), "\",",
                    EnumShortName(i.domain()), ",", EnumShortName(i.unit()),
                    ",", EnumShortName(i.polarity()), ",monthly,",
                    i.rate_multiplier(), ",", i.tags(0), "\n");
  }
  return out;
}

const Workload& England() {
  static const Workload* w = new Workload(MakeWorkload(WorkloadOptions()));
  return *w;
}

const SeriesStore& EnglandStore() {
  static const SeriesStore* store = [] {
    DatasetIndexer indexer;
    AddToIndexer(England(), &indexer);
    return new SeriesStore(std::move(indexer).Build());
  }();
  return *store;
}

const Engine& FullPackEngine() {
  static const Engine* engine = [] {
    absl::StatusOr<std::unique_ptr<Engine>> e = Engine::Create(MakeRulePack());
    if (!e.ok()) std::abort();
    return e->release();
  }();
  return *engine;
}

}  // namespace bench
}  // namespace vigil
