// The steps shared by a distributed evaluation's report (partition.cc) and
// back-test (timeline_partition.cc): a part's scope, gathering, and the
// merged statistics read back. Private to the engine.
#ifndef VIGIL_SRC_ENGINE_PARTITION_STEPS_H_
#define VIGIL_SRC_ENGINE_PARTITION_STEPS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "vigil/engine.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/partition.pb.h"

namespace vigil {
namespace internal {

// Each rule's slot in compiled.compiled, by its id.
absl::flat_hash_map<std::string, int> SlotsById(
    const CompiledRuleSet& compiled);

// InvalidArgument for a negative part index, or an indicator whose
// frequency is not declared (inferring it reads every provider's rows).
absl::Status CheckPartition(const SeriesStore& data, const PartitionSpec& part);

// A fingerprint of `data`'s providers and indicators tables (FNV-1a over
// each definition's wire bytes, in index order).
uint64_t TablesFingerprint(const SeriesStore& data);

// InvalidArgument naming `what` unless the parts `parts` were judged on the
// statistics of are exactly 0..count-1.
absl::Status CheckStatisticsParts(
    const google::protobuf::RepeatedField<int32_t>& parts, size_t count,
    absl::string_view what);

// InvalidArgument naming `what` unless `version` is this engine's.
absl::Status CheckVersion(const std::string& version, absl::string_view what);

// The scope of `part` in `data` (its owned providers; no statistics yet);
// InvalidArgument when `data` holds rows of a provider it does not own.
absl::StatusOr<std::unique_ptr<PartitionScope>> OwnedScope(
    const SeriesStore& data, const PartitionSpec& part);

// Appends the statistics of every per-indicator rule over the scope's
// providers at each of `periods` to `out`.
absl::Status GatherPeriods(const CompiledRuleSet& compiled,
                           const SeriesStore& data,
                           const std::vector<Period>& periods,
                           const PartitionScope& scope,
                           v1::PartitionStatistics* out);

// Checks that `statistics` were gathered by this engine and pack as of
// `as_of` (and from `from`, for a back-test; else "") over `data`'s tables,
// merged with `part`'s own, and puts them in `scope`.
absl::Status AddStatistics(const CompiledRuleSet& compiled,
                           const SeriesStore& data,
                           const v1::PartitionStatistics& statistics,
                           const std::string& as_of, const std::string& from,
                           int part, PartitionScope* scope);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_PARTITION_STEPS_H_
