// Composite rules: one rating from the ratings other rules gave a pair.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "vigil/names.h"

namespace vigil {
namespace internal {
namespace {

class CompositeEvaluator : public CombiningRuleEvaluator {
 public:
  // `members`: pack indices of the rules combined; `minimum_red` 0 = the
  // worst of them.
  CompositeEvaluator(std::vector<int> members, int minimum_red)
      : members_(std::move(members)), minimum_red_(minimum_red) {}

  void Assess(const CombiningContext& context,
              v1::Assessment* out) const override;

 private:
  const std::vector<int> members_;
  const int minimum_red_;
};

void CompositeEvaluator::Assess(const CombiningContext& context,
                                v1::Assessment* out) const {
  v1::Rating worst = v1::RATING_NOT_APPLICABLE;
  int red = 0;
  int judged = 0;
  std::vector<std::string> red_rules;
  for (int m : members_) {
    const v1::Assessment* a = context.by_rule[m];
    if (a == nullptr) continue;
    ++judged;
    if (RatingSeverityRank(a->rating()) > RatingSeverityRank(worst)) {
      worst = a->rating();
    }
    if (a->rating() == v1::RATING_RED) {
      ++red;
      if (context.explain) red_rules.push_back(a->rule_id());
    }
  }
  // No member judged the pair: the composite does not assess it either.
  if (judged == 0) return;
  if (!context.explain) {
    out->set_rating(minimum_red_ == 0         ? worst
                    : red >= minimum_red_     ? v1::RATING_RED
                    : worst == v1::RATING_RED ? v1::RATING_AMBER
                                              : worst);
    return;
  }
  AddEvidence(out, "rules judged", judged);
  AddEvidence(out, "rules red", red);
  std::string text = absl::StrCat(red, " of ", judged, " combined rules red");
  if (!red_rules.empty()) {
    absl::StrAppend(&text, " (", absl::StrJoin(red_rules, ", "), ")");
  }
  if (minimum_red_ == 0) {
    out->set_rating(worst);
    absl::StrAppend(&text, "; the worst rating is ", RatingLabel(worst));
  } else if (red >= minimum_red_) {
    out->set_rating(v1::RATING_RED);
    absl::StrAppend(&text, "; red at ", minimum_red_);
  } else {
    out->set_rating(worst == v1::RATING_RED ? v1::RATING_AMBER : worst);
    absl::StrAppend(&text, "; red needs ", minimum_red_);
  }
  SetReason(*context.indicator, out, text);
}

}  // namespace

CompiledEvaluator CompileCompositeRule(const RuleCompileContext& context) {
  const v1::RuleSet& rules = *context.pack;
  const v1::CompositeRule& c = context.rule().composite();
  if (c.rule_ids_size() == 0) {
    return context.Error("rule_ids", "names no rule");
  }
  std::vector<int> members;
  for (const std::string& id : c.rule_ids()) {
    int found = -1;
    for (int i = 0; i < rules.rules_size(); ++i) {
      if (rules.rules(i).id() == id) found = i;
    }
    if (found < 0) {
      return context.Error("rule_ids", absl::StrCat("unknown rule '", id, "'"));
    }
    const v1::Rule& member = rules.rules(found);
    if (found == context.index || member.has_composite()) {
      return context.Error(
          "rule_ids", absl::StrCat("'", id,
                                   "' is a composite rule; composites combine "
                                   "only non-composite rules"));
    }
    if (member.disabled() && !context.rule().disabled()) {
      return context.Error("rule_ids", absl::StrCat("'", id, "' is disabled"));
    }
    members.push_back(found);
  }
  if (c.minimum_red() < 0 || c.minimum_red() > c.rule_ids_size()) {
    return context.Error("minimum_red",
                         absl::StrCat("must be 0..", c.rule_ids_size()));
  }
  return std::make_unique<CompositeEvaluator>(std::move(members),
                                              c.minimum_red());
}

}  // namespace internal
}  // namespace vigil
