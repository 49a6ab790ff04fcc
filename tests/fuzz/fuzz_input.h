// Helpers shared by the fuzz harnesses: a reader that turns fuzz bytes into
// choices, doubles (NaN, infinities, huge, tiny, negative and ordinary
// values) and strings, and a check that aborts with a message, so that a
// broken invariant is a finding for libFuzzer and a failure for the
// regression driver.
#ifndef VIGIL_TESTS_FUZZ_FUZZ_INPUT_H_
#define VIGIL_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

// Aborts with the failed condition and its place when `cond` is false.
#define FUZZ_CHECK(cond)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                   \
      std::abort();                                                    \
    }                                                                  \
  } while (0)

namespace vigil {
namespace fuzz {

// Consumes fuzz bytes from the front. Read at most once per expression:
// the order of unsequenced reads differs between compilers, and a finding
// must replay the same in the regression driver (gcc) as under libFuzzer. Past
// the end every read gives zero (or an empty string), so any input decodes to
// something.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  size_t remaining() const { return size_ - pos_; }

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }

  // A number in [0, n) (n > 0).
  int Pick(int n) { return Byte() % n; }

  bool Bool() { return (Byte() & 1) != 0; }

  // A double: mostly the values that break numeric code.
  double Double() {
    const uint8_t tag = Byte();
    switch (tag % 20) {
      case 0:
        return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return std::numeric_limits<double>::infinity();
      case 2:
        return -std::numeric_limits<double>::infinity();
      case 3:
        return 0.0;
      case 4:
        return -0.0;
      case 5:
        return std::numeric_limits<double>::max();
      case 6:
        return std::numeric_limits<double>::lowest();
      case 7:
        return std::numeric_limits<double>::denorm_min();
      case 8:
        return 1e15;  // funnel::kMaxNumber
      case 9:
        return 1e15 * (1 + 1e-15);
      case 10: {  // Raw bits.
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | Byte();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
      case 11:
        return -static_cast<double>(Byte());
      case 12:
        return Byte() / 255.0;
      case 13: {  // Two reads, in order (operands are unsequenced).
        const double high = Byte();
        return high * 1000.0 + Byte();
      }
      case 14:
        return 1e-300 * Byte();
      case 15:
        return static_cast<double>(Byte()) + 0.5;
      default:  // Small counts, the common case in real data.
        return static_cast<double>(Byte() % 64);
    }
  }

  // `n` doubles.
  std::vector<double> Doubles(size_t n) {
    std::vector<double> v(n);
    for (double& d : v) d = Double();
    return v;
  }

  // A string of up to `max` bytes, the length taken from one byte.
  std::string String(size_t max) {
    size_t n = Byte() % (max + 1);
    if (n > remaining()) n = remaining();
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

  // Everything not yet consumed.
  absl::string_view Rest() {
    absl::string_view s(reinterpret_cast<const char*>(data_ + pos_),
                        remaining());
    pos_ = size_;
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Installs a no-op libprotobuf log handler: its ERROR lines (invalid UTF-8,
// for one) would otherwise be written to stderr on every run.
void SilenceProtobufLogging();

}  // namespace fuzz
}  // namespace vigil

#endif  // VIGIL_TESTS_FUZZ_FUZZ_INPUT_H_
