// Protobuf binary, JSON and text parsing with errors captured in a Status
// (never printed to the host's stderr).
#include "src/io/proto_formats.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "vigil/io.h"

namespace vigil {
namespace {

class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                            message);
    }
  }
  void AddWarning(int, int, const std::string&) override {}
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

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
      google::protobuf::util::JsonParseOptions options;
      const auto status = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(bytes.data(), bytes.size()), message,
          options);
      if (!status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "not a valid JSON ", type, ": ", status.message().as_string()));
      }
      return absl::OkStatus();
    }
    case Format::kText: {
      google::protobuf::TextFormat::Parser parser;
      ErrorCollector errors;
      parser.RecordErrorsTo(&errors);
      if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
          !parser.ParseFromString(std::string(bytes), message)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "not a valid text-format ", type, ": ", errors.first()));
      }
      return absl::OkStatus();
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
