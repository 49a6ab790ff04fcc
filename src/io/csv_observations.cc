// The observation records of a CSV file into a DatasetIndexer: on one
// thread, or as a pipeline of two (one thread splits and parses records,
// the caller's indexes them).
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/io/csv_fields.h"
#include "src/io/csv_records.h"
#include "vigil/csv_reader.h"
#include "vigil/names.h"
#include "vigil/series_store.h"

namespace vigil {
namespace csv_internal {
namespace {

const std::vector<std::string>& KnownColumns() {
  static const std::vector<std::string>* const known =
      new std::vector<std::string>{"provider_id", "indicator_id", "period",
                                   "value",       "numerator",    "denominator",
                                   "status"};
  return *known;
}

// One record's fields, by their columns: reads a record into an
// observation, or into the diagnostic of a row that cannot be used.
class RecordParser {
 public:
  RecordParser(const CsvContext& ctx, const Header& header)
      : ctx_(ctx), header_(header) {
    for (int i = 0; i < 7; ++i) col_[i] = header.Find(KnownColumns()[i]);
  }

  // The columns the header lacks, as the error that stops the file.
  absl::Status CheckColumns() const {
    const std::string expected = absl::StrJoin(KnownColumns(), ",");
    for (int i = 0; i < 3; ++i) {
      if (col_[i] < 0) {
        return MissingColumn(ctx_.source, KnownColumns()[i], expected);
      }
    }
    if (col_[3] < 0 && (col_[4] < 0 || col_[5] < 0)) {
      return MissingColumn(ctx_.source, "value", expected);
    }
    return absl::OkStatus();
  }

  // True with `obs` set (views into `row`); false with `unreadable` set.
  bool Parse(const std::vector<absl::string_view>& row, int64_t line,
             const std::string& error, ObservationRow* obs,
             v1::Diagnostic* unreadable) const {
    const auto fail = [&](v1::DiagnosticCode code, absl::string_view field,
                          absl::string_view why) {
      *unreadable =
          UnreadableRow(ctx_, line, row, col_, "row", code, field, why);
      return false;
    };
    if (!error.empty() || row.size() != header_.size()) {
      return fail(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "",
                  RecordProblem(error, row, header_));
    }
    // Every field set for each row (a fresh ObservationRow per row cost a
    // zeroing `rep stos` each).
    obs->value = obs->numerator = obs->denominator = 0;
    obs->provider_id = Field(row, col_[0]);
    obs->indicator_id = Field(row, col_[1]);
    obs->period = Field(row, col_[2]);
    static const char* const kNumbers[] = {"value", "numerator", "denominator"};
    bool* has[] = {&obs->has_value, &obs->has_numerator, &obs->has_denominator};
    double* out[] = {&obs->value, &obs->numerator, &obs->denominator};
    for (int i = 0; i < 3; ++i) {
      const absl::string_view text = Field(row, col_[3 + i]);
      if (!ParseNumber(text, has[i], out[i])) {
        return fail(v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, kNumbers[i],
                    absl::StrCat(kNumbers[i], " '", text, "' is not a number"));
      }
    }
    const absl::string_view status = Field(row, col_[6]);
    int status_value = v1::OBSERVATION_STATUS_OK;
    if (!status.empty() &&
        !ParseEnumShortName(v1::ObservationStatus_descriptor(), status,
                            &status_value)) {
      return fail(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "status",
                  absl::StrCat("status '", status, "' is not one of ",
                               EnumShortNameChoices(
                                   v1::ObservationStatus_descriptor())));
    }
    obs->status = static_cast<v1::ObservationStatus>(status_value);
    return true;
  }

 private:
  const CsvContext& ctx_;
  const Header& header_;
  int col_[7];
};

// Records parsed by the reading thread, in file order: each a row to add
// (its ids and period copied into `ids`, the text it came from being
// reused) or the diagnostic of a row that cannot be used.
struct ParsedBatch {
  static constexpr size_t kRows = 2048;
  struct Row {
    ObservationRow obs;  // Ids and period: sizes only, text in `ids`.
    int64_t line;
    size_t ids_at;   // Where its provider, indicator and period start.
    int unreadable;  // Index in `unreadable`, or -1.
  };
  std::vector<Row> rows;
  std::string ids;
  std::vector<v1::Diagnostic> unreadable;
};

// Batches handed from the reading thread to the indexing one and back.
class BatchPipe {
 public:
  explicit BatchPipe(int batches) {
    for (int i = 0; i < batches; ++i) {
      empty_.push_back(std::make_unique<ParsedBatch>());
      empty_.back()->rows.reserve(ParsedBatch::kRows);
    }
  }
  // A batch to fill; null once the indexing side has stopped.
  std::unique_ptr<ParsedBatch> TakeEmpty() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return !empty_.empty() || stopped_; });
    return stopped_ ? nullptr : Pop(&empty_);
  }
  void PutFull(std::unique_ptr<ParsedBatch> batch) {
    Put(&full_, std::move(batch));
  }
  // A filled batch; null once reading has finished and all are taken.
  std::unique_ptr<ParsedBatch> TakeFull() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return !full_.empty() || finished_; });
    return full_.empty() ? nullptr : Pop(&full_);
  }
  void PutEmpty(std::unique_ptr<ParsedBatch> batch) {
    batch->rows.clear();
    batch->ids.clear();
    batch->unreadable.clear();
    Put(&empty_, std::move(batch));
  }
  void Finish() { Set(&finished_); }
  void Stop() { Set(&stopped_); }

 private:
  static std::unique_ptr<ParsedBatch> Pop(
      std::deque<std::unique_ptr<ParsedBatch>>* from) {
    std::unique_ptr<ParsedBatch> batch = std::move(from->front());
    from->pop_front();
    return batch;
  }
  void Put(std::deque<std::unique_ptr<ParsedBatch>>* to,
           std::unique_ptr<ParsedBatch> batch) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      to->push_back(std::move(batch));
    }
    changed_.notify_all();
  }
  void Set(bool* flag) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      *flag = true;
    }
    changed_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<ParsedBatch>> empty_, full_;
  bool finished_ = false;  // The reading thread is done.
  bool stopped_ = false;   // The indexing thread is done.
};

// The reading thread: parses records into batches until the end of the
// file, or until the indexing side stops.
void ReadBatches(CsvRecords* records, const RecordParser& parser,
                 BatchPipe* pipe) {
  std::vector<absl::string_view> row;
  int64_t line = 0;
  std::string error;
  v1::Diagnostic unreadable;
  std::unique_ptr<ParsedBatch> batch = pipe->TakeEmpty();
  while (batch != nullptr && records->Next(&row, &line, &error)) {
    ParsedBatch::Row& r = batch->rows.emplace_back();
    r.line = line;
    if (parser.Parse(row, line, error, &r.obs, &unreadable)) {
      r.unreadable = -1;
      r.ids_at = batch->ids.size();
      batch->ids.append(r.obs.provider_id.data(), r.obs.provider_id.size());
      batch->ids.append(r.obs.indicator_id.data(), r.obs.indicator_id.size());
      batch->ids.append(r.obs.period.data(), r.obs.period.size());
    } else {
      r.unreadable = static_cast<int>(batch->unreadable.size());
      batch->unreadable.push_back(std::move(unreadable));
    }
    if (batch->rows.size() == ParsedBatch::kRows) {
      pipe->PutFull(std::move(batch));
      batch = pipe->TakeEmpty();
    }
  }
  if (batch != nullptr && !batch->rows.empty()) pipe->PutFull(std::move(batch));
}

// Indexes one batch, in its order.
void IndexBatch(ParsedBatch* batch, const CsvContext& ctx) {
  for (ParsedBatch::Row& r : batch->rows) {
    if (r.unreadable >= 0) {
      ctx.indexer->AddUnreadableObservation(
          std::move(batch->unreadable[r.unreadable]));
      continue;
    }
    const char* at = batch->ids.data() + r.ids_at;
    const auto take = [&at](absl::string_view* id) {
      *id = absl::string_view(at, id->size());
      at += id->size();
    };
    take(&r.obs.provider_id);
    take(&r.obs.indicator_id);
    take(&r.obs.period);
    ctx.indexer->AddObservation(r.obs, ctx.source_id, r.line);
  }
}

// The pipeline: false when the reading thread could not be started
// (nothing read then).
bool ReadPipelined(CsvRecords* records, const CsvContext& ctx,
                   const RecordParser& parser) {
  BatchPipe pipe(4);
  std::exception_ptr failure;
  std::thread reader;
  try {
    reader = std::thread([&] {
      try {
        ReadBatches(records, parser, &pipe);
      } catch (...) {
        failure = std::current_exception();
      }
      pipe.Finish();
    });
  } catch (const std::system_error&) {
    return false;
  }
  // Stops and joins the reading thread however indexing ends (an
  // exception included).
  struct Joiner {
    BatchPipe& pipe;
    std::thread& thread;
    ~Joiner() {
      pipe.Stop();
      thread.join();
    }
  };
  {
    Joiner joiner{pipe, reader};
    while (std::unique_ptr<ParsedBatch> batch = pipe.TakeFull()) {
      IndexBatch(batch.get(), ctx);
      pipe.PutEmpty(std::move(batch));
    }
  }
  if (failure) std::rethrow_exception(failure);
  return true;
}

}  // namespace

absl::Status ReadObservations(CsvRecords* records, const CsvContext& ctx,
                              const Header& header, int threads) {
  const RecordParser parser(ctx, header);
  if (absl::Status s = parser.CheckColumns(); !s.ok()) return s;
  ReportUnusedColumns(ctx, header, KnownColumns());
  if (threads >= 2 && ReadPipelined(records, ctx, parser)) {
    return records->status();
  }
  std::vector<absl::string_view> row;
  int64_t line = 0;
  std::string error;
  ObservationRow obs;
  v1::Diagnostic unreadable;
  while (records->Next(&row, &line, &error)) {
    if (parser.Parse(row, line, error, &obs, &unreadable)) {
      ctx.indexer->AddObservation(obs, ctx.source_id, line);
    } else {
      ctx.indexer->AddUnreadableObservation(std::move(unreadable));
    }
  }
  return records->status();
}

}  // namespace csv_internal
}  // namespace vigil
