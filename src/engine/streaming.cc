// Engine::EvaluateStreaming: EvaluateInto's report handed on a batch of
// providers at a time, so that a large report is never held whole.
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "google/protobuf/arena.h"
#include "src/data/huge_pages.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "src/engine/parts.h"
#include "src/engine/report_steps.h"
#include "vigil/engine.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

using internal::AssessmentBudget;
using internal::AssessmentKey;
using internal::CompiledRuleSet;
using internal::PeerResults;
using internal::PeriodRatings;
using internal::ProviderRange;
using internal::Selection;

// The peer assessments' arena: blocks up to 2 MiB, those of 2 MiB in
// mappings of their own advised for huge pages, as the store's columns
// (England's peer assessments take 12 MB: 3,000 page faults in 4 KiB
// pages).
google::protobuf::ArenaOptions PeerArenaOptions() {
  google::protobuf::ArenaOptions options = ReportArenaOptions();
  options.max_block_size = internal::kHugePageBytes;
  options.block_alloc = internal::AllocateColumn;
  options.block_dealloc = internal::FreeColumn;
  return options;
}

// The end of the batch of providers that starts at `begin`: those of about
// `batch_series` series, at least one provider.
int BatchEnd(const SeriesStore& data, int begin, int batch_series) {
  const int providers = static_cast<int>(data.providers().size());
  int series = 0;
  int end = begin;
  while (end < providers && series < batch_series) {
    // A provider without series may still be assessed (plans, rules on
    // absent pairs): it counts as one.
    series += std::max(1, data.series_end(end) - data.series_begin(end));
    ++end;
  }
  return end;
}

// The per-indicator phase, then every batch of providers assessed (threads
// splitting each batch) and its assessments handed to `stream`; summaries
// and funnels go to `rest`, the ratings to `now` when not null.
absl::Status StreamAssessments(const CompiledRuleSet& compiled,
                               const SeriesStore& data,
                               const Selection& selection,
                               const EvaluateOptions& options,
                               ReportStream* stream, v1::Report* rest,
                               PeriodRatings* now) {
  // The peer rules' assessments (one per provider, peer rule and indicator)
  // are made first, on an arena of their own freed at the end: a batch
  // takes its providers' ones and hands them on with its own.
  google::protobuf::Arena peer_arena(PeerArenaOptions());
  PeerResults peers(selection.any_per_indicator ? compiled.compiled.size() : 0,
                    data.indicators().size(), &peer_arena);
  if (selection.any_per_indicator) {
    internal::RunPerIndicator(compiled, data, selection, options.threads,
                              options.chart_periods > 0, &peer_arena, &peers);
  }
  AssessmentBudget budget(internal::MaxAssessments(options));
  const int providers = static_cast<int>(data.providers().size());
  rest->mutable_providers()->Reserve(providers);
  google::protobuf::Arena batch_arena(ReportArenaOptions());
  std::vector<const v1::Assessment*> batch;
  std::vector<AssessmentKey> keys;
  for (int begin = 0; begin < providers;) {
    const int end =
        BatchEnd(data, begin, std::max(1, options.stream_batch_series));
    {
      const int parts = internal::PartsFor(end - begin, options.threads);
      std::vector<std::unique_ptr<ProviderRange>> ranges;
      for (int t = 0; t < parts; ++t) {
        ranges.push_back(std::make_unique<ProviderRange>(
            &batch_arena, rest->GetArena(), options.chart_periods));
      }
      internal::RunInParts(end - begin, parts, [&](int t, int b, int e) {
        ranges[t]->Assess(compiled, begin + b, begin + e, data, selection,
                          &peers, &budget);
      });
      if (budget.exceeded()) {
        return internal::AssessmentLimitError(budget.limit());
      }
      for (const auto& range : ranges) {
        range->TakeAssessments(&batch, &keys);
        range->MoveSummariesTo(rest);
      }
    }
    if (!batch.empty()) {
      if (absl::Status s = stream->Assessments(batch); !s.ok()) return s;
    }
    if (now != nullptr) {
      for (size_t k = 0; k < batch.size(); ++k) now->Add(keys[k], *batch[k]);
    }
    batch.clear();
    keys.clear();
    batch_arena.Reset();
    begin = end;
  }
  peers.MoveChartsTo(rest);
  return absl::OkStatus();
}

}  // namespace

absl::Status Engine::EvaluateStreaming(const SeriesStore& data,
                                       absl::string_view as_of_text,
                                       const EvaluateOptions& options,
                                       ReportStream* stream,
                                       v1::Report* rest) const {
  if (stream == nullptr) return absl::InvalidArgumentError("stream: is null");
  if (rest == nullptr) return absl::InvalidArgumentError("rest: is null");
  const absl::StatusOr<internal::EvaluationStart> start =
      internal::StartEvaluation(*compiled_, data, as_of_text, options);
  if (!start.ok()) return start.status();
  const Selection& selection = start->selection;
  internal::StartReport(*compiled_, start->as_of, rest);
  if (absl::Status s = stream->Begin(*rest); !s.ok()) return s;
  PeriodRatings now;  // For escalation by signals.
  if (absl::Status s =
          StreamAssessments(*compiled_, data, selection, options, stream, rest,
                            compiled_->signals.enabled ? &now : nullptr);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          internal::FinishReport(*compiled_, data, selection, start->as_of,
                                 options, std::move(now), rest);
      !s.ok()) {
    return s;
  }
  return stream->Finish(*rest);
}

}  // namespace vigil
