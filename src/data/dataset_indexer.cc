// DatasetIndexer: per-row validation at Add time, cross-row validation
// (unknown ids, frequencies, duplicates) at Build time.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/data/diagnostics.h"
#include "src/data/indexer_internal.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

using internal::PendingRow;

bool IsUsableStatus(v1::ObservationStatus s) {
  return s == v1::OBSERVATION_STATUS_OK ||
         s == v1::OBSERVATION_STATUS_UNSPECIFIED;
}

// Files the diagnostic of an input row that is not used, naming its source,
// row and key.
class RowRejecter {
 public:
  RowRejecter(DatasetIndexer::Impl* impl, int source, int64_t row,
              absl::string_view provider_id, absl::string_view indicator_id,
              absl::string_view period, absl::string_view what)
      : impl_(*impl),
        source_(impl->sources[source]),
        row_(row),
        provider_id_(provider_id),
        indicator_id_(indicator_id),
        period_(period),
        what_(what) {}

  void operator()(v1::DiagnosticCode code, absl::string_view field,
                  absl::string_view why) const {
    impl_.diagnostics.push_back(RowKeyDiagnostic(
        v1::DIAGNOSTIC_SEVERITY_ERROR, code, source_, row_, field,
        absl::StrCat(why, "; the ", what_, " is not used"),
        PrintableText(provider_id_), PrintableText(indicator_id_),
        PrintableText(period_)));
  }

 private:
  DatasetIndexer::Impl& impl_;
  const std::string& source_;
  const int64_t row_;
  const absl::string_view provider_id_, indicator_id_, period_, what_;
};

// The two forms most data files write, "2019-03" and "2019-03-01", read
// into `period` as ParsePeriod reads them but without its StatusOr; false
// for anything else (ParsePeriod then reads it or says why not).
bool ParseCommonPeriod(absl::string_view text, Period* period) {
  if (text.size() != 7 && text.size() != 10) return false;
  const auto digit = [&text](size_t i) {
    return static_cast<unsigned>(text[i]) - '0';
  };
  // The year's 4 bytes and the month's 2 tested as words: a byte is a digit
  // when neither b - '0' nor b + 0x46 reaches 0x80 (a borrow or carry only
  // starts at a byte that fails, so no text is wrongly taken).
  uint32_t year_bytes;
  uint16_t month_bytes;
  std::memcpy(&year_bytes, text.data(), sizeof(year_bytes));
  std::memcpy(&month_bytes, text.data() + 5, sizeof(month_bytes));
  const uint32_t m = month_bytes;
  if (((((year_bytes - 0x30303030u) | (year_bytes + 0x46464646u)) &
        0x80808080u) |
       (((m - 0x3030u) | (m + 0x4646u)) & 0x8080u)) != 0 ||
      text[4] != '-') {
    return false;
  }
  const int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 +
                                    digit(2) * 10 + digit(3));
  const int month = static_cast<int>(digit(5) * 10 + digit(6));
  if (year < 1900 || year > 2200 || month < 1 || month > 12) return false;
  if (text.size() == 7) {
    period->frequency = Frequency::kMonthly;
    period->index = year * 12 + month - 1;
    return true;
  }
  if (text[7] != '-' || digit(8) > 9 || digit(9) > 9) return false;
  const int day = static_cast<int>(digit(8) * 10 + digit(9));
  const absl::CivilDay civil(year, month, day);
  if (civil.day() != day || civil.month() != month) return false;
  period->frequency = Frequency::kDaily;
  period->index = static_cast<int32_t>(civil - absl::CivilDay(1970, 1, 1));
  return true;
}

// Whether two ids are the same. Ids of 4 to 16 bytes (most: "RXF",
// "IND00", "RRK99") are compared as two overlapping words, read only
// within both ids; others byte by byte (no memcmp call for short ids).
bool SameId(absl::string_view a, absl::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const auto same_words = [&](auto word) {
    constexpr size_t kSize = sizeof(word);
    decltype(word) a_first, b_first, a_last, b_last;
    std::memcpy(&a_first, a.data(), kSize);
    std::memcpy(&b_first, b.data(), kSize);
    std::memcpy(&a_last, a.data() + n - kSize, kSize);
    std::memcpy(&b_last, b.data() + n - kSize, kSize);
    return ((a_first ^ b_first) | (a_last ^ b_last)) == 0;
  };
  if (n >= 8 && n <= 16) return same_words(uint64_t{0});
  if (n >= 4 && n < 8) return same_words(uint32_t{0});
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Whether a row's ids are set and its period parses (into `period`);
// otherwise rejects the row and returns false. `valid_provider` /
// `valid_indicator`: that id is known to be valid already (the id of the
// row before).
bool CheckKey(absl::string_view provider_id, absl::string_view indicator_id,
              absl::string_view period_text, const RowRejecter& reject,
              Period* period, bool valid_provider = false,
              bool valid_indicator = false) {
  if (provider_id.empty()) {
    reject(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "provider_id",
           "provider_id is empty");
    return false;
  }
  if (indicator_id.empty()) {
    reject(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "indicator_id",
           "indicator_id is empty");
    return false;
  }
  // Each id not known to be valid (no list of them built per row).
  const auto bad_id = [&reject](absl::string_view field, absl::string_view id) {
    std::string problem = IdProblem(id);
    if (problem.empty()) return false;
    reject(v1::DIAGNOSTIC_CODE_BAD_ID, field,
           absl::StrCat(field, " '", PrintableText(id), "' ", problem));
    return true;
  };
  if (!valid_provider && bad_id("provider_id", provider_id)) return false;
  if (!valid_indicator && bad_id("indicator_id", indicator_id)) return false;
  if (ParseCommonPeriod(period_text, period)) return true;
  absl::StatusOr<Period> parsed = ParsePeriod(period_text);
  if (!parsed.ok()) {
    reject(v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period",
           PrintableText(parsed.status().message()));
    return false;
  }
  *period = *parsed;
  return true;
}

}  // namespace

DatasetIndexer::DatasetIndexer() : impl_(std::make_unique<Impl>()) {}
DatasetIndexer::~DatasetIndexer() = default;

int DatasetIndexer::AddSource(absl::string_view name) {
  impl_->sources.emplace_back(name);
  return static_cast<int>(impl_->sources.size()) - 1;
}

void DatasetIndexer::AddProvider(const v1::Provider& provider, int source,
                                 int64_t row) {
  impl_->providers.push_back({provider, source, row});
}

void DatasetIndexer::AddIndicator(const v1::Indicator& indicator, int source,
                                  int64_t row) {
  impl_->indicators.push_back({indicator, source, row});
}

void DatasetIndexer::AddPlan(const PlanRow& in, int source, int64_t row) {
  Impl& impl = *impl_;
  ++impl.plans_read;
  const RowRejecter reject(&impl, source, row, in.provider_id, in.indicator_id,
                           in.period, "plan row");
  Period period;
  if (!CheckKey(in.provider_id, in.indicator_id, in.period, reject, &period)) {
    return;
  }
  if (!std::isfinite(in.value)) {
    return reject(
        v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value",
        absl::StrCat("plan value ", in.value, " is not a finite number"));
  }
  internal::PendingPlan p;
  p.value = in.value == 0 ? 0.0 : in.value;  // -0 and 0 are one plan value.
  p.row = row;
  p.provider = impl.plan_provider_ids.Intern(in.provider_id);
  p.indicator = impl.plan_indicator_ids.Intern(in.indicator_id);
  p.period = period;
  p.source = source;
  impl.plans.push_back(p);
}

void DatasetIndexer::AddPlan(const v1::PlanValue& plan, int source,
                             int64_t row) {
  PlanRow in;
  in.provider_id = plan.provider_id();
  in.indicator_id = plan.indicator_id();
  in.period = plan.period();
  in.value = plan.value();
  AddPlan(in, source, row);
}

void DatasetIndexer::AddUnreadableObservation(v1::Diagnostic diagnostic) {
  ++impl_->observations_read;
  impl_->diagnostics.push_back(std::move(diagnostic));
}

void DatasetIndexer::AddUnreadablePlan(v1::Diagnostic diagnostic) {
  ++impl_->plans_read;
  impl_->diagnostics.push_back(std::move(diagnostic));
}

void DatasetIndexer::AddDiagnostic(v1::Diagnostic diagnostic) {
  impl_->diagnostics.push_back(std::move(diagnostic));
}

void DatasetIndexer::AddObservation(const ObservationRow& in, int source,
                                    int64_t row) {
  Impl& impl = *impl_;
  ++impl.observations_read;
  const RowRejecter reject(&impl, source, row, in.provider_id, in.indicator_id,
                           in.period, "row");
  // Rows of one provider and indicator usually come together: an id equal
  // to the last row's was checked and interned then.
  internal::LastId& last_provider = impl.last_provider;
  internal::LastId& last_indicator = impl.last_indicator;
  const bool same_provider =
      last_provider.key >= 0 && SameId(in.provider_id, last_provider.id);
  const bool same_indicator =
      last_indicator.key >= 0 && SameId(in.indicator_id, last_indicator.id);
  Period period;
  // Ids equal to the last row's were checked then: only the period is read
  // (CheckKey says why one does not parse).
  if (!(same_provider && same_indicator &&
        ParseCommonPeriod(in.period, &period)) &&
      !CheckKey(in.provider_id, in.indicator_id, in.period, reject, &period,
                same_provider, same_indicator)) {
    return;
  }
  if (!v1::ObservationStatus_IsValid(in.status)) {
    return reject(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "status",
                  absl::StrCat("status ", static_cast<int>(in.status),
                               " is not a known observation status"));
  }
  const bool usable = IsUsableStatus(in.status);
  if (usable) {
    if (in.has_value && !std::isfinite(in.value)) {
      return reject(
          v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value",
          absl::StrCat("value ", in.value, " is not a finite number"));
    }
    if (in.has_numerator && !std::isfinite(in.numerator)) {
      return reject(
          v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "numerator",
          absl::StrCat("numerator ", in.numerator, " is not a finite number"));
    }
    if (in.has_denominator && !(std::isfinite(in.denominator))) {
      return reject(v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "denominator",
                    absl::StrCat("denominator ", in.denominator,
                                 " is not a finite number"));
    }
    if (in.has_denominator && in.denominator <= 0) {
      return reject(
          v1::DIAGNOSTIC_CODE_BAD_DENOMINATOR, "denominator",
          absl::StrCat("denominator ", in.denominator, " is not above zero"));
    }
    if (in.has_denominator && !in.has_numerator) {
      return reject(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "numerator",
                    "a denominator is given without a numerator");
    }
    if (in.has_numerator && !in.has_denominator && !in.has_value) {
      return reject(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "denominator",
                    "a numerator is given without a denominator or a value");
    }
    if (!in.has_value && !in.has_denominator) {
      return reject(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "value",
                    "no value and no numerator/denominator");
    }
  }
  PendingRow p;
  if (!same_provider) {
    last_provider.key = impl.InternProvider(in.provider_id);
    last_provider.id.assign(in.provider_id.data(), in.provider_id.size());
  }
  if (!same_indicator) {
    last_indicator.key = impl.InternIndicator(in.indicator_id);
    last_indicator.id.assign(in.indicator_id.data(), in.indicator_id.size());
  }
  const uint64_t row_bits = static_cast<uint64_t>(row);
  const internal::RowKey key{last_provider.key, last_indicator.key, source,
                             static_cast<uint32_t>(row_bits >> 32)};
  if (impl.last_row_key < 0 || !same_provider || !same_indicator ||
      impl.row_keys[impl.last_row_key].source != source ||
      impl.row_keys[impl.last_row_key].row_high != key.row_high) {
    impl.last_row_key = impl.InternRowKey(key);
  }
  p.key = impl.last_row_key;
  ++impl.row_key_frequencies[p.key][static_cast<int>(period.frequency)];
  p.row_low = static_cast<uint32_t>(row_bits);
  p.period_index = period.index;
  p.frequency = period.frequency;
  p.status = static_cast<uint8_t>(
      IsUsableStatus(in.status) ? v1::OBSERVATION_STATUS_OK : in.status);
  p.has_value = in.has_value;
  p.value = in.has_value ? in.value : 0;
  p.has_ratio = usable && in.has_denominator;
  p.numerator = in.has_numerator ? in.numerator
                                 : std::numeric_limits<double>::quiet_NaN();
  p.denominator = in.has_denominator ? in.denominator
                                     : std::numeric_limits<double>::quiet_NaN();
  impl.rows.push_back(p);
}

void DatasetIndexer::AddDataset(const v1::Dataset& dataset,
                                absl::string_view source) {
  const auto name = [&](absl::string_view list) {
    return source.empty() ? std::string(list) : absl::StrCat(source, " ", list);
  };
  const int providers = AddSource(name("providers"));
  for (int i = 0; i < dataset.providers_size(); ++i) {
    AddProvider(dataset.providers(i), providers, i + 1);
  }
  const int indicators = AddSource(name("indicators"));
  for (int i = 0; i < dataset.indicators_size(); ++i) {
    AddIndicator(dataset.indicators(i), indicators, i + 1);
  }
  const int observations = AddSource(name("observations"));
  for (int i = 0; i < dataset.observations_size(); ++i) {
    const v1::Observation& o = dataset.observations(i);
    AddObservation(ObservationRow::Of(o), observations, i + 1);
  }
  const int plans = AddSource(name("plans"));
  for (int i = 0; i < dataset.plans_size(); ++i) {
    AddPlan(dataset.plans(i), plans, i + 1);
  }
}

absl::StatusOr<SeriesStore> DatasetIndexer::Build(
    const IndexLimits& limits) && {
  // The rows are freed here, not with the indexer: the caller may keep the
  // spent indexer alive while it evaluates the store.
  std::unique_ptr<Impl> spent = std::exchange(impl_, std::make_unique<Impl>());
  spent->limits = limits;
  SeriesStore store;
  internal::BuildStore(spent.get(), &store);
  if (!spent->failure.ok()) return spent->failure;
  return store;
}

SeriesStore DatasetIndexer::Build() && {
  // With no limits nothing can fail.
  return *std::move(*this).Build(IndexLimits::None());
}

SeriesStore IndexDataset(const v1::Dataset& dataset) {
  DatasetIndexer indexer;
  indexer.AddDataset(dataset);
  return std::move(indexer).Build();
}

absl::StatusOr<SeriesStore> IndexDataset(const v1::Dataset& dataset,
                                         const IndexLimits& limits) {
  DatasetIndexer indexer;
  indexer.AddDataset(dataset);
  return std::move(indexer).Build(limits);
}

namespace internal {

void PendingRows::Grow() {
  // From one huge page, doubling: 52,428 rows, then 104,857, ...
  const size_t bytes = bytes_ == 0 ? kHugePageBytes : 2 * bytes_;
  void* grown = rows_ == nullptr ? MapHugePages(bytes)
                                 : RemapHugePages(rows_, bytes_, bytes);
  if (grown == nullptr) throw std::bad_alloc();
  rows_ = static_cast<PendingRow*>(grown);
  bytes_ = bytes;
  capacity_ = bytes / sizeof(PendingRow);
}

}  // namespace internal
}  // namespace vigil
