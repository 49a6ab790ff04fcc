// vigil_workload: writes the benchmark workload as files, so the tool and the
// C API can be timed on the same data as the benchmarks.
//
//   vigil_workload --out DIR [--providers 250] [--indicators 40] [--months 120]
//                  [--seed N]
// Writes DIR/observations.csv, providers.csv, indicators.csv, dataset.pb
// (a vigil.v1.Dataset) and rules.textproto (the full pack).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "google/protobuf/text_format.h"
#include "workload.h"

namespace {

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  vigil::bench::WorkloadOptions options;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    int number = 0;
    const bool is_number = absl::SimpleAtoi(value, &number) && number > 0;
    if (flag == "--out") {
      out = value;
    } else if (flag == "--providers" && is_number) {
      options.providers = number;
    } else if (flag == "--indicators" && is_number) {
      options.indicators = number;
    } else if (flag == "--months" && is_number) {
      options.months = number;
    } else if (flag == "--seed" && is_number) {
      options.seed = static_cast<uint32_t>(number);
    } else {
      std::cerr << "vigil_workload: bad flag " << flag << " " << value << "\n";
      return 2;
    }
  }
  if (out.empty() || argc % 2 == 0) {
    std::cerr << "usage: vigil_workload --out DIR [--providers N] "
                 "[--indicators N] [--months N] [--seed N]\n";
    return 2;
  }
  const vigil::bench::Workload w = vigil::bench::MakeWorkload(options);
  std::string pack;
  google::protobuf::TextFormat::PrintToString(vigil::bench::MakeRulePack(),
                                              &pack);
  const bool ok =
      Write(out + "/observations.csv", vigil::bench::ObservationsCsv(w)) &&
      Write(out + "/providers.csv", vigil::bench::ProvidersCsv(w)) &&
      Write(out + "/indicators.csv", vigil::bench::IndicatorsCsv(w)) &&
      Write(out + "/plans.csv", vigil::bench::PlansCsv(w)) &&
      Write(out + "/dataset.pb",
            vigil::bench::ToDataset(w).SerializeAsString()) &&
      Write(out + "/rules.textproto", pack);
  if (!ok) {
    std::cerr << "vigil_workload: cannot write to " << out << "\n";
    return 1;
  }
  std::cout << w.rows.size() << " observations (" << options.providers
            << " providers x " << options.indicators << " indicators x "
            << options.months << " months, as of " << vigil::bench::AsOf(w)
            << ") written to " << out << "\n";
  return 0;
}
