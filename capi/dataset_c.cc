// Datasets: providers, indicators, observations and plans without protobuf.
#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi_internal.h"
#include "vigil/io.h"
#include "vigil/names.h"

using vigil_capi::Guard;
using vigil_capi::Invalid;
using vigil_capi::OrEmpty;

namespace vigil_capi {
namespace {

absl::Status FailedEarlier(const vigil_dataset* dataset) {
  return absl::FailedPreconditionError(
      absl::StrCat("the dataset could not be indexed (", dataset->build_failure,
                   "); its rows are gone: create a new dataset"));
}

}  // namespace

absl::Status WithProtobufLog(absl::Status status,
                             const std::vector<std::string>& lines) {
  std::string text = absl::StrCat("libprotobuf reported: ", lines.front());
  if (lines.size() > 1) {
    absl::StrAppend(&text, " (and ", lines.size() - 1, " more)");
  }
  if (status.ok()) return absl::InternalError(text);
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), "; ", text));
}

absl::Status BuildOnce(vigil_dataset* dataset) {
  std::lock_guard<std::mutex> lock(dataset->build_mutex);
  if (dataset->store.has_value()) return absl::OkStatus();
  if (!dataset->build_failure.empty()) return FailedEarlier(dataset);
  try {
    absl::StatusOr<vigil::SeriesStore> store =
        std::move(dataset->indexer).Build(dataset->limits);
    if (!store.ok()) {
      dataset->build_failure = std::string(store.status().message());
      return store.status();
    }
    dataset->store.emplace(*std::move(store));
  } catch (const std::bad_alloc&) {
    dataset->build_failure = "out of memory while indexing";
    return absl::ResourceExhaustedError(dataset->build_failure);
  } catch (const std::exception& e) {
    dataset->build_failure = e.what();
    return absl::InternalError(dataset->build_failure);
  }
  return absl::OkStatus();
}

absl::Status Writable(vigil_dataset* dataset) {
  std::lock_guard<std::mutex> lock(dataset->build_mutex);
  if (!dataset->build_failure.empty()) return FailedEarlier(dataset);
  if (dataset->store.has_value()) {
    return absl::FailedPreconditionError(
        "the dataset has been evaluated; its rows can no longer change "
        "(create a new dataset)");
  }
  return absl::OkStatus();
}

}  // namespace vigil_capi

using vigil_capi::Writable;

namespace {

// Parses an optional enum argument ("" or NULL = unspecified).
absl::Status EnumArgument(const google::protobuf::EnumDescriptor* type,
                          const char* argument, const char* text, int* value) {
  *value = 0;
  if (text == nullptr || *text == '\0') return absl::OkStatus();
  if (vigil::ParseEnumShortName(type, text, value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(argument, ": '", text, "' is not one of ",
                   vigil::EnumShortNameChoices(type)));
}

int ApiSource(vigil_dataset* dataset) {
  if (dataset->api_source < 0) {
    dataset->api_source = dataset->indexer.AddSource("observations");
  }
  return dataset->api_source;
}

// `row` 0: the next row number (rows added so far + 1).
void AddRow(vigil_dataset* dataset, const char* provider, const char* indicator,
            const char* period, double value, double numerator,
            double denominator, int64_t row_number = 0) {
  vigil::ObservationRow row;
  row.provider_id = provider;
  row.indicator_id = indicator;
  row.period = period;
  row.has_value = !std::isnan(value);
  row.value = value;
  row.has_numerator = !std::isnan(numerator);
  row.numerator = numerator;
  row.has_denominator = !std::isnan(denominator);
  row.denominator = denominator;
  if (row_number == 0) row_number = dataset->api_rows + 1;
  dataset->api_rows = std::max(dataset->api_rows, row_number);
  dataset->indexer.AddObservation(row, ApiSource(dataset), row_number);
}

void AddPlanRow(vigil_dataset* dataset, const char* provider,
                const char* indicator, const char* period, double value,
                int64_t row_number = 0) {
  if (dataset->plan_source < 0) {
    dataset->plan_source = dataset->indexer.AddSource("plans");
  }
  vigil::PlanRow row;
  row.provider_id = provider;
  row.indicator_id = indicator;
  row.period = period;
  row.value = value;
  if (row_number == 0) row_number = dataset->plan_rows + 1;
  dataset->plan_rows = std::max(dataset->plan_rows, row_number);
  dataset->indexer.AddPlan(row, dataset->plan_source, row_number);
}

// Notes the sources a table of `kind` read from `source` reports under.
void NoteTableSource(vigil_dataset* dataset, int kind,
                     const std::string& source) {
  if (kind == VIGIL_KIND_PROVIDERS || kind == VIGIL_KIND_INDICATORS) {
    dataset->table_sources.push_back(source);
  }
  // A whole vigil.v1.Dataset (any kind) reports its tables as
  // "<source> providers" and "<source> indicators".
  dataset->table_sources.push_back(absl::StrCat(source, " providers"));
  dataset->table_sources.push_back(absl::StrCat(source, " indicators"));
}

absl::Status ValidKind(int kind) {
  if (kind >= VIGIL_KIND_OBSERVATIONS && kind <= VIGIL_KIND_PLANS) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "kind must be VIGIL_KIND_OBSERVATIONS, _PROVIDERS, _INDICATORS or "
      "_PLANS");
}

constexpr double kNone = __builtin_nan("");

// The dataset takes rows and every entry of the key arrays is set; checked
// before any row is added.
absl::Status CanAddArrays(vigil_dataset* dataset, size_t count,
                          const char* const* provider_ids,
                          const char* const* indicator_ids,
                          const char* const* periods) {
  if (absl::Status s = Writable(dataset); !s.ok()) return s;
  for (size_t i = 0; i < count; ++i) {
    if (provider_ids[i] == nullptr || indicator_ids[i] == nullptr ||
        periods[i] == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("row ", i,
                       ": provider_ids, indicator_ids and periods entries "
                       "must not be NULL (no row was added)"));
    }
  }
  return absl::OkStatus();
}

// Every row number is 1 or more; checked before any row is added.
absl::Status CanNumberRows(size_t count, const int64_t* rows) {
  if (count > 0 && rows == nullptr) {
    return absl::InvalidArgumentError("rows must not be NULL");
  }
  for (size_t i = 0; i < count; ++i) {
    if (rows[i] < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("rows[", i, "]: ", rows[i],
                       " is not a row number (1 or more; no row was added)"));
    }
  }
  return absl::OkStatus();
}

// Observation rows from parallel arrays (`rows`: their numbers, or null to
// count on), all checked before any is added.
int AddObservationArrays(vigil_dataset* dataset, size_t count,
                         const int64_t* rows, bool numbered,
                         const char* const* provider_ids,
                         const char* const* indicator_ids,
                         const char* const* periods, const double* values,
                         const double* numerators, const double* denominators,
                         char** error_message) {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (count > 0 && (provider_ids == nullptr || indicator_ids == nullptr ||
                    periods == nullptr)) {
    return Invalid("provider_ids, indicator_ids and periods must not be NULL",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (numbered) {
      if (absl::Status s = CanNumberRows(count, rows); !s.ok()) return s;
    }
    if (absl::Status s =
            CanAddArrays(dataset, count, provider_ids, indicator_ids, periods);
        !s.ok()) {
      return s;
    }
    for (size_t i = 0; i < count; ++i) {
      AddRow(dataset, provider_ids[i], indicator_ids[i], periods[i],
             values != nullptr ? values[i] : kNone,
             numerators != nullptr ? numerators[i] : kNone,
             denominators != nullptr ? denominators[i] : kNone,
             numbered ? rows[i] : 0);
    }
    return absl::OkStatus();
  });
}

// Plan rows from parallel arrays, as AddObservationArrays.
int AddPlanArrays(vigil_dataset* dataset, size_t count, const int64_t* rows,
                  bool numbered, const char* const* provider_ids,
                  const char* const* indicator_ids, const char* const* periods,
                  const double* values, char** error_message) {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (count > 0 && (provider_ids == nullptr || indicator_ids == nullptr ||
                    periods == nullptr || values == nullptr)) {
    return Invalid(
        "provider_ids, indicator_ids, periods and values must not be NULL",
        error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (numbered) {
      if (absl::Status s = CanNumberRows(count, rows); !s.ok()) return s;
    }
    if (absl::Status s =
            CanAddArrays(dataset, count, provider_ids, indicator_ids, periods);
        !s.ok()) {
      return s;
    }
    for (size_t i = 0; i < count; ++i) {
      AddPlanRow(dataset, provider_ids[i], indicator_ids[i], periods[i],
                 values[i], numbered ? rows[i] : 0);
    }
    return absl::OkStatus();
  });
}

}  // namespace

extern "C" {

VIGIL_EXPORT int vigil_dataset_create(vigil_dataset** out) noexcept {
  if (out == nullptr) return VIGIL_INVALID_ARGUMENT;
  *out = nullptr;
  return Guard(nullptr, [&]() -> absl::Status {
    *out = new vigil_dataset;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT void vigil_dataset_destroy(vigil_dataset* dataset) noexcept {
  delete dataset;
}

VIGIL_EXPORT int vigil_dataset_set_limits(vigil_dataset* dataset,
                                          int64_t max_periods_per_series,
                                          int64_t max_stored_periods,
                                          char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (max_periods_per_series < 0) {
    return Invalid("max_periods_per_series: must be >= 0 (0 = the default)",
                   error_message);
  }
  if (max_stored_periods < 0) {
    return Invalid("max_stored_periods: must be >= 0 (0 = the default)",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    const vigil::IndexLimits defaults;
    dataset->limits.max_periods_per_series =
        max_periods_per_series == 0 ? defaults.max_periods_per_series
                                    : max_periods_per_series;
    dataset->limits.max_stored_periods = max_stored_periods == 0
                                             ? defaults.max_stored_periods
                                             : max_stored_periods;
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_dataset_add_provider(vigil_dataset* dataset,
                                            const char* id, const char* name,
                                            const char* type,
                                            char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (id == nullptr) return Invalid("id is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    int type_value = 0;
    if (absl::Status s = EnumArgument(vigil::v1::ProviderType_descriptor(),
                                      "type", type, &type_value);
        !s.ok()) {
      return s;
    }
    vigil::v1::Provider p;
    p.set_id(id);
    p.set_name(OrEmpty(name));
    p.set_type(static_cast<vigil::v1::ProviderType>(type_value));
    if (dataset->provider_source < 0) {
      dataset->provider_source = dataset->indexer.AddSource("providers");
      dataset->table_sources.push_back("providers");
    }
    dataset->indexer.AddProvider(p, dataset->provider_source,
                                 ++dataset->api_providers);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_dataset_add_indicator(
    vigil_dataset* dataset, const char* id, const char* name,
    const char* domain, const char* unit, const char* polarity,
    const char* frequency, double rate_multiplier,
    char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (id == nullptr) return Invalid("id is NULL", error_message);
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    int d = 0, u = 0, p = 0, f = 0;
    for (absl::Status s :
         {EnumArgument(vigil::v1::Domain_descriptor(), "domain", domain, &d),
          EnumArgument(vigil::v1::Unit_descriptor(), "unit", unit, &u),
          EnumArgument(vigil::v1::Polarity_descriptor(), "polarity", polarity,
                       &p),
          EnumArgument(vigil::v1::Frequency_descriptor(), "frequency",
                       frequency, &f)}) {
      if (!s.ok()) return s;
    }
    if (!std::isfinite(rate_multiplier) || rate_multiplier < 0) {
      return absl::InvalidArgumentError(
          "rate_multiplier: must be a finite number >= 0");
    }
    vigil::v1::Indicator ind;
    ind.set_id(id);
    ind.set_name(OrEmpty(name));
    ind.set_domain(static_cast<vigil::v1::Domain>(d));
    ind.set_unit(static_cast<vigil::v1::Unit>(u));
    ind.set_polarity(static_cast<vigil::v1::Polarity>(p));
    ind.set_frequency(static_cast<vigil::v1::Frequency>(f));
    ind.set_rate_multiplier(rate_multiplier);
    if (dataset->indicator_source < 0) {
      dataset->indicator_source = dataset->indexer.AddSource("indicators");
      dataset->table_sources.push_back("indicators");
    }
    dataset->indexer.AddIndicator(ind, dataset->indicator_source,
                                  ++dataset->api_indicators);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_dataset_add_observation(
    vigil_dataset* dataset, const char* provider_id, const char* indicator_id,
    const char* period, double value, double numerator, double denominator,
    char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (provider_id == nullptr || indicator_id == nullptr || period == nullptr) {
    return Invalid("provider_id, indicator_id and period must not be NULL",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    AddRow(dataset, provider_id, indicator_id, period, value, numerator,
           denominator);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_dataset_add_observations(
    vigil_dataset* dataset, size_t count, const char* const* provider_ids,
    const char* const* indicator_ids, const char* const* periods,
    const double* values, const double* numerators, const double* denominators,
    char** error_message) noexcept {
  return AddObservationArrays(dataset, count, nullptr, false, provider_ids,
                              indicator_ids, periods, values, numerators,
                              denominators, error_message);
}

VIGIL_EXPORT int vigil_dataset_add_observations_at(
    vigil_dataset* dataset, size_t count, const int64_t* rows,
    const char* const* provider_ids, const char* const* indicator_ids,
    const char* const* periods, const double* values, const double* numerators,
    const double* denominators, char** error_message) noexcept {
  return AddObservationArrays(dataset, count, rows, true, provider_ids,
                              indicator_ids, periods, values, numerators,
                              denominators, error_message);
}

VIGIL_EXPORT int vigil_dataset_add_plans(vigil_dataset* dataset, size_t count,
                                         const char* const* provider_ids,
                                         const char* const* indicator_ids,
                                         const char* const* periods,
                                         const double* values,
                                         char** error_message) noexcept {
  return AddPlanArrays(dataset, count, nullptr, false, provider_ids,
                       indicator_ids, periods, values, error_message);
}

VIGIL_EXPORT int vigil_dataset_add_plans_at(vigil_dataset* dataset,
                                            size_t count, const int64_t* rows,
                                            const char* const* provider_ids,
                                            const char* const* indicator_ids,
                                            const char* const* periods,
                                            const double* values,
                                            char** error_message) noexcept {
  return AddPlanArrays(dataset, count, rows, true, provider_ids, indicator_ids,
                       periods, values, error_message);
}

VIGIL_EXPORT int vigil_dataset_add_plan(vigil_dataset* dataset,
                                        const char* provider_id,
                                        const char* indicator_id,
                                        const char* period, double value,
                                        char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (provider_id == nullptr || indicator_id == nullptr || period == nullptr) {
    return Invalid("provider_id, indicator_id and period must not be NULL",
                   error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    AddPlanRow(dataset, provider_id, indicator_id, period, value);
    return absl::OkStatus();
  });
}

VIGIL_EXPORT int vigil_dataset_add_bytes(vigil_dataset* dataset,
                                         const void* bytes, size_t length,
                                         int format, int kind,
                                         const char* source_name,
                                         char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (bytes == nullptr && length > 0) {
    return Invalid("bytes is NULL", error_message);
  }
  if (format < VIGIL_FORMAT_BINARY || format > VIGIL_FORMAT_CSV) {
    return Invalid("format must be VIGIL_FORMAT_BINARY, _JSON, _TEXT or _CSV",
                   error_message);
  }
  if (absl::Status s = ValidKind(kind); !s.ok()) {
    return vigil_capi::Report(s, error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    const std::string source =
        source_name != nullptr && *source_name != '\0' ? source_name : "data";
    NoteTableSource(dataset, kind, source);
    return vigil::AddDataBytes(
        absl::string_view(static_cast<const char*>(bytes), length),
        static_cast<vigil::Format>(format), static_cast<vigil::DataKind>(kind),
        source, &dataset->indexer);
  });
}

VIGIL_EXPORT int vigil_dataset_add_file(vigil_dataset* dataset,
                                        const char* path, int kind,
                                        char** error_message) noexcept {
  if (dataset == nullptr) return Invalid("dataset is NULL", error_message);
  if (path == nullptr) return Invalid("path is NULL", error_message);
  if (absl::Status s = ValidKind(kind); !s.ok()) {
    return vigil_capi::Report(s, error_message);
  }
  return Guard(error_message, [&]() -> absl::Status {
    if (absl::Status s = Writable(dataset); !s.ok()) return s;
    const std::string name(path);
    const size_t slash = name.find_last_of('/');
    NoteTableSource(dataset, kind,
                    slash == std::string::npos ? name : name.substr(slash + 1));
    return vigil::AddDataFile(path, static_cast<vigil::DataKind>(kind),
                              &dataset->indexer);
  });
}

}  // extern "C"
