// Routes libprotobuf's log lines from threads inside Vigil into statuses
// (include/vigil/io.h, ProtobufLogCapture).
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "vigil/io.h"

namespace vigil {
namespace {

namespace pb = google::protobuf;

thread_local int capture_depth = 0;
thread_local std::vector<std::string> captured;

pb::LogHandler* previous_handler = nullptr;

const char* LevelName(pb::LogLevel level) {
  switch (level) {
    case pb::LOGLEVEL_INFO:
      return "INFO";
    case pb::LOGLEVEL_WARNING:
      return "WARNING";
    case pb::LOGLEVEL_ERROR:
      return "ERROR";
    case pb::LOGLEVEL_FATAL:
      return "FATAL";
  }
  return "LOG";
}

void Handler(pb::LogLevel level, const char* filename, int line,
             const std::string& message) {
  if (capture_depth > 0) {
    captured.push_back(absl::StrCat(LevelName(level), " ", filename, ":", line,
                                    ": ", message));
    return;
  }
  if (previous_handler != nullptr) {
    previous_handler(level, filename, line, message);
  }
}

void InstallOnce() {
  static std::once_flag once;
  std::call_once(once, [] { previous_handler = pb::SetLogHandler(&Handler); });
}

}  // namespace

ProtobufLogCapture::ProtobufLogCapture() {
  InstallOnce();
  if (capture_depth++ == 0) captured.clear();
}

ProtobufLogCapture::~ProtobufLogCapture() { --capture_depth; }

std::vector<std::string> ProtobufLogCapture::Take() {
  std::vector<std::string> lines;
  lines.swap(captured);
  return lines;
}

}  // namespace vigil
