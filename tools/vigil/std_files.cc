#include "std_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>

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
  // Not O_TRUNC: an existing regular file is written over in place.
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    *error =
        errno == EISDIR
            ? absl::StrCat(path, ": is a directory; give a file")
            : absl::StrCat("cannot write ", path, ": ", std::strerror(errno));
    return false;
  }
  struct stat info;
  regular_ = ::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode);
  old_size_ = regular_ ? static_cast<int64_t>(info.st_size) : 0;
  buffer_ = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(
      fd_, std::ios::out | std::ios::binary, 1 << 16);
  file_ = std::make_unique<std::ostream>(buffer_.get());
  return true;
}

bool OutputFile::Close(std::string* error) {
  const std::string name = to_stdout_ ? "standard output" : path_;
  bool ok = true;
  if (to_stdout_) {
    std::cout.flush();
    ok = static_cast<bool>(std::cout);
  } else if (fd_ >= 0) {
    file_->flush();
    ok = file_->good();
    if (ok && regular_ && old_size_ > 0) {  // Cut what is left of the old.
      const off_t written = ::lseek(fd_, 0, SEEK_CUR);
      ok = written >= 0 &&
           (written >= old_size_ || ::ftruncate(fd_, written) == 0);
    }
    if (!ok) {
      Discard();
    } else {
      ok = buffer_->close() != nullptr;
      fd_ = -1;
    }
  }
  if (!ok && error != nullptr)
    *error = absl::StrCat("writing ", name, " failed");
  return ok;
}

void OutputFile::Discard() {
  if (fd_ < 0) return;
  file_->flush();  // Nothing left buffered to be written after the cut.
  if (regular_) (void)::ftruncate(fd_, 0);
  buffer_->close();
  fd_ = -1;
}

}  // namespace vigil_tool
