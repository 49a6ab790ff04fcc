#include "vigil/threshold.h"

namespace vigil {

void ClassifyValues(absl::Span<const double> values, const Bands& bands,
                    absl::Span<Band> out) {
  const size_t n = values.size() < out.size() ? values.size() : out.size();
  for (size_t i = 0; i < n; ++i) out[i] = ClassifyValue(values[i], bands);
}

int TrailingRunInBand(absl::Span<const double> values, const Bands& bands,
                      Band band) {
  int run = 0;
  for (size_t i = values.size(); i > 0; --i) {
    if (ClassifyValue(values[i - 1], bands) != band) break;
    ++run;
  }
  return run;
}

double SumPresent(absl::Span<const double> values, int* count) {
  double sum = 0;
  int n = 0;
  for (double v : values) {
    if (v != v) continue;
    sum += v;
    ++n;
  }
  if (count != nullptr) *count = n;
  return n == 0 ? __builtin_nan("") : sum;
}

double MeanPresent(absl::Span<const double> values) {
  int n = 0;
  const double sum = SumPresent(values, &n);
  return n == 0 ? sum : sum / n;
}

double PooledRatio(absl::Span<const double> numerators,
                   absl::Span<const double> denominators, double multiplier) {
  double num = 0;
  double den = 0;
  bool any = false;
  const size_t n = numerators.size() < denominators.size()
                       ? numerators.size()
                       : denominators.size();
  for (size_t i = 0; i < n; ++i) {
    if (numerators[i] != numerators[i] || denominators[i] != denominators[i]) {
      continue;
    }
    num += numerators[i];
    den += denominators[i];
    any = true;
  }
  if (!any || den <= 0) return __builtin_nan("");
  return multiplier * num / den;
}

}  // namespace vigil
