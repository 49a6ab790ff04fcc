#include "vigil/csv_reader.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"

namespace vigil {
namespace {

std::vector<std::vector<std::string>> ReadAll(
    const std::string& text, std::vector<int64_t>* lines,
    std::vector<std::string>* errors) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  while (reader.Next(&fields, &line, &error)) {
    rows.push_back(fields);
    if (lines) lines->push_back(line);
    if (errors) errors->push_back(error);
  }
  return rows;
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  std::vector<int64_t> lines;
  auto rows =
      ReadAll("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1",
              &lines, nullptr);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"two\nlines", "z"}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 5}));
}

TEST(CsvReaderTest, SkipsBomAndBlankLinesButCountsThem) {
  std::vector<int64_t> lines;
  auto rows = ReadAll("\xEF\xBB\xBFid\n\n\nA\n", &lines, nullptr);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "id");
  EXPECT_EQ(lines[1], 4);
}

TEST(CsvReaderTest, ReportsAnUnclosedQuote) {
  std::vector<std::string> errors;
  ReadAll("a\n\"open\n", nullptr, &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[1].find("not closed"), std::string::npos);
}

TEST(CsvReaderTest, AStrayQuoteDoesNotSwallowTheRowsAfterIt) {
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
  const auto rows = ReadAll("a,b\n1,\"x\n2,y\n3,z\n", &lines, &errors);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_NE(errors[1].find("not closed before the end of the file"),
            std::string::npos)
      << errors[1];
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2", "y"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "z"}));
}

TEST(CsvReaderTest, AQuotedFieldOverTheLineLimitIsAStrayQuote) {
  std::string text = "a\n\"";
  for (int i = 0; i < 150; ++i) text += "x\n";
  text += "\"\nlast\n";
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
  const auto rows = ReadAll(text, &lines, &errors);
  EXPECT_NE(errors[1].find("more than 100 lines"), std::string::npos)
      << errors[1];
  EXPECT_EQ(lines[1], 2);
  // Reading resumed on line 3: the rows after the quote are read again.
  EXPECT_EQ(lines[2], 3);
  EXPECT_EQ(rows.back(), (std::vector<std::string>{"last"}));
}

TEST(CsvReaderTest, ReportsTextAfterAClosingQuote) {
  std::vector<std::string> errors;
  ReadAll("\"a\"b,c\n", nullptr, &errors);
  EXPECT_EQ(errors[0], "text after a closing quote");
}

TEST(CsvReaderTest, KeepsEmptyTrailingField) {
  auto rows = ReadAll("a,b,\n", nullptr, nullptr);
  EXPECT_EQ(rows[0].size(), 3u);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(ParseDecimalTest, ReadsDecimalNumbersOnly) {
  double v = 0;
  EXPECT_TRUE(ParseDecimal("95", &v) && v == 95);
  EXPECT_TRUE(ParseDecimal(" -1.5e2 ", &v) && v == -150);
  EXPECT_TRUE(ParseDecimal(".5", &v) && v == 0.5);
  EXPECT_TRUE(ParseDecimal("5.", &v) && v == 5);
  EXPECT_TRUE(ParseDecimal("inf", &v) && std::isinf(v));  // Reported later.
  EXPECT_TRUE(ParseDecimal("NaN", &v) && std::isnan(v));
  // strtod reads these as 16 and 95: issue 14's catalogue.
  EXPECT_FALSE(ParseDecimal("0x10", &v));
  EXPECT_FALSE(ParseDecimal("0x5Fp0", &v));
  for (const char* bad :
       {"", "-", ".", "1e", "1e+", "1,5", "1.2.3", "12a", "e5", "--1"}) {
    EXPECT_FALSE(ParseDecimal(bad, &v)) << bad;
  }
}

// std::from_chars over the whole trimmed text (a leading '+' allowed): the
// grammar and the correctly rounded value ParseDecimal promises. Sets
// `*out_of_range` for an exponent beyond double's range (which ParseDecimal
// reads as an infinity or zero, for the indexer to report).
bool ReferenceDecimal(absl::string_view text, double* value,
                      bool* out_of_range) {
  const absl::string_view t = absl::StripAsciiWhitespace(text);
  size_t begin = 0;
  if (!t.empty() && t[0] == '+') {
    if (t.size() > 1 && t[1] == '-') return false;
    begin = 1;
  }
  const std::from_chars_result r =
      std::from_chars(t.data() + begin, t.data() + t.size(), *value);
  *out_of_range = r.ec == std::errc::result_out_of_range;
  return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

// Random texts of digits, points, signs, exponents and junk: ParseDecimal
// accepts exactly what from_chars reads whole, with the same bits (its
// fast path for up to 15 digits, and the rest).
TEST(ParseDecimalTest, AgreesWithFromCharsOnRandomTexts) {
  std::mt19937_64 random(1206);
  static const char kAlphabet[] = "0123456789012345678901234567.-+e a";
  for (int round = 0; round < 400000; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 21);
    for (int k = 0; k < length; ++k) {
      // Mostly digits, so that most texts are numbers.
      const size_t pick = random() % 8 == 0 ? random() % (sizeof(kAlphabet) - 1)
                                            : random() % 10;
      text += kAlphabet[pick];
    }
    double got = 0, want = 0;
    bool out_of_range = false;
    const bool expected = ReferenceDecimal(text, &want, &out_of_range);
    if (out_of_range) continue;
    const bool parsed = ParseDecimal(text, &got);
    ASSERT_EQ(parsed, expected) << "'" << text << "'";
    if (parsed) {
      ASSERT_TRUE(got == want || (std::isnan(got) && std::isnan(want)))
          << "'" << text << "' " << got << " " << want;
      ASSERT_EQ(std::signbit(got), std::signbit(want)) << "'" << text << "'";
    }
  }
}

// Reads `text` as the data readers do, NextPlain with Next for the records
// it leaves, and expects what Next alone reads.
void ExpectNextPlainReadsAsNext(const std::string& text) {
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
  const auto expected = ReadAll(text, &lines, &errors);
  CsvReader reader(text);
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> plain_lines;
  std::vector<std::string> plain_errors;
  std::vector<absl::string_view> views;
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  for (;;) {
    const CsvReader::Plain plain = reader.NextPlain(&views, &line);
    if (plain == CsvReader::Plain::kEnd) break;
    // A record left for Next stays left: NextPlain finds its quote again.
    if (plain == CsvReader::Plain::kQuoted) {
      EXPECT_EQ(reader.NextPlain(&views, &line), CsvReader::Plain::kQuoted);
    }
    error.clear();
    if (plain == CsvReader::Plain::kRecord) {
      fields.clear();
      for (absl::string_view v : views) fields.emplace_back(v);
    } else if (!reader.Next(&fields, &line, &error)) {
      break;
    }
    rows.push_back(fields);
    plain_lines.push_back(line);
    plain_errors.push_back(error);
  }
  EXPECT_EQ(rows, expected) << text;
  EXPECT_EQ(plain_lines, lines) << text;
  EXPECT_EQ(plain_errors, errors) << text;
}

// NextPlain, with Next for the records it leaves (as the data readers
// mix them), reads every text as Next alone does: fields, lines, errors.
TEST(CsvReaderTest, NextPlainReadsAsNextDoes) {
  for (const std::string text :
       {"a,b\r\n1,2\n\n3,\"x\"\r4,5", "a,b\n\"x\ny\",2\n,,\n",
        "\xEF\xBB\xBF"
        "a\n\r\n\rb,c\r\n",
        "x,a\"b\n\"open,1\n2,3", "a, b ,c\n\"q\"x,1\nlast", "", "\n\n",
        "only"}) {
    ExpectNextPlainReadsAsNext(text);
  }
}

// NextPlain finds a record's field ends from a look-ahead of a few
// kilobytes scanned 64 bytes at a time: texts of many such blocks, whose
// records, line ends ("\r\n" cut in two too), blank lines and quoted
// fields fall on every side of the blocks' edges, read as Next reads them.
TEST(CsvReaderTest, NextPlainReadsLongTextsAsNextDoes) {
  std::mt19937 random(7);
  const std::string pieces[] = {"a",  "bc",       "12.5", " ",    ",",
                                ",",  ",",        "\n",   "\r\n", "\r",
                                "\"", "\"q,\n\"", "\"\"", "\n\n", "\xEF"};
  for (int round = 0; round < 60; ++round) {
    std::string text;
    // Mostly plain records; some rounds with quotes, some without.
    const bool quotes = round % 3 == 0;
    while (text.size() < 3 * 4096 + static_cast<size_t>(random() % 200)) {
      const std::string& piece = pieces[random() % (quotes ? 15 : 10)];
      text += piece;
    }
    if (round % 2 == 0) text += '\n';
    ExpectNextPlainReadsAsNext(text);
  }
}

// Short decimals are read without std::from_chars: the same doubles.
TEST(ParseDecimalTest, ShortDecimalsAreCorrectlyRounded) {
  std::mt19937_64 random(19);
  for (int i = 0; i < 200000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 17);
    std::string text = random() % 4 == 0 ? "-" : "";
    const int point = static_cast<int>(random() % (digits + 1));
    for (int d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += static_cast<char>('0' + random() % 10);
    }
    double parsed = 0, expected = 0;
    ASSERT_TRUE(ParseDecimal(text, &parsed)) << text;
    const char* end = text.data() + text.size();
    ASSERT_EQ(std::from_chars(text.data(), end, expected).ptr, end) << text;
    ASSERT_EQ(std::memcmp(&parsed, &expected, sizeof parsed), 0) << text;
  }
}

}  // namespace
}  // namespace vigil
