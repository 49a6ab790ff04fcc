// A small fixed dataset and rule pack the harnesses evaluate against: three
// providers, four indicators (monthly percentage and count, quarterly rate,
// daily ratio), 15 months of observations, plans, and a pack with every
// rule kind. Small, so that an evaluation takes microseconds.
#ifndef VIGIL_TESTS_FUZZ_FIXTURE_H_
#define VIGIL_TESTS_FUZZ_FIXTURE_H_

#include <string>

namespace vigil {
namespace fuzz {

// CSV files, in the formats of include/vigil/io.h.
const std::string& FixtureProvidersCsv();
const std::string& FixtureIndicatorsCsv();
const std::string& FixtureObservationsCsv();
const std::string& FixturePlansCsv();

// A vigil.v1.RuleSet in text format with every rule kind, for the
// indicators above.
const char* FixturePackText();

// As-of periods the harnesses choose from ("" = the latest).
inline constexpr const char* kAsOfChoices[] = {
    "", "2019-03", "2018-Q4", "2019-03-31", "2016-01", "2019", "bad",
};
inline constexpr int kAsOfCount = sizeof(kAsOfChoices) / sizeof(char*);

}  // namespace fuzz
}  // namespace vigil

#endif  // VIGIL_TESTS_FUZZ_FIXTURE_H_
