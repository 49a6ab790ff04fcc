// Fuzzes the protobuf dataset reader: a vigil.v1.Dataset in binary, JSON
// (also a bare JSON array of one kind) or text format -> DatasetIndexer ->
// SeriesStore and diagnostics, then an evaluation with the fixture's pack
// (every rule kind) when the store is small. Checks the indexer's
// accounting and that every assessment is rated and explained.
//
// Input: byte 0 picks the format, the kind a bare JSON array holds, and
// whether the fixture's providers and indicators are added first; byte 1
// the as-of period; the rest is the data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "tests/fuzz/core_fixture.h"
#include "tests/fuzz/fixture.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/store_checks.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace {

const vigil::Engine* engine = nullptr;

// Stores spanning more periods than this are not evaluated: a sparse daily
// series over centuries is stored densely (issue 14, limits), which is the
// other half of the issue, not a finding here.
constexpr int64_t kMaxEvaluatedPeriods = 20000;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vigil::fuzz::SilenceProtobufLogging();
  engine = vigil::fuzz::FixtureEngine().release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (engine == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  vigil::fuzz::FuzzInput in(data, size);
  const uint8_t mode = in.Byte();
  const vigil::Format formats[] = {vigil::Format::kBinary, vigil::Format::kJson,
                                   vigil::Format::kText};
  const vigil::Format format = formats[(mode & 3) % 3];
  const auto kind = static_cast<vigil::DataKind>((mode >> 2) & 3);
  const bool definitions = (mode & 16) != 0;
  const char* as_of =
      vigil::fuzz::kAsOfChoices[in.Pick(vigil::fuzz::kAsOfCount)];

  vigil::DatasetIndexer indexer;
  if (definitions) vigil::fuzz::AddFixture(/*data=*/false, &indexer);
  absl::Status added =
      vigil::AddDataBytes(in.Rest(), format, kind, "data", &indexer);
  FUZZ_CHECK(added.ok() || !added.message().empty());
  vigil::SeriesStore store = std::move(indexer).Build();
  vigil::fuzz::CheckStore(store);
  if (!added.ok() || store.num_series() == 0 ||
      vigil::fuzz::StoredPeriods(store) > kMaxEvaluatedPeriods) {
    return 0;
  }
  absl::StatusOr<vigil::v1::Report> report = engine->Evaluate(store, as_of);
  if (report.ok()) vigil::fuzz::CheckReport(*report);
  return 0;
}
