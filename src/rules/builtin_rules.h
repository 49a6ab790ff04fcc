// The compilers of the rule kinds this version runs, one per file in
// src/rules/. The registry (rule_kinds.cc) lists them.
#ifndef VIGIL_SRC_RULES_BUILTIN_RULES_H_
#define VIGIL_SRC_RULES_BUILTIN_RULES_H_

#include <memory>

#include "absl/status/statusor.h"
#include "src/rules/rule_kind.h"

namespace vigil {
namespace internal {

using CompiledEvaluator = absl::StatusOr<std::unique_ptr<RuleEvaluator>>;

CompiledEvaluator CompileThresholdRule(const RuleCompileContext& context);
CompiledEvaluator CompileTrendRule(const RuleCompileContext& context);
CompiledEvaluator CompileSpcRule(const RuleCompileContext& context);
CompiledEvaluator CompilePeerRule(const RuleCompileContext& context);
CompiledEvaluator CompileTrajectoryRule(const RuleCompileContext& context);
CompiledEvaluator CompileDataQualityRule(const RuleCompileContext& context);
CompiledEvaluator CompileCompositeRule(const RuleCompileContext& context);
CompiledEvaluator CompileMilestoneRule(const RuleCompileContext& context);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_RULES_BUILTIN_RULES_H_
