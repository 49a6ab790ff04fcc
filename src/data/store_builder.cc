// Cross-row validation and the columnar layout of a SeriesStore.
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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

class StoreBuilder {
 public:
  StoreBuilder(DatasetIndexer::Impl* impl, SeriesStore* store)
      : impl_(*impl), store_(*store) {}

  void Run();

 private:
  v1::Diagnostic RowDiagnostic(const PendingRow& r,
                               v1::DiagnosticSeverity severity,
                               v1::DiagnosticCode code, absl::string_view field,
                               absl::string_view why) const;
  // Files an error diagnostic for `r` and drops it.
  void Reject(PendingRow* r, v1::DiagnosticCode code, absl::string_view field,
              absl::string_view why);
  void ResolveIds();
  // Drops the rows of undefined providers and indicators.
  void DropUnknownIds();
  void ResolveFrequencies();
  // Each row's period in its indicator's frequency (or the row is dropped),
  // then its value (ratio rows computed; impossible values dropped).
  void CheckPeriodsAndValues();
  void CheckValue(PendingRow* r, const v1::Indicator& indicator);
  // The columnar layout: rows grouped and sorted by series, columns sized
  // once, one series per (provider, indicator). False when a limit would be
  // exceeded.
  bool Layout();
  void GroupRowsBySeries();
  // False (and impl_.failure set) when a limit would be exceeded.
  bool ReserveColumns();
  void EmitSeries(size_t s, std::vector<const PendingRow*>* group);
  void EmitPoint(const std::vector<const PendingRow*>& group, size_t at,
                 int64_t ratio_at);
  void FindLatestPeriod();

  const PendingRow& RowAt(size_t k) const { return impl_.rows[order_[k]]; }

  DatasetIndexer::Impl& impl_;
  SeriesStore& store_;
  std::vector<int32_t> provider_rank_;   // interned key -> index or -1
  std::vector<int32_t> indicator_rank_;  // interned key -> index or -1
  // Row key -> whether a kept row of it has a numerator or a denominator.
  std::vector<bool> key_has_ratio_;
  // Row key -> its rows kept by CheckPeriodsAndValues.
  std::vector<size_t> key_rows_;
  // Positions in impl_.rows of the kept rows, by series (in store order),
  // each series by period, source rank, row: series s is
  // order_[series_begin_[s], series_begin_[s + 1]).
  std::vector<uint32_t> order_;
  std::vector<size_t> series_begin_;
  // Per series: whether it stores numerator and denominator columns (else
  // its spans are the store's shared NaN column).
  std::vector<bool> series_has_ratio_;
};

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

namespace {

// Why the usable row `r` of `indicator` holds an impossible value, or "".
std::string ValueProblem(const PendingRow& r, const v1::Indicator& indicator) {
  if (!std::isfinite(r.value)) {
    return absl::StrCat("numerator ", r.numerator, " over denominator ",
                        r.denominator, " gives ", r.value,
                        ", not a finite number");
  }
  const v1::Unit unit = indicator.unit();
  if ((unit == v1::UNIT_COUNT || unit == v1::UNIT_RATE ||
       unit == v1::UNIT_RATIO) &&
      r.value < 0) {
    return absl::StrCat(unit == v1::UNIT_COUNT  ? "a count"
                        : unit == v1::UNIT_RATE ? "a rate"
                                                : "a ratio",
                        " cannot be negative: ", r.value);
  }
  if (unit != v1::UNIT_PERCENTAGE) return "";
  if (r.has_ratio && r.numerator > r.denominator) {
    return absl::StrCat("numerator ", r.numerator, " is above denominator ",
                        r.denominator, " for a percentage");
  }
  if (r.value < 0 || r.value > 100) {
    return absl::StrCat("percentage ", r.value, " is outside 0 to 100");
  }
  return "";
}

// Whether ValueProblem(r, indicator) is "", without building a string: true
// for almost every row.
bool ValueIsPossible(const PendingRow& r, v1::Unit unit) {
  if (!std::isfinite(r.value)) return false;
  switch (unit) {
    case v1::UNIT_COUNT:
    case v1::UNIT_RATE:
    case v1::UNIT_RATIO:
      return r.value >= 0;
    case v1::UNIT_PERCENTAGE:
      return !(r.has_ratio && r.numerator > r.denominator) && r.value >= 0 &&
             r.value <= 100;
    default:
      return true;
  }
}

}  // namespace

void StoreBuilder::CheckValue(PendingRow* r, const v1::Indicator& indicator) {
  if (r->has_ratio) {
    const double multiplier = indicator.rate_multiplier();
    const double computed = multiplier * r->numerator / r->denominator;
    if (r->has_value && std::fabs(r->value - computed) >
                            1e-6 * std::max(1.0, std::fabs(computed))) {
      impl_.diagnostics.push_back(RowDiagnostic(
          *r, v1::DIAGNOSTIC_SEVERITY_WARNING,
          v1::DIAGNOSTIC_CODE_VALUE_MISMATCH, "value",
          absl::StrCat("value ", r->value, " disagrees with ", multiplier,
                       " * numerator / denominator = ", computed,
                       "; the computed value is used")));
    }
    r->value = computed;
    r->has_value = true;
  }
  if (ValueIsPossible(*r, indicator.unit())) return;
  if (std::string problem = ValueProblem(*r, indicator); !problem.empty()) {
    Reject(r, v1::DIAGNOSTIC_CODE_OUT_OF_RANGE,
           r->has_ratio ? "numerator" : "value",
           absl::StrCat(problem, "; the row is not used"));
  }
}

void StoreBuilder::CheckPeriodsAndValues() {
  key_has_ratio_.assign(impl_.row_keys.size(), false);
  key_rows_.assign(impl_.row_keys.size(), 0);
  impl_.rows.ForEach([&](PendingRow& r) {
    if (r.dropped()) return;
    const RowKey& key = impl_.KeyOf(r);
    const int32_t indicator = indicator_rank_[key.indicator];
    const Frequency f = store_.frequencies_[indicator];
    const Period period =
        r.frequency == f ? r.period() : FirstDayAsPeriod(r.period(), f);
    r.frequency = period.frequency;
    r.period_index = period.index;
    if (period.frequency != f) {
      return Reject(
          &r, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period",
          absl::StrCat("period ", FormatPeriod(period), " is ",
                       FrequencyName(period.frequency), " but indicator '",
                       impl_.indicator_ids.name(key.indicator), "' is ",
                       FrequencyName(f), "; the row is not used"));
    }
    if (r.status == v1::OBSERVATION_STATUS_OK) {
      CheckValue(&r, store_.indicators_[indicator]);
      if (r.dropped()) return;
    }
    ++key_rows_[r.key];
    if (!std::isnan(r.numerator) || !std::isnan(r.denominator)) {
      key_has_ratio_[r.key] = true;
    }
  });
}

void StoreBuilder::GroupRowsBySeries() {
  // Row keys ordered by (provider, indicator) give each series its
  // position; a counting sort then groups the rows (4-byte positions, no
  // pointer or key array beside a million rows).
  const std::vector<RowKey>& keys = impl_.row_keys;
  const std::vector<size_t>& key_rows = key_rows_;
  std::vector<int32_t> known;  // Keys with kept rows (so with known ids).
  for (size_t k = 0; k < keys.size(); ++k) {
    if (key_rows[k] > 0) known.push_back(static_cast<int32_t>(k));
  }
  const auto pair_of = [&](int32_t k) {
    return std::make_pair(provider_rank_[keys[k].provider],
                          indicator_rank_[keys[k].indicator]);
  };
  std::sort(known.begin(), known.end(),
            [&](int32_t a, int32_t b) { return pair_of(a) < pair_of(b); });
  std::vector<int32_t> key_series(keys.size(), -1);
  int32_t num_series = 0;
  for (size_t i = 0; i < known.size(); ++i) {
    if (i == 0 || pair_of(known[i]) != pair_of(known[i - 1])) ++num_series;
    key_series[known[i]] = num_series - 1;
  }
  series_begin_.assign(num_series + 1, 0);
  for (const int32_t k : known) series_begin_[key_series[k] + 1] += key_rows[k];
  std::partial_sum(series_begin_.begin(), series_begin_.end(),
                   series_begin_.begin());
  order_.resize(series_begin_.back());
  {
    std::vector<size_t> next(series_begin_.begin(), series_begin_.end() - 1);
    uint32_t position = 0;
    impl_.rows.ForEach([&](const PendingRow& r) {
      if (!r.dropped()) order_[next[key_series[r.key]]++] = position;
      ++position;
    });
  }
  series_has_ratio_.assign(num_series, false);
  for (size_t k = 0; k < keys.size(); ++k) {
    if (key_series[k] >= 0 && key_has_ratio_[k]) {
      series_has_ratio_[key_series[k]] = true;
    }
  }
  // Within a series: by period, then the source's rank by name and the
  // row, so the order is input-order-free. Rows usually arrive in that
  // order already.
  const std::vector<int32_t> source_rank = SourceRanks(impl_.sources);
  const auto before = [&](uint32_t a, uint32_t b) {
    const PendingRow& ra = impl_.rows[a];
    const PendingRow& rb = impl_.rows[b];
    if (ra.period_index != rb.period_index) {
      return ra.period_index < rb.period_index;
    }
    const int32_t sa = source_rank[impl_.KeyOf(ra).source];
    const int32_t sb = source_rank[impl_.KeyOf(rb).source];
    if (sa != sb) return sa < sb;
    const int64_t row_a = impl_.RowOf(ra);
    const int64_t row_b = impl_.RowOf(rb);
    if (row_a != row_b) return row_a < row_b;
    return a < b;
  };
  for (int32_t s = 0; s < num_series; ++s) {
    const auto begin = order_.begin() + series_begin_[s];
    const auto end = order_.begin() + series_begin_[s + 1];
    if (!std::is_sorted(begin, end, before)) std::sort(begin, end, before);
  }
}

bool StoreBuilder::ReserveColumns() {
  // The columns are sized once: no doubled capacity, no copy as they grow;
  // and only within the limits, checked before anything is allocated.
  const IndexLimits& limits = impl_.limits;
  int64_t points = 0;
  int64_t ratio_points = 0;
  int64_t longest_without_ratio = 0;
  for (size_t s = 0; s + 1 < series_begin_.size(); ++s) {
    const PendingRow& first = RowAt(series_begin_[s]);
    const PendingRow& last = RowAt(series_begin_[s + 1] - 1);
    const int64_t span = int64_t{last.period_index} - first.period_index + 1;
    if (span > limits.max_periods_per_series) {
      const RowKey& key = impl_.KeyOf(first);
      impl_.failure = LimitExceeded(
          "max_periods_per_series", limits.max_periods_per_series,
          absl::StrCat(
              "the series of provider '", impl_.provider_ids.name(key.provider),
              "', indicator '", impl_.indicator_ids.name(key.indicator), "' (",
              FormatPeriod(first.period()), " at ",
              DescribeRow(impl_.sources[key.source], impl_.RowOf(first)),
              " to ", FormatPeriod(last.period()), " at ",
              DescribeRow(impl_.sources[impl_.KeyOf(last).source],
                          impl_.RowOf(last)),
              ") spans "),
          span);
      return false;
    }
    points += span;
    if (series_has_ratio_[s]) {
      ratio_points += span;
    } else {
      longest_without_ratio = std::max(longest_without_ratio, span);
    }
  }
  if (points > limits.max_stored_periods) {
    impl_.failure =
        LimitExceeded("max_stored_periods", limits.max_stored_periods,
                      "the series of this dataset hold ", points);
    return false;
  }
  store_.values_.reserve(points);
  store_.status_.reserve(points);
  store_.numerators_.reserve(ratio_points);
  store_.denominators_.reserve(ratio_points);
  store_.no_ratio_.assign(longest_without_ratio, kNaN);
  return true;
}

// Writes the point for rows `group` (all of one series and period) at
// position `at` of the store's values and status (and `ratio_at` of its
// numerators and denominators; -1: the series has none).
void StoreBuilder::EmitPoint(const std::vector<const PendingRow*>& group,
                             size_t at, int64_t ratio_at) {
  const PendingRow& first = *group.front();
  bool identical = true;
  for (size_t k = 1; k < group.size(); ++k) {
    const PendingRow& o = *group[k];
    identical = identical && o.status == first.status &&
                (first.status != v1::OBSERVATION_STATUS_OK ||
                 (o.value == first.value &&
                  std::isnan(o.denominator) == std::isnan(first.denominator) &&
                  (std::isnan(first.denominator) ||
                   (o.numerator == first.numerator &&
                    o.denominator == first.denominator))));
  }
  if (group.size() > 1) {
    std::vector<std::string> places;
    for (const PendingRow* r : group) {
      places.push_back(
          DescribeRow(impl_.sources[impl_.KeyOf(*r).source], impl_.RowOf(*r)));
    }
    const RowKey& key = impl_.KeyOf(first);
    v1::Diagnostic d = RowDiagnostic(
        first,
        identical ? v1::DIAGNOSTIC_SEVERITY_WARNING
                  : v1::DIAGNOSTIC_SEVERITY_ERROR,
        v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION, "period",
        absl::StrCat(
            group.size(), " rows for ", impl_.provider_ids.name(key.provider),
            " / ", impl_.indicator_ids.name(key.indicator), " / ",
            FormatPeriod(first.period()), " (", absl::StrJoin(places, ", "),
            ")",
            identical ? ": identical, used once"
                      : ": they conflict, so none is used and the period is "
                        "treated as missing"));
    for (size_t k = 1; k < group.size(); ++k) {
      d.add_other_rows(impl_.RowOf(*group[k]));
      d.add_other_sources(impl_.sources[impl_.KeyOf(*group[k]).source]);
    }
    impl_.diagnostics.push_back(std::move(d));
    if (!identical) {
      store_.status_[at] = PointStatus::kRejected;
      return;
    }
  }
  if (first.status != v1::OBSERVATION_STATUS_OK) {
    const bool suppressed = first.status == v1::OBSERVATION_STATUS_SUPPRESSED;
    store_.status_[at] =
        suppressed ? PointStatus::kSuppressed : PointStatus::kNotSubmitted;
    impl_.diagnostics.push_back(RowDiagnostic(
        first, v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_NOT_USABLE,
        "status",
        absl::StrCat("marked ", suppressed ? "suppressed" : "not submitted",
                     "; kept as a gap that data-quality rules report")));
    return;
  }
  store_.status_[at] = PointStatus::kObserved;
  store_.values_[at] = first.value;
  if (ratio_at >= 0) {
    store_.numerators_[ratio_at] = first.numerator;
    store_.denominators_[ratio_at] = first.denominator;
  }
  ++store_.observations_used_;
}

void StoreBuilder::EmitSeries(size_t s, std::vector<const PendingRow*>* group) {
  const size_t begin = series_begin_[s];
  const size_t end = series_begin_[s + 1];
  const PendingRow& head = RowAt(begin);
  const RowKey& key = impl_.KeyOf(head);
  SeriesStore::SeriesInfo info;
  info.provider = provider_rank_[key.provider];
  info.indicator = indicator_rank_[key.indicator];
  info.first = head.period();
  info.offset = static_cast<int64_t>(store_.values_.size());
  info.length = RowAt(end - 1).period_index - head.period_index + 1;
  info.ratio_offset = series_has_ratio_[s]
                          ? static_cast<int64_t>(store_.numerators_.size())
                          : -1;
  info.has_denominators = false;
  const size_t total = store_.values_.size() + info.length;
  store_.values_.resize(total, kNaN);
  store_.status_.resize(total, PointStatus::kMissing);
  if (info.ratio_offset >= 0) {
    const size_t ratio_total = store_.numerators_.size() + info.length;
    store_.numerators_.resize(ratio_total, kNaN);
    store_.denominators_.resize(ratio_total, kNaN);
  }
  for (size_t k = begin; k < end;) {
    const PendingRow& row = RowAt(k);
    const int64_t step = row.period_index - head.period_index;
    const size_t at = static_cast<size_t>(info.offset + step);
    const int64_t ratio_at =
        info.ratio_offset >= 0 ? info.ratio_offset + step : -1;
    if ((k + 1 == end || RowAt(k + 1).period_index != row.period_index) &&
        row.status == v1::OBSERVATION_STATUS_OK) {
      // The common point: one row, observed.
      store_.status_[at] = PointStatus::kObserved;
      store_.values_[at] = row.value;
      if (ratio_at >= 0) {
        store_.numerators_[ratio_at] = row.numerator;
        store_.denominators_[ratio_at] = row.denominator;
        if (!std::isnan(row.denominator)) info.has_denominators = true;
      }
      ++store_.observations_used_;
      ++k;
      continue;
    }
    group->clear();
    while (k < end && RowAt(k).period_index == row.period_index) {
      group->push_back(&RowAt(k++));
    }
    EmitPoint(*group, at, ratio_at);
    if (ratio_at >= 0 && !std::isnan(store_.denominators_[ratio_at])) {
      info.has_denominators = true;
    }
  }
  store_.series_.push_back(info);
  ++store_.provider_series_begin_[info.provider + 1];
}

bool StoreBuilder::Layout() {
  GroupRowsBySeries();
  if (!ReserveColumns()) return false;
  store_.provider_series_begin_.assign(store_.providers_.size() + 1, 0);
  store_.series_.reserve(series_begin_.size() - 1);
  std::vector<const PendingRow*> group;
  for (size_t s = 0; s + 1 < series_begin_.size(); ++s) {
    EmitSeries(s, &group);
  }
  std::partial_sum(store_.provider_series_begin_.begin(),
                   store_.provider_series_begin_.end(),
                   store_.provider_series_begin_.begin());
  return true;
}

void StoreBuilder::FindLatestPeriod() {
  // The default as-of: the latest period with a value (finer frequency wins
  // a tie on the last day).
  bool found = false;
  absl::CivilDay latest_day;
  for (const SeriesStore::SeriesInfo& info : store_.series_) {
    for (int k = info.length - 1; k >= 0; --k) {
      if (store_.status_[info.offset + k] != PointStatus::kObserved) continue;
      const Period p{info.first.frequency, info.first.index + k};
      const absl::CivilDay day = LastDay(p);
      if (!found || day > latest_day ||
          (day == latest_day &&
           p.frequency < store_.latest_period_.frequency)) {
        store_.latest_period_ = p;
        latest_day = day;
        found = true;
      }
      break;
    }
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
  std::vector<uint32_t>().swap(order_);
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
