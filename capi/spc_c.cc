// Making Data Count SPC over plain arrays.
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "vigil/attribute_spc.h"
#include "vigil/spc.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;
namespace spc = vigil::spc;

extern "C" {

VIGIL_EXPORT int vigil_spc_analyze(
    const double* values, size_t count, const unsigned char* rebase,
    const double* targets, int direction, int screen_outliers, int run_length,
    int fix_after_n_points, double* mean, double* lpl, double* upl,
    int* special_cause, int* point_type, int* variation_icon, int* assurance,
    char** error_message) noexcept {
  if (values == nullptr && count > 0) {
    return Invalid("values is NULL", error_message);
  }
  if (direction < -1 || direction > 1) {
    return Invalid(
        "direction must be VIGIL_SPC_INCREASE, _NEUTRAL or "
        "_DECREASE",
        error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    spc::Options options;
    options.direction = static_cast<spc::ImprovementDirection>(direction);
    options.screen_outliers = screen_outliers != 0;
    options.run_length = run_length == 0 ? 7 : run_length;
    options.fix_after_n_points = fix_after_n_points;
    thread_local spc::Workspace workspace;
    std::vector<spc::PointResult> points(count);
    spc::SeriesSummary summary;
    absl::Status s =
        spc::Analyze(absl::MakeConstSpan(values, count),
                     rebase == nullptr ? absl::Span<const uint8_t>()
                                       : absl::MakeConstSpan(rebase, count),
                     targets == nullptr ? absl::Span<const double>()
                                        : absl::MakeConstSpan(targets, count),
                     options, &workspace, absl::MakeSpan(points), &summary);
    if (!s.ok()) return s;
    for (size_t i = 0; i < count; ++i) {
      if (mean != nullptr) mean[i] = points[i].mean;
      if (lpl != nullptr) lpl[i] = points[i].lpl;
      if (upl != nullptr) upl[i] = points[i].upl;
      if (special_cause != nullptr) {
        special_cause[i] = static_cast<int>(points[i].special_cause);
      }
      if (point_type != nullptr) {
        point_type[i] = static_cast<int>(points[i].point_type);
      }
    }
    if (variation_icon != nullptr) {
      *variation_icon = static_cast<int>(summary.variation);
    }
    if (assurance != nullptr) *assurance = static_cast<int>(summary.assurance);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT const char* vigil_spc_special_cause_label(int code) noexcept {
  if (code < 0 || code > VIGIL_SPC_CAUSE_LONG_RUN_BELOW) return "";
  return spc::SpecialCauseLabel(static_cast<spc::SpecialCause>(code));
}

VIGIL_EXPORT const char* vigil_spc_point_type_name(int code) noexcept {
  if (code < 0 || code > VIGIL_SPC_POINT_MISSING) return "";
  return spc::PointTypeName(static_cast<spc::PointType>(code));
}

VIGIL_EXPORT const char* vigil_spc_variation_icon_name(int code) noexcept {
  if (code < 0 || code > VIGIL_SPC_ICON_NONE) return "";
  return spc::VariationIconName(static_cast<spc::VariationIcon>(code));
}

VIGIL_EXPORT const char* vigil_spc_assurance_name(int code) noexcept {
  if (code < 0 || code > VIGIL_SPC_ASSURANCE_INCONSISTENT) return "";
  return spc::AssuranceName(static_cast<spc::Assurance>(code));
}

}  // extern "C"
