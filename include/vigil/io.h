// Reading rule packs and data from bytes and files.
//
// Rule packs: protobuf text format (.textproto, .txtpb, .pbtxt), protobuf
// JSON (.json) or binary (.pb, .bin, .binpb). Data: a Dataset in any of those
// formats, or CSV files of observations, plans, providers and indicators:
//
//   observations.csv  provider_id,indicator_id,period,value,numerator,
//                     denominator,status     (columns in any order; value
//                     and/or numerator+denominator; status empty, ok,
//                     suppressed or not_submitted)
//   plans.csv         provider_id,indicator_id,period,value   (columns in
//                     any order, all required; one planned value, in the
//                     indicator's unit, per provider, indicator and period:
//                     a trajectory agreed in the contract)
//   providers.csv     id,name,type,tags      (type: acute, community,
//                     mental_health, ambulance, primary_care, independent,
//                     social_care; tags separated by ';')
//   indicators.csv    id,name,domain,unit,polarity,frequency,
//                     rate_multiplier,tags   (domain: safe, effective,
//                     caring, responsive, well_led; unit: count,
//                     percentage, rate, ratio; polarity: higher_is_better,
//                     lower_is_better, neutral, zero_tolerance; frequency:
//                     daily, monthly, quarterly, annual)
//
// A file that cannot be read at all (missing, not the format, a required CSV
// column absent) is an error Status naming the file and the problem. A bad
// row inside a readable file is a Diagnostic in the report, and the other
// rows are still used.
//
// Thread safety: free functions with no shared state.
#ifndef VIGIL_IO_H_
#define VIGIL_IO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vigil/series_store.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {

// The values cross the C API as VIGIL_FORMAT_* (static_asserted there).
enum class Format {
  kAuto = 0,    // From the file name's extension.
  kBinary = 1,  // Protobuf wire format.
  kJson = 2,    // Protobuf JSON (field names as in the .proto or camelCase).
  kText = 3,    // Protobuf text format.
  kCsv = 4,     // Data only.
};

// The format a path's extension implies, or kAuto when it implies none.
Format FormatFromPath(absl::string_view path);

// Parses a rule pack. Errors (InvalidArgument) give the line and column for
// text, the problem for JSON.
absl::StatusOr<v1::RuleSet> ParseRuleSet(absl::string_view bytes,
                                         Format format);
absl::StatusOr<v1::RuleSet> LoadRuleSet(const std::string& path);

// Parses a whole Dataset (binary, JSON or text; not CSV).
absl::StatusOr<v1::Dataset> ParseDataset(absl::string_view bytes,
                                         Format format);

// What a data file holds. The numbers are the C API's VIGIL_KIND_*.
enum class DataKind {
  kObservations = 0,
  kProviders = 1,
  kIndicators = 2,
  kPlans = 3,  // Plan values (trajectories).
};

// Adds the rows of one data file to `indexer`. A CSV file holds the rows of
// `kind`; a protobuf file holds a Dataset, of which every list is added
// (JSON may also be a bare array of `kind`). `source` is the name used in
// diagnostics (usually the file's base name). A binary Dataset is read one
// list element at a time: an element that is not a valid message (or has a
// string that is not UTF-8) is a diagnostic naming its position, and the
// others are used.
absl::Status AddDataBytes(absl::string_view bytes, Format format, DataKind kind,
                          absl::string_view source, DatasetIndexer* indexer);
// AddDataFile reads a CSV file a piece of 256 KB at a time, each cut after
// a line feed: not whole, unless it holds a quoted field (from the first
// quote on, the rest is read whole) or ends its lines with lone carriage
// returns only. A protobuf file is read whole. Errors name the path: NotFound,
// PermissionDenied, InvalidArgument for a directory or an unknown
// extension, DataLoss when reading fails (the rows before are added).
absl::Status AddDataFile(const std::string& path, DataKind kind,
                         DatasetIndexer* indexer);

// Reads a whole file. NotFound / PermissionDenied name the path; a
// directory is InvalidArgument.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// libprotobuf reports some problems by writing "[libprotobuf ERROR ...]"
// lines to stderr instead of returning them (invalid UTF-8 met while
// serialising, for one). While a ProtobufLogCapture lives on a thread, the
// lines libprotobuf logs on that thread are kept for Take() instead; lines
// logged on other threads go to the handler that was installed before the
// first capture (the host's, or libprotobuf's own). The first capture
// installs that process-wide forwarding handler once; captures may be
// nested and used from many threads at once. (A host that calls
// google::protobuf::SetLogHandler at the same moment races with that one
// installation: protobuf's SetLogHandler is not thread-safe. A host that
// installs its handler after the first capture replaces Vigil's: lines are
// then no longer captured but all reach the host's handler.)
//
//   vigil::ProtobufLogCapture capture;
//   ... call into protobuf ...
//   for (const std::string& line : capture.Take()) ...  // Route into a status.
class ProtobufLogCapture {
 public:
  ProtobufLogCapture();
  ~ProtobufLogCapture();
  ProtobufLogCapture(const ProtobufLogCapture&) = delete;
  ProtobufLogCapture& operator=(const ProtobufLogCapture&) = delete;

  // The lines ("ERROR file.cc:618: message") this thread logged since the
  // outermost capture began or the last Take(), in order; forgets them.
  std::vector<std::string> Take();
};

}  // namespace vigil

#endif  // VIGIL_IO_H_
