// The registry of rule kinds. Adding a kind: its message in
// proto/vigil/v1/rules.proto, one file in src/rules/, one line below.
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/rule_kind.h"

namespace vigil {
namespace internal {
namespace {

RuleKindRegistry MakeBuiltin() {
  RuleKindRegistry r;
  r.Set({v1::Rule::kThreshold, Phase::kPerSeries, &CompileThresholdRule});
  r.Set({v1::Rule::kTrend, Phase::kPerSeries, &CompileTrendRule});
  r.Set({v1::Rule::kSpc, Phase::kPerSeries, &CompileSpcRule});
  r.Set({v1::Rule::kTrajectory, Phase::kPerSeries, &CompileTrajectoryRule});
  r.Set({v1::Rule::kPeer, Phase::kPerIndicator, &CompilePeerRule});
  r.Set({v1::Rule::kDataQuality, Phase::kPerSeries, &CompileDataQualityRule});
  r.Set({v1::Rule::kComposite, Phase::kCombining, &CompileCompositeRule});
  r.Set({v1::Rule::kMilestone, Phase::kPerSeries, &CompileMilestoneRule});
  return r;
}

}  // namespace

absl::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPerIndicator:
      return "per indicator";
    case Phase::kPerSeries:
      return "per series";
    case Phase::kCombining:
      return "combining";
  }
  return "unknown";
}

absl::string_view RuleKindName(v1::Rule::KindCase kind_case) {
  const google::protobuf::FieldDescriptor* field =
      v1::Rule::descriptor()->FindFieldByNumber(kind_case);
  if (field == nullptr || field->containing_oneof() == nullptr) return "";
  return field->name();
}

absl::Status RuleError(const v1::Rule& rule, int index, absl::string_view field,
                       absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      "rule '", rule.id(), "' (rules[", index, "]): ", field, ": ", problem));
}

absl::Status RuleCompileContext::Error(absl::string_view field,
                                       absl::string_view problem) const {
  return RuleError(rule(), index,
                   absl::StrCat(RuleKindName(rule().kind_case()), ".", field),
                   problem);
}

const RuleKindRegistry& RuleKindRegistry::Builtin() {
  static const RuleKindRegistry* const builtin =
      new RuleKindRegistry(MakeBuiltin());
  return *builtin;
}

absl::Status RuleKindRegistry::Register(const RuleKind& kind) {
  if (RuleKindName(kind.kind_case).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("rule kind ", static_cast<int>(kind.kind_case),
                     " is not a field of vigil.v1.Rule.kind"));
  }
  if (kind.compile == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rule kind '", RuleKindName(kind.kind_case), "' has no compiler"));
  }
  if (kinds_.contains(kind.kind_case)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "rule kind '", RuleKindName(kind.kind_case), "' is registered"));
  }
  kinds_[kind.kind_case] = kind;
  return absl::OkStatus();
}

void RuleKindRegistry::Set(const RuleKind& kind) {
  kinds_[kind.kind_case] = kind;
}

const RuleKind* RuleKindRegistry::Find(v1::Rule::KindCase kind_case) const {
  auto it = kinds_.find(kind_case);
  return it == kinds_.end() ? nullptr : &it->second;
}

}  // namespace internal
}  // namespace vigil
