// Protobuf binary, JSON and text parsing with errors captured in a Status
// (never printed to the host's stderr).
#include "src/io/proto_formats.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "src/data/diagnostics.h"
#include "src/io/enum_spellings.h"
#include "vigil/io.h"

namespace vigil {
namespace {

// The first error, where libprotobuf's parser found it.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!seen_) {
      seen_ = true;
      at_ = {line, column};
      message_ = message;
    }
  }
  void AddWarning(int, int, const std::string&) override {}
  void Reset() { seen_ = false; }
  const TextPosition& at() const { return at_; }
  const std::string& message() const { return message_; }

 private:
  bool seen_ = false;
  TextPosition at_;
  std::string message_;
};

std::string Describe(const TextPosition& at, absl::string_view message) {
  return absl::StrCat("line ", at.line + 1, " column ", at.column + 1, ": ",
                      message);
}

using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

CodedInputStream Input(absl::string_view bytes) {
  return CodedInputStream(reinterpret_cast<const uint8_t*>(bytes.data()),
                          static_cast<int>(bytes.size()));
}

// A string field's bytes that are not UTF-8: the field's `index`-th value
// (0 when not repeated).
struct RawString {
  const FieldDescriptor* field;
  int index;
  std::string bytes;
};

// Parses one element of a Dataset list into `message`. libprotobuf refuses
// a whole message (and logs an ERROR line) for a string field that is not
// valid UTF-8; here each such value is parsed as "" and its bytes are put
// back afterwards. False when `bytes` is not a `message` at all.
bool ParseElement(absl::string_view bytes, google::protobuf::Message* message) {
  const google::protobuf::Descriptor* type = message->GetDescriptor();
  std::vector<RawString> raw;
  std::string copy;
  {
    CodedInputStream in = Input(bytes);
    google::protobuf::io::StringOutputStream sink(&copy);
    google::protobuf::io::CodedOutputStream out(&sink);
    std::vector<int> seen(static_cast<size_t>(type->field_count()), 0);
    while (in.CurrentPosition() < static_cast<int>(bytes.size())) {
      const uint32_t tag = in.ReadTag();
      if (tag == 0) return false;
      const FieldDescriptor* field =
          type->FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
      if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING ||
          WireFormatLite::GetTagWireType(tag) !=
              WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        if (!WireFormatLite::SkipField(&in, tag, &out)) return false;
        continue;
      }
      std::string value;
      if (!WireFormatLite::ReadString(&in, &value)) return false;
      const int index = seen[static_cast<size_t>(field->index())]++;
      if (!field->is_repeated()) {  // The last value wins.
        raw.erase(std::remove_if(
                      raw.begin(), raw.end(),
                      [&](const RawString& r) { return r.field == field; }),
                  raw.end());
      }
      if (!google::protobuf::internal::IsStructurallyValidUTF8(value)) {
        raw.push_back({field, field->is_repeated() ? index : 0, value});
        value.clear();
      }
      WireFormatLite::WriteString(field->number(), value, &out);
    }
  }
  // Without a bad string the element parses as it is (and libprotobuf logs
  // nothing); with one, the copy whose bad strings are empty.
  if (!message->ParseFromString(raw.empty() ? std::string(bytes) : copy)) {
    return false;
  }
  const google::protobuf::Reflection* reflection = message->GetReflection();
  for (RawString& r : raw) {
    if (r.field->is_repeated()) {
      reflection->SetRepeatedString(message, r.field, r.index,
                                    std::move(r.bytes));
    } else {
      reflection->SetString(message, r.field, std::move(r.bytes));
    }
  }
  return true;
}

// One list of a Dataset, element by element: nullopt where an element is
// not a valid message.
template <typename Message>
using Elements = std::vector<std::optional<Message>>;

// The diagnostic of a list element that is not a valid message.
v1::Diagnostic MalformedElement(absl::string_view source, int64_t row,
                                absl::string_view type) {
  return MakeDiagnostic(
      v1::DIAGNOSTIC_SEVERITY_ERROR, v1::DIAGNOSTIC_CODE_MALFORMED_ROW, source,
      row, "",
      absl::StrCat(DescribeRow(source, row), ": not a valid binary ", type,
                   " message; it is not used"));
}

google::protobuf::util::Status ParseJson(absl::string_view json,
                                         google::protobuf::Message* message) {
  return google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message,
      google::protobuf::util::JsonParseOptions());
}

// `text` is at most 2 GiB.
bool ParseText(absl::string_view text, ErrorCollector* errors,
               google::protobuf::Message* message) {
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(errors);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  return parser.Parse(&input, message);
}

}  // namespace

Format FormatFromPath(absl::string_view path) {
  const std::string lower = absl::AsciiStrToLower(path);
  for (const char* ext : {".textproto", ".txtpb", ".pbtxt", ".prototxt"}) {
    if (absl::EndsWith(lower, ext)) return Format::kText;
  }
  if (absl::EndsWith(lower, ".json")) return Format::kJson;
  for (const char* ext : {".pb", ".bin", ".binpb"}) {
    if (absl::EndsWith(lower, ext)) return Format::kBinary;
  }
  if (absl::EndsWith(lower, ".csv")) return Format::kCsv;
  return Format::kAuto;
}

absl::Status ParseMessage(absl::string_view bytes, Format format,
                          google::protobuf::Message* message) {
  const std::string type = message->GetDescriptor()->name();
  switch (format) {
    case Format::kBinary:
      if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
          !message->ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size()))) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid binary ", type, " message"));
      }
      return absl::OkStatus();
    case Format::kJson: {
      // Full enum names parse as they are; other spellings on a second try.
      auto status = ParseJson(bytes, message);
      if (status.ok()) return absl::OkStatus();
      const EnumSpellings json(bytes, EnumSpellings::Syntax::kJson,
                               message->GetDescriptor());
      if (json.text().data() != bytes.data()) {
        message->Clear();
        status = ParseJson(json.text(), message);
        if (status.ok()) return absl::OkStatus();
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "not a valid JSON ", type, ": ",
          json.unknown()
              ? Describe(json.unknown()->position, json.unknown()->message)
              : status.message().as_string()));
    }
    case Format::kText: {
      if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
        return absl::InvalidArgumentError(
            absl::StrCat("not a valid text-format ", type, ": over 2 GiB"));
      }
      ErrorCollector errors;
      if (ParseText(bytes, &errors, message)) return absl::OkStatus();
      const EnumSpellings text(bytes, EnumSpellings::Syntax::kText,
                               message->GetDescriptor());
      if (text.text().data() != bytes.data()) {
        errors.Reset();
        message->Clear();
        if (ParseText(text.text(), &errors, message)) return absl::OkStatus();
      }
      const std::optional<UnknownEnumValue>& unknown = text.unknown();
      const bool ours =
          unknown &&
          absl::StrContains(errors.message(),
                            absl::StrCat("Unknown enumeration value of \"",
                                         unknown->value, "\""));
      return absl::InvalidArgumentError(absl::StrCat(
          "not a valid text-format ", type, ": ",
          ours ? Describe(unknown->position, unknown->message)
               : Describe(text.Original(errors.at()), errors.message())));
    }
    case Format::kCsv:
    case Format::kAuto:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("a ", type, " must be protobuf text, JSON or binary"));
}

absl::StatusOr<v1::RuleSet> ParseRuleSet(absl::string_view bytes,
                                         Format format) {
  v1::RuleSet rules;
  if (absl::Status s = ParseMessage(bytes, format, &rules); !s.ok()) return s;
  return rules;
}

absl::StatusOr<v1::Dataset> ParseDataset(absl::string_view bytes,
                                         Format format) {
  v1::Dataset dataset;
  if (absl::Status s = ParseMessage(bytes, format, &dataset); !s.ok()) return s;
  return dataset;
}

absl::Status AddBinaryDataset(absl::string_view bytes, absl::string_view source,
                              DatasetIndexer* indexer) {
  const auto broken = [](int at, absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a valid binary Dataset message: ", why, " at byte ", at));
  };
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(
        "not a valid binary Dataset message: over 2 GiB");
  }
  Elements<v1::Provider> providers;
  Elements<v1::Indicator> indicators;
  Elements<v1::Observation> observations;
  Elements<v1::PlanValue> plans;
  CodedInputStream in = Input(bytes);
  const auto add = [&](auto* list, absl::string_view element) {
    list->emplace_back();
    list->back().emplace();
    if (!ParseElement(element, &*list->back())) list->back().reset();
  };
  while (in.CurrentPosition() < static_cast<int>(bytes.size())) {
    const int at = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return broken(at, "no field starts");
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    if (number < v1::Dataset::kProvidersFieldNumber ||
        number > v1::Dataset::kPlansFieldNumber ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      // Not a list element: skipped, as libprotobuf keeps it unknown.
      if (!WireFormatLite::SkipField(&in, tag)) {
        return broken(at, "a field is cut short or garbled");
      }
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) ||
        length > bytes.size() - static_cast<size_t>(in.CurrentPosition())) {
      return broken(at, "a list element is longer than the data");
    }
    const absl::string_view element =
        bytes.substr(static_cast<size_t>(in.CurrentPosition()), length);
    in.Skip(static_cast<int>(length));
    switch (number) {
      case v1::Dataset::kProvidersFieldNumber:
        add(&providers, element);
        break;
      case v1::Dataset::kIndicatorsFieldNumber:
        add(&indicators, element);
        break;
      case v1::Dataset::kObservationsFieldNumber:
        add(&observations, element);
        break;
      default:
        add(&plans, element);
        break;
    }
  }
  // As DatasetIndexer::AddDataset, with each element at its own position.
  const auto name = [&](absl::string_view list) {
    return source.empty() ? std::string(list) : absl::StrCat(source, " ", list);
  };
  const std::string providers_name = name("providers");
  const int providers_id = indexer->AddSource(providers_name);
  for (size_t i = 0; i < providers.size(); ++i) {
    if (providers[i]) {
      indexer->AddProvider(*providers[i], providers_id, i + 1);
    } else {
      indexer->AddDiagnostic(
          MalformedElement(providers_name, i + 1, "Provider"));
    }
  }
  const std::string indicators_name = name("indicators");
  const int indicators_id = indexer->AddSource(indicators_name);
  for (size_t i = 0; i < indicators.size(); ++i) {
    if (indicators[i]) {
      indexer->AddIndicator(*indicators[i], indicators_id, i + 1);
    } else {
      indexer->AddDiagnostic(
          MalformedElement(indicators_name, i + 1, "Indicator"));
    }
  }
  const std::string observations_name = name("observations");
  const int observations_id = indexer->AddSource(observations_name);
  for (size_t i = 0; i < observations.size(); ++i) {
    if (!observations[i]) {
      indexer->AddUnreadableObservation(
          MalformedElement(observations_name, i + 1, "Observation"));
      continue;
    }
    const v1::Observation& o = *observations[i];
    indexer->AddObservation(ObservationRow::Of(o), observations_id, i + 1);
  }
  const std::string plans_name = name("plans");
  const int plans_id = indexer->AddSource(plans_name);
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i]) {
      indexer->AddPlan(*plans[i], plans_id, i + 1);
    } else {
      indexer->AddUnreadablePlan(
          MalformedElement(plans_name, i + 1, "PlanValue"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory; give a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    std::string why = std::strerror(err);
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path, ": ", why));
    }
    return absl::PermissionDeniedError(absl::StrCat(path, ": ", why));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(path, ": read failed"));
  }
  return buffer.str();
}

absl::StatusOr<v1::RuleSet> LoadRuleSet(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  Format format = FormatFromPath(path);
  if (format == Format::kAuto || format == Format::kCsv) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": a rule pack must end in .textproto, .txtpb, .pbtxt, .json or "
        ".pb"));
  }
  absl::StatusOr<v1::RuleSet> rules = ParseRuleSet(*bytes, format);
  if (!rules.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", rules.status().message()));
  }
  return rules;
}

}  // namespace vigil
