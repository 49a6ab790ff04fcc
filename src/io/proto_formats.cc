// Protobuf binary, JSON and text parsing with errors captured in a Status
// (never printed to the host's stderr).
#include "src/io/proto_formats.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/casts.h"
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

namespace {

// Calls visit(field number, element bytes) for each list element of a binary
// Dataset, in file order; other fields are skipped, as libprotobuf keeps
// them unknown. An error (nothing visited after it) where the bytes are not
// a Dataset at all.
template <typename Visit>
absl::Status ForEachElement(absl::string_view bytes, Visit visit) {
  const auto broken = [](int at, absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a valid binary Dataset message: ", why, " at byte ", at));
  };
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(
        "not a valid binary Dataset message: over 2 GiB");
  }
  CodedInputStream in = Input(bytes);
  while (in.CurrentPosition() < static_cast<int>(bytes.size())) {
    const int at = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return broken(at, "no field starts");
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    if (number < v1::Dataset::kProvidersFieldNumber ||
        number > v1::Dataset::kPlansFieldNumber ||
        WireFormatLite::GetTagWireType(tag) !=
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
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
    visit(number,
          bytes.substr(static_cast<size_t>(in.CurrentPosition()), length));
    in.Skip(static_cast<int>(length));
  }
  return absl::OkStatus();
}

// The fields of an Observation or a PlanValue: strings 1 to 3 (ids and
// period), doubles from field 4, and for an Observation its status (7).
struct FlatFields {
  absl::string_view text[3];
  double number[3] = {0, 0, 0};
  bool has_number[3] = {false, false, false};
  uint64_t status = 0;
};

// Decodes `bytes` as a message of `doubles` double fields (4, 5, ...) after
// the three strings, and a varint field 7 when `status`, with the ids and
// period as views into `bytes`. Only the plain case: each field known and of
// its declared wire type, single-byte tags, nothing cut short (every
// message a writer produces). False for anything else, which the message
// parser then decides (unknown fields, strings that are not UTF-8 and
// malformed elements are all its business). As libprotobuf, the last value
// of a field wins.
bool DecodeFlat(absl::string_view bytes, int doubles, bool status,
                FlatFields* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* const end = p + bytes.size();
  const auto varint = [&](int max_bytes, uint64_t* value) {
    uint64_t v = 0;
    for (int i = 0; i < max_bytes && p < end; ++i) {
      const uint8_t b = *p++;
      v |= uint64_t{b & 0x7Fu} << (7 * i);
      if (b < 0x80) {
        *value = v;
        return true;
      }
    }
    return false;
  };
  while (p < end) {
    const uint8_t tag = *p++;
    const int number = tag >> 3;
    const int wire = tag & 7;
    if (number >= 1 && number <= 3 &&
        wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint64_t length = 0;
      if (!varint(5, &length) || length > static_cast<uint64_t>(end - p)) {
        return false;
      }
      out->text[number - 1] =
          absl::string_view(reinterpret_cast<const char*>(p), length);
      p += length;
    } else if (number >= 4 && number < 4 + doubles &&
               wire == WireFormatLite::WIRETYPE_FIXED64) {
      if (end - p < 8) return false;
      uint64_t bits = 0;
      for (int i = 7; i >= 0; --i) bits = (bits << 8) | p[i];  // Little end.
      p += 8;
      out->number[number - 4] = absl::bit_cast<double>(bits);
      out->has_number[number - 4] = true;
    } else if (status && number == 7 &&
               wire == WireFormatLite::WIRETYPE_VARINT) {
      if (!varint(10, &out->status)) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status AddBinaryDataset(absl::string_view bytes, absl::string_view source,
                              DatasetIndexer* indexer) {
  // A first pass checks the structure, so that a corrupt file adds nothing;
  // the second adds each element as it comes, without holding the messages
  // (observations and plans are decoded in place, not parsed into messages).
  if (absl::Status s = ForEachElement(bytes, [](int, absl::string_view) {});
      !s.ok()) {
    return s;
  }
  // As DatasetIndexer::AddDataset, with each element at its own position in
  // its list.
  const auto name = [&](absl::string_view list) {
    return source.empty() ? std::string(list) : absl::StrCat(source, " ", list);
  };
  const std::string providers_name = name("providers");
  const int providers_id = indexer->AddSource(providers_name);
  const std::string indicators_name = name("indicators");
  const int indicators_id = indexer->AddSource(indicators_name);
  const std::string observations_name = name("observations");
  const int observations_id = indexer->AddSource(observations_name);
  const std::string plans_name = name("plans");
  const int plans_id = indexer->AddSource(plans_name);
  int64_t rows[4] = {0, 0, 0, 0};
  v1::Provider provider;
  v1::Indicator indicator;
  v1::Observation observation;
  v1::PlanValue plan;
  FlatFields flat;
  return ForEachElement(bytes, [&](int number, absl::string_view element) {
    const int64_t row = ++rows[number - 1];
    switch (number) {
      case v1::Dataset::kProvidersFieldNumber:
        provider.Clear();
        if (ParseElement(element, &provider)) {
          indexer->AddProvider(provider, providers_id, row);
        } else {
          indexer->AddDiagnostic(
              MalformedElement(providers_name, row, "Provider"));
        }
        break;
      case v1::Dataset::kIndicatorsFieldNumber:
        indicator.Clear();
        if (ParseElement(element, &indicator)) {
          indexer->AddIndicator(indicator, indicators_id, row);
        } else {
          indexer->AddDiagnostic(
              MalformedElement(indicators_name, row, "Indicator"));
        }
        break;
      case v1::Dataset::kObservationsFieldNumber:
        flat = FlatFields();
        if (DecodeFlat(element, 3, true, &flat)) {
          ObservationRow o;
          o.provider_id = flat.text[0];
          o.indicator_id = flat.text[1];
          o.period = flat.text[2];
          o.has_value = flat.has_number[0];
          o.value = flat.number[0];
          o.has_numerator = flat.has_number[1];
          o.numerator = flat.number[1];
          o.has_denominator = flat.has_number[2];
          o.denominator = flat.number[2];
          o.status = static_cast<v1::ObservationStatus>(
              static_cast<int32_t>(flat.status));
          indexer->AddObservation(o, observations_id, row);
        } else {
          observation.Clear();
          if (ParseElement(element, &observation)) {
            indexer->AddObservation(ObservationRow::Of(observation),
                                    observations_id, row);
          } else {
            indexer->AddUnreadableObservation(
                MalformedElement(observations_name, row, "Observation"));
          }
        }
        break;
      default:
        flat = FlatFields();
        if (DecodeFlat(element, 1, false, &flat)) {
          PlanRow p;
          p.provider_id = flat.text[0];
          p.indicator_id = flat.text[1];
          p.period = flat.text[2];
          p.value = flat.number[0];
          indexer->AddPlan(p, plans_id, row);
        } else {
          plan.Clear();
          if (ParseElement(element, &plan)) {
            indexer->AddPlan(plan, plans_id, row);
          } else {
            indexer->AddUnreadablePlan(
                MalformedElement(plans_name, row, "PlanValue"));
          }
        }
        break;
    }
  });
}

absl::StatusOr<int> OpenForReading(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory; give a file"));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string why = std::strerror(err);
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path, ": ", why));
    }
    return absl::PermissionDeniedError(absl::StrCat(path, ": ", why));
  }
  return fd;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const absl::StatusOr<int> opened = OpenForReading(path);
  if (!opened.ok()) return opened.status();
  const int fd = *opened;
  struct stat info;
  // Read straight into a string of the file's size (a stream and its copy
  // held up to three times the file at once): the size is a hint only, for
  // a file that grows or a pipe.
  std::string bytes;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    bytes.reserve(static_cast<size_t>(info.st_size) + 1);
  }
  size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      bytes.resize(std::max(bytes.capacity(), used + 65536));
    }
    const ssize_t n = ::read(fd, &bytes[used], bytes.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return absl::DataLossError(absl::StrCat(path, ": read failed"));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(used);
  return bytes;
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
