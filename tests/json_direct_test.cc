// The report JSON writer's direct path (src/report/json_direct.h, and the
// generated-accessor writers of json_hot.cc) against protobuf's printer:
// every vigil.v1 type filled at random, through generated messages (the
// hot types by their accessors) and dynamic ones (all by Reflection); -0.0
// in implicit-presence fields; unknown fields at any depth (left to the
// serialized path); and the hot types' guard against a changed .proto.
#include "src/report/json_direct.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"
#include "src/report/json_tables.h"
#include "src/report/json_text.h"
#include "src/report/json_writer.h"
#include "tests/json_test_util.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::Message;
using google::protobuf::Reflection;
using json_test::ProtobufJson;
using json_test::QuietProtobuf;
using json_test::RandomFiller;
using json_test::VigilTypes;

// The direct path's document of `m`, or nullopt-like "" with *ok false
// when it gives up.
std::string DirectJson(const Message& m, bool* ok) {
  const json::Table& t = json::Cache().Get(m.GetDescriptor());
  std::string out;
  json::Output o(&out);
  *ok = t.supported && json::DirectWriter(&o).Object(t, m, 0);
  o.Put('\n');
  o.Finish();
  return out;
}

// A copy of `m` as a dynamic message (read by Reflection, never by the hot
// writers), of the same descriptor.
std::unique_ptr<Message> DynamicCopy(const Message& m,
                                     DynamicMessageFactory* factory) {
  std::unique_ptr<Message> copy(
      factory->GetPrototype(m.GetDescriptor())->New());
  copy->CopyFrom(m);  // By Reflection (parsing would refuse bad UTF-8).
  return copy;
}

// The writer's functions on `m`, all against protobuf's document.
void ExpectWriterSameAsProtobuf(const Message& m) {
  const std::string expected = ProtobufJson(m);
  ASSERT_EQ(MessageJson(m), expected) << m.GetDescriptor()->full_name();
  std::string pieces = "{";
  bool first = true;
  AppendJsonMembers(m, 0, 14, 1, &first, &pieces);
  AppendJsonMembers(m, 15, std::numeric_limits<int>::max(), 1, &first, &pieces);
  AppendJsonDocumentClose(first, &pieces);
  ASSERT_EQ(pieces, expected) << m.GetDescriptor()->full_name();
  std::ostringstream streamed;
  ASSERT_TRUE(PrintMessageJson(m, streamed, 1));
  ASSERT_EQ(streamed.str(), expected) << m.GetDescriptor()->full_name();
}

TEST(JsonDirectTest, HotTypesAreReadThroughGeneratedAccessors) {
  // Fails when report.proto changes one of these types: update the field lists
  // and the writers in src/report/json_hot.cc (the output stays right without:
  // the type is read through Reflection).
  EXPECT_EQ(json::Cache().Get(v1::Assessment::descriptor()).hot,
            json::HotType::kAssessment);
  EXPECT_EQ(json::Cache().Get(v1::EvidenceValue::descriptor()).hot,
            json::HotType::kEvidenceValue);
  EXPECT_EQ(json::Cache().Get(v1::PeriodValue::descriptor()).hot,
            json::HotType::kPeriodValue);
  EXPECT_EQ(json::Cache().Get(v1::Report::descriptor()).hot,
            json::HotType::kNone);
}

// Every supported type: the direct path takes the whole message (no
// unknown fields, not too deep) and writes protobuf's bytes, for generated
// messages and for dynamic copies.
TEST(JsonDirectTest, EveryVigilTypeFilledAtRandomIsWrittenDirectly) {
  QuietProtobuf quiet;
  RandomFiller filler(20261207);
  DynamicMessageFactory factory;
  int direct_types = 0;
  for (const Descriptor* d : VigilTypes()) {
    if (!json::Cache().Get(d).supported) continue;
    ++direct_types;
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
    for (int round = 0; round < 40; ++round) {
      std::unique_ptr<Message> m(prototype->New());
      filler.Fill(m.get(), 0);
      const std::string expected = ProtobufJson(*m);
      bool ok = false;
      ASSERT_EQ(DirectJson(*m, &ok), expected) << d->full_name();
      ASSERT_TRUE(ok) << d->full_name();
      std::unique_ptr<Message> dynamic = DynamicCopy(*m, &factory);
      ASSERT_EQ(DirectJson(*dynamic, &ok), expected) << d->full_name();
      ASSERT_TRUE(ok) << d->full_name();
      ExpectWriterSameAsProtobuf(*dynamic);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(direct_types, 30);
}

// proto3 implicit-presence doubles are serialized (so printed) when their
// bits are not zero: -0.0 is written, by the hot writers and by Reflection.
TEST(JsonDirectTest, NegativeZeroInImplicitFieldsIsWritten) {
  v1::Assessment a;
  a.add_evidence()->set_value(-0.0);
  a.add_recent_values()->set_value(-0.0);
  a.mutable_spc()->set_mean(-0.0);
  a.mutable_trajectory()->add_points()->set_plan(-0.0);
  a.set_value(-0.0);  // optional: printed as set.
  const std::string expected = ProtobufJson(a);
  EXPECT_EQ(expected,
            "{\n \"value\": -0,\n \"evidence\": [\n  {\n   \"value\": -0\n"
            "  }\n ],\n \"spc\": {\n  \"mean\": -0\n },\n"
            " \"recent_values\": [\n  {\n   \"value\": -0\n  }\n ],\n"
            " \"trajectory\": {\n  \"points\": [\n   {\n    \"plan\": -0\n"
            "   }\n  ]\n }\n}\n");
  bool ok = false;
  EXPECT_EQ(DirectJson(a, &ok), expected);
  EXPECT_TRUE(ok);
  DynamicMessageFactory factory;
  EXPECT_EQ(DirectJson(*DynamicCopy(a, &factory), &ok), expected);
  EXPECT_TRUE(ok);
  ExpectWriterSameAsProtobuf(a);
  // What protobuf 3.21's Reflection says of -0.0 in an implicit field:
  // present, as the serializer tests the bits (the direct path tests them
  // itself and does not rely on this).
  const v1::EvidenceValue& e = a.evidence(0);
  EXPECT_TRUE(e.GetReflection()->HasField(
      e, v1::EvidenceValue::descriptor()->FindFieldByName("value")));
  v1::EvidenceValue zero;
  zero.set_value(0.0);
  EXPECT_FALSE(zero.GetReflection()->HasField(
      zero, v1::EvidenceValue::descriptor()->FindFieldByName("value")));
  EXPECT_EQ(MessageJson(zero), "{}\n");
}

// Bytes that are not UTF-8 are dropped as protobuf drops them, by the hot
// writers and by Reflection.
TEST(JsonDirectTest, InvalidUtf8IsDroppedOnBothReadings) {
  QuietProtobuf quiet;
  v1::Assessment a;
  a.set_reason(
      "a\xff"
      "b\xc3");
  a.add_evidence()->set_label("\xe2\x80x");
  a.mutable_spc()->set_point_type("\xed\xa0\x80z");
  bool ok = false;
  EXPECT_EQ(DirectJson(a, &ok), ProtobufJson(a));
  EXPECT_TRUE(ok);
  DynamicMessageFactory factory;
  EXPECT_EQ(DirectJson(*DynamicCopy(a, &factory), &ok), ProtobufJson(a));
  EXPECT_TRUE(ok);
}

// A message with unknown fields anywhere is left to the serialized path
// (the direct path gives up), whose bytes are protobuf's: unknown fields
// skipped, or the message printed by protobuf when one has a known
// field's number with another wire type.
TEST(JsonDirectTest, UnknownFieldsAnywhereMatchProtobuf) {
  QuietProtobuf quiet;
  enum Where { kTop, kElement, kElementSpc, kEvidence, kSingularSpc };
  for (Where where : {kTop, kElement, kElementSpc, kEvidence, kSingularSpc}) {
    for (bool other_wire_type : {false, true}) {
      v1::Report report;
      report.set_ruleset_id("pack");
      report.set_observations_read(3);
      v1::Assessment* a = report.add_assessments();
      a->set_rule_id("r");
      a->mutable_spc()->set_mean(1.5);
      a->add_evidence()->set_label("x");
      report.add_assessments()->set_rule_id("s");
      Message* holder = nullptr;
      switch (where) {
        case kTop:
          holder = &report;
          break;
        case kElement:
          holder = a;
          break;
        case kElementSpc:
        case kSingularSpc:
          holder = a->mutable_spc();
          break;
        case kEvidence:
          holder = a->mutable_evidence(0);
          break;
      }
      auto* unknown = holder->GetReflection()->MutableUnknownFields(holder);
      unknown->AddVarint(99, 7);
      unknown->AddLengthDelimited(98, "abc");
      // Field 1 of each holder (a string or a double) as a varint.
      if (other_wire_type) unknown->AddVarint(1, 5);
      bool ok = true;
      (void)DirectJson(report, &ok);
      EXPECT_FALSE(ok) << where;
      if (where == kSingularSpc) {
        // The assessment alone: its singular spc holds them.
        ExpectWriterSameAsProtobuf(*a);
        std::string object;
        AppendJsonObject(*a, 2, &object);
        bool direct_ok = true;
        (void)DirectJson(*a, &direct_ok);
        EXPECT_FALSE(direct_ok);
      } else {
        ExpectWriterSameAsProtobuf(report);
      }
      if (HasFatalFailure()) return;
      // Element by element, as the tool streams them.
      std::string elements;
      size_t pos = 0;
      for (int i = 0; i < report.assessments_size(); ++i) {
        pos = WriteJsonArrayElement(report.assessments(i), 1, i == 0, &elements,
                                    pos);
      }
      elements.resize(pos);
      std::string expected;
      for (int i = 0; i < report.assessments_size(); ++i) {
        AppendJsonArrayElement(report.assessments(i), 1, i == 0, &expected);
      }
      EXPECT_EQ(elements, expected) << where;
      EXPECT_NE(ProtobufJson(report).find(expected.substr(1)),
                std::string::npos)
          << where;
    }
  }
}

// The hot writers are used only while a type's fields are those they were
// written for: a copy of the vigil.v1 files with Assessment changed is read
// through Reflection, and written as protobuf writes it.
TEST(JsonDirectTest, AChangedHotTypeIsReadThroughReflection) {
  FileDescriptorProto model, rules, report;
  v1::Assessment::descriptor()->file()->CopyTo(&report);
  v1::RuleSet::descriptor()->file()->CopyTo(&rules);
  for (int i = 0; i < report.dependency_size(); ++i) {
    if (report.dependency(i) == "vigil/v1/model.proto") {
      v1::Assessment::descriptor()->file()->dependency(i)->CopyTo(&model);
    }
  }
  ASSERT_EQ(model.name(), "vigil/v1/model.proto");
  google::protobuf::DescriptorProto* assessment = nullptr;
  for (auto& m : *report.mutable_message_type()) {
    if (m.name() == "Assessment") assessment = &m;
  }
  ASSERT_NE(assessment, nullptr);

  struct Change {
    const char* what;
    void (*apply)(google::protobuf::DescriptorProto*);
    bool hot;
  };
  const Change changes[] = {
      {"none", [](google::protobuf::DescriptorProto*) {}, true},
      {"field added",
       [](google::protobuf::DescriptorProto* d) {
         auto* f = d->add_field();
         f->set_name("extra");
         f->set_number(22);
         f->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
         f->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
       },
       false},
      {"field renumbered",
       [](google::protobuf::DescriptorProto* d) {
         d->mutable_field(0)->set_number(40);
       },
       false},
      {"field retyped",
       [](google::protobuf::DescriptorProto* d) {
         d->mutable_field(13)->set_type(
             google::protobuf::FieldDescriptorProto::TYPE_INT64);
       },
       false},
  };
  // The pools outlive the loop: the writer's tables are kept by
  // descriptor address, which a later pool could reuse.
  std::vector<std::unique_ptr<DescriptorPool>> pools;
  for (const Change& change : changes) {
    google::protobuf::DescriptorProto original = *assessment;
    change.apply(assessment);
    pools.push_back(std::make_unique<DescriptorPool>());
    DescriptorPool& pool = *pools.back();
    ASSERT_NE(pool.BuildFile(model), nullptr);
    ASSERT_NE(pool.BuildFile(rules), nullptr);
    ASSERT_NE(pool.BuildFile(report), nullptr) << change.what;
    *assessment = original;
    const Descriptor* d = pool.FindMessageTypeByName("vigil.v1.Assessment");
    ASSERT_NE(d, nullptr);
    const Reflection* reflection = nullptr;
    EXPECT_EQ(json::HotTypeOf(*d, &reflection) == json::HotType::kAssessment,
              change.hot)
        << change.what;
    // Dynamic messages of the copy: never the generated type's Reflection.
    DynamicMessageFactory factory(&pool);
    RandomFiller filler(7);
    for (int round = 0; round < 30; ++round) {
      std::unique_ptr<Message> m(factory.GetPrototype(d)->New());
      filler.Fill(m.get(), 0);
      bool ok = false;
      ASSERT_EQ(DirectJson(*m, &ok), ProtobufJson(*m)) << change.what;
      ASSERT_TRUE(ok);
    }
  }
}

}  // namespace
}  // namespace internal
}  // namespace vigil
