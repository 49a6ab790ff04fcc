#include "message_io.h"

#include <climits>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "vigil/vigil.h"

namespace vigil {
namespace capi {

absl::Status HandOut(const std::string& text, char** bytes, size_t* length) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) return absl::ResourceExhaustedError("out of memory");
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  *bytes = copy;
  *length = text.size();
  return absl::OkStatus();
}

absl::Status SerializeMessage(
    const google::protobuf::Message& message, int format,
    const google::protobuf::util::JsonPrintOptions& json, const char* what,
    std::string* out) {
  if (format == VIGIL_FORMAT_BINARY) {
    if (!message.SerializeToString(out)) {
      return absl::InternalError(absl::StrCat("serializing ", what, " failed"));
    }
    return absl::OkStatus();
  }
  if (!google::protobuf::util::MessageToJsonString(message, out, json).ok()) {
    return absl::InternalError(
        absl::StrCat("printing ", what, " as JSON failed"));
  }
  return absl::OkStatus();
}

absl::Status ParseMessage(const void* bytes, size_t length, int format,
                          google::protobuf::Message* message) {
  // The public name: libvigil builds the schema under a private package.
  const std::string name =
      absl::StrCat("vigil.v1.", message->GetDescriptor()->name());
  if (format == VIGIL_FORMAT_BINARY) {
    if (length > static_cast<size_t>(INT_MAX) ||
        !message->ParseFromArray(bytes, static_cast<int>(length))) {
      return absl::InvalidArgumentError(
          absl::StrCat("bytes: not a ", name, " in the protobuf wire format"));
    }
    return absl::OkStatus();
  }
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(static_cast<const char*>(bytes), length),
      message, google::protobuf::util::JsonParseOptions());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bytes: not a ", name, " in JSON: ", parsed.message().as_string()));
  }
  return absl::OkStatus();
}

}  // namespace capi
}  // namespace vigil
