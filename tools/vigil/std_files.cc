#include "std_files.h"

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
  file_.open(path, std::ios::binary);
  if (file_) return true;
  *error = errno == EISDIR ? absl::StrCat(path, ": is a directory; give a file")
                           : absl::StrCat("cannot write ", path, ": ",
                                          std::strerror(errno));
  return false;
}

}  // namespace vigil_tool
