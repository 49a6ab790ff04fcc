// The report's JSON on the England-scale workload (bench/workload.h: the
// full pack on 250 providers x 40 indicators x 120 months, about 76,000
// assessments and 57 MB of JSON): protobuf's printer against the report
// JSON writer (src/report/json_writer.h) that vigil::ReportJson and
// vigil::PrintReportJson use, which writes the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "benchmark/benchmark.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "vigil/report_output.h"
#include "workload.h"

namespace vigil {
namespace bench {
namespace {

std::string ProtobufJson(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(report, &json, options);
  return json;
}

// England's report, evaluated once; its JSON from the writer checked to be
// protobuf's, byte for byte (aborts otherwise).
const v1::Report& EnglandReport() {
  static const v1::Report* report = [] {
    auto r = FullPackEngine().Evaluate(EnglandStore(), AsOf(England()));
    if (!r.ok()) std::abort();
    if (ReportJson(*r) != ProtobufJson(*r)) {
      std::fprintf(stderr, "the writer's JSON differs from protobuf's\n");
      std::abort();
    }
    return new v1::Report(std::move(*r));
  }();
  return *report;
}

// Bytes and assessments per second, and the document's size.
void Count(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["assessments"] =
      static_cast<double>(EnglandReport().assessments_size());
  state.counters["binary_MB"] =
      static_cast<double>(EnglandReport().ByteSizeLong()) / 1e6;
}

void BM_ReportJsonProtobuf(benchmark::State& state) {
  const v1::Report& report = EnglandReport();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = ProtobufJson(report);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  Count(state, bytes);
}
BENCHMARK(BM_ReportJsonProtobuf)->Unit(benchmark::kMillisecond);

void BM_ReportJsonFast(benchmark::State& state) {
  const v1::Report& report = EnglandReport();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = ReportJson(report);
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  Count(state, bytes);
}
BENCHMARK(BM_ReportJsonFast)->Unit(benchmark::kMillisecond);

// A stream that counts and drops what it is given (the cost of a file
// write is not the printer's).
class CountingBuffer : public std::streambuf {
 public:
  size_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<size_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++bytes;
    return traits_type::not_eof(c);
  }
};

// What `vigil evaluate --format json` did before the writer: the binary
// streamed through protobuf's printer (BinaryToJsonStream).
void BM_PrintReportJsonProtobuf(benchmark::State& state) {
  const v1::Report& report = EnglandReport();
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com",
          google::protobuf::DescriptorPool::generated_pool()));
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string binary = report.SerializeAsString();
    google::protobuf::io::ArrayInputStream input(
        binary.data(), static_cast<int>(binary.size()));
    CountingBuffer buffer;
    std::ostream out(&buffer);
    {
      google::protobuf::io::OstreamOutputStream output(&out);
      if (!google::protobuf::util::BinaryToJsonStream(
               resolver.get(), "type.googleapis.com/vigil.v1.Report", &input,
               &output, options)
               .ok()) {
        std::abort();
      }
    }
    bytes = buffer.bytes;
  }
  Count(state, bytes);
}
BENCHMARK(BM_PrintReportJsonProtobuf)->Unit(benchmark::kMillisecond);

// What `vigil evaluate --format json` does: streamed in 1 MB chunks.
void BM_PrintReportJsonFast(benchmark::State& state) {
  const v1::Report& report = EnglandReport();
  size_t bytes = 0;
  for (auto _ : state) {
    CountingBuffer buffer;
    std::ostream out(&buffer);
    if (!PrintReportJson(report, out)) std::abort();
    bytes = buffer.bytes;
  }
  Count(state, bytes);
}
BENCHMARK(BM_PrintReportJsonFast)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
}  // namespace vigil
