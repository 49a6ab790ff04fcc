// Funnel plots over plain arrays (include/vigil/funnel.h).
#include <cmath>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "vigil/funnel.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;
namespace funnel = vigil::funnel;

struct vigil_funnel_options {
  funnel::Options options;
};

struct vigil_funnel {
  funnel::Funnel funnel;
};

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sets one field of `options` after `valid` holds; the status otherwise.
template <typename Set>
int SetOption(vigil_funnel_options* options, bool valid, const char* message,
              char** error_message, Set set) {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  if (!valid) return Invalid(message, error_message);
  set(options->options);
  return vigil_capi::Report(absl::OkStatus(), error_message);
}

}  // namespace

extern "C" {

VIGIL_EXPORT int vigil_funnel_options_create(
    vigil_funnel_options** out) noexcept {
  if (out == nullptr) return VIGIL_INVALID_ARGUMENT;
  *out = nullptr;
  return Guard(nullptr, [&]() -> absl::Status {
    *out = new vigil_funnel_options();
    // Additive, as `vigil funnel`, Python and FunnelPlotR (docs/funnel.md).
    (*out)->options.overdispersion = funnel::Overdispersion::kAdditive;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_funnel_options_destroy(
    vigil_funnel_options* options) noexcept {
  delete options;
}

VIGIL_EXPORT int vigil_funnel_options_set_type(vigil_funnel_options* options,
                                               int type,
                                               char** error_message) noexcept {
  return SetOption(options,
                   type >= VIGIL_FUNNEL_PROPORTION && type <= VIGIL_FUNNEL_RATE,
                   "type must be VIGIL_FUNNEL_PROPORTION, _RATIO or _RATE",
                   error_message, [&](funnel::Options& o) {
                     o.type = static_cast<funnel::DataType>(type);
                   });
}

VIGIL_EXPORT int vigil_funnel_options_set_coverages(
    vigil_funnel_options* options, const double* coverages, size_t count,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  if (count == 0 || count > VIGIL_FUNNEL_MAX_COVERAGES) {
    return Invalid(
        "coverages: count must be 1 to VIGIL_FUNNEL_MAX_COVERAGES (8)",
        error_message);
  }
  if (coverages == nullptr) return Invalid("coverages is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    for (size_t i = 0; i < count; ++i) {
      if (!(coverages[i] > 0 && coverages[i] < 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat("coverages[", i, "] is ", coverages[i],
                         ": each must be above 0 and below 1 (0.95 for the "
                         "95% limits)"));
      }
      for (size_t j = 0; j < i; ++j) {
        if (coverages[j] == coverages[i]) {
          return absl::InvalidArgumentError(
              absl::StrCat("coverages[", j, "] and coverages[", i,
                           "] are both ", coverages[i]));
        }
      }
    }
    options->options.coverages.assign(coverages, coverages + count);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_funnel_options_set_target(
    vigil_funnel_options* options, double target,
    char** error_message) noexcept {
  return SetOption(options, !std::isinf(target),
                   "target must be finite (or VIGIL_NONE for the default)",
                   error_message,
                   [&](funnel::Options& o) { o.target = target; });
}

VIGIL_EXPORT int vigil_funnel_options_set_overdispersion(
    vigil_funnel_options* options, int method, char** error_message) noexcept {
  return SetOption(options,
                   method >= VIGIL_FUNNEL_OVERDISPERSION_NONE &&
                       method <= VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE,
                   "overdispersion must be VIGIL_FUNNEL_OVERDISPERSION_NONE, "
                   "_MULTIPLICATIVE or _ADDITIVE",
                   error_message, [&](funnel::Options& o) {
                     o.overdispersion =
                         static_cast<funnel::Overdispersion>(method);
                   });
}

VIGIL_EXPORT int vigil_funnel_options_set_scale(vigil_funnel_options* options,
                                                int scale,
                                                char** error_message) noexcept {
  return SetOption(
      options,
      scale >= VIGIL_FUNNEL_SCALE_DEFAULT && scale <= VIGIL_FUNNEL_SCALE_SQRT,
      "scale must be VIGIL_FUNNEL_SCALE_DEFAULT, _ARCSINE, _LOG or _SQRT",
      error_message,
      [&](funnel::Options& o) { o.scale = static_cast<funnel::Scale>(scale); });
}

VIGIL_EXPORT int vigil_funnel_options_set_limit_method(
    vigil_funnel_options* options, int method, char** error_message) noexcept {
  return SetOption(
      options,
      method >= VIGIL_FUNNEL_LIMITS_DEFAULT &&
          method <= VIGIL_FUNNEL_LIMITS_EXACT,
      "limit method must be VIGIL_FUNNEL_LIMITS_DEFAULT, _APPROXIMATE or "
      "_EXACT",
      error_message, [&](funnel::Options& o) {
        o.limits = static_cast<funnel::LimitMethod>(method);
      });
}

VIGIL_EXPORT int vigil_funnel_options_set_trim(vigil_funnel_options* options,
                                               double trim,
                                               char** error_message) noexcept {
  return SetOption(options, trim >= 0 && trim < 0.5,
                   "trim must be at least 0 and below 0.5", error_message,
                   [&](funnel::Options& o) { o.trim = trim; });
}

VIGIL_EXPORT int vigil_funnel_options_set_multiplier(
    vigil_funnel_options* options, double multiplier,
    char** error_message) noexcept {
  return SetOption(options, std::isfinite(multiplier) && multiplier > 0,
                   "multiplier must be finite and above 0", error_message,
                   [&](funnel::Options& o) { o.multiplier = multiplier; });
}

VIGIL_EXPORT int vigil_funnel_fit(
    const vigil_funnel_options* options, const double* numerators,
    const double* denominators, size_t count, double* values, double* z,
    double* z_unadjusted, int* status, double* lower, double* upper, int* flags,
    vigil_funnel** funnel_out, char** error_message) noexcept {
  if (funnel_out != nullptr) *funnel_out = nullptr;
  if (options == nullptr) return Invalid("options is NULL", error_message);
  if (count > 0 && numerators == nullptr) {
    return Invalid("numerators is NULL", error_message);
  }
  if (count > 0 && denominators == nullptr) {
    return Invalid("denominators is NULL", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    funnel::Result result;
    absl::Status s = funnel::Fit(absl::MakeConstSpan(numerators, count),
                                 absl::MakeConstSpan(denominators, count),
                                 options->options, &result);
    if (!s.ok()) return s;
    const size_t k = result.funnel.coverages.size();
    if (result.groups.size() != count || result.lower.size() != count * k ||
        result.upper.size() != count * k || result.flags.size() != count * k) {
      return absl::InternalError("the fit's outputs have the wrong sizes");
    }
    // Allocate the handle before writing any output: all or nothing.
    std::unique_ptr<vigil_funnel> handle;
    if (funnel_out != nullptr) {
      handle.reset(new vigil_funnel{std::move(result.funnel)});
    }
    for (size_t i = 0; i < count; ++i) {
      const funnel::GroupResult& g = result.groups[i];
      if (values != nullptr) values[i] = g.value;
      if (z != nullptr) z[i] = g.z;
      if (z_unadjusted != nullptr) z_unadjusted[i] = g.z_unadjusted;
      if (status != nullptr) status[i] = static_cast<int>(g.status);
    }
    for (size_t i = 0; i < count * k; ++i) {
      if (lower != nullptr) lower[i] = result.lower[i];
      if (upper != nullptr) upper[i] = result.upper[i];
      if (flags != nullptr) flags[i] = static_cast<int>(result.flags[i]);
    }
    if (funnel_out != nullptr) *funnel_out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_funnel_destroy(vigil_funnel* funnel) noexcept {
  delete funnel;
}

VIGIL_EXPORT double vigil_funnel_target(const vigil_funnel* f) noexcept {
  return f == nullptr ? kNaN : f->funnel.target;
}

VIGIL_EXPORT double vigil_funnel_phi(const vigil_funnel* f) noexcept {
  return f == nullptr ? kNaN : f->funnel.phi;
}

VIGIL_EXPORT double vigil_funnel_tau2(const vigil_funnel* f) noexcept {
  return f == nullptr ? kNaN : f->funnel.tau2;
}

VIGIL_EXPORT double vigil_funnel_multiplier(const vigil_funnel* f) noexcept {
  return f == nullptr ? kNaN : f->funnel.multiplier;
}

VIGIL_EXPORT int vigil_funnel_adjusted(const vigil_funnel* f) noexcept {
  return f != nullptr && f->funnel.adjusted ? 1 : 0;
}

VIGIL_EXPORT int vigil_funnel_groups(const vigil_funnel* f) noexcept {
  return f == nullptr ? 0 : f->funnel.groups;
}

VIGIL_EXPORT int vigil_funnel_phi_groups(const vigil_funnel* f) noexcept {
  return f == nullptr ? 0 : f->funnel.phi_groups;
}

VIGIL_EXPORT int vigil_funnel_type(const vigil_funnel* f) noexcept {
  return f == nullptr ? -1 : static_cast<int>(f->funnel.type);
}

VIGIL_EXPORT int vigil_funnel_scale(const vigil_funnel* f) noexcept {
  return f == nullptr ? -1 : static_cast<int>(f->funnel.scale);
}

VIGIL_EXPORT int vigil_funnel_limit_method(const vigil_funnel* f) noexcept {
  return f == nullptr ? -1 : static_cast<int>(f->funnel.limits);
}

VIGIL_EXPORT int vigil_funnel_overdispersion(const vigil_funnel* f) noexcept {
  return f == nullptr ? -1 : static_cast<int>(f->funnel.overdispersion);
}

VIGIL_EXPORT size_t
vigil_funnel_coverage_count(const vigil_funnel* f) noexcept {
  return f == nullptr ? 0 : f->funnel.coverages.size();
}

VIGIL_EXPORT double vigil_funnel_coverage(const vigil_funnel* f,
                                          size_t c) noexcept {
  if (f == nullptr || c >= f->funnel.coverages.size()) return kNaN;
  return f->funnel.coverages[c];
}

VIGIL_EXPORT int vigil_funnel_limits_at(const vigil_funnel* f,
                                        double denominator, size_t c,
                                        double* lower, double* upper,
                                        char** error_message) noexcept {
  if (f == nullptr) return Invalid("funnel is NULL", error_message);
  if (!(std::isfinite(denominator) && denominator > 0)) {
    return Invalid("denominator must be finite and above 0", error_message);
  }
  if (c >= f->funnel.coverages.size()) {
    return Invalid("coverage index out of range", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    double lo = kNaN, hi = kNaN;
    funnel::LimitsAt(f->funnel, denominator, static_cast<int>(c), &lo, &hi);
    if (lower != nullptr) *lower = lo;
    if (upper != nullptr) *upper = hi;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_funnel_curve(const vigil_funnel* f,
                                    const double* denominators, size_t count,
                                    double* lower, double* upper,
                                    char** error_message) noexcept {
  if (f == nullptr) return Invalid("funnel is NULL", error_message);
  if (count > 0 && denominators == nullptr) {
    return Invalid("denominators is NULL", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    for (size_t i = 0; i < count; ++i) {
      if (!(std::isfinite(denominators[i]) && denominators[i] > 0)) {
        return absl::InvalidArgumentError(
            absl::StrCat("denominators[", i, "] is ", denominators[i],
                         ": each must be finite and above 0"));
      }
    }
    const size_t n = count * f->funnel.coverages.size();
    std::vector<double> lo(n), hi(n);
    absl::Status s =
        funnel::Curve(f->funnel, absl::MakeConstSpan(denominators, count),
                      absl::MakeSpan(lo), absl::MakeSpan(hi));
    if (!s.ok()) return s;
    for (size_t i = 0; i < n; ++i) {
      if (lower != nullptr) lower[i] = lo[i];
      if (upper != nullptr) upper[i] = hi[i];
    }
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_funnel_denominator_grid(double lowest, double highest,
                                               size_t points, double* out,
                                               char** error_message) noexcept {
  if (!(std::isfinite(lowest) && std::isfinite(highest) && lowest > 0 &&
        lowest <= highest)) {
    return Invalid("lowest and highest must be finite, 0 < lowest <= highest",
                   error_message);
  }
  if (points < 2 ||
      points > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Invalid("points must be at least 2", error_message);
  }
  if (out == nullptr) return Invalid("out is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    const std::vector<double> grid =
        funnel::DenominatorGrid(lowest, highest, static_cast<int>(points));
    if (grid.size() != points) {
      return absl::InternalError("the grid has the wrong size");
    }
    for (size_t i = 0; i < points; ++i) out[i] = grid[i];
    return absl::OkStatus();
  });
}

VIGIL_EXPORT const char* vigil_funnel_type_name(int type) noexcept {
  if (type < VIGIL_FUNNEL_PROPORTION || type > VIGIL_FUNNEL_RATE) return "";
  return funnel::DataTypeName(static_cast<funnel::DataType>(type));
}

VIGIL_EXPORT const char* vigil_funnel_overdispersion_name(int method) noexcept {
  if (method < VIGIL_FUNNEL_OVERDISPERSION_NONE ||
      method > VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE) {
    return "";
  }
  return funnel::OverdispersionName(
      static_cast<funnel::Overdispersion>(method));
}

VIGIL_EXPORT const char* vigil_funnel_scale_name(int scale) noexcept {
  if (scale < VIGIL_FUNNEL_SCALE_DEFAULT || scale > VIGIL_FUNNEL_SCALE_SQRT) {
    return "";
  }
  return funnel::ScaleName(static_cast<funnel::Scale>(scale));
}

VIGIL_EXPORT const char* vigil_funnel_limit_method_name(int method) noexcept {
  if (method < VIGIL_FUNNEL_LIMITS_DEFAULT ||
      method > VIGIL_FUNNEL_LIMITS_EXACT) {
    return "";
  }
  return funnel::LimitMethodName(static_cast<funnel::LimitMethod>(method));
}

VIGIL_EXPORT const char* vigil_funnel_flag_name(int flag) noexcept {
  if (flag < VIGIL_FUNNEL_FLAG_LOW || flag > VIGIL_FUNNEL_FLAG_HIGH) return "";
  return funnel::FlagName(static_cast<funnel::Flag>(flag));
}

VIGIL_EXPORT const char* vigil_funnel_status_name(int status) noexcept {
  if (status < VIGIL_FUNNEL_STATUS_USED ||
      status > VIGIL_FUNNEL_STATUS_ZERO_DENOMINATOR) {
    return "";
  }
  return funnel::GroupStatusName(static_cast<funnel::GroupStatus>(status));
}

}  // extern "C"
