#include "src/io/csv_records.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace vigil {
namespace {

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
};

// Reads all records as the data readers do: the header with NextOwned,
// the rest with Next (or all with NextOwned, as the definition readers).
Read ReadAll(CsvRecords* records, bool owned_only) {
  Read read;
  std::vector<std::string> owned;
  std::vector<absl::string_view> views;
  int64_t line = 0;
  std::string error;
  for (;;) {
    if (owned_only || read.rows.empty()) {
      if (!records->NextOwned(&owned, &line, &error)) break;
    } else {
      if (!records->Next(&views, &line, &error)) break;
      owned.clear();
      for (absl::string_view v : views) owned.emplace_back(v);
    }
    read.rows.push_back(owned);
    read.lines.push_back(line);
    read.errors.push_back(error);
  }
  EXPECT_TRUE(records->status().ok()) << records->status();
  return read;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Plain records (LF and CRLF ends, blank lines) for `bytes` bytes.
std::string PlainRecords(size_t bytes, std::mt19937* random) {
  std::string text;
  while (text.size() < bytes) {
    text += "R" + std::to_string((*random)() % 300) + ",IND" +
            std::to_string((*random)() % 10) + ",2020-0" +
            std::to_string(1 + (*random)() % 9) + ",," +
            std::to_string((*random)() % 9000) + "," +
            std::to_string(9000 + (*random)() % 100);
    const unsigned end = (*random)() % 20;
    text += end == 0 ? "\r\n" : end == 1 ? "\n\n" : end == 2 ? "\r" : "\n";
  }
  return text;
}

void ExpectFileReadsAsText(const std::string& name, const std::string& text) {
  const std::string path = WriteTemp(name, text);
  for (const bool owned_only : {false, true}) {
    CsvRecords whole(text);
    const Read expected = ReadAll(&whole, owned_only);
    absl::StatusOr<std::unique_ptr<CsvRecords>> file =
        CsvRecords::OpenFile(path);
    ASSERT_TRUE(file.ok()) << file.status();
    const Read got = ReadAll(file->get(), owned_only);
    EXPECT_EQ(got.rows.size(), expected.rows.size()) << name;
    EXPECT_EQ(got.rows, expected.rows) << name;
    EXPECT_EQ(got.lines, expected.lines) << name;
    EXPECT_EQ(got.errors, expected.errors) << name;
  }
  std::remove(path.c_str());
}

// A file of plain records is read a piece at a time: records and line ends
// ("\r\n" too) cut by a piece's end, blank lines, a line longer than a
// piece, a byte-order mark and a last line without its end read as the
// whole text does, with the same line numbers.
TEST(CsvRecordsTest, AFileReadInPiecesReadsAsTheWholeText) {
  std::mt19937 random(3);
  std::string text = "\xEF\xBB\xBFprovider_id,indicator_id,period,value\n";
  text += PlainRecords(3 * CsvRecords::kPieceBytes, &random);
  text += "LONG," + std::string(CsvRecords::kPieceBytes + 1000, 'x') + "\n";
  text += PlainRecords(CsvRecords::kPieceBytes / 2, &random);
  text += "last,row,without,end";
  ExpectFileReadsAsText("pieces.csv", text);
}

// A quote met after the first piece: the rest of the file is read whole, so
// a quoted field whose line ends run past a piece's end, an escaped quote
// and a stray quote read as in the whole text.
TEST(CsvRecordsTest, AQuoteAfterTheFirstPieceReadsTheRestWhole) {
  std::mt19937 random(5);
  std::string text = "a,b,c,d,e,f\n";
  text += PlainRecords(CsvRecords::kPieceBytes * 3 / 2 - 40, &random);
  // 90 lines of 3 KB: longer than a piece, so a piece's end falls inside.
  text += "\"quoted";
  for (int i = 0; i < 90; ++i) text += "\n" + std::string(3000, 'q');
  text += "\",\"x\"\"y\",3\n";
  text += PlainRecords(CsvRecords::kPieceBytes, &random);
  text += "stray \"quote,1\n";
  text += PlainRecords(1000, &random);
  ExpectFileReadsAsText("quotes.csv", text);
}

// What an indexer makes of observations: every diagnostic, the counts and
// every series' values, as text.
std::string Indexed(DatasetIndexer* indexer) {
  const SeriesStore store = std::move(*indexer).Build();
  std::string out = std::to_string(store.observations_read()) + " read, " +
                    std::to_string(store.observations_used()) + " used\n";
  for (const v1::Diagnostic& d : store.diagnostics()) {
    out += d.message() + "\n";
  }
  for (int i = 0; i < store.num_series(); ++i) {
    for (double v : store.series(i).values) out += std::to_string(v) + ",";
    out += "\n";
  }
  return out;
}

// Files of mixed good rows, broken rows and stray bytes (quotes, lone
// carriage returns, NULs, bytes that are not UTF-8), longer than a piece:
// AddDataFile, reading in pieces, indexes exactly what AddDataBytes
// indexes from the whole text.
TEST(CsvRecordsTest, AFileOfAnyBytesIndexesAsItsWholeText) {
  std::mt19937 random(11);
  const std::string pieces[] = {"R1,I1,2020-01,5,,\n",
                                "R2,I1,2020-02,,3,4\n",
                                "R1,I2,2020-03,x,,\n",
                                "R3,I1,2020-13,1,,\n",
                                ",,,\n",
                                "\r\n",
                                "\r",
                                "\"",
                                "\"R4\",\"I1\",2020-01,1,,\n",
                                std::string("\0", 1),
                                "\xff\xfe",
                                ","};
  for (int round = 0; round < 4; ++round) {
    std::string text =
        "provider_id,indicator_id,period,value,numerator,"
        "denominator\n";
    // Quoted and stray bytes only past the first piece in some rounds.
    const size_t plain_until = round % 2 == 0 ? CsvRecords::kPieceBytes : 0;
    while (text.size() < 3 * CsvRecords::kPieceBytes) {
      const size_t choice = text.size() < plain_until ? random() % 5
                            : random() % 4 == 0       ? random() % 12
                                                      : random() % 2;
      text += pieces[choice];
    }
    const std::string name = "soup" + std::to_string(round) + ".csv";
    const std::string path = WriteTemp(name, text);
    DatasetIndexer from_file;
    ASSERT_TRUE(AddDataFile(path, DataKind::kObservations, &from_file).ok());
    DatasetIndexer from_text;
    ASSERT_TRUE(AddDataBytes(text, Format::kCsv, DataKind::kObservations, name,
                             &from_text)
                    .ok());
    const std::string file_result = Indexed(&from_file);
    EXPECT_GT(file_result.size(), 1000u);
    EXPECT_TRUE(file_result == Indexed(&from_text)) << round;
    std::remove(path.c_str());
  }
}

// Empty files and files of blank lines give no record.
TEST(CsvRecordsTest, EmptyAndBlankFilesHaveNoRecords) {
  ExpectFileReadsAsText("empty.csv", "");
  ExpectFileReadsAsText("blank.csv", "\n\r\n\n");
}

// A pipe (no size known) is read in pieces too.
TEST(CsvRecordsTest, ReadsAPipe) {
  const std::string path = ::testing::TempDir() + "/pipe.csv";
  std::remove(path.c_str());
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::mt19937 random(9);
  const std::string text =
      "h1,h2\n" + PlainRecords(2 * CsvRecords::kPieceBytes, &random);
  std::thread writer([&] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    // In small writes, so that reads come back short.
    for (size_t at = 0; at < text.size(); at += 5000) {
      const size_t n = std::min<size_t>(5000, text.size() - at);
      ASSERT_EQ(::write(fd, text.data() + at, n), static_cast<ssize_t>(n));
    }
    ::close(fd);
  });
  absl::StatusOr<std::unique_ptr<CsvRecords>> file = CsvRecords::OpenFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  const Read got = ReadAll(file->get(), false);
  writer.join();
  CsvRecords whole(text);
  const Read expected = ReadAll(&whole, false);
  EXPECT_EQ(got.rows, expected.rows);
  EXPECT_EQ(got.lines, expected.lines);
  std::remove(path.c_str());
}

// Opening fails as ReadFile does, naming the path.
TEST(CsvRecordsTest, OpeningNamesThePath) {
  const std::string missing = ::testing::TempDir() + "/no-such-file.csv";
  absl::StatusOr<std::unique_ptr<CsvRecords>> file =
      CsvRecords::OpenFile(missing);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(file.status().message().find(missing), std::string::npos);
  file = CsvRecords::OpenFile(::testing::TempDir());
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil
