// Compile-time proof that every number the C API hands out or takes equals
// the C++ value it stands for: include/vigil/vigil.h's constants against the
// schema's enums and the C++ enums that cross the boundary as ints. A mismatch
// is a build error, never a silent change of meaning.
#include "vigil/attribute_spc.h"
#include "vigil/engine.h"
#include "vigil/funnel.h"
#include "vigil/io.h"
#include "vigil/spc.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"
#include "vigil/vigil.h"

namespace {

namespace funnel = vigil::funnel;
namespace spc = vigil::spc;
namespace v1 = vigil::v1;

template <typename E>
constexpr int Int(E value) {
  return static_cast<int>(value);
}

// Formats (vigil::Format, io.h).
static_assert(Int(vigil::Format::kBinary) == VIGIL_FORMAT_BINARY);
static_assert(Int(vigil::Format::kJson) == VIGIL_FORMAT_JSON);
static_assert(Int(vigil::Format::kText) == VIGIL_FORMAT_TEXT);
static_assert(Int(vigil::Format::kCsv) == VIGIL_FORMAT_CSV);
static_assert(Int(vigil::DataKind::kObservations) == VIGIL_KIND_OBSERVATIONS);
static_assert(Int(vigil::DataKind::kProviders) == VIGIL_KIND_PROVIDERS);
static_assert(Int(vigil::DataKind::kIndicators) == VIGIL_KIND_INDICATORS);
static_assert(Int(vigil::DataKind::kPlans) == VIGIL_KIND_PLANS);

// Limits.
static_assert(vigil::EvaluateOptions::kMaxThreads == VIGIL_MAX_THREADS);
static_assert(vigil::Engine::kMaxTimelinePeriods == VIGIL_MAX_TIMELINE_PERIODS);
static_assert(vigil::EvaluateOptions::kDefaultMaxAssessments ==
              VIGIL_DEFAULT_MAX_ASSESSMENTS);
static_assert(vigil::IndexLimits().max_periods_per_series ==
              VIGIL_DEFAULT_MAX_PERIODS_PER_SERIES);
static_assert(vigil::IndexLimits().max_stored_periods ==
              VIGIL_DEFAULT_MAX_STORED_PERIODS);

// Ratings, escalation levels, diagnostic severities (the schema).
static_assert(v1::RATING_GREEN == VIGIL_RATING_GREEN);
static_assert(v1::RATING_AMBER == VIGIL_RATING_AMBER);
static_assert(v1::RATING_RED == VIGIL_RATING_RED);
static_assert(v1::RATING_NO_DATA == VIGIL_RATING_NO_DATA);
static_assert(v1::RATING_NOT_APPLICABLE == VIGIL_RATING_NOT_APPLICABLE);
static_assert(v1::Rating_MAX == VIGIL_RATING_NOT_APPLICABLE,
              "a new Rating needs its VIGIL_RATING_* constant");
static_assert(v1::ESCALATION_LEVEL_ROUTINE == VIGIL_ESCALATION_ROUTINE);
static_assert(v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE ==
              VIGIL_ESCALATION_ENHANCED_SURVEILLANCE);
static_assert(v1::ESCALATION_LEVEL_RISK_SUMMIT == VIGIL_ESCALATION_RISK_SUMMIT);
static_assert(v1::EscalationLevel_MAX == VIGIL_ESCALATION_RISK_SUMMIT,
              "a new EscalationLevel needs its VIGIL_ESCALATION_* constant");
static_assert(v1::DIAGNOSTIC_SEVERITY_INFO == VIGIL_DIAGNOSTIC_INFO);
static_assert(v1::DIAGNOSTIC_SEVERITY_WARNING == VIGIL_DIAGNOSTIC_WARNING);
static_assert(v1::DIAGNOSTIC_SEVERITY_ERROR == VIGIL_DIAGNOSTIC_ERROR);
static_assert(v1::DiagnosticSeverity_MAX == VIGIL_DIAGNOSTIC_ERROR,
              "a new DiagnosticSeverity needs its VIGIL_DIAGNOSTIC_* constant");

// Back-test warning verdicts (vigil_backtest_summary_warning_verdict).
static_assert(v1::Warning::VERDICT_BORNE_OUT == VIGIL_WARNING_BORNE_OUT);
static_assert(v1::Warning::VERDICT_FALSE_ALARM == VIGIL_WARNING_FALSE_ALARM);
static_assert(v1::Warning::VERDICT_PENDING == VIGIL_WARNING_PENDING);
static_assert(v1::Warning::Verdict_MAX == VIGIL_WARNING_PENDING,
              "a new Warning.Verdict needs its VIGIL_WARNING_* constant");

// SPC (spc.h).
static_assert(Int(spc::ImprovementDirection::kIncrease) == VIGIL_SPC_INCREASE);
static_assert(Int(spc::ImprovementDirection::kNeutral) == VIGIL_SPC_NEUTRAL);
static_assert(Int(spc::ImprovementDirection::kDecrease) == VIGIL_SPC_DECREASE);

static_assert(Int(spc::SpecialCause::kCommonCause) ==
              VIGIL_SPC_CAUSE_COMMON_CAUSE);
static_assert(Int(spc::SpecialCause::kAboveUcl) == VIGIL_SPC_CAUSE_ABOVE_UCL);
static_assert(Int(spc::SpecialCause::kBelowLcl) == VIGIL_SPC_CAUSE_BELOW_LCL);
static_assert(Int(spc::SpecialCause::kTrendIncreasing) ==
              VIGIL_SPC_CAUSE_TREND_INCREASING);
static_assert(Int(spc::SpecialCause::kTrendDecreasing) ==
              VIGIL_SPC_CAUSE_TREND_DECREASING);
static_assert(Int(spc::SpecialCause::kTwoInThreeAbove) ==
              VIGIL_SPC_CAUSE_TWO_IN_THREE_ABOVE);
static_assert(Int(spc::SpecialCause::kTwoInThreeBelow) ==
              VIGIL_SPC_CAUSE_TWO_IN_THREE_BELOW);
static_assert(Int(spc::SpecialCause::kShiftAbove) ==
              VIGIL_SPC_CAUSE_SHIFT_ABOVE);
static_assert(Int(spc::SpecialCause::kShiftBelow) ==
              VIGIL_SPC_CAUSE_SHIFT_BELOW);
static_assert(Int(spc::SpecialCause::kMissing) == VIGIL_SPC_CAUSE_MISSING);
static_assert(Int(spc::SpecialCause::kLongRunAbove) ==
              VIGIL_SPC_CAUSE_LONG_RUN_ABOVE);
static_assert(Int(spc::SpecialCause::kLongRunBelow) ==
              VIGIL_SPC_CAUSE_LONG_RUN_BELOW);
// Attribute charts (attribute_spc.h).
static_assert(Int(spc::Chart::kXmR) == VIGIL_SPC_CHART_XMR);
static_assert(Int(spc::Chart::kP) == VIGIL_SPC_CHART_P);
static_assert(Int(spc::Chart::kPPrime) == VIGIL_SPC_CHART_P_PRIME);
static_assert(Int(spc::Chart::kU) == VIGIL_SPC_CHART_U);
static_assert(Int(spc::Chart::kUPrime) == VIGIL_SPC_CHART_U_PRIME);
static_assert(Int(spc::Chart::kC) == VIGIL_SPC_CHART_C);
static_assert(Int(spc::Chart::kG) == VIGIL_SPC_CHART_G);
static_assert(Int(spc::Chart::kT) == VIGIL_SPC_CHART_T);
static_assert(Int(spc::SignalRules::kMakingDataCount) ==
              VIGIL_SPC_RULES_MAKING_DATA_COUNT);
static_assert(Int(spc::SignalRules::kAnhoej) == VIGIL_SPC_RULES_ANHOEJ);
static_assert(Int(spc::ChartStatus::kOk) == VIGIL_SPC_STATUS_OK);
static_assert(Int(spc::ChartStatus::kNoPoints) == VIGIL_SPC_STATUS_NO_POINTS);
static_assert(Int(spc::ChartStatus::kSinglePoint) ==
              VIGIL_SPC_STATUS_SINGLE_POINT);
static_assert(Int(spc::ChartStatus::kAllZero) == VIGIL_SPC_STATUS_ALL_ZERO);
static_assert(Int(spc::ChartStatus::kNoLimits) == VIGIL_SPC_STATUS_NO_LIMITS);

static_assert(Int(spc::PointType::kCommonCause) ==
              VIGIL_SPC_POINT_COMMON_CAUSE);
static_assert(Int(spc::PointType::kImprovement) == VIGIL_SPC_POINT_IMPROVEMENT);
static_assert(Int(spc::PointType::kConcern) == VIGIL_SPC_POINT_CONCERN);
static_assert(Int(spc::PointType::kNeutralHigh) ==
              VIGIL_SPC_POINT_NEUTRAL_HIGH);
static_assert(Int(spc::PointType::kNeutralLow) == VIGIL_SPC_POINT_NEUTRAL_LOW);
static_assert(Int(spc::PointType::kMissing) == VIGIL_SPC_POINT_MISSING);

static_assert(Int(spc::VariationIcon::kCommonCause) ==
              VIGIL_SPC_ICON_COMMON_CAUSE);
static_assert(Int(spc::VariationIcon::kImprovementHigh) ==
              VIGIL_SPC_ICON_IMPROVEMENT_HIGH);
static_assert(Int(spc::VariationIcon::kImprovementLow) ==
              VIGIL_SPC_ICON_IMPROVEMENT_LOW);
static_assert(Int(spc::VariationIcon::kConcernHigh) ==
              VIGIL_SPC_ICON_CONCERN_HIGH);
static_assert(Int(spc::VariationIcon::kConcernLow) ==
              VIGIL_SPC_ICON_CONCERN_LOW);
static_assert(Int(spc::VariationIcon::kNeutralHigh) ==
              VIGIL_SPC_ICON_NEUTRAL_HIGH);
static_assert(Int(spc::VariationIcon::kNeutralLow) ==
              VIGIL_SPC_ICON_NEUTRAL_LOW);
static_assert(Int(spc::VariationIcon::kNone) == VIGIL_SPC_ICON_NONE);

static_assert(Int(spc::Assurance::kNone) == VIGIL_SPC_ASSURANCE_NONE);
static_assert(Int(spc::Assurance::kConsistentPass) ==
              VIGIL_SPC_ASSURANCE_CONSISTENT_PASS);
static_assert(Int(spc::Assurance::kConsistentFail) ==
              VIGIL_SPC_ASSURANCE_CONSISTENT_FAIL);
static_assert(Int(spc::Assurance::kInconsistent) ==
              VIGIL_SPC_ASSURANCE_INCONSISTENT);

// Funnel plots (funnel.h).
static_assert(Int(funnel::DataType::kProportion) == VIGIL_FUNNEL_PROPORTION);
static_assert(Int(funnel::DataType::kRatio) == VIGIL_FUNNEL_RATIO);
static_assert(Int(funnel::DataType::kRate) == VIGIL_FUNNEL_RATE);

static_assert(Int(funnel::Overdispersion::kNone) ==
              VIGIL_FUNNEL_OVERDISPERSION_NONE);
static_assert(Int(funnel::Overdispersion::kMultiplicative) ==
              VIGIL_FUNNEL_OVERDISPERSION_MULTIPLICATIVE);
static_assert(Int(funnel::Overdispersion::kAdditive) ==
              VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE);

static_assert(Int(funnel::Scale::kDefault) == VIGIL_FUNNEL_SCALE_DEFAULT);
static_assert(Int(funnel::Scale::kArcsine) == VIGIL_FUNNEL_SCALE_ARCSINE);
static_assert(Int(funnel::Scale::kLog) == VIGIL_FUNNEL_SCALE_LOG);
static_assert(Int(funnel::Scale::kSqrt) == VIGIL_FUNNEL_SCALE_SQRT);

static_assert(Int(funnel::LimitMethod::kDefault) ==
              VIGIL_FUNNEL_LIMITS_DEFAULT);
static_assert(Int(funnel::LimitMethod::kApproximate) ==
              VIGIL_FUNNEL_LIMITS_APPROXIMATE);
static_assert(Int(funnel::LimitMethod::kExact) == VIGIL_FUNNEL_LIMITS_EXACT);

static_assert(Int(funnel::Flag::kLow) == VIGIL_FUNNEL_FLAG_LOW);
static_assert(Int(funnel::Flag::kNone) == VIGIL_FUNNEL_FLAG_NONE);
static_assert(Int(funnel::Flag::kHigh) == VIGIL_FUNNEL_FLAG_HIGH);

static_assert(Int(funnel::GroupStatus::kUsed) == VIGIL_FUNNEL_STATUS_USED);
static_assert(Int(funnel::GroupStatus::kMissing) ==
              VIGIL_FUNNEL_STATUS_MISSING);
static_assert(Int(funnel::GroupStatus::kZeroDenominator) ==
              VIGIL_FUNNEL_STATUS_ZERO_DENOMINATOR);

static_assert(funnel::kMaxCoverages == VIGIL_FUNNEL_MAX_COVERAGES);

}  // namespace
