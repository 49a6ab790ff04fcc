// The fixture through the C++ API (core_fixture.h).
#include "tests/fuzz/core_fixture.h"

#include <utility>

#include "tests/fuzz/fixture.h"
#include "tests/fuzz/fuzz_input.h"
#include "vigil/io.h"

namespace vigil {
namespace fuzz {

void AddFixture(bool data, DatasetIndexer* indexer) {
  const Format csv = Format::kCsv;
  FUZZ_CHECK(AddDataBytes(FixtureProvidersCsv(), csv, DataKind::kProviders,
                          "providers.csv", indexer)
                 .ok());
  FUZZ_CHECK(AddDataBytes(FixtureIndicatorsCsv(), csv, DataKind::kIndicators,
                          "indicators.csv", indexer)
                 .ok());
  if (!data) return;
  FUZZ_CHECK(AddDataBytes(FixtureObservationsCsv(), csv,
                          DataKind::kObservations, "observations.csv", indexer)
                 .ok());
  FUZZ_CHECK(AddDataBytes(FixturePlansCsv(), csv, DataKind::kPlans, "plans.csv",
                          indexer)
                 .ok());
}

std::unique_ptr<Engine> FixtureEngine() {
  absl::StatusOr<v1::RuleSet> rules =
      ParseRuleSet(FixturePackText(), Format::kText);
  FUZZ_CHECK(rules.ok());
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(*rules);
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
  }
  FUZZ_CHECK(engine.ok());
  return *std::move(engine);
}

}  // namespace fuzz
}  // namespace vigil
