// Validation and compilation of a RuleSet through the registry of kinds.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/data/diagnostics.h"
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

// The fields every rule has: id, severity, selector, a kind.
absl::Status ValidateCommonFields(const v1::Rule& rule, int index,
                                  absl::flat_hash_set<std::string>* ids) {
  if (!IsValidRuleId(rule.id())) {
    return absl::InvalidArgumentError(
        absl::StrCat("rules[", index, "].id: \"", rule.id(),
                     "\" is not a rule id (letters, digits, '_', '-', '.')"));
  }
  if (!ids->insert(rule.id()).second) {
    return RuleError(rule, index, "id", "another rule has the same id");
  }
  if (!v1::Severity_IsValid(rule.severity())) {
    return RuleError(rule, index, "severity", "is not a known severity");
  }
  if (rule.kind_case() == v1::Rule::KIND_NOT_SET) {
    return RuleError(rule, index, "kind",
                     "no rule kind is set (threshold, trend, spc, trajectory, "
                     "peer, data_quality, composite or milestone)");
  }
  return ValidateSelector(rule, index);
}

// The evaluator of an enabled rule, or the validation of a disabled one
// (then the result is null, and a kind this version cannot run is fine).
absl::StatusOr<std::unique_ptr<RuleEvaluator>> CompileKind(
    const v1::RuleSet& rules, int index, const StandardTable& standards,
    const RuleKindRegistry& kinds) {
  const v1::Rule& rule = rules.rules(index);
  const RuleKind* kind = kinds.Find(rule.kind_case());
  if (kind == nullptr) {
    if (rule.disabled()) return nullptr;
    return absl::UnimplementedError(
        absl::StrCat("rule '", rule.id(), "' (rules[", index,
                     "]): ", RuleKindName(rule.kind_case()),
                     ": this engine version (", EngineVersion(),
                     ") cannot evaluate this rule kind; remove the rule or set "
                     "disabled: true"));
  }
  RuleCompileContext context;
  context.pack = &rules;
  context.index = index;
  context.standards = &standards;
  absl::StatusOr<std::unique_ptr<RuleEvaluator>> evaluator =
      kind->compile(context);
  if (!evaluator.ok() || rule.disabled()) return evaluator;
  if (*evaluator == nullptr || (*evaluator)->phase() != kind->phase) {
    return absl::InternalError(
        absl::StrCat("rule kind '", RuleKindName(rule.kind_case()),
                     "' compiled an evaluator of the wrong phase (registered ",
                     PhaseName(kind->phase), ")"));
  }
  return evaluator;
}

// The first string field of `message` (depth first, in field order) that
// is not valid UTF-8, as "rules[2].name: is not valid UTF-8 (...)": such
// text could not be written into a report (libprotobuf would log an error
// and a JSON reader would choke), so the pack is refused.
std::string FindInvalidUtf8(const google::protobuf::Message& message,
                            const std::string& path) {
  namespace pb = google::protobuf;
  const pb::Reflection* reflection = message.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    const std::string name =
        path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    const int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const std::string at =
          field->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
      if (field->type() == pb::FieldDescriptor::TYPE_STRING) {
        const std::string value =
            field->is_repeated()
                ? reflection->GetRepeatedString(message, field, i)
                : reflection->GetString(message, field);
        const std::string problem = Utf8Problem(value);
        if (!problem.empty()) return absl::StrCat(at, ": ", problem);
      } else if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        const pb::Message& sub =
            field->is_repeated()
                ? reflection->GetRepeatedMessage(message, field, i)
                : reflection->GetMessage(message, field);
        std::string found = FindInvalidUtf8(sub, at);
        if (!found.empty()) return found;
      }
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<CompiledRuleSet>> CompileRuleSet(
    const v1::RuleSet& rules, const RuleKindRegistry& kinds) {
  if (rules.id().empty()) {
    return absl::InvalidArgumentError("id: the rule pack has no id");
  }
  if (rules.rules_size() == 0) {
    return absl::InvalidArgumentError("rules: the rule pack has no rules");
  }
  if (std::string bad = FindInvalidUtf8(rules, ""); !bad.empty()) {
    return absl::InvalidArgumentError(bad);
  }
  auto compiled = std::make_unique<CompiledRuleSet>();
  compiled->rules = rules;
  const v1::EscalationPolicy& escalation = rules.escalation();
  for (const auto& [field, value] :
       {std::pair<const char*, int>{"enhanced_surveillance_min_red",
                                    escalation.enhanced_surveillance_min_red()},
        {"risk_summit_min_critical_red",
         escalation.risk_summit_min_critical_red()},
        {"risk_summit_min_red_domains",
         escalation.risk_summit_min_red_domains()}}) {
    if (value < 0) {
      return absl::InvalidArgumentError(absl::StrCat("escalation.", field,
                                                     ": must be >= 0 (0 = the "
                                                     "default), got ",
                                                     value));
    }
  }
  compiled->escalation = CompileEscalation(escalation);
  absl::StatusOr<SignalConfig> signals = CompileSignalPolicy(escalation);
  if (!signals.ok()) return signals.status();
  compiled->signals = *std::move(signals);
  if (absl::Status s = compiled->standards.Build(rules); !s.ok()) return s;
  absl::flat_hash_set<std::string> ids;
  for (int i = 0; i < rules.rules_size(); ++i) {
    absl::Status s = ValidateCommonFields(rules.rules(i), i, &ids);
    if (!s.ok()) return s;
  }
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::Rule& rule = rules.rules(i);
    absl::StatusOr<std::unique_ptr<RuleEvaluator>> evaluator =
        CompileKind(rules, i, compiled->standards, kinds);
    if (!evaluator.ok()) return evaluator.status();
    if (rule.disabled()) continue;
    CompiledRule c{i,
                   rule.id(),
                   rule.name().empty() ? rule.id() : rule.name(),
                   rule.severity() == v1::SEVERITY_UNSPECIFIED
                       ? v1::SEVERITY_WARNING
                       : rule.severity(),
                   CompiledSelector(rule.selector()),
                   *std::move(evaluator)};
    c.phase = c.evaluator->phase();
    c.needs_series = c.evaluator->NeedsSeries();
    const int slot = static_cast<int>(compiled->compiled.size());
    switch (c.phase) {
      case Phase::kPerIndicator:
        compiled->per_indicator.push_back(slot);
        break;
      case Phase::kPerSeries:
        compiled->per_series.push_back(slot);
        break;
      case Phase::kCombining:
        compiled->combining.push_back(slot);
        break;
    }
    compiled->compiled.push_back(std::move(c));
  }
  return compiled;
}

}  // namespace internal
}  // namespace vigil
