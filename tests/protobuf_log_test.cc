// ProtobufLogCapture (vigil/io.h): libprotobuf's log lines from a thread
// inside Vigil are kept for its status; other threads' lines still reach
// the handler the host installed (issue 14, defect 6).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"
#include "vigil/io.h"

namespace vigil {
namespace {

std::vector<std::string>* host_lines = nullptr;

void HostHandler(google::protobuf::LogLevel, const char*, int,
                 const std::string& message) {
  host_lines->push_back(message);
}

// The scenario, with the host's handler installed before any capture:
// exits 0 when every line went where it should, else prints what went
// where and exits 1.
void RunCaptureScenario() {
  std::vector<std::string> host;
  host_lines = &host;
  google::protobuf::SetLogHandler(&HostHandler);  // The host's, first.
  std::vector<std::string> lines;
  std::vector<std::string> taken_again;
  {
    ProtobufLogCapture capture;
    GOOGLE_LOG(ERROR) << "inside";
    std::thread other([] { GOOGLE_LOG(ERROR) << "other thread"; });
    other.join();
    {
      ProtobufLogCapture nested;
      GOOGLE_LOG(WARNING) << "nested";
    }
    lines = capture.Take();
    taken_again = capture.Take();
  }
  GOOGLE_LOG(ERROR) << "after";
  const bool ok =
      lines.size() == 2 && lines[0].find("ERROR") != std::string::npos &&
      lines[0].find(": inside") != std::string::npos &&
      lines[1].find("WARNING") != std::string::npos && taken_again.empty() &&
      host == std::vector<std::string>{"other thread", "after"};
  if (!ok) {
    for (const std::string& line : lines) {
      std::fprintf(stderr, "captured: %s\n", line.c_str());
    }
    for (const std::string& line : host) {
      std::fprintf(stderr, "host: %s\n", line.c_str());
    }
    std::fprintf(stderr, "taken again: %zu lines\n", taken_again.size());
  }
  std::_Exit(ok ? 0 : 1);
}

// In a process of its own (gtest runs the test again alone): the first
// capture of a process installs the forwarding handler once, and other
// tests of this binary capture before this one when it runs as one process.
TEST(ProtobufLogCaptureTest, KeepsThisThreadsLinesAndForwardsTheRest) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(RunCaptureScenario(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace vigil
