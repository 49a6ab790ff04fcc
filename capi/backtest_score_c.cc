// Back-test scores: a timeline (vigil_engine_backtest) against outcomes,
// through vigil::ScoreTimeline; the summary's serializations and accessors.
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "capi_internal.h"
#include "google/protobuf/util/json_util.h"
#include "message_io.h"
#include "vigil/backtest.h"
#include "vigil/io.h"
#include "vigil/period.h"
#include "vigil/timeline_output.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;

// Outcome rows in the order added, the rules that define some of them (left
// out of the scores), and a description of each batch for outcome_source.
struct vigil_outcomes {
  std::vector<vigil::v1::Outcome> rows;
  std::vector<std::string> defining_rules;
  std::vector<std::string> sources;
};

struct vigil_backtest_options {
  vigil::BacktestOptions options;
};

// The summary, and the scored pack's rule names for the CSV's rule_name.
struct vigil_backtest_summary {
  vigil::v1::BacktestSummary summary;
  vigil::v1::RuleSet rules;
};

namespace {

namespace v1 = vigil::v1;

constexpr char kDefaultSource[] = "outcomes";

const char* SourceOr(const char* source) {
  return source == nullptr || *source == '\0' ? kDefaultSource : source;
}

void AddBatch(vigil_outcomes* o, std::vector<v1::Outcome> rows,
              std::string description) {
  o->rows.reserve(o->rows.size() + rows.size());
  for (v1::Outcome& row : rows) o->rows.push_back(std::move(row));
  for (const std::string& s : o->sources) {
    if (s == description) return;
  }
  o->sources.push_back(std::move(description));
}

absl::Status AddCsv(vigil_outcomes* o, absl::string_view text,
                    const std::string& source) {
  absl::StatusOr<vigil::OutcomeRows> rows =
      vigil::ReadOutcomesCsv(text, source);
  if (!rows.ok()) return rows.status();
  AddBatch(o, std::move(rows->outcomes), source);
  return absl::OkStatus();
}

// Array entry `i` of `name`, checked: not NULL, not empty.
absl::StatusOr<absl::string_view> Entry(const char* const* array,
                                        const char* name, size_t i) {
  if (array[i] == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, "[", i, "] is NULL"));
  }
  absl::string_view v = absl::StripAsciiWhitespace(array[i]);
  if (v.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, "[", i, "] is empty"));
  }
  return v;
}

int SetCount(int value, const char* name, int* field, char** error_message) {
  if (value < 1 || value > VIGIL_MAX_TIMELINE_PERIODS) {
    return vigil_capi::Report(absl::InvalidArgumentError(absl::StrCat(
                                  name, " must be from 1 to ",
                                  VIGIL_MAX_TIMELINE_PERIODS, ", not ", value)),
                              error_message);
  }
  *field = value;
  return vigil_capi::Report(absl::OkStatus(), error_message);
}

const v1::RuleScore* ScoreAt(const vigil_backtest_summary* s, size_t i) {
  if (s == nullptr) return nullptr;
  if (i == 0) return &s->summary.pack();
  if (i - 1 >= static_cast<size_t>(s->summary.rules_size())) return nullptr;
  return &s->summary.rules(static_cast<int>(i - 1));
}

const v1::OutcomeLead* LeadAt(const vigil_backtest_summary* s, size_t i) {
  if (s == nullptr || i >= static_cast<size_t>(s->summary.leads_size())) {
    return nullptr;
  }
  return &s->summary.leads(static_cast<int>(i));
}

const v1::Warning* WarningAt(const vigil_backtest_summary* s, size_t i) {
  if (s == nullptr || i >= static_cast<size_t>(s->summary.warnings_size())) {
    return nullptr;
  }
  return &s->summary.warnings(static_cast<int>(i));
}

const v1::Diagnostic* DiagnosticAt(const vigil_backtest_summary* s, size_t i) {
  if (s == nullptr || i >= static_cast<size_t>(s->summary.diagnostics_size())) {
    return nullptr;
  }
  return &s->summary.diagnostics(static_cast<int>(i));
}

}  // namespace

extern "C" {

VIGIL_EXPORT int vigil_outcomes_create(vigil_outcomes** out) noexcept {
  if (out == nullptr) return Invalid("out is NULL", nullptr);
  *out = new (std::nothrow) vigil_outcomes();
  return *out == nullptr ? VIGIL_RESOURCE_EXHAUSTED : VIGIL_OK;
}

VIGIL_EXPORT void vigil_outcomes_destroy(vigil_outcomes* outcomes) noexcept {
  delete outcomes;
}

VIGIL_EXPORT int vigil_outcomes_add_csv(vigil_outcomes* outcomes,
                                        const void* text, size_t length,
                                        const char* source,
                                        char** error_message) noexcept {
  if (outcomes == nullptr) return Invalid("outcomes is NULL", error_message);
  if (text == nullptr && length > 0) {
    return Invalid("text is NULL", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    return AddCsv(outcomes,
                  absl::string_view(static_cast<const char*>(text), length),
                  SourceOr(source));
  });
}

VIGIL_EXPORT int vigil_outcomes_add_file(vigil_outcomes* outcomes,
                                         const char* path,
                                         char** error_message) noexcept {
  if (outcomes == nullptr) return Invalid("outcomes is NULL", error_message);
  if (path == nullptr) return Invalid("path is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    absl::StatusOr<std::string> text = vigil::ReadFile(path);
    if (!text.ok()) return text.status();
    return AddCsv(outcomes, *text, path);
  });
}

VIGIL_EXPORT int vigil_outcomes_add(vigil_outcomes* outcomes, size_t count,
                                    const char* const* provider_ids,
                                    const char* const* periods,
                                    const char* const* labels,
                                    const char* source,
                                    char** error_message) noexcept {
  if (outcomes == nullptr) return Invalid("outcomes is NULL", error_message);
  if (count > 0) {
    if (provider_ids == nullptr) {
      return Invalid("provider_ids is NULL", error_message);
    }
    if (periods == nullptr) return Invalid("periods is NULL", error_message);
    if (labels == nullptr) return Invalid("labels is NULL", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    const std::string name = SourceOr(source);
    std::vector<v1::Outcome> rows(count);
    for (size_t i = 0; i < count; ++i) {
      absl::StatusOr<absl::string_view> provider =
          Entry(provider_ids, "provider_ids", i);
      if (!provider.ok()) return provider.status();
      absl::StatusOr<absl::string_view> period = Entry(periods, "periods", i);
      if (!period.ok()) return period.status();
      absl::StatusOr<absl::string_view> label = Entry(labels, "labels", i);
      if (!label.ok()) return label.status();
      absl::StatusOr<vigil::Period> parsed = vigil::ParsePeriod(*period);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("periods[", i, "]: ", parsed.status().message()));
      }
      v1::Outcome& o = rows[i];
      o.set_provider_id(std::string(*provider));
      o.set_period(vigil::FormatPeriod(*parsed));
      o.set_outcome(std::string(*label));
      o.set_source(name);
      o.set_row(static_cast<int64_t>(i) + 1);
    }
    AddBatch(outcomes, std::move(rows), name);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_outcomes_add_from_rule(vigil_outcomes* outcomes,
                                              const vigil_timeline* timeline,
                                              const char* rule_id,
                                              const char* label,
                                              char** error_message) noexcept {
  if (outcomes == nullptr) return Invalid("outcomes is NULL", error_message);
  if (timeline == nullptr) return Invalid("timeline is NULL", error_message);
  if (rule_id == nullptr || *rule_id == '\0') {
    return Invalid("rule_id is NULL or empty", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    std::string name = label == nullptr ? "" : label;
    if (name.empty()) {
      for (const v1::Rule& r : timeline->rules.rules()) {
        if (r.id() == rule_id) name = r.name();
      }
    }
    if (name.empty()) name = rule_id;
    absl::StatusOr<std::vector<v1::Outcome>> derived =
        vigil::OutcomesFromRule(timeline->timeline, rule_id, name);
    if (!derived.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule_id: ", derived.status().message()));
    }
    AddBatch(outcomes, *std::move(derived),
             absl::StrCat("\"", name, "\" (rule ", rule_id, ")"));
    outcomes->defining_rules.push_back(rule_id);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT size_t vigil_outcomes_count(const vigil_outcomes* o) noexcept {
  return o == nullptr ? 0 : o->rows.size();
}

VIGIL_EXPORT vigil_backtest_options* vigil_backtest_options_create() noexcept {
  return new (std::nothrow) vigil_backtest_options();
}

VIGIL_EXPORT void vigil_backtest_options_destroy(
    vigil_backtest_options* options) noexcept {
  delete options;
}

VIGIL_EXPORT int vigil_backtest_options_set_warn_after(
    vigil_backtest_options* options, int warn_after,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return SetCount(warn_after, "warn_after", &options->options.warn_after,
                  error_message);
}

VIGIL_EXPORT int vigil_backtest_options_set_horizon(
    vigil_backtest_options* options, int horizon,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return SetCount(horizon, "horizon", &options->options.horizon, error_message);
}

VIGIL_EXPORT int vigil_backtest_options_set_outcomes_from(
    vigil_backtest_options* options, const char* period,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    if (period == nullptr || *period == '\0') {
      options->options.outcomes_from.clear();
      return absl::OkStatus();
    }
    absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(period);
    if (!p.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("outcomes_from: ", p.status().message()));
    }
    options->options.outcomes_from = vigil::FormatPeriod(*p);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_backtest_options_exclude_rule(
    vigil_backtest_options* options, const char* rule_id,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  if (rule_id == nullptr || *rule_id == '\0') {
    return Invalid("rule_id is NULL or empty", error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    options->options.excluded_rule_ids.push_back(rule_id);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_backtest_options_set_outcome_source(
    vigil_backtest_options* options, const char* description,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    options->options.outcome_source = vigil_capi::OrEmpty(description);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_timeline_score(const vigil_timeline* timeline,
                                      const vigil_outcomes* outcomes,
                                      const vigil_backtest_options* options,
                                      vigil_backtest_summary** out,
                                      char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (timeline == nullptr) return Invalid("timeline is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    vigil::BacktestOptions scoring;
    if (options != nullptr) scoring = options->options;
    static const std::vector<v1::Outcome> kNone;
    const std::vector<v1::Outcome>& rows =
        outcomes == nullptr ? kNone : outcomes->rows;
    if (outcomes != nullptr) {
      for (const std::string& id : outcomes->defining_rules) {
        scoring.excluded_rule_ids.push_back(id);
      }
      if (scoring.outcome_source.empty()) {
        scoring.outcome_source = absl::StrJoin(outcomes->sources, ", ");
      }
    }
    auto handle = std::make_unique<vigil_backtest_summary>();
    absl::Status s = vigil::ScoreTimeline(timeline->timeline, rows, scoring,
                                          &handle->summary);
    if (!s.ok()) return s;
    handle->rules = timeline->rules;
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_backtest_summary_destroy(
    vigil_backtest_summary* summary) noexcept {
  delete summary;
}

VIGIL_EXPORT int vigil_backtest_summary_serialize(
    const vigil_backtest_summary* summary, int format, char** bytes,
    size_t* length, char** error_message) noexcept {
  if (bytes == nullptr || length == nullptr) {
    return Invalid("bytes and length must not be NULL", error_message);
  }
  *bytes = nullptr;
  *length = 0;
  if (summary == nullptr) return Invalid("summary is NULL", error_message);
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON &&
      format != VIGIL_FORMAT_CSV) {
    return Invalid(
        "format must be VIGIL_FORMAT_BINARY, VIGIL_FORMAT_JSON or "
        "VIGIL_FORMAT_CSV",
        error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    std::string out;
    const v1::BacktestSummary& s = summary->summary;
    if (format == VIGIL_FORMAT_CSV) {
      std::ostringstream text;
      text << vigil::kBacktestSummaryCsvHeader;
      if (!vigil::PrintBacktestSummaryCsvRows(s, summary->rules, text)) {
        return absl::InternalError("writing the summary failed");
      }
      out = std::move(text).str();
    } else {
      // JSON as `vigil backtest --summary F.json`.
      google::protobuf::util::JsonPrintOptions print;
      print.add_whitespace = true;
      print.preserve_proto_field_names = true;
      print.always_print_primitive_fields = true;
      if (absl::Status status = vigil::capi::SerializeMessage(
              s, format, print, "the summary", &out);
          !status.ok()) {
        return status;
      }
    }
    return vigil::capi::HandOut(out, bytes, length);
  });
}

#define VIGIL_SUMMARY_STRING(name, field)                       \
  VIGIL_EXPORT const char* vigil_backtest_summary_##name(       \
      const vigil_backtest_summary* s) noexcept {               \
    return s == nullptr ? nullptr : s->summary.field().c_str(); \
  }
VIGIL_SUMMARY_STRING(ruleset_id, ruleset_id)
VIGIL_SUMMARY_STRING(from, from)
VIGIL_SUMMARY_STRING(to, to)
VIGIL_SUMMARY_STRING(outcomes_from, outcomes_from)
VIGIL_SUMMARY_STRING(outcome_source, outcome_source)
#undef VIGIL_SUMMARY_STRING

#define VIGIL_SUMMARY_INT(name, field)            \
  VIGIL_EXPORT int vigil_backtest_summary_##name( \
      const vigil_backtest_summary* s) noexcept { \
    return s == nullptr ? 0 : s->summary.field(); \
  }
VIGIL_SUMMARY_INT(warn_after, warn_after)
VIGIL_SUMMARY_INT(horizon, horizon)
VIGIL_SUMMARY_INT(provider_count, providers)
VIGIL_SUMMARY_INT(outcomes_used, outcomes)
#undef VIGIL_SUMMARY_INT

VIGIL_EXPORT size_t
vigil_backtest_summary_score_count(const vigil_backtest_summary* s) noexcept {
  return s == nullptr ? 0 : static_cast<size_t>(s->summary.rules_size()) + 1;
}

VIGIL_EXPORT const char* vigil_backtest_summary_score_rule_id(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::RuleScore* r = ScoreAt(s, i);
  return r == nullptr ? nullptr : r->rule_id().c_str();
}

VIGIL_EXPORT const char* vigil_backtest_summary_score_rule_name(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::RuleScore* r = ScoreAt(s, i);
  if (r == nullptr) return nullptr;
  if (i == 0) return "";
  for (const v1::Rule& rule : s->rules.rules()) {
    if (rule.id() == r->rule_id() && !rule.name().empty()) {
      return rule.name().c_str();
    }
  }
  return r->rule_id().c_str();
}

#define VIGIL_SCORE_INT(field)                              \
  VIGIL_EXPORT int vigil_backtest_summary_score_##field(    \
      const vigil_backtest_summary* s, size_t i) noexcept { \
    const v1::RuleScore* r = ScoreAt(s, i);                 \
    return r == nullptr ? 0 : r->field();                   \
  }
VIGIL_SCORE_INT(providers_with_outcome)
VIGIL_SCORE_INT(providers_warned_before)
VIGIL_SCORE_INT(providers_warned)
VIGIL_SCORE_INT(false_alarm_providers)
VIGIL_SCORE_INT(warnings)
VIGIL_SCORE_INT(false_alarms)
VIGIL_SCORE_INT(pending_warnings)
#undef VIGIL_SCORE_INT

#define VIGIL_SCORE_DOUBLE(field)                           \
  VIGIL_EXPORT double vigil_backtest_summary_score_##field( \
      const vigil_backtest_summary* s, size_t i) noexcept { \
    const v1::RuleScore* r = ScoreAt(s, i);                 \
    return r == nullptr || !r->has_##field()                \
               ? std::numeric_limits<double>::quiet_NaN()   \
               : r->field();                                \
  }
VIGIL_SCORE_DOUBLE(sensitivity)
VIGIL_SCORE_DOUBLE(median_lead_periods)
#undef VIGIL_SCORE_DOUBLE

VIGIL_EXPORT size_t
vigil_backtest_summary_lead_count(const vigil_backtest_summary* s) noexcept {
  return s == nullptr ? 0 : static_cast<size_t>(s->summary.leads_size());
}

#define VIGIL_LEAD_STRING(name, field)                         \
  VIGIL_EXPORT const char* vigil_backtest_summary_lead_##name( \
      const vigil_backtest_summary* s, size_t i) noexcept {    \
    const v1::OutcomeLead* l = LeadAt(s, i);                   \
    return l == nullptr ? nullptr : l->field().c_str();        \
  }
VIGIL_LEAD_STRING(provider_id, provider_id)
VIGIL_LEAD_STRING(outcome_period, outcome_period)
VIGIL_LEAD_STRING(outcome, outcome)
VIGIL_LEAD_STRING(rule_id, rule_id)
VIGIL_LEAD_STRING(warning_period, warning_period)
#undef VIGIL_LEAD_STRING

#define VIGIL_LEAD_INT(name, field)                         \
  VIGIL_EXPORT int vigil_backtest_summary_lead_##name(      \
      const vigil_backtest_summary* s, size_t i) noexcept { \
    const v1::OutcomeLead* l = LeadAt(s, i);                \
    return l == nullptr ? 0 : static_cast<int>(l->field()); \
  }
VIGIL_LEAD_INT(warned, warned)
VIGIL_LEAD_INT(periods, lead_periods)
VIGIL_LEAD_INT(too_early, too_early)
#undef VIGIL_LEAD_INT

VIGIL_EXPORT size_t
vigil_backtest_summary_warning_count(const vigil_backtest_summary* s) noexcept {
  return s == nullptr ? 0 : static_cast<size_t>(s->summary.warnings_size());
}

#define VIGIL_WARNING_STRING(field)                                \
  VIGIL_EXPORT const char* vigil_backtest_summary_warning_##field( \
      const vigil_backtest_summary* s, size_t i) noexcept {        \
    const v1::Warning* w = WarningAt(s, i);                        \
    return w == nullptr ? nullptr : w->field().c_str();            \
  }
VIGIL_WARNING_STRING(provider_id)
VIGIL_WARNING_STRING(rule_id)
VIGIL_WARNING_STRING(start)
VIGIL_WARNING_STRING(end)
#undef VIGIL_WARNING_STRING

VIGIL_EXPORT int vigil_backtest_summary_warning_verdict(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::Warning* w = WarningAt(s, i);
  return w == nullptr ? 0 : static_cast<int>(w->verdict());
}

VIGIL_EXPORT size_t vigil_backtest_summary_diagnostic_count(
    const vigil_backtest_summary* s) noexcept {
  return s == nullptr ? 0 : static_cast<size_t>(s->summary.diagnostics_size());
}

VIGIL_EXPORT int vigil_backtest_summary_diagnostic_severity(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(s, i);
  return d == nullptr ? 0 : static_cast<int>(d->severity());
}

VIGIL_EXPORT int vigil_backtest_summary_diagnostic_code(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(s, i);
  return d == nullptr ? 0 : static_cast<int>(d->code());
}

VIGIL_EXPORT long long vigil_backtest_summary_diagnostic_row(
    const vigil_backtest_summary* s, size_t i) noexcept {
  const v1::Diagnostic* d = DiagnosticAt(s, i);
  return d == nullptr ? 0 : static_cast<long long>(d->row());
}

#define VIGIL_DIAGNOSTIC_STRING(field)                                \
  VIGIL_EXPORT const char* vigil_backtest_summary_diagnostic_##field( \
      const vigil_backtest_summary* s, size_t i) noexcept {           \
    const v1::Diagnostic* d = DiagnosticAt(s, i);                     \
    return d == nullptr ? nullptr : d->field().c_str();               \
  }
VIGIL_DIAGNOSTIC_STRING(source)
VIGIL_DIAGNOSTIC_STRING(field)
VIGIL_DIAGNOSTIC_STRING(message)
#undef VIGIL_DIAGNOSTIC_STRING

}  // extern "C"
