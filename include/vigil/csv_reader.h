// A small RFC 4180 CSV reader: quoted fields, "" escapes, embedded newlines,
// CRLF or LF line ends, a UTF-8 byte-order mark, blank lines skipped. The
// reader Vigil's own CSV inputs go through, for tools that read CSVs of
// their own (e.g. `vigil spc`).
//
// Thread safety: one reader per thread; it holds no shared state.
#ifndef VIGIL_CSV_READER_H_
#define VIGIL_CSV_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace vigil {

class CsvReader {
 public:
  // `text` must outlive the reader.
  explicit CsvReader(absl::string_view text);

  // Reads the next record into `fields`. Returns false at the end of the
  // text. `line` receives the 1-based line the record starts on. A malformed
  // record (a quote left open, text after a closing quote) sets `error` to a
  // description and still returns true; the reader resumes after it.
  bool Next(std::vector<std::string>* fields, int64_t* line,
            std::string* error);

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace vigil

#endif  // VIGIL_CSV_READER_H_
