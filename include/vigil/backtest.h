// Back-test scoring: a warning timeline (Engine::EvaluateTimeline) against
// the outcomes it should have foreseen. "How many months earlier would we
// have known, and at what cost in false alarms?"
//
// Example:
//   vigil::v1::Timeline timeline;                    // EvaluateTimeline
//   absl::StatusOr<vigil::OutcomeRows> outcomes =
//       vigil::ReadOutcomesCsv(text, "outcomes.csv");
//   if (!outcomes.ok()) { /* names the line and field at fault */ }
//   vigil::BacktestOptions options;
//   options.warn_after = 2;   // red for 2 consecutive months
//   options.horizon = 12;     // an outcome within 12 months bears it out
//   vigil::v1::BacktestSummary summary;
//   absl::Status s =
//       vigil::ScoreTimeline(timeline, outcomes->outcomes, options, &summary);
//   // summary.pack().median_lead_periods(), summary.rules(i).sensitivity()
//
// An outcome can also be an event one rule defines ("4-hour performance
// below 80% for 3 consecutive months": a threshold rule with standard 80
// and red_after_periods 3): OutcomesFromRule takes, for each provider, each
// as-of period that rule starts rating it red; exclude that rule from
// scoring (BacktestOptions::excluded_rule_ids) when it is in the scored
// pack.
//
// Decisions a reader should know: the pack warns when any scored rule does
// (not by escalation level, which may count the outcome rule itself);
// outcomes in the first `horizon` periods are listed but not scored (the
// provider may have been failing before the range began); a warning whose
// horizon runs past the end of the range is pending, never a false alarm.
//
// Every figure follows the definitions in proto/vigil/v1/report.proto
// (above vigil.v1.Outcome): sustained warning, warning, foreseen, borne
// out, false alarm, pending. Durations are in as-of periods.
//
// Thread safety: pure functions of their arguments; safe from any thread.
#ifndef VIGIL_BACKTEST_H_
#define VIGIL_BACKTEST_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vigil/v1/report.pb.h"

namespace vigil {

// The rows of an outcomes file.
struct OutcomeRows {
  // In file order. `period` is as written (normalised to ISO form, e.g.
  // "2018-01-01" stays a day: ScoreTimeline maps it to the timeline's
  // frequency).
  std::vector<v1::Outcome> outcomes;
};

// Reads CSV `text` with a header naming at least provider_id, period and
// outcome (any order, other columns ignored; blank lines skipped). `source`
// names the file in errors and in each Outcome.
// InvalidArgument naming `source`, the 1-based line and the field for: a
// missing header column, a malformed row, an empty provider_id, period or
// outcome, or a period that is not ISO ("2018-01", "2018-Q1",
// "2018-01-15"). Rows that parse but cannot be scored (unknown provider,
// outside the range) are ScoreTimeline's diagnostics, not errors here.
absl::StatusOr<OutcomeRows> ReadOutcomesCsv(absl::string_view text,
                                            absl::string_view source);

// The outcome `label` at every as-of period at which rule `rule_id` starts
// rating a provider RED (on any of its indicators) after a period it did
// not: the first red, and the first of each later red run (a trust that
// fails again a year later has a second outcome). Sorted by provider id,
// then period; source is "rule RULE_ID". InvalidArgument when `timeline`
// holds no rating by `rule_id` (not in the pack, or it selects nothing in
// the data).
absl::StatusOr<std::vector<v1::Outcome>> OutcomesFromRule(
    const v1::Timeline& timeline, absl::string_view rule_id,
    absl::string_view label);

struct BacktestOptions {
  // As-of periods of consecutive RED that make a sustained warning: the
  // warning starts at the period the run reaches this length. At least 1
  // (default: the first red period warns).
  int warn_after = 1;
  // As-of periods within which an outcome must follow a warning (or precede
  // it) for the warning to be borne out, and within which a warning must
  // have been in force before an outcome to foresee it. At least 1.
  int horizon = 12;
  // Rule ids not scored (neither on their own nor in the pack), e.g. the
  // rule that defines the outcome.
  std::vector<std::string> excluded_rule_ids;
  // The first as-of period whose outcomes are scored (ISO, of the
  // timeline's frequency, within the range); earlier ones are too early to
  // be foreseen fairly (OutcomeLead.too_early). Empty (default): `horizon`
  // periods after the first as-of period.
  std::string outcomes_from;
  // Copied to BacktestSummary.outcome_source.
  std::string outcome_source;
};

// Scores `timeline` against `outcomes` into `*summary` (cleared first).
// Each outcome's period is mapped to the timeline's frequency (a day to
// its month in a monthly range); an outcome whose provider is not in the
// timeline, whose period is outside the range or coarser than the
// timeline's, or that repeats an earlier row (same provider, period and
// outcome) is not scored and gets a diagnostic in summary->diagnostics
// naming its source, row and field. InvalidArgument for options out of
// range (naming warn_after, horizon or outcomes_from), a timeline without
// as-of periods, or a null `summary`.
absl::Status ScoreTimeline(const v1::Timeline& timeline,
                           const std::vector<v1::Outcome>& outcomes,
                           const BacktestOptions& options,
                           v1::BacktestSummary* summary);

}  // namespace vigil

#endif  // VIGIL_BACKTEST_H_
