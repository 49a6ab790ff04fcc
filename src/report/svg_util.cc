// Helpers shared by the dashboard's SVG drawings. See svg_util.h.
#include "src/report/svg_util.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_format.h"
#include "vigil/period.h"

namespace vigil {
namespace internal {

std::string Coord(double v) { return absl::StrFormat("%.1f", v); }

std::string Tick(double v) {
  if (std::fabs(v) >= 1000 && std::fabs(v) < 1e15) {
    return absl::StrFormat("%.0f", v);
  }
  return absl::StrFormat("%.4g", v);
}

std::string PeriodLabel(absl::string_view period) {
  absl::StatusOr<Period> p = ParsePeriod(period);
  return p.ok() ? DescribePeriod(*p) : std::string(period);
}

void AxisRange::Take(double v) {
  if (!std::isfinite(v)) return;
  if (empty) {
    lo = hi = v;
    empty = false;
    return;
  }
  lo = std::min(lo, v);
  hi = std::max(hi, v);
}

AxisRange AxisRange::Padded() const {
  AxisRange r = *this;
  if (r.empty) {
    r.lo = 0;
    r.hi = 1;
    r.empty = false;
  }
  if (r.hi - r.lo < 1e-12 * std::max(1.0, std::fabs(r.hi))) {
    r.lo -= 1;
    r.hi += 1;
  }
  const double pad = (r.hi - r.lo) * 0.05;
  r.lo -= pad;
  r.hi += pad;
  return r;
}

}  // namespace internal
}  // namespace vigil
