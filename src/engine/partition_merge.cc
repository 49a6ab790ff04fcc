// Engine::MergePartialReports: the whole report from every part's.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "src/data/diagnostics.h"
#include "src/engine/partition_steps.h"
#include "src/engine/report_steps.h"
#include "vigil/engine.h"

namespace vigil {
namespace {

using internal::AssessmentKey;

// Where one provider's assessments and summary are: part, summary index,
// and its run of assessments [begin, end).
struct ProviderBlock {
  int part = -1;
  int summary = 0;
  int begin = 0, end = 0;
};

// Checks the shape of part k against the tables: sizes, array lengths and
// every index in range (a corrupt part must not index out of bounds).
absl::Status CheckShape(const v1::PartialReport& p, size_t k,
                        const SeriesStore& tables, size_t slots, size_t parts) {
  const std::string what = absl::StrCat("partial report ", k);
  if (p.tables() != internal::TablesFingerprint(tables)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what,
        ": made over other providers or indicators tables than those "
        "given to the merge"));
  }
  if (absl::Status s =
          internal::CheckStatisticsParts(p.statistics_parts(), parts, what);
      !s.ok()) {
    return s;
  }
  const v1::Report& partial = p.report();
  for (const int64_t count :
       {partial.observations_read(), partial.observations_used(),
        partial.plans_read(), partial.plans_used(), partial.plans_rejected()}) {
    // Sums of parts' counts must not overflow: no count near 2^62.
    if (count < 0 || count > (int64_t{1} << 50)) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": a row count out of range"));
    }
  }
  if (p.engine_version() != EngineVersion()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": made by engine version '", PrintableText(p.engine_version()),
        "', this is ", EngineVersion()));
  }
  if (p.providers() != static_cast<int32_t>(tables.providers().size()) ||
      p.indicators() != static_cast<int32_t>(tables.indicators().size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": made with ", p.providers(), " providers and ", p.indicators(),
        " indicators, the tables given to the merge hold ",
        tables.providers().size(), " and ", tables.indicators().size()));
  }
  const int n = p.report().assessments_size();
  if (p.assessment_provider_size() != n || p.assessment_indicator_size() != n ||
      p.assessment_rule_size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": says what ", p.assessment_provider_size(),
                     " assessments are of, but holds ", n));
  }
  const auto in_range = [&](int32_t provider, int32_t indicator, int32_t rule) {
    return provider >= 0 && provider < p.providers() && indicator >= 0 &&
           indicator < p.indicators() && rule >= 0 &&
           static_cast<size_t>(rule) < slots;
  };
  for (int a = 0; a < n; ++a) {
    if (!in_range(p.assessment_provider(a), p.assessment_indicator(a),
                  p.assessment_rule(a))) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": assessment ", a,
                       " is of no provider, "
                       "indicator and rule of the tables and pack"));
    }
  }
  const int rows = p.lookback_provider_size();
  if (p.lookback_indicator_size() != rows || p.lookback_rule_size() != rows ||
      p.lookback_periods() < 0 ||
      p.lookback_ratings().size() !=
          static_cast<size_t>(rows) *
              static_cast<size_t>(p.lookback_periods())) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": its look-back ratings are not a table"));
  }
  for (int r = 0; r < rows; ++r) {
    if (!in_range(p.lookback_provider(r), p.lookback_indicator(r),
                  p.lookback_rule(r))) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": look-back row ", r,
                       " is of no provider, indicator and "
                       "rule of the tables and pack"));
    }
  }
  for (const v1::UnusedObservations& u : p.unused()) {
    if (u.indicator() < 0 || u.indicator() >= p.indicators() ||
        u.not_selected() < 0 || u.after_as_of() < 0 ||
        u.not_selected() > (int64_t{1} << 50) ||
        u.after_as_of() > (int64_t{1} << 50)) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": an unused-observation count is out of range"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Engine::MergePartialReports(
    const SeriesStore& tables, absl::Span<v1::PartialReport* const> parts,
    const EvaluateOptions& options, v1::Report* report) const {
  if (report == nullptr) return absl::InvalidArgumentError("report: is null");
  if (parts.empty()) return absl::InvalidArgumentError("parts: none to merge");
  const size_t slots = compiled_->compiled.size();
  const v1::Report& first = (*parts[0]).report();
  std::vector<char> seen_partition;
  for (size_t k = 0; k < parts.size(); ++k) {
    const v1::PartialReport& p = (*parts[k]);
    if (absl::Status s = CheckShape(p, k, tables, slots, parts.size());
        !s.ok()) {
      return s;
    }
    if (p.report().as_of() != first.as_of() ||
        p.report().ruleset_id() != compiled_->rules.id() ||
        p.lookback_periods() != (*parts[0]).lookback_periods()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial report ", k, ": as of '", PrintableText(p.report().as_of()),
          "' with pack '", PrintableText(p.report().ruleset_id()),
          "'; part 0 is as of '", PrintableText(first.as_of()),
          "' and this engine's pack is '", compiled_->rules.id(), "'"));
    }
    const int index = p.partition();
    if (index < 0 || static_cast<size_t>(index) >= parts.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial report ", k, ": partition ", index, " of ", parts.size(),
          " parts (partitions are numbered 0 to parts - 1)"));
    }
    seen_partition.resize(parts.size(), 0);
    if (seen_partition[index]) {
      return absl::InvalidArgumentError(
          absl::StrCat("partition ", index, ": given twice"));
    }
    seen_partition[index] = 1;
  }
  const absl::StatusOr<Period> as_of = ParsePeriod(first.as_of());
  if (!as_of.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("partial reports: as_of '", PrintableText(first.as_of()),
                     "': ", as_of.status().message()));
  }

  // Each provider's block, from exactly one part.
  const size_t providers = tables.providers().size();
  std::vector<ProviderBlock> blocks(providers);
  for (size_t k = 0; k < parts.size(); ++k) {
    const v1::PartialReport& p = (*parts[k]);
    const v1::Report& r = p.report();
    int a = 0;
    for (int j = 0; j < r.providers_size(); ++j) {
      const int provider = tables.FindProvider(r.providers(j).provider_id());
      if (provider < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("partial report ", k, ": provider '",
                         PrintableText(r.providers(j).provider_id()),
                         "' is not in the providers table"));
      }
      ProviderBlock& block = blocks[provider];
      if (block.part >= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "provider '", tables.providers()[provider].id(),
            "' is owned by partitions ", (*parts[block.part]).partition(),
            " and ", p.partition(), ": each provider by exactly one"));
      }
      block.part = static_cast<int>(k);
      block.summary = j;
      block.begin = a;
      while (a < r.assessments_size() && p.assessment_provider(a) == provider) {
        ++a;
      }
      block.end = a;
    }
    if (a != r.assessments_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial report ", k, ": assessment ", a,
          " is not of the provider of a summary before it (assessments go "
          "by provider, in summary order)"));
    }
  }
  for (size_t p = 0; p < providers; ++p) {
    if (blocks[p].part < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "provider '", tables.providers()[p].id(),
          "' is owned by no partition: each provider by exactly one"));
    }
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    for (const int32_t provider : (*parts[k]).lookback_provider()) {
      if (blocks[provider].part != static_cast<int>(k)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "partial report ", k, ": look-back ratings of provider '",
            tables.providers()[provider].id(), "', which it does not own"));
      }
    }
  }
  int64_t total = 0;
  for (const ProviderBlock& b : blocks) total += b.end - b.begin;
  const int64_t limit = internal::MaxAssessments(options);
  if (total > limit) return internal::AssessmentLimitError(limit);

  report->Clear();
  report->set_as_of(first.as_of());
  report->set_ruleset_id(compiled_->rules.id());
  report->set_ruleset_version(compiled_->rules.version());
  report->set_engine_version(EngineVersion());
  report->mutable_assessments()->Reserve(static_cast<int>(total));
  report->mutable_providers()->Reserve(static_cast<int>(providers));
  std::vector<AssessmentKey> keys;
  keys.reserve(total);
  for (size_t p = 0; p < providers; ++p) {
    const ProviderBlock& b = blocks[p];
    v1::PartialReport& part = (*parts[b.part]);
    v1::Report& from = *part.mutable_report();
    for (int a = b.begin; a < b.end; ++a) {
      report->add_assessments()->Swap(from.mutable_assessments(a));
      keys.push_back({part.assessment_provider(a), part.assessment_indicator(a),
                      part.assessment_rule(a)});
    }
    report->add_providers()->Swap(from.mutable_providers(b.summary));
  }

  // Funnels: one per rule and indicator (every part that judged some of
  // its providers drew the same), by indicator then rule order.
  const absl::flat_hash_map<std::string, int> slot_of =
      internal::SlotsById(*compiled_);
  std::map<std::pair<int, int>, v1::FunnelChart*> funnels;
  for (v1::PartialReport* const part_of : parts) {
    v1::PartialReport& part = *part_of;
    for (v1::FunnelChart& f : *part.mutable_report()->mutable_funnels()) {
      const int indicator = tables.FindIndicator(f.indicator_id());
      const auto slot = slot_of.find(f.rule_id());
      if (indicator < 0 || slot == slot_of.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "partial report ", part.partition(), ": a funnel of rule '",
            PrintableText(f.rule_id()), "' and indicator '",
            PrintableText(f.indicator_id()), "' not in the pack and tables"));
      }
      funnels.emplace(std::make_pair(indicator, slot->second), &f);
    }
  }
  for (const auto& [key, f] : funnels) report->add_funnels()->Swap(f);

  // Diagnostics and counts.
  internal::UnusedCounts unused;
  unused.not_selected.assign(tables.indicators().size(), 0);
  unused.after_as_of.assign(tables.indicators().size(), 0);
  std::vector<v1::Diagnostic> diagnostics;
  int64_t read = 0, used = 0, plans_read = 0, plans_used = 0,
          plans_rejected = 0;
  for (v1::PartialReport* const part_of : parts) {
    v1::PartialReport& part = *part_of;
    v1::Report& r = *part.mutable_report();
    for (v1::Diagnostic& d : *r.mutable_diagnostics()) {
      diagnostics.push_back(std::move(d));
    }
    for (const v1::UnusedObservations& u : part.unused()) {
      unused.not_selected[u.indicator()] += u.not_selected();
      unused.after_as_of[u.indicator()] += u.after_as_of();
    }
    read += r.observations_read();
    used += r.observations_used();
    plans_read += r.plans_read();
    plans_used += r.plans_used();
    plans_rejected += r.plans_rejected();
  }
  bool any_reads_plans = false;
  for (const internal::CompiledRule& rule : compiled_->compiled) {
    any_reads_plans |= rule.evaluator->ReadsPlans();
  }
  internal::AddUnusedDiagnostics(unused, tables.indicators(), *as_of,
                                 plans_used, any_reads_plans, &diagnostics);
  SortDiagnostics(&diagnostics);

  if (compiled_->signals.enabled) {
    const std::vector<Period> periods =
        internal::SignalPeriods(*compiled_, *as_of);
    const size_t lookback = periods.size() - 1;
    if (static_cast<size_t>((*parts[0]).lookback_periods()) != lookback) {
      return absl::InvalidArgumentError(absl::StrCat(
          "partial reports: ", (*parts[0]).lookback_periods(),
          " look-back periods, this pack's escalation reads ", lookback));
    }
    internal::RatingTable table(periods.size(), providers);
    for (size_t t = 0; t < lookback; ++t) {
      table.set_period(t);
      int64_t rated = 0;  // That period's assessments, as one evaluation's.
      for (const v1::PartialReport* const part_of : parts) {
        const v1::PartialReport& part = *part_of;
        for (int row = 0; row < part.lookback_provider_size(); ++row) {
          const auto rating =
              static_cast<uint8_t>(part.lookback_ratings()[row * lookback + t]);
          if (rating == 0) continue;
          ++rated;
          table.Rated(part.lookback_provider(row), part.lookback_indicator(row),
                      part.lookback_rule(row), static_cast<v1::Rating>(rating));
        }
      }
      if (rated > limit) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "escalation.signals: as of ", FormatPeriod(periods[t]),
            ": the report would hold more than max_assessments (", limit,
            ") assessments; select fewer providers or indicators, or raise "
            "max_assessments"));
      }
    }
    internal::EscalateSummariesBySignals(*compiled_, tables, periods,
                                         internal::RatingsOf(keys, *report),
                                         &table, report);
  }

  report->mutable_diagnostics()->Reserve(static_cast<int>(diagnostics.size()));
  for (v1::Diagnostic& d : diagnostics)
    *report->add_diagnostics() = std::move(d);
  report->set_observations_read(read);
  report->set_observations_used(used);
  report->set_observations_rejected(read - used);
  report->set_plans_read(plans_read);
  report->set_plans_used(plans_used);
  report->set_plans_rejected(plans_rejected);
  return absl::OkStatus();
}

}  // namespace vigil
