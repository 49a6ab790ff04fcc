// Versions, status names, engines and evaluation.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "vigil/io.h"
#include "vigil/period.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;

extern "C" {

VIGIL_EXPORT const char* vigil_version(void) noexcept {
  return vigil::EngineVersion();
}

VIGIL_EXPORT int vigil_version_number(void) noexcept {
  return VIGIL_VERSION_NUMBER;
}

VIGIL_EXPORT const char* vigil_status_name(int status) noexcept {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (status < 0 || status > 16) return "UNKNOWN_CODE";
  return kNames[status];
}

VIGIL_EXPORT void vigil_free(void* pointer) noexcept { std::free(pointer); }

VIGIL_EXPORT int vigil_engine_create(const void* bytes, size_t length,
                                     int format, vigil_engine** out,
                                     char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (bytes == nullptr && length > 0) {
    return Invalid("bytes is NULL", error_message);
  }
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON &&
      format != VIGIL_FORMAT_TEXT) {
    return Invalid("format must be VIGIL_FORMAT_BINARY, _JSON or _TEXT",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    absl::StatusOr<vigil::v1::RuleSet> rules = vigil::ParseRuleSet(
        absl::string_view(static_cast<const char*>(bytes), length),
        static_cast<vigil::Format>(format));
    if (!rules.ok()) return rules.status();
    absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
        vigil::Engine::Create(*rules);
    if (!engine.ok()) return engine.status();
    *out = new vigil_engine(*std::move(engine));
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_engine_create_from_file(const char* path,
                                               vigil_engine** out,
                                               char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (path == nullptr) return Invalid("path is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    absl::StatusOr<vigil::v1::RuleSet> rules = vigil::LoadRuleSet(path);
    if (!rules.ok()) return rules.status();
    absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
        vigil::Engine::Create(*rules);
    if (!engine.ok()) {
      return absl::Status(engine.status().code(),
                          absl::StrCat(path, ": ", engine.status().message()));
    }
    *out = new vigil_engine(*std::move(engine));
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_engine_destroy(vigil_engine* engine) noexcept {
  if (engine == nullptr) return;
  bool now = false;
  {
    std::lock_guard<std::mutex> lock(engine->mutex);
    engine->destroyed = true;
    now = engine->running == 0;
  }
  if (now) delete engine;  // Else the last running evaluation frees it.
}

VIGIL_EXPORT vigil_evaluate_options* vigil_evaluate_options_create() noexcept {
  return new (std::nothrow) vigil_evaluate_options();
}

VIGIL_EXPORT void vigil_evaluate_options_destroy(
    vigil_evaluate_options* options) noexcept {
  delete options;
}

VIGIL_EXPORT int vigil_evaluate_options_set_threads(
    vigil_evaluate_options* options, int threads,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    if (threads > VIGIL_MAX_THREADS) {  // Inside: the message allocates.
      return absl::InvalidArgumentError(absl::StrCat(
          "threads: at most ", VIGIL_MAX_THREADS, ", got ", threads));
    }
    options->threads = threads < 1 ? 1 : threads;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_evaluate_options_set_max_assessments(
    vigil_evaluate_options* options, int64_t max_assessments,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  if (max_assessments < 0) {
    return Invalid("max_assessments: must be >= 0 (0 = the default)",
                   error_message);
  }
  options->max_assessments = max_assessments;
  return VIGIL_OK;
}

VIGIL_EXPORT int vigil_evaluate_options_set_chart_periods(
    vigil_evaluate_options* options, int chart_periods,
    char** error_message) noexcept {
  if (options == nullptr) return Invalid("options is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    if (chart_periods < 0 || chart_periods > VIGIL_MAX_CHART_PERIODS) {
      return absl::InvalidArgumentError(
          absl::StrCat("chart_periods: must be 0..", VIGIL_MAX_CHART_PERIODS,
                       ", got ", chart_periods));
    }
    options->chart_periods = chart_periods;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_engine_evaluate_with_options(
    const vigil_engine* engine, vigil_dataset* dataset, const char* as_of,
    const vigil_evaluate_options* options, vigil_report** out,
    char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  const vigil_evaluate_options defaults;
  const vigil_evaluate_options& o = options == nullptr ? defaults : *options;
  return Guard(error_message, [&]() -> absl::Status {
    // Arguments are checked before indexing, which consumes the rows: a
    // refused call leaves the dataset as it was.
    if (as_of != nullptr && as_of[0] != '\0') {
      absl::StatusOr<vigil::Period> period = vigil::ParsePeriod(as_of);
      if (!period.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("as_of: ", period.status().message()));
      }
    }
    const vigil_capi::EngineUse use(engine);
    if (absl::Status built = vigil_capi::BuildOnce(dataset); !built.ok()) {
      return built;
    }
    vigil::EvaluateOptions evaluate;
    evaluate.threads = o.threads;
    if (o.max_assessments > 0) evaluate.max_assessments = o.max_assessments;
    evaluate.chart_periods = o.chart_periods;
    auto handle = std::make_unique<vigil_report>();
    absl::Status status = use.engine().EvaluateInto(
        *dataset->store, vigil_capi::OrEmpty(as_of), evaluate, &handle->report);
    if (!status.ok()) return status;
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_engine_evaluate_limited(const vigil_engine* engine,
                                               vigil_dataset* dataset,
                                               const char* as_of, int threads,
                                               int64_t max_assessments,
                                               vigil_report** out,
                                               char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  vigil_evaluate_options options;
  if (int s =
          vigil_evaluate_options_set_threads(&options, threads, error_message);
      s != VIGIL_OK) {
    return s;
  }
  if (int s = vigil_evaluate_options_set_max_assessments(
          &options, max_assessments, error_message);
      s != VIGIL_OK) {
    return s;
  }
  return vigil_engine_evaluate_with_options(engine, dataset, as_of, &options,
                                            out, error_message);
}

VIGIL_EXPORT int vigil_engine_evaluate(const vigil_engine* engine,
                                       vigil_dataset* dataset,
                                       const char* as_of, int threads,
                                       vigil_report** out,
                                       char** error_message) noexcept {
  return vigil_engine_evaluate_limited(engine, dataset, as_of, threads, 0, out,
                                       error_message);
}

VIGIL_EXPORT int vigil_engine_evaluate_bytes(const vigil_engine* engine,
                                             const void* bytes, size_t length,
                                             int format, const char* as_of,
                                             vigil_report** out,
                                             char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (bytes == nullptr && length > 0) {
    return Invalid("bytes is NULL", error_message);
  }
  if (format != VIGIL_FORMAT_BINARY && format != VIGIL_FORMAT_JSON &&
      format != VIGIL_FORMAT_TEXT) {
    return Invalid("format must be VIGIL_FORMAT_BINARY, _JSON or _TEXT",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    const vigil_capi::EngineUse use(engine);
    const absl::string_view data_bytes(static_cast<const char*>(bytes), length);
    absl::StatusOr<vigil::SeriesStore> store;
    if (format == VIGIL_FORMAT_BINARY) {
      // Element by element: one bad element is a diagnostic, not an error.
      vigil::DatasetIndexer indexer;
      absl::Status added =
          vigil::AddDataBytes(data_bytes, vigil::Format::kBinary,
                              vigil::DataKind::kObservations, "", &indexer);
      if (!added.ok()) return added;
      store = std::move(indexer).Build(vigil::IndexLimits());
    } else {
      absl::StatusOr<vigil::v1::Dataset> data =
          vigil::ParseDataset(data_bytes, static_cast<vigil::Format>(format));
      if (!data.ok()) return data.status();
      store = vigil::IndexDataset(*data, vigil::IndexLimits());
    }
    if (!store.ok()) return store.status();
    auto handle = std::make_unique<vigil_report>();
    absl::Status status =
        use.engine().EvaluateInto(*store, vigil_capi::OrEmpty(as_of),
                                  vigil::EvaluateOptions(), &handle->report);
    if (!status.ok()) return status;
    *out = handle.release();
    return absl::OkStatus();
  });
}

}  // extern "C"
