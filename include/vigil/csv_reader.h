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
  // A reader of one piece of a longer text, cut after a line end: the
  // piece's first line is line `first_line` of the whole, and no byte-order
  // mark is looked for. For reading a file piece by piece.
  CsvReader(absl::string_view text, int64_t first_line);

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

  // Where reading goes on: the byte offset in the text, and the line number
  // there (after a kQuoted: the quoted record's offset and line).
  size_t offset() const { return pos_; }
  int64_t line() const { return line_; }

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

  // Finds the stop bytes (',', '\n', '\r', '"') of the next kScanBytes of
  // text after scanned_to_, into stops_ (scanned_to_ moves on).
  void ScanStops();

  static constexpr size_t kScanBytes = 4096;

  absl::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  // NextPlain's look-ahead: the offsets of the stop bytes before
  // scanned_to_, found 64 bytes at a time so that a record's fields are cut
  // without a branch per byte. stops_[next_stop_, stop_count_) are still to
  // be read; offsets below pos_ (a blank line, a record Next read) are
  // skipped.
  std::vector<size_t> stops_;
  size_t next_stop_ = 0;
  size_t stop_count_ = 0;
  size_t scanned_to_ = 0;
};

// A number as a CSV file writes one: [+-]digits[.digits][(e|E)[+-]digits]
// (".5" and "5." too), or inf, infinity, nan in any case (which callers
// report as not finite). Surrounding spaces are allowed. Everything else is
// false, hexadecimal ("0x10", which strtod would read as 16) included.
bool ParseDecimal(absl::string_view text, double* value);

}  // namespace vigil

#endif  // VIGIL_CSV_READER_H_
