// Indexing: every row is either a value in a series or a diagnostic that
// names its row and reason.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/csv_reader.h"
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

// Ids that differ in one byte only (first, middle or last), of every length
// from 1 to 20, arriving in turns: each row lands in its own provider's and
// indicator's series (a row is compared with the ids of the row before it).
TEST(DatasetIndexerTest, IdsDifferingInOneByteAreNeverTakenForTheLast) {
  for (size_t length = 1; length <= 20; ++length) {
    for (size_t at : {size_t{0}, length / 2, length - 1}) {
      v1::Dataset d;
      const std::string a(length, 'A');
      std::string b = a;
      b[at] = 'B';
      for (const std::string* id : {&a, static_cast<const std::string*>(&b)}) {
        d.add_providers()->set_id(*id);
        v1::Indicator* indicator = d.add_indicators();
        indicator->set_id(*id);
        indicator->set_unit(v1::UNIT_COUNT);
        indicator->set_frequency(v1::FREQUENCY_MONTHLY);
      }
      // a/a, b/a, a/b, b/b: provider and indicator each change and stay.
      *d.add_observations() = Obs(a, a, "2019-01", 1);
      *d.add_observations() = Obs(b, a, "2019-01", 2);
      *d.add_observations() = Obs(b, b, "2019-01", 3);
      *d.add_observations() = Obs(a, b, "2019-01", 4);
      *d.add_observations() = Obs(a, a, "2019-02", 5);
      SeriesStore store = IndexDataset(d);
      ASSERT_TRUE(store.diagnostics().empty()) << length << " " << at;
      ASSERT_EQ(store.num_series(), 4) << length << " " << at;
      std::map<std::pair<std::string, std::string>, std::vector<double>> got;
      for (int i = 0; i < store.num_series(); ++i) {
        const SeriesView s = store.series(i);
        std::vector<double>& values =
            got[{store.providers()[s.provider].id(),
                 store.indicators()[s.indicator].id()}];
        for (double v : s.values) values.push_back(v);
      }
      const std::map<std::pair<std::string, std::string>, std::vector<double>>
          want = {
              {{a, a}, {1, 5}}, {{b, a}, {2}}, {{b, b}, {3}}, {{a, b}, {4}}};
      EXPECT_EQ(got, want) << length << " " << at;
    }
  }
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

// Duplicates across two files: each further row comes with its own file,
// so a program can find it (other_rows alone would point into the
// diagnostic's own file).
TEST(DatasetIndexerTest, DuplicatesAcrossTwoSourcesNameEachOtherRowsSource) {
  v1::Dataset a = BaseDataset();
  *a.add_observations() = Obs("RRK", "CNT", "2019-03", 1);
  *a.add_plans() = ParseText<v1::PlanValue>(
      "provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' value: 95");
  v1::Dataset b;
  *b.add_providers() = ParseText<v1::Provider>("id: 'RXQ' name: 'Bucks'");
  *b.add_observations() = Obs("RXQ", "AE", "2019-03", 90);
  *b.add_observations() = Obs("RRK", "CNT", "2019-03", 2);
  *b.add_plans() = ParseText<v1::PlanValue>(
      "provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' value: 95");
  DatasetIndexer indexer;
  indexer.AddDataset(a, "a.pb");
  indexer.AddDataset(b, "b.pb");
  SeriesStore store = std::move(indexer).Build();
  for (v1::DiagnosticCode code : {v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION,
                                  v1::DIAGNOSTIC_CODE_DUPLICATE_DEFINITION}) {
    SCOPED_TRACE(v1::DiagnosticCode_Name(code));
    for (const v1::Diagnostic& d : WithCode(store, code)) {
      SCOPED_TRACE(d.message());
      ASSERT_EQ(d.other_sources_size(), d.other_rows_size());
      ASSERT_EQ(d.other_rows_size(), 1);
      EXPECT_EQ(d.source().substr(0, 5), "a.pb ");
      EXPECT_EQ(d.other_sources(0).substr(0, 5), "b.pb ");
    }
  }
  auto dups = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  ASSERT_EQ(dups.size(), 2u);  // The observation and the plan.
  auto observation =
      std::find_if(dups.begin(), dups.end(), [](const v1::Diagnostic& d) {
        return d.provider_id() == "RRK" && d.indicator_id() == "CNT";
      });
  ASSERT_NE(observation, dups.end());
  EXPECT_EQ(observation->source(), "a.pb observations");
  EXPECT_EQ(observation->row(), 1);
  EXPECT_EQ(observation->other_sources(0), "b.pb observations");
  EXPECT_EQ(observation->other_rows(0), 2);
  auto definition = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_DEFINITION);
  ASSERT_EQ(definition.size(), 1u);
  EXPECT_EQ(definition[0].source(), "a.pb providers");
  EXPECT_EQ(definition[0].row(), 2);
  EXPECT_EQ(definition[0].other_sources(0), "b.pb providers");
  EXPECT_EQ(definition[0].other_rows(0), 1);
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

// Every spelling of a number in a CSV value column reads as ParseDecimal
// reads it (whole numbers of up to 9 digits take a shorter path), and every
// text that is not a number is a row not used.
TEST(DatasetIndexerTest, CsvNumbersReadAsParseDecimalReadsThem) {
  const std::vector<std::string> spellings = {
      "0",          "7",          "000123456",
      "999999999",  "1234567890", "4294967295",
      "4294967296", "12.5",       "-3",
      "+4",         "1e3",        ".5",
      "5.",         "0009",       "18446744073709551616",
      "12a",        "1 2",        "--1",
      "0x10",       "1,5"};
  std::string csv = "provider_id,indicator_id,period,value\n";
  for (size_t i = 0; i < spellings.size(); ++i) {
    // One month per spelling (quoted when it holds a comma).
    const std::string value = spellings[i].find(',') == std::string::npos
                                  ? spellings[i]
                                  : "\"" + spellings[i] + "\"";
    csv += absl::StrFormat("RRK,CNT,%04d-01,%s\n", 2000 + static_cast<int>(i),
                           value);
  }
  DatasetIndexer indexer;
  indexer.AddDataset(BaseDataset());
  ASSERT_TRUE(AddDataBytes(csv, Format::kCsv, DataKind::kObservations,
                           "observations.csv", &indexer)
                  .ok());
  SeriesStore store = std::move(indexer).Build();
  ASSERT_EQ(store.num_series(), 1);
  const SeriesView s = store.series(0);
  for (size_t i = 0; i < spellings.size(); ++i) {
    const int k = static_cast<int>(i) * 12;
    double want = 0;
    if (ParseDecimal(spellings[i], &want) && std::isfinite(want) && want >= 0) {
      ASSERT_LT(k, s.size()) << spellings[i];
      EXPECT_EQ(s.status[k], PointStatus::kObserved) << spellings[i];
      EXPECT_EQ(s.values[k], want) << spellings[i];
    } else if (k < s.size()) {
      EXPECT_NE(s.status[k], PointStatus::kObserved) << spellings[i];
    }
  }
}

// Periods of rows that follow a row of the same provider and indicator are
// read by the indexer's own month reader: every text, valid or corrupted a
// byte at a time, is taken or refused exactly as ParsePeriod takes it.
TEST(DatasetIndexerTest, MonthsOfRowsInARunReadAsParsePeriodReadsThem) {
  std::mt19937_64 random(2026);
  const std::string kBytes = "0123456789-/ Q:\x80\xb9\xff";
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) {
    std::string text =
        absl::StrFormat("%04d-%02d", 1890 + random() % 330, random() % 14);
    if (random() % 2 == 0)
      text[random() % 7] = kBytes[random() % kBytes.size()];
    texts.push_back(text);
  }
  v1::Dataset d = BaseDataset();
  for (const std::string& text : texts) {
    *d.add_observations() = Obs("RRK", "CNT", text, 1);
  }
  SeriesStore store = IndexDataset(d);
  std::set<int> months;
  size_t refused = 0;
  for (const std::string& text : texts) {
    absl::StatusOr<Period> p = ParsePeriod(text);
    if (!p.ok()) {
      ++refused;
    } else if (p->frequency == Frequency::kMonthly) {
      months.insert(p->index);
    }  // Else a quarter ("2019-Q3"): not of the indicator's frequency.
  }
  ASSERT_EQ(store.num_series(), 1);
  const SeriesView s = store.series(0);
  std::set<int> got;
  for (int k = 0; k < s.size(); ++k) {
    if (s.status[k] == PointStatus::kObserved) got.insert(s.first.index + k);
  }
  EXPECT_EQ(got, months);
  EXPECT_EQ(WithCode(store, v1::DIAGNOSTIC_CODE_BAD_PERIOD).size(), refused);
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

// ---- Plans (trajectories) ----

v1::PlanValue Plan(const std::string& provider, const std::string& indicator,
                   const std::string& period, double value) {
  v1::PlanValue p;
  p.set_provider_id(provider);
  p.set_indicator_id(indicator);
  p.set_period(period);
  p.set_value(value);
  return p;
}

Period Month(const std::string& text) {
  absl::StatusOr<Period> p = ParsePeriod(text);
  EXPECT_TRUE(p.ok()) << text;
  return p.ok() ? *p : Period();
}

TEST(DatasetIndexerPlanTest, PlanValuesReachFindPlanAndAtWithGapsAsNaN) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "AE", "2019-03", 80);
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 92);
  *d.add_plans() = Plan("RRK", "AE", "2019-01", 90);
  *d.add_plans() = Plan("RXQ", "AE", "2019-02", 95);
  SeriesStore store = IndexDataset(d);
  EXPECT_TRUE(store.diagnostics().empty());
  ASSERT_EQ(store.num_plans(), 2);
  const int rrk = store.FindProvider("RRK");
  const int rxq = store.FindProvider("RXQ");
  const int ae = store.FindIndicator("AE");
  const int cnt = store.FindIndicator("CNT");
  const int i = store.FindPlan(rrk, ae);
  ASSERT_GE(i, 0);
  const PlanView plan = store.plan(i);
  EXPECT_EQ(plan.provider, rrk);
  EXPECT_EQ(plan.indicator, ae);
  EXPECT_EQ(plan.first, Month("2019-01"));
  EXPECT_EQ(plan.last(), Month("2019-03"));
  ASSERT_EQ(plan.size(), 3);
  EXPECT_EQ(plan.At(Month("2019-01")), 90);
  EXPECT_TRUE(std::isnan(plan.At(Month("2019-02"))));  // A gap, not a zero.
  EXPECT_EQ(plan.At(Month("2019-03")), 92);
  EXPECT_TRUE(std::isnan(plan.At(Month("2019-04"))));
  EXPECT_TRUE(std::isnan(plan.At(Month("2019-Q1"))));  // Other frequency.
  EXPECT_EQ(plan.IndexOf(Month("2019-03")), 2);
  EXPECT_EQ(plan.IndexOf(Month("2018-12")), -1);
  EXPECT_EQ(store.plan(store.FindPlan(rxq, ae)).At(Month("2019-02")), 95);
  EXPECT_EQ(store.FindPlan(rrk, cnt), -1);
  EXPECT_EQ(store.FindPlan(-1, ae), -1);
  EXPECT_EQ(store.FindPlan(rrk, 99), -1);
  EXPECT_EQ(store.plans_read(), 3);
  EXPECT_EQ(store.plans_used(), 3);
  EXPECT_EQ(store.plans_rejected(), 0);
}

TEST(DatasetIndexerPlanTest, PlansChangeNeitherObservationCountsNorTheAsOf) {
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "AE", "2019-02", 80);
  *d.add_observations() = Obs("RRK", "AE", "2019-03", 81);
  *d.add_observations() = Obs("NOPE", "AE", "2019-03", 81);
  const SeriesStore without = IndexDataset(d);
  for (int m = 1; m <= 12; ++m) {
    *d.add_plans() = Plan("RRK", "AE", absl::StrFormat("2020-%02d", m), 95);
  }
  *d.add_plans() = Plan("NOPE", "AE", "2020-01", 95);
  const SeriesStore with = IndexDataset(d);
  EXPECT_EQ(FormatPeriod(with.latest_period()), "2019-03");
  EXPECT_EQ(with.observations_read(), without.observations_read());
  EXPECT_EQ(with.observations_used(), without.observations_used());
  EXPECT_EQ(with.observations_rejected(), without.observations_rejected());
  ASSERT_EQ(with.num_series(), 1);
  EXPECT_EQ(with.series(0).size(), 2);
  EXPECT_EQ(with.plans_read(), 13);
  EXPECT_EQ(with.plans_used(), 12);
  EXPECT_EQ(with.plans_rejected(), 1);
}

TEST(DatasetIndexerPlanTest, PlanForAProviderWithoutObservationsIsIndexed) {
  v1::Dataset d = BaseDataset();
  *d.add_plans() = Plan("RXQ", "AE", "2019-04", 95);
  SeriesStore store = IndexDataset(d);
  EXPECT_EQ(store.num_series(), 0);
  const int i =
      store.FindPlan(store.FindProvider("RXQ"), store.FindIndicator("AE"));
  ASSERT_GE(i, 0);
  EXPECT_EQ(store.plan(i).At(Month("2019-04")), 95);
  EXPECT_EQ(store.latest_period().frequency, Frequency::kUnspecified);
}

TEST(DatasetIndexerPlanTest, EachBadPlanRowGetsItsOwnCodeFieldAndRow) {
  struct Case {
    const char* row;
    v1::DiagnosticCode code;
    const char* field;
  } cases[] = {
      {"provider_id: '' indicator_id: 'AE' period: '2019-03' value: 1",
       v1::DIAGNOSTIC_CODE_MISSING_FIELD, "provider_id"},
      {"provider_id: 'RRK' indicator_id: '' period: '2019-03' value: 1",
       v1::DIAGNOSTIC_CODE_MISSING_FIELD, "indicator_id"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-13' value: 1",
       v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '' value: 1",
       v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' value: nan",
       v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03' value: -inf",
       v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value"},
      {"provider_id: 'NOPE' indicator_id: 'AE' period: '2019-03' value: 1",
       v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER, "provider_id"},
      {"provider_id: 'RRK' indicator_id: 'NOPE' period: '2019-03' value: 1",
       v1::DIAGNOSTIC_CODE_UNKNOWN_INDICATOR, "indicator_id"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-Q1' value: 1",
       v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period"},
      {"provider_id: 'RRK' indicator_id: 'AE' period: '2019-03-15' value: 1",
       v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period"},
  };
  for (const Case& c : cases) {
    v1::Dataset d = BaseDataset();
    *d.add_plans() = Plan("RXQ", "AE", "2019-03", 95);  // A good row first.
    *d.add_plans() = ParseText<v1::PlanValue>(c.row);
    SeriesStore store = IndexDataset(d);
    ASSERT_EQ(store.diagnostics().size(), 1u) << c.row;
    const v1::Diagnostic& found = store.diagnostics()[0];
    EXPECT_EQ(found.code(), c.code) << c.row;
    EXPECT_EQ(found.field(), c.field) << c.row;
    EXPECT_EQ(found.source(), "plans") << c.row;
    EXPECT_EQ(found.row(), 2) << c.row;
    EXPECT_EQ(found.severity(), v1::DIAGNOSTIC_SEVERITY_ERROR) << c.row;
    EXPECT_NE(found.message().find("plans #2: "), std::string::npos)
        << found.message();
    EXPECT_NE(found.message().find("the plan row is not used"),
              std::string::npos)
        << found.message();
    EXPECT_EQ(store.plans_read(), 2) << c.row;
    EXPECT_EQ(store.plans_used(), 1) << c.row;
    EXPECT_EQ(store.plans_rejected(), 1) << c.row;
    EXPECT_EQ(store.num_plans(), 1) << c.row;
    EXPECT_EQ(store.observations_read(), 0) << c.row;
  }
}

TEST(DatasetIndexerPlanTest, FirstDayDatesBecomeTheIndicatorsPeriods) {
  v1::Dataset d = BaseDataset();  // AE is monthly.
  *d.add_plans() = Plan("RRK", "AE", "2019-04-01", 95);
  *d.add_plans() = Plan("RRK", "AE", "2019-05", 96);
  SeriesStore store = IndexDataset(d);
  EXPECT_TRUE(store.diagnostics().empty());
  ASSERT_EQ(store.num_plans(), 1);
  EXPECT_EQ(store.plan(0).first, Month("2019-04"));
  EXPECT_EQ(store.plan(0).At(Month("2019-04")), 95);
  EXPECT_EQ(store.plan(0).At(Month("2019-05")), 96);
}

TEST(DatasetIndexerPlanTest, IndicatorWithoutFrequencyFollowsObservations) {
  // CNT declares no frequency: monthly observations make it monthly, so a
  // quarterly plan row is of another frequency.
  v1::Dataset d = BaseDataset();
  *d.add_observations() = Obs("RRK", "CNT", "2019-01", 1);
  *d.add_plans() = Plan("RRK", "CNT", "2019-Q1", 3);
  *d.add_plans() = Plan("RRK", "CNT", "2019-02", 1);
  SeriesStore store = IndexDataset(d);
  auto mixed = WithCode(store, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].row(), 1);
  EXPECT_NE(mixed[0].message().find("plan period 2019-Q1 is quarterly but "
                                    "indicator 'CNT' is monthly"),
            std::string::npos)
      << mixed[0].message();
  EXPECT_EQ(store.plans_used(), 1);
}

TEST(DatasetIndexerPlanTest, IndicatorWithNoFrequencyNorDataTakesThePlans) {
  v1::Dataset d = BaseDataset();  // CNT: no frequency, no observations.
  *d.add_plans() = Plan("RRK", "CNT", "2019-Q1", 3);
  *d.add_plans() = Plan("RRK", "CNT", "2019-Q2", 4);
  *d.add_plans() = Plan("RXQ", "CNT", "2019-05", 1);
  SeriesStore store = IndexDataset(d);
  const int cnt = store.FindIndicator("CNT");
  EXPECT_EQ(store.indicator_frequency(cnt), Frequency::kQuarterly);
  const int i = store.FindPlan(store.FindProvider("RRK"), cnt);
  ASSERT_GE(i, 0);
  EXPECT_EQ(store.plan(i).At(Month("2019-Q2")), 4);
  auto mixed = WithCode(store, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].row(), 3);
}

TEST(DatasetIndexerPlanTest, IdenticalDuplicatePlansAreUsedOnceWithAWarning) {
  v1::Dataset d = BaseDataset();
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 95);
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 95);
  SeriesStore store = IndexDataset(d);
  auto dups = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity(), v1::DIAGNOSTIC_SEVERITY_WARNING);
  EXPECT_EQ(dups[0].row(), 1);
  ASSERT_EQ(dups[0].other_rows_size(), 1);
  EXPECT_EQ(dups[0].other_rows(0), 2);
  EXPECT_NE(dups[0].message().find("2 plan rows for RRK / AE / 2019-03 "
                                   "(plans #1, plans #2): identical, used "
                                   "once"),
            std::string::npos)
      << dups[0].message();
  ASSERT_EQ(store.num_plans(), 1);
  EXPECT_EQ(store.plan(0).At(Month("2019-03")), 95);
  EXPECT_EQ(store.plans_read(), 2);
  EXPECT_EQ(store.plans_used(), 1);
  EXPECT_EQ(store.plans_rejected(), 1);
}

TEST(DatasetIndexerPlanTest, ConflictingDuplicatePlansLeaveNoPlanValue) {
  v1::Dataset d = BaseDataset();
  *d.add_plans() = Plan("RRK", "AE", "2019-02", 94);
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 95);
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 90);
  *d.add_plans() = Plan("RRK", "AE", "2019-04", 96);
  SeriesStore store = IndexDataset(d);
  auto dups = WithCode(store, v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
  EXPECT_EQ(dups[0].row(), 2);
  EXPECT_EQ(dups[0].field(), "period");
  EXPECT_NE(dups[0].message().find("plan rows"), std::string::npos);
  EXPECT_NE(dups[0].message().find("they conflict"), std::string::npos);
  ASSERT_EQ(store.num_plans(), 1);
  const PlanView plan = store.plan(0);
  EXPECT_EQ(plan.At(Month("2019-02")), 94);
  EXPECT_TRUE(std::isnan(plan.At(Month("2019-03"))));
  EXPECT_EQ(plan.At(Month("2019-04")), 96);
  EXPECT_EQ(store.plans_read(), 4);
  EXPECT_EQ(store.plans_used(), 2);
  EXPECT_EQ(store.plans_rejected(), 2);
}

TEST(DatasetIndexerPlanTest, WithoutProvidersPlanIdsAreNotImplicitProviders) {
  v1::Dataset d = BaseDataset();
  d.clear_providers();
  *d.add_observations() = Obs("RRK", "AE", "2019-03", 80);
  *d.add_plans() = Plan("RRK", "AE", "2019-03", 95);
  *d.add_plans() = Plan("ZZZ", "AE", "2019-03", 95);
  SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  EXPECT_EQ(store.providers()[0].id(), "RRK");
  EXPECT_EQ(store.FindProvider("ZZZ"), -1);
  auto unknown = WithCode(store, v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].row(), 2);
  EXPECT_EQ(unknown[0].provider_id(), "ZZZ");
  EXPECT_NE(unknown[0].message().find("no providers were defined"),
            std::string::npos)
      << unknown[0].message();
  EXPECT_EQ(store.num_plans(), 1);
  EXPECT_EQ(store.plans_used(), 1);
}

// The store's plans, diagnostics and counts as bytes, for comparison.
std::string PlanBytes(const SeriesStore& store) {
  std::string out;
  for (int i = 0; i < store.num_plans(); ++i) {
    const PlanView p = store.plan(i);
    absl::StrAppend(&out, p.provider, "/", p.indicator, "/",
                    FormatPeriod(p.first), ":");
    for (double v : p.values) absl::StrAppend(&out, v, ",");
    absl::StrAppend(&out, "\n");
  }
  for (const v1::Diagnostic& d : store.diagnostics()) {
    absl::StrAppend(&out, d.SerializeAsString(), "\n");
  }
  absl::StrAppend(&out, store.plans_read(), " ", store.plans_used(), " ",
                  store.plans_rejected());
  return out;
}

TEST(DatasetIndexerPlanTest, PlanRowOrderDoesNotChangeTheStore) {
  // Rows keep their numbers but are added in another order: the store must
  // be the same, byte for byte, diagnostics included.
  struct Numbered {
    PlanRow row;
    int64_t number;
  };
  std::vector<std::string> periods;
  for (int m = 1; m <= 12; ++m)
    periods.push_back(absl::StrFormat("2019-%02d", m));
  std::vector<Numbered> rows;
  int64_t n = 0;
  for (int m = 0; m < 12; ++m) {
    rows.push_back({{"RRK", "AE", periods[m], 90.0 + m}, ++n});
    rows.push_back({{"RXQ", "AE", periods[m], 80.0 + m}, ++n});
  }
  rows.push_back({{"RRK", "AE", periods[3], 1.0}, ++n});   // Conflict.
  rows.push_back({{"RXQ", "AE", periods[4], 84.0}, ++n});  // Identical.
  rows.push_back({{"RRK", "AE", "2019-Q2", 1.0}, ++n});    // Mixed.
  rows.push_back({{"NOPE", "AE", periods[0], 1.0}, ++n});  // Unknown.
  rows.push_back({{"RRK", "AE", "nope", 1.0}, ++n});       // Bad period.
  const auto build = [](const std::vector<Numbered>& in) {
    DatasetIndexer indexer;
    indexer.AddDataset(BaseDataset());
    const int source = indexer.AddSource("plans.csv");
    for (const Numbered& r : in) indexer.AddPlan(r.row, source, r.number);
    return std::move(indexer).Build();
  };
  const SeriesStore a = build(rows);
  EXPECT_EQ(a.plans_read(), 29);
  EXPECT_EQ(a.plans_used(), 23);  // 24 periods, one in conflict.
  std::mt19937 rng(11);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(rows.begin(), rows.end(), rng);
    EXPECT_EQ(PlanBytes(build(rows)), PlanBytes(a)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace vigil
