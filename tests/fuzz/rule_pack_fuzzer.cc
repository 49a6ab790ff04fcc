// Fuzzes rule-pack parsing (text format, JSON, binary) and Engine::Create;
// a pack that compiles is evaluated on the small fixed dataset of
// fixture.h, and its report checked: every assessment rated and explained.
//
// Input: byte 0 picks the format, byte 1 the as-of period; the rest is the
// pack.
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

const vigil::SeriesStore* store = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vigil::fuzz::SilenceProtobufLogging();
  vigil::DatasetIndexer indexer;
  vigil::fuzz::AddFixture(/*data=*/true, &indexer);
  store = new vigil::SeriesStore(std::move(indexer).Build());
  // The fixture pack itself must compile and evaluate.
  FUZZ_CHECK(vigil::fuzz::FixtureEngine()->Evaluate(*store, "2019-03").ok());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (store == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  vigil::fuzz::FuzzInput in(data, size);
  const vigil::Format formats[] = {vigil::Format::kText, vigil::Format::kJson,
                                   vigil::Format::kBinary};
  const vigil::Format format = formats[in.Pick(3)];
  const char* as_of =
      vigil::fuzz::kAsOfChoices[in.Pick(vigil::fuzz::kAsOfCount)];
  absl::StatusOr<vigil::v1::RuleSet> rules =
      vigil::ParseRuleSet(in.Rest(), format);
  if (!rules.ok()) {
    FUZZ_CHECK(!rules.status().message().empty());
    return 0;
  }
  absl::StatusOr<std::unique_ptr<vigil::Engine>> engine =
      vigil::Engine::Create(*rules);
  if (!engine.ok()) {
    FUZZ_CHECK(!engine.status().message().empty());
    return 0;
  }
  absl::StatusOr<vigil::v1::Report> report = (*engine)->Evaluate(*store, as_of);
  if (report.ok()) vigil::fuzz::CheckReport(*report);
  return 0;
}
