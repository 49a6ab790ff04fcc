// The steps of Engine::EvaluateInto, shared with the distributed evaluation
// (partition.cc), which runs them on parts of the providers and merges.
// Private to the engine.
#ifndef VIGIL_SRC_ENGINE_REPORT_STEPS_H_
#define VIGIL_SRC_ENGINE_REPORT_STEPS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "src/engine/lean_evaluation.h"
#include "src/engine/signal_escalation.h"
#include "vigil/engine.h"
#include "vigil/period.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {

// InvalidArgument naming chart_periods or threads when out of range.
absl::Status CheckEvaluateOptions(const EvaluateOptions& options);

// The as-of period: `as_of_text` parsed, or when empty the data's latest.
absl::StatusOr<Period> AsOfPeriod(const SeriesStore& data,
                                  absl::string_view as_of_text);

// options.max_assessments, or its default when below 1.
inline int64_t MaxAssessments(const EvaluateOptions& options) {
  return options.max_assessments >= 1 ? options.max_assessments
                                      : EvaluateOptions::kDefaultMaxAssessments;
}

// ResourceExhausted naming max_assessments (`limit`).
absl::Status AssessmentLimitError(int64_t limit);

// The per-indicator, per-series and combining phases and the roll-up of
// every provider `selection` visits (its scope's owned ones in a part):
// assessments, one summary per provider in index order and any funnels
// appended to `report` (on its arena). With `keys`, what each assessment is
// of, in report order.
absl::Status EvaluateAssessments(const CompiledRuleSet& compiled,
                                 const SeriesStore& data,
                                 const Selection& selection,
                                 const EvaluateOptions& options,
                                 v1::Report* report,
                                 std::vector<AssessmentKey>* keys);

// The per-indicator phase (peer comparison) into `results`, threads
// splitting the indicators; its assessments on `arena` (null: the heap).
void RunPerIndicator(const CompiledRuleSet& compiled, const SeriesStore& data,
                     const Selection& selection, int threads, bool charts,
                     google::protobuf::Arena* arena, PeerResults* results);

// The store's diagnostics and those of observations `selection` leaves
// unused, sorted, and the counts of rows read, used and rejected.
void AddDiagnostics(const SeriesStore& data, const Selection& selection,
                    Period as_of, v1::Report* report);

// The as-of period's ratings escalation by signals reads, gathered from the
// assessments in report order.
struct PeriodRatings {
  void Add(const AssessmentKey& key, const v1::Assessment& a);

  std::vector<AssessmentKey> keys;  // What each rating is of.
  std::vector<v1::Rating> ratings;
  SignalScores::Phrases phrases;  // The signal phrases that are not empty.
};

// What every evaluation into a report starts from: the options checked
// (CheckEvaluateOptions), the as-of period (AsOfPeriod) and what the pack
// selects then (Select).
struct EvaluationStart {
  Period as_of;
  Selection selection;
};
absl::StatusOr<EvaluationStart> StartEvaluation(const CompiledRuleSet& compiled,
                                                const SeriesStore& data,
                                                absl::string_view as_of_text,
                                                const EvaluateOptions& options);

// Clears `report` and sets its header: as_of, the pack's id and version,
// the engine's version.
void StartReport(const CompiledRuleSet& compiled, Period as_of,
                 v1::Report* report);

// What ends an evaluation into a report once its assessments are made:
// escalation by signals of its summaries when the pack has it (`now`: this
// period's ratings; the earlier periods evaluated lean), then the
// diagnostics and counts.
absl::Status FinishReport(const CompiledRuleSet& compiled,
                          const SeriesStore& data, const Selection& selection,
                          Period as_of, const EvaluateOptions& options,
                          PeriodRatings now, v1::Report* report);

// Escalation by signals reads these as-of periods, oldest first: the
// lookback_periods() before as_of, then as_of.
std::vector<Period> SignalPeriods(const CompiledRuleSet& compiled,
                                  Period as_of);

// The lean ratings of every period of `periods` but the last into `table`
// (one period per entry of `periods`), in `scope` when not null.
absl::Status EvaluateLookback(const CompiledRuleSet& compiled,
                              const SeriesStore& data,
                              const std::vector<Period>& periods,
                              const EvaluateOptions& options,
                              const PartitionScope* scope, RatingTable* table);

// The ratings of `report`'s assessments, `keys[k]` saying what assessment k
// is of (the keys EvaluateAssessments gives).
PeriodRatings RatingsOf(const std::vector<AssessmentKey>& keys,
                        const v1::Report& report);

// Sets the escalation and reason of every summary of `report` (one per
// provider of `tables`, in index order) by the pack's signal policy, from
// `table` (the earlier periods filled) and this period's ratings `now`
// (RatingsOf the report's assessments, or gathered as a streamed report's
// were made). `tables` need hold only the providers and indicators.
void EscalateSummariesBySignals(const CompiledRuleSet& compiled,
                                const SeriesStore& tables,
                                const std::vector<Period>& periods,
                                PeriodRatings now, RatingTable* table,
                                v1::Report* report);

// Back-testing (Engine::EvaluateTimeline and its partitions):
// The as-of periods from `from` to `to`; InvalidArgument for a bad,
// reversed, mixed-frequency or too long range.
absl::StatusOr<std::vector<Period>> RangeOf(absl::string_view from,
                                            absl::string_view to);
// The periods a back-test of `range` evaluates: the range, after the
// periods before it that escalation by signals reads.
std::vector<Period> TimelinePeriods(const CompiledRuleSet& compiled,
                                    const std::vector<Period>& range);
// `table` into `timeline` (whose as_of is set), from the table's period
// `first` on: rules sorted by provider id, indicator id and pack order,
// every provider of `data` sorted by id.
void WriteTimeline(const RatingTable& table, size_t first,
                   const CompiledRuleSet& compiled, const SeriesStore& data,
                   v1::Timeline* timeline);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_REPORT_STEPS_H_
