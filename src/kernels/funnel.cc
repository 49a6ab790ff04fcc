// Fit: options and groups checked, the target, z-scores on the scale, the
// dispersion ratio (winsorised or truncated), tau^2, then each group's
// limits and flags. The limits themselves are in funnel_limits.cc.
#include "vigil/funnel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "src/kernels/distributions.h"
#include "src/kernels/funnel_scale.h"

namespace vigil {
namespace funnel {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

absl::Status CheckOptions(const Options& options) {
  if (static_cast<int>(options.type) > static_cast<int>(DataType::kRate)) {
    return absl::InvalidArgumentError("type: not a funnel data type");
  }
  if (static_cast<int>(options.overdispersion) >
      static_cast<int>(Overdispersion::kAdditive)) {
    return absl::InvalidArgumentError("overdispersion: not a method");
  }
  if (static_cast<int>(options.limits) >
      static_cast<int>(LimitMethod::kExact)) {
    return absl::InvalidArgumentError("limits: not a limit method");
  }
  const bool proportion = options.type == DataType::kProportion;
  switch (options.scale) {
    case Scale::kDefault:
      break;
    case Scale::kArcsine:
      if (!proportion) {
        return absl::InvalidArgumentError(
            "scale: arcsine is for proportions; ratios and rates take log "
            "or sqrt");
      }
      break;
    case Scale::kLog:
    case Scale::kSqrt:
      if (proportion) {
        return absl::InvalidArgumentError(
            "scale: log and sqrt are for ratios and rates; proportions take "
            "arcsine");
      }
      break;
    default:
      return absl::InvalidArgumentError("scale: not a scale");
  }
  const size_t count = options.coverages.size();
  if (count == 0 || count > static_cast<size_t>(kMaxCoverages)) {
    return absl::InvalidArgumentError(
        absl::StrCat("coverages: need 1 to ", kMaxCoverages, ", got ", count));
  }
  for (size_t i = 0; i < count; ++i) {
    const double c = options.coverages[i];
    if (!(c > 0.0 && c < 1.0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("coverages[", i, "]: ", c,
                       " is not a two-sided coverage in (0, 1) such as 0.95"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (options.coverages[j] == c) {
        return absl::InvalidArgumentError(
            absl::StrCat("coverages[", i, "]: ", c, " is given twice"));
      }
    }
  }
  if (!(options.trim >= 0.0 && options.trim < 0.5)) {
    return absl::InvalidArgumentError(
        absl::StrCat("trim: ", options.trim, " is not a fraction in [0, 0.5)"));
  }
  if (!(options.multiplier > 0.0) || std::isinf(options.multiplier)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "multiplier: ", options.multiplier, " is not a positive number"));
  }
  const double t = options.target;
  if (!std::isnan(t)) {
    if (std::isinf(t)) return absl::InvalidArgumentError("target: infinite");
    if (proportion && (t < 0.0 || t > options.multiplier)) {
      return absl::InvalidArgumentError(
          absl::StrCat("target: ", t, " is not a proportion in [0, ",
                       options.multiplier, "] (times the multiplier)"));
    }
    if (!proportion && !(t > 0.0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target: ", t, " is not positive (a ratio or rate target is > 0)"));
    }
  }
  return absl::OkStatus();
}

// Status of each group; InvalidArgument for numbers no group can have.
absl::Status CheckGroups(DataType type, absl::Span<const double> numerators,
                         absl::Span<const double> denominators,
                         std::vector<GroupResult>* groups) {
  for (size_t i = 0; i < numerators.size(); ++i) {
    const double num = numerators[i];
    const double den = denominators[i];
    GroupResult& group = (*groups)[i];
    if (std::isinf(num) || std::isinf(den)) {
      return absl::InvalidArgumentError(absl::StrCat(
          std::isinf(num) ? "numerators[" : "denominators[", i, "]: infinite"));
    }
    if (num > kMaxNumber || den > kMaxNumber) {
      return absl::InvalidArgumentError(absl::StrCat(
          num > kMaxNumber ? "numerators[" : "denominators[", i,
          "]: ", num > kMaxNumber ? num : den, " is above ", kMaxNumber,
          ", the largest count or denominator a funnel takes"));
    }
    if (num < 0.0 || den < 0.0) {
      return absl::InvalidArgumentError(
          absl::StrCat(num < 0.0 ? "numerators[" : "denominators[", i,
                       "]: ", num < 0.0 ? num : den, " is negative"));
    }
    if (std::isnan(num) || std::isnan(den)) {
      group.status = GroupStatus::kMissing;
    } else if (den == 0.0) {
      group.status = GroupStatus::kZeroDenominator;
    } else if (type == DataType::kProportion && num > den) {
      return absl::InvalidArgumentError(absl::StrCat(
          "numerators[", i, "]: ", num, " is above its denominator ", den,
          " (a proportion's numerator counts part of it)"));
    } else {
      group.status = GroupStatus::kUsed;
    }
  }
  return absl::OkStatus();
}

// R's quantile type 7 of sorted values.
double Quantile(const std::vector<double>& sorted, double p) {
  const double h = (sorted.size() - 1) * p;
  const size_t low = static_cast<size_t>(std::floor(h));
  const size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

// Marks which z-scores count towards phi and returns their squares' sum
// over `kept`. Log scale (SHMI): the top and bottom `trim` are dropped by
// rank (ties averaged); other scales: winsorised at the trim quantiles.
double SumOfSquares(Scale scale, double trim, const std::vector<double>& z,
                    std::vector<char>* kept) {
  const size_t k = z.size();
  kept->assign(k, 1);
  double sum = 0.0;
  if (scale == Scale::kLog) {
    std::vector<size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&z](size_t a, size_t b) { return z[a] < z[b]; });
    const double parts = trim > 0.0 ? 1.0 / trim : 0.0;
    for (size_t i = 0; i < k;) {
      size_t j = i;
      while (j + 1 < k && z[order[j + 1]] == z[order[i]]) ++j;
      const double rank = (i + j) / 2.0 + 1.0;  // Average of ranks i+1..j+1.
      const double part = std::floor(rank * parts / (k + 1.0));
      const bool keep = trim == 0.0 || (part > 0.0 && part < parts - 1.0);
      for (size_t m = i; m <= j; ++m) (*kept)[order[m]] = keep;
      i = j + 1;
    }
    for (size_t i = 0; i < k; ++i) {
      if ((*kept)[i]) sum += z[i] * z[i];
    }
    return sum;
  }
  std::vector<double> sorted = z;
  std::sort(sorted.begin(), sorted.end());
  const double low = Quantile(sorted, trim);
  const double high = Quantile(sorted, 1.0 - trim);
  for (double v : z) {
    const double w = std::min(high, std::max(low, v));
    sum += w * w;
  }
  return sum;
}

// DerSimonian-Laird tau^2 over the kept groups (FunnelPlotR's tau_func):
// 0 when k * phi < k - 1.
double Tau2(double phi, const std::vector<double>& s,
            const std::vector<char>& kept) {
  double k = 0, w_sum = 0, w2_sum = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!kept[i]) continue;
    const double w = 1.0 / (s[i] * s[i]);
    k += 1;
    w_sum += w;
    w2_sum += w * w;
  }
  if (k * phi < k - 1.0) return 0.0;
  const double spread = w_sum - w2_sum / w_sum;
  if (!(spread > 0.0)) return 0.0;
  return std::max(0.0, (k * phi - (k - 1.0)) / spread);
}

}  // namespace

absl::Status Fit(absl::Span<const double> numerators,
                 absl::Span<const double> denominators, const Options& options,
                 Result* out) {
  if (numerators.size() != denominators.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("numerators and denominators differ in length (",
                     numerators.size(), " and ", denominators.size(), ")"));
  }
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  Result result;
  result.groups.resize(numerators.size());
  if (absl::Status s =
          CheckGroups(options.type, numerators, denominators, &result.groups);
      !s.ok()) {
    return s;
  }
  Funnel& f = result.funnel;
  f.type = options.type;
  f.overdispersion = options.overdispersion;
  f.multiplier = options.multiplier;
  f.coverages = options.coverages;
  const bool proportion = options.type == DataType::kProportion;
  f.scale = options.scale != Scale::kDefault
                ? options.scale
                : (proportion ? Scale::kArcsine : Scale::kLog);
  f.limits =
      options.limits != LimitMethod::kDefault
          ? options.limits
          : (proportion ? LimitMethod::kApproximate : LimitMethod::kExact);
  for (double c : f.coverages) {
    f.z.push_back(distributions::NormalQuantile(0.5 + c / 2.0));
  }

  std::vector<size_t> used;
  double num_sum = 0, den_sum = 0;
  for (size_t i = 0; i < result.groups.size(); ++i) {
    if (result.groups[i].status != GroupStatus::kUsed) continue;
    used.push_back(i);
    num_sum += numerators[i];
    den_sum += denominators[i];
  }
  f.groups = static_cast<int>(used.size());
  if (used.empty()) {
    return absl::FailedPreconditionError(
        "no group has both a numerator and a non-zero denominator");
  }
  if (!std::isnan(options.target)) {
    f.target = options.target;
  } else if (options.type == DataType::kRatio) {
    f.target = options.multiplier;
  } else {
    f.target = options.multiplier * num_sum / den_sum;
  }
  if (!proportion && !(f.target > 0.0)) {
    return absl::FailedPreconditionError(
        "rate: no group has an event, so the pooled rate is 0 and there is "
        "no funnel; give a target");
  }

  // z-scores on the scale, then phi and tau^2 from them.
  const double centre = internal::ScaleTarget(f);
  std::vector<double> y(used.size()), s(used.size()), z(used.size());
  for (size_t u = 0; u < used.size(); ++u) {
    const size_t i = used[u];
    y[u] = internal::ScaleValue(f, numerators[i], denominators[i]);
    s[u] = internal::ScaleError(f, denominators[i]);
    z[u] = (y[u] - centre) / s[u];
  }
  std::vector<char> kept;
  const double sum = SumOfSquares(f.scale, options.trim, z, &kept);
  f.phi_groups = static_cast<int>(std::count(kept.begin(), kept.end(), 1));
  f.phi = f.phi_groups >= 2 ? sum / f.phi_groups : kNaN;
  f.adjusted = options.overdispersion != Overdispersion::kNone &&
               f.phi_groups >= 2 && f.phi > 1.0;
  f.tau2 = f.adjusted && options.overdispersion == Overdispersion::kAdditive
               ? Tau2(f.phi, s, kept)
               : 0.0;

  const size_t coverages = f.coverages.size();
  result.lower.assign(result.groups.size() * coverages, kNaN);
  result.upper.assign(result.groups.size() * coverages, kNaN);
  result.flags.assign(result.groups.size() * coverages, Flag::kNone);
  for (GroupResult& group : result.groups) {
    group.value = group.z = group.z_unadjusted = kNaN;
  }
  for (size_t u = 0; u < used.size(); ++u) {
    const size_t i = used[u];
    GroupResult& group = result.groups[i];
    group.value = f.multiplier * numerators[i] / denominators[i];
    group.z_unadjusted = z[u];
    group.z = z[u];
    if (f.adjusted) {
      group.z = f.overdispersion == Overdispersion::kMultiplicative
                    ? z[u] / std::sqrt(f.phi)
                    : (y[u] - centre) / std::sqrt(s[u] * s[u] + f.tau2);
    }
    for (size_t c = 0; c < coverages; ++c) {
      double& lower = result.lower[i * coverages + c];
      double& upper = result.upper[i * coverages + c];
      internal::Limits(f, denominators[i], f.z[c], f.coverages[c], &lower,
                       &upper);
      Flag& flag = result.flags[i * coverages + c];
      if (group.value < lower) flag = Flag::kLow;
      if (group.value > upper) flag = Flag::kHigh;
    }
  }
  *out = std::move(result);
  return absl::OkStatus();
}

}  // namespace funnel
}  // namespace vigil
