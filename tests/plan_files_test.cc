// Plan values from files: CSV plans files and protobuf Datasets (JSON, text,
// a bare JSON array) reach the store, and each bad row is a diagnostic naming
// the file, the line and the reason.
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

constexpr char kIndicators[] =
    "id,unit,polarity,frequency\nAE,percentage,higher_is_better,monthly\n";

// An indexer with providers RRK, RXQ and the monthly indicator AE.
void AddDefinitions(DatasetIndexer* indexer) {
  ASSERT_TRUE(AddDataBytes("id\nRRK\nRXQ\n", Format::kCsv, DataKind::kProviders,
                           "providers.csv", indexer)
                  .ok());
  ASSERT_TRUE(AddDataBytes(kIndicators, Format::kCsv, DataKind::kIndicators,
                           "indicators.csv", indexer)
                  .ok());
}

Period P(const char* text) { return *ParsePeriod(text); }

double PlanAt(const SeriesStore& store, const char* provider,
              const char* period) {
  const int i =
      store.FindPlan(store.FindProvider(provider), store.FindIndicator("AE"));
  return i < 0 ? -1 : store.plan(i).At(P(period));
}

TEST(PlanFilesTest, CsvPlansInAnyColumnOrderReachTheStore) {
  DatasetIndexer indexer;
  AddDefinitions(&indexer);
  ASSERT_TRUE(AddDataBytes("value,period,indicator_id,provider_id\n"
                           "95,2019-04,AE,RRK\n"
                           "95.5,2019-05-01,AE,RRK\n",
                           Format::kCsv, DataKind::kPlans, "plans.csv",
                           &indexer)
                  .ok());
  SeriesStore store = std::move(indexer).Build();
  EXPECT_TRUE(store.diagnostics().empty());
  EXPECT_EQ(PlanAt(store, "RRK", "2019-04"), 95);
  EXPECT_EQ(PlanAt(store, "RRK", "2019-05"), 95.5);
  EXPECT_EQ(store.plans_read(), 2);
  EXPECT_EQ(store.plans_used(), 2);
}

TEST(PlanFilesTest, BadCsvPlanRowsAreNamedByFileLineAndReason) {
  DatasetIndexer indexer;
  AddDefinitions(&indexer);
  ASSERT_TRUE(AddDataBytes("provider_id,indicator_id,period,value,note\n"
                           "RRK,AE,2019-04,95,x\n"   // line 2: used
                           "RRK,AE,2019-05,abc,x\n"  // line 3
                           "RRK,AE,2019-06\n"        // line 4
                           "RRK,AE,2019-07,,x\n"     // line 5
                           "RRK,XX,2019-08,95,x\n"   // line 6
                           "RXQ,AE,2019-Q3,95,x\n"   // line 7
                           "RXQ,AE,Sept,95,x\n",     // line 8
                           Format::kCsv, DataKind::kPlans, "plans.csv",
                           &indexer)
                  .ok());
  SeriesStore store = std::move(indexer).Build();
  struct Expected {
    int64_t line;
    v1::DiagnosticCode code;
    const char* field;
    const char* message;
  } expected[] = {
      {1, v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "note",
       "plans.csv line 1: column note not used"},
      {3, v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value",
       "plans.csv line 3: value 'abc' is not a number; the plan row is not "
       "used"},
      {4, v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "",
       "plans.csv line 4: 3 fields where the header has 5; the plan row is "
       "not used"},
      {5, v1::DIAGNOSTIC_CODE_MISSING_FIELD, "value",
       "plans.csv line 5: value is empty; the plan row is not used"},
      {6, v1::DIAGNOSTIC_CODE_UNKNOWN_INDICATOR, "indicator_id",
       "plans.csv line 6: indicator 'XX' is not defined; the plan row is not "
       "used"},
      {7, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY, "period",
       "plans.csv line 7: plan period 2019-Q3 is quarterly but indicator "
       "'AE' is monthly; the plan row is not used"},
      {8, v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period", "plans.csv line 8: "},
  };
  ASSERT_EQ(store.diagnostics().size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const v1::Diagnostic& d = store.diagnostics()[i];
    EXPECT_EQ(d.source(), "plans.csv");
    EXPECT_EQ(d.row(), expected[i].line) << d.message();
    EXPECT_EQ(d.code(), expected[i].code) << d.message();
    EXPECT_EQ(d.field(), expected[i].field) << d.message();
    EXPECT_EQ(d.message().rfind(expected[i].message, 0), 0u) << d.message();
  }
  EXPECT_EQ(store.plans_read(), 7);
  EXPECT_EQ(store.plans_used(), 1);
  EXPECT_EQ(store.plans_rejected(), 6);
  EXPECT_EQ(PlanAt(store, "RRK", "2019-04"), 95);
  EXPECT_EQ(store.observations_read(), 0);
}

TEST(CsvDataTest, AColumnNamedTwiceIsAnErrorNamingItAndItsPositions) {
  for (const DataKind kind : {DataKind::kObservations, DataKind::kPlans,
                              DataKind::kProviders, DataKind::kIndicators}) {
    DatasetIndexer indexer;
    const absl::Status s = AddDataBytes(
        "id,provider_id,indicator_id,period,Value, value "
        "\nP1,P1,AE,2019-03,1,2\n",
        Format::kCsv, kind, "data.csv", &indexer);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(),
              "data.csv line 1: header: column 'value' appears twice (columns "
              "5 and 6)");
  }
}

TEST(PlanFilesTest, CsvPlansWithoutARequiredColumnAreAnErrorNamingIt) {
  DatasetIndexer indexer;
  absl::Status s =
      AddDataBytes("provider_id,indicator_id,period\n", Format::kCsv,
                   DataKind::kPlans, "plans.csv", &indexer);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("plans.csv line 1: no 'value' column"),
            std::string::npos)
      << s.message();
}

TEST(PlanFilesTest, DatasetPlansInJsonAndTextAndABareJsonArray) {
  DatasetIndexer indexer;
  AddDefinitions(&indexer);
  ASSERT_TRUE(AddDataBytes(R"({"plans": [{"provider_id": "RRK",
                              "indicator_id": "AE", "period": "2019-04",
                              "value": 95}]})",
                           Format::kJson, DataKind::kObservations, "data.json",
                           &indexer)
                  .ok());
  ASSERT_TRUE(AddDataBytes("plans { provider_id: 'RRK' indicator_id: 'AE' "
                           "period: '2019-05' value: 96 }",
                           Format::kText, DataKind::kObservations,
                           "data.textproto", &indexer)
                  .ok());
  ASSERT_TRUE(AddDataBytes(R"([{"provider_id": "RXQ", "indicatorId": "AE",
                              "period": "2019-04", "value": 90},
                             {"provider_id": "RXQ", "indicator_id": "AE",
                              "period": "2019-05", "value": "Infinity"}])",
                           Format::kJson, DataKind::kPlans, "plans.json",
                           &indexer)
                  .ok());
  SeriesStore store = std::move(indexer).Build();
  EXPECT_EQ(PlanAt(store, "RRK", "2019-04"), 95);
  EXPECT_EQ(PlanAt(store, "RRK", "2019-05"), 96);
  EXPECT_EQ(PlanAt(store, "RXQ", "2019-04"), 90);
  ASSERT_EQ(store.diagnostics().size(), 1u);
  EXPECT_EQ(store.diagnostics()[0].source(), "plans.json plans");
  EXPECT_EQ(store.diagnostics()[0].row(), 2);
  EXPECT_EQ(store.diagnostics()[0].code(),
            v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE);
  EXPECT_EQ(store.plans_read(), 4);
  EXPECT_EQ(store.plans_used(), 3);
}

}  // namespace
}  // namespace vigil
