// Fuzzes the CSV reader and the dataset indexer: CSV observations, plans,
// providers and indicators -> DatasetIndexer -> SeriesStore and its
// diagnostics. Checks that the reader always ends, that every row read is
// either used or rejected, and that the store's indices are in range.
//
// Input: byte 0 picks the kind of the first file (and whether the fixed
// providers and indicators below are added first); the rest is split at
// its first NUL byte into that file and a second one (plans when the first
// holds observations, else observations).
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/store_checks.h"
#include "vigil/csv_reader.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace vigil {
namespace fuzz {
namespace {

constexpr char kProviders[] =
    "id,name,type,tags\n"
    "R0A,Manchester,acute,trust;area:gm\n"
    "RRK,Birmingham,acute,trust\n"
    "00T,Bolton CCG,,ccg\n";
constexpr char kIndicators[] =
    "id,name,domain,unit,polarity,frequency,rate_multiplier,tags\n"
    "AE,A&E 4-hour,responsive,percentage,higher_is_better,monthly,,std\n"
    "CDI,C. difficile,safe,count,lower_is_better,monthly,,hcai\n"
    "Q,Quarterly,safe,rate,lower_is_better,quarterly,1000,\n"
    "D,Daily,caring,ratio,neutral,daily,,\n";

// Reads `text` record by record: the reader must end, and lines must not go
// backwards.
void ReadAll(absl::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::string error;
  int64_t line = 0;
  int64_t previous = 0;
  size_t records = 0;
  while (reader.Next(&fields, &line, &error)) {
    FUZZ_CHECK(line >= previous);
    FUZZ_CHECK(++records <= text.size() + 1);
    previous = line;
    double value;
    for (const std::string& field : fields) (void)ParseDecimal(field, &value);
    error.clear();
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace vigil

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vigil::fuzz::SilenceProtobufLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using vigil::DataKind;
  vigil::fuzz::FuzzInput in(data, size);
  const uint8_t mode = in.Byte();
  const DataKind first = static_cast<DataKind>(mode & 3);
  const bool definitions = (mode & 4) == 0;
  const absl::string_view rest = in.Rest();
  const size_t nul = rest.find('\0');
  const absl::string_view one = rest.substr(0, nul);
  const absl::string_view two = nul == absl::string_view::npos
                                    ? absl::string_view()
                                    : rest.substr(nul + 1);

  vigil::fuzz::ReadAll(one);
  vigil::DatasetIndexer indexer;
  if (definitions) {
    (void)vigil::AddDataBytes(vigil::fuzz::kProviders, vigil::Format::kCsv,
                              DataKind::kProviders, "providers.csv", &indexer);
    (void)vigil::AddDataBytes(vigil::fuzz::kIndicators, vigil::Format::kCsv,
                              DataKind::kIndicators, "indicators.csv",
                              &indexer);
  }
  (void)vigil::AddDataBytes(one, vigil::Format::kCsv, first, "one.csv",
                            &indexer);
  if (!two.empty()) {
    const DataKind second = first == DataKind::kObservations
                                ? DataKind::kPlans
                                : DataKind::kObservations;
    (void)vigil::AddDataBytes(two, vigil::Format::kCsv, second, "two.csv",
                              &indexer);
  }
  vigil::SeriesStore store = std::move(indexer).Build();
  vigil::fuzz::CheckStore(store);
  return 0;
}
