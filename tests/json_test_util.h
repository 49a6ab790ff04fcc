// Shared by the report JSON writer's tests (json_writer_test.cc,
// json_direct_test.cc): protobuf's printer with the report options, a
// filler of messages of any type with random values of every kind, and the
// vigil.v1 message types.
#ifndef VIGIL_TESTS_JSON_TEST_UTIL_H_
#define VIGIL_TESTS_JSON_TEST_UTIL_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/partition.pb.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {
namespace json_test {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// What the writer must equal: protobuf's printer with the report options.
inline std::string ProtobufJson(const Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return json;
}

// Silences protobuf's "invalid UTF-8" errors while in scope.
class QuietProtobuf {
 public:
  QuietProtobuf()
      : old_(google::protobuf::SetLogHandler([](google::protobuf::LogLevel,
                                                const char*, int,
                                                const std::string&) {})) {}
  ~QuietProtobuf() { google::protobuf::SetLogHandler(old_); }

 private:
  google::protobuf::LogHandler* old_;
};

// Values that test the edges: specials, extremes, decimal-looking numbers.
inline const double kEdgeDoubles[] = {
    0.0,
    -0.0,
    std::numeric_limits<double>::quiet_NaN(),
    std::numeric_limits<double>::infinity(),
    -std::numeric_limits<double>::infinity(),
    std::numeric_limits<double>::denorm_min(),
    -std::numeric_limits<double>::denorm_min(),
    std::numeric_limits<double>::min(),
    std::numeric_limits<double>::max(),
    std::numeric_limits<double>::lowest(),
    std::numeric_limits<double>::epsilon(),
    81.2,
    0.1 + 0.2,
    1e21,
    1e-5,
    1e-4,
    123456789012345678.0,
    1e15,
    1e16,
    1e17,
    999999999999999.0,
    9999999999999998.0,
    0.000123,
    5e-324,
    2.5,
    100.0,
    -67.9,
    1.0 / 3.0,
    2.0 / 3.0,
};

// Fills messages by reflection with seeded random values of every kind.
class RandomFiller {
 public:
  explicit RandomFiller(uint64_t seed) : rng_(seed) {}

  void Fill(Message* m, int depth) {
    const Descriptor& d = *m->GetDescriptor();
    const Reflection& r = *m->GetReflection();
    for (int i = 0; i < d.field_count(); ++i) {
      const FieldDescriptor* f = d.field(i);
      if (Chance(30)) continue;  // Left unset.
      if (f->is_repeated()) {
        static const int kLengths[] = {0, 1, 2, 3, 7};
        const int n = kLengths[Below(5)];
        for (int k = 0; k < n; ++k) Add(m, r, f, depth);
      } else {
        Set(m, r, f, depth);
      }
    }
  }

  double Double() {
    switch (Below(4)) {
      case 0:
        return kEdgeDoubles[Below(std::size(kEdgeDoubles))];
      case 1: {
        const uint64_t bits = rng_();
        double v;
        memcpy(&v, &bits, sizeof(v));
        return v;
      }
      case 2:  // Decimal-looking: a few digits at some scale.
        return static_cast<double>(static_cast<int64_t>(Below(100000)) -
                                   50000) *
               std::pow(10.0, static_cast<int>(Below(40)) - 20);
      default:
        return std::ldexp(static_cast<double>(rng_() >> 11),
                          static_cast<int>(Below(200)) - 150);
    }
  }

  float Float() {
    if (Chance(50)) {
      const uint32_t bits = static_cast<uint32_t>(rng_());
      float v;
      memcpy(&v, &bits, sizeof(v));
      return v;
    }
    return static_cast<float>(Double());
  }

  // Valid UTF-8 with what the printer escapes.
  std::string String() {
    static const char* const kPieces[] = {"",
                                          "a",
                                          "A&E 4-hour",
                                          "<b>",
                                          "\"q\"",
                                          "\\",
                                          "\x01",
                                          "\x1f",
                                          "\x7f",
                                          "\n\t",
                                          "/",
                                          "\xc2\x80",
                                          "\xc2\x9f",
                                          "\xc2\xa0",
                                          "\xc2\xad",
                                          "\xc3\xa9",
                                          "\xe2\x80\xa8",
                                          "\xe2\x80\xa9",
                                          "\xef\xbb\xbf",
                                          "\xf0\x9f\x98\x80",
                                          "\xf3\xa0\x80\x81",
                                          "\xf0\x9d\x85\xb3",
                                          "\xd8\x80",
                                          "\xe2\x81\xa0",
                                          "\xef\xbf\xb9",
                                          "\xe2\x82\xac",
                                          "\xe0\xa0\x80",
                                          "\xf4\x8f\xbf\xbf"};
    std::string s;
    const int n = static_cast<int>(Below(6));
    for (int i = 0; i < n; ++i) s += kPieces[Below(std::size(kPieces))];
    if (Chance(10)) {  // Every ASCII byte but NUL.
      for (int c = 1; c < 0x80; ++c) s.push_back(static_cast<char>(c));
    }
    return s;
  }

  std::string Bytes() {
    std::string s(Below(10), '\0');
    for (char& c : s) c = static_cast<char>(rng_());
    return s;
  }

 private:
  uint64_t Below(uint64_t n) { return rng_() % n; }
  bool Chance(int percent) {
    return Below(100) < static_cast<uint64_t>(percent);
  }

  int EnumNumber(const FieldDescriptor* f) {
    const auto* e = f->enum_type();
    if (Chance(15)) return Chance(50) ? 77 : -3;  // Open enum: no name.
    return e->value(static_cast<int>(Below(e->value_count())))->number();
  }

  int64_t Int64() {
    switch (Below(4)) {
      case 0:
        return std::numeric_limits<int64_t>::min();
      case 1:
        return std::numeric_limits<int64_t>::max();
      case 2:
        return static_cast<int64_t>(Below(2000)) - 1000;
      default:
        return static_cast<int64_t>(rng_());
    }
  }

  int32_t Int32() {
    switch (Below(4)) {
      case 0:
        return std::numeric_limits<int32_t>::min();
      case 1:
        return std::numeric_limits<int32_t>::max();
      case 2:
        return static_cast<int32_t>(Below(2000)) - 1000;
      default:
        return static_cast<int32_t>(rng_());
    }
  }

  // A zero for a field with presence now and then: printed all the same.
  bool Zero(const FieldDescriptor* f) {
    return f->has_presence() && Chance(25);
  }

  void Set(Message* m, const Reflection& r, const FieldDescriptor* f,
           int depth) {
    const bool zero = Zero(f);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.SetInt32(m, f, zero ? 0 : Int32());
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.SetInt64(m, f, zero ? 0 : Int64());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.SetUInt32(m, f, zero ? 0 : static_cast<uint32_t>(Int32()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.SetUInt64(m, f, zero ? 0 : static_cast<uint64_t>(Int64()));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.SetDouble(m, f, zero ? 0.0 : Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.SetFloat(m, f, zero ? 0.0f : Float());
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.SetBool(m, f, !zero && Chance(50));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r.SetEnumValue(m, f, zero ? 0 : EnumNumber(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r.SetString(
            m, f,
            zero ? ""
                 : (f->type() == FieldDescriptor::TYPE_BYTES ? Bytes()
                                                             : String()));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        // Deeper levels stay empty (a set, empty message is printed too).
        Message* sub = r.MutableMessage(m, f);
        if (depth < 4 && Chance(70)) Fill(sub, depth + 1);
        break;
    }
  }

  void Add(Message* m, const Reflection& r, const FieldDescriptor* f,
           int depth) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.AddInt32(m, f, Int32());
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.AddInt64(m, f, Int64());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.AddUInt32(m, f, static_cast<uint32_t>(Int32()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.AddUInt64(m, f, static_cast<uint64_t>(Int64()));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.AddDouble(m, f, Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.AddFloat(m, f, Float());
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.AddBool(m, f, Chance(50));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r.AddEnumValue(m, f, EnumNumber(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r.AddString(
            m, f,
            f->type() == FieldDescriptor::TYPE_BYTES ? Bytes() : String());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* sub = r.AddMessage(m, f);
        if (depth < 4 && Chance(70)) Fill(sub, depth + 1);
        break;
      }
    }
  }

  std::mt19937_64 rng_;
};

// Every message type of a file, nested ones too.
inline void CollectTypes(const Descriptor* d,
                         std::vector<const Descriptor*>* out) {
  out->push_back(d);
  for (int i = 0; i < d->nested_type_count(); ++i) {
    CollectTypes(d->nested_type(i), out);
  }
}

inline std::vector<const Descriptor*> VigilTypes() {
  std::vector<const Descriptor*> types;
  for (const FileDescriptor* file :
       {v1::Report::descriptor()->file(), v1::RuleSet::descriptor()->file(),
        v1::Dataset::descriptor()->file(),
        v1::GatheredStatistics::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      CollectTypes(file->message_type(i), &types);
    }
  }
  return types;
}

}  // namespace json_test
}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_TESTS_JSON_TEST_UTIL_H_
