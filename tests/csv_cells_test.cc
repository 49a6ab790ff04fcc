// The tool's CSV cells: numbers exactly as printf's %.17g writes them, over
// the fast path's range and outside it (issue 19: no per-cell format
// parsing).
#include "csv_cells.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace vigil_tool {
namespace {

std::string Printf17g(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", v);
  return buffer;
}

std::string Cell(double v) {
  std::string out;
  AppendCsvNumber(v, "NaN", &out);
  return out;
}

TEST(CsvCells, NumbersAreExactlyPrintfs17g) {
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> unit(0, 1);
  int mismatches = 0;
  const auto check = [&](double v) {
    if (std::isnan(v)) return;
    const std::string got = Cell(v);
    const std::string want = Printf17g(v);
    if (got != want && ++mismatches <= 5) {
      ADD_FAILURE() << std::hexfloat << v << ": " << got << " != " << want;
    }
  };
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = rng();
    double any;
    std::memcpy(&any, &bits, sizeof(any));
    check(any);
    const double scaled =
        std::pow(10.0, unit(rng) * 26 - 7) * ((rng() & 1) ? -1 : 1);
    check(scaled);
    check(std::nextafter(scaled, 0));
    check(static_cast<double>(rng() % 100000) / 1000.0);
    check(std::ldexp(static_cast<double>(rng() % (uint64_t{1} << 53)),
                     -static_cast<int>(rng() % 70)));
  }
  for (int k = -8; k < 20; ++k) {
    const double p = std::pow(10.0, k);
    for (double v : {p, -p, std::nextafter(p, 0), std::nextafter(p, 1e300)}) {
      check(v);
    }
  }
  for (double v : {0.0, -0.0, 1.0, 0.1, 0.5, 2.5, 1e-5, 9.9999999999999995e-06,
                   1e17, 9.999999999999999e16, 1e16, 1e15 + 0.5, 1e300, 5e-324,
                   HUGE_VAL, -HUGE_VAL}) {
    check(v);
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(Cell(std::nan("")), "NaN");
}

TEST(CsvCells, TextIsQuotedAndGuardedAsBefore) {
  EXPECT_EQ(CsvText("RXX"), "RXX");
  EXPECT_EQ(CsvText("=1+2"), "'=1+2");
  EXPECT_EQ(CsvText("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvText("-a,\"b\""), "\"'-a,\"\"b\"\"\"");
}

}  // namespace
}  // namespace vigil_tool
