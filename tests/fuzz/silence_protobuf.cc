// The no-op libprotobuf log handler of the harnesses that link libprotobuf.
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "tests/fuzz/fuzz_input.h"

namespace vigil {
namespace fuzz {
namespace {

void IgnoreLog(google::protobuf::LogLevel, const char*, int,
               const std::string&) {}

}  // namespace

void SilenceProtobufLogging() { google::protobuf::SetLogHandler(&IgnoreLog); }

}  // namespace fuzz
}  // namespace vigil
