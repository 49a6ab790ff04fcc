// Rules against the indicators they select: vigil/rule_check.h.
#include "vigil/rule_check.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/engine/compiled_rules.h"

namespace vigil {
namespace {

// Whether `rule` needs a direction from `indicator` and cannot get one.
// `hint` says how to give it one.
bool LacksDirection(const v1::Rule& rule, const v1::Indicator& indicator,
                    std::string* hint) {
  const v1::Polarity polarity = indicator.polarity();
  const bool neutral = polarity == v1::POLARITY_NEUTRAL;
  const bool unset =
      polarity == v1::POLARITY_UNSPECIFIED || !v1::Polarity_IsValid(polarity);
  if (!neutral && !unset) return false;
  *hint = "set the indicator's polarity";
  switch (rule.kind_case()) {
    case v1::Rule::kThreshold:
      if (rule.threshold().zero_tolerance() ||
          rule.threshold().polarity() != v1::POLARITY_UNSPECIFIED) {
        return false;
      }
      *hint = "set the rule's polarity, or the indicator's";
      return true;
    case v1::Rule::kTrend:
      if (rule.trend().polarity() != v1::POLARITY_UNSPECIFIED) return false;
      *hint = "set the rule's polarity, or the indicator's";
      return true;
    case v1::Rule::kTrajectory:
    case v1::Rule::kPeer:
    case v1::Rule::kMilestone:
      return true;
    case v1::Rule::kSpc:  // Neutral SPC labels points high and low.
      return unset;
    default:
      return false;
  }
}

std::string Describe(const v1::Indicator& indicator) {
  if (indicator.name().empty() || indicator.name() == indicator.id()) {
    return absl::StrCat("'", indicator.id(), "'");
  }
  return absl::StrCat("'", indicator.id(), "' (", indicator.name(), ")");
}

}  // namespace

std::vector<RuleWarning> CheckRulesAgainstIndicators(
    const v1::RuleSet& rules, absl::Span<const v1::Indicator> indicators) {
  std::vector<RuleWarning> out;
  absl::flat_hash_set<std::string> known;
  for (const v1::Indicator& indicator : indicators)
    known.insert(indicator.id());
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::Rule& rule = rules.rules(i);
    if (rule.disabled() || rule.kind_case() == v1::Rule::KIND_NOT_SET) continue;
    const std::string kind =
        v1::Rule::descriptor()->FindFieldByNumber(rule.kind_case())->name();
    const std::string where =
        absl::StrCat("rule '", rule.id(), "' (rules[", i, "]): ");
    const auto warn = [&](const std::string& indicator, std::string text) {
      out.push_back({i, rule.id(), indicator, absl::StrCat(where, text)});
    };
    for (const std::string& id : rule.selector().indicator_ids()) {
      if (!known.contains(id)) {
        warn(id, absl::StrCat("selects indicator '", id,
                              "', which the indicators do not define"));
      }
    }
    const internal::CompiledSelector selector(rule.selector());
    int matched = 0;
    for (const v1::Indicator& indicator : indicators) {
      if (!selector.MatchesIndicator(indicator)) continue;
      ++matched;
      std::string hint;
      if (!LacksDirection(rule, indicator, &hint)) continue;
      const std::string polarity =
          indicator.polarity() == v1::POLARITY_NEUTRAL ? "neutral" : "unset";
      warn(indicator.id(),
           absl::StrCat("a ", kind, " rule needs a direction, and indicator ",
                        Describe(indicator), " has polarity ", polarity,
                        ": it is NOT_APPLICABLE for every provider (", hint,
                        ")"));
    }
    if (matched == 0 && rule.selector().indicator_ids_size() == 0) {
      warn("", "its selector matches none of the indicators");
    }
  }
  return out;
}

}  // namespace vigil
