// Bytes in and out of the C API: a message (report, timeline, summary) in
// the protobuf wire format or JSON, and text handed to the caller. Private
// to libvigil.
#ifndef VIGIL_CAPI_MESSAGE_IO_H_
#define VIGIL_CAPI_MESSAGE_IO_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace vigil {
namespace capi {

// `text` as a malloc'd, NUL-terminated copy in *bytes (the caller frees it
// with vigil_free) and its length without the NUL in *length.
// ResourceExhausted when out of memory.
absl::Status HandOut(const std::string& text, char** bytes, size_t* length);

// `message` in the wire format (VIGIL_FORMAT_BINARY) or JSON with
// `json` (any other format), into *out. Internal on failure, naming `what`.
absl::Status SerializeMessage(
    const google::protobuf::Message& message, int format,
    const google::protobuf::util::JsonPrintOptions& json, const char* what,
    std::string* out);

// `bytes` (VIGIL_FORMAT_BINARY or JSON) into `message`; InvalidArgument
// "bytes: not a vigil.v1.<message> in ..." otherwise.
absl::Status ParseMessage(const void* bytes, size_t length, int format,
                          google::protobuf::Message* message);

}  // namespace capi
}  // namespace vigil

#endif  // VIGIL_CAPI_MESSAGE_IO_H_
