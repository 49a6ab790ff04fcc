// The StoreBuilder: cross-row validation and the columnar layout of a
// SeriesStore, from what a DatasetIndexer collected. Definitions and row
// checks are in store_builder.cc; grouping rows into series and writing the
// columns in series_layout.cc.
#ifndef VIGIL_SRC_DATA_STORE_BUILDER_H_
#define VIGIL_SRC_DATA_STORE_BUILDER_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/data/indexer_internal.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// Builds one store from one spent indexer's state. Not thread-safe.
class StoreBuilder {
 public:
  StoreBuilder(DatasetIndexer::Impl* impl, SeriesStore* store)
      : impl_(*impl), store_(*store) {}

  void Run();

 private:
  v1::Diagnostic RowDiagnostic(const PendingRow& r,
                               v1::DiagnosticSeverity severity,
                               v1::DiagnosticCode code, absl::string_view field,
                               absl::string_view why) const;
  // Files an error diagnostic for `r` and drops it.
  void Reject(PendingRow* r, v1::DiagnosticCode code, absl::string_view field,
              absl::string_view why);
  void ResolveIds();
  // Drops the rows of undefined providers and indicators.
  void DropUnknownIds();
  void ResolveFrequencies();
  // Each row's period in its indicator's frequency (or the row is dropped),
  // then its value (ratio rows computed; impossible values dropped).
  void CheckPeriodsAndValues();
  void CheckValue(PendingRow* r, const v1::Indicator& indicator);
  void ReportValueMismatch(const PendingRow& r, double multiplier,
                           double computed);
  // Rejects `r` with ValueProblem's reason (when it has one).
  void RejectImpossibleValue(PendingRow* r, const v1::Indicator& indicator);
  // The columnar layout: rows grouped and sorted by series, columns sized
  // once, one series per (provider, indicator). False when a limit would be
  // exceeded.
  bool Layout();
  void GroupRowsBySeries();
  // False (and impl_.failure set) when a limit would be exceeded.
  bool ReserveColumns();
  void EmitSeries(size_t s, std::vector<const PendingRow*>* group);
  void EmitPoint(const std::vector<const PendingRow*>& group, size_t at,
                 int64_t ratio_at);
  void FindLatestPeriod();

  const PendingRow& RowAt(size_t k) const { return impl_.rows[order_[k]]; }

  DatasetIndexer::Impl& impl_;
  SeriesStore& store_;
  std::vector<int32_t> provider_rank_;   // interned key -> index or -1
  std::vector<int32_t> indicator_rank_;  // interned key -> index or -1
  // Row key -> whether a kept row of it has a numerator or a denominator.
  std::vector<bool> key_has_ratio_;
  // Row key -> its rows kept by CheckPeriodsAndValues.
  std::vector<size_t> key_rows_;
  // Positions in impl_.rows of the kept rows, by series (in store order),
  // each series by period, source rank, row: series s is
  // order_[series_begin_[s], series_begin_[s + 1]). 4-byte positions: fewer
  // than 2^32 rows (which would be 160 GB of pending rows).
  Column<uint32_t> order_;  // Huge pages when large.
  std::vector<size_t> series_begin_;
  // Per series: whether it stores numerator and denominator columns (else
  // its spans are the store's shared NaN column).
  std::vector<bool> series_has_ratio_;
};

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_DATA_STORE_BUILDER_H_
