// Cross-row validation of a SeriesStore's rows: definitions resolved, rows
// of unknown ids dropped, frequencies inferred (the layout: series_layout.cc).
#include "src/data/store_builder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "src/data/diagnostics.h"
#include "src/data/indexer_internal.h"

namespace vigil {
namespace internal {
namespace {

// Display text (name, tags) that is not valid UTF-8 could not be written to
// JSON or protobuf: each bad byte becomes U+FFFD, with a warning naming the
// definition's row.
template <typename Message>
void RepairText(absl::string_view kind, absl::string_view source, int64_t row,
                Message* message, std::vector<v1::Diagnostic>* diagnostics) {
  const auto repair = [&](std::string* text, absl::string_view field) {
    const std::string problem = RepairUtf8(text);
    if (problem.empty()) return;
    diagnostics->push_back(MakeDiagnostic(
        v1::DIAGNOSTIC_SEVERITY_WARNING, v1::DIAGNOSTIC_CODE_BAD_DEFINITION,
        source, row, std::string(field),
        absl::StrCat(DescribeRow(source, row), ": ", kind, " '",
                     PrintableText(message->id()), "': ", field, " ", problem,
                     "; shown with U+FFFD for each bad byte")));
  };
  repair(message->mutable_name(), "name");
  for (std::string& tag : *message->mutable_tags()) repair(&tag, "tags");
}

// Resolves definitions of one kind (providers or indicators): drops invalid
// ones, settles duplicates independently of input order, sorts by id.
template <typename Message, typename Validate>
std::vector<Message> ResolveDefinitions(
    std::vector<Definition<Message>>* defs,
    const std::vector<std::string>& sources, absl::string_view kind,
    Validate validate, std::vector<v1::Diagnostic>* diagnostics) {
  std::vector<Definition<Message>*> valid;
  for (Definition<Message>& def : *defs) {
    std::string problem = validate(def.message);
    if (!problem.empty()) {
      // Each problem starts with the field it is about ("id is empty").
      const std::string field = problem.substr(0, problem.find(' '));
      diagnostics->push_back(MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_ERROR, v1::DIAGNOSTIC_CODE_BAD_DEFINITION,
          sources[def.source], def.row, field,
          absl::StrCat(DescribeRow(sources[def.source], def.row), ": ", kind,
                       " '", PrintableText(def.message.id()),
                       "' is not used: ", problem)));
      continue;
    }
    RepairText(kind, sources[def.source], def.row, &def.message, diagnostics);
    valid.push_back(&def);
  }
  std::vector<std::pair<std::string, Definition<Message>*>> keyed;
  keyed.reserve(valid.size());
  for (Definition<Message>* def : valid) {
    std::string bytes;
    def->message.SerializeToString(&bytes);
    keyed.emplace_back(std::move(bytes), def);
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(absl::string_view(a.second->message.id()),
                           absl::string_view(a.first), a.second->source,
                           a.second->row) <
           std::make_tuple(absl::string_view(b.second->message.id()),
                           absl::string_view(b.first), b.second->source,
                           b.second->row);
  });
  std::vector<Message> out;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i + 1;
    bool identical = true;
    while (j < keyed.size() &&
           keyed[j].second->message.id() == keyed[i].second->message.id()) {
      identical = identical && keyed[j].first == keyed[i].first;
      ++j;
    }
    if (j - i > 1) {
      const Definition<Message>& kept = *keyed[i].second;
      std::vector<std::string> places;
      for (size_t k = i; k < j; ++k) {
        places.push_back(DescribeRow(sources[keyed[k].second->source],
                                     keyed[k].second->row));
      }
      std::sort(places.begin(), places.end());
      v1::Diagnostic d = MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_WARNING,
          v1::DIAGNOSTIC_CODE_DUPLICATE_DEFINITION, sources[kept.source],
          kept.row, "id",
          absl::StrCat(kind, " '", kept.message.id(), "' is defined ", j - i,
                       " times (", absl::StrJoin(places, ", "), ")",
                       identical
                           ? "; the definitions are identical"
                           : "; they differ, the one at " +
                                 DescribeRow(sources[kept.source], kept.row) +
                                 " is used"));
      for (size_t k = i + 1; k < j; ++k) {
        d.add_other_rows(keyed[k].second->row);
        d.add_other_sources(sources[keyed[k].second->source]);
      }
      diagnostics->push_back(std::move(d));
    }
    out.push_back(keyed[i].second->message);
    i = j;
  }
  return out;
}

std::string ValidateProvider(const v1::Provider& p) {
  if (p.id().empty()) return "id is empty";
  if (std::string problem = IdProblem(p.id()); !problem.empty()) {
    return "id " + problem;
  }
  if (!v1::ProviderType_IsValid(p.type())) return "type is not a known type";
  return "";
}

std::string ValidateIndicator(const v1::Indicator& ind) {
  if (ind.id().empty()) return "id is empty";
  if (std::string problem = IdProblem(ind.id()); !problem.empty()) {
    return "id " + problem;
  }
  if (!v1::Domain_IsValid(ind.domain())) return "domain is not a known domain";
  if (!v1::Unit_IsValid(ind.unit())) return "unit is not a known unit";
  if (!v1::Polarity_IsValid(ind.polarity())) {
    return "polarity is not a known polarity";
  }
  if (!v1::Frequency_IsValid(ind.frequency())) {
    return "frequency is not a known frequency";
  }
  if (!std::isfinite(ind.rate_multiplier()) || ind.rate_multiplier() < 0) {
    return absl::StrCat("rate_multiplier ", ind.rate_multiplier(),
                        " is not a finite number >= 0");
  }
  return "";
}

double EffectiveMultiplier(const v1::Indicator& ind) {
  if (ind.rate_multiplier() > 0) return ind.rate_multiplier();
  return ind.unit() == v1::UNIT_PERCENTAGE ? 100.0 : 1.0;
}

}  // namespace

Frequency MostCommonFrequency(const std::array<int64_t, 5>& counts) {
  int best = 0;
  for (int f = 1; f <= 4; ++f) {
    if (counts[f] > counts[best]) best = f;
  }
  return static_cast<Frequency>(best);
}

std::vector<int32_t> SourceRanks(const std::vector<std::string>& sources) {
  std::vector<int32_t> order(sources.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&sources](int32_t a, int32_t b) {
    return std::make_pair(sources[a], a) < std::make_pair(sources[b], b);
  });
  std::vector<int32_t> rank(sources.size());
  for (size_t i = 0; i < order.size(); ++i) {
    rank[order[i]] = static_cast<int32_t>(i);
  }
  return rank;
}

absl::Status LimitExceeded(absl::string_view limit, int64_t value,
                           absl::string_view what, int64_t periods) {
  return absl::ResourceExhaustedError(absl::StrCat(
      what, periods, " periods, more than ", limit, " (", value,
      "): a series is stored with one element per period from its first row "
      "to its last; check the periods, or raise ",
      limit, " (vigil evaluate --", absl::StrReplaceAll(limit, {{"_", "-"}}),
      ", vigil_dataset_set_limits, vigil::IndexLimits)"));
}

v1::Diagnostic StoreBuilder::RowDiagnostic(const PendingRow& r,
                                           v1::DiagnosticSeverity severity,
                                           v1::DiagnosticCode code,
                                           absl::string_view field,
                                           absl::string_view why) const {
  const RowKey& key = impl_.KeyOf(r);
  return RowKeyDiagnostic(
      severity, code, impl_.sources[key.source], impl_.RowOf(r), field, why,
      impl_.provider_ids.name(key.provider),
      impl_.indicator_ids.name(key.indicator), FormatPeriod(r.period()));
}

void StoreBuilder::Reject(PendingRow* r, v1::DiagnosticCode code,
                          absl::string_view field, absl::string_view why) {
  impl_.diagnostics.push_back(
      RowDiagnostic(*r, v1::DIAGNOSTIC_SEVERITY_ERROR, code, field, why));
  r->status = PendingRow::kDropped;
}

void StoreBuilder::ResolveIds() {
  auto& diags = impl_.diagnostics;
  store_.providers_ = ResolveDefinitions(&impl_.providers, impl_.sources,
                                         "provider", ValidateProvider, &diags);
  if (impl_.providers.empty()) {
    for (int32_t key = 0; key < impl_.provider_ids.size(); ++key) {
      v1::Provider p;
      p.set_id(impl_.provider_ids.name(key));
      store_.providers_.push_back(std::move(p));
    }
    std::sort(store_.providers_.begin(), store_.providers_.end(),
              [](const v1::Provider& a, const v1::Provider& b) {
                return a.id() < b.id();
              });
    if (!store_.providers_.empty()) {
      diags.push_back(MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_IMPLICIT_PROVIDERS,
          "providers", 0, "",
          absl::StrCat("no providers were defined; the ",
                       store_.providers_.size(),
                       " provider ids found in the observations are used, "
                       "each named by its id")));
    }
  }
  store_.indicators_ = ResolveDefinitions(
      &impl_.indicators, impl_.sources, "indicator", ValidateIndicator, &diags);
  for (v1::Provider& p : store_.providers_) {
    if (p.name().empty()) p.set_name(p.id());
  }
  for (v1::Indicator& ind : store_.indicators_) {
    if (ind.name().empty()) ind.set_name(ind.id());
    ind.set_rate_multiplier(EffectiveMultiplier(ind));
  }
  provider_rank_.assign(impl_.provider_ids.size(), -1);
  for (size_t i = 0; i < store_.providers_.size(); ++i) {
    const int32_t key = impl_.InternProvider(store_.providers_[i].id());
    if (key >= static_cast<int32_t>(provider_rank_.size())) {
      provider_rank_.resize(key + 1, -1);
    }
    provider_rank_[key] = static_cast<int32_t>(i);
    store_.provider_index_.emplace(store_.providers_[i].id(),
                                   static_cast<int>(i));
  }
  indicator_rank_.assign(impl_.indicator_ids.size(), -1);
  for (size_t i = 0; i < store_.indicators_.size(); ++i) {
    const int32_t key = impl_.InternIndicator(store_.indicators_[i].id());
    if (key >= static_cast<int32_t>(indicator_rank_.size())) {
      indicator_rank_.resize(key + 1, -1);
    }
    indicator_rank_[key] = static_cast<int32_t>(i);
    store_.indicator_index_.emplace(store_.indicators_[i].id(),
                                    static_cast<int>(i));
  }
}

void StoreBuilder::DropUnknownIds() {
  // Checked once per row key, reported per row.
  std::vector<bool> unknown_provider, unknown_indicator;
  bool any_unknown = false;
  for (const RowKey& key : impl_.row_keys) {
    unknown_provider.push_back(provider_rank_[key.provider] < 0);
    unknown_indicator.push_back(indicator_rank_[key.indicator] < 0);
    any_unknown =
        any_unknown || unknown_provider.back() || unknown_indicator.back();
  }
  if (!any_unknown) return;
  impl_.rows.ForEach([&](PendingRow& r) {
    const RowKey& key = impl_.KeyOf(r);
    if (unknown_provider[r.key]) {
      Reject(&r, v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER, "provider_id",
             absl::StrCat("provider '", impl_.provider_ids.name(key.provider),
                          "' is not defined; the row is not used"));
    } else if (unknown_indicator[r.key]) {
      Reject(
          &r, v1::DIAGNOSTIC_CODE_UNKNOWN_INDICATOR, "indicator_id",
          absl::StrCat("indicator '", impl_.indicator_ids.name(key.indicator),
                       "' is not defined; the row is not used"));
    }
  });
}

void StoreBuilder::ResolveFrequencies() {
  // Each indicator's rows by frequency: the sums of its row keys' counts
  // (rows of unknown providers left out, as DropUnknownIds dropped them).
  const size_t n = store_.indicators_.size();
  std::vector<std::array<int64_t, 5>> counts(n, {0, 0, 0, 0, 0});
  for (size_t k = 0; k < impl_.row_keys.size(); ++k) {
    const RowKey& key = impl_.row_keys[k];
    const int32_t indicator = indicator_rank_[key.indicator];
    if (provider_rank_[key.provider] < 0 || indicator < 0) continue;
    for (int f = 0; f < 5; ++f) {
      counts[indicator][f] += impl_.row_key_frequencies[k][f];
    }
  }
  store_.frequencies_.assign(n, Frequency::kUnspecified);
  for (size_t i = 0; i < n; ++i) {
    const auto declared =
        static_cast<Frequency>(store_.indicators_[i].frequency());
    store_.frequencies_[i] = declared != Frequency::kUnspecified
                                 ? declared
                                 : MostCommonFrequency(counts[i]);
  }
}
void StoreBuilder::Run() {
  ResolveIds();
  DropUnknownIds();
  ResolveFrequencies();
  CheckPeriodsAndValues();
  const bool laid_out = Layout();
  // The rows are in the columns now (or the build failed): free them
  // before the plans are built.
  impl_.rows = PendingRows();
  Column<uint32_t>().swap(order_);
  if (!laid_out) return;
  FindLatestPeriod();
  // After the series: plans never change them, nor the default as-of.
  BuildPlans(&impl_, &store_);
  if (!impl_.failure.ok()) return;
  store_.IndexPairs();
  store_.observations_read_ = impl_.observations_read;
  SortDiagnostics(&impl_.diagnostics);
  store_.diagnostics_ = std::move(impl_.diagnostics);
}

void BuildStore(DatasetIndexer::Impl* impl, SeriesStore* store) {
  StoreBuilder(impl, store).Run();
}

}  // namespace internal
}  // namespace vigil
