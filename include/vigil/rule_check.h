// Checking a rule pack against the indicators it is meant for, without data:
// the warnings `vigil validate --rules PACK --indicators FILE` prints.
//
// Engine::Create checks a pack on its own. Some mistakes only show against
// the indicators: a rule that needs a direction (threshold, trend,
// trajectory, peer, milestone; SPC needs one unless neutral) on an indicator
// whose polarity is neutral or unset rates every provider NOT_APPLICABLE,
// and a selector naming an indicator id the indicators do not define, or
// matching none of them, assesses nothing. These are warnings, not errors:
// the pack still evaluates.
//
// Example:
//   for (const vigil::RuleWarning& w :
//        vigil::CheckRulesAgainstIndicators(rules, store.indicators())) {
//     std::cerr << "warning: " << w.message << "\n";
//   }
//
// Thread safety: a pure function.
#ifndef VIGIL_RULE_CHECK_H_
#define VIGIL_RULE_CHECK_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

struct RuleWarning {
  int rule_index = 0;  // Position in RuleSet.rules.
  std::string rule_id;
  std::string indicator_id;  // "" when about the rule's selector as a whole.
  // Self-contained: "rule 'adm' (rules[2]): a threshold rule on indicator
  // 'AE_ADM_T1' (Emergency admissions), whose polarity is neutral, is
  // NOT_APPLICABLE for every provider; set the rule's polarity, or the
  // indicator's".
  std::string message;
};

// Warnings for the enabled rules of `rules` against `indicators`, in pack
// order, then indicator order. Empty when every rule makes sense. `rules`
// should already pass Engine::Create (a rule without a kind is skipped).
std::vector<RuleWarning> CheckRulesAgainstIndicators(
    const v1::RuleSet& rules, absl::Span<const v1::Indicator> indicators);

}  // namespace vigil

#endif  // VIGIL_RULE_CHECK_H_
