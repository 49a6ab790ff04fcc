#include "src/io/file_pages.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "src/data/huge_pages.h"

namespace vigil {

FilePages::~FilePages() { internal::UnmapHugePages(data_, capacity_); }

bool FilePages::Reserve(size_t bytes) {
  if (bytes <= capacity_) return true;
  const size_t page = 4096;
  const size_t capacity =
      (std::max(bytes, 2 * capacity_) + page - 1) & ~(page - 1);
  // Advised for huge pages: a 45 MB protobuf file read whole takes 23 page
  // faults in them, 11,000 in 4 KiB pages.
  void* grown = data_ == nullptr
                    ? internal::MapHugePages(capacity)
                    : internal::RemapHugePages(data_, capacity_, capacity);
  if (grown == nullptr) return false;
  data_ = static_cast<char*>(grown);
  capacity_ = capacity;
  return true;
}

ssize_t FilePages::ReadSome(int fd) {
  for (;;) {
    const ssize_t n = ::read(fd, data_ + size_, capacity_ - size_);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      size_ += static_cast<size_t>(n);
      read_ += static_cast<size_t>(n);
    }
    return n;
  }
}

void FilePages::DropFront(size_t n) {
  if (n == 0) return;  // Also before the first Reserve: data_ is null.
  std::memmove(data_, data_ + n, size_ - n);
  size_ -= n;
}

absl::Status FilePages::ReadToEnd(int fd, size_t expected,
                                  absl::string_view path) {
  // One byte more than expected: the read that finds the end needs room.
  size_t want = size_ + expected + 1;
  for (;;) {
    if (!Reserve(want)) {
      return absl::ResourceExhaustedError(
          absl::StrCat(path, ": no memory for ", want, " bytes of the file"));
    }
    const ssize_t n = ReadSome(fd);
    if (n < 0) return absl::DataLossError(absl::StrCat(path, ": read failed"));
    if (n == 0) return absl::OkStatus();
    if (size_ == capacity_) want = 2 * capacity_;
  }
}

size_t RegularFileSize(int fd) {
  struct stat info;
  return ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0
             ? static_cast<size_t>(info.st_size)
             : 0;
}

}  // namespace vigil
