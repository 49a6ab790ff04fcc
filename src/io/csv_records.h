// The records of a CSV data file for the data readers (csv_data.cc), read a
// piece at a time: a 32 MB observations file is never held whole, so its
// pages are neither allocated nor counted in the peak memory.
#ifndef VIGIL_SRC_IO_CSV_RECORDS_H_
#define VIGIL_SRC_IO_CSV_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/io/file_pages.h"
#include "vigil/csv_reader.h"

namespace vigil {

// Reads the records of a CSV text as CsvReader does (same fields, lines and
// errors), from a text in memory or from a file in pieces.
//
// A file is read in pieces of kPieceBytes or more, each cut after its last
// line end; a line longer than a piece makes the piece grow. A record that
// holds a quote may run over line ends, so at the first quote met the rest
// of the file is read whole and read as one text from there on (so a file
// of quoted fields is held whole, as a text in memory is).
//
// Not thread-safe; one per file.
class CsvRecords {
 public:
  static constexpr size_t kPieceBytes = size_t{256} << 10;

  // The records of `text`, which must outlive this.
  explicit CsvRecords(absl::string_view text);
  // The records of the file at `path`, or the errors of ReadFile (NotFound
  // and PermissionDenied naming the path, InvalidArgument for a
  // directory).
  static absl::StatusOr<std::unique_ptr<CsvRecords>> OpenFile(
      const std::string& path);

  CsvRecords(const CsvRecords&) = delete;
  CsvRecords& operator=(const CsvRecords&) = delete;
  ~CsvRecords();

  // As CsvReader::Next, the fields as views: a record without a quote is
  // read straight from the text (CsvReader::NextPlain), any other through
  // CsvReader::Next (views into strings kept here). Views are valid until
  // the next call. False at the end, or when reading the file failed
  // (status() says so).
  bool Next(std::vector<absl::string_view>* row, int64_t* line,
            std::string* error);
  // As CsvReader::Next, into strings (the header, the small definition
  // files).
  bool NextOwned(std::vector<std::string>* fields, int64_t* line,
                 std::string* error);

  // DataLoss "<path>: read failed" once reading the file failed, or
  // ResourceExhausted when there was no memory for it (the records before
  // were given), else OK.
  const absl::Status& status() const { return status_; }

 private:
  CsvRecords(int fd, std::string path, size_t size_hint);

  // The reader over the next piece: the rest of the last one and more of
  // the file up to the last line end. False when nothing is left (or
  // reading failed).
  bool NextPiece();
  // The reader over all the rest of the file, from where reading is (for a
  // record with a quote). False when reading failed.
  bool ReadRestWhole();
  // After a failed read: `status` kept, a reader of nothing (its text may
  // have moved), no more pieces. Returns false.
  bool Fail(absl::Status status);
  // Fail with ResourceExhausted: no memory for `bytes` of the file.
  bool NoMemory(size_t bytes);

  CsvReader reader_;
  // Whether reader_ covers all that is left (a text, or the file's end).
  bool whole_;
  std::vector<std::string> owned_;
  absl::Status status_;

  // The file's state; fd_ is -1 for a text.
  int fd_ = -1;
  std::string path_;
  size_t size_hint_ = 0;  // The file's size when opened, if regular.
  FilePages pages_;
  size_t piece_end_ = 0;  // reader_ reads pages_.data()[0, piece_end_).
  bool first_piece_ = true;
  // Whether NextOwned has looked for a quote in the current piece.
  bool quote_checked_ = false;
};

}  // namespace vigil

#endif  // VIGIL_SRC_IO_CSV_RECORDS_H_
