// vigil evaluate --cquin-weights: each provider's value of each CQUIN
// scheme from a CSV, merged into the rule pack's milestone rules.
#ifndef VIGIL_TOOLS_VIGIL_CQUIN_WEIGHTS_H_
#define VIGIL_TOOLS_VIGIL_CQUIN_WEIGHTS_H_

#include <string>

#include "absl/status/status.h"
#include "vigil/v1/rules.pb.h"

namespace vigil_tool {

// Reads `path`, a CSV with columns rule_id,provider_id,weight (any order,
// other columns ignored), and sets MilestoneRule.provider_weights of the
// named rules of `rules` (a weight in the file replaces the pack's for that
// provider). InvalidArgument naming the file, line and column for: a
// missing column, a rule id that is not a milestone rule of the pack, an
// empty provider id, a weight that is not a number above 0, a (rule,
// provider) pair given twice. NotFound when the file cannot be read.
absl::Status ApplyCquinWeights(const std::string& path,
                               vigil::v1::RuleSet* rules);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_CQUIN_WEIGHTS_H_
