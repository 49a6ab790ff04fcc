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
  // record (text after a closing quote, a quote left open) sets `error` to a
  // description and still returns true. A quote that is never closed, or a
  // quoted field longer than kMaxQuotedLines lines or kMaxQuotedBytes bytes,
  // is taken for a stray quote: the record is that one line, in error, and
  // reading resumes on the next line, so one bad quote never swallows the
  // rows after it.
  bool Next(std::vector<std::string>* fields, int64_t* line,
            std::string* error);

  // What NextPlain read.
  enum class Plain { kRecord, kEnd, kQuoted };
  // The fast path for the common record, one without a quote: reads it as
  // views into the text (valid as long as the text is), the fields and
  // line Next would give, and returns kRecord; kEnd at the end of the text
  // (where Next returns false). A record holding a quote is left unread
  // (kQuoted): read it with Next. Calls to both may be mixed.
  Plain NextPlain(std::vector<absl::string_view>* fields, int64_t* line);

  static constexpr int64_t kMaxQuotedLines = 100;
  static constexpr size_t kMaxQuotedBytes = 1 << 20;

 private:
  // Skips blank lines (as Next does); false at the end of the text.
  bool SkipBlankLines();
  // Ends the record that started at `record_start` on `start_line` as an
  // error, and resumes after that line.
  bool Resync(size_t record_start, int64_t start_line,
              std::vector<std::string>* fields, std::string* error,
              const std::string& why);

  absl::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

// A number as a CSV file writes one: [+-]digits[.digits][(e|E)[+-]digits]
// (".5" and "5." too), or inf, infinity, nan in any case (which callers
// report as not finite). Surrounding spaces are allowed. Everything else is
// false, hexadecimal ("0x10", which strtod would read as 16) included.
bool ParseDecimal(absl::string_view text, double* value);

}  // namespace vigil

#endif  // VIGIL_CSV_READER_H_
