// Inputs that used to change a rating in silence (issue 14, defect 3): ids
// that are not clean UTF-8, derived values that overflow, percentages a
// unit rules out. Each is now a diagnostic naming the row, and the row is
// not used.
#include <string>

#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/report_output.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

using testing::DatasetWith;
using testing::EvaluatePack;
using testing::Find;
using testing::MakeIndicator;

v1::Observation* AddValue(v1::Dataset* d, const std::string& provider,
                          double value) {
  v1::Observation* o = d->add_observations();
  o->set_provider_id(provider);
  o->set_indicator_id("AE");
  o->set_period("2019-03");
  o->set_value(value);
  return o;
}

// A dataset of one percentage indicator and no providers (ids taken from
// the observations).
v1::Dataset Percentages() {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      0);
  return d;
}

const v1::Diagnostic* FindCode(const SeriesStore& store,
                               v1::DiagnosticCode code) {
  for (const v1::Diagnostic& d : store.diagnostics()) {
    if (d.code() == code) return &d;
  }
  return nullptr;
}

TEST(BadValuesTest, InvalidUtf8IdIsABadIdNotAnotherSpellingOfAProvider) {
  v1::Dataset d = Percentages();
  AddValue(&d, "RRK", 95);
  AddValue(&d, "R\xffRK", 50);
  const SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  EXPECT_EQ(store.providers()[0].id(), "RRK");
  const v1::Diagnostic* bad = FindCode(store, v1::DIAGNOSTIC_CODE_BAD_ID);
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->row(), 2);
  EXPECT_EQ(bad->field(), "provider_id");
  EXPECT_EQ(bad->provider_id(), "R\\xffRK");
  EXPECT_NE(bad->message().find("is not valid UTF-8 (byte ff at position 2)"),
            std::string::npos)
      << bad->message();
  EXPECT_EQ(store.observations_read(), 2);
  EXPECT_EQ(store.observations_used(), 1);
}

TEST(BadValuesTest, NulAndControlCharactersInIdsAreBadIds) {
  v1::Dataset d = Percentages();
  AddValue(&d, "P1", 95);
  AddValue(&d, std::string("P1\0x", 4), 50);
  AddValue(&d, "P1\n", 50);
  v1::Observation* tab = AddValue(&d, "P1", 50);
  tab->set_indicator_id("A\tE");
  const SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  int bad_ids = 0;
  for (const v1::Diagnostic& diag : store.diagnostics()) {
    if (diag.code() != v1::DIAGNOSTIC_CODE_BAD_ID) continue;
    ++bad_ids;
    EXPECT_NE(diag.message().find("holds a control character"),
              std::string::npos)
        << diag.message();
  }
  EXPECT_EQ(bad_ids, 3);
  EXPECT_EQ(store.observations_used(), 1);
}

TEST(BadValuesTest, ProviderDefinitionWithABadIdIsNotUsed) {
  v1::Dataset d = DatasetWith(
      MakeIndicator("AE", v1::UNIT_PERCENTAGE, v1::POLARITY_HIGHER_IS_BETTER),
      1);
  d.add_providers()->set_id("P\xc3");  // A truncated two-byte sequence.
  AddValue(&d, "P1", 95);
  const SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  const v1::Diagnostic* bad =
      FindCode(store, v1::DIAGNOSTIC_CODE_BAD_DEFINITION);
  ASSERT_NE(bad, nullptr);
  EXPECT_NE(bad->message().find("provider 'P\\xc3' is not used: id is not "
                                "valid UTF-8"),
            std::string::npos)
      << bad->message();
}

TEST(BadValuesTest, ReportWithABadIdStillSerializesAsValidUtf8) {
  v1::Dataset d = Percentages();
  AddValue(&d, "RRK", 95);
  AddValue(&d, "R\xffRK", 50);
  const v1::Report report = EvaluatePack(
      "rules { id: 't' selector { indicator_ids: 'AE' } "
      "threshold { standard: 90 } }",
      d, "2019-03");
  std::string bytes;
  EXPECT_TRUE(report.SerializeToString(&bytes));
  EXPECT_NE(ReportJson(report).find("R\\\\xffRK"), std::string::npos);
}

TEST(BadValuesTest, NumeratorOverATinyDenominatorIsNotRatedGreen) {
  v1::Dataset d = Percentages();
  v1::Observation* o = AddValue(&d, "P1", 0);
  o->clear_value();
  o->set_numerator(5);
  o->set_denominator(1e-320);
  const v1::Report report = EvaluatePack(
      "rules { id: 't' selector { indicator_ids: 'AE' } "
      "threshold { standard: 95 } }",
      d, "2019-03");
  // The row is not used, so P1 has no value: no green rating, and the
  // provider's roll-up says no data.
  for (const v1::Assessment& a : report.assessments()) {
    EXPECT_NE(a.rating(), v1::RATING_GREEN) << a.reason();
  }
  ASSERT_EQ(report.providers_size(), 1);
  EXPECT_EQ(report.providers(0).worst_rating(), v1::RATING_NO_DATA);
  bool said = false;
  for (const v1::Diagnostic& diag : report.diagnostics()) {
    if (diag.code() != v1::DIAGNOSTIC_CODE_OUT_OF_RANGE) continue;
    said = true;
    EXPECT_EQ(diag.row(), 1);
    EXPECT_NE(diag.message().find("not a finite number"), std::string::npos)
        << diag.message();
  }
  EXPECT_TRUE(said);
  EXPECT_EQ(report.observations_used(), 0);
  EXPECT_EQ(report.observations_rejected(), 1);
}

TEST(BadValuesTest, PercentagesOutsideZeroToHundredAreNotUsed) {
  v1::Dataset d = Percentages();
  AddValue(&d, "P1", 105);
  AddValue(&d, "P2", -1);
  v1::Observation* ratio = AddValue(&d, "P3", 0);
  ratio->clear_value();
  ratio->set_numerator(12);
  ratio->set_denominator(10);
  AddValue(&d, "P4", 100);
  AddValue(&d, "P5", 0);
  const SeriesStore store = IndexDataset(d);
  int out_of_range = 0;
  for (const v1::Diagnostic& diag : store.diagnostics()) {
    if (diag.code() != v1::DIAGNOSTIC_CODE_OUT_OF_RANGE) continue;
    ++out_of_range;
    EXPECT_EQ(diag.severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
  }
  EXPECT_EQ(out_of_range, 3);
  EXPECT_EQ(store.observations_used(), 2);  // 100% and 0% are percentages.
  EXPECT_EQ(store.observations_read(),
            store.observations_used() + store.observations_rejected());
}

TEST(BadValuesTest, ANameThatIsNotUtf8IsRepairedWithAWarningNotLogged) {
  // Issue 14, defect 6: libprotobuf logged "[libprotobuf ERROR ...] invalid
  // UTF-8" to the host's stderr when the report was serialised.
  v1::Dataset d = Percentages();
  v1::Provider* p = d.add_providers();
  p->set_id("RRK");
  p->set_name("Birmingham\xff");
  p->add_tags("region:\xfeMidlands");
  AddValue(&d, "RRK", 95);
  const SeriesStore store = IndexDataset(d);
  ASSERT_EQ(store.providers().size(), 1u);
  EXPECT_EQ(store.providers()[0].name(), "Birmingham\xEF\xBF\xBD");
  EXPECT_EQ(store.providers()[0].tags(0), "region:\xEF\xBF\xBDMidlands");
  int warnings = 0;
  for (const v1::Diagnostic& diag : store.diagnostics()) {
    if (diag.code() != v1::DIAGNOSTIC_CODE_BAD_DEFINITION) continue;
    EXPECT_EQ(diag.severity(), v1::DIAGNOSTIC_SEVERITY_WARNING);
    EXPECT_NE(diag.message().find("provider 'RRK'"), std::string::npos)
        << diag.message();
    ++warnings;
  }
  EXPECT_EQ(warnings, 2);  // The name and the tag.
}

TEST(BadValuesTest, APackStringThatIsNotUtf8IsRefusedNamingTheField) {
  auto engine = Engine::Create(testing::PackWith(R"pb(
    rules {
      id: "r"
      name: "ok"
      selector { indicator_ids: "AE" }
      data_quality {}
    }
    rules {
      id: "s"
      description: "bad \xff"
      selector { indicator_ids: "AE" }
      data_quality {}
    })pb"));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(engine.status().message().find(
                "rules[1].description: is not valid UTF-8 (byte ff"),
            std::string::npos)
      << engine.status();
}

// A binary Dataset whose strings are those of `d`, with every "<X>" (a
// marker, to keep lengths) replaced by `bytes`, which need not be UTF-8.
std::string BinaryWith(const v1::Dataset& d, const std::string& marker,
                       const std::string& bytes) {
  std::string wire = d.SerializeAsString();
  EXPECT_EQ(marker.size(), bytes.size());
  for (size_t at = wire.find(marker); at != std::string::npos;
       at = wire.find(marker, at + bytes.size())) {
    wire.replace(at, marker.size(), bytes);
  }
  return wire;
}

// The catalogue's pb-data-not-utf8 defect: libprotobuf refused the whole
// file ("not a valid binary Dataset message") for one id that is not UTF-8,
// the good rows with it, and logged an ERROR line.
TEST(BadValuesTest, BinaryDatasetIdThatIsNotUtf8LosesOnlyItsRow) {
  v1::Dataset d = Percentages();
  v1::Provider* p = d.add_providers();
  p->set_id("P1");
  p->set_name("Trust <X>");  // A name is repaired, as in other formats.
  AddValue(&d, "P1", 95);
  AddValue(&d, "P<X>", 50);
  AddValue(&d, "P1", 96)->set_period("2019-04");
  const std::string wire = BinaryWith(d, "<X>", "\xff\xfe\xff");
  ProtobufLogCapture capture;
  DatasetIndexer indexer;
  ASSERT_TRUE(AddDataBytes(wire, Format::kBinary, DataKind::kObservations,
                           "obs.pb", &indexer)
                  .ok());
  const SeriesStore store = std::move(indexer).Build();
  EXPECT_TRUE(capture.Take().empty());  // Nothing from libprotobuf.
  const v1::Diagnostic* bad = FindCode(store, v1::DIAGNOSTIC_CODE_BAD_ID);
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
  EXPECT_EQ(bad->source(), "obs.pb observations");
  EXPECT_EQ(bad->row(), 2);
  EXPECT_EQ(bad->field(), "provider_id");
  EXPECT_EQ(bad->provider_id(), "P\\xff\\xfe\\xff");
  EXPECT_EQ(store.observations_read(), 3);
  EXPECT_EQ(store.observations_used(), 2);
  ASSERT_EQ(store.providers().size(), 1u);
  EXPECT_EQ(store.providers()[0].name(),
            "Trust \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_NE(FindCode(store, v1::DIAGNOSTIC_CODE_BAD_DEFINITION), nullptr);
}

TEST(BadValuesTest, BinaryDatasetElementThatIsNotAMessageIsOneMalformedRow) {
  v1::Dataset d = Percentages();
  AddValue(&d, "P1", 95);
  std::string wire = d.SerializeAsString();
  // observations #2: a value (field 4, fixed64) cut short; #3 is fine.
  wire += std::string("\x1a\x03\x21\x00\x00", 5);
  v1::Dataset third;
  AddValue(&third, "P2", 90);
  wire += third.SerializeAsString();
  DatasetIndexer indexer;
  ASSERT_TRUE(AddDataBytes(wire, Format::kBinary, DataKind::kObservations,
                           "obs.pb", &indexer)
                  .ok());
  const SeriesStore store = std::move(indexer).Build();
  const v1::Diagnostic* bad =
      FindCode(store, v1::DIAGNOSTIC_CODE_MALFORMED_ROW);
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->severity(), v1::DIAGNOSTIC_SEVERITY_ERROR);
  EXPECT_EQ(bad->source(), "obs.pb observations");
  EXPECT_EQ(bad->row(), 2);
  EXPECT_NE(bad->message().find("obs.pb observations #2: not a valid binary "
                                "Observation message"),
            std::string::npos)
      << bad->message();
  EXPECT_EQ(store.observations_read(), 3);
  EXPECT_EQ(store.observations_used(), 2);
  EXPECT_GE(store.FindProvider("P2"), 0);
}

TEST(BadValuesTest, BinaryDatasetWithBrokenFramingIsRefusedWhole) {
  v1::Dataset d = Percentages();
  AddValue(&d, "P1", 95);
  // An observation said to be 100 bytes long, with 2 left.
  const std::string wire =
      d.SerializeAsString() + std::string("\x1a\x64\x0a\x00", 4);
  DatasetIndexer indexer;
  const absl::Status status = AddDataBytes(
      wire, Format::kBinary, DataKind::kObservations, "obs.pb", &indexer);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("obs.pb: not a valid binary Dataset message"),
            std::string::npos)
      << status;
  const SeriesStore store = std::move(indexer).Build();
  EXPECT_EQ(store.observations_read(), 0);  // Nothing added.
  EXPECT_TRUE(store.indicators().empty());
}

}  // namespace
}  // namespace vigil
