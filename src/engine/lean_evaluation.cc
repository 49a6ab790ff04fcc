#include "src/engine/lean_evaluation.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "src/engine/parts.h"
#include "vigil/engine.h"

namespace vigil {
namespace internal {

void RatingTable::set_period(size_t t) {
  t_ = t;
  expected_.swap(seen_);
  seen_.clear();
  next_ = 0;
}

void RatingTable::Rated(int provider, int indicator, int slot,
                        v1::Rating rating) {
  ratings_[RowInOrder({provider, indicator, slot}) * periods_ + t_] =
      static_cast<uint8_t>(rating);
}

size_t RatingTable::RowInOrder(const Key& key) {
  size_t row;
  if (next_ < expected_.size() && keys_[expected_[next_]] == key) {
    row = expected_[next_++];
  } else {
    row = Row(key);
  }
  seen_.push_back(row);
  return row;
}

size_t RatingTable::Row(const Key& key) {
  auto [it, added] = rows_.try_emplace(key, keys_.size());
  if (added) {
    keys_.push_back(key);
    ratings_.resize(ratings_.size() + periods_, 0);
  }
  return it->second;
}

void RatingTable::Merge(const RatingTable& other) {
  for (size_t r = 0; r < other.keys_.size(); ++r) {
    const size_t row = Row(other.keys_[r]);
    for (size_t t = 0; t < periods_; ++t) {
      const uint8_t v = other.ratings_[r * periods_ + t];
      if (v != 0) ratings_[row * periods_ + t] = v;
    }
  }
  for (size_t k = 0; k < escalation_.size(); ++k) {
    if (other.escalation_[k] != 0) escalation_[k] = other.escalation_[k];
  }
}

absl::Status EvaluateLean(const CompiledRuleSet& compiled,
                          const SeriesStore& data, Period as_of,
                          int64_t max_assessments, RatingTable* table,
                          const PartitionScope* scope) {
  const Selection selection = Select(compiled.compiled, data, as_of, scope);
  google::protobuf::Arena arena(ReportArenaOptions());
  PeerResults peers(selection.any_per_indicator ? compiled.compiled.size() : 0,
                    data.indicators().size(), &arena);
  if (selection.any_per_indicator) {
    AssessmentPool pool(&arena, /*explain=*/false);
    RunPerIndicatorPhase(compiled, 0,
                         static_cast<int>(data.indicators().size()), data,
                         selection, /*charts=*/false, &pool, &peers);
  }
  ProviderRange range(&arena, /*chart_periods=*/0, table);
  AssessmentBudget budget(max_assessments);
  range.Assess(compiled, 0, static_cast<int>(data.providers().size()), data,
               selection, &peers, &budget);
  if (budget.exceeded()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the report would hold more than max_assessments (", budget.limit(),
        ") assessments; select fewer providers or indicators, or raise "
        "max_assessments"));
  }
  return absl::OkStatus();
}

absl::Status EvaluateLeanPeriods(const CompiledRuleSet& compiled,
                                 const SeriesStore& data,
                                 absl::Span<const Period> periods, int threads,
                                 int64_t max_assessments, RatingTable* table,
                                 const PartitionScope* scope) {
  const int count = static_cast<int>(periods.size());
  if (count == 0) return absl::OkStatus();
  const int parts = PartsFor(count, threads);
  // Part 0 fills `table`; the others their own, merged into it.
  std::vector<std::unique_ptr<RatingTable>> others;
  for (int t = 1; t < parts; ++t) {
    others.push_back(std::make_unique<RatingTable>(table->periods(),
                                                   data.providers().size()));
  }
  std::vector<absl::Status> errors(parts);
  RunInParts(count, parts, [&](int part, int begin, int end) {
    RatingTable* mine = part == 0 ? table : others[part - 1].get();
    for (int k = begin; k < end; ++k) {
      mine->set_period(k);
      const absl::Status s = EvaluateLean(compiled, data, periods[k],
                                          max_assessments, mine, scope);
      if (!s.ok()) {
        errors[part] = absl::Status(
            s.code(), absl::StrCat("as of ", FormatPeriod(periods[k]), ": ",
                                   s.message()));
        return;
      }
    }
  });
  for (const absl::Status& s : errors) {
    if (!s.ok()) return s;
  }
  for (const auto& other : others) table->Merge(*other);
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace vigil
