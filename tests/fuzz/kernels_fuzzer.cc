// Fuzzes the numeric kernels on plain arrays: the Making Data Count XmR
// chart (vigil/spc.h), the funnel plot (vigil/funnel.h: Fit, LimitsAt,
// DenominatorGrid, Curve) and the attribute charts (vigil/attribute_spc.h:
// p, p', u, u', c, g, t and the XmR code they refuse, both rule sets,
// moving-range screening on and off). Values include NaN, infinities,
// huge, tiny and negative numbers; options include out-of-range ones, and
// sometimes the optional arrays have the wrong length. Checks that a
// successful call fills every output consistently.
//
// Input: byte 0 picks the kernel; then options, a length and the values
// (see FuzzInput::Double for how bytes become doubles).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "tests/fuzz/fuzz_input.h"
#include "vigil/attribute_spc.h"
#include "vigil/funnel.h"
#include "vigil/spc.h"

namespace vigil {
namespace fuzz {
namespace {

// A run length: usually valid (5..10), sometimes not.
int RunLength(FuzzInput* in) { return in->Byte() % 13; }

// fix_after_n_points: 0 (all points), around the thresholds, or larger.
int FixAfter(FuzzInput* in, int n) {
  const int choices[] = {0, 0, 1, 2, 11, 12, 13, n, n + 1, -1};
  return choices[in->Pick(10)];
}

spc::ImprovementDirection Direction(FuzzInput* in) {
  return static_cast<spc::ImprovementDirection>(in->Pick(3) - 1);
}

// Length of an optional array of `n`: none, `n`, or (rarely) wrong.
size_t OptionalLength(FuzzInput* in, size_t n) {
  const uint8_t b = in->Byte();
  if (b % 2 == 0) return 0;
  if (b == 255) return n + 1;
  if (b == 253 && n > 0) return n - 1;
  return n;
}

std::vector<uint8_t> Rebase(FuzzInput* in, size_t length) {
  std::vector<uint8_t> rebase(length);
  for (uint8_t& r : rebase) r = in->Byte() % 8 == 0 ? 1 : 0;
  return rebase;
}

void FuzzXmr(FuzzInput* in) {
  spc::Options options;
  options.direction = Direction(in);
  options.screen_outliers = in->Bool();
  options.run_length = RunLength(in);
  const size_t n = in->Byte();
  options.fix_after_n_points = FixAfter(in, static_cast<int>(n));
  options.short_group_threshold = in->Byte() % 20;
  const std::vector<uint8_t> rebase = Rebase(in, OptionalLength(in, n));
  const std::vector<double> targets = in->Doubles(OptionalLength(in, n));
  const std::vector<double> values = in->Doubles(n);
  spc::Workspace workspace;
  std::vector<spc::PointResult> out(n);
  spc::SeriesSummary summary;
  absl::Status s = spc::Analyze(values, rebase, targets, options, &workspace,
                                absl::MakeSpan(out), &summary);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty());
    return;
  }
  FUZZ_CHECK(summary.present_points + summary.missing_points ==
             static_cast<int>(n));
  FUZZ_CHECK(summary.latest >= -1 && summary.latest < static_cast<int>(n));
  FUZZ_CHECK((summary.latest == -1) == (summary.present_points == 0));
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(out[i].group >= 0);
    FUZZ_CHECK(summary.groups == 0 || out[i].group < summary.groups);
    FUZZ_CHECK((out[i].special_cause == spc::SpecialCause::kMissing) ==
               std::isnan(values[i]));
    FUZZ_CHECK(spc::SpecialCauseLabel(out[i].special_cause) != nullptr);
    FUZZ_CHECK(spc::PointTypeName(out[i].point_type) != nullptr);
  }
  FUZZ_CHECK(spc::VariationIconName(summary.variation) != nullptr);
  FUZZ_CHECK(spc::AssuranceName(summary.assurance) != nullptr);
}

void FuzzFunnel(FuzzInput* in) {
  funnel::Options options;
  options.type = static_cast<funnel::DataType>(in->Pick(3));
  options.overdispersion = static_cast<funnel::Overdispersion>(in->Pick(3));
  options.scale = static_cast<funnel::Scale>(in->Pick(4));
  options.limits = static_cast<funnel::LimitMethod>(in->Pick(3));
  if (in->Byte() % 4 == 0) options.trim = in->Double();
  const double multipliers[] = {1, 100, 1000, 100000};
  const uint8_t m = in->Byte();
  options.multiplier = m < 200 ? multipliers[m % 4] : in->Double();
  if (in->Bool()) options.target = in->Double();
  const int coverages = in->Pick(11);
  if (coverages < 10) {
    options.coverages.clear();
    for (int c = 0; c < coverages; ++c) {
      const uint8_t b = in->Byte();
      options.coverages.push_back(b < 250 ? (b + 1) / 252.0 : in->Double());
    }
  }
  const size_t n = in->Byte();
  const std::vector<double> numerators = in->Doubles(n);
  std::vector<double> denominators = in->Doubles(n);
  if (in->Byte() == 255) denominators.push_back(1);
  funnel::Result result;
  absl::Status s = funnel::Fit(numerators, denominators, options, &result);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty());
    return;
  }
  const size_t k = result.funnel.coverages.size();
  FUZZ_CHECK(k == options.coverages.size() && result.funnel.z.size() == k);
  FUZZ_CHECK(result.groups.size() == n && result.flags.size() == n * k);
  FUZZ_CHECK(result.lower.size() == n * k && result.upper.size() == n * k);
  FUZZ_CHECK(result.funnel.scale != funnel::Scale::kDefault);
  FUZZ_CHECK(result.funnel.limits != funnel::LimitMethod::kDefault);
  int used = 0;
  for (const funnel::GroupResult& g : result.groups) {
    used += g.status == funnel::GroupStatus::kUsed;
  }
  FUZZ_CHECK(used == result.funnel.groups && used > 0);
  FUZZ_CHECK(result.funnel.phi_groups <= used);
  double lower, upper;
  const double denominator = in->Double();
  funnel::LimitsAt(result.funnel, denominator, in->Pick(10), &lower, &upper);
  const double lowest = in->Double();
  const double highest = in->Double();
  const std::vector<double> grid =
      funnel::DenominatorGrid(lowest, highest, in->Byte());
  std::vector<double> lowers(grid.size() * k), uppers(grid.size() * k);
  s = funnel::Curve(result.funnel, grid, absl::MakeSpan(lowers),
                    absl::MakeSpan(uppers));
  FUZZ_CHECK(s.ok());
}

void FuzzAttribute(FuzzInput* in) {
  spc::AttributeOptions options;
  options.chart = static_cast<spc::Chart>(in->Pick(8));
  const uint8_t m = in->Byte();
  options.multiplier = m < 128 ? 1 : m < 192 ? 100 : in->Double();
  options.screen_moving_ranges = in->Bool();
  options.rules = static_cast<spc::SignalRules>(in->Pick(2));
  options.direction = Direction(in);
  options.run_length = RunLength(in);
  const size_t n = in->Byte();
  options.fix_after_n_points = FixAfter(in, static_cast<int>(n));
  const size_t denominators_length =
      spc::ChartUsesDenominator(options.chart) && in->Byte() != 255
          ? n
          : OptionalLength(in, n);
  const std::vector<uint8_t> rebase = Rebase(in, OptionalLength(in, n));
  const std::vector<double> targets = in->Doubles(OptionalLength(in, n));
  const std::vector<double> denominators = in->Doubles(denominators_length);
  const std::vector<double> numerators = in->Doubles(n);
  spc::AttributeWorkspace workspace;
  std::vector<spc::AttributePoint> out(n);
  spc::AttributeSummary summary;
  absl::Status s =
      spc::AnalyzeAttribute(numerators, denominators, rebase, targets, options,
                            &workspace, absl::MakeSpan(out), &summary);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty());
    return;
  }
  FUZZ_CHECK(options.chart != spc::Chart::kXmR);
  FUZZ_CHECK(summary.present_points + summary.missing_points ==
             static_cast<int>(n));
  FUZZ_CHECK(summary.latest >= -1 && summary.latest < static_cast<int>(n));
  FUZZ_CHECK(spc::ChartStatusDescription(summary.status) != nullptr);
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(out[i].group >= 0);
    FUZZ_CHECK(summary.groups == 0 || out[i].group < summary.groups);
    FUZZ_CHECK((out[i].status == spc::PointStatus::kPresent) ==
               !std::isnan(out[i].value));
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::FuzzInput in(data, size);
  switch (in.Pick(3)) {
    case 0:
      vigil::fuzz::FuzzXmr(&in);
      break;
    case 1:
      vigil::fuzz::FuzzFunnel(&in);
      break;
    default:
      vigil::fuzz::FuzzAttribute(&in);
      break;
  }
  return 0;
}
