// Invariants the harnesses check on what the indexer and the engine return.
#ifndef VIGIL_TESTS_FUZZ_STORE_CHECKS_H_
#define VIGIL_TESTS_FUZZ_STORE_CHECKS_H_

#include <cstdint>

#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace fuzz {

// Every row read is used or rejected; series and plans index providers and
// indicators in range; every plan value counted; every diagnostic has a
// message. Aborts otherwise.
void CheckStore(const SeriesStore& store);

// The number of periods the store's series and plans span in all: the
// harnesses evaluate only stores below a bound (a sparse series over
// centuries is stored densely; that is a known limit, issue 14).
int64_t StoredPeriods(const SeriesStore& store);

// Every assessment has a rating and a reason. Aborts otherwise.
void CheckReport(const v1::Report& report);

}  // namespace fuzz
}  // namespace vigil

#endif  // VIGIL_TESTS_FUZZ_STORE_CHECKS_H_
