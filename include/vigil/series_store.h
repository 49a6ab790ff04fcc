// Indexed data: validated observations and plan values as plain columns.
//
// A DatasetIndexer takes providers, indicators, observation rows and plan
// rows in any order, from any source (protobuf, CSV, the C API's arrays),
// validates each row once, and builds an immutable SeriesStore: one dense run
// of values per (provider, indicator), ordered by period, with a status per
// point, and beside it one dense run of planned values (a trajectory) per
// (provider, indicator) that has a plan. A missing period is a gap (kMissing,
// or NaN in a plan), never a zero. Every row that does not become a value is
// reported by a Diagnostic naming its source, row and reason; nothing is
// dropped in silence. The result does not depend on the order rows were
// added in.
//
// Example:
//   vigil::DatasetIndexer indexer;
//   indexer.AddDataset(dataset);            // or AddProvider/AddObservation...
//   vigil::SeriesStore store = std::move(indexer).Build();
//   for (int i = 0; i < store.num_series(); ++i) {
//     vigil::SeriesView s = store.series(i);  // s.values[k] is period
//     s.first+k
//     const int p = store.FindPlan(s.provider, s.indicator);  // -1: none
//     const double planned = p < 0 ? NAN : store.plan(p).At(s.last());
//   }
//
// Thread safety: a DatasetIndexer is not thread-safe (one writer). A built
// SeriesStore is immutable and safe to read from many threads.
#ifndef VIGIL_SERIES_STORE_H_
#define VIGIL_SERIES_STORE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "vigil/period.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {
class StoreBuilder;
class PlanBuilder;

// Memory of the store's columns (an implementation detail of SeriesStore):
// blocks of 2 MiB or more in mappings of their own, aligned and advised for
// transparent huge pages (England's 21 MB of value, numerator and
// denominator columns: 11 huge pages instead of about 4,500 page faults),
// smaller ones from operator new. AllocateColumn throws std::bad_alloc when
// there is no memory.
void* AllocateColumn(size_t bytes);
void FreeColumn(void* data, size_t bytes);

template <typename T>
struct ColumnAllocator {
  using value_type = T;
  ColumnAllocator() = default;
  template <typename U>
  ColumnAllocator(const ColumnAllocator<U>&) {}  // NOLINT(runtime/explicit)
  T* allocate(size_t n) {
    return static_cast<T*>(AllocateColumn(n * sizeof(T)));
  }
  void deallocate(T* data, size_t n) { FreeColumn(data, n * sizeof(T)); }
  template <typename U>
  bool operator==(const ColumnAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const ColumnAllocator<U>&) const {
    return false;
  }
};

template <typename T>
using Column = std::vector<T, ColumnAllocator<T>>;
}  // namespace internal

// What one period of a series holds.
enum class PointStatus : uint8_t {
  kObserved = 0,      // values[k] is a finite number.
  kMissing = 1,       // No row for this period.
  kSuppressed = 2,    // A row marked suppressed.
  kNotSubmitted = 3,  // A row marked not submitted.
  kRejected = 4,      // Rows existed but were unusable (e.g. conflicting
                      // duplicates); see the diagnostics.
};

// One provider's series of one indicator. Spans point into the store and live
// as long as it does.
struct SeriesView {
  int32_t provider = 0;                 // Index into SeriesStore::providers().
  int32_t indicator = 0;                // Index into SeriesStore::indicators().
  Period first;                         // The period of element 0.
  absl::Span<const double> values;      // NaN unless status is kObserved.
  absl::Span<const double> numerators;  // NaN where not given.
  absl::Span<const double> denominators;  // NaN where not given.
  absl::Span<const PointStatus> status;
  bool has_denominators = false;  // Any point carries a denominator.

  int size() const { return static_cast<int>(values.size()); }
  Period last() const {
    return Period{first.frequency, first.index + size() - 1};
  }
  // Position of `period` in the arrays, or -1 when outside the series.
  int IndexOf(Period period) const;
};

// A provider's planned values of one indicator (a trajectory agreed in the
// contract), by period, in the indicator's frequency. Spans live as long as
// the store. A plan runs from the first to the last period of its valid
// rows; a period inside that run without a usable value (no row, or
// conflicting duplicates) is NaN.
struct PlanView {
  int32_t provider = 0;             // Index into SeriesStore::providers().
  int32_t indicator = 0;            // Index into SeriesStore::indicators().
  Period first;                     // The period of values[0].
  absl::Span<const double> values;  // NaN where the plan has no value.

  int size() const { return static_cast<int>(values.size()); }
  Period last() const {
    return Period{first.frequency, first.index + size() - 1};
  }
  // Position of `period` in values, or -1 outside the plan (or for a period
  // of another frequency).
  int IndexOf(Period period) const;
  // The plan value for `period`, NaN when none.
  double At(Period period) const;
};

// Immutable, indexed dataset. Providers and indicators are sorted by id;
// series are sorted by (provider, indicator). A default-constructed store is
// empty (no providers, no indicators).
class SeriesStore {
 public:
  SeriesStore();
  SeriesStore(SeriesStore&&) noexcept;
  SeriesStore& operator=(SeriesStore&&) noexcept;
  ~SeriesStore();

  int num_series() const { return static_cast<int>(series_.size()); }
  SeriesView series(int i) const;
  // The series of (provider, indicator), or -1 when there is none.
  int FindSeries(int provider, int indicator) const;
  // Provider p's series are [series_begin(p), series_end(p)), by indicator.
  int series_begin(int provider) const {
    return provider_series_begin_[provider];
  }
  int series_end(int provider) const {
    return provider_series_begin_[provider + 1];
  }
  // The series of indicator i (positions for series()), by provider.
  absl::Span<const int32_t> indicator_series(int indicator) const;

  const std::vector<v1::Provider>& providers() const { return providers_; }
  const std::vector<v1::Indicator>& indicators() const { return indicators_; }
  // Index by id, or -1.
  int FindProvider(absl::string_view id) const;
  int FindIndicator(absl::string_view id) const;
  // The frequency every series and plan of indicator i has: declared, else
  // inferred from its observations, else (no observation) from its plans.
  Frequency indicator_frequency(int i) const { return frequencies_[i]; }

  // Plans, sorted by (provider, indicator); at most one per pair.
  int num_plans() const { return static_cast<int>(plans_.size()); }
  PlanView plan(int i) const;
  // The plan of (provider, indicator), or -1 when there is none.
  int FindPlan(int provider, int indicator) const;
  // Provider p's plans are [plans_begin(p), plans_end(p)), by indicator.
  int plans_begin(int provider) const { return provider_plan_begin_[provider]; }
  int plans_end(int provider) const {
    return provider_plan_begin_[provider + 1];
  }
  // The plans of indicator i (positions for plan()), by provider.
  absl::Span<const int32_t> indicator_plans(int indicator) const;

  // Problems found while indexing, sorted by source, row and code.
  const std::vector<v1::Diagnostic>& diagnostics() const {
    return diagnostics_;
  }

  // The latest period holding an observed value (the default as-of), or
  // nullopt-like {kUnspecified, 0} when the store has no value at all.
  Period latest_period() const { return latest_period_; }

  int64_t observations_read() const { return observations_read_; }
  int64_t observations_used() const { return observations_used_; }
  int64_t observations_rejected() const {
    return observations_read_ - observations_used_;
  }

  // Plan rows read, stored as a plan value, and not stored (each with a
  // diagnostic). An identical duplicate counts once as used, the others as
  // rejected; read = used + rejected.
  int64_t plans_read() const { return plans_read_; }
  int64_t plans_used() const { return plans_used_; }
  int64_t plans_rejected() const { return plans_read_ - plans_used_; }

 private:
  friend class internal::StoreBuilder;
  friend class internal::PlanBuilder;
  struct SeriesInfo {
    int32_t provider;
    int32_t indicator;
    Period first;
    int64_t offset;  // Into values_ and status_.
    // Into numerators_ and denominators_; -1 when the series has no
    // numerator and no denominator at all (its spans are no_ratio_).
    int64_t ratio_offset;
    int32_t length;
    bool has_denominators;
  };
  struct PlanInfo {
    int32_t provider;
    int32_t indicator;
    Period first;
    int64_t offset;  // Into plan_values_.
    int32_t length;
  };

  std::vector<v1::Provider> providers_;
  std::vector<v1::Indicator> indicators_;
  std::vector<Frequency> frequencies_;
  absl::flat_hash_map<std::string, int> provider_index_;
  absl::flat_hash_map<std::string, int> indicator_index_;
  std::vector<SeriesInfo> series_;
  std::vector<int32_t> provider_series_begin_;  // size providers + 1
  internal::Column<double> values_;
  internal::Column<double> numerators_;
  internal::Column<double> denominators_;
  // NaN, as long as the longest series without numerators and
  // denominators: those series share it instead of two columns of NaN.
  std::vector<double> no_ratio_;
  internal::Column<PointStatus> status_;
  std::vector<v1::Diagnostic> diagnostics_;
  std::vector<PlanInfo> plans_;
  std::vector<double> plan_values_;
  // Indexes of the pairs that exist, so that evaluation costs what the
  // data holds (not providers x indicators); set by IndexPairs().
  std::vector<int32_t> provider_plan_begin_;     // size providers + 1
  std::vector<int32_t> indicator_series_begin_;  // size indicators + 1
  std::vector<int32_t> series_by_indicator_;     // series positions
  std::vector<int32_t> indicator_plan_begin_;    // size indicators + 1
  std::vector<int32_t> plans_by_indicator_;      // plan positions
  void IndexPairs();
  Period latest_period_;
  int64_t observations_read_ = 0;
  int64_t observations_used_ = 0;
  int64_t plans_read_ = 0;
  int64_t plans_used_ = 0;
};

// One observation row, without protobuf, as readers and the C API see it.
struct ObservationRow {
  absl::string_view provider_id;
  absl::string_view indicator_id;
  absl::string_view period;
  bool has_value = false;
  double value = 0;
  bool has_numerator = false;
  double numerator = 0;
  bool has_denominator = false;
  double denominator = 0;
  v1::ObservationStatus status = v1::OBSERVATION_STATUS_OK;

  // The row of a vigil.v1.Observation (views into it: keep it alive).
  static ObservationRow Of(const v1::Observation& o) {
    ObservationRow row;
    row.provider_id = o.provider_id();
    row.indicator_id = o.indicator_id();
    row.period = o.period();
    row.has_value = o.has_value();
    row.value = o.value();
    row.has_numerator = o.has_numerator();
    row.numerator = o.numerator();
    row.has_denominator = o.has_denominator();
    row.denominator = o.denominator();
    row.status = o.status();
    return row;
  }
};

// One plan row (a planned value of a provider's indicator for one period),
// without protobuf. The period takes the same forms as an observation's.
struct PlanRow {
  absl::string_view provider_id;
  absl::string_view indicator_id;
  absl::string_view period;
  double value = 0;  // In the indicator's unit; must be finite.
};

// What indexing may allocate. A series (and a plan) is stored densely, one
// element per period from its first row to its last, so two daily rows 300
// years apart cost 109,572 periods (25 bytes each in a series, 8 in a plan).
// Build(limits) checks both bounds before it allocates the columns and fails
// with ResourceExhausted naming the limit and the series.
struct IndexLimits {
  // Periods from the first to the last row of one provider's series (or
  // plan) of one indicator, inclusive. Default 100,000: any monthly,
  // quarterly or annual series, and 273 years of days.
  int64_t max_periods_per_series = 100000;
  // Periods stored over all series and plans. Default 30,000,000: about
  // 750 MB of series columns.
  int64_t max_stored_periods = 30000000;

  // No bound at all (what Build() without limits uses).
  static IndexLimits None() {
    IndexLimits none;
    none.max_periods_per_series = std::numeric_limits<int64_t>::max();
    none.max_stored_periods = std::numeric_limits<int64_t>::max();
    return none;
  }
};

// Collects and validates rows, then builds a SeriesStore. Not thread-safe.
class DatasetIndexer {
 public:
  DatasetIndexer();
  ~DatasetIndexer();
  DatasetIndexer(const DatasetIndexer&) = delete;
  DatasetIndexer& operator=(const DatasetIndexer&) = delete;

  // Registers a source name used in diagnostics (a file name, or
  // "observations" for protobuf input) and returns its handle.
  int AddSource(absl::string_view name);

  // `row` is 1-based (a CSV line, or a message's position in a list).
  void AddProvider(const v1::Provider& provider, int source, int64_t row);
  void AddIndicator(const v1::Indicator& indicator, int source, int64_t row);
  void AddObservation(const ObservationRow& observation, int source,
                      int64_t row);
  // A plan row. Rows with empty ids, a bad period or a non-finite value are
  // diagnostics at once; unknown ids, another frequency than the
  // indicator's and duplicates are diagnosed by Build. Plan provider ids are
  // never implicit providers: with no providers defined, a plan's provider
  // must appear in the observations.
  void AddPlan(const PlanRow& plan, int source, int64_t row);
  void AddPlan(const v1::PlanValue& plan, int source, int64_t row);
  // A row a reader could not parse: counted as read and not used.
  void AddUnreadableObservation(v1::Diagnostic diagnostic);
  void AddUnreadablePlan(v1::Diagnostic diagnostic);
  // Any other reader diagnostic (kept as is).
  void AddDiagnostic(v1::Diagnostic diagnostic);

  // All of a Dataset, with sources "providers", "indicators", "observations"
  // and "plans" (prefixed by `source` and a space when given, e.g.
  // "data.json observations") and rows numbered from 1 in each list.
  void AddDataset(const v1::Dataset& dataset, absl::string_view source = "");

  // Validates what was added and builds the store, within `limits`.
  // Errors: ResourceExhausted naming the limit (max_periods_per_series or
  // max_stored_periods) and, for the first, the series and its periods,
  // before any column is allocated. The indexer is spent either way.
  absl::StatusOr<SeriesStore> Build(const IndexLimits& limits) &&;
  // As Build(limits) with no limits (IndexLimits::None()): for data whose
  // size the caller already trusts. Two rows far apart allocate every
  // period between them.
  SeriesStore Build() &&;

  struct Impl;  // Internal.

 private:
  std::unique_ptr<Impl> impl_;
};

// Convenience: indexes one Dataset (no limits; see Build()).
SeriesStore IndexDataset(const v1::Dataset& dataset);
// Indexes one Dataset within `limits` (see Build(limits)).
absl::StatusOr<SeriesStore> IndexDataset(const v1::Dataset& dataset,
                                         const IndexLimits& limits);

}  // namespace vigil

#endif  // VIGIL_SERIES_STORE_H_
