// vigil::ReportJsonStream: the JSON report written piece by piece, through
// the writer that gives protobuf's JSON bytes (json_writer.h).
#include <algorithm>
#include <climits>
#include <exception>
#include <string>
#include <thread>
#include <vector>

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

// Fewer assessments than this in a batch are written on one thread, and a
// thread takes at least kAssessmentsPerPart of a batch.
constexpr size_t kParallelAssessments = 256;
constexpr size_t kAssessmentsPerPart = 128;

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
  if (assessments.empty()) return absl::OkStatus();
  if (!in_assessments_) {
    json_.resize(size_);
    internal::AppendJsonArrayOpen(*name, /*depth=*/1, &first_member_, &json_);
    size_ = internal::WriteJsonArrayElement(*assessments[0], /*depth=*/1,
                                            /*first_element=*/true, &json_,
                                            json_.size());
    in_assessments_ = true;
    assessments.remove_prefix(1);
  }
  if (threads_ >= 2 && assessments.size() >= kParallelAssessments) {
    return WriteInParallel(assessments);
  }
  for (const v1::Assessment* a : assessments) {
    // The buffer keeps its size: elements are written over it.
    size_ =
        internal::WriteJsonArrayElement(*a, /*depth=*/1,
                                        /*first_element=*/false, &json_, size_);
    if (absl::Status s = Write(kWriteBytes); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ReportJsonStream::WriteInParallel(
    absl::Span<const v1::Assessment* const> assessments) {
  // At least kAssessmentsPerPart each: a thread per few assessments would
  // cost more to start than it saves.
  const size_t parts = std::max<size_t>(
      1, std::min<size_t>(threads_, assessments.size() / kAssessmentsPerPart));
  const auto part = [&](size_t i) {
    const size_t begin = assessments.size() * i / parts;
    const size_t end = assessments.size() * (i + 1) / parts;
    return assessments.subspan(begin, end - begin);
  };
  // Part 0 is written here into json_, part i > 0 into parts_[i - 1].
  if (parts_.size() < parts - 1) parts_.resize(parts - 1);
  std::vector<size_t> ends(parts - 1, 0);
  std::vector<std::exception_ptr> failures(parts - 1);
  const auto write_part = [&](size_t i) {
    try {
      size_t pos = 0;
      for (const v1::Assessment* a : part(i)) {
        pos = internal::WriteJsonArrayElement(*a, /*depth=*/1,
                                              /*first_element=*/false,
                                              &parts_[i - 1], pos);
      }
      ends[i - 1] = pos;
    } catch (...) {
      failures[i - 1] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(parts - 1);
  try {
    for (size_t i = 1; i < parts; ++i) workers.emplace_back(write_part, i);
  } catch (...) {
    // A thread that could not start (std::system_error, or bad_alloc for
    // its state): the parts not started are written below, here.
  }
  // The threads are joined however this part ends (bad_alloc included).
  std::exception_ptr own_failure;
  try {
    for (const v1::Assessment* a : part(0)) {
      size_ = internal::WriteJsonArrayElement(
          *a, /*depth=*/1, /*first_element=*/false, &json_, size_);
    }
  } catch (...) {
    own_failure = std::current_exception();
  }
  for (size_t i = workers.size() + 1; i < parts; ++i) write_part(i);
  for (std::thread& worker : workers) worker.join();
  if (own_failure) std::rethrow_exception(own_failure);
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  if (absl::Status s = Write(0); !s.ok()) return s;
  for (size_t i = 1; i < parts; ++i) {
    out_->write(parts_[i - 1].data(),
                static_cast<std::streamsize>(ends[i - 1]));
  }
  if (!out_->good()) {
    return absl::DataLossError("writing the JSON report failed");
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
