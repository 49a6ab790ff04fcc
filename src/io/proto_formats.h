// Parsing any protobuf message from bytes in one of Vigil's formats.
#ifndef VIGIL_SRC_IO_PROTO_FORMATS_H_
#define VIGIL_SRC_IO_PROTO_FORMATS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "vigil/io.h"
#include "vigil/series_store.h"

namespace vigil {

// InvalidArgument naming the message type and the first problem.
absl::Status ParseMessage(absl::string_view bytes, Format format,
                          google::protobuf::Message* message);

// Adds a binary vigil.v1.Dataset to `indexer` one list element at a time,
// with the sources and row numbers of DatasetIndexer::AddDataset. An element
// that is not a valid message is one ERROR diagnostic (MALFORMED_ROW) naming
// its list and 1-based position, and the rest is used; a string field that
// is not valid UTF-8 is kept as its bytes, so that the indexer reports the
// row as for the other formats (BAD_ID for an id). When the Dataset's own
// framing is broken, InvalidArgument "not a valid binary Dataset message:
// ..." and nothing is added.
absl::Status AddBinaryDataset(absl::string_view bytes, absl::string_view source,
                              DatasetIndexer* indexer);

// Opens `path` for reading (O_CLOEXEC): the file descriptor, which the
// caller closes, or the errors of ReadFile (NotFound / PermissionDenied
// naming the path; a directory is InvalidArgument).
absl::StatusOr<int> OpenForReading(const std::string& path);

}  // namespace vigil

#endif  // VIGIL_SRC_IO_PROTO_FORMATS_H_
