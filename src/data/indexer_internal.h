// State shared by the DatasetIndexer's two halves: row intake
// (dataset_indexer.cc) and store building (store_builder.cc).
#ifndef VIGIL_SRC_DATA_INDEXER_INTERNAL_H_
#define VIGIL_SRC_DATA_INDEXER_INTERNAL_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/data/huge_pages.h"
#include "vigil/period.h"
#include "vigil/series_store.h"

namespace vigil {
namespace internal {

// Where observation rows came from: provider, indicator, source and the
// high 32 bits of the row number. A row keeps only the index of its key:
// there are about as many keys as series, not as rows.
struct RowKey {
  int32_t provider;   // Interned.
  int32_t indicator;  // Interned.
  int32_t source;
  uint32_t row_high;
};

// An observation that passed per-row checks. Packed to 40 bytes:
// England-scale data holds a million of these at once.
struct PendingRow {
  double value;
  double numerator;    // NaN when absent.
  double denominator;  // NaN when absent.
  int32_t key;         // Index of its RowKey.
  uint32_t row_low;    // The row number's low 32 bits.
  int32_t period_index;
  Frequency frequency;
  // A v1::ObservationStatus: OK, SUPPRESSED or NOT_SUBMITTED; kDropped once
  // Build has rejected the row (with a diagnostic).
  uint8_t status;
  bool has_value;
  bool has_ratio;  // Numerator and denominator usable.

  static constexpr uint8_t kDropped = 0xff;
  Period period() const { return Period{frequency, period_index}; }
  bool dropped() const { return status == kDropped; }
};
static_assert(sizeof(PendingRow) == 40, "PendingRow grew");

// Observation rows in arrival order, in one anonymous mapping advised for
// huge pages (src/data/huge_pages.h) and doubled with mremap, which moves
// the pages rather than copying the rows. Throws std::bad_alloc when there
// is no memory, as a std::vector would.
class PendingRows {
 public:
  PendingRows() = default;
  PendingRows(PendingRows&& other) noexcept { Swap(&other); }
  PendingRows& operator=(PendingRows&& other) noexcept {
    PendingRows gone(std::move(*this));
    Swap(&other);
    return *this;
  }
  ~PendingRows() { UnmapHugePages(rows_, bytes_); }

  void push_back(const PendingRow& row) {
    if (size_ == capacity_) Grow();
    rows_[size_++] = row;
  }
  size_t size() const { return size_; }
  PendingRow& operator[](size_t i) { return rows_[i]; }
  const PendingRow& operator[](size_t i) const { return rows_[i]; }
  // Calls f(row) on every row, in arrival order.
  template <typename F>
  void ForEach(F f) {
    for (size_t i = 0; i < size_; ++i) f(rows_[i]);
  }

 private:
  void Swap(PendingRows* other) {
    std::swap(rows_, other->rows_);
    std::swap(size_, other->size_);
    std::swap(capacity_, other->capacity_);
    std::swap(bytes_, other->bytes_);
  }
  void Grow();

  PendingRow* rows_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  size_t bytes_ = 0;  // Of the mapping.
};

// A plan row that passed per-row checks. Ids are keys of the Impl's plan
// interners (kept apart from the observations' so that plan ids never become
// implicit providers).
struct PendingPlan {
  double value;
  int64_t row;
  int32_t provider;
  int32_t indicator;
  Period period;
  int32_t source;
};

template <typename Message>
struct Definition {
  Message message;
  int source;
  int64_t row;
};

// Interns ids: the same string always gets the same key.
class Interner {
 public:
  int32_t Intern(absl::string_view id) {
    auto it = keys_.find(id);
    if (it != keys_.end()) return it->second;
    const int32_t key = static_cast<int32_t>(names_.size());
    names_.emplace_back(id);
    keys_.emplace(names_.back(), key);
    return key;
  }
  const std::string& name(int32_t key) const { return names_[key]; }
  int32_t size() const { return static_cast<int32_t>(names_.size()); }

 private:
  absl::flat_hash_map<std::string, int32_t> keys_;
  std::vector<std::string> names_;
};

// The id of the last observation row added and its interned key (-1:
// none yet), so that a run of rows with one id checks and interns it once.
struct LastId {
  std::string id;
  int32_t key = -1;
};

}  // namespace internal

struct DatasetIndexer::Impl {
  std::vector<std::string> sources;
  std::vector<internal::Definition<v1::Provider>> providers;
  std::vector<internal::Definition<v1::Indicator>> indicators;
  internal::PendingRows rows;
  std::vector<internal::RowKey> row_keys;
  absl::flat_hash_map<std::tuple<int32_t, int32_t, int32_t, uint32_t>, int32_t>
      row_key_index;
  int32_t last_row_key = -1;  // The key of the last row added, or -1.
  // Per row key, its rows by the frequency of their period as written
  // (indexed by Frequency): what infers an indicator's frequency.
  std::vector<std::array<int64_t, 5>> row_key_frequencies;
  internal::Column<internal::PendingPlan> plans;  // Huge pages when large.
  std::vector<v1::Diagnostic> diagnostics;
  internal::Interner provider_ids;
  internal::Interner indicator_ids;
  internal::Interner plan_provider_ids;
  internal::Interner plan_indicator_ids;
  internal::LastId last_provider;
  internal::LastId last_indicator;
  int64_t observations_read = 0;
  int64_t plans_read = 0;
  // Checked by Build before the columns are allocated; the first limit
  // exceeded is `failure` (ResourceExhausted) and stops the build.
  IndexLimits limits = IndexLimits::None();
  absl::Status failure;

  int32_t InternProvider(absl::string_view id) {
    return provider_ids.Intern(id);
  }
  int32_t InternIndicator(absl::string_view id) {
    return indicator_ids.Intern(id);
  }
  int32_t InternRowKey(const internal::RowKey& key) {
    const auto [it, added] = row_key_index.try_emplace(
        std::make_tuple(key.provider, key.indicator, key.source, key.row_high),
        static_cast<int32_t>(row_keys.size()));
    if (added) {
      row_keys.push_back(key);
      row_key_frequencies.push_back({0, 0, 0, 0, 0});
    }
    return it->second;
  }
  const internal::RowKey& KeyOf(const internal::PendingRow& r) const {
    return row_keys[r.key];
  }
  // The row number `r` was added with.
  int64_t RowOf(const internal::PendingRow& r) const {
    return static_cast<int64_t>((uint64_t{row_keys[r.key].row_high} << 32) |
                                r.row_low);
  }
};

namespace internal {
// Cross-row validation and the columnar layout. Consumes `impl`. When
// impl->limits would be exceeded, sets impl->failure and leaves `store`
// unusable.
void BuildStore(DatasetIndexer::Impl* impl, SeriesStore* store);

// Plan rows into store->plans_. Needs the store's providers, indicators and
// frequencies resolved; may set the frequency of an indicator that has none
// (no declaration, no observation) from its plan rows. Adds diagnostics to
// impl->diagnostics.
void BuildPlans(DatasetIndexer::Impl* impl, SeriesStore* store);

// The most common frequency among `counts` (indexed by Frequency; ties go to
// the finer frequency), kUnspecified when all are zero.
Frequency MostCommonFrequency(const std::array<int64_t, 5>& counts);

// ResourceExhausted "<what><periods> periods, more than <limit> (<value>)"
// and how to raise the limit; `what` is e.g. "the series of provider 'P1',
// indicator 'I1' (... at data.csv line 2 to ... at line 9) spans ".
absl::Status LimitExceeded(absl::string_view limit, int64_t value,
                           absl::string_view what, int64_t periods);

// Each source's rank when sources are ordered by name (then handle): an
// input-order-free tie-break between rows of different sources.
std::vector<int32_t> SourceRanks(const std::vector<std::string>& sources);
}  // namespace internal

}  // namespace vigil

#endif  // VIGIL_SRC_DATA_INDEXER_INTERNAL_H_
