// Lean evaluation: what every rule rated at an as-of period, by index,
// without reasons, evidence or a report. Back-testing replays it at every
// period of a range; signal escalation reads the periods before the one
// evaluated. Private to the engine.
#ifndef VIGIL_SRC_ENGINE_LEAN_EVALUATION_H_
#define VIGIL_SRC_ENGINE_LEAN_EVALUATION_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "vigil/period.h"
#include "vigil/series_store.h"

namespace vigil {
namespace internal {

// The ratings of some as-of periods (0..periods-1, oldest first) by
// (provider, indicator, rule slot), and each provider's level by period.
// 0 (RATING_UNSPECIFIED, ESCALATION_LEVEL_UNSPECIFIED) where none was given.
// Filled by one thread; tables of disjoint periods Merge.
class RatingTable : public RatingSink {
 public:
  struct Key {
    int32_t provider, indicator, slot;
    bool operator==(const Key& o) const {
      return provider == o.provider && indicator == o.indicator &&
             slot == o.slot;
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.provider, k.indicator, k.slot);
    }
  };

  RatingTable(size_t periods, size_t providers)
      : periods_(periods), escalation_(periods * providers, 0) {}

  // The period the next calls of Rated and Escalated are for.
  void set_period(size_t t);
  void Rated(int provider, int indicator, int slot, v1::Rating rating) override;
  void Escalated(int provider, v1::EscalationLevel level) override {
    escalation_[static_cast<size_t>(provider) * periods_ + t_] =
        static_cast<uint8_t>(level);
  }
  // Adds what `other` (same periods and providers) holds.
  void Merge(const RatingTable& other);

  size_t periods() const { return periods_; }
  size_t rows() const { return keys_.size(); }
  const Key& key(size_t row) const { return keys_[row]; }
  // One v1::Rating per period.
  absl::Span<const uint8_t> ratings(size_t row) const {
    return absl::MakeConstSpan(ratings_).subspan(row * periods_, periods_);
  }
  v1::EscalationLevel escalation(int provider, size_t t) const {
    return static_cast<v1::EscalationLevel>(
        escalation_[static_cast<size_t>(provider) * periods_ + t]);
  }
  void set_escalation(int provider, size_t t, v1::EscalationLevel level) {
    escalation_[static_cast<size_t>(provider) * periods_ + t] =
        static_cast<uint8_t>(level);
  }

 private:
  size_t Row(const Key& key);
  // The row of `key`, expecting this period's calls in the last period's
  // order (each period mostly rates the same pairs).
  size_t RowInOrder(const Key& key);

  const size_t periods_;
  size_t t_ = 0;
  absl::flat_hash_map<Key, size_t> rows_;
  std::vector<Key> keys_;            // By row.
  std::vector<uint8_t> ratings_;     // [row][period].
  std::vector<uint8_t> escalation_;  // [provider][period].
  std::vector<size_t> expected_;     // Rows in the last period's order.
  std::vector<size_t> seen_;         // Rows in this period's order.
  size_t next_ = 0;                  // Into expected_.
};

// What EvaluateInto(data, as_of) would rate, and each provider's level by
// the red-counting policy, on the calling thread into `table` (its current
// period), without explaining. ResourceExhausted past `max_assessments`.
// In `scope` (when not null): only its providers, on its statistics.
absl::Status EvaluateLean(const CompiledRuleSet& compiled,
                          const SeriesStore& data, Period as_of,
                          int64_t max_assessments, RatingTable* table,
                          const PartitionScope* scope = nullptr);

// EvaluateLean at every period of `periods` into `table` (period k of the
// table is periods[k]; the table has at least periods.size() periods), the
// periods split among up to `threads` threads. On error, the earliest
// period's, prefixed "as of <period>: ".
absl::Status EvaluateLeanPeriods(const CompiledRuleSet& compiled,
                                 const SeriesStore& data,
                                 absl::Span<const Period> periods, int threads,
                                 int64_t max_assessments, RatingTable* table,
                                 const PartitionScope* scope = nullptr);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_LEAN_EVALUATION_H_
