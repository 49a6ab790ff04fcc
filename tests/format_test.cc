// The numbers of reasons: PrintFixedShort against std::to_chars (the exact,
// printf-rounded reference), and FormatValue's units.
#include "src/rules/format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace vigil {
namespace {

std::string ByToChars(double value, int decimals) {
  char buffer[400];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value,
                    std::chars_format::fixed, decimals);
  return std::string(buffer, r.ptr);
}

// PrintFixedShort's text, or "(none)" when it declines.
std::string ByFixedShort(double value, int decimals) {
  char buffer[32];
  char* end = PrintFixedShort(value, decimals, buffer);
  return end == nullptr ? "(none)" : std::string(buffer, end);
}

void ExpectSameAsToChars(double value) {
  for (int decimals = 0; decimals <= 3; ++decimals) {
    ASSERT_EQ(ByFixedShort(value, decimals), ByToChars(value, decimals))
        << "value " << ByToChars(value, 20) << " decimals " << decimals;
  }
}

TEST(PrintFixedShortTest, ExactTiesRoundHalfToEvenAsToCharsDoes) {
  // Values exactly halfway at some precision (binary fractions), and values
  // whose decimal spelling looks halfway but whose binary value is not.
  for (double v : {0.5, 1.5, 2.5, 0.125, 0.375, 0.625, 0.875, 2.675, 1.005,
                   0.0625, 0.3125, 1234.5, 1234.0625, 0.0005, 0.0015, 0.0025,
                   999.9995, 4503599627370495.5 / 8}) {
    ExpectSameAsToChars(v);
    ExpectSameAsToChars(-v);
  }
  for (int k = 0; k < 100000; ++k) {
    ExpectSameAsToChars(k / 16.0);
    ExpectSameAsToChars(-k / 1024.0);
  }
}

TEST(PrintFixedShortTest, ZerosSignsAndTinyValuesAsToCharsPrintsThem) {
  ExpectSameAsToChars(0.0);
  ExpectSameAsToChars(-0.0);     // "-0", "-0.0", ...
  ExpectSameAsToChars(-0.0004);  // Rounds to "-0.000".
  ExpectSameAsToChars(std::numeric_limits<double>::denorm_min());
  ExpectSameAsToChars(-std::numeric_limits<double>::min());
  ExpectSameAsToChars(1e-300);
  ExpectSameAsToChars(0.49999999999999994);
}

TEST(PrintFixedShortTest, DeclinesWhatItDoesNotPrintAndToCharsDoes) {
  for (double v : {1e15, -1e15, 1e300, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(ByFixedShort(v, 1), "(none)") << v;
  }
  EXPECT_EQ(ByFixedShort(1.5, 4), "(none)");
  EXPECT_EQ(ByFixedShort(1.5, -1), "(none)");
  // The largest double below 1e15 is printed, whole.
  ExpectSameAsToChars(std::nextafter(1e15, 0));
}

TEST(PrintFixedShortTest, AgreesWithToCharsOnAMillionRandomDoubles) {
  std::mt19937_64 random(20261206);
  std::uniform_real_distribution<double> exponent(-12, 15);
  std::uniform_int_distribution<uint64_t> bits;
  for (int i = 0; i < 500000; ++i) {
    // Random magnitudes 1e-12 .. 1e15, and random bit patterns below 1e15.
    const double v = std::pow(10.0, exponent(random)) * ((i & 1) != 0 ? 1 : -1);
    ExpectSameAsToChars(v);
    uint64_t b = bits(random);
    double r;
    std::memcpy(&r, &b, sizeof(r));
    if (std::fabs(r) < 1e15) ExpectSameAsToChars(r);
    // Values of reasons: a few decimals, then one ulp either side.
    const double typical = std::round(v * 1000) / 1000;
    if (std::fabs(typical) < 1e15) {
      ExpectSameAsToChars(typical);
      ExpectSameAsToChars(std::nextafter(typical, 1e300));
      ExpectSameAsToChars(std::nextafter(typical, -1e300));
    }
  }
}

TEST(FormatValueTest, PrintsEachUnitAsTheDashboardReadsIt) {
  v1::Indicator indicator;
  indicator.set_unit(v1::UNIT_PERCENTAGE);
  EXPECT_EQ(FormatValue(92.84176533907427, indicator), "92.8%");
  EXPECT_EQ(FormatValue(95.0, indicator), "95%");
  EXPECT_EQ(FormatValue(-0.04, indicator), "0%");
  indicator.set_unit(v1::UNIT_COUNT);
  EXPECT_EQ(FormatValue(1234567, indicator), "1,234,567");
  EXPECT_EQ(FormatValue(-10832.14, indicator), "-10,832.1");
  indicator.set_unit(v1::UNIT_RATE);
  indicator.set_rate_multiplier(1000);
  EXPECT_EQ(FormatValue(2.3851, indicator), "2.39 per 1,000");
  EXPECT_EQ(FormatValue(2.125, indicator), "2.12 per 1,000");  // Half even.
  indicator.set_unit(v1::UNIT_RATIO);
  EXPECT_EQ(FormatValue(1.0325, indicator), "1.032");
  EXPECT_EQ(FormatValue(2.5, indicator), "2.5");
}

}  // namespace
}  // namespace vigil
