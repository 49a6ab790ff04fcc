#include "std_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "vigil/io.h"

namespace vigil_tool {

absl::StatusOr<std::string> ReadInputFile(const std::string& path) {
  if (path != "-") return vigil::ReadFile(path);
  std::string bytes{std::istreambuf_iterator<char>(std::cin),
                    std::istreambuf_iterator<char>()};
  if (std::cin.bad()) {
    return absl::DataLossError("reading standard input ('-') failed");
  }
  return bytes;
}

bool OutputFile::Open(const std::string& path, std::string* error) {
  to_stdout_ = path.empty() || path == "-";
  if (to_stdout_) return true;
  path_ = path;
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    // In place (in|out does not truncate); if that is refused (no read
    // permission), truncated as usual.
    file_.open(path, std::ios::binary | std::ios::in | std::ios::out);
    if (file_) {
      old_size_ = static_cast<int64_t>(info.st_size);
      return true;
    }
    file_.clear();
  }
  file_.open(path, std::ios::binary);
  if (file_) return true;
  *error = errno == EISDIR ? absl::StrCat(path, ": is a directory; give a file")
                           : absl::StrCat("cannot write ", path, ": ",
                                          std::strerror(errno));
  return false;
}

bool OutputFile::Close(std::string* error) {
  const std::string name = to_stdout_ ? "standard output" : path_;
  if (to_stdout_) {
    std::cout.flush();
    if (std::cout) return true;
    if (error != nullptr) *error = absl::StrCat("writing ", name, " failed");
    return false;
  }
  if (!file_.is_open()) return true;
  file_.flush();
  const std::streamoff written = file_.tellp();
  bool ok = static_cast<bool>(file_) && written >= 0;
  file_.close();
  ok = ok && !file_.fail();
  if (ok && written < old_size_ && ::truncate(path_.c_str(), written) != 0) {
    if (error != nullptr) {
      *error =
          absl::StrCat("cutting ", name,
                       " to its new length failed: ", std::strerror(errno));
    }
    return false;
  }
  if (!ok && error != nullptr)
    *error = absl::StrCat("writing ", name, " failed");
  return ok;
}

}  // namespace vigil_tool
