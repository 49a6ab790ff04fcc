// Reports: serialization and field-by-field accessors.
#include <climits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "google/protobuf/util/json_util.h"
#include "message_io.h"
#include "vigil/html_report.h"
#include "vigil/names.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;

namespace {

namespace v1 = vigil::v1;

const v1::Assessment* AssessmentAt(const vigil_report* r, size_t i) {
  if (r == nullptr || i >= static_cast<size_t>(r->report.assessments_size())) {
    return nullptr;
  }
  return &r->report.assessments(static_cast<int>(i));
}

const v1::ProviderSummary* ProviderAt(const vigil_report* r, size_t i) {
  if (r == nullptr || i >= static_cast<size_t>(r->report.providers_size())) {
    return nullptr;
  }
  return &r->report.providers(static_cast<int>(i));
}

const v1::Diagnostic* DiagnosticAt(const vigil_report* r, size_t i) {
  if (r == nullptr || i >= static_cast<size_t>(r->report.diagnostics_size())) {
    return nullptr;
  }
  return &r->report.diagnostics(static_cast<int>(i));
}

}  // namespace

extern "C" {

VIGIL_EXPORT void vigil_report_destroy(vigil_report* report) noexcept {
  delete report;
}

VIGIL_EXPORT int vigil_report_serialize(const vigil_report* report, int format,
                                        char** bytes, size_t* length,
                                        char** error_message) noexcept {
  if (bytes == nullptr || length == nullptr) {
    return Invalid("bytes and length must not be NULL", error_message);
  }
  *bytes = nullptr;
  *length = 0;
  if (report == nullptr) return Invalid("report is NULL", error_message);
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON &&
      format != VIGIL_FORMAT_HTML) {
    return Invalid(
        "format must be VIGIL_FORMAT_BINARY, VIGIL_FORMAT_JSON or "
        "VIGIL_FORMAT_HTML",
        error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    std::string out;
    if (format == VIGIL_FORMAT_HTML) {
      std::ostringstream page;
      if (!vigil::PrintReportHtml(report->report, page)) {
        return absl::InternalError("writing the report as HTML failed");
      }
      out = std::move(page).str();
    } else {
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      if (absl::Status s = vigil::capi::SerializeMessage(
              report->report, format, options, "the report", &out);
          !s.ok()) {
        return s;
      }
    }
    return vigil::capi::HandOut(out, bytes, length);
  });
}

VIGIL_EXPORT int vigil_report_parse(const void* bytes, size_t length,
                                    int format, vigil_report** out,
                                    char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (bytes == nullptr && length > 0) {
    return Invalid("bytes is NULL", error_message);
  }
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON) {
    return Invalid("format must be VIGIL_FORMAT_BINARY or VIGIL_FORMAT_JSON",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    auto handle = std::make_unique<vigil_report>();
    if (absl::Status s =
            vigil::capi::ParseMessage(bytes, length, format, &handle->report);
        !s.ok()) {
      return s;
    }
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT const char* vigil_rating_name(int rating) noexcept {
  return rating == 0
             ? ""
             : vigil::EnumShortName(v1::Rating_descriptor(), rating).c_str();
}

VIGIL_EXPORT const char* vigil_escalation_name(int level) noexcept {
  return level == 0
             ? ""
             : vigil::EnumShortName(v1::EscalationLevel_descriptor(), level)
                   .c_str();
}

VIGIL_EXPORT const char* vigil_enum_name(const char* enum_name,
                                         int value) noexcept {
  if (enum_name == nullptr) return "";
  return vigil::EnumShortName(vigil::FindEnumType(enum_name), value).c_str();
}

VIGIL_EXPORT const char* vigil_report_as_of(const vigil_report* r) noexcept {
  return r == nullptr ? nullptr : r->report.as_of().c_str();
}

VIGIL_EXPORT const char* vigil_report_ruleset_id(
    const vigil_report* r) noexcept {
  return r == nullptr ? nullptr : r->report.ruleset_id().c_str();
}

VIGIL_EXPORT size_t
vigil_report_assessment_count(const vigil_report* r) noexcept {
  return r == nullptr ? 0 : static_cast<size_t>(r->report.assessments_size());
}

#define VIGIL_ASSESSMENT_STRING(name, field)               \
  VIGIL_EXPORT const char* vigil_report_assessment_##name( \
      const vigil_report* r, size_t i) noexcept {          \
    const v1::Assessment* a = AssessmentAt(r, i);          \
    return a == nullptr ? nullptr : a->field().c_str();    \
  }
VIGIL_ASSESSMENT_STRING(provider_id, provider_id)
VIGIL_ASSESSMENT_STRING(indicator_id, indicator_id)
VIGIL_ASSESSMENT_STRING(rule_id, rule_id)
VIGIL_ASSESSMENT_STRING(rule_name, rule_name)
VIGIL_ASSESSMENT_STRING(period, period)
VIGIL_ASSESSMENT_STRING(data_period, data_period)
VIGIL_ASSESSMENT_STRING(reason, reason)
VIGIL_ASSESSMENT_STRING(signal, signal)
#undef VIGIL_ASSESSMENT_STRING

#define VIGIL_ASSESSMENT_INT(name, field)                                \
  VIGIL_EXPORT int vigil_report_assessment_##name(const vigil_report* r, \
                                                  size_t i) noexcept {   \
    const v1::Assessment* a = AssessmentAt(r, i);                        \
    return a == nullptr ? 0 : static_cast<int>(a->field());              \
  }
VIGIL_ASSESSMENT_INT(rating, rating)
VIGIL_ASSESSMENT_INT(severity, severity)
VIGIL_ASSESSMENT_INT(domain, domain)
VIGIL_ASSESSMENT_INT(travel, travel)
VIGIL_ASSESSMENT_INT(consecutive_periods, consecutive_periods)
#undef VIGIL_ASSESSMENT_INT

#define VIGIL_ASSESSMENT_DOUBLE(name)                          \
  VIGIL_EXPORT int vigil_report_assessment_##name(             \
      const vigil_report* r, size_t i, double* out) noexcept { \
    const v1::Assessment* a = AssessmentAt(r, i);              \
    if (a == nullptr || !a->has_##name()) return 0;            \
    if (out != nullptr) *out = a->name();                      \
    return 1;                                                  \
  }
VIGIL_ASSESSMENT_DOUBLE(value)
VIGIL_ASSESSMENT_DOUBLE(standard)
VIGIL_ASSESSMENT_DOUBLE(red_threshold)
#undef VIGIL_ASSESSMENT_DOUBLE

VIGIL_EXPORT size_t
vigil_report_provider_count(const vigil_report* r) noexcept {
  return r == nullptr ? 0 : static_cast<size_t>(r->report.providers_size());
}

VIGIL_EXPORT const char* vigil_report_provider_id(const vigil_report* r,
                                                  size_t i) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  return p == nullptr ? nullptr : p->provider_id().c_str();
}

VIGIL_EXPORT const char* vigil_report_provider_name(const vigil_report* r,
                                                    size_t i) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  return p == nullptr ? nullptr : p->provider_name().c_str();
}

VIGIL_EXPORT int vigil_report_provider_worst_rating(const vigil_report* r,
                                                    size_t i) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  return p == nullptr ? 0 : static_cast<int>(p->worst_rating());
}

VIGIL_EXPORT int vigil_report_provider_escalation(const vigil_report* r,
                                                  size_t i) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  return p == nullptr ? 0 : static_cast<int>(p->escalation());
}

VIGIL_EXPORT const char* vigil_report_provider_escalation_reason(
    const vigil_report* r, size_t i) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  return p == nullptr ? nullptr : p->escalation_reason().c_str();
}

VIGIL_EXPORT int vigil_report_provider_rating_count(const vigil_report* r,
                                                    size_t i,
                                                    int rating) noexcept {
  const v1::ProviderSummary* p = ProviderAt(r, i);
  if (p == nullptr) return 0;
  switch (rating) {
    case VIGIL_RATING_GREEN:
      return p->counts().green();
    case VIGIL_RATING_AMBER:
      return p->counts().amber();
    case VIGIL_RATING_RED:
      return p->counts().red();
    case VIGIL_RATING_NO_DATA:
      return p->counts().no_data();
    case VIGIL_RATING_NOT_APPLICABLE:
      return p->counts().not_applicable();
    default:
      return 0;
  }
}

VIGIL_EXPORT size_t
vigil_report_diagnostic_count(const vigil_report* r) noexcept {
  return r == nullptr ? 0 : static_cast<size_t>(r->report.diagnostics_size());
}

VIGIL_EXPORT int vigil_report_diagnostic_severity(const vigil_report* r,
                                                  size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(r, i);
  return d == nullptr ? 0 : static_cast<int>(d->severity());
}

VIGIL_EXPORT int vigil_report_diagnostic_code(const vigil_report* r,
                                              size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(r, i);
  return d == nullptr ? 0 : static_cast<int>(d->code());
}

VIGIL_EXPORT const char* vigil_report_diagnostic_source(const vigil_report* r,
                                                        size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(r, i);
  return d == nullptr ? nullptr : d->source().c_str();
}

VIGIL_EXPORT long long vigil_report_diagnostic_row(const vigil_report* r,
                                                   size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(r, i);
  return d == nullptr ? 0 : static_cast<long long>(d->row());
}

VIGIL_EXPORT const char* vigil_report_diagnostic_message(const vigil_report* r,
                                                         size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(r, i);
  return d == nullptr ? nullptr : d->message().c_str();
}

}  // extern "C"
