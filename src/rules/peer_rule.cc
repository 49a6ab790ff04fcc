// Peer rules: a funnel plot (Spiegelhalter 2005) of the selected providers
// of one indicator at the assessed period, in the per-indicator phase.
// Gather collects each provider's numerator and denominator; Conclude fits
// the funnel once over all of them; Judge rates each provider from its
// position and the indicator's polarity.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/casts.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/rules/builtin_rules.h"
#include "src/rules/format.h"
#include "src/rules/rule_support.h"
#include "vigil/funnel.h"

namespace vigil {
namespace internal {
namespace {

// The native config of a peer rule (vigil.v1.PeerRule), defaults beside
// their fields.
struct PeerConfig {
  v1::PeerRule::Method method = v1::PeerRule::METHOD_UNSPECIFIED;
  double amber = 0.95;
  double red = 0.998;
  funnel::Overdispersion adjustment = funnel::Overdispersion::kAdditive;
  double trim = funnel::kDefaultTrim;
  int minimum_providers = 10;
  funnel::Scale scale = funnel::Scale::kDefault;
  bool exact = false;
  std::optional<double> target;  // Indicator units; none = pooled (1).
  // Evidence labels, made once: "lower 95% limit", "upper 95% limit",
  // "lower 99.8% limit", "upper 99.8% limit".
  std::string labels[4];
};

// One provider placed on the funnel.
struct PeerPoint {
  int provider_index = 0;
  double numerator = 0;
  double denominator = 0;
};

struct PeerStatistics : GatheredStatistics {
  std::vector<PeerPoint> points;
  // Set by Conclude.
  std::string not_applicable;  // Why the indicator cannot be compared.
  std::string no_data;         // Why no provider can be judged.
  funnel::Result fit;
};

// The kernel's data type for `indicator`, or nullopt when the unit says
// nothing and the rule does not either.
std::optional<funnel::DataType> DataTypeFor(v1::PeerRule::Method method,
                                            const v1::Indicator& indicator) {
  switch (method) {
    case v1::PeerRule::METHOD_PROPORTION:
      return funnel::DataType::kProportion;
    case v1::PeerRule::METHOD_RATIO:
      return funnel::DataType::kRatio;
    case v1::PeerRule::METHOD_RATE:
      return funnel::DataType::kRate;
    default:
      break;
  }
  switch (indicator.unit()) {
    case v1::UNIT_PERCENTAGE:
      return funnel::DataType::kProportion;
    case v1::UNIT_RATIO:
      return funnel::DataType::kRatio;
    case v1::UNIT_RATE:
      return funnel::DataType::kRate;
    default:
      return std::nullopt;
  }
}

// What a value of 1 in the kernel's units is in the indicator's.
double MultiplierFor(funnel::DataType type, const v1::Indicator& indicator) {
  if (type == funnel::DataType::kRate) {
    return indicator.rate_multiplier() > 0 ? indicator.rate_multiplier() : 1;
  }
  if (type == funnel::DataType::kProportion &&
      indicator.unit() == v1::UNIT_PERCENTAGE) {
    return 100;
  }
  return 1;
}

// "95%", "99.8%".
std::string CoverageText(double coverage) {
  return absl::StrFormat("%g%%", coverage * 100);
}

class PeerEvaluator : public IndicatorRuleEvaluator {
 public:
  explicit PeerEvaluator(PeerConfig config) : config_(std::move(config)) {}

  std::unique_ptr<GatheredStatistics> Gather(
      const IndicatorContext& context,
      absl::Span<const PeerMember> members) const override {
    auto stats = std::make_unique<PeerStatistics>();
    for (const PeerMember& m : members) {
      const int k = PointAt(m, context.assessed);
      if (k < 0) continue;
      stats->points.push_back({m.provider_index, m.series->numerators[k],
                               m.series->denominators[k]});
    }
    return stats;
  }

  void Merge(const GatheredStatistics& part,
             GatheredStatistics* total) const override {
    const auto& from = static_cast<const PeerStatistics&>(part);
    auto* to = static_cast<PeerStatistics*>(total);
    to->points.insert(to->points.end(), from.points.begin(), from.points.end());
  }

  // Each point as 20 bytes, little-endian: the provider index (int32), the
  // numerator and the denominator (IEEE doubles).
  absl::StatusOr<std::string> Encode(
      const GatheredStatistics& stats) const override;
  absl::StatusOr<std::unique_ptr<GatheredStatistics>> Decode(
      size_t providers, absl::string_view bytes) const override;

  void Conclude(const IndicatorContext& context,
                GatheredStatistics* all) const override;

  void Judge(const IndicatorContext& context, const GatheredStatistics& all,
             const PeerMember& member, v1::Assessment* out) const override;

  bool Chart(const IndicatorContext& context, const GatheredStatistics& all,
             v1::FunnelChart* out) const override;

 private:
  // Position of the assessed period in the member's series when it has an
  // observed numerator and denominator there; else -1.
  static int PointAt(const PeerMember& m, Period assessed) {
    if (m.series == nullptr) return -1;
    const int k = m.series->IndexOf(assessed);
    if (k < 0 || m.series->status[k] != PointStatus::kObserved) return -1;
    if (std::isnan(m.series->numerators[k]) ||
        std::isnan(m.series->denominators[k])) {
      return -1;
    }
    return k;
  }

  // Why `member` has no place on the funnel.
  static std::string Unplaced(const PeerMember& member, Period assessed) {
    if (member.series == nullptr) {
      return absl::StrCat("no data for ", DescribePeriod(assessed));
    }
    const int k = member.series->IndexOf(assessed);
    if (k >= 0 && member.series->status[k] == PointStatus::kObserved) {
      return absl::StrCat("no numerator and denominator for ",
                          DescribePeriod(assessed),
                          " (peer comparison needs both)");
    }
    return DescribeGap(*member.series, assessed);
  }

  // "(overdispersion-adjusted, τ² = 0.0123)" and the like.
  std::string AdjustmentText(const funnel::Funnel& f) const {
    if (config_.adjustment == funnel::Overdispersion::kNone) {
      return "not adjusted for overdispersion";
    }
    if (!f.adjusted) {
      return std::isnan(f.phi)
                 ? "too few providers to estimate overdispersion"
                 : absl::StrFormat("no overdispersion to adjust for: φ = %.3g",
                                   f.phi);
    }
    if (config_.adjustment == funnel::Overdispersion::kMultiplicative) {
      return absl::StrFormat("overdispersion-adjusted, φ = %.3g", f.phi);
    }
    return absl::StrFormat("overdispersion-adjusted, τ² = %.3g", f.tau2);
  }

  PeerConfig config_;
};

constexpr size_t kEncodedPointBytes = 20;

void PutLittleEndian(uint64_t bits, int bytes, std::string* out) {
  for (int b = 0; b < bytes; ++b) {
    out->push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
  }
}

uint64_t GetLittleEndian(const char* in, int bytes) {
  uint64_t bits = 0;
  for (int b = 0; b < bytes; ++b) {
    bits |= static_cast<uint64_t>(static_cast<unsigned char>(in[b])) << (8 * b);
  }
  return bits;
}

absl::StatusOr<std::string> PeerEvaluator::Encode(
    const GatheredStatistics& stats) const {
  const auto& peer = static_cast<const PeerStatistics&>(stats);
  std::string out;
  out.reserve(peer.points.size() * kEncodedPointBytes);
  for (const PeerPoint& p : peer.points) {
    PutLittleEndian(static_cast<uint32_t>(p.provider_index), 4, &out);
    PutLittleEndian(absl::bit_cast<uint64_t>(p.numerator), 8, &out);
    PutLittleEndian(absl::bit_cast<uint64_t>(p.denominator), 8, &out);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<GatheredStatistics>> PeerEvaluator::Decode(
    size_t providers, absl::string_view bytes) const {
  if (bytes.size() % kEncodedPointBytes != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("peer statistics of ", bytes.size(),
                     " bytes: not a whole number of points"));
  }
  auto stats = std::make_unique<PeerStatistics>();
  stats->points.reserve(bytes.size() / kEncodedPointBytes);
  for (size_t at = 0; at < bytes.size(); at += kEncodedPointBytes) {
    const char* in = bytes.data() + at;
    PeerPoint p;
    p.provider_index =
        static_cast<int32_t>(static_cast<uint32_t>(GetLittleEndian(in, 4)));
    p.numerator = absl::bit_cast<double>(GetLittleEndian(in + 4, 8));
    p.denominator = absl::bit_cast<double>(GetLittleEndian(in + 12, 8));
    if (p.provider_index < 0 ||
        static_cast<size_t>(p.provider_index) >= providers) {
      return absl::InvalidArgumentError(
          absl::StrCat("peer statistics name provider index ", p.provider_index,
                       " of ", providers));
    }
    stats->points.push_back(p);
  }
  // Each provider once: parts gather over disjoint providers.
  std::vector<int32_t> seen;
  for (const PeerPoint& p : stats->points) seen.push_back(p.provider_index);
  std::sort(seen.begin(), seen.end());
  if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) {
    return absl::InvalidArgumentError(
        "peer statistics hold a provider twice: were two parts given the "
        "same provider?");
  }
  return stats;
}

void PeerEvaluator::Conclude(const IndicatorContext& context,
                             GatheredStatistics* all) const {
  auto* stats = static_cast<PeerStatistics*>(all);
  const v1::Indicator& indicator = *context.indicator;
  std::sort(stats->points.begin(), stats->points.end(),
            [](const PeerPoint& a, const PeerPoint& b) {
              return a.provider_index < b.provider_index;
            });
  const std::optional<funnel::DataType> type =
      DataTypeFor(config_.method, indicator);
  if (!type) {
    stats->not_applicable =
        "peer comparison needs a proportion, ratio or rate (the indicator's "
        "unit is neither percentage, ratio nor rate: set peer.method)";
    return;
  }
  const int peers = static_cast<int>(stats->points.size());
  if (peers < config_.minimum_providers) {
    stats->no_data = absl::StrCat(
        "only ", peers, peers == 1 ? " provider has" : " providers have",
        " a numerator and denominator for ", DescribePeriod(context.assessed),
        "; peer comparison needs at least ", config_.minimum_providers);
    return;
  }
  funnel::Options options;
  options.type = *type;
  options.coverages = {config_.amber, config_.red};
  options.overdispersion = config_.adjustment;
  options.scale = config_.scale;
  options.limits = config_.exact ? funnel::LimitMethod::kExact
                                 : funnel::LimitMethod::kDefault;
  options.trim = config_.trim;
  options.multiplier = MultiplierFor(*type, indicator);
  if (config_.target) options.target = *config_.target;
  std::vector<double> numerators, denominators;
  for (const PeerPoint& p : stats->points) {
    numerators.push_back(p.numerator);
    denominators.push_back(p.denominator);
  }
  absl::Status status =
      funnel::Fit(numerators, denominators, options, &stats->fit);
  if (!status.ok()) {
    stats->no_data =
        absl::StrCat("peer comparison could not be made: ", status.message());
  }
}

// Points along each curve: enough for a smooth line at any page width.
constexpr int kCurvePoints = 120;

bool PeerEvaluator::Chart(const IndicatorContext& context,
                          const GatheredStatistics& all,
                          v1::FunnelChart* out) const {
  const auto& stats = static_cast<const PeerStatistics&>(all);
  if (!stats.not_applicable.empty() || !stats.no_data.empty()) return false;
  const funnel::Result& fit = stats.fit;
  const funnel::Funnel& f = fit.funnel;
  const size_t coverages = f.coverages.size();
  double lowest = 0, highest = 0;
  for (size_t g = 0; g < stats.points.size(); ++g) {
    if (fit.groups[g].status != funnel::GroupStatus::kUsed) continue;
    const double d = stats.points[g].denominator;
    lowest = lowest == 0 ? d : std::min(lowest, d);
    highest = std::max(highest, d);
  }
  if (!(lowest > 0) || !std::isfinite(highest)) return false;
  const std::vector<double> grid =
      funnel::DenominatorGrid(lowest / 2, highest, kCurvePoints);
  std::vector<double> lower(grid.size() * coverages);
  std::vector<double> upper(lower.size());
  if (!funnel::Curve(f, grid, absl::MakeSpan(lower), absl::MakeSpan(upper))
           .ok()) {
    return false;
  }
  out->set_period(FormatPeriod(context.assessed));
  out->set_target(f.target);
  for (double c : f.coverages) out->add_coverages(c);
  for (double d : grid) out->add_denominators(d);
  for (double v : lower) out->add_lower(v);
  for (double v : upper) out->add_upper(v);
  out->set_adjustment(AdjustmentText(f));
  for (size_t g = 0; g < stats.points.size(); ++g) {
    if (fit.groups[g].status != funnel::GroupStatus::kUsed) continue;
    const PeerPoint& p = stats.points[g];
    v1::FunnelChartPoint* point = out->add_points();
    point->set_provider_id(context.providers[p.provider_index].id());
    point->set_numerator(p.numerator);
    point->set_denominator(p.denominator);
    point->set_value(fit.groups[g].value);
    // The outermost limit the value lies beyond (coverages ascend: amber,
    // then red).
    int position = 0;
    for (size_t c = 0; c < coverages; ++c) {
      const funnel::Flag flag = fit.flags[g * coverages + c];
      if (flag == funnel::Flag::kNone) continue;
      const int depth = static_cast<int>(c) + 1;
      position = flag == funnel::Flag::kLow ? -depth : depth;
    }
    point->set_position(position);
  }
  return true;
}

void PeerEvaluator::Judge(const IndicatorContext& context,
                          const GatheredStatistics& all,
                          const PeerMember& member, v1::Assessment* out) const {
  const auto& stats = static_cast<const PeerStatistics&>(all);
  const v1::Indicator& indicator = *context.indicator;
  auto rate = [&](v1::Rating rating, absl::string_view text) {
    out->set_rating(rating);
    if (context.explain) SetReason(indicator, out, text);
  };
  if (!stats.not_applicable.empty()) {
    return rate(v1::RATING_NOT_APPLICABLE, stats.not_applicable);
  }
  const auto row = std::lower_bound(
      stats.points.begin(), stats.points.end(), member.provider_index,
      [](const PeerPoint& p, int index) { return p.provider_index < index; });
  if (row == stats.points.end() ||
      row->provider_index != member.provider_index) {
    return rate(v1::RATING_NO_DATA, context.explain
                                        ? Unplaced(member, context.assessed)
                                        : std::string());
  }
  if (!stats.no_data.empty()) return rate(v1::RATING_NO_DATA, stats.no_data);

  const funnel::Result& fit = stats.fit;
  const funnel::Funnel& f = fit.funnel;
  const size_t g = row - stats.points.begin();
  const double value = fit.groups[g].value;
  const double amber_low = fit.lower[g * 2], amber_high = fit.upper[g * 2];
  const double red_low = fit.lower[g * 2 + 1], red_high = fit.upper[g * 2 + 1];
  const funnel::Flag amber_flag = fit.flags[g * 2];
  const funnel::Flag red_flag = fit.flags[g * 2 + 1];
  const Orientation orientation = OrientationOf(indicator.polarity());
  if (!context.explain) {
    if (orientation == Orientation::kNeutral ||
        orientation == Orientation::kUnknown) {
      return out->set_rating(v1::RATING_NOT_APPLICABLE);
    }
    const funnel::Flag worse = orientation == Orientation::kHigherIsBetter
                                   ? funnel::Flag::kLow
                                   : funnel::Flag::kHigh;
    return out->set_rating(red_flag == worse     ? v1::RATING_RED
                           : amber_flag == worse ? v1::RATING_AMBER
                                                 : v1::RATING_GREEN);
  }

  const Period assessed = context.assessed;
  out->set_value(value);
  out->set_standard(f.target);
  out->set_data_period(out->period());
  AddEvidence(out, "value", assessed, value);
  AddEvidence(out, "numerator", assessed, row->numerator);
  AddEvidence(out, "denominator", assessed, row->denominator);
  AddEvidence(out, "peer target", f.target);
  AddEvidence(out, config_.labels[0], amber_low);
  AddEvidence(out, config_.labels[1], amber_high);
  AddEvidence(out, config_.labels[2], red_low);
  AddEvidence(out, config_.labels[3], red_high);
  AddEvidence(out, "z-score", fit.groups[g].z);
  if (!std::isnan(f.phi)) AddEvidence(out, "phi", f.phi);
  AddEvidence(out, "tau2", f.tau2);
  AddEvidence(out, "peers", f.groups);

  const std::string head = absl::StrCat(FormatValue(value, indicator), " in ",
                                        DescribePeriod(assessed), ", ");
  const std::string tail =
      absl::StrCat(" for ", f.groups, " providers (", AdjustmentText(f), ")");
  auto beyond = [&](funnel::Flag flag, double coverage, double limit) {
    return absl::StrCat(
        flag == funnel::Flag::kLow ? "below the " : "above the ",
        CoverageText(coverage),
        flag == funnel::Flag::kLow ? " lower" : " upper", " limit of ",
        FormatValue(limit, indicator));
  };
  const std::string within = absl::StrCat(
      "within the ", CoverageText(config_.amber), " limits (",
      FormatValue(amber_low, indicator), " to ",
      FormatValue(amber_high, indicator), ") around the peer value of ",
      FormatValue(f.target, indicator));

  if (orientation == Orientation::kNeutral ||
      orientation == Orientation::kUnknown) {
    const std::string where =
        red_flag != funnel::Flag::kNone
            ? beyond(red_flag, config_.red,
                     red_flag == funnel::Flag::kLow ? red_low : red_high)
        : amber_flag != funnel::Flag::kNone
            ? beyond(amber_flag, config_.amber,
                     amber_flag == funnel::Flag::kLow ? amber_low : amber_high)
            : within;
    return rate(v1::RATING_NOT_APPLICABLE,
                absl::StrCat(head, where, tail, "; ",
                             orientation == Orientation::kNeutral
                                 ? "neutral indicator: neither side is worse"
                                 : "the indicator has no polarity"));
  }
  const funnel::Flag bad = orientation == Orientation::kHigherIsBetter
                               ? funnel::Flag::kLow
                               : funnel::Flag::kHigh;
  const double red_limit = bad == funnel::Flag::kLow ? red_low : red_high;
  const double amber_limit = bad == funnel::Flag::kLow ? amber_low : amber_high;
  out->set_red_threshold(red_limit);
  if (red_flag == bad) {
    out->set_signal(absl::StrCat("outlier among ", f.groups, " providers: ",
                                 head, beyond(bad, config_.red, red_limit)));
    return rate(v1::RATING_RED,
                absl::StrCat(head, beyond(bad, config_.red, red_limit), tail));
  }
  if (amber_flag == bad) {
    return rate(
        v1::RATING_AMBER,
        absl::StrCat(head, beyond(bad, config_.amber, amber_limit),
                     " (within the ", CoverageText(config_.red), " limit of ",
                     FormatValue(red_limit, indicator), ")", tail));
  }
  if (amber_flag != funnel::Flag::kNone) {
    const bool far = red_flag != funnel::Flag::kNone;
    const double limit = amber_flag == funnel::Flag::kLow
                             ? (far ? red_low : amber_low)
                             : (far ? red_high : amber_high);
    return rate(v1::RATING_GREEN,
                absl::StrCat(head, "better than peers: ",
                             beyond(amber_flag,
                                    far ? config_.red : config_.amber, limit),
                             tail));
  }
  rate(v1::RATING_GREEN, absl::StrCat(head, within, tail));
}

}  // namespace

CompiledEvaluator CompilePeerRule(const RuleCompileContext& context) {
  const v1::PeerRule& rule = context.rule().peer();
  PeerConfig config;
  if (!v1::PeerRule::Method_IsValid(rule.method())) {
    return context.Error("method", "is not a known method");
  }
  config.method = rule.method();
  if (rule.amber_limit() != 0) config.amber = rule.amber_limit();
  if (rule.red_limit() != 0) config.red = rule.red_limit();
  if (!(config.amber > 0 && config.amber < 1)) {
    return context.Error("amber_limit",
                         "must be a two-sided coverage in (0, 1), e.g. 0.95");
  }
  if (!(config.red > 0 && config.red < 1)) {
    return context.Error("red_limit",
                         "must be a two-sided coverage in (0, 1), e.g. 0.998");
  }
  if (!(config.red > config.amber)) {
    return context.Error(
        "red_limit",
        absl::StrCat("must be above amber_limit (", config.amber, ")"));
  }
  if (rule.winsorize_fraction() != 0) config.trim = rule.winsorize_fraction();
  if (!(config.trim > 0 && config.trim < 0.5)) {
    return context.Error("winsorize_fraction",
                         "must be in (0, 0.5); 0 means the default, 0.1");
  }
  if (rule.minimum_providers() != 0) {
    config.minimum_providers = rule.minimum_providers();
  }
  if (config.minimum_providers < 2) {
    return context.Error("minimum_providers",
                         "must be at least 2 (0 means the default, 10)");
  }
  switch (rule.adjustment()) {
    case v1::PeerRule::ADJUSTMENT_UNSPECIFIED:
      config.adjustment = rule.overdispersion()
                              ? funnel::Overdispersion::kMultiplicative
                              : funnel::Overdispersion::kAdditive;
      break;
    case v1::PeerRule::ADJUSTMENT_NONE:
      config.adjustment = funnel::Overdispersion::kNone;
      break;
    case v1::PeerRule::ADJUSTMENT_MULTIPLICATIVE:
      config.adjustment = funnel::Overdispersion::kMultiplicative;
      break;
    case v1::PeerRule::ADJUSTMENT_ADDITIVE:
      config.adjustment = funnel::Overdispersion::kAdditive;
      break;
    default:
      return context.Error("adjustment", "is not a known adjustment");
  }
  if (rule.overdispersion() &&
      config.adjustment != funnel::Overdispersion::kMultiplicative) {
    return context.Error("overdispersion",
                         "true means a multiplicative adjustment, but "
                         "adjustment says otherwise: set only adjustment");
  }
  switch (rule.scale()) {
    case v1::PeerRule::SCALE_UNSPECIFIED:
      break;
    case v1::PeerRule::SCALE_ARCSINE:
      config.scale = funnel::Scale::kArcsine;
      break;
    case v1::PeerRule::SCALE_LOG:
      config.scale = funnel::Scale::kLog;
      break;
    case v1::PeerRule::SCALE_SQRT:
      config.scale = funnel::Scale::kSqrt;
      break;
    default:
      return context.Error("scale", "is not a known scale");
  }
  const bool proportion = rule.method() == v1::PeerRule::METHOD_PROPORTION;
  const bool counts = rule.method() == v1::PeerRule::METHOD_RATIO ||
                      rule.method() == v1::PeerRule::METHOD_RATE;
  if ((proportion && (config.scale == funnel::Scale::kLog ||
                      config.scale == funnel::Scale::kSqrt)) ||
      (counts && config.scale == funnel::Scale::kArcsine)) {
    return context.Error("scale",
                         "arcsine is for proportions; log and sqrt are for "
                         "ratios and rates");
  }
  config.exact = rule.exact_limits();
  if (rule.has_target()) {
    if (!std::isfinite(rule.target()) || rule.target() < 0) {
      return context.Error("target", "must be a number >= 0");
    }
    config.target = rule.target();
  }
  int label = 0;
  for (double coverage : {config.amber, config.red}) {
    for (const char* side : {"lower ", "upper "}) {
      config.labels[label++] =
          absl::StrCat(side, CoverageText(coverage), " limit");
    }
  }
  return std::make_unique<PeerEvaluator>(std::move(config));
}

}  // namespace internal
}  // namespace vigil
