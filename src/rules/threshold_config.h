// The native config of a threshold (RAG) rule, compiled once from
// vigil.v1.ThresholdRule. Defaults live here, beside their fields.
#ifndef VIGIL_SRC_RULES_THRESHOLD_CONFIG_H_
#define VIGIL_SRC_RULES_THRESHOLD_CONFIG_H_

#include <optional>

#include "absl/status/statusor.h"
#include "src/rules/rule_kind.h"
#include "src/rules/rule_support.h"

namespace vigil {
namespace internal {

// The number a threshold rule compares (vigil.v1.Statistic).
enum class ThresholdStatistic { kLatest, kMean, kSum, kYearToDate };

// How the amber band is given (vigil.v1.ThresholdRule.amber_band).
enum class AmberBand { kNone, kTolerance, kRelativeTolerance, kRedThreshold };

struct ThresholdConfig {
  // The green boundary; none = the pack's standard in force.
  std::optional<double> standard;
  AmberBand amber_band = AmberBand::kNone;
  // The amber_band's number: a distance, a fraction of |standard|, or the
  // red boundary itself.
  double amber = 0;
  ThresholdStatistic statistic = ThresholdStatistic::kLatest;
  int window_periods = 0;  // MEAN and SUM only, 1..kMaxPeriods.
  // Periods in the red band in a row before red (0 and 1 in the pack both
  // mean 1: red at once).
  int red_after_periods = 1;
  int max_staleness_periods = 0;
  bool zero_tolerance = false;
  // The rule's polarity override; kUnknown = the indicator's polarity.
  Orientation polarity = Orientation::kUnknown;

  static constexpr int kMaxPeriods = 10000;
};

absl::StatusOr<ThresholdConfig> CompileThresholdConfig(
    const RuleCompileContext& context);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_THRESHOLD_CONFIG_H_
