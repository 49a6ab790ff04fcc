// Indexing: every row is either a value in a series or a diagnostic that
// names its row and reason.
#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

using testing::ParseText;

v1::Dataset BaseDataset() {
  return ParseText<v1::Dataset>(R"pb(
    providers { id: "RRK" name: "Birmingham" type: PROVIDER_TYPE_ACUTE }
    providers { id: "RXQ" name: "Bucks" }
    indicators {
      id: "AE"
      name: "A&E 4-hour"
      unit: UNIT_PERCENTAGE
      polarity: POLARITY_HIGHER_IS_BETTER
      frequency: FREQUENCY_MONTHLY
    }
    indicators { id: "CNT" unit: UNIT_COUNT polarity: POLARITY_ZERO_TOLERANCE }
  )pb");
}

v1::Observation Obs(const std::string& provider, const std::string& indicator,
                    const std::string& period, double value) {
  v1::Observation o;
  o.set_provider_id(provider);
  o.set_indicator_id(indicator);
  o.set_period(period);
  o.set_value(value);
  return o;
}

// The diagnostics with `code`.
std::vector<v1::Diagnostic> WithCode(const SeriesStore& store,
                                     v1::DiagnosticCode code) {
  std::vector<v1::Diagnostic> out;
  for (const v1::Diagnostic& d : store.diagnostics()) {
    if (d.code() == code) out.push_back(d);
  }
  return out;
}

TEST(DatasetIndexerTest, BuildsDenseSeriesWithGapsNotZeros) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "CNT", "2019-01", 1);
  *d.add_observations() = Obs("RRK", "CNT", "2019-03", 2);
  SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.num_series(), 1);
  SeriesView s = store.series(0);
  ASSERT_EQ(s.size(), 3);
  EXPECT_EQ(s.values[0], 1);
  EXPECT_TRUE(std::isnan(s.values[1]));
  EXPECT_EQ(s.status[1], PointStatus::kMissing);
  EXPECT_EQ(s.values[2], 2);
  EXPECT_EQ(FormatPeriod(store.latest_period()), "2019-03");
  EXPECT_EQ(store.observations_used(), 2);
  EXPECT_TRUE(store.diagnostics().empty());
}

TEST(DatasetIndexerTest, ComputesValueFromNumeratorAndDenominator) {
  v1::Dataset d = BaseDataset();
  v1::Observation* o = d.add_observations();
  o->set_provider_id("RRK");
  o->set_indicator_id("AE");
  o->set_period("2019-03");
  o->set_numerator(7849);
  o->set_denominator(9044);
  SeriesStore store = IndexDataset(d);
  SeriesView s = store.series(0);
  EXPECT_NEAR(s.values[0], 100.0 * 7849 / 9044, 1e-12);
  EXPECT_EQ(s.denominators[0], 9044);
  EXPECT_TRUE(s.has_denominators);
}

TEST(DatasetIndexerTest, ConflictingDuplicatesAreAllRejectedAndNamed) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "CNT", "2019-03", 1);
  *d.add_observations() = Obs("RRK", "CNT", "2019-03", 2);
  SeriesStore store = IndexDataset(d);
  auto dups = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
  EXPECT_EQ(dups[0].row(), 1);
  EXPECT_EQ(dups[0].other_rows(0), 2);
  EXPECT_NE(dups[0].message().find("conflict"), std::string::npos);
  EXPECT_EQ(store.series(0).status[0], PointStatus::kRejected);
  EXPECT_EQ(store.observations_used(), 0);
}

TEST(DatasetIndexerTest, IdenticalDuplicatesAreUsedOnceWithAWarning) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "CNT", "2019-03", 1);
  *d.add_observations() = Obs("RRK", "CNT", "2019-03", 1);
  SeriesStore store = IndexDataset(d);
  auto dups = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity(), v1::DIAGNOSTIC_SEVERITY_WARNING);
  EXPECT_EQ(store.series(0).values[0], 1);
  EXPECT_EQ(store.observations_used(), 1);
}

TEST(DatasetIndexerTest, UnknownProviderAndIndicatorAreReportedByRow) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("NOPE", "CNT", "2019-03", 1);
  *d.add_observations() = Obs("RRK", "NOPE", "2019-03", 1);
  SeriesStore store = IndexDataset(d);
  auto p = WithCode(store, v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER);
  auto i = WithCode(store, v1::DIAGNOSTIC_CODE_UNKNOWN_INDICATOR);
  ASSERT_EQ(p.size(), 1u);
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(p[0].row(), 1);
  EXPECT_EQ(p[0].field(), "provider_id");
  EXPECT_NE(p[0].message().find("observations #1"), std::string::npos);
  EXPECT_NE(p[0].message().find("'NOPE'"), std::string::npos);
  EXPECT_EQ(i[0].row(), 2);
  EXPECT_EQ(store.num_series(), 0);
  EXPECT_EQ(store.observations_read(), 2);
  EXPECT_EQ(store.observations_rejected(), 2);
}

TEST(DatasetIndexerTest, EachBadRowGetsItsOwnReason) {
  struct Case {
    const char* row;
    v1::DiagnosticCode code;
    const char* field;
  } cases[] = {
      {"provider_id: 'RRK' indicator_id: 'CNT' period: '2019-13' value: 1",
       v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period"},
      {"provider_id: 'RRK' indicator_id: 'CNT' period: '2019-03' value: nan",
       v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value"},
      {"provider_id: 'RRK' indicator_id: 'CNT' period: '2019-03' value: inf",
       v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' numerator: 1 "
       "denominator: 0",
       v1::DIAGNOSTIC_CODE_BAD_DENOMINATOR, "denominator"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' numerator: 1 "
       "denominator: -5",
       v1::DIAGNOSTIC_CODE_BAD_DENOMINATOR, "denominator"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' denominator: 5",
       v1::DIAGNOSTIC_CODE_MISSING_FIELD, "numerator"},
      {"provider_id: 'RRK' indicator_id: 'CNT' period: '2019-03'",
       v1::DIAGNOSTIC_CODE_MISSING_FIELD, "value"},
      {"provider_id: '' indicator_id: 'CNT' period: '2019-03' value: 1",
       v1::DIAGNOSTIC_CODE_MISSING_FIELD, "provider_id"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-Q1' value: 1",
       v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period"},
  };
  for (const Case& c : cases) {
    v1::Dataset d = BaseDataset();
    *d.add_observations() = ParseText<v1::Observation>(c.row);
    SeriesStore store = IndexDataset(d);
    auto found = WithCode(store, c.code);
    ASSERT_EQ(found.size(), 1u) << c.row;
    EXPECT_EQ(found[0].field(), c.field) << c.row;
    EXPECT_EQ(found[0].row(), 1) << c.row;
    EXPECT_EQ(found[0].severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
    EXPECT_NE(found[0].message().find("not used"), std::string::npos);
    EXPECT_EQ(store.observations_used(), 0) << c.row;
  }
}

TEST(DatasetIndexerTest, MixedFrequenciesWithoutDeclarationKeepTheMajority) {
  v1::Dataset d = BaseDataset();  // CNT declares no frequency.
  *d.add_observations() = Obs("RRK", "CNT", "2019-01", 1);
  *d.add_observations() = Obs("RRK", "CNT", "2019-02", 1);
  *d.add_observations() = Obs("RRK", "CNT", "2019-Q1", 1);
  SeriesStore store = IndexDataset(d);
  EXPECT_EQ(store.indicator_frequency(store.FindIndicator("CNT")),
            Frequency::kMonthly);
  auto mixed = WithCode(store, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].row(), 3);
}

TEST(DatasetIndexerTest, ValueDisagreeingWithRatioIsAWarningAndRatioWins) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' value: 50 "
      "numerator: 90 denominator: 100");
  SeriesStore store = IndexDataset(d);
  auto w = WithCode(store, v1::DIAGNOSTIC_CODE_VALUE_MISMATCH);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].severity(), v1::DIAGNOSTIC_SEVERITY_WARNING);
  EXPECT_DOUBLE_EQ(store.series(0).values[0], 90);
}

TEST(DatasetIndexerTest, SuppressedAndNotSubmittedAreGapsWithStatus) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'RRK' indicator_id: 'CNT' period: '2019-01' "
      "status: OBSERVATION_STATUS_SUPPRESSED");
  *d.add_observations() = ParseText<v1::Observation>(
      "provider_id: 'RRK' indicator_id: 'CNT' period: '2019-02' "
      "status: OBSERVATION_STATUS_NOT_SUBMITTED");
  SeriesStore store = IndexDataset(d);
  SeriesView s = store.series(0);
  EXPECT_EQ(s.status[0], PointStatus::kSuppressed);
  EXPECT_EQ(s.status[1], PointStatus::kNotSubmitted);
  EXPECT_EQ(WithCode(store, v1::DIAGNOSTIC_CODE_NOT_USABLE).size(), 2u);
  EXPECT_EQ(store.observations_used(), 0);
}

TEST(DatasetIndexerTest, NoProvidersMeansProvidersFromTheRows) {
  v1::Dataset d = BaseDataset();
  d.clear_providers();
  *d.add_observations() = Obs("ZZZ", "CNT", "2019-03", 0);
  SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  EXPECT_EQ(store.providers()[0].name(), "ZZZ");
  EXPECT_EQ(WithCode(store, v1::DIAGNOSTIC_CODE_IMPLICIT_PROVIDERS).size(), 1u);
}

TEST(DatasetIndexerTest, DuplicateAndInvalidDefinitionsAreReported) {
  v1::Dataset d = BaseDataset();
  *d.add_providers() = ParseText<v1::Provider>("id: 'RRK' name: 'Other name'");
  *d.add_indicators() =
      ParseText<v1::Indicator>("id: 'BAD' rate_multiplier: -1");
  *d.add_indicators() = ParseText<v1::Indicator>("id: ''");
  SeriesStore store = IndexDataset(d);
  auto dup = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_DEFINITION);
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_NE(dup[0].message().find("they differ"), std::string::npos);
  EXPECT_EQ(WithCode(store, v1::DIAGNOSTIC_CODE_BAD_DEFINITION).size(), 2u);
  EXPECT_EQ(store.FindIndicator("BAD"), -1);
  EXPECT_EQ(store.providers().size(), 2u);
}

TEST(DatasetIndexerTest, RowOrderDoesNotChangeTheStore) {
  v1::Dataset d = BaseDataset();
  for (int m = 1; m <= 12; ++m) {
    const std::string period = absl::StrFormat("2019-%02d", m);
    *d.add_observations() = Obs("RRK", "CNT", period, m);
    *d.add_observations() = Obs("RXQ", "CNT", period, 2 * m);
  }
  SeriesStore a = IndexDataset(d);
  std::mt19937 rng(7);
  std::shuffle(d.mutable_observations()->begin(),
               d.mutable_observations()->end(), rng);
  std::shuffle(d.mutable_providers()->begin(), d.mutable_providers()->end(),
               rng);
  SeriesStore b = IndexDataset(d);
  ASSERT_EQ(a.num_series(), b.num_series());
  for (int i = 0; i < a.num_series(); ++i) {
    SeriesView x = a.series(i), y = b.series(i);
    EXPECT_EQ(x.provider, y.provider);
    EXPECT_EQ(x.first, y.first);
    EXPECT_EQ(std::vector<double>(x.values.begin(), x.values.end()),
              std::vector<double>(y.values.begin(), y.values.end()));
  }
}

TEST(DatasetIndexerTest, CsvRowsAreNamedByFileAndLine) {
  DatasetIndexer indexer;
  ASSERT_TRUE(AddDataBytes("id,type\nRRK,acute\nRXQ,spaceship\n", Format::kCsv,
                           DataKind::kProviders, "providers.csv", &indexer)
                  .ok());
  ASSERT_TRUE(
      AddDataBytes(
          "id,unit,polarity,frequency\nCNT,count,zero_tolerance,monthly\n",
          Format::kCsv, DataKind::kIndicators, "indicators.csv", &indexer)
          .ok());
  ASSERT_TRUE(AddDataBytes("provider_id,indicator_id,period,value,extra\n"
                           "RRK,CNT,2019-03,1,x\n"
                           "RRK,CNT,2019-04,abc,x\n"
                           "RRK,CNT,2019-05\n"
                           "RRK,CNT,2019-06,2,x\n",
                           Format::kCsv, DataKind::kObservations,
                           "observations.csv", &indexer)
                  .ok());
  SeriesStore store = std::move(indexer).Build();
  std::vector<std::string> messages;
  for (const auto& d : store.diagnostics()) messages.push_back(d.message());
  ASSERT_EQ(messages.size(), 4u) << ::testing::PrintToString(messages);
  EXPECT_NE(messages[0].find("observations.csv line 1: column extra not used"),
            std::string::npos);
  EXPECT_NE(
      messages[1].find("observations.csv line 3: value 'abc' is not a number"),
      std::string::npos);
  EXPECT_NE(messages[2].find(
                "observations.csv line 4: 3 fields where the header has 5"),
            std::string::npos);
  EXPECT_NE(
      messages[3].find("providers.csv line 3: type 'spaceship' is not one of"),
      std::string::npos);
  EXPECT_EQ(store.observations_read(), 4);
  EXPECT_EQ(store.observations_used(), 2);
}

TEST(DatasetIndexerTest, CsvWithoutARequiredColumnIsAnErrorNamingIt) {
  DatasetIndexer indexer;
  absl::Status s =
      AddDataBytes("provider_id,indicator_id,value\n", Format::kCsv,
                   DataKind::kObservations, "obs.csv", &indexer);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("obs.csv line 1: no 'period' column"),
            std::string::npos);
}

TEST(DatasetIndexerTest, MalformedProtobufDataIsAnErrorNamingTheFile) {
  DatasetIndexer indexer;
  absl::Status s = AddDataBytes("{\"observations\": 5}", Format::kJson,
                                DataKind::kObservations, "data.json", &indexer);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("data.json"), std::string::npos);
}

}  // namespace
}  // namespace vigil
