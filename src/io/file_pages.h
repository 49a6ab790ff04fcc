// A file's bytes read into pages of their own: an anonymous mapping, grown
// with mremap, not the malloc heap. Freeing a malloc'd buffer of up to
// 32 MiB makes glibc raise its mmap threshold to that size for the rest of
// the process (the evaluation after indexing a 32 MB file peaked 20 MB
// higher). Read, not mapped from the file: a file truncated while mapped
// would be a SIGBUS.
#ifndef VIGIL_SRC_IO_FILE_PAGES_H_
#define VIGIL_SRC_IO_FILE_PAGES_H_

#include <sys/types.h>

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vigil {

// Not thread-safe; one per file.
class FilePages {
 public:
  FilePages() = default;
  FilePages(const FilePages&) = delete;
  FilePages& operator=(const FilePages&) = delete;
  ~FilePages();

  // The bytes kept: data()[0, size()).
  char* data() const { return data_; }
  size_t size() const { return size_; }
  absl::string_view bytes() const { return absl::string_view(data_, size_); }
  // Room in all (kept bytes and free room).
  size_t capacity() const { return capacity_; }
  // Bytes read from files so far, dropped ones included.
  size_t bytes_read() const { return read_; }

  // Makes room for `bytes` in all (at least doubling); false when there is
  // no memory for it (what is kept stays).
  bool Reserve(size_t bytes);
  // One read(2) of `fd` into the free room, which must not be empty (EINTR
  // retried): the bytes read, 0 at the end of the file, -1 on an error.
  ssize_t ReadSome(int fd);
  // Drops the first `n` kept bytes; the rest moves to the front.
  void DropFront(size_t n);
  // Reads `fd` to its end, room first made for `expected` more bytes (a
  // hint: the file's size, when known). DataLoss "<path>: read failed" or
  // ResourceExhausted naming `path` when there is no memory.
  absl::Status ReadToEnd(int fd, size_t expected, absl::string_view path);

 private:
  char* data_ = nullptr;
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t read_ = 0;
};

// The size of the regular file open on `fd`, or 0 (not regular, empty, or
// unknown): a hint for ReadToEnd.
size_t RegularFileSize(int fd);

}  // namespace vigil

#endif  // VIGIL_SRC_IO_FILE_PAGES_H_
