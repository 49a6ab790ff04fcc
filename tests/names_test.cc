// Enum names from the schema's descriptors (vigil/names.h) and the version
// from CMake (vigil/version.h).
#include "vigil/names.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"
#include "vigil/engine.h"
#include "vigil/v1/model.pb.h"
#include "vigil/version.h"

namespace vigil {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;

TEST(NamesTest, ShortNamesStripThePrefixAndLowerCase) {
  EXPECT_EQ(RatingShortName(v1::RATING_NO_DATA), "no_data");
  EXPECT_EQ(RatingShortName(v1::RATING_NOT_APPLICABLE), "not_applicable");
  EXPECT_EQ(EscalationShortName(v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE),
            "enhanced_surveillance");
  EXPECT_EQ(DiagnosticSeverityShortName(v1::DIAGNOSTIC_SEVERITY_ERROR),
            "error");
  EXPECT_EQ(EnumShortName(v1::DOMAIN_WELL_LED), "well_led");
  EXPECT_EQ(EnumShortName(v1::TRAVEL_NO_CHANGE), "no_change");
  EXPECT_EQ(EnumShortName(v1::PeerRule::METHOD_RATIO), "ratio");
  EXPECT_EQ(EnumShortName(v1::RATING_UNSPECIFIED), "unspecified");
  EXPECT_EQ(EnumShortName(v1::STATISTIC_LATEST), "latest");
}

TEST(NamesTest, LabelsHaveSpacesForUnderscores) {
  EXPECT_EQ(RatingLabel(v1::RATING_NO_DATA), "no data");
  EXPECT_EQ(RatingLabel(v1::RATING_RED), "red");
  EXPECT_EQ(EscalationLabel(v1::ESCALATION_LEVEL_RISK_SUMMIT), "risk summit");
  EXPECT_EQ(EnumLabel(v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER),
            "unknown provider");
  EXPECT_EQ(RatingLabel(v1::RATING_NOT_APPLICABLE), "not applicable");
}

TEST(NamesTest, UnknownValuesAndTypesAreEmpty) {
  EXPECT_EQ(EnumShortName(v1::Rating_descriptor(), 42), "");
  EXPECT_EQ(EnumShortName(v1::Rating_descriptor(), -1), "");
  EXPECT_EQ(EnumShortName(v1::DiagnosticCode_descriptor(), 15), "");  // Hole.
  EXPECT_EQ(EnumShortName(nullptr, 1), "");
  EXPECT_EQ(
      EnumLabel(google::protobuf::FieldDescriptorProto::Type_descriptor(), 1),
      "");
}

TEST(NamesTest, NamesAreCachedNotBuiltPerCall) {
  const std::string& a = RatingShortName(v1::RATING_NO_DATA);
  const std::string& b = RatingShortName(v1::RATING_NO_DATA);
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(&RatingLabel(v1::RATING_RED), &RatingLabel(v1::RATING_RED));
}

TEST(NamesTest, PrefixesComeFromTheEnumName) {
  EXPECT_EQ(EnumValuePrefix(v1::Rating_descriptor()), "RATING_");
  EXPECT_EQ(EnumValuePrefix(v1::EscalationLevel_descriptor()),
            "ESCALATION_LEVEL_");
  EXPECT_EQ(EnumValuePrefix(v1::PeerRule::Method_descriptor()), "METHOD_");
}

void CollectEnums(const Descriptor* message,
                  std::vector<const EnumDescriptor*>* out) {
  for (int i = 0; i < message->enum_type_count(); ++i) {
    out->push_back(message->enum_type(i));
  }
  for (int i = 0; i < message->nested_type_count(); ++i) {
    CollectEnums(message->nested_type(i), out);
  }
}

// The schema's convention that the rule relies on: a new enum or value that
// breaks it fails here, not in a CSV file.
TEST(NamesTest, EveryVigilEnumValueStartsWithItsPrefixAndHasAName) {
  std::vector<const EnumDescriptor*> enums;
  for (const FileDescriptor* file :
       {v1::Dataset::descriptor()->file(), v1::RuleSet::descriptor()->file(),
        v1::Report::descriptor()->file()}) {
    for (int i = 0; i < file->enum_type_count(); ++i) {
      enums.push_back(file->enum_type(i));
    }
    for (int i = 0; i < file->message_type_count(); ++i) {
      CollectEnums(file->message_type(i), &enums);
    }
  }
  ASSERT_GE(enums.size(), 15u);
  for (const EnumDescriptor* type : enums) {
    const std::string relative =
        type->full_name().substr(type->file()->package().size() + 1);
    EXPECT_EQ(FindEnumType(relative), type) << relative;
    for (int i = 0; i < type->value_count(); ++i) {
      const auto* value = type->value(i);
      EXPECT_TRUE(absl::StartsWith(value->name(), EnumValuePrefix(type)))
          << value->full_name() << " lacks the prefix "
          << EnumValuePrefix(type);
      const std::string& short_name = EnumShortName(type, value->number());
      EXPECT_FALSE(short_name.empty()) << value->full_name();
      int parsed = -1;
      if (!absl::EndsWith(value->name(), "UNSPECIFIED")) {
        EXPECT_TRUE(ParseEnumShortName(type, short_name, &parsed));
        EXPECT_EQ(parsed, value->number()) << short_name;
      }
    }
  }
  EXPECT_EQ(FindEnumType("NoSuchEnum"), nullptr);
}

TEST(NamesTest, ParsingAcceptsShortUpperAndFullNamesButNotUnspecified) {
  int v = 0;
  EXPECT_TRUE(
      ParseEnumShortName(v1::Polarity_descriptor(), "higher_is_better", &v));
  EXPECT_EQ(v, v1::POLARITY_HIGHER_IS_BETTER);
  EXPECT_TRUE(
      ParseEnumShortName(v1::Polarity_descriptor(), "Lower is-Better", &v));
  EXPECT_EQ(v, v1::POLARITY_LOWER_IS_BETTER);
  EXPECT_TRUE(ParseEnumShortName(v1::Polarity_descriptor(),
                                 "POLARITY_ZERO_TOLERANCE", &v));
  EXPECT_EQ(v, v1::POLARITY_ZERO_TOLERANCE);
  EXPECT_FALSE(
      ParseEnumShortName(v1::Polarity_descriptor(), "unspecified", &v));
  EXPECT_FALSE(ParseEnumShortName(v1::Polarity_descriptor(), "upwards", &v));
  EXPECT_EQ(EnumShortNameChoices(v1::Unit_descriptor()),
            "count, percentage, rate, ratio");
}

TEST(VersionTest, EngineVersionIsTheCMakeProjectVersion) {
  EXPECT_STREQ(EngineVersion(), VIGIL_VERSION_STRING);
  EXPECT_EQ(std::string(VIGIL_VERSION_STRING),
            absl::StrCat(VIGIL_VERSION_MAJOR, ".", VIGIL_VERSION_MINOR, ".",
                         VIGIL_VERSION_PATCH));
  EXPECT_EQ(VIGIL_VERSION_NUMBER, VIGIL_VERSION_MAJOR * 10000 +
                                      VIGIL_VERSION_MINOR * 100 +
                                      VIGIL_VERSION_PATCH);
}

}  // namespace
}  // namespace vigil
