// Fuzzes what a host may hand the C API as a saved report: bytes read back
// with vigil_report_parse (protobuf binary or JSON), then drawn as the
// board's HTML page and written again as JSON and binary, and every
// accessor read. A report from outside can hold anything the schema allows
// (NaN and infinite values, funnel curves whose lists disagree in length,
// positions out of range, huge periods, ids that are not UTF-8 in JSON
// escapes): none of it may crash or hang the host. Links only libvigil's C
// API.
//
// A distributed evaluation's messages come from other processes too: the
// same bytes are also merged as a part's partial report and as a part's
// statistics (vigil_engine_merge_partials, vigil_engine_merge_statistics,
// vigil_engine_evaluate_partition, and the back-test's
// vigil_engine_merge_backtest_partials and vigil_engine_backtest_partition)
// by a pack with a peer rule and escalation by signals: refused with a
// message or merged, never a crash.
//
// The report JSON writer (src/report/json_writer.h) is checked against
// protobuf's printer on the same bytes: whenever they parse as a
// vigil.v1.Report and protobuf prints it, the fast JSON, whole and streamed
// in small chunks, must be byte-identical (this part links the engine: the
// private schema copy under libFuzzer, the public one in the regression
// driver).
//
// Input: byte 0 picks the format (even: JSON, odd: binary); the rest is the
// report's bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "src/report/json_writer.h"
#include "tests/fuzz/fuzz_input.h"
#include "vigil/v1/report.pb.h"
#include "vigil/vigil.h"

namespace {

// The fast JSON of the report in `data` equals protobuf's.
void CheckFastJson(const uint8_t* data, size_t size, bool binary) {
  vigil::v1::Report report;
  if (binary) {
    if (!report.ParseFromArray(data, static_cast<int>(size))) return;
  } else if (!google::protobuf::util::JsonStringToMessage(
                  std::string(reinterpret_cast<const char*>(data), size),
                  &report)
                  .ok()) {
    return;
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string expected;
  if (!google::protobuf::util::MessageToJsonString(report, &expected, options)
           .ok()) {
    return;
  }
  FUZZ_CHECK(vigil::internal::MessageJson(report) == expected);
  std::ostringstream streamed;
  FUZZ_CHECK(vigil::internal::PrintMessageJson(report, streamed, 64));
  FUZZ_CHECK(streamed.str() == expected);
}

void Serialize(const vigil_report* report, int format) {
  char* bytes = nullptr;
  size_t length = 0;
  char* error = nullptr;
  const int s = vigil_report_serialize(report, format, &bytes, &length, &error);
  FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
  FUZZ_CHECK(s != VIGIL_OK || bytes != nullptr);
  if (s == VIGIL_OK && format != VIGIL_FORMAT_BINARY) {
    FUZZ_CHECK(bytes[length] == '\0');
  }
  if (s == VIGIL_OK && format == VIGIL_FORMAT_HTML) {
    FUZZ_CHECK(length > 15 && std::memcmp(bytes, "<!DOCTYPE html>", 15) == 0);
  }
  vigil_free(bytes);
  vigil_free(error);
}

// A pack with a peer rule and signals, and its tables (three providers,
// two indicators), made once; `rows` also holds observations.
struct Partitioned {
  vigil_engine* engine = nullptr;
  vigil_dataset* tables = nullptr;
};

vigil_dataset* Tables(bool rows) {
  vigil_dataset* d = nullptr;
  FUZZ_CHECK(vigil_dataset_create(&d) == VIGIL_OK);
  for (const char* id : {"P1", "P2", "P3"}) {
    FUZZ_CHECK(vigil_dataset_add_provider(d, id, id, "acute", nullptr) ==
               VIGIL_OK);
  }
  FUZZ_CHECK(vigil_dataset_add_indicator(d, "A", "A", "safe", "percentage",
                                         "higher_is_better", "monthly", 0,
                                         nullptr) == VIGIL_OK);
  FUZZ_CHECK(vigil_dataset_add_indicator(d, "B", "B", "safe", "count",
                                         "lower_is_better", "monthly", 0,
                                         nullptr) == VIGIL_OK);
  if (rows) {
    for (const char* id : {"P1", "P2", "P3"}) {
      FUZZ_CHECK(vigil_dataset_add_observation(d, id, "A", "2019-03",
                                               VIGIL_NONE, 5, 10,
                                               nullptr) == VIGIL_OK);
      FUZZ_CHECK(vigil_dataset_add_observation(d, id, "B", "2019-03", 12,
                                               VIGIL_NONE, VIGIL_NONE,
                                               nullptr) == VIGIL_OK);
    }
  }
  return d;
}

const Partitioned& Pack() {
  static const Partitioned pack = [] {
    static const char kPack[] =
        "id: 'p' rules { id: 'peer' selector { indicator_ids: 'A' } "
        "peer { minimum_providers: 2 } } "
        "rules { id: 'max' selector { indicator_ids: 'B' } "
        "threshold { standard: 5 red_threshold: 10 } } "
        "escalation { signals { persist_periods: 2 hold_periods: 2 "
        "levels { level: ESCALATION_LEVEL_ENHANCED_SURVEILLANCE "
        "min_score: 1 min_signals: 1 } } }";
    Partitioned p;
    FUZZ_CHECK(vigil_engine_create(kPack, sizeof kPack - 1, VIGIL_FORMAT_TEXT,
                                   &p.engine, nullptr) == VIGIL_OK);
    p.tables = Tables(false);
    return p;
  }();
  return pack;
}

void MergeAsPartition(const uint8_t* data, size_t size) {
  const Partitioned& pack = Pack();
  const void* parts[2] = {data, data};
  const size_t lengths[2] = {size, size};
  for (size_t count : {1, 2}) {
    vigil_report* report = nullptr;
    char* error = nullptr;
    int s = vigil_engine_merge_partials(pack.engine, pack.tables, count, parts,
                                        lengths, nullptr, &report, &error);
    FUZZ_CHECK((s == VIGIL_OK) == (report != nullptr));
    FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
    if (report != nullptr) Serialize(report, VIGIL_FORMAT_JSON);
    vigil_report_destroy(report);
    vigil_free(error);
    error = nullptr;
    char* bytes = nullptr;
    size_t length = 0;
    s = vigil_engine_merge_statistics(pack.engine, count, parts, lengths,
                                      &bytes, &length, &error);
    FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
    vigil_free(bytes);
    vigil_free(error);
  }
  {
    vigil_timeline* timeline = nullptr;
    char* error = nullptr;
    const int s = vigil_engine_merge_backtest_partials(
        pack.engine, pack.tables, 1, parts, lengths, nullptr, &timeline,
        &error);
    FUZZ_CHECK((s == VIGIL_OK) == (timeline != nullptr));
    FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
    vigil_timeline_destroy(timeline);
    vigil_free(error);
  }
  vigil_dataset* part = Tables(true);
  const char* owned[] = {"P1", "P2", "P3"};
  {
    char* bytes = nullptr;
    size_t length = 0;
    char* error = nullptr;
    const int s = vigil_engine_backtest_partition(
        pack.engine, part, "2019-02", "2019-03", 0, 3, owned, data, size,
        nullptr, &bytes, &length, &error);
    FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
    vigil_free(bytes);
    vigil_free(error);
  }
  char* bytes = nullptr;
  size_t length = 0;
  char* error = nullptr;
  const int s = vigil_engine_evaluate_partition(pack.engine, part, "2019-03", 0,
                                                3, owned, data, size, nullptr,
                                                &bytes, &length, &error);
  FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
  vigil_free(bytes);
  vigil_free(error);
  vigil_dataset_destroy(part);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 1) MergeAsPartition(data + 1, size - 1);
  const int format = data[0] % 2 == 0 ? VIGIL_FORMAT_JSON : VIGIL_FORMAT_BINARY;
  CheckFastJson(data + 1, size - 1, format == VIGIL_FORMAT_BINARY);
  vigil_report* report = nullptr;
  char* error = nullptr;
  const int s = vigil_report_parse(data + 1, size - 1, format, &report, &error);
  FUZZ_CHECK((s == VIGIL_OK) == (error == nullptr));
  FUZZ_CHECK((s == VIGIL_OK) == (report != nullptr));
  FUZZ_CHECK(s == VIGIL_OK || s == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  if (report == nullptr) return 0;
  Serialize(report, VIGIL_FORMAT_HTML);
  Serialize(report, VIGIL_FORMAT_JSON);
  Serialize(report, VIGIL_FORMAT_BINARY);
  for (size_t i = 0; i < vigil_report_assessment_count(report); ++i) {
    FUZZ_CHECK(vigil_report_assessment_reason(report, i) != nullptr);
    double value;
    (void)vigil_report_assessment_value(report, i, &value);
  }
  for (size_t i = 0; i < vigil_report_provider_count(report); ++i) {
    FUZZ_CHECK(vigil_report_provider_id(report, i) != nullptr);
  }
  vigil_report_destroy(report);
  return 0;
}
