// The fast JSON writer (src/report/json_writer.h) against protobuf's own
// printer: the same bytes for the golden reports, for every vigil.v1
// message type filled at random, for numbers against printf, and for a
// report written in pieces.
#include "src/report/json_writer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/json_test_util.h"
#include "vigil/io.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/partition.pb.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

using json_test::kEdgeDoubles;
using json_test::ProtobufJson;
using json_test::QuietProtobuf;
using json_test::RandomFiller;
using json_test::VigilTypes;

const std::string kRoot = VIGIL_SOURCE_DIR;

// protobuf's SimpleDtoa and SimpleFtoa, as stubs/strutil.cc writes them.
std::string ReferenceDtoa(double v) {
  char buffer[64];
  snprintf(buffer, sizeof(buffer), "%.15g", v);
  if (strtod(buffer, nullptr) != v)
    snprintf(buffer, sizeof(buffer), "%.17g", v);
  return buffer;
}

std::string ReferenceFtoa(float v) {
  char buffer[64];
  snprintf(buffer, sizeof(buffer), "%.6g", static_cast<double>(v));
  errno = 0;  // safe_strtof fails on a range error.
  const float back = strtof(buffer, nullptr);
  if (errno != 0 || back != v) {
    snprintf(buffer, sizeof(buffer), "%.9g", static_cast<double>(v));
  }
  return buffer;
}

std::string Dtoa(double v) {
  std::string out;
  AppendDouble(v, &out);
  return out;
}

std::string Ftoa(float v) {
  std::string out;
  AppendFloat(v, &out);
  return out;
}

// The writer's document, and a random type's object at depth 2 and members
// in two field ranges, against protobuf's document.
void ExpectSameAsProtobuf(const Message& m) {
  const std::string expected = ProtobufJson(m);
  ASSERT_EQ(MessageJson(m), expected) << m.GetDescriptor()->full_name();
  // The same bytes in pieces: "{", members up to 3, the rest, close.
  std::string pieces = "{";
  bool first = true;
  AppendJsonMembers(m, 0, 3, 1, &first, &pieces);
  AppendJsonMembers(m, 4, std::numeric_limits<int>::max(), 1, &first, &pieces);
  AppendJsonDocumentClose(first, &pieces);
  ASSERT_EQ(pieces, expected) << m.GetDescriptor()->full_name();
}

TEST(JsonWriterTest, GoldenReportsAreByteIdenticalToProtobuf) {
  for (const char* name :
       {"nhs_early_warning_2019-03.json", "hcai_2018-03.json"}) {
    auto golden = ReadFile(kRoot + "/tests/golden/" + name);
    ASSERT_TRUE(golden.ok()) << golden.status();
    v1::Report report;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(*golden, &report).ok());
    EXPECT_TRUE(MessageJson(report) == *golden) << name;
    EXPECT_TRUE(MessageJson(report) == ProtobufJson(report)) << name;
  }
}

TEST(JsonWriterTest, EveryVigilTypeFilledAtRandomMatchesProtobuf) {
  RandomFiller filler(20261206);
  const std::vector<const Descriptor*> types = VigilTypes();
  ASSERT_GT(types.size(), 40u);
  for (const Descriptor* d : types) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
    for (int round = 0; round < 60; ++round) {
      std::unique_ptr<Message> m(prototype->New());
      filler.Fill(m.get(), 0);
      ExpectSameAsProtobuf(*m);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(JsonWriterTest, EmptyAndZeroOptionalFieldsMatchProtobuf) {
  v1::Report empty;
  EXPECT_EQ(MessageJson(empty), "{}\n");
  EXPECT_EQ(MessageJson(empty), ProtobufJson(empty));
  v1::Assessment a;
  a.set_value(0);                     // optional: printed although zero.
  a.set_standard(-0.0);               // optional: printed as -0.
  a.mutable_spc();                    // set, empty: {}.
  a.add_evidence();                   // an empty element: {}.
  a.add_evidence()->set_value(-0.0);  // implicit -0.0: printed.
  a.set_rating(static_cast<v1::Rating>(77));  // No name: the number.
  EXPECT_EQ(MessageJson(a), ProtobufJson(a));
  EXPECT_EQ(MessageJson(a),
            "{\n \"rating\": 77,\n \"value\": 0,\n \"standard\": -0,\n"
            " \"evidence\": [\n  {},\n  {\n   \"value\": -0\n  }\n ],\n"
            " \"spc\": {}\n}\n");
}

TEST(JsonWriterTest, DoublesMatchSimpleDtoaForRandomBitsAndDecimals) {
  std::mt19937_64 rng(42);
  for (double v : kEdgeDoubles) {
    if (std::isfinite(v)) {
      ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
    }
  }
  for (int i = 0; i < 1500000; ++i) {
    const uint64_t bits = rng();
    double v;
    memcpy(&v, &bits, sizeof(v));
    if (!std::isfinite(v)) continue;
    ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << bits;
  }
  // Decimal-looking values: short decimals at every scale, their sums (as
  // 0.1 + 0.2), ratios (as percentages are computed) and integers.
  for (int i = 0; i < 1500000; ++i) {
    const double mantissa =
        static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000);
    const int digits = static_cast<int>(rng() % 7);
    const double a = mantissa / std::pow(10.0, digits) *
                     std::pow(10.0, static_cast<int>(rng() % 50) - 25);
    const double b = static_cast<double>(rng() % 1000) / 10.0;
    for (double v :
         {a, a + b, a / (b + 1.0), 100.0 * b / (a + 1.0),
          static_cast<double>(static_cast<int64_t>(rng() >> (rng() % 64)))}) {
      if (!std::isfinite(v)) continue;
      ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
    }
  }
}

// Doubles whose shortest text has 16 digits take %.17g's digits from exact
// integer arithmetic between 1e-11 and 1e17: random values at every scale
// of that range and its edges, values one ulp apart, and exact ties at the
// 17th digit (odd multiples of 2^-(17 - e) near 10^e), which printf rounds
// half to even.
TEST(JsonWriterTest, SixteenDigitDoublesMatchPrintfsSeventeenDigits) {
  std::mt19937_64 rng(20261206);
  std::uniform_real_distribution<double> scale(-12.5, 17.5);
  for (int i = 0; i < 600000; ++i) {
    const double v = std::pow(10.0, scale(rng)) * ((i & 1) != 0 ? -1 : 1);
    ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
    const double up = std::nextafter(v, 1e300);
    ASSERT_EQ(Dtoa(up), ReferenceDtoa(up)) << up;
  }
  for (int e = -11; e <= 16; ++e) {
    const double power = std::pow(10.0, e);
    for (double v :
         {power, std::nextafter(power, 0.0), std::nextafter(power, 1e300),
          9.999999999999999 * power, 1.0000000000000002 * power}) {
      ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
    }
    // x * 10^(16 - e) = u + 1/2 exactly for x = odd / 2^(17 - e).
    if (e <= 15) {
      const double step = std::ldexp(1.0, e - 17);
      const double first = std::ceil(power / step);
      for (int j = 0; j < 20000; ++j) {
        const double odd = first + 2 * j + (std::fmod(first, 2.0) == 0 ? 1 : 0);
        const double v = odd * step;
        ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
      }
    }
  }
}

// A double written again is copied from the texts kept on this thread:
// values written over and over (also far more than the slots, so that
// slots are reused for other values, and texts too long to keep) read as
// protobuf writes them every time.
TEST(JsonWriterTest, DoublesWrittenAgainMatchSimpleDtoa) {
  std::mt19937_64 rng(99);
  std::vector<double> values = {
      -1.2345678901234567e-300, 0.1,  92.84176533907427,
      -0.30000000000000004,     1e-5, 123456.789};
  for (int i = 0; i < 5000; ++i) {
    const uint64_t bits = rng();
    double v;
    memcpy(&v, &bits, sizeof(v));
    if (std::isfinite(v)) values.push_back(v);
    values.push_back(static_cast<double>(rng() % 100000) / 977.0);
  }
  for (int round = 0; round < 3; ++round) {
    for (double v : values) ASSERT_EQ(Dtoa(v), ReferenceDtoa(v)) << v;
    std::shuffle(values.begin(), values.end(), rng);
  }
}

TEST(JsonWriterTest, FloatsMatchSimpleFtoa) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000000; ++i) {
    const uint32_t bits = static_cast<uint32_t>(rng());
    float v;
    memcpy(&v, &bits, sizeof(v));
    if (std::isfinite(v)) {
      ASSERT_EQ(Ftoa(v), ReferenceFtoa(v)) << bits;
    }
    const float d =
        static_cast<float>(static_cast<int>(rng() % 200001) - 100000) /
        static_cast<float>(std::pow(10.0, static_cast<int>(rng() % 12)));
    ASSERT_EQ(Ftoa(d), ReferenceFtoa(d)) << d;
  }
}

// A string field printed by both.
void ExpectStringSameAsProtobuf(const std::string& s) {
  v1::EvidenceValue e;
  e.set_label(s);
  ASSERT_EQ(MessageJson(e), ProtobufJson(e)) << s;
}

TEST(JsonWriterTest, StringsEscapeEveryAsciiByteAsProtobuf) {
  for (int c = 1; c < 0x80; ++c) {
    ExpectStringSameAsProtobuf(std::string(1, static_cast<char>(c)) + "x");
  }
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  ExpectStringSameAsProtobuf(all);
}

// Every code point's UTF-8 encoding: escaped (C1 controls, U+2028, U+FEFF,
// the tag characters as surrogate pairs, ...) or copied as protobuf does.
TEST(JsonWriterTest, EveryCodePointEncodesAsProtobuf) {
  std::string text;
  for (uint32_t cp = 0x80; cp <= 0x10ffff; ++cp) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (cp < 0x800) {
      text.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    } else if (cp < 0x10000) {
      text.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    } else {
      text.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    }
    text.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    if (text.size() > 4096 || cp == 0x10ffff) {
      ExpectStringSameAsProtobuf(text);
      if (HasFatalFailure()) return;
      text.clear();
    }
  }
}

// Not UTF-8: protobuf drops the bytes it cannot read; so does the writer.
TEST(JsonWriterTest, InvalidUtf8IsDroppedAsProtobufDropsIt) {
  QuietProtobuf quiet;
  for (const std::string& s :
       {std::string("a\xff"
                    "b"),
        std::string("\xc3"
                    "c"),
        std::string("\xe2\x80"), std::string("\xc0\x80"),
        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
        std::string("x\xc3")}) {
    ExpectStringSameAsProtobuf(s);
  }
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) {
      c = static_cast<char>(rng() % 3 == 0 ? 0x80 | (rng() & 0x7f) : rng());
    }
    ExpectStringSameAsProtobuf(s);
    if (HasFatalFailure()) return;
  }
}

// A report written as the tool streams it: "{", the header members (fields
// 1-4), the assessments element by element, the remaining members, the
// close.
std::string ReportInPieces(const v1::Report& report) {
  std::string out = "{";
  bool first = true;
  AppendJsonMembers(report, 1, 4, 1, &first, &out);
  if (report.assessments_size() > 0) {
    AppendJsonArrayOpen("assessments", 1, &first, &out);
    for (int i = 0; i < report.assessments_size(); ++i) {
      AppendJsonArrayElement(report.assessments(i), 1, i == 0, &out);
    }
    AppendJsonArrayClose(1, &out);
  }
  AppendJsonMembers(report, 6, std::numeric_limits<int>::max(), 1, &first,
                    &out);
  AppendJsonDocumentClose(first, &out);
  return out;
}

TEST(JsonWriterTest, ReportWrittenInPiecesEqualsTheWhole) {
  RandomFiller filler(99);
  for (int round = 0; round < 200; ++round) {
    v1::Report report;
    filler.Fill(&report, 0);
    if (round % 4 == 0) report.clear_assessments();
    if (round % 8 == 0) report.clear_as_of();
    EXPECT_EQ(ReportInPieces(report), MessageJson(report));
    EXPECT_EQ(ReportInPieces(report), ProtobufJson(report));
  }
  EXPECT_EQ(ReportInPieces(v1::Report()), "{}\n");
  v1::Report only_assessments;
  only_assessments.add_assessments();
  EXPECT_EQ(ReportInPieces(only_assessments), ProtobufJson(only_assessments));
}

// Streamed in chunks of any size (1 byte: a write per piece), the bytes are
// the whole document's; a failing stream says so.
TEST(JsonWriterTest, PrintedInChunksEqualsTheWholeAndReportsFailure) {
  RandomFiller filler(17);
  for (int round = 0; round < 100; ++round) {
    v1::Report report;
    filler.Fill(&report, 0);
    for (size_t chunk : {size_t{1}, size_t{100}, size_t{1} << 20}) {
      std::ostringstream out;
      ASSERT_TRUE(PrintMessageJson(report, out, chunk));
      ASSERT_EQ(out.str(), ProtobufJson(report));
    }
  }
  std::ostringstream empty;
  ASSERT_TRUE(PrintMessageJson(v1::Report(), empty));
  EXPECT_EQ(empty.str(), "{}\n");
  // A type that falls back (a map) is printed whole.
  v1::MilestoneRule rule;
  (*rule.mutable_provider_weights())["a"] = 1;
  std::ostringstream fallback;
  ASSERT_TRUE(PrintMessageJson(rule, fallback, 1));
  EXPECT_EQ(fallback.str(), ProtobufJson(rule));
  std::ostringstream failed;
  failed.setstate(std::ios::badbit);
  v1::Report report;
  report.add_assessments()->set_rule_id("r");
  EXPECT_FALSE(PrintMessageJson(report, failed));
}

// Unknown fields (a group among them) are skipped as protobuf skips them;
// an unknown field with a known number but another wire type (which
// protobuf's printer reads as the field's type) is left to protobuf, for
// the element holding it or the whole message.
TEST(JsonWriterTest, UnknownFieldsAndOtherWireTypesMatchProtobuf) {
  // Report.providers[0]: group 99 {1: 1}, provider_id "A".
  const std::string group("\x32\x09\x9b\x06\x08\x01\x9c\x06\x0a\x01\x41", 11);
  // Report.providers[0]: provider_id (a string) as varints (a fuzz finding).
  const std::string varint_string("\x32\x07\x08\x05\x08\xff\xff\xff\x00", 9);
  const std::string top_level_unknown("\x0a\x01\x41\x98\x06\x01", 6);
  for (const std::string& bytes :
       {group, varint_string, top_level_unknown, group + top_level_unknown,
        varint_string + group}) {
    v1::Report report;
    ASSERT_TRUE(report.ParseFromString(bytes));
    const std::string expected = ProtobufJson(report);
    EXPECT_EQ(MessageJson(report), expected);
    std::ostringstream streamed;
    ASSERT_TRUE(PrintMessageJson(report, streamed, 1));
    EXPECT_EQ(streamed.str(), expected);
  }
}

TEST(JsonWriterTest, ObjectAtDepthIsProtobufsIndentedOneSpacePerLevel) {
  v1::Assessment a;
  a.set_rule_id("r");
  a.add_evidence()->set_label("x");
  std::string out;
  AppendJsonObject(a, 2, &out);
  EXPECT_EQ(out,
            "{\n   \"rule_id\": \"r\",\n   \"evidence\": [\n    {\n"
            "     \"label\": \"x\"\n    }\n   ]\n  }");
  out.clear();
  AppendJsonObject(v1::Assessment(), 3, &out);
  EXPECT_EQ(out, "{}");
}

// A map field: protobuf's printer writes it (re-indented for a depth).
TEST(JsonWriterTest, MapFieldsFallBackToProtobufAtAnyDepth) {
  v1::MilestoneRule rule;
  rule.set_weight(2.5);
  (*rule.mutable_provider_weights())["RXX"] = 1e21;
  (*rule.mutable_provider_weights())["<a>"] = 0.5;
  EXPECT_EQ(MessageJson(rule), ProtobufJson(rule));
  std::string object;
  AppendJsonObject(rule, 2, &object);
  std::string expected = ProtobufJson(rule);
  expected.pop_back();
  std::string indented;
  for (char c : expected) {
    indented.push_back(c);
    if (c == '\n') indented += "  ";
  }
  EXPECT_EQ(object, indented);
  // Inside a rule: the whole rule falls back, its pieces too.
  v1::Rule r;
  r.set_id("cquin");
  *r.mutable_milestone() = rule;
  ExpectSameAsProtobuf(r);
}

// Types built at run time: every scalar kind (float, uint32, sint, fixed,
// bytes), a oneof, and a recursive type deep enough to need protobuf.
const char kTestFile[] = R"pb(
  name: "json_writer_test.proto"
  package: "jwt"
  syntax: "proto3"
  message_type {
    name: "AllKinds"
    field { name: "f_float" number: 1 type: TYPE_FLOAT label: LABEL_OPTIONAL }
    field { name: "f_uint32" number: 2 type: TYPE_UINT32 label: LABEL_OPTIONAL }
    field { name: "f_uint64" number: 3 type: TYPE_UINT64 label: LABEL_OPTIONAL }
    field { name: "f_sint32" number: 4 type: TYPE_SINT32 label: LABEL_OPTIONAL }
    field { name: "f_sint64" number: 5 type: TYPE_SINT64 label: LABEL_OPTIONAL }
    field {
      name: "f_fixed32"
      number: 6
      type: TYPE_FIXED32
      label: LABEL_OPTIONAL
    }
    field {
      name: "f_sfixed64"
      number: 7
      type: TYPE_SFIXED64
      label: LABEL_OPTIONAL
    }
    field { name: "f_bytes" number: 8 type: TYPE_BYTES label: LABEL_OPTIONAL }
    field { name: "r_float" number: 9 type: TYPE_FLOAT label: LABEL_REPEATED }
    field {
      name: "r_uint64"
      number: 10
      type: TYPE_UINT64
      label: LABEL_REPEATED
    }
    field { name: "r_bytes" number: 11 type: TYPE_BYTES label: LABEL_REPEATED }
    field { name: "r_bool" number: 12 type: TYPE_BOOL label: LABEL_REPEATED }
    field {
      name: "o_int"
      number: 13
      type: TYPE_INT32
      label: LABEL_OPTIONAL
      oneof_index: 0
    }
    field {
      name: "o_text"
      number: 14
      type: TYPE_STRING
      label: LABEL_OPTIONAL
      oneof_index: 0
    }
    field {
      name: "node"
      number: 15
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".jwt.Node"
    }
    field {
      name: "f_double"
      number: 20
      type: TYPE_DOUBLE
      label: LABEL_OPTIONAL
    }
    oneof_decl { name: "choice" }
  }
  message_type {
    name: "Node"
    field { name: "value" number: 1 type: TYPE_INT32 label: LABEL_OPTIONAL }
    field {
      name: "child"
      number: 2
      type: TYPE_MESSAGE
      label: LABEL_OPTIONAL
      type_name: ".jwt.Node"
    }
  }
)pb";

class DynamicTypes {
 public:
  DynamicTypes() {
    google::protobuf::FileDescriptorProto file;
    EXPECT_TRUE(
        google::protobuf::TextFormat::ParseFromString(kTestFile, &file));
    EXPECT_NE(pool_.BuildFile(file), nullptr);
  }
  std::unique_ptr<Message> New(const std::string& name) {
    const Descriptor* d = pool_.FindMessageTypeByName(name);
    EXPECT_NE(d, nullptr) << name;
    return std::unique_ptr<Message>(factory_.GetPrototype(d)->New());
  }

 private:
  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_;
};

TEST(JsonWriterTest, EveryScalarKindAndOneofMatchProtobuf) {
  DynamicTypes types;
  RandomFiller filler(5);
  for (int round = 0; round < 2000; ++round) {
    std::unique_ptr<Message> m = types.New("jwt.AllKinds");
    filler.Fill(m.get(), 0);
    ExpectSameAsProtobuf(*m);
    if (HasFatalFailure()) return;
  }
}

TEST(JsonWriterTest, DeepMessagesMatchProtobufPastTheFastPathsDepth) {
  DynamicTypes types;
  for (int levels : {1, 10, 31, 32, 33, 40, 62}) {
    std::unique_ptr<Message> root = types.New("jwt.AllKinds");
    const Reflection& r = *root->GetReflection();
    Message* node = r.MutableMessage(
        root.get(), root->GetDescriptor()->FindFieldByName("node"));
    for (int i = 0; i < levels; ++i) {
      node->GetReflection()->SetInt32(
          node, node->GetDescriptor()->FindFieldByName("value"), i);
      node = node->GetReflection()->MutableMessage(
          node, node->GetDescriptor()->FindFieldByName("child"));
    }
    ExpectSameAsProtobuf(*root);
    std::string object;
    AppendJsonObject(*root, 1, &object);
    std::string expected = ProtobufJson(*root);
    expected.pop_back();
    std::string indented;
    for (char c : expected) {
      indented.push_back(c);
      if (c == '\n') indented += " ";
    }
    EXPECT_EQ(object, indented) << levels;
    std::ostringstream streamed;  // A recursive type is written whole.
    ASSERT_TRUE(PrintMessageJson(*root, streamed, 1));
    EXPECT_EQ(streamed.str(), ProtobufJson(*root)) << levels;
  }
}

}  // namespace
}  // namespace internal
}  // namespace vigil
