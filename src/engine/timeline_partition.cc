// Back-testing distributed by provider: each part rates its providers at
// every as-of period (lean, on statistics gathered over every part), and
// the merge writes the Timeline EvaluateTimeline gives on the whole data.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/data/diagnostics.h"
#include "src/engine/partition_steps.h"
#include "src/engine/report_steps.h"
#include "src/engine/signal_escalation.h"
#include "vigil/engine.h"

namespace vigil {
namespace {

using internal::PartitionScope;
using internal::RatingTable;

// InvalidArgument naming what of part k does not fit the tables, the pack,
// the range or its own arrays: nothing out of range is read.
absl::Status CheckPartialTimeline(const v1::PartialTimeline& p, size_t k,
                                  const v1::PartialTimeline& first,
                                  const SeriesStore& tables, size_t slots,
                                  size_t periods, size_t parts) {
  const std::string what = absl::StrCat("partial timeline ", k);
  if (absl::Status s = internal::CheckVersion(p.engine_version(), what);
      !s.ok()) {
    return s;
  }
  if (p.providers() != static_cast<int32_t>(tables.providers().size()) ||
      p.indicators() != static_cast<int32_t>(tables.indicators().size()) ||
      p.from() != first.from() || p.to() != first.to() ||
      p.ruleset_id() != first.ruleset_id() ||
      p.periods() != static_cast<int32_t>(periods)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": from '", PrintableText(p.from()), "' to '",
        PrintableText(p.to()), "' over ", p.providers(), " providers and ",
        p.indicators(),
        " indicators; every part needs part 0's range and "
        "this engine's pack over the tables given to the merge (",
        tables.providers().size(), " and ", tables.indicators().size(), ")"));
  }
  const int rows = p.row_provider_size();
  if (p.row_indicator_size() != rows || p.row_rule_size() != rows ||
      p.ratings().size() != static_cast<size_t>(rows) * periods ||
      p.escalation().size() != static_cast<size_t>(p.owned_size()) * periods) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": its ratings or levels are not a table"));
  }
  for (int r = 0; r < rows; ++r) {
    if (p.row_provider(r) < 0 || p.row_provider(r) >= p.providers() ||
        p.row_indicator(r) < 0 || p.row_indicator(r) >= p.indicators() ||
        p.row_rule(r) < 0 || static_cast<size_t>(p.row_rule(r)) >= slots) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": row ", r,
          " is of no provider, indicator and rule of the tables and pack"));
    }
  }
  std::vector<char> owns(static_cast<size_t>(p.providers()), 0);
  for (const int32_t owned : p.owned()) {
    if (owned < 0 || owned >= p.providers()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": owns provider index ", owned,
                       ", not in the providers table"));
    }
    owns[owned] = 1;
  }
  for (int r = 0; r < rows; ++r) {
    if (!owns[p.row_provider(r)]) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": row ", r, " is of a provider the part does not own"));
    }
  }
  for (const char level : p.escalation()) {
    if (!v1::EscalationLevel_IsValid(static_cast<unsigned char>(level))) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": an escalation level out of range"));
    }
  }
  if (p.tables() != internal::TablesFingerprint(tables)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what,
        ": made over other providers or indicators tables than those "
        "given to the merge"));
  }
  return internal::CheckStatisticsParts(p.statistics_parts(), parts, what);
}

}  // namespace

absl::Status Engine::GatherTimelinePartition(
    const SeriesStore& data, absl::string_view from, absl::string_view to,
    const PartitionSpec& part, v1::PartitionStatistics* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("out: is null");
  if (absl::Status s = internal::CheckPartition(data, part); !s.ok()) return s;
  const absl::StatusOr<std::vector<Period>> range = internal::RangeOf(from, to);
  if (!range.ok()) return range.status();
  absl::StatusOr<std::unique_ptr<PartitionScope>> scope =
      internal::OwnedScope(data, part);
  if (!scope.ok()) return scope.status();
  out->Clear();
  out->set_engine_version(EngineVersion());
  out->set_ruleset_id(compiled_->rules.id());
  out->set_as_of(FormatPeriod(range->back()));
  out->set_from(FormatPeriod(range->front()));
  out->set_providers(static_cast<int32_t>(data.providers().size()));
  out->set_indicators(static_cast<int32_t>(data.indicators().size()));
  out->add_parts(part.index);
  out->set_tables(internal::TablesFingerprint(data));
  return internal::GatherPeriods(*compiled_, data,
                                 internal::TimelinePeriods(*compiled_, *range),
                                 **scope, out);
}

absl::Status Engine::EvaluateTimelinePartition(
    const SeriesStore& data, absl::string_view from, absl::string_view to,
    const PartitionSpec& part, const v1::PartitionStatistics& statistics,
    const EvaluateOptions& options, v1::PartialTimeline* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("out: is null");
  if (options.threads > EvaluateOptions::kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("threads: at most ",
                                                   EvaluateOptions::kMaxThreads,
                                                   ", got ", options.threads));
  }
  if (absl::Status s = internal::CheckPartition(data, part); !s.ok()) return s;
  const absl::StatusOr<std::vector<Period>> range = internal::RangeOf(from, to);
  if (!range.ok()) return range.status();
  absl::StatusOr<std::unique_ptr<PartitionScope>> owned =
      internal::OwnedScope(data, part);
  if (!owned.ok()) return owned.status();
  std::unique_ptr<PartitionScope> scope = *std::move(owned);
  if (absl::Status s = internal::AddStatistics(
          *compiled_, data, statistics, FormatPeriod(range->back()),
          FormatPeriod(range->front()), part.index, scope.get());
      !s.ok()) {
    return s;
  }
  const std::vector<Period> evaluated =
      internal::TimelinePeriods(*compiled_, *range);
  const size_t periods = evaluated.size();
  RatingTable table(periods, data.providers().size());
  if (absl::Status s = internal::EvaluateLeanPeriods(
          *compiled_, data, evaluated, options.threads,
          internal::MaxAssessments(options), &table, scope.get());
      !s.ok()) {
    return s;
  }
  if (!scope->problem.empty()) {
    return absl::InvalidArgumentError(scope->problem);
  }
  out->Clear();
  out->set_engine_version(EngineVersion());
  out->set_partition(part.index);
  out->set_providers(static_cast<int32_t>(data.providers().size()));
  out->set_indicators(static_cast<int32_t>(data.indicators().size()));
  out->set_ruleset_id(compiled_->rules.id());
  out->set_from(FormatPeriod(range->front()));
  out->set_to(FormatPeriod(range->back()));
  out->set_periods(static_cast<int32_t>(periods));
  *out->mutable_statistics_parts() = statistics.parts();
  out->set_tables(statistics.tables());
  std::string* ratings = out->mutable_ratings();
  for (size_t row = 0; row < table.rows(); ++row) {
    const RatingTable::Key& key = table.key(row);
    out->add_row_provider(key.provider);
    out->add_row_indicator(key.indicator);
    out->add_row_rule(key.slot);
    const absl::Span<const uint8_t> r = table.ratings(row);
    ratings->append(reinterpret_cast<const char*>(r.data()), r.size());
  }
  std::string* levels = out->mutable_escalation();
  for (size_t p = 0; p < data.providers().size(); ++p) {
    if (!scope->owned[p]) continue;
    out->add_owned(static_cast<int32_t>(p));
    for (size_t t = 0; t < periods; ++t) {
      levels->push_back(
          static_cast<char>(table.escalation(static_cast<int>(p), t)));
    }
  }
  return absl::OkStatus();
}

absl::Status Engine::MergeTimelinePartitions(
    const SeriesStore& tables, absl::Span<const v1::PartialTimeline> parts,
    const EvaluateOptions& options, v1::Timeline* timeline) const {
  if (timeline == nullptr) {
    return absl::InvalidArgumentError("timeline: is null");
  }
  if (parts.empty()) return absl::InvalidArgumentError("parts: none to merge");
  const v1::PartialTimeline& first = parts[0];
  const absl::StatusOr<std::vector<Period>> range =
      internal::RangeOf(first.from(), first.to());
  if (!range.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("partial timeline 0: ", range.status().message()));
  }
  if (first.ruleset_id() != compiled_->rules.id()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "partial timeline 0: of pack '", PrintableText(first.ruleset_id()),
        "', this engine's is '", compiled_->rules.id(), "'"));
  }
  const std::vector<Period> evaluated =
      internal::TimelinePeriods(*compiled_, *range);
  const size_t periods = evaluated.size();
  const size_t providers = tables.providers().size();
  std::vector<int> owner(providers, -1);
  std::vector<char> seen_partition(parts.size(), 0);
  for (size_t k = 0; k < parts.size(); ++k) {
    const v1::PartialTimeline& p = parts[k];
    if (absl::Status s = CheckPartialTimeline(p, k, first, tables,
                                              compiled_->compiled.size(),
                                              periods, parts.size());
        !s.ok()) {
      return s;
    }
    if (p.partition() < 0 ||
        static_cast<size_t>(p.partition()) >= parts.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial timeline ", k, ": partition ", p.partition(), " of ",
          parts.size(), " parts (partitions are numbered 0 to parts - 1)"));
    }
    if (seen_partition[p.partition()]) {
      return absl::InvalidArgumentError(
          absl::StrCat("partition ", p.partition(), ": given twice"));
    }
    seen_partition[p.partition()] = 1;
    for (const int32_t q : p.owned()) {
      if (owner[q] >= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "provider '", tables.providers()[q].id(),
            "' is owned by partitions ", parts[owner[q]].partition(), " and ",
            p.partition(), ": each provider by exactly one"));
      }
      owner[q] = static_cast<int>(k);
    }
  }
  for (size_t q = 0; q < providers; ++q) {
    if (owner[q] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "provider '", tables.providers()[q].id(),
          "' is owned by no partition: each provider by exactly one"));
    }
  }
  const int64_t limit = internal::MaxAssessments(options);
  RatingTable table(periods, providers);
  for (size_t t = 0; t < periods; ++t) {
    table.set_period(t);
    int64_t rated = 0;  // This period's assessments, as one evaluation's.
    for (const v1::PartialTimeline& p : parts) {
      for (int row = 0; row < p.row_provider_size(); ++row) {
        const auto rating =
            static_cast<uint8_t>(p.ratings()[row * periods + t]);
        if (rating == 0) continue;
        ++rated;
        table.Rated(p.row_provider(row), p.row_indicator(row), p.row_rule(row),
                    static_cast<v1::Rating>(rating));
      }
    }
    if (rated > limit) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "as of ", FormatPeriod(evaluated[t]),
          ": the report would hold more than max_assessments (", limit,
          ") assessments; select fewer providers or indicators, or raise "
          "max_assessments"));
    }
  }
  for (const v1::PartialTimeline& p : parts) {
    for (int j = 0; j < p.owned_size(); ++j) {
      for (size_t t = 0; t < periods; ++t) {
        table.set_escalation(
            p.owned(j), t,
            static_cast<v1::EscalationLevel>(
                static_cast<uint8_t>(p.escalation()[j * periods + t])));
      }
    }
  }
  if (compiled_->signals.enabled) {
    internal::EscalateBySignals(*compiled_, tables, &table);
  }
  timeline->Clear();
  timeline->set_ruleset_id(compiled_->rules.id());
  timeline->set_ruleset_version(compiled_->rules.version());
  timeline->set_engine_version(EngineVersion());
  for (const Period p : *range) timeline->add_as_of(FormatPeriod(p));
  internal::WriteTimeline(
      table, static_cast<size_t>(compiled_->signals.lookback_periods()),
      *compiled_, tables, timeline);
  return absl::OkStatus();
}

}  // namespace vigil
