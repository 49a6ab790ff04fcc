// Handle types and boundary helpers of the C API. Private to libvigil.
#ifndef VIGIL_CAPI_CAPI_INTERNAL_H_
#define VIGIL_CAPI_CAPI_INTERNAL_H_

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/arena.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"
#include "vigil/vigil.h"

// An engine handle counts the evaluations running on it: destroying it
// while one runs frees it when the last one ends, not under its feet.
struct vigil_engine {
  explicit vigil_engine(std::unique_ptr<vigil::Engine> e)
      : engine(std::move(e)) {}

  std::unique_ptr<vigil::Engine> engine;
  std::mutex mutex;
  int running = 0;         // Evaluations inside the library now.
  bool destroyed = false;  // vigil_engine_destroy was called.
};

// How an evaluation runs (vigil_evaluate_options_*); checked by its setters.
struct vigil_evaluate_options {
  int threads = 1;
  int64_t max_assessments = 0;  // 0: the default.
  int chart_periods = 0;
};

namespace vigil_capi {

// Holds `handle` for one evaluation (see vigil_engine).
class EngineUse {
 public:
  explicit EngineUse(const vigil_engine* handle)
      : handle_(const_cast<vigil_engine*>(handle)) {
    std::lock_guard<std::mutex> lock(handle_->mutex);
    ++handle_->running;
  }
  ~EngineUse() {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(handle_->mutex);
      last = --handle_->running == 0 && handle_->destroyed;
    }
    if (last) delete handle_;
  }
  EngineUse(const EngineUse&) = delete;
  EngineUse& operator=(const EngineUse&) = delete;

  const vigil::Engine& engine() const { return *handle_->engine; }

 private:
  vigil_engine* const handle_;
};

}  // namespace vigil_capi

struct vigil_dataset {
  vigil::DatasetIndexer indexer;
  int api_source = -1;        // Rows added through add_observation(s).
  int provider_source = -1;   // Providers added through add_provider.
  int indicator_source = -1;  // Indicators added through add_indicator.
  int plan_source = -1;       // Plan rows added through add_plan(s).
  int64_t api_rows = 0;
  int64_t plan_rows = 0;
  int64_t api_providers = 0;   // Rows of add_provider, numbered from 1.
  int64_t api_indicators = 0;  // Rows of add_indicator, numbered from 1.
  // Diagnostic sources of the providers and indicators tables (the shared
  // sources of a distributed evaluation's parts: vigil::PartitionSpec).
  std::vector<std::string> table_sources;
  // Indexing happens once, at the first evaluation, under build_mutex. Its
  // rows are consumed by the attempt: when it fails, build_failure says why
  // and every later call on the dataset is FAILED_PRECONDITION naming it.
  std::mutex build_mutex;
  std::optional<vigil::SeriesStore> store;  // Set by the first evaluation.
  vigil::IndexLimits limits;                // vigil_dataset_set_limits.
  std::string build_failure;
};

// The report lives on the handle's arena: every message and string of it is
// allocated there and freed at once with the handle.
struct vigil_report {
  google::protobuf::Arena arena{vigil::ReportArenaOptions()};
  vigil::v1::Report& report =
      *google::protobuf::Arena::CreateMessage<vigil::v1::Report>(&arena);
};

// A back-test's timeline, with the dataset's providers (ids and names) for
// the heat-map's row labels, and the pack's rules (ids and names only) for
// the names in scores (empty for a timeline parsed from bytes).
struct vigil_timeline {
  vigil::v1::Timeline timeline;
  std::vector<vigil::v1::Provider> providers;
  vigil::v1::RuleSet rules;
};

namespace vigil_capi {

// Copies `message` into malloc'd memory for the caller (NULL on failure).
inline char* CopyMessage(const std::string& message) {
  char* out = static_cast<char*>(std::malloc(message.size() + 1));
  if (out != nullptr) std::memcpy(out, message.c_str(), message.size() + 1);
  return out;
}

// Returns the status code and hands its message to the caller.
inline int Report(const absl::Status& status, char** error_message) {
  if (error_message != nullptr) {
    *error_message =
        status.ok() ? nullptr : CopyMessage(std::string(status.message()));
  }
  return static_cast<int>(status.code());
}

inline int Invalid(const char* message, char** error_message) {
  return Report(absl::InvalidArgumentError(message), error_message);
}

// Runs `body` (returning absl::Status) with every exception turned into a
// status: nothing crosses the boundary.
// What libprotobuf logged during a call, joined into its status: an OK
// status becomes INTERNAL (the output may be damaged, e.g. invalid UTF-8).
absl::Status WithProtobufLog(absl::Status status,
                             const std::vector<std::string>& lines);

template <typename Body>
int Guard(char** error_message, Body body) noexcept {
  try {
    vigil::ProtobufLogCapture capture;  // libprotobuf's log lines: ours.
    absl::Status status = body();
    const std::vector<std::string> logged = capture.Take();
    if (!logged.empty()) status = WithProtobufLog(std::move(status), logged);
    return Report(status, error_message);
  } catch (const std::bad_alloc&) {
    return Report(absl::ResourceExhaustedError("out of memory"), error_message);
  } catch (const std::exception& e) {
    return Report(absl::InternalError(e.what()), error_message);
  } catch (...) {
    return Report(absl::InternalError("unknown exception"), error_message);
  }
}

inline std::string OrEmpty(const char* s) { return s == nullptr ? "" : s; }

// Indexes `dataset` on first use (thread-safe). A failure marks the dataset
// failed: this and every later call return an error naming it.
absl::Status BuildOnce(vigil_dataset* dataset);

// The provider names (for the heat-map's rows) and rule names (for scores)
// a back-test's timeline carries, from `store` and `engine`'s pack.
void NameTimeline(const vigil::SeriesStore& store, const vigil::Engine& engine,
                  vigil_timeline* timeline);

// OK while rows may still be added; FAILED_PRECONDITION once the dataset
// has been indexed, or failed to be.
absl::Status Writable(vigil_dataset* dataset);

}  // namespace vigil_capi

#endif  // VIGIL_CAPI_CAPI_INTERNAL_H_
