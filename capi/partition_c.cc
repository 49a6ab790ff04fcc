// The C API of distributed evaluation: vigil_engine_gather,
// vigil_engine_merge_statistics, vigil_engine_evaluate_partition and
// vigil_engine_merge_partials (include/vigil/vigil.h).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "message_io.h"
#include "vigil/engine.h"
#include "vigil/v1/partition.pb.h"

namespace {

using vigil_capi::Guard;
using vigil_capi::Invalid;

// The part `partition` owning `owned` (checked: no NULL id).
absl::Status MakePart(int partition, size_t owned_count,
                      const char* const* owned, vigil::PartitionSpec* part) {
  if (partition < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("partition: must be 0 or more, got ", partition));
  }
  if (owned_count > 0 && owned == nullptr) {
    return absl::InvalidArgumentError("owned_provider_ids is NULL");
  }
  part->index = partition;
  part->owned_provider_ids.reserve(owned_count);
  for (size_t i = 0; i < owned_count; ++i) {
    if (owned[i] == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("owned_provider_ids[", i, "] is NULL"));
    }
    part->owned_provider_ids.emplace_back(owned[i]);
  }
  return absl::OkStatus();
}

vigil::EvaluateOptions OptionsOf(const vigil_evaluate_options* options) {
  const vigil_evaluate_options defaults;
  const vigil_evaluate_options& o = options == nullptr ? defaults : *options;
  vigil::EvaluateOptions evaluate;
  evaluate.threads = o.threads;
  if (o.max_assessments > 0) evaluate.max_assessments = o.max_assessments;
  evaluate.chart_periods = o.chart_periods;
  return evaluate;
}

// Parses `count` messages of `parts` / `lengths` (protobuf binary), part k
// into `message_for(k)` (a Message*).
template <typename MessageFor>
absl::Status ParseParts(size_t count, const void* const* parts,
                        const size_t* lengths, MessageFor message_for) {
  if (count == 0) return absl::InvalidArgumentError("count: none to merge");
  if (parts == nullptr || lengths == nullptr) {
    return absl::InvalidArgumentError("parts and lengths must not be NULL");
  }
  for (size_t k = 0; k < count; ++k) {
    if (parts[k] == nullptr && lengths[k] > 0) {
      return absl::InvalidArgumentError(absl::StrCat("parts[", k, "] is NULL"));
    }
    absl::Status s = vigil::capi::ParseMessage(
        parts[k], lengths[k], VIGIL_FORMAT_BINARY, message_for(k));
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("parts[", k, "]: ", s.message()));
    }
  }
  return absl::OkStatus();
}

// The shape of a part's call: the output and handles checked, the part
// made (its shared sources: the dataset's tables), the dataset indexed, then
// `step` (engine, store, part) -> the message to hand out as bytes.
template <typename Step>
int PartCall(const vigil_engine* engine, vigil_dataset* dataset, int partition,
             size_t owned_count, const char* const* owned, char** bytes,
             size_t* length, char** error_message, Step step) {
  if (bytes == nullptr || length == nullptr) {
    return Invalid("bytes and length must not be NULL", error_message);
  }
  *bytes = nullptr;
  *length = 0;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    vigil::PartitionSpec part;
    if (absl::Status s = MakePart(partition, owned_count, owned, &part);
        !s.ok()) {
      return s;
    }
    part.shared_sources = dataset->table_sources;
    const vigil_capi::EngineUse use(engine);
    if (absl::Status s = vigil_capi::BuildOnce(dataset); !s.ok()) return s;
    absl::StatusOr<std::string> wire =
        step(use.engine(), *dataset->store, part);
    if (!wire.ok()) return wire.status();
    return vigil::capi::HandOut(*wire, bytes, length);
  });
}

// `message`'s wire bytes, or the error of the step that made it.
absl::StatusOr<std::string> Wire(const absl::Status& made,
                                 const google::protobuf::Message& message) {
  if (!made.ok()) return made;
  std::string wire;
  if (!message.SerializeToString(&wire)) {
    return absl::InternalError("the message could not be serialized");
  }
  return wire;
}

// Merged statistics from the caller's bytes.
absl::Status ParseStatistics(const void* statistics, size_t length,
                             vigil::v1::PartitionStatistics* out) {
  if (statistics == nullptr && length > 0) {
    return absl::InvalidArgumentError("statistics is NULL");
  }
  absl::Status s =
      vigil::capi::ParseMessage(statistics, length, VIGIL_FORMAT_BINARY, out);
  if (s.ok()) return s;
  return absl::InvalidArgumentError(absl::StrCat("statistics: ", s.message()));
}

}  // namespace

extern "C" {

VIGIL_EXPORT int vigil_engine_gather(const vigil_engine* engine,
                                     vigil_dataset* dataset, const char* as_of,
                                     int partition, size_t owned_count,
                                     const char* const* owned_provider_ids,
                                     char** bytes, size_t* length,
                                     char** error_message) noexcept {
  return PartCall(
      engine, dataset, partition, owned_count, owned_provider_ids, bytes,
      length, error_message,
      [&](const vigil::Engine& e, const vigil::SeriesStore& store,
          const vigil::PartitionSpec& part) {
        vigil::v1::PartitionStatistics out;
        return Wire(
            e.GatherPartition(store, vigil_capi::OrEmpty(as_of), part, &out),
            out);
      });
}

VIGIL_EXPORT int vigil_engine_merge_statistics(const vigil_engine* engine,
                                               size_t count,
                                               const void* const* parts,
                                               const size_t* lengths,
                                               char** bytes, size_t* length,
                                               char** error_message) noexcept {
  if (bytes == nullptr || length == nullptr) {
    return Invalid("bytes and length must not be NULL", error_message);
  }
  *bytes = nullptr;
  *length = 0;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    std::vector<vigil::v1::PartitionStatistics> parsed(count);
    if (absl::Status s = ParseParts(count, parts, lengths,
                                    [&](size_t k) { return &parsed[k]; });
        !s.ok()) {
      return s;
    }
    const vigil_capi::EngineUse use(engine);
    vigil::v1::PartitionStatistics merged;
    if (absl::Status s = use.engine().MergeStatistics(parsed, &merged);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> wire = Wire(absl::OkStatus(), merged);
    if (!wire.ok()) return wire.status();
    return vigil::capi::HandOut(*wire, bytes, length);
  });
}

VIGIL_EXPORT int vigil_engine_evaluate_partition(
    const vigil_engine* engine, vigil_dataset* dataset, const char* as_of,
    int partition, size_t owned_count, const char* const* owned_provider_ids,
    const void* statistics, size_t statistics_length,
    const vigil_evaluate_options* options, char** bytes, size_t* length,
    char** error_message) noexcept {
  return PartCall(
      engine, dataset, partition, owned_count, owned_provider_ids, bytes,
      length, error_message,
      [&](const vigil::Engine& e, const vigil::SeriesStore& store,
          const vigil::PartitionSpec& part) -> absl::StatusOr<std::string> {
        vigil::v1::PartitionStatistics merged;
        if (absl::Status s =
                ParseStatistics(statistics, statistics_length, &merged);
            !s.ok()) {
          return s;
        }
        vigil::v1::PartialReport out;
        return Wire(e.EvaluatePartition(store, vigil_capi::OrEmpty(as_of), part,
                                        merged, OptionsOf(options), &out),
                    out);
      });
}

VIGIL_EXPORT int vigil_engine_merge_partials(
    const vigil_engine* engine, vigil_dataset* tables, size_t count,
    const void* const* parts, const size_t* lengths,
    const vigil_evaluate_options* options, vigil_report** out,
    char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (tables == nullptr) return Invalid("tables is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    // The parts on the report's arena: their assessments move, not copy.
    auto handle = std::make_unique<vigil_report>();
    std::vector<vigil::v1::PartialReport*> parsed(count);
    if (absl::Status s = ParseParts(
            count, parts, lengths,
            [&](size_t k) {
              return parsed[k] = google::protobuf::Arena::CreateMessage<
                         vigil::v1::PartialReport>(&handle->arena);
            });
        !s.ok()) {
      return s;
    }
    const vigil_capi::EngineUse use(engine);
    if (absl::Status s = vigil_capi::BuildOnce(tables); !s.ok()) return s;
    if (absl::Status s = use.engine().MergePartialReports(
            *tables->store, parsed, OptionsOf(options), &handle->report);
        !s.ok()) {
      return s;
    }
    *out = handle.release();
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_engine_gather_backtest(
    const vigil_engine* engine, vigil_dataset* dataset, const char* from,
    const char* to, int partition, size_t owned_count,
    const char* const* owned_provider_ids, char** bytes, size_t* length,
    char** error_message) noexcept {
  if (from == nullptr || to == nullptr) {
    return Invalid("from and to must not be NULL", error_message);
  }
  return PartCall(engine, dataset, partition, owned_count, owned_provider_ids,
                  bytes, length, error_message,
                  [&](const vigil::Engine& e, const vigil::SeriesStore& store,
                      const vigil::PartitionSpec& part) {
                    vigil::v1::PartitionStatistics out;
                    return Wire(
                        e.GatherTimelinePartition(store, from, to, part, &out),
                        out);
                  });
}

VIGIL_EXPORT int vigil_engine_backtest_partition(
    const vigil_engine* engine, vigil_dataset* dataset, const char* from,
    const char* to, int partition, size_t owned_count,
    const char* const* owned_provider_ids, const void* statistics,
    size_t statistics_length, const vigil_evaluate_options* options,
    char** bytes, size_t* length, char** error_message) noexcept {
  if (from == nullptr || to == nullptr) {
    return Invalid("from and to must not be NULL", error_message);
  }
  return PartCall(
      engine, dataset, partition, owned_count, owned_provider_ids, bytes,
      length, error_message,
      [&](const vigil::Engine& e, const vigil::SeriesStore& store,
          const vigil::PartitionSpec& part) -> absl::StatusOr<std::string> {
        vigil::v1::PartitionStatistics merged;
        if (absl::Status s =
                ParseStatistics(statistics, statistics_length, &merged);
            !s.ok()) {
          return s;
        }
        vigil::v1::PartialTimeline out;
        return Wire(e.EvaluateTimelinePartition(store, from, to, part, merged,
                                                OptionsOf(options), &out),
                    out);
      });
}

VIGIL_EXPORT int vigil_engine_merge_backtest_partials(
    const vigil_engine* engine, vigil_dataset* tables, size_t count,
    const void* const* parts, const size_t* lengths,
    const vigil_evaluate_options* options, vigil_timeline** out,
    char** error_message) noexcept {
  if (out == nullptr) return Invalid("out is NULL", error_message);
  *out = nullptr;
  if (engine == nullptr) return Invalid("engine is NULL", error_message);
  if (tables == nullptr) return Invalid("tables is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    std::vector<vigil::v1::PartialTimeline> parsed(count);
    if (absl::Status s = ParseParts(count, parts, lengths,
                                    [&](size_t k) { return &parsed[k]; });
        !s.ok()) {
      return s;
    }
    const vigil_capi::EngineUse use(engine);
    if (absl::Status s = vigil_capi::BuildOnce(tables); !s.ok()) return s;
    auto handle = std::make_unique<vigil_timeline>();
    if (absl::Status s = use.engine().MergeTimelinePartitions(
            *tables->store, parsed, OptionsOf(options), &handle->timeline);
        !s.ok()) {
      return s;
    }
    vigil_capi::NameTimeline(*tables->store, use.engine(), handle.get());
    *out = handle.release();
    return absl::OkStatus();
  });
}

}  // extern "C"
