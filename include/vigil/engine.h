// The Vigil engine: a compiled rule pack that turns data into a Report.
//
// Example:
//   vigil::v1::RuleSet rules = ...;                  // e.g. vigil::LoadRuleSet
//   absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
//       vigil::Engine::Create(rules);
//   if (!engine.ok()) { /* names the rule and field at fault */ }
//   vigil::SeriesStore data = vigil::IndexDataset(dataset);
//   absl::StatusOr<vigil::v1::Report> report = (*engine)->Evaluate(data,
//   "2019-03");
//
// Create validates the whole pack once (ids, selectors, bands, windows,
// references between rules) and returns InvalidArgument naming the rule and
// field of the first mistake, or Unimplemented for a rule kind this version
// cannot evaluate. Evaluate is a pure function of (pack, data, as_of): the
// same input gives the same bytes whatever the order of the input rows.
//
// Thread safety: an Engine is immutable after Create; Evaluate is const and
// may run concurrently from many threads on one Engine.
#ifndef VIGIL_ENGINE_H_
#define VIGIL_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/arena.h"
#include "vigil/series_store.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/partition.pb.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

// "MAJOR.MINOR.PATCH" of this library.
const char* EngineVersion();

class Engine;

namespace internal {
struct CompiledRuleSet;
class RuleKindRegistry;
// Engine::Create with the rule kinds of `kinds` instead of the built-in
// ones (src/engine/engine_internal.h; for the library and its tests).
absl::StatusOr<std::unique_ptr<Engine>> CreateEngine(
    const v1::RuleSet& rules, const RuleKindRegistry& kinds);
}  // namespace internal

// How an evaluation runs. The ratings never depend on these (an evaluation
// exceeding max_assessments fails instead of returning a report;
// chart_periods adds what charts draw).
struct EvaluateOptions {
  // Worker threads for this evaluation, each taking a contiguous range of
  // providers (default 1: the calling thread only).
  // At most kMaxThreads (InvalidArgument above it); 1 or less means the
  // calling thread only. A worker that cannot be started is not an error:
  // its share runs on the calling thread.
  int threads = 1;

  // For drawing (what PrintReportHtml draws): each SPC assessment carries
  // the last `chart_periods` periods of its chart up to the assessed one
  // (SpcState.chart_points), threshold, trend and data-quality assessments
  // the series' last `chart_periods` values (Assessment.recent_values),
  // trajectory assessments their year (Assessment.trajectory), and the
  // report a funnel plot per peer rule and indicator (Report.funnels).
  // 0 (default): none of these, the report stays small.
  // At most kMaxChartPeriods (InvalidArgument above it or below 0).
  int chart_periods = 0;

  // The most assessments one report may hold (each about 500 bytes of
  // report); one more makes the evaluation fail with ResourceExhausted
  // naming max_assessments, as soon as it is reached (not after allocating
  // them all). Default 2,000,000: about 1 GB; a whole England acute dataset
  // (150 trusts x 60 indicators x 10 rules) is under 100,000.
  // Values below 1 mean the default.
  int64_t max_assessments = kDefaultMaxAssessments;

  // EvaluateStreaming only: each batch handed to the stream holds the
  // providers of about this many series (at least one provider; default
  // 1,024: on England's data about 7,800 assessments, 8 MB). Fewer hold
  // less memory; more call the stream less often. Values below 1 mean 1.
  int stream_batch_series = 1024;

  static constexpr int kMaxThreads = 256;
  static constexpr int kMaxChartPeriods = 10000;
  static constexpr int64_t kDefaultMaxAssessments = 2000000;
};

// Arena options for a report of thousands of assessments (64 KiB blocks):
//   google::protobuf::Arena arena(vigil::ReportArenaOptions());
//   auto* report =
//       google::protobuf::Arena::CreateMessage<vigil::v1::Report>(&arena);
//   absl::Status s = engine->EvaluateInto(data, "2019-03", {}, report);
google::protobuf::ArenaOptions ReportArenaOptions();

// One part of a distributed evaluation (docs/scale-out.md): the providers
// it owns. Every part holds the whole providers and indicators tables (so
// indices agree across parts: rows the same in each) and the observation
// and plan rows of its providers, numbered as in the whole input.
struct PartitionSpec {
  // 0-based; part 0 also reports the diagnostics of the shared tables.
  int index = 0;
  // The providers (ids of the providers table) this part owns: it assesses
  // them and no other. Each provider of the table must be owned by exactly
  // one part (the merge checks); an id the table does not hold (a rejected
  // row) owns nothing.
  std::vector<std::string> owned_provider_ids;
  // Diagnostic sources every part holds the same rows of: their diagnostics
  // come from part 0 only. The C API's and the Python package's names.
  std::vector<std::string> shared_sources = {"providers", "indicators"};
};

// Receives a report in pieces from Engine::EvaluateStreaming, so that a
// large report is never held whole: its assessments arrive a batch of
// providers at a time and are freed after each call. Calls come from the
// thread that called EvaluateStreaming, one at a time, in this order: Begin
// once, Assessments zero or more times, Finish once. The pieces, in order,
// are exactly EvaluateInto's report. A call that returns an error stops the
// evaluation, and EvaluateStreaming returns that error. On any error no
// more calls come (no Finish); arguments EvaluateStreaming refuses come
// before Begin. What a call is given is valid only during the call.
// vigil::ReportJsonStream (report_output.h) writes the JSON report this
// way.
class ReportStream {
 public:
  virtual ~ReportStream() = default;
  // `header` holds the report's as_of, ruleset_id, ruleset_version and
  // engine_version, and nothing else.
  virtual absl::Status Begin(const v1::Report& header) = 0;
  // The next assessments in report order (providers in index order, then
  // indicators, then rules in pack order), never empty. They are valid only
  // during the call.
  virtual absl::Status Assessments(
      absl::Span<const v1::Assessment* const> assessments) = 0;
  // Everything else: the header again, one summary per provider (escalation
  // set), the diagnostics, the counts and the funnels; no assessments.
  virtual absl::Status Finish(const v1::Report& rest) = 0;
};

class Engine {
 public:
  // Validates and compiles `rules`. The engine keeps its own copy.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(
      const v1::RuleSet& rules);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Evaluates every rule on `data` as of the period `as_of` (ISO, e.g.
  // "2019-03"; empty = the latest period with a value in `data`). Each
  // indicator is assessed at the as-of period mapped to its frequency;
  // later observations are not used (and are reported as such).
  // Errors: InvalidArgument for an unparseable as_of, an empty as_of on
  // data with no values, or more than EvaluateOptions::kMaxThreads threads;
  // ResourceExhausted for more than options.max_assessments assessments.
  absl::StatusOr<v1::Report> Evaluate(const SeriesStore& data,
                                      absl::string_view as_of) const;
  absl::StatusOr<v1::Report> Evaluate(const SeriesStore& data,
                                      absl::string_view as_of,
                                      const EvaluateOptions& options) const;

  // As Evaluate, into `*report` (cleared first). Create `report` on a
  // google::protobuf::Arena for speed (see ReportArenaOptions()): every
  // assessment, summary and string of the report is then allocated on that
  // arena (worker threads included) and freed with it, instead of one heap
  // allocation each; on the England workload this takes a third off the time
  // and lets two threads scale (bench/README.md). `report` is the caller's
  // and must not be shared with a concurrent call. Errors as Evaluate, plus
  // InvalidArgument for a null `report`; on error `*report` is unspecified.
  absl::Status EvaluateInto(const SeriesStore& data, absl::string_view as_of,
                            const EvaluateOptions& options,
                            v1::Report* report) const;

  // As EvaluateInto, the report handed to `stream` in pieces (see
  // ReportStream) rather than built whole: memory holds the assessments of
  // one batch of providers (options.stream_batch_series), those of the
  // per-indicator rules (peer comparison: one per provider, peer rule and
  // indicator, held to the end) and what Finish gets. `*rest` (the
  // caller's, cleared first; on an arena or not) receives what Finish gets,
  // for the caller to use afterwards. `stream` and `rest` must not be
  // shared with a concurrent call.
  // options.threads split each batch's providers. Errors as EvaluateInto,
  // InvalidArgument for a null `stream` or `rest`, and the stream's own; on
  // error the stream has had part of the report (discard it) and `*rest`
  // is unspecified. England (250 trusts, 76,000 assessments): peak memory
  // of `vigil evaluate` in bench/README.md.
  absl::Status EvaluateStreaming(const SeriesStore& data,
                                 absl::string_view as_of,
                                 const EvaluateOptions& options,
                                 ReportStream* stream, v1::Report* rest) const;

  // Back-testing: evaluates `data` as of every period from `from` to `to`
  // (ISO periods of one frequency, from <= to, at most
  // kMaxTimelinePeriods of them) and gathers what each rule said of each
  // provider's indicator, and each provider's escalation, period by period
  // into `*timeline` (cleared first). Each period's ratings are exactly
  // those of EvaluateInto(data, period, options); options.chart_periods is
  // ignored, options.max_assessments applies to each period.
  // Speed: the store is indexed once and each period is evaluated without
  // explaining (no reasons, evidence or report: the rules skip the words,
  // SPC labels only the latest point), about 5x faster than separate
  // evaluations; options.threads splits the periods among threads (each
  // period on one). England-scale (250 providers x 40 indicators, 120
  // months): bench/README.md.
  // InvalidArgument for a bad, reversed, mixed-frequency or too long range
  // or too many threads; otherwise the first error of an evaluation, naming
  // its period. Same thread safety as EvaluateInto.
  absl::Status EvaluateTimeline(const SeriesStore& data, absl::string_view from,
                                absl::string_view to,
                                const EvaluateOptions& options,
                                v1::Timeline* timeline) const;
  static constexpr int kMaxTimelinePeriods = 10000;

  // Convenience: indexes `data` within the default IndexLimits and evaluates
  // it (ResourceExhausted naming the limit when it is exceeded).
  absl::StatusOr<v1::Report> Evaluate(const v1::Dataset& data,
                                      absl::string_view as_of) const;

  // ---- Distributed evaluation, partitioned by provider ----
  // Three steps give the report EvaluateInto(whole data, as_of, options)
  // would, byte for byte (tested on Dask: bindings/python/tests):
  //   1. each part: GatherPartition -> the statistics of the per-indicator
  //      rules (peer comparison) over its providers, for as_of and the
  //      periods escalation by signals reads;
  //   2. MergeStatistics of every part's -> the statistics of all;
  //   3. each part: EvaluatePartition with them -> a PartialReport;
  //      MergePartialReports of every part's -> the Report.
  // Requirements: `as_of` given (the latest period is the whole data's),
  // the same as_of, pack and tables in every part, and every indicator of
  // the table with its frequency declared (inference reads every
  // provider's rows). Indexing limits apply to each part. Errors name the
  // field or part at fault (InvalidArgument); a part's messages of another
  // engine version are refused. Thread safety as EvaluateInto.
  absl::Status GatherPartition(const SeriesStore& data, absl::string_view as_of,
                               const PartitionSpec& part,
                               v1::PartitionStatistics* out) const;
  absl::Status MergeStatistics(absl::Span<const v1::PartitionStatistics> parts,
                               v1::PartitionStatistics* out) const;
  // options as EvaluateInto's (chart_periods included: the merge keeps one
  // funnel per rule and indicator).
  absl::Status EvaluatePartition(const SeriesStore& data,
                                 absl::string_view as_of,
                                 const PartitionSpec& part,
                                 const v1::PartitionStatistics& statistics,
                                 const EvaluateOptions& options,
                                 v1::PartialReport* out) const;
  // `tables`: a store of the same providers and indicators tables (no
  // observations needed). Consumes `parts` (their contents are moved into
  // `*report`, which is cleared first): parts on `report`'s arena move
  // without a copy (for a large report, parse them there).
  // options.max_assessments applies to the whole report.
  absl::Status MergePartialReports(const SeriesStore& tables,
                                   absl::Span<v1::PartialReport* const> parts,
                                   const EvaluateOptions& options,
                                   v1::Report* report) const;

  // Back-testing distributed the same way: each part's
  // GatherTimelinePartition (every as-of period from `from` to `to`, and
  // those before `from` escalation by signals reads), MergeStatistics, each
  // part's EvaluateTimelinePartition (its providers' ratings and levels at
  // every period, lean), then MergeTimelinePartitions gives the Timeline
  // EvaluateTimeline(whole data, from, to) gives, byte for byte.
  // Requirements and errors as above; options as EvaluateTimeline's.
  absl::Status GatherTimelinePartition(const SeriesStore& data,
                                       absl::string_view from,
                                       absl::string_view to,
                                       const PartitionSpec& part,
                                       v1::PartitionStatistics* out) const;
  absl::Status EvaluateTimelinePartition(
      const SeriesStore& data, absl::string_view from, absl::string_view to,
      const PartitionSpec& part, const v1::PartitionStatistics& statistics,
      const EvaluateOptions& options, v1::PartialTimeline* out) const;
  absl::Status MergeTimelinePartitions(
      const SeriesStore& tables, absl::Span<const v1::PartialTimeline> parts,
      const EvaluateOptions& options, v1::Timeline* timeline) const;

  // The pack as given to Create.
  const v1::RuleSet& rules() const;

 private:
  friend absl::StatusOr<std::unique_ptr<Engine>> internal::CreateEngine(
      const v1::RuleSet& rules, const internal::RuleKindRegistry& kinds);
  explicit Engine(std::unique_ptr<internal::CompiledRuleSet> compiled);
  std::unique_ptr<internal::CompiledRuleSet> compiled_;
};

}  // namespace vigil

#endif  // VIGIL_ENGINE_H_
