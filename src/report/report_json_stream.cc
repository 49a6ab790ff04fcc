// vigil::ReportJsonStream: the JSON report written piece by piece, through
// the writer that gives protobuf's JSON bytes (json_writer.h).
#include <climits>

#include "src/report/json_writer.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

// Report's fields by number: the header is 1..4, the assessments 5, the
// rest 6 on.
constexpr int kLastHeaderField = v1::Report::kEngineVersionFieldNumber;
constexpr int kFirstRestField = v1::Report::kProvidersFieldNumber;
static_assert(v1::Report::kAssessmentsFieldNumber == kLastHeaderField + 1 &&
                  kFirstRestField == kLastHeaderField + 2,
              "the assessments sit between the header and the rest");

// Written out once this much is buffered.
constexpr size_t kWriteBytes = 1 << 20;

}  // namespace

absl::Status ReportJsonStream::Write(size_t at_least) {
  if (size_ < at_least) return absl::OkStatus();
  out_->write(json_.data(), static_cast<std::streamsize>(size_));
  size_ = 0;
  if (!out_->good()) {
    return absl::DataLossError("writing the JSON report failed");
  }
  return absl::OkStatus();
}

absl::Status ReportJsonStream::Begin(const v1::Report& header) {
  json_.clear();
  json_ += '{';
  internal::AppendJsonMembers(header, 1, kLastHeaderField, /*depth=*/1,
                              &first_member_, &json_);
  size_ = json_.size();
  return Write(kWriteBytes);
}

absl::Status ReportJsonStream::Assessments(
    absl::Span<const v1::Assessment* const> assessments) {
  static const std::string* const name = new std::string(
      v1::Report::descriptor()
          ->FindFieldByNumber(v1::Report::kAssessmentsFieldNumber)
          ->name());
  for (const v1::Assessment* a : assessments) {
    if (!in_assessments_) {
      json_.resize(size_);
      internal::AppendJsonArrayOpen(*name, /*depth=*/1, &first_member_, &json_);
      size_ = json_.size();
    }
    // The buffer keeps its size: elements are written over it.
    size_ = internal::WriteJsonArrayElement(*a, /*depth=*/1, !in_assessments_,
                                            &json_, size_);
    in_assessments_ = true;
    if (absl::Status s = Write(kWriteBytes); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ReportJsonStream::Finish(const v1::Report& rest) {
  json_.resize(size_);
  if (in_assessments_) internal::AppendJsonArrayClose(/*depth=*/1, &json_);
  in_assessments_ = false;
  internal::AppendJsonMembers(rest, kFirstRestField, INT_MAX, /*depth=*/1,
                              &first_member_, &json_);
  internal::AppendJsonDocumentClose(first_member_, &json_);
  size_ = json_.size();
  if (absl::Status s = Write(0); !s.ok()) return s;
  out_->flush();
  if (!out_->good()) {
    return absl::DataLossError("writing the JSON report failed");
  }
  return absl::OkStatus();
}

}  // namespace vigil
