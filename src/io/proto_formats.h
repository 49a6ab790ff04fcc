// Parsing any protobuf message from bytes in one of Vigil's formats.
#ifndef VIGIL_SRC_IO_PROTO_FORMATS_H_
#define VIGIL_SRC_IO_PROTO_FORMATS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "vigil/io.h"

namespace vigil {

// InvalidArgument naming the message type and the first problem.
absl::Status ParseMessage(absl::string_view bytes, Format format,
                          google::protobuf::Message* message);

}  // namespace vigil

#endif  // VIGIL_SRC_IO_PROTO_FORMATS_H_
