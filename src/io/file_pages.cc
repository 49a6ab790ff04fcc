#include "src/io/file_pages.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace vigil {

FilePages::~FilePages() {
  if (data_ != nullptr) ::munmap(data_, capacity_);
}

bool FilePages::Reserve(size_t bytes) {
  if (bytes <= capacity_) return true;
  const size_t page = 4096;
  const size_t capacity =
      (std::max(bytes, 2 * capacity_) + page - 1) & ~(page - 1);
  void* grown = data_ == nullptr
                    ? ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                    : ::mremap(data_, capacity_, capacity, MREMAP_MAYMOVE);
  if (grown == MAP_FAILED) return false;
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
