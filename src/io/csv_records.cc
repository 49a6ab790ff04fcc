#include "src/io/csv_records.h"

#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/io/file_pages.h"
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
}

absl::StatusOr<std::unique_ptr<CsvRecords>> CsvRecords::OpenFile(
    const std::string& path) {
  const absl::StatusOr<int> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<CsvRecords> records(
      new CsvRecords(*fd, path, RegularFileSize(*fd)));
  // An empty file reads as an empty text: no records.
  records->NextPiece();
  return records;
}

bool CsvRecords::NextPiece() {
  if (whole_ || !status_.ok()) return false;
  const int64_t line = reader_.line();
  // What the last piece left (a line without its end yet) goes first.
  pages_.DropFront(piece_end_);
  piece_end_ = 0;
  if (!pages_.Reserve(kPieceBytes)) return NoMemory(kPieceBytes);
  size_t searched = 0;  // No line end in the bytes before.
  bool end_of_file = false;
  for (;;) {
    while (!end_of_file && pages_.size() < pages_.capacity()) {
      const ssize_t n = pages_.ReadSome(fd_);
      if (n < 0) {
        return Fail(absl::DataLossError(absl::StrCat(path_, ": read failed")));
      }
      end_of_file = n == 0;
    }
    if (end_of_file) {
      piece_end_ = pages_.size();
      whole_ = true;
      break;
    }
    const char* const data = pages_.data();
    const void* end =
        ::memrchr(data + searched, '\n', pages_.size() - searched);
    if (end != nullptr) {
      piece_end_ = static_cast<const char*>(end) - data + 1;
      break;
    }
    // A line longer than the buffer: more room, and read on.
    searched = pages_.size();
    const size_t more = 2 * pages_.capacity();
    if (!pages_.Reserve(more)) return NoMemory(more);
  }
  const absl::string_view piece(pages_.data(), piece_end_);
  // Only the file's first piece can start with a byte-order mark.
  reader_ = first_piece_ ? CsvReader(piece) : CsvReader(piece, line);
  first_piece_ = false;
  quote_checked_ = false;
  return piece_end_ > 0;
}

bool CsvRecords::NoMemory(size_t bytes) {
  return Fail(absl::ResourceExhaustedError(
      absl::StrCat(path_, ": no memory for ", bytes, " bytes of the file")));
}

bool CsvRecords::Fail(absl::Status status) {
  status_ = std::move(status);
  // The reader's text may have moved or be cut: it reads nothing more.
  reader_ = CsvReader(absl::string_view());
  whole_ = true;
  return false;
}

bool CsvRecords::ReadRestWhole() {
  if (whole_) return true;
  const int64_t line = reader_.line();
  pages_.DropFront(reader_.offset());
  // The rest of a regular file in one allocation (its size is a hint: the
  // file may have grown; a pipe has none).
  const size_t read = pages_.bytes_read();
  if (absl::Status s = pages_.ReadToEnd(
          fd_, size_hint_ > read ? size_hint_ - read : 0, path_);
      !s.ok()) {
    return Fail(std::move(s));
  }
  piece_end_ = pages_.size();
  whole_ = true;
  reader_ = CsvReader(pages_.bytes(), line);
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
      if (std::memchr(pages_.data() + from, '"', piece_end_ - from) !=
              nullptr &&
          !ReadRestWhole()) {
        return false;
      }
    }
    if (reader_.Next(fields, line, error)) return true;
    if (!NextPiece()) return false;
  }
}

}  // namespace vigil
