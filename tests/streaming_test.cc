// Engine::EvaluateStreaming against EvaluateInto: the pieces handed to the
// stream, put back together, are the same report byte for byte (the
// reference pack with peer funnels, escalation by signals and a composite
// rule, on the real A&E example), whatever the batch size and threads; a
// stream's error stops the evaluation; limits hold as in EvaluateInto.
#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/report_output.h"

namespace vigil {
namespace {

const std::string kExample =
    std::string(VIGIL_SOURCE_DIR) + "/examples/nhs_early_warning/";

// Puts the pieces back into one report, checking the order of calls.
class CollectingStream : public ReportStream {
 public:
  absl::Status Begin(const v1::Report& header) override {
    EXPECT_EQ(calls_, "");
    calls_ += "B";
    if (fail_begin_) return absl::UnavailableError("no room to begin");
    header_serialized_ = header.SerializeAsString();
    return absl::OkStatus();
  }
  absl::Status Assessments(
      absl::Span<const v1::Assessment* const> assessments) override {
    EXPECT_EQ(calls_[0], 'B');
    EXPECT_FALSE(assessments.empty());
    calls_ += "A";
    for (const v1::Assessment* a : assessments) *report_.add_assessments() = *a;
    if (fail_after_ > 0 && --fail_after_ == 0) {
      return absl::CancelledError("the reader went away");
    }
    return absl::OkStatus();
  }
  absl::Status Finish(const v1::Report& rest) override {
    calls_ += "F";
    if (fail_finish_) return absl::UnavailableError("no room to finish");
    EXPECT_EQ(rest.assessments_size(), 0);
    v1::Report header;
    header.set_as_of(rest.as_of());
    header.set_ruleset_id(rest.ruleset_id());
    header.set_ruleset_version(rest.ruleset_version());
    header.set_engine_version(rest.engine_version());
    EXPECT_EQ(header.SerializeAsString(), header_serialized_);
    v1::Report whole = rest;
    whole.mutable_assessments()->Swap(report_.mutable_assessments());
    report_ = std::move(whole);
    return absl::OkStatus();
  }

  void FailAfter(int batches) { fail_after_ = batches; }
  void FailBegin() { fail_begin_ = true; }
  void FailFinish() { fail_finish_ = true; }
  const v1::Report& report() const { return report_; }
  int batches() const {
    return static_cast<int>(std::count(calls_.begin(), calls_.end(), 'A'));
  }
  const std::string& calls() const { return calls_; }

 private:
  std::string calls_;
  std::string header_serialized_;
  v1::Report report_;
  int fail_after_ = 0;
  bool fail_begin_ = false;
  bool fail_finish_ = false;
};

class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        Engine::Create(testing::ExamplePackWithComposite(kExample));
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    DatasetIndexer indexer;
    for (const auto& [file, kind] :
         {std::pair<const char*, DataKind>{"providers.csv",
                                           DataKind::kProviders},
          {"indicators.csv", DataKind::kIndicators},
          {"observations.csv", DataKind::kObservations}}) {
      ASSERT_TRUE(AddDataFile(kExample + file, kind, &indexer).ok()) << file;
    }
    // Rows the report must account for: an unknown provider, a bad period.
    const int source = indexer.AddSource("extra.csv");
    ObservationRow row;
    row.provider_id = "ZZZ";
    row.indicator_id = "AE_4HR_T1";
    row.period = "2018-06";
    row.has_value = true;
    row.value = 90;
    indexer.AddObservation(row, source, 2);
    row.provider_id = "R0A";
    row.period = "2019-13";
    indexer.AddObservation(row, source, 3);
    absl::StatusOr<SeriesStore> store = std::move(indexer).Build();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::make_unique<SeriesStore>(*std::move(store));
  }

  std::string Whole(const std::string& as_of,
                    const EvaluateOptions& options) const {
    v1::Report report;
    const absl::Status s =
        engine_->EvaluateInto(*store_, as_of, options, &report);
    EXPECT_TRUE(s.ok()) << s;
    return report.SerializeAsString();
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<SeriesStore> store_;
};

TEST_F(StreamingTest, PiecesMakeEvaluateIntosReportByteForByte) {
  for (const char* as_of : {"2019-03", "2018-12", ""}) {
    // Below 1 means 1.
    for (int batch_series : {-5, 0, 1, 7, 100, 1024, 100000}) {
      for (int threads : {1, 2, 3}) {
        for (int chart_periods : {0, 12}) {
          EvaluateOptions options;
          options.stream_batch_series = batch_series;
          options.threads = threads;
          options.chart_periods = chart_periods;
          CollectingStream stream;
          v1::Report rest;
          const absl::Status s = engine_->EvaluateStreaming(
              *store_, as_of, options, &stream, &rest);
          ASSERT_TRUE(s.ok()) << s;
          SCOPED_TRACE(::testing::Message()
                       << as_of << " batch " << batch_series << " threads "
                       << threads << " charts " << chart_periods);
          EXPECT_EQ(stream.report().SerializeAsString(), Whole(as_of, options));
          EXPECT_EQ(stream.calls().back(), 'F');
          // The caller's copy of what Finish had: no assessments.
          EXPECT_EQ(rest.assessments_size(), 0);
          EXPECT_EQ(rest.providers_size(), stream.report().providers_size());
          if (batch_series <= 1) {
            EXPECT_GT(stream.batches(), 100);
          }
          if (batch_series == 100000) {
            EXPECT_EQ(stream.batches(), 1);
          }
        }
      }
    }
  }
}

// Small enough for ThreadSanitizer (scripts/test.sh runs the tests named
// Thread there): worker threads share each batch's arena, the peer results
// and the summaries' arena.
TEST_F(StreamingTest, ThreadsSplittingEachBatchGiveTheSameBytes) {
  for (int threads : {2, 3}) {
    for (int batch_series : {7, 300}) {
      EvaluateOptions options;
      options.threads = threads;
      options.stream_batch_series = batch_series;
      options.chart_periods = 6;
      google::protobuf::Arena arena(ReportArenaOptions());
      auto* rest = google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
      CollectingStream stream;
      ASSERT_TRUE(
          engine_->EvaluateStreaming(*store_, "2019-03", options, &stream, rest)
              .ok());
      EXPECT_EQ(stream.report().SerializeAsString(), Whole("2019-03", options))
          << threads << " threads, batch " << batch_series;
    }
  }
}

TEST_F(StreamingTest, RestOnAnArenaHoldsTheSameAsOnTheHeap) {
  google::protobuf::Arena arena(ReportArenaOptions());
  auto* rest = google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
  EvaluateOptions options;
  options.stream_batch_series = 50;
  CollectingStream stream;
  ASSERT_TRUE(
      engine_->EvaluateStreaming(*store_, "2019-03", options, &stream, rest)
          .ok());
  EXPECT_EQ(stream.report().SerializeAsString(), Whole("2019-03", options));
  EXPECT_GT(rest->diagnostics_size(), 0);  // The unknown provider, the period.
}

TEST_F(StreamingTest, AStreamErrorStopsTheEvaluationAndIsReturned) {
  EvaluateOptions options;
  options.stream_batch_series = 10;
  CollectingStream stream;
  stream.FailAfter(2);
  v1::Report rest;
  const absl::Status s =
      engine_->EvaluateStreaming(*store_, "2019-03", options, &stream, &rest);
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "the reader went away");
  EXPECT_EQ(stream.calls(), "BAA");  // No more batches, no Finish.
}

TEST_F(StreamingTest, BeginAndFinishErrorsAreReturned) {
  v1::Report rest;
  CollectingStream no_begin;
  no_begin.FailBegin();
  EXPECT_EQ(engine_->EvaluateStreaming(*store_, "2019-03", {}, &no_begin, &rest)
                .message(),
            "no room to begin");
  EXPECT_EQ(no_begin.calls(), "B");  // Nothing after a failed Begin.
  CollectingStream no_finish;
  no_finish.FailFinish();
  EXPECT_EQ(
      engine_->EvaluateStreaming(*store_, "2019-03", {}, &no_finish, &rest)
          .message(),
      "no room to finish");
  EXPECT_EQ(no_finish.calls(), "BAF");
}

TEST_F(StreamingTest, MaxAssessmentsFailsAsEvaluateIntoDoes) {
  EvaluateOptions options;
  options.max_assessments = 500;
  options.stream_batch_series = 10;
  CollectingStream stream;
  v1::Report rest;
  const absl::Status s =
      engine_->EvaluateStreaming(*store_, "2019-03", options, &stream, &rest);
  v1::Report whole;
  const absl::Status expected =
      engine_->EvaluateInto(*store_, "2019-03", options, &whole);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s, expected);
  EXPECT_EQ(stream.calls().find('F'), std::string::npos);
}

TEST_F(StreamingTest, BadArgumentsAreRefusedNamingThem) {
  CollectingStream stream;
  v1::Report rest;
  EXPECT_EQ(engine_->EvaluateStreaming(*store_, "2019-03", {}, nullptr, &rest)
                .message(),
            "stream: is null");
  EXPECT_EQ(engine_->EvaluateStreaming(*store_, "2019-03", {}, &stream, nullptr)
                .message(),
            "rest: is null");
  EXPECT_EQ(
      engine_->EvaluateStreaming(*store_, "2019-3x", {}, &stream, &rest).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(stream.calls(), "");  // Refused before the stream heard anything.
}

TEST_F(StreamingTest, ReportJsonStreamWritesPrintReportJsonsBytes) {
  for (const char* as_of : {"2019-03", "2018-12"}) {
    for (int batch_series : {1, 33, 100000}) {
      for (int chart_periods : {0, 12}) {
        EvaluateOptions options;
        options.stream_batch_series = batch_series;
        options.chart_periods = chart_periods;
        std::ostringstream streamed;
        ReportJsonStream json(&streamed);
        v1::Report rest;
        ASSERT_TRUE(
            engine_->EvaluateStreaming(*store_, as_of, options, &json, &rest)
                .ok());
        v1::Report whole;
        ASSERT_TRUE(
            engine_->EvaluateInto(*store_, as_of, options, &whole).ok());
        std::ostringstream printed;
        ASSERT_TRUE(PrintReportJson(whole, printed));
        SCOPED_TRACE(::testing::Message() << as_of << " batch " << batch_series
                                          << " charts " << chart_periods);
        EXPECT_EQ(streamed.str(), printed.str());
        EXPECT_EQ(streamed.str(), ReportJson(whole));
      }
    }
  }
}

// Batches written as JSON by several threads (parts of a batch into their
// own buffers, written out in order) give the same bytes; a batch too small
// to split is written on one.
TEST_F(StreamingTest, ReportJsonStreamOnThreadsWritesTheSameBytes) {
  v1::Report whole;
  ASSERT_TRUE(engine_->EvaluateInto(*store_, "2019-03", {}, &whole).ok());
  const std::string printed = ReportJson(whole);
  for (int json_threads : {2, 3, 7}) {
    for (int batch_series : {1, 40, 100000}) {
      EvaluateOptions options;
      options.stream_batch_series = batch_series;
      std::ostringstream streamed;
      ReportJsonStream json(&streamed, json_threads);
      v1::Report rest;
      ASSERT_TRUE(
          engine_->EvaluateStreaming(*store_, "2019-03", options, &json, &rest)
              .ok());
      EXPECT_TRUE(streamed.str() == printed)
          << json_threads << " threads, batch " << batch_series;
    }
  }
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  ReportJsonStream json(&broken, 2);
  v1::Report rest;
  EXPECT_EQ(
      engine_->EvaluateStreaming(*store_, "2019-03", {}, &json, &rest).code(),
      absl::StatusCode::kDataLoss);
}

TEST_F(StreamingTest, ReportJsonStreamWithoutAssessmentsIsPrintReportJsons) {
  // A pack whose only rule selects an indicator the data lacks: a report
  // with summaries and diagnostics but no assessment (no array written).
  v1::RuleSet rules;
  rules.set_id("nothing");
  v1::Rule* rule = rules.add_rules();
  rule->set_id("absent");
  rule->mutable_selector()->add_indicator_ids("NOT_IN_DATA");
  rule->mutable_threshold()->set_standard(95);
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(rules);
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::ostringstream streamed;
  ReportJsonStream json(&streamed);
  v1::Report rest;
  ASSERT_TRUE(
      (*engine)->EvaluateStreaming(*store_, "2019-03", {}, &json, &rest).ok());
  const absl::StatusOr<v1::Report> whole =
      (*engine)->Evaluate(*store_, "2019-03");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->assessments_size(), 0);
  EXPECT_EQ(streamed.str(), ReportJson(*whole));
}

TEST_F(StreamingTest, ReportJsonStreamFailsWhenWritingFails) {
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  ReportJsonStream json(&broken);
  EvaluateOptions options;
  options.stream_batch_series = 10;
  v1::Report rest;
  const absl::Status s =
      engine_->EvaluateStreaming(*store_, "2019-03", options, &json, &rest);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "writing the JSON report failed");
}

}  // namespace
}  // namespace vigil
