// What the XmR and attribute-chart SPC evaluators share: the rule's native
// config (vigil.v1.SpcRule) and how an SPC outcome becomes a rating and a
// reason. Private to src/rules/.
#ifndef VIGIL_SRC_RULES_SPC_CONFIG_H_
#define VIGIL_SRC_RULES_SPC_CONFIG_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "src/rules/rule_kind.h"
#include "src/rules/rule_support.h"
#include "vigil/attribute_spc.h"
#include "vigil/spc.h"

namespace vigil {
namespace internal {

// The native config of an SPC rule, defaults beside their fields.
struct SpcConfig {
  spc::Chart chart = spc::Chart::kXmR;
  spc::SignalRules rules = spc::SignalRules::kMakingDataCount;
  bool screen_moving_ranges = false;  // pp, up, t.
  int fix_after_periods = 0;          // 0 = every point.
  std::vector<Period> rebases;
  bool screen_outliers = true;              // XmR.
  int run_length = spc::kDefaultRunLength;  // Pack value 0 means this.
  std::optional<double> target;             // None: the pack's standard.
  int minimum_points = 12;                  // Pack value 0 means this.
  v1::Rating concern = v1::RATING_RED;
  v1::Rating improvement = v1::RATING_GREEN;
  v1::Rating common_cause = v1::RATING_GREEN;
  v1::Rating consistent_fail = v1::RATING_AMBER;
  v1::Rating inconsistent = v1::RATING_GREEN;
  int max_staleness_periods = 0;
};

// Reads and checks the rule's SpcRule; an error names the field.
absl::Status ReadSpcConfig(const RuleCompileContext& context,
                           SpcConfig* config);

spc::ImprovementDirection DirectionOf(Orientation orientation);

// "special cause concern", "special cause improvement", or "special cause
// variation" (neutral).
const char* PointKind(spc::PointType type);

// The worse of the variation's rating (the latest point's type) and the
// assurance's; NOT_APPLICABLE for a neutral indicator.
v1::Rating SpcRating(const SpcConfig& config, spc::PointType latest,
                     spc::Assurance assurance, Orientation orientation);

// "; the 95% target will consistently be met" and the like; "" for none.
std::string AssuranceText(spc::Assurance assurance, const std::string& target);

// The rebase flags and targets (the rule's target, else the standard in
// force at each point) of the series' first n points; returns whether any
// point has a target.
bool PrepareSpcInputs(const SpcConfig& config, const SeriesContext& context,
                      int n, std::vector<uint8_t>* rebase,
                      std::vector<double>* targets);

// Appends one period of the chart to state->chart_points (NaN value for a
// period without one; point type "missing").
void AddChartPoint(Period period, double value, double centre, double lower,
                   double upper, spc::PointType type, int group,
                   v1::SpcState* state);

// The evaluator of an SPC rule on an attribute chart (config.chart is not
// XmR); attribute_spc_rule.cc.
std::unique_ptr<SeriesRuleEvaluator> MakeAttributeSpcEvaluator(
    SpcConfig config);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_SPC_CONFIG_H_
