// Validation and compilation of a RuleSet.
#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/engine/compiled_rules.h"
#include "vigil/engine.h"

namespace vigil {
namespace internal {
namespace {

bool IsValidRuleId(absl::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool HasIndicatorCriterion(const v1::Selector& s) {
  return s.all_indicators() || s.indicator_ids_size() > 0 ||
         s.domains_size() > 0 || s.indicator_tags_size() > 0;
}

template <typename Container>
bool AnyEmpty(const Container& c) {
  return std::any_of(c.begin(), c.end(),
                     [](const std::string& s) { return s.empty(); });
}

absl::Status ValidateSelector(const v1::Rule& rule, int index) {
  const v1::Selector& s = rule.selector();
  if (!HasIndicatorCriterion(s)) {
    return RuleError(rule, index, "selector",
                     "selects no indicator: set indicator_ids, domains, "
                     "indicator_tags or all_indicators");
  }
  if (AnyEmpty(s.indicator_ids())) {
    return RuleError(rule, index, "selector.indicator_ids",
                     "contains an empty id");
  }
  if (AnyEmpty(s.provider_ids())) {
    return RuleError(rule, index, "selector.provider_ids",
                     "contains an empty id");
  }
  for (int d : s.domains()) {
    if (!v1::Domain_IsValid(d) || d == v1::DOMAIN_UNSPECIFIED) {
      return RuleError(rule, index, "selector.domains",
                       absl::StrCat("value ", d, " is not a CQC domain"));
    }
  }
  for (int t : s.provider_types()) {
    if (!v1::ProviderType_IsValid(t) || t == v1::PROVIDER_TYPE_UNSPECIFIED) {
      return RuleError(rule, index, "selector.provider_types",
                       absl::StrCat("value ", t, " is not a provider type"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RuleEvaluator>> MakeEvaluator(
    const v1::RuleSet& rules, int index, const StandardTable& standards) {
  const v1::Rule& rule = rules.rules(index);
  switch (rule.kind_case()) {
    case v1::Rule::kThreshold:
      return MakeThresholdEvaluator(rule, index, standards);
    case v1::Rule::kTrend:
      return MakeTrendEvaluator(rule, index);
    case v1::Rule::kDataQuality:
      return MakeDataQualityEvaluator(rule, index);
    case v1::Rule::kComposite:
      return MakeCompositeEvaluator(rules, index);
    case v1::Rule::kSpc:
      return MakeSpcEvaluator(rule, index);
    case v1::Rule::kTrajectory:
    case v1::Rule::kPeer: {
      const std::string kind =
          rule.GetDescriptor()->FindFieldByNumber(rule.kind_case())->name();
      return absl::UnimplementedError(absl::StrCat(
          "rule '", rule.id(), "' (rules[", index, "]): ", kind,
          ": this engine version (", EngineVersion(),
          ") cannot evaluate this rule kind; remove the rule or set "
          "disabled: true"));
    }
    case v1::Rule::KIND_NOT_SET:
      break;
  }
  return RuleError(rule, index, "kind",
                   "no rule kind is set (threshold, trend, spc, trajectory, "
                   "peer, data_quality or composite)");
}

v1::EscalationPolicy WithDefaults(v1::EscalationPolicy p) {
  if (p.enhanced_surveillance_min_red() <= 0) {
    p.set_enhanced_surveillance_min_red(1);
  }
  if (p.risk_summit_min_critical_red() <= 0) {
    p.set_risk_summit_min_critical_red(2);
  }
  if (p.risk_summit_min_red_domains() <= 0) {
    p.set_risk_summit_min_red_domains(3);
  }
  return p;
}

}  // namespace

absl::Status RuleError(const v1::Rule& rule, int index, absl::string_view field,
                       absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      "rule '", rule.id(), "' (rules[", index, "]): ", field, ": ", problem));
}

absl::Status StandardTable::Build(const v1::RuleSet& rules) {
  for (int i = 0; i < rules.standards_size(); ++i) {
    const v1::Standard& s = rules.standards(i);
    const std::string where = absl::StrCat("standards[", i, "]");
    if (s.indicator_id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".indicator_id: is empty"));
    }
    if (!std::isfinite(s.value())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".value: is not a finite number"));
    }
    Entry entry{absl::CivilDay(1, 1, 1), s};
    if (!s.effective_from().empty()) {
      absl::StatusOr<Period> from = ParsePeriod(s.effective_from());
      if (!from.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ".effective_from: ", from.status().message()));
      }
      entry.effective_from = FirstDay(*from);
    }
    std::vector<Entry>& list = by_indicator_[s.indicator_id()];
    for (const Entry& e : list) {
      if (e.effective_from == entry.effective_from) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ".effective_from: indicator '", s.indicator_id(),
            "' already has a standard effective from that date"));
      }
    }
    list.push_back(std::move(entry));
  }
  for (auto& [id, list] : by_indicator_) {
    std::sort(list.begin(), list.end(), [](const Entry& a, const Entry& b) {
      return a.effective_from < b.effective_from;
    });
  }
  return absl::OkStatus();
}

const v1::Standard* StandardTable::Find(absl::string_view indicator_id,
                                        Period period) const {
  auto it = by_indicator_.find(indicator_id);
  if (it == by_indicator_.end()) return nullptr;
  const absl::CivilDay first = FirstDay(period);
  const v1::Standard* found = nullptr;
  for (const Entry& e : it->second) {
    if (e.effective_from > first) break;
    found = &e.standard;
  }
  return found;
}

CompiledSelector::CompiledSelector(const v1::Selector& s)
    : all_indicators_(s.all_indicators()),
      indicator_ids_(s.indicator_ids().begin(), s.indicator_ids().end()),
      domains_(s.domains().begin(), s.domains().end()),
      indicator_tags_(s.indicator_tags().begin(), s.indicator_tags().end()),
      provider_ids_(s.provider_ids().begin(), s.provider_ids().end()),
      provider_types_(s.provider_types().begin(), s.provider_types().end()),
      provider_tags_(s.provider_tags().begin(), s.provider_tags().end()) {}

bool CompiledSelector::MatchesIndicator(const v1::Indicator& ind) const {
  if (!indicator_ids_.empty() && !indicator_ids_.contains(ind.id())) {
    return false;
  }
  if (!domains_.empty() && std::find(domains_.begin(), domains_.end(),
                                     ind.domain()) == domains_.end()) {
    return false;
  }
  if (!indicator_tags_.empty() &&
      std::none_of(ind.tags().begin(), ind.tags().end(),
                   [this](const std::string& t) {
                     return indicator_tags_.contains(t);
                   })) {
    return false;
  }
  return true;
}

bool CompiledSelector::MatchesProvider(const v1::Provider& p) const {
  if (!provider_ids_.empty() && !provider_ids_.contains(p.id())) return false;
  if (!provider_types_.empty() &&
      std::find(provider_types_.begin(), provider_types_.end(), p.type()) ==
          provider_types_.end()) {
    return false;
  }
  if (!provider_tags_.empty() &&
      std::none_of(p.tags().begin(), p.tags().end(),
                   [this](const std::string& t) {
                     return provider_tags_.contains(t);
                   })) {
    return false;
  }
  return true;
}

absl::StatusOr<std::unique_ptr<CompiledRuleSet>> CompileRuleSet(
    const v1::RuleSet& rules) {
  if (rules.id().empty()) {
    return absl::InvalidArgumentError("id: the rule pack has no id");
  }
  if (rules.rules_size() == 0) {
    return absl::InvalidArgumentError("rules: the rule pack has no rules");
  }
  auto compiled = std::make_unique<CompiledRuleSet>();
  compiled->rules = rules;
  compiled->escalation = WithDefaults(rules.escalation());
  if (absl::Status s = compiled->standards.Build(rules); !s.ok()) return s;
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::Rule& rule = rules.rules(i);
    if (!IsValidRuleId(rule.id())) {
      return absl::InvalidArgumentError(
          absl::StrCat("rules[", i, "].id: \"", rule.id(),
                       "\" is not a rule id (letters, digits, '_', '-', '.')"));
    }
    if (!ids.insert(rule.id()).second) {
      return RuleError(rule, i, "id", "another rule has the same id");
    }
    if (!v1::Severity_IsValid(rule.severity())) {
      return RuleError(rule, i, "severity", "is not a known severity");
    }
    if (absl::Status s = ValidateSelector(rule, i); !s.ok()) return s;
  }
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::Rule& rule = rules.rules(i);
    absl::StatusOr<std::unique_ptr<RuleEvaluator>> evaluator =
        MakeEvaluator(rules, i, compiled->standards);
    if (!evaluator.ok()) return evaluator.status();
    if (rule.disabled()) continue;
    compiled->compiled.push_back(CompiledRule{
        i, rule, CompiledSelector(rule.selector()), *std::move(evaluator)});
  }
  return compiled;
}

}  // namespace internal
}  // namespace vigil
