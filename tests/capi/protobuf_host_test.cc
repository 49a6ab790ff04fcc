// A host that uses its own protobuf and compiles Vigil's own .proto files
// into itself (so vigil/v1/*.proto are registered in this process's
// descriptor pool), then loads libvigil.so, evaluates through the C API and
// reads the report bytes with its own typed classes. Two copies of one
// .proto file in one process would abort at start-up; this must not.
#include <cstdio>
#include <cstring>
#include <string>

#include "vigil/v1/report.pb.h"
#include "vigil/vigil.h"

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  // The host's own use of its protobuf, before and after loading Vigil.
  vigil::v1::Report mine;
  mine.set_as_of("host");
  vigil_engine* engine = nullptr;
  char* error = nullptr;
  if (vigil_engine_create_from_file((dir + "/rules.textproto").c_str(), &engine,
                                    &error) != VIGIL_OK) {
    std::fprintf(stderr, "engine: %s\n", error);
    return 1;
  }
  vigil_dataset* data = nullptr;
  vigil_dataset_create(&data);
  vigil_dataset_add_file(data, (dir + "/providers.csv").c_str(),
                         VIGIL_KIND_PROVIDERS, nullptr);
  vigil_dataset_add_file(data, (dir + "/indicators.csv").c_str(),
                         VIGIL_KIND_INDICATORS, nullptr);
  vigil_dataset_add_file(data, (dir + "/observations.csv").c_str(),
                         VIGIL_KIND_OBSERVATIONS, nullptr);
  vigil_report* report = nullptr;
  if (vigil_engine_evaluate(engine, data, "2019-03", 1, &report, &error) !=
      VIGIL_OK) {
    std::fprintf(stderr, "evaluate: %s\n", error);
    return 1;
  }
  char* bytes = nullptr;
  size_t length = 0;
  vigil_report_serialize(report, VIGIL_FORMAT_BINARY, &bytes, &length, nullptr);
  vigil::v1::Report parsed;
  const bool ok = parsed.ParseFromArray(bytes, static_cast<int>(length));
  int passed = 0, failed = 0;
  auto check = [&](bool cond, const char* what) {
    if (cond) {
      ++passed;
    } else {
      ++failed;
      std::fprintf(stderr, "CHECK failed: %s\n", what);
    }
  };
  check(ok, "the host parses the library's bytes with its own classes");
  check(parsed.as_of() == "2019-03", "as_of");
  check(parsed.providers_size() == 140, "140 providers");
  check(static_cast<size_t>(parsed.assessments_size()) ==
            vigil_report_assessment_count(report),
        "same assessments");
  check(parsed.assessments(0).reason() ==
            vigil_report_assessment_reason(report, 0),
        "same reasons");
  check(mine.as_of() == "host", "the host's own message is untouched");
  vigil_free(bytes);
  vigil_report_destroy(report);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
