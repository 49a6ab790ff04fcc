// Distributed evaluation, partitioned by provider: gather, merge the
// statistics, evaluate each part, merge the partial reports. The merge
// rebuilds what EvaluateInto makes from the whole data: assessments and
// summaries in provider order, the unused-observation diagnostics from
// summed counts, escalation by signals from every part's ratings.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/data/diagnostics.h"
#include "src/engine/partition_steps.h"
#include "src/engine/report_steps.h"
#include "vigil/engine.h"

namespace vigil {
namespace {

using internal::AssessmentKey;
using internal::CompiledRuleSet;
using internal::PartitionScope;
using internal::Selection;

absl::StatusOr<Period> RequiredAsOf(absl::string_view as_of) {
  if (as_of.empty()) {
    return absl::InvalidArgumentError(
        "as_of: required in a distributed evaluation (the latest period is "
        "the whole data's, which no part sees)");
  }
  absl::StatusOr<Period> parsed = ParsePeriod(as_of);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("as_of: ", parsed.status().message()));
  }
  return *parsed;
}

// Inference reads every provider's rows: a part would infer from its own.
absl::Status CheckDeclaredFrequencies(const SeriesStore& data) {
  for (const v1::Indicator& indicator : data.indicators()) {
    if (indicator.frequency() == v1::FREQUENCY_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "indicators: '", PrintableText(indicator.id()),
          "' has no frequency; a distributed evaluation needs every "
          "indicator's frequency declared (inferring it reads every "
          "provider's rows)"));
    }
  }
  return absl::OkStatus();
}

// The part checked (internal::CheckPartition) and its as-of period.
absl::StatusOr<Period> CheckPart(const SeriesStore& data,
                                 absl::string_view as_of,
                                 const PartitionSpec& part) {
  if (absl::Status s = internal::CheckPartition(data, part); !s.ok()) return s;
  return RequiredAsOf(as_of);
}

}  // namespace

namespace internal {

absl::flat_hash_map<std::string, int> SlotsById(
    const CompiledRuleSet& compiled) {
  absl::flat_hash_map<std::string, int> slots;
  for (size_t r = 0; r < compiled.compiled.size(); ++r) {
    slots.emplace(compiled.compiled[r].id, static_cast<int>(r));
  }
  return slots;
}

// InvalidArgument unless `version` is this engine's.
absl::Status CheckVersion(const std::string& version, absl::string_view what) {
  if (version == EngineVersion()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": made by engine version '", PrintableText(version),
                   "', this is ", EngineVersion()));
}

uint64_t TablesFingerprint(const SeriesStore& data) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits.
  const auto add = [&hash](const std::string& bytes) {
    for (const char c : bytes) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
    hash ^= 0xff;  // Ends each definition.
    hash *= 1099511628211ull;
  };
  for (const v1::Provider& p : data.providers()) add(p.SerializeAsString());
  for (const v1::Indicator& i : data.indicators()) add(i.SerializeAsString());
  return hash;
}

absl::Status CheckStatisticsParts(
    const google::protobuf::RepeatedField<int32_t>& parts, size_t count,
    absl::string_view what) {
  std::vector<char> seen(count, 0);
  bool complete = static_cast<size_t>(parts.size()) == count;
  for (const int32_t k : parts) {
    if (k < 0 || static_cast<size_t>(k) >= count || seen[k]) {
      complete = false;
      break;
    }
    seen[k] = 1;
  }
  if (complete) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": judged on the statistics of ", parts.size(),
                   " part(s), not of "
                   "all ",
                   count,
                   " being merged: merge the statistics every part gathered "
                   "and give them to every part"));
}

absl::StatusOr<std::unique_ptr<PartitionScope>> OwnedScope(
    const SeriesStore& data, const PartitionSpec& part) {
  auto scope = std::make_unique<PartitionScope>();
  scope->owned.assign(data.providers().size(), 0);
  for (const std::string& id : part.owned_provider_ids) {
    const int p = data.FindProvider(id);
    if (p >= 0) scope->owned[p] = 1;
  }
  // Rows of a provider another part owns would be silently unused here.
  for (int s = 0; s < data.num_series(); ++s) {
    const int p = data.series(s).provider;
    if (!scope->owned[p]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partition ", part.index, ": holds observations of provider '",
          PrintableText(data.providers()[p].id()),
          "', which it does not own: route each row to its provider's part"));
    }
  }
  for (int k = 0; k < data.num_plans(); ++k) {
    const int p = data.plan(k).provider;
    if (!scope->owned[p]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partition ", part.index, ": holds plans of provider '",
          PrintableText(data.providers()[p].id()),
          "', which it does not own: route each row to its provider's part"));
    }
  }
  return scope;
}

absl::Status GatherPeriods(const CompiledRuleSet& compiled,
                           const SeriesStore& data,
                           const std::vector<Period>& periods,
                           const PartitionScope& scope,
                           v1::PartitionStatistics* out) {
  if (compiled.per_indicator.empty()) return absl::OkStatus();
  for (const Period period : periods) {
    const Selection selection = Select(compiled.compiled, data, period, &scope);
    std::vector<EncodedStatistics> encoded;
    if (absl::Status s =
            GatherPerIndicatorPhase(compiled, data, selection, &encoded);
        !s.ok()) {
      return s;
    }
    const std::string period_text = FormatPeriod(period);
    for (EncodedStatistics& e : encoded) {
      v1::GatheredStatistics* g = out->add_statistics();
      g->set_as_of(period_text);
      g->set_rule_id(compiled.compiled[e.slot].id);
      g->set_indicator_id(data.indicators()[e.indicator].id());
      g->set_data(std::move(e.bytes));
    }
  }
  return absl::OkStatus();
}

absl::Status AddStatistics(const CompiledRuleSet& compiled,
                           const SeriesStore& data,
                           const v1::PartitionStatistics& statistics,
                           const std::string& as_of, const std::string& from,
                           int part, PartitionScope* scope) {
  if (absl::Status s = CheckVersion(statistics.engine_version(), "statistics");
      !s.ok()) {
    return s;
  }
  if (statistics.ruleset_id() != compiled.rules.id() ||
      statistics.as_of() != as_of || statistics.from() != from ||
      statistics.providers() != static_cast<int32_t>(data.providers().size()) ||
      statistics.indicators() !=
          static_cast<int32_t>(data.indicators().size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statistics: gathered with pack '",
        PrintableText(statistics.ruleset_id()), "' as of '",
        PrintableText(statistics.from()),
        statistics.from().empty() ? "" : "' to '",
        PrintableText(statistics.as_of()), "' over ", statistics.providers(),
        " providers and ", statistics.indicators(),
        " indicators; this part has pack '", compiled.rules.id(), "' as of ",
        from, from.empty() ? "" : " to ", as_of, ", ", data.providers().size(),
        " and ", data.indicators().size()));
  }
  if (statistics.tables() != TablesFingerprint(data)) {
    return absl::InvalidArgumentError(
        "statistics: gathered over other providers or indicators tables than "
        "this part's: every part needs the same tables");
  }
  if (std::find(statistics.parts().begin(), statistics.parts().end(), part) ==
      statistics.parts().end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("statistics: not merged with partition ", part,
                     "'s own: merge the statistics every part gathered"));
  }
  const absl::flat_hash_map<std::string, int> slots = SlotsById(compiled);
  for (const v1::GatheredStatistics& g : statistics.statistics()) {
    const auto slot = slots.find(g.rule_id());
    const absl::StatusOr<Period> period = ParsePeriod(g.as_of());
    const int indicator = data.FindIndicator(g.indicator_id());
    if (slot == slots.end() || !period.ok() || indicator < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "statistics: rule '", PrintableText(g.rule_id()), "', indicator '",
          PrintableText(g.indicator_id()), "' as of '",
          PrintableText(g.as_of()), "' are not of this pack and tables"));
    }
    scope->statistics[{period->index, slot->second, indicator}] = g.data();
  }
  return absl::OkStatus();
}

absl::Status CheckPartition(const SeriesStore& data,
                            const PartitionSpec& part) {
  if (part.index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("partition: must be 0 or more, got ", part.index));
  }
  for (const v1::Diagnostic& d : data.diagnostics()) {
    if (d.code() == v1::DIAGNOSTIC_CODE_IMPLICIT_PROVIDERS) {
      return absl::InvalidArgumentError(
          "providers: a distributed evaluation needs the providers table "
          "(without one, each part would take its providers from its own "
          "rows)");
    }
  }
  return CheckDeclaredFrequencies(data);
}

}  // namespace internal

absl::Status Engine::GatherPartition(const SeriesStore& data,
                                     absl::string_view as_of_text,
                                     const PartitionSpec& part,
                                     v1::PartitionStatistics* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("out: is null");
  const absl::StatusOr<Period> checked = CheckPart(data, as_of_text, part);
  if (!checked.ok()) return checked.status();
  const Period as_of = *checked;
  absl::StatusOr<std::unique_ptr<PartitionScope>> scope =
      internal::OwnedScope(data, part);
  if (!scope.ok()) return scope.status();
  out->Clear();
  out->set_engine_version(EngineVersion());
  out->set_ruleset_id(compiled_->rules.id());
  out->set_as_of(FormatPeriod(as_of));
  out->set_providers(static_cast<int32_t>(data.providers().size()));
  out->set_indicators(static_cast<int32_t>(data.indicators().size()));
  out->add_parts(part.index);
  out->set_tables(internal::TablesFingerprint(data));
  return internal::GatherPeriods(*compiled_, data,
                                 internal::SignalPeriods(*compiled_, as_of),
                                 **scope, out);
}

absl::Status Engine::MergeStatistics(
    absl::Span<const v1::PartitionStatistics> parts,
    v1::PartitionStatistics* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("out: is null");
  if (parts.empty()) {
    return absl::InvalidArgumentError("parts: none to merge");
  }
  const v1::PartitionStatistics& first = parts[0];
  for (size_t k = 0; k < parts.size(); ++k) {
    const v1::PartitionStatistics& p = parts[k];
    const std::string what = absl::StrCat("statistics of part ", k);
    if (absl::Status s = internal::CheckVersion(p.engine_version(), what);
        !s.ok()) {
      return s;
    }
    if (p.ruleset_id() != compiled_->rules.id()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": gathered with rule pack '", PrintableText(p.ruleset_id()),
          "', this engine's is '", compiled_->rules.id(), "'"));
    }
    if (p.as_of() != first.as_of() || p.from() != first.from() ||
        p.providers() != first.providers() ||
        p.indicators() != first.indicators() || p.tables() != first.tables()) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": as of '", PrintableText(p.as_of()), "' with ", p.providers(),
          " providers and ", p.indicators(), " indicators, but part 0's are '",
          PrintableText(first.as_of()), "', ", first.providers(), " and ",
          first.indicators(), ": every part needs the same as_of and tables"));
    }
  }
  std::vector<int32_t> merged_parts;
  for (const v1::PartitionStatistics& p : parts) {
    merged_parts.insert(merged_parts.end(), p.parts().begin(), p.parts().end());
  }
  std::sort(merged_parts.begin(), merged_parts.end());
  if (std::adjacent_find(merged_parts.begin(), merged_parts.end()) !=
      merged_parts.end()) {
    return absl::InvalidArgumentError(
        "parts: the statistics of one part are given twice");
  }
  const absl::flat_hash_map<std::string, int> slots =
      internal::SlotsById(*compiled_);
  const size_t providers = static_cast<size_t>(std::max(first.providers(), 0));
  // By (as_of index, slot, indicator id): the merged statistics.
  std::map<std::tuple<int32_t, int, std::string>,
           std::unique_ptr<internal::GatheredStatistics>>
      merged;
  for (size_t k = 0; k < parts.size(); ++k) {
    for (const v1::GatheredStatistics& g : parts[k].statistics()) {
      const auto slot = slots.find(g.rule_id());
      absl::StatusOr<Period> period = ParsePeriod(g.as_of());
      if (slot == slots.end() || !period.ok() ||
          compiled_->compiled[slot->second].phase !=
              internal::Phase::kPerIndicator) {
        return absl::InvalidArgumentError(absl::StrCat(
            "statistics of part ", k, ": rule '", PrintableText(g.rule_id()),
            "' as of '", PrintableText(g.as_of()),
            "' is not a per-indicator rule of this pack at a period"));
      }
      const auto& evaluator =
          static_cast<const internal::IndicatorRuleEvaluator&>(
              *compiled_->compiled[slot->second].evaluator);
      absl::StatusOr<std::unique_ptr<internal::GatheredStatistics>> decoded =
          evaluator.Decode(providers, g.data());
      if (!decoded.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("statistics of part ", k, ", rule '", g.rule_id(),
                         "', indicator '", PrintableText(g.indicator_id()),
                         "': ", decoded.status().message()));
      }
      auto [it, added] = merged.try_emplace(
          std::make_tuple(period->index, slot->second, g.indicator_id()));
      if (added) {
        it->second = *std::move(decoded);
      } else {
        evaluator.Merge(**decoded, it->second.get());
      }
    }
  }
  out->Clear();
  out->set_engine_version(EngineVersion());
  out->set_ruleset_id(compiled_->rules.id());
  out->set_as_of(first.as_of());
  out->set_from(first.from());
  out->set_providers(first.providers());
  out->set_indicators(first.indicators());
  out->set_tables(first.tables());
  for (const int32_t k : merged_parts) out->add_parts(k);
  for (const auto& [key, stats] : merged) {
    const auto& [period_index, slot, indicator_id] = key;
    const auto& evaluator =
        static_cast<const internal::IndicatorRuleEvaluator&>(
            *compiled_->compiled[slot].evaluator);
    absl::StatusOr<std::string> bytes = evaluator.Encode(*stats);
    if (!bytes.ok()) return bytes.status();
    // Re-check the merged statistics (a provider in two parts).
    if (absl::Status s = evaluator.Decode(providers, *bytes).status();
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("statistics of rule '", compiled_->compiled[slot].id,
                       "', indicator '", PrintableText(indicator_id),
                       "', merged: ", s.message()));
    }
    v1::GatheredStatistics* g = out->add_statistics();
    const absl::StatusOr<Period> as_of = ParsePeriod(first.as_of());
    g->set_as_of(FormatPeriod(
        Period{as_of.ok() ? as_of->frequency : Frequency::kUnspecified,
               period_index}));
    g->set_rule_id(compiled_->compiled[slot].id);
    g->set_indicator_id(indicator_id);
    g->set_data(*std::move(bytes));
  }
  return absl::OkStatus();
}

absl::Status Engine::EvaluatePartition(
    const SeriesStore& data, absl::string_view as_of_text,
    const PartitionSpec& part, const v1::PartitionStatistics& statistics,
    const EvaluateOptions& options, v1::PartialReport* out) const {
  if (out == nullptr) return absl::InvalidArgumentError("out: is null");
  if (absl::Status s = internal::CheckEvaluateOptions(options); !s.ok()) {
    return s;
  }
  const absl::StatusOr<Period> checked = CheckPart(data, as_of_text, part);
  if (!checked.ok()) return checked.status();
  const Period as_of = *checked;
  absl::StatusOr<std::unique_ptr<PartitionScope>> owned =
      internal::OwnedScope(data, part);
  if (!owned.ok()) return owned.status();
  std::unique_ptr<PartitionScope> scope = *std::move(owned);
  if (absl::Status s = internal::AddStatistics(*compiled_, data, statistics,
                                               FormatPeriod(as_of), "",
                                               part.index, scope.get());
      !s.ok()) {
    return s;
  }

  out->Clear();
  out->set_engine_version(EngineVersion());
  out->set_partition(part.index);
  out->set_providers(static_cast<int32_t>(data.providers().size()));
  out->set_indicators(static_cast<int32_t>(data.indicators().size()));
  *out->mutable_statistics_parts() = statistics.parts();
  out->set_tables(statistics.tables());
  v1::Report* report = out->mutable_report();
  report->set_as_of(FormatPeriod(as_of));
  report->set_ruleset_id(compiled_->rules.id());
  report->set_ruleset_version(compiled_->rules.version());
  report->set_engine_version(EngineVersion());
  const Selection selection =
      internal::Select(compiled_->compiled, data, as_of, scope.get());
  std::vector<AssessmentKey> keys;
  if (absl::Status s = internal::EvaluateAssessments(
          *compiled_, data, selection, options, report, &keys);
      !s.ok()) {
    return s;
  }
  for (const AssessmentKey& key : keys) {
    out->add_assessment_provider(key.provider);
    out->add_assessment_indicator(key.indicator);
    out->add_assessment_rule(key.slot);
  }
  if (compiled_->signals.enabled) {
    const std::vector<Period> periods =
        internal::SignalPeriods(*compiled_, as_of);
    const size_t lookback = periods.size() - 1;
    internal::RatingTable table(periods.size(), data.providers().size());
    if (absl::Status s = internal::EvaluateLookback(
            *compiled_, data, periods, options, scope.get(), &table);
        !s.ok()) {
      return s;
    }
    out->set_lookback_periods(static_cast<int32_t>(lookback));
    std::string* ratings = out->mutable_lookback_ratings();
    for (size_t row = 0; row < table.rows(); ++row) {
      const internal::RatingTable::Key& key = table.key(row);
      out->add_lookback_provider(key.provider);
      out->add_lookback_indicator(key.indicator);
      out->add_lookback_rule(key.slot);
      const absl::Span<const uint8_t> r = table.ratings(row);
      ratings->append(reinterpret_cast<const char*>(r.data()), lookback);
    }
  }
  if (!scope->problem.empty()) {
    return absl::InvalidArgumentError(scope->problem);
  }

  // Diagnostics: this part's rows (the shared tables' in part 0 only), and
  // the unused observations as counts for the merge.
  const absl::flat_hash_set<std::string> shared(part.shared_sources.begin(),
                                                part.shared_sources.end());
  for (const v1::Diagnostic& d : data.diagnostics()) {
    if (part.index != 0 && shared.contains(d.source())) continue;
    *report->add_diagnostics() = d;
  }
  const internal::UnusedCounts unused =
      internal::CountUnusedObservations(data, selection);
  for (size_t i = 0; i < data.indicators().size(); ++i) {
    if (unused.not_selected[i] == 0 && unused.after_as_of[i] == 0) continue;
    v1::UnusedObservations* u = out->add_unused();
    u->set_indicator(static_cast<int32_t>(i));
    u->set_not_selected(unused.not_selected[i]);
    u->set_after_as_of(unused.after_as_of[i]);
  }
  report->set_observations_read(data.observations_read());
  report->set_observations_used(data.observations_used() - unused.total());
  report->set_observations_rejected(data.observations_read() -
                                    report->observations_used());
  report->set_plans_read(data.plans_read());
  report->set_plans_used(data.plans_used());
  report->set_plans_rejected(data.plans_rejected());
  return absl::OkStatus();
}

}  // namespace vigil
