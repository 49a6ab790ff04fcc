// Attribute SPC charts (p, p', u, u', c, g, t) over plain arrays.
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "vigil/attribute_spc.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;
namespace spc = vigil::spc;

namespace {

// Copies the kernel's points into the caller's arrays (each may be NULL).
struct Outputs {
  double *value, *centre, *lower, *upper, *lower_2sigma, *upper_2sigma;
  int *sigma_signal, *special_cause, *point_type, *runs;
};

void Write(const std::vector<spc::AttributePoint>& points,
           const spc::AttributeSummary& summary, const Outputs& o) {
  for (size_t i = 0; i < points.size(); ++i) {
    const spc::AttributePoint& p = points[i];
    if (o.value != nullptr) o.value[i] = p.value;
    if (o.centre != nullptr) o.centre[i] = p.centre;
    if (o.lower != nullptr) o.lower[i] = p.lower;
    if (o.upper != nullptr) o.upper[i] = p.upper;
    if (o.lower_2sigma != nullptr) o.lower_2sigma[i] = p.lower_2sigma;
    if (o.upper_2sigma != nullptr) o.upper_2sigma[i] = p.upper_2sigma;
    if (o.sigma_signal != nullptr) o.sigma_signal[i] = p.sigma_signal ? 1 : 0;
    if (o.special_cause != nullptr) {
      o.special_cause[i] = static_cast<int>(p.special_cause);
    }
    if (o.point_type != nullptr) {
      o.point_type[i] = static_cast<int>(p.point_type);
    }
    if (o.runs != nullptr) {
      const spc::RunsAnalysis r =
          static_cast<size_t>(p.group) < summary.runs.size()
              ? summary.runs[p.group]
              : spc::RunsAnalysis();
      int* out = o.runs + i * VIGIL_SPC_RUNS_FIELDS;
      out[0] = r.useful;
      out[1] = r.longest_run;
      out[2] = r.longest_run_max;
      out[3] = r.crossings;
      out[4] = r.crossings_min;
      out[5] = r.signal ? 1 : 0;
    }
  }
}

}  // namespace

extern "C" {

VIGIL_EXPORT int vigil_spc_chart_analyze(
    int chart, const double* numerators, const double* denominators,
    size_t count, const unsigned char* rebase, const double* targets,
    double multiplier, int screen_moving_ranges, int rules, int direction,
    int run_length, int fix_after_n_points, double* value, double* centre,
    double* lower, double* upper, double* lower_2sigma, double* upper_2sigma,
    int* sigma_signal, int* special_cause, int* point_type, int* runs,
    int* variation_icon, int* assurance, int* status,
    char** error_message) noexcept {
  if (chart < VIGIL_SPC_CHART_P || chart > VIGIL_SPC_CHART_T) {
    return Invalid(absl::StrCat("chart: ", chart,
                                " is not an attribute chart (VIGIL_SPC_CHART_P"
                                " .. _T; XmR is vigil_spc_analyze)")
                       .c_str(),
                   error_message);
  }
  const bool ratio = spc::ChartUsesDenominator(static_cast<spc::Chart>(chart));
  if (numerators == nullptr && count > 0) {
    return Invalid("numerators is NULL", error_message);
  }
  if (ratio && denominators == nullptr && count > 0) {
    return Invalid(absl::StrCat("denominators is NULL (the ",
                                spc::ChartName(static_cast<spc::Chart>(chart)),
                                " chart needs them)")
                       .c_str(),
                   error_message);
  }
  if (direction < -1 || direction > 1) {
    return Invalid(
        "direction must be VIGIL_SPC_INCREASE, _NEUTRAL or _DECREASE",
        error_message);
  }
  if (rules != VIGIL_SPC_RULES_MAKING_DATA_COUNT &&
      rules != VIGIL_SPC_RULES_ANHOEJ) {
    return Invalid("rules must be VIGIL_SPC_RULES_MAKING_DATA_COUNT or _ANHOEJ",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    spc::AttributeOptions options;
    options.chart = static_cast<spc::Chart>(chart);
    options.multiplier = multiplier == 0 ? 1 : multiplier;
    options.screen_moving_ranges = screen_moving_ranges != 0;
    options.rules = static_cast<spc::SignalRules>(rules);
    options.direction = static_cast<spc::ImprovementDirection>(direction);
    options.run_length = run_length == 0 ? spc::kDefaultRunLength : run_length;
    options.fix_after_n_points = fix_after_n_points;
    thread_local spc::AttributeWorkspace workspace;
    thread_local spc::AttributeSummary summary;
    std::vector<spc::AttributePoint> points(count);
    absl::Status s = spc::AnalyzeAttribute(
        absl::MakeConstSpan(numerators, count),
        ratio ? absl::MakeConstSpan(denominators, count)
              : absl::Span<const double>(),
        rebase == nullptr ? absl::Span<const uint8_t>()
                          : absl::MakeConstSpan(rebase, count),
        targets == nullptr ? absl::Span<const double>()
                           : absl::MakeConstSpan(targets, count),
        options, &workspace, absl::MakeSpan(points), &summary);
    if (!s.ok()) return s;
    Write(points, summary,
          Outputs{value, centre, lower, upper, lower_2sigma, upper_2sigma,
                  sigma_signal, special_cause, point_type, runs});
    if (variation_icon != nullptr) {
      *variation_icon = static_cast<int>(summary.variation);
    }
    if (assurance != nullptr) *assurance = static_cast<int>(summary.assurance);
    if (status != nullptr) *status = static_cast<int>(summary.status);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT const char* vigil_spc_chart_name(int chart) noexcept {
  if (chart < VIGIL_SPC_CHART_XMR || chart > VIGIL_SPC_CHART_T) return "";
  return spc::ChartName(static_cast<spc::Chart>(chart));
}

VIGIL_EXPORT const char* vigil_spc_status_description(int status) noexcept {
  if (status < VIGIL_SPC_STATUS_OK || status > VIGIL_SPC_STATUS_NO_LIMITS) {
    return "";
  }
  return spc::ChartStatusDescription(static_cast<spc::ChartStatus>(status));
}

}  // extern "C"
