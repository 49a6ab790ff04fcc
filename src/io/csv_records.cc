#include "src/io/csv_records.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/io/proto_formats.h"

namespace vigil {

CsvRecords::CsvRecords(absl::string_view text) : reader_(text), whole_(true) {}

CsvRecords::CsvRecords(int fd, std::string path, size_t size_hint)
    : reader_(absl::string_view()),
      whole_(false),
      fd_(fd),
      path_(std::move(path)),
      size_hint_(size_hint) {}

CsvRecords::~CsvRecords() {
  if (fd_ >= 0) ::close(fd_);
  if (buffer_ != nullptr) ::munmap(buffer_, capacity_);
}

absl::StatusOr<std::unique_ptr<CsvRecords>> CsvRecords::OpenFile(
    const std::string& path) {
  const absl::StatusOr<int> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  struct stat info;
  const size_t size_hint =
      ::fstat(*fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0
          ? static_cast<size_t>(info.st_size)
          : 0;
  std::unique_ptr<CsvRecords> records(new CsvRecords(*fd, path, size_hint));
  // An empty file reads as an empty text: no records.
  records->NextPiece();
  return records;
}

bool CsvRecords::ReadSome() {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_ + filled_, capacity_ - filled_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = absl::DataLossError(absl::StrCat(path_, ": read failed"));
      return false;
    }
    if (n == 0) end_of_file_ = true;
    filled_ += static_cast<size_t>(n);
    read_ += static_cast<size_t>(n);
    return true;
  }
}

bool CsvRecords::Reserve(size_t bytes) {
  if (bytes <= capacity_) return true;
  const size_t page = 4096;
  const size_t capacity =
      (std::max(bytes, 2 * capacity_) + page - 1) & ~(page - 1);
  void* grown = buffer_ == nullptr
                    ? ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                    : ::mremap(buffer_, capacity_, capacity, MREMAP_MAYMOVE);
  if (grown == MAP_FAILED) {
    status_ = absl::ResourceExhaustedError(absl::StrCat(
        path_, ": no memory for ", capacity, " bytes of the file"));
    return false;
  }
  buffer_ = static_cast<char*>(grown);
  capacity_ = capacity;
  return true;
}

bool CsvRecords::NextPiece() {
  if (whole_ || !status_.ok()) return false;
  const int64_t line = reader_.line();
  // What the last piece left (a line without its end yet) goes first.
  if (piece_end_ > 0) {
    std::memmove(buffer_, buffer_ + piece_end_, filled_ - piece_end_);
    filled_ -= piece_end_;
    piece_end_ = 0;
  }
  if (!Reserve(kPieceBytes)) return Fail();
  size_t searched = 0;  // No line end in buffer_[0, searched).
  for (;;) {
    while (!end_of_file_ && filled_ < capacity_) {
      if (!ReadSome()) return Fail();
    }
    if (end_of_file_) {
      piece_end_ = filled_;
      whole_ = true;
      break;
    }
    const void* end = ::memrchr(buffer_ + searched, '\n', filled_ - searched);
    if (end != nullptr) {
      piece_end_ = static_cast<const char*>(end) - buffer_ + 1;
      break;
    }
    // A line longer than the buffer: more room, and read on.
    searched = filled_;
    if (!Reserve(2 * capacity_)) return Fail();
  }
  const absl::string_view piece(buffer_, piece_end_);
  // Only the file's first piece can start with a byte-order mark.
  reader_ = first_piece_ ? CsvReader(piece) : CsvReader(piece, line);
  first_piece_ = false;
  quote_checked_ = false;
  return piece_end_ > 0;
}

bool CsvRecords::Fail() {
  // The reader's text may have moved or be cut: it reads nothing more.
  reader_ = CsvReader(absl::string_view());
  whole_ = true;
  return false;
}

bool CsvRecords::ReadRestWhole() {
  if (whole_) return true;
  const size_t from = reader_.offset();
  const int64_t line = reader_.line();
  std::memmove(buffer_, buffer_ + from, filled_ - from);
  filled_ -= from;
  // The rest of a regular file in one allocation (its size is a hint: the
  // file may have grown; a pipe has none).
  if (!Reserve(filled_ + (size_hint_ > read_ ? size_hint_ - read_ : 0) + 1)) {
    return Fail();
  }
  while (!end_of_file_) {
    if (filled_ == capacity_ && !Reserve(2 * capacity_)) return Fail();
    if (!ReadSome()) return Fail();
  }
  piece_end_ = filled_;
  whole_ = true;
  reader_ = CsvReader(absl::string_view(buffer_, filled_), line);
  return true;
}

bool CsvRecords::Next(std::vector<absl::string_view>* row, int64_t* line,
                      std::string* error) {
  error->clear();
  for (;;) {
    switch (reader_.NextPlain(row, line)) {
      case CsvReader::Plain::kRecord:
        return true;
      case CsvReader::Plain::kEnd:
        if (NextPiece()) continue;
        return false;
      case CsvReader::Plain::kQuoted:
        // A quoted field may hold line ends past this piece's end.
        if (!whole_) {
          if (!ReadRestWhole()) return false;
          continue;
        }
        break;
    }
    if (!reader_.Next(&owned_, line, error)) return false;
    row->assign(owned_.begin(), owned_.end());
    return true;
  }
}

bool CsvRecords::NextOwned(std::vector<std::string>* fields, int64_t* line,
                           std::string* error) {
  for (;;) {
    if (!whole_ && !quote_checked_) {
      quote_checked_ = true;
      const size_t from = reader_.offset();
      if (std::memchr(buffer_ + from, '"', piece_end_ - from) != nullptr &&
          !ReadRestWhole()) {
        return false;
      }
    }
    if (reader_.Next(fields, line, error)) return true;
    if (!NextPiece()) return false;
  }
}

}  // namespace vigil
