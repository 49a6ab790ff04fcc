// The fixture of fixture.h through the C++ API: added to an indexer, and
// the pack compiled.
#ifndef VIGIL_TESTS_FUZZ_CORE_FIXTURE_H_
#define VIGIL_TESTS_FUZZ_CORE_FIXTURE_H_

#include <memory>

#include "vigil/engine.h"
#include "vigil/series_store.h"

namespace vigil {
namespace fuzz {

// Adds the fixture's providers and indicators, and with `data` its
// observations and plans. Aborts if the fixture does not read.
void AddFixture(bool data, DatasetIndexer* indexer);

// The fixture's pack, compiled. Aborts if it does not compile.
std::unique_ptr<Engine> FixtureEngine();

}  // namespace fuzz
}  // namespace vigil

#endif  // VIGIL_TESTS_FUZZ_CORE_FIXTURE_H_
