// Back-testing: a timeline of ratings over as-of periods, its serializations
// and accessors.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "google/protobuf/util/json_util.h"
#include "message_io.h"
#include "vigil/period.h"
#include "vigil/timeline_output.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;

namespace {

namespace v1 = vigil::v1;

const v1::RuleTimeline* RuleAt(const vigil_timeline* t, size_t i) {
  if (t == nullptr || i >= static_cast<size_t>(t->timeline.rules_size())) {
    return nullptr;
  }
  return &t->timeline.rules(static_cast<int>(i));
}

const v1::ProviderTimeline* ProviderAt(const vigil_timeline* t, size_t i) {
  if (t == nullptr || i >= static_cast<size_t>(t->timeline.providers_size())) {
    return nullptr;
  }
  return &t->timeline.providers(static_cast<int>(i));
}

size_t Periods(const vigil_timeline* t) {
  return t == nullptr ? 0 : static_cast<size_t>(t->timeline.as_of_size());
}

// `from` or `to` parsed, the message naming the argument.
absl::Status CheckPeriod(const char* name, const char* text) {
  absl::StatusOr<vigil::Period> p = vigil::ParsePeriod(text);
  if (p.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": ", p.status().message()));
}

// A parsed timeline must have one rating and one level per as-of period,
// as the accessors and writers assume.
absl::Status CheckShape(const v1::Timeline& t) {
  const int n = t.as_of_size();
  for (int i = 0; i < t.rules_size(); ++i) {
    if (t.rules(i).ratings_size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("bytes: rules[", i, "] has ", t.rules(i).ratings_size(),
                       " ratings for ", n, " as-of periods"));
    }
  }
  for (int i = 0; i < t.providers_size(); ++i) {
    if (t.providers(i).escalation_size() != n) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bytes: providers[", i, "] has ", t.providers(i).escalation_size(),
          " escalation levels for ", n, " as-of periods"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void vigil_capi::NameTimeline(const vigil::SeriesStore& store,
                              const vigil::Engine& engine,
                              vigil_timeline* timeline) {
  for (const v1::Provider& p : store.providers()) {
    if (p.name().empty()) continue;
    v1::Provider& named = timeline->providers.emplace_back();
    named.set_id(p.id());
    named.set_name(p.name());
  }
  for (const v1::Rule& r : engine.rules().rules()) {
    v1::Rule& named = *timeline->rules.add_rules();
    named.set_id(r.id());
    named.set_name(r.name());
  }
}

extern "C" {

VIGIL_EXPORT int vigil_engine_backtest(const vigil_engine* engine,
                                       vigil_dataset* dataset, const char* from,
                                       const char* to,
                                       const vigil_evaluate_options* options,
                                       vigil_timeline** out,
                                       char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (from == nullptr) return Invalid("from is NULL", error_message);
  if (to == nullptr) return Invalid("to is NULL", error_message);
  const vigil_evaluate_options defaults;
  const vigil_evaluate_options& o = options == nullptr ? defaults : *options;
  return Guard(error_message, [&]() -> absl::Status {
    // Checked before indexing, which consumes the rows.
    if (absl::Status s = CheckPeriod("from", from); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("to", to); !s.ok()) return s;
    const vigil_capi::EngineUse use(engine);
    if (absl::Status built = vigil_capi::BuildOnce(dataset); !built.ok()) {
      return built;
    }
    vigil::EvaluateOptions evaluate;
    evaluate.threads = o.threads;
    if (o.max_assessments > 0) evaluate.max_assessments = o.max_assessments;
    auto handle = std::make_unique<vigil_timeline>();
    absl::Status status = use.engine().EvaluateTimeline(
        *dataset->store, from, to, evaluate, &handle->timeline);
    if (!status.ok()) return status;
    vigil_capi::NameTimeline(*dataset->store, use.engine(), handle.get());
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_timeline_destroy(vigil_timeline* timeline) noexcept {
  delete timeline;
}

VIGIL_EXPORT int vigil_timeline_serialize(const vigil_timeline* timeline,
                                          int format, char** bytes,
                                          size_t* length,
                                          char** error_message) noexcept {
  if (bytes == nullptr || length == nullptr) {
    return Invalid("bytes and length must not be NULL", error_message);
  }
  *bytes = nullptr;
  *length = 0;
  if (timeline == nullptr) return Invalid("timeline is NULL", error_message);
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON &&
      format != VIGIL_FORMAT_CSV && format != VIGIL_FORMAT_HTML) {
    return Invalid(
        "format must be VIGIL_FORMAT_BINARY, VIGIL_FORMAT_JSON, "
        "VIGIL_FORMAT_CSV or VIGIL_FORMAT_HTML",
        error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    std::string out;
    const v1::Timeline& t = timeline->timeline;
    if (format == VIGIL_FORMAT_CSV || format == VIGIL_FORMAT_HTML) {
      std::ostringstream text;
      const bool ok =
          format == VIGIL_FORMAT_CSV
              ? vigil::PrintTimelineCsv(t, text)
              : vigil::PrintTimelineHtml(t, timeline->providers, text);
      if (!ok) return absl::InternalError("writing the timeline failed");
      out = std::move(text).str();
    } else {
      google::protobuf::util::JsonPrintOptions print;
      print.preserve_proto_field_names = true;
      if (absl::Status s = vigil::capi::SerializeMessage(t, format, print,
                                                         "the timeline", &out);
          !s.ok()) {
        return s;
      }
    }
    return vigil::capi::HandOut(out, bytes, length);
  });
}

VIGIL_EXPORT int vigil_timeline_parse(const void* bytes, size_t length,
                                      int format, vigil_timeline** out,
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
    auto handle = std::make_unique<vigil_timeline>();
    if (absl::Status s =
            vigil::capi::ParseMessage(bytes, length, format, &handle->timeline);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckShape(handle->timeline); !s.ok()) return s;
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT const char* vigil_timeline_ruleset_id(
    const vigil_timeline* t) noexcept {
  return t == nullptr ? nullptr : t->timeline.ruleset_id().c_str();
}

VIGIL_EXPORT size_t
vigil_timeline_period_count(const vigil_timeline* t) noexcept {
  return Periods(t);
}

VIGIL_EXPORT const char* vigil_timeline_period(const vigil_timeline* t,
                                               size_t period) noexcept {
  if (period >= Periods(t)) return nullptr;
  return t->timeline.as_of(static_cast<int>(period)).c_str();
}

VIGIL_EXPORT size_t
vigil_timeline_rule_count(const vigil_timeline* t) noexcept {
  return t == nullptr ? 0 : static_cast<size_t>(t->timeline.rules_size());
}

#define VIGIL_RULE_STRING(name)                                                \
  VIGIL_EXPORT const char* vigil_timeline_rule_##name(const vigil_timeline* t, \
                                                      size_t i) noexcept {     \
    const v1::RuleTimeline* r = RuleAt(t, i);                                  \
    return r == nullptr ? nullptr : r->name().c_str();                         \
  }
VIGIL_RULE_STRING(provider_id)
VIGIL_RULE_STRING(indicator_id)
VIGIL_RULE_STRING(rule_id)
VIGIL_RULE_STRING(first_red)
VIGIL_RULE_STRING(longest_red_run_start)
#undef VIGIL_RULE_STRING

VIGIL_EXPORT int vigil_timeline_rule_rating(const vigil_timeline* t, size_t i,
                                            size_t period) noexcept {
  const v1::RuleTimeline* r = RuleAt(t, i);
  if (r == nullptr || period >= static_cast<size_t>(r->ratings_size())) {
    return 0;
  }
  return static_cast<int>(r->ratings(static_cast<int>(period)));
}

VIGIL_EXPORT int vigil_timeline_rule_longest_red_run(const vigil_timeline* t,
                                                     size_t i) noexcept {
  const v1::RuleTimeline* r = RuleAt(t, i);
  return r == nullptr ? 0 : r->longest_red_run();
}

VIGIL_EXPORT size_t vigil_timeline_rule_change_count(const vigil_timeline* t,
                                                     size_t i) noexcept {
  const v1::RuleTimeline* r = RuleAt(t, i);
  return r == nullptr ? 0 : static_cast<size_t>(r->changes_size());
}

VIGIL_EXPORT size_t
vigil_timeline_provider_count(const vigil_timeline* t) noexcept {
  return t == nullptr ? 0 : static_cast<size_t>(t->timeline.providers_size());
}

VIGIL_EXPORT const char* vigil_timeline_provider_id(const vigil_timeline* t,
                                                    size_t i) noexcept {
  const v1::ProviderTimeline* p = ProviderAt(t, i);
  return p == nullptr ? nullptr : p->provider_id().c_str();
}

VIGIL_EXPORT const char* vigil_timeline_provider_name(const vigil_timeline* t,
                                                      size_t i) noexcept {
  const v1::ProviderTimeline* p = ProviderAt(t, i);
  if (p == nullptr) return nullptr;
  // Both are sorted by id: a binary search.
  const auto& named = t->providers;
  auto it = std::lower_bound(
      named.begin(), named.end(), p->provider_id(),
      [](const v1::Provider& a, const std::string& id) { return a.id() < id; });
  return it != named.end() && it->id() == p->provider_id() ? it->name().c_str()
                                                           : "";
}

VIGIL_EXPORT int vigil_timeline_provider_escalation(const vigil_timeline* t,
                                                    size_t i,
                                                    size_t period) noexcept {
  const v1::ProviderTimeline* p = ProviderAt(t, i);
  if (p == nullptr || period >= static_cast<size_t>(p->escalation_size())) {
    return 0;
  }
  return static_cast<int>(p->escalation(static_cast<int>(period)));
}

VIGIL_EXPORT int vigil_timeline_ratings(const vigil_timeline* t, int* ratings,
                                        size_t count,
                                        char** error_message) noexcept {
  if (t == nullptr) return Invalid("timeline is NULL", error_message);
  const size_t n = Periods(t);
  const size_t rules = static_cast<size_t>(t->timeline.rules_size());
  return Guard(error_message, [&]() -> absl::Status {
    if (count != rules * n) {
      return absl::InvalidArgumentError(
          absl::StrCat("count: must be rule_count * period_count = ", rules,
                       " * ", n, " = ", rules * n, ", got ", count));
    }
    if (ratings == nullptr && count > 0) {
      return absl::InvalidArgumentError("ratings is NULL");
    }
    for (size_t i = 0; i < rules; ++i) {
      for (size_t p = 0; p < n; ++p) {
        ratings[i * n + p] = vigil_timeline_rule_rating(t, i, p);
      }
    }
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_timeline_escalations(const vigil_timeline* t,
                                            int* levels, size_t count,
                                            char** error_message) noexcept {
  if (t == nullptr) return Invalid("timeline is NULL", error_message);
  const size_t n = Periods(t);
  const size_t providers = static_cast<size_t>(t->timeline.providers_size());
  return Guard(error_message, [&]() -> absl::Status {
    if (count != providers * n) {
      return absl::InvalidArgumentError(absl::StrCat(
          "count: must be provider_count * period_count = ", providers, " * ",
          n, " = ", providers * n, ", got ", count));
    }
    if (levels == nullptr && count > 0) {
      return absl::InvalidArgumentError("levels is NULL");
    }
    for (size_t i = 0; i < providers; ++i) {
      for (size_t p = 0; p < n; ++p) {
        levels[i * n + p] = vigil_timeline_provider_escalation(t, i, p);
      }
    }
    return absl::OkStatus();
  });
}

}  // extern "C"
