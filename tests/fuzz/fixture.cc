// The fixed dataset and rule pack of fixture.h, generated from formulas so
// that the series hold trends, shifts and outliers.
#include "tests/fuzz/fixture.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vigil {
namespace fuzz {
namespace {

constexpr const char* kProviderIds[] = {"R0A", "RRK", "00T"};

std::string Month(int i) {  // i = 0 is 2017-04.
  const int m = 3 + i;
  return absl::StrFormat("%04d-%02d", 2017 + m / 12, m % 12 + 1);
}

std::string MakeObservations() {
  std::string out =
      "provider_id,indicator_id,period,value,numerator,denominator\n";
  for (int p = 0; p < 3; ++p) {
    for (int i = 9; i < 24; ++i) {  // 2018-01 to 2019-03.
      const int attendances = 9000 + 37 * i + 500 * p;
      const int breaches =
          attendances * (6 + (i * (p + 3)) % 9 + (i > 18 ? 4 * p : 0)) / 100;
      absl::StrAppend(&out, kProviderIds[p], ",AE,", Month(i), ",,",
                      attendances - breaches, ",", attendances, "\n");
      absl::StrAppend(&out, kProviderIds[p], ",CDI,", Month(i), ",",
                      (i * 7 + p * 3) % 11 + (i == 20 ? 15 : 0), ",,\n");
    }
    for (int q = 3; q < 8; ++q) {
      absl::StrAppend(
          &out, kProviderIds[p], ",Q,",
          absl::StrFormat("%04d-Q%d", 2017 + (q + 1) / 4, (q + 1) % 4 + 1),
          ",,", 3 + (q * 5 + p) % 7, ",", 20000 + 1000 * p, "\n");
    }
    for (int d = 0; d < 12; ++d) {
      absl::StrAppend(&out, kProviderIds[p], ",D,",
                      absl::StrFormat("2019-02-%02d", d % 28 + 1),
                      d < 10 ? "" : "x", ",", 0.8 + 0.01 * ((d * 3 + p) % 20),
                      ",,\n");
    }
  }
  return out;
}

std::string MakePlans() {
  std::string out = "provider_id,indicator_id,period,value\n";
  for (int p = 0; p < 2; ++p) {
    for (int i = 12; i < 24; ++i) {
      absl::StrAppend(&out, kProviderIds[p], ",CDI,", Month(i), ",", 6 + p,
                      "\n");
    }
  }
  return out;
}

}  // namespace

const std::string& FixtureProvidersCsv() {
  static const std::string* text = new std::string(
      "id,name,type,tags\n"
      "R0A,Manchester University,acute,trust;area:gm\n"
      "RRK,Birmingham,acute,trust\n"
      "00T,NHS Bolton CCG,,ccg\n");
  return *text;
}

const std::string& FixtureIndicatorsCsv() {
  static const std::string* text = new std::string(
      "id,name,domain,unit,polarity,frequency,rate_multiplier,tags\n"
      "AE,A&E 4-hour,responsive,percentage,higher_is_better,monthly,,std\n"
      "CDI,C. difficile,safe,count,lower_is_better,monthly,,hcai\n"
      "Q,Falls per 1000 bed-days,safe,rate,lower_is_better,quarterly,1000,\n"
      "D,Daily ratio,caring,ratio,neutral,daily,,\n");
  return *text;
}

const std::string& FixtureObservationsCsv() {
  static const std::string* text = new std::string(MakeObservations());
  return *text;
}

const std::string& FixturePlansCsv() {
  static const std::string* text = new std::string(MakePlans());
  return *text;
}

const char* FixturePackText() {
  return R"pb(
    id: "fuzz-fixture"
    version: "1"
    standards { indicator_id: "AE" value: 95 }
    rules {
      id: "ae_latest"
      severity: SEVERITY_CRITICAL
      selector { indicator_ids: "AE" }
      threshold { red_threshold: 90 statistic: STATISTIC_LATEST }
    }
    rules {
      id: "ae_ytd"
      selector { indicator_ids: "AE" }
      threshold { red_threshold: 90 statistic: STATISTIC_YEAR_TO_DATE }
    }
    rules {
      id: "mean"
      selector { all_indicators: true }
      threshold { standard: 10 statistic: STATISTIC_MEAN window_periods: 3 }
    }
    rules {
      id: "trend"
      selector { all_indicators: true }
      trend {
        comparison: TREND_COMPARISON_CONSECUTIVE_DETERIORATION
        red_after_periods: 3
        amber_after_periods: 2
      }
    }
    rules {
      id: "last_year"
      selector { indicator_ids: "AE" }
      trend { comparison: TREND_COMPARISON_SAME_PERIOD_LAST_YEAR }
    }
    rules {
      id: "xmr"
      selector { all_indicators: true }
      spc { concern_rating: RATING_RED }
    }
    rules {
      id: "laney"
      selector { indicator_ids: "AE" }
      spc { chart: SPC_CHART_P_PRIME signal_rules: SPC_SIGNAL_RULES_ANHOEJ }
    }
    rules {
      id: "c_chart"
      selector { indicator_ids: "CDI" }
      spc { chart: SPC_CHART_C }
    }
    rules {
      id: "trajectory"
      selector { indicator_ids: "CDI" provider_tags: "trust" }
      trajectory { annual_objective: 80 red_tolerance_absolute: 5 }
    }
    rules {
      id: "peer"
      selector { indicator_ids: "AE" }
      peer {}
    }
    rules {
      id: "milestone"
      selector { indicator_ids: "Q" }
      milestone { weight: 1000 payment: PAYMENT_LINEAR floor: 1 }
    }
    rules {
      id: "dq"
      selector { all_indicators: true }
      data_quality { lookback_periods: 6 minimum_denominator: 100 }
    }
    rules {
      id: "both"
      selector { all_indicators: true }
      composite { rule_ids: "mean" rule_ids: "trend" minimum_red: 1 }
    }
    escalation { enhanced_surveillance_min_red: 1 }
  )pb";
}

}  // namespace fuzz
}  // namespace vigil
