// The invariants of store_checks.h.
#include "tests/fuzz/store_checks.h"

#include <cmath>

#include "tests/fuzz/fuzz_input.h"

namespace vigil {
namespace fuzz {

void CheckStore(const SeriesStore& store) {
  FUZZ_CHECK(store.observations_used() >= 0);
  FUZZ_CHECK(store.observations_used() <= store.observations_read());
  FUZZ_CHECK(store.observations_used() + store.observations_rejected() ==
             store.observations_read());
  FUZZ_CHECK(store.plans_used() >= 0);
  FUZZ_CHECK(store.plans_used() <= store.plans_read());
  const int providers = static_cast<int>(store.providers().size());
  const int indicators = static_cast<int>(store.indicators().size());
  for (int i = 0; i < store.num_series(); ++i) {
    SeriesView s = store.series(i);
    FUZZ_CHECK(s.provider >= 0 && s.provider < providers);
    FUZZ_CHECK(s.indicator >= 0 && s.indicator < indicators);
    FUZZ_CHECK(store.FindSeries(s.provider, s.indicator) == i);
  }
  int64_t planned = 0;
  for (int i = 0; i < store.num_plans(); ++i) {
    PlanView p = store.plan(i);
    FUZZ_CHECK(p.provider >= 0 && p.provider < providers);
    FUZZ_CHECK(p.indicator >= 0 && p.indicator < indicators);
    for (double v : p.values) planned += std::isnan(v) ? 0 : 1;
  }
  FUZZ_CHECK(planned == store.plans_used());
  for (const v1::Diagnostic& d : store.diagnostics()) {
    FUZZ_CHECK(!d.message().empty());
  }
}

int64_t StoredPeriods(const SeriesStore& store) {
  int64_t periods = 0;
  for (int i = 0; i < store.num_series(); ++i)
    periods += store.series(i).size();
  for (int i = 0; i < store.num_plans(); ++i) periods += store.plan(i).size();
  return periods;
}

void CheckReport(const v1::Report& report) {
  for (const v1::Assessment& a : report.assessments()) {
    FUZZ_CHECK(a.rating() != v1::RATING_UNSPECIFIED);
    FUZZ_CHECK(!a.reason().empty());
  }
}

}  // namespace fuzz
}  // namespace vigil
