// ProtobufLogCapture (vigil/io.h): libprotobuf's log lines from a thread
// inside Vigil are kept for its status; other threads' lines still reach
// the handler the host installed (issue 14, defect 6).
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

TEST(ProtobufLogCaptureTest, KeepsThisThreadsLinesAndForwardsTheRest) {
  std::vector<std::string> host;
  host_lines = &host;
  google::protobuf::SetLogHandler(&HostHandler);  // The host's, first.
  {
    ProtobufLogCapture capture;
    GOOGLE_LOG(ERROR) << "inside";
    std::thread other([] { GOOGLE_LOG(ERROR) << "other thread"; });
    other.join();
    {
      ProtobufLogCapture nested;
      GOOGLE_LOG(WARNING) << "nested";
    }
    const std::vector<std::string> lines = capture.Take();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find("ERROR"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find(": inside"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("WARNING"), std::string::npos) << lines[1];
    EXPECT_TRUE(capture.Take().empty());
  }
  GOOGLE_LOG(ERROR) << "after";
  EXPECT_EQ(host, (std::vector<std::string>{"other thread", "after"}));
  host_lines = nullptr;
}

}  // namespace
}  // namespace vigil
