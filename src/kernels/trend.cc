#include "vigil/trend.h"

namespace vigil {

int TrailingDeteriorations(absl::Span<const double> values, Direction direction,
                           double minimum_change, int* chain) {
  int present = 0;
  for (size_t i = values.size(); i > 0 && values[i - 1] == values[i - 1]; --i) {
    ++present;
  }
  if (chain != nullptr) *chain = present;
  int run = 0;
  const size_t n = values.size();
  for (int k = 1; k < present; ++k) {
    const double after = values[n - k];
    const double before = values[n - k - 1];
    if (CompareValues(before, after, direction, minimum_change) !=
        Change::kWorse) {
      break;
    }
    ++run;
  }
  return run;
}

}  // namespace vigil
