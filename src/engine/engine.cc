#include "vigil/engine.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "src/data/diagnostics.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "src/engine/lean_evaluation.h"
#include "src/engine/parts.h"
#include "src/engine/report_steps.h"
#include "src/engine/signal_escalation.h"

namespace vigil {
namespace {

using internal::AssessmentBudget;
using internal::AssessmentPool;
using internal::CompiledRuleSet;
using internal::PartsFor;
using internal::PeerResults;
using internal::ProviderRange;
using internal::RunInParts;
using internal::Selection;

}  // namespace

void internal::RunPerIndicator(const CompiledRuleSet& compiled,
                               const SeriesStore& data,
                               const Selection& selection, int threads,
                               bool charts, google::protobuf::Arena* arena,
                               PeerResults* results) {
  const int indicators = static_cast<int>(data.indicators().size());
  const int parts = PartsFor(indicators, threads);
  RunInParts(indicators, parts, [&](int, int begin, int end) {
    AssessmentPool pool(arena);
    internal::RunPerIndicatorPhase(compiled, begin, end, data, selection,
                                   charts, &pool, results);
  });
}

void internal::AddDiagnostics(const SeriesStore& data,
                              const Selection& selection, Period as_of,
                              v1::Report* report) {
  std::vector<v1::Diagnostic> diagnostics = data.diagnostics();
  const internal::UnusedCounts counts =
      internal::CountUnusedObservations(data, selection);
  internal::AddUnusedDiagnostics(counts, data.indicators(), as_of,
                                 data.plans_used(), selection.any_reads_plans,
                                 &diagnostics);
  const int64_t unused = counts.total();
  SortDiagnostics(&diagnostics);
  report->mutable_diagnostics()->Reserve(static_cast<int>(diagnostics.size()));
  for (v1::Diagnostic& d : diagnostics) {
    *report->add_diagnostics() = std::move(d);
  }
  report->set_observations_read(data.observations_read());
  report->set_observations_used(data.observations_used() - unused);
  report->set_observations_rejected(data.observations_read() -
                                    report->observations_used());
  report->set_plans_read(data.plans_read());
  report->set_plans_used(data.plans_used());
  report->set_plans_rejected(data.plans_rejected());
}

namespace {

// Why no as-of period can be taken from the data: no observation at all, or
// every row unusable, with the first reasons (the problem to fix is in the
// rows, not in a missing flag).
std::string NoAsOfMessage(const SeriesStore& data) {
  if (data.observations_read() == 0) {
    return "as_of: not given, and there are no observations to take it from";
  }
  std::string text = absl::StrCat(
      "as_of: not given, and none of the ", data.observations_read(),
      " observations could be used to take it from");
  int shown = 0;
  for (const v1::Diagnostic& d : data.diagnostics()) {
    if (d.severity() != v1::DIAGNOSTIC_SEVERITY_ERROR) continue;
    if (shown == 3) {
      absl::StrAppend(&text, "; ... (", data.diagnostics().size(),
                      " diagnostics in all)");
      break;
    }
    absl::StrAppend(&text, shown == 0 ? ": " : "; ", d.message());
    ++shown;
  }
  return text;
}

}  // namespace

std::vector<Period> internal::SignalPeriods(const CompiledRuleSet& compiled,
                                            Period as_of) {
  std::vector<Period> periods;
  for (int k = compiled.signals.lookback_periods(); k >= 0; --k) {
    periods.push_back(Period{as_of.frequency, as_of.index - k});
  }
  return periods;
}

void internal::PeriodRatings::Add(const AssessmentKey& key,
                                  const v1::Assessment& a) {
  if (!a.signal().empty()) {
    phrases.emplace(std::make_tuple(key.provider, key.indicator, key.slot),
                    a.signal());
  }
  keys.push_back(key);
  ratings.push_back(a.rating());
}

internal::PeriodRatings internal::RatingsOf(
    const std::vector<AssessmentKey>& keys, const v1::Report& report) {
  PeriodRatings now;
  for (size_t k = 0; k < keys.size(); ++k) {
    now.Add(keys[k], report.assessments(static_cast<int>(k)));
  }
  return now;
}

void internal::EscalateSummariesBySignals(const CompiledRuleSet& compiled,
                                          const SeriesStore& tables,
                                          const std::vector<Period>& periods,
                                          PeriodRatings now, RatingTable* table,
                                          v1::Report* report) {
  // The summaries are by provider index.
  const size_t last = periods.size() - 1;
  table->set_period(last);
  for (size_t k = 0; k < now.keys.size(); ++k) {
    const AssessmentKey& key = now.keys[k];
    table->Rated(key.provider, key.indicator, key.slot, now.ratings[k]);
  }
  SignalScores scores(compiled, tables, *table);
  scores.SetPhrases(last, std::move(now.phrases));
  for (int p = 0; p < report->providers_size(); ++p) {
    v1::ProviderSummary& summary = *report->mutable_providers(p);
    summary.set_escalation(scores.Level(p, last));
    summary.set_escalation_reason(scores.Reason(p, last, periods));
  }
}

absl::Status internal::EvaluateLookback(const CompiledRuleSet& compiled,
                                        const SeriesStore& data,
                                        const std::vector<Period>& periods,
                                        const EvaluateOptions& options,
                                        const PartitionScope* scope,
                                        RatingTable* table) {
  const int64_t max_assessments = internal::MaxAssessments(options);
  if (absl::Status s = EvaluateLeanPeriods(
          compiled, data,
          absl::MakeConstSpan(periods).first(periods.size() - 1),
          options.threads, max_assessments, table, scope);
      !s.ok()) {
    return absl::Status(s.code(),
                        absl::StrCat("escalation.signals: ", s.message()));
  }
  return absl::OkStatus();
}

absl::Status internal::CheckEvaluateOptions(const EvaluateOptions& options) {
  if (options.chart_periods < 0 ||
      options.chart_periods > EvaluateOptions::kMaxChartPeriods) {
    return absl::InvalidArgumentError(absl::StrCat(
        "chart_periods: must be 0..", EvaluateOptions::kMaxChartPeriods,
        ", got ", options.chart_periods));
  }
  if (options.threads > EvaluateOptions::kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("threads: at most ",
                                                   EvaluateOptions::kMaxThreads,
                                                   ", got ", options.threads));
  }
  return absl::OkStatus();
}

absl::Status internal::AssessmentLimitError(int64_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "the report would hold more than max_assessments (", limit,
      ") assessments; select fewer providers or indicators, or raise "
      "max_assessments (vigil evaluate --max-assessments, "
      "vigil_engine_evaluate_limited, vigil::EvaluateOptions)"));
}

absl::Status internal::EvaluateAssessments(const CompiledRuleSet& compiled,
                                           const SeriesStore& data,
                                           const Selection& selection,
                                           const EvaluateOptions& options,
                                           v1::Report* report,
                                           std::vector<AssessmentKey>* keys) {
  google::protobuf::Arena* arena = report->GetArena();
  const int providers = static_cast<int>(data.providers().size());
  PeerResults peers(selection.any_per_indicator ? compiled.compiled.size() : 0,
                    data.indicators().size(), arena);
  if (selection.any_per_indicator) {
    RunPerIndicator(compiled, data, selection, options.threads,
                    options.chart_periods > 0, arena, &peers);
  }
  const int parts = PartsFor(providers, options.threads);
  std::vector<std::unique_ptr<ProviderRange>> ranges;
  for (int t = 0; t < parts; ++t) {
    ranges.push_back(
        std::make_unique<ProviderRange>(arena, options.chart_periods));
  }
  AssessmentBudget budget(internal::MaxAssessments(options));
  RunInParts(providers, parts, [&](int t, int begin, int end) {
    ranges[t]->Assess(compiled, begin, end, data, selection, &peers, &budget);
  });
  if (budget.exceeded()) return AssessmentLimitError(budget.limit());
  size_t total = 0;
  for (const auto& range : ranges) total += range->assessment_count();
  report->mutable_assessments()->Reserve(static_cast<int>(total));
  report->mutable_providers()->Reserve(providers);
  for (const auto& range : ranges) {
    range->MoveAssessmentsTo(report, keys);
    range->MoveSummariesTo(report);
  }
  peers.MoveChartsTo(report);
  return absl::OkStatus();
}

absl::StatusOr<Period> internal::AsOfPeriod(const SeriesStore& data,
                                            absl::string_view as_of_text) {
  if (as_of_text.empty()) {
    if (data.latest_period().frequency == Frequency::kUnspecified) {
      return absl::InvalidArgumentError(NoAsOfMessage(data));
    }
    return data.latest_period();
  }
  absl::StatusOr<Period> parsed = ParsePeriod(as_of_text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("as_of: ", parsed.status().message()));
  }
  return *parsed;
}

google::protobuf::ArenaOptions ReportArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

Engine::Engine(std::unique_ptr<internal::CompiledRuleSet> compiled)
    : compiled_(std::move(compiled)) {}

Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> internal::CreateEngine(
    const v1::RuleSet& rules, const RuleKindRegistry& kinds) {
  absl::StatusOr<std::unique_ptr<CompiledRuleSet>> compiled =
      CompileRuleSet(rules, kinds);
  if (!compiled.ok()) return compiled.status();
  return std::unique_ptr<Engine>(new Engine(*std::move(compiled)));
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(
    const v1::RuleSet& rules) {
  return internal::CreateEngine(rules, internal::RuleKindRegistry::Builtin());
}

const v1::RuleSet& Engine::rules() const { return compiled_->rules; }

absl::StatusOr<v1::Report> Engine::Evaluate(const v1::Dataset& data,
                                            absl::string_view as_of) const {
  absl::StatusOr<SeriesStore> store = IndexDataset(data, IndexLimits());
  if (!store.ok()) return store.status();
  return Evaluate(*store, as_of);
}

absl::StatusOr<v1::Report> Engine::Evaluate(const SeriesStore& data,
                                            absl::string_view as_of) const {
  return Evaluate(data, as_of, EvaluateOptions());
}

absl::StatusOr<v1::Report> Engine::Evaluate(
    const SeriesStore& data, absl::string_view as_of,
    const EvaluateOptions& options) const {
  v1::Report report;
  absl::Status status = EvaluateInto(data, as_of, options, &report);
  if (!status.ok()) return status;
  return report;
}

absl::Status Engine::EvaluateInto(const SeriesStore& data,
                                  absl::string_view as_of_text,
                                  const EvaluateOptions& options,
                                  v1::Report* report) const {
  if (report == nullptr) return absl::InvalidArgumentError("report: is null");
  const absl::StatusOr<internal::EvaluationStart> start =
      internal::StartEvaluation(*compiled_, data, as_of_text, options);
  if (!start.ok()) return start.status();
  const Selection& selection = start->selection;
  internal::StartReport(*compiled_, start->as_of, report);
  std::vector<internal::AssessmentKey> keys;  // For signal escalation.
  if (absl::Status s = internal::EvaluateAssessments(
          *compiled_, data, selection, options, report,
          compiled_->signals.enabled ? &keys : nullptr);
      !s.ok()) {
    return s;
  }
  return internal::FinishReport(*compiled_, data, selection, start->as_of,
                                options, internal::RatingsOf(keys, *report),
                                report);
}

absl::StatusOr<internal::EvaluationStart> internal::StartEvaluation(
    const CompiledRuleSet& compiled, const SeriesStore& data,
    absl::string_view as_of_text, const EvaluateOptions& options) {
  if (absl::Status s = CheckEvaluateOptions(options); !s.ok()) return s;
  const absl::StatusOr<Period> as_of = AsOfPeriod(data, as_of_text);
  if (!as_of.ok()) return as_of.status();
  return EvaluationStart{*as_of, Select(compiled.compiled, data, *as_of)};
}

void internal::StartReport(const CompiledRuleSet& compiled, Period as_of,
                           v1::Report* report) {
  report->Clear();
  report->set_as_of(FormatPeriod(as_of));
  report->set_ruleset_id(compiled.rules.id());
  report->set_ruleset_version(compiled.rules.version());
  report->set_engine_version(EngineVersion());
}

absl::Status internal::FinishReport(const CompiledRuleSet& compiled,
                                    const SeriesStore& data,
                                    const Selection& selection, Period as_of,
                                    const EvaluateOptions& options,
                                    PeriodRatings now, v1::Report* report) {
  if (compiled.signals.enabled) {
    const std::vector<Period> periods = SignalPeriods(compiled, as_of);
    RatingTable table(periods.size(), data.providers().size());
    if (absl::Status s = EvaluateLookback(compiled, data, periods, options,
                                          /*scope=*/nullptr, &table);
        !s.ok()) {
      return s;
    }
    EscalateSummariesBySignals(compiled, data, periods, std::move(now), &table,
                               report);
  }
  AddDiagnostics(data, selection, as_of, report);
  return absl::OkStatus();
}

}  // namespace vigil
