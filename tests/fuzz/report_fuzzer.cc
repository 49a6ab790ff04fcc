// Fuzzes what a host may hand the C API as a saved report: bytes read back
// with vigil_report_parse (protobuf binary or JSON), then drawn as the
// board's HTML page and written again as JSON and binary, and every
// accessor read. A report from outside can hold anything the schema allows
// (NaN and infinite values, funnel curves whose lists disagree in length,
// positions out of range, huge periods, ids that are not UTF-8 in JSON
// escapes): none of it may crash or hang the host. Links only libvigil's C
// API.
//
// Input: byte 0 picks the format (even: JSON, odd: binary); the rest is the
// report's bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "tests/fuzz/fuzz_input.h"
#include "vigil/vigil.h"

namespace {

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int format = data[0] % 2 == 0 ? VIGIL_FORMAT_JSON : VIGIL_FORMAT_BINARY;
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
