#include "src/engine/signal_escalation.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/lean_evaluation.h"
#include "src/rules/format.h"
#include "vigil/names.h"

namespace vigil {
namespace internal {
namespace {

bool Judged(uint8_t rating) {
  return rating == v1::RATING_GREEN || rating == v1::RATING_AMBER ||
         rating == v1::RATING_RED;
}

// 2, 2.5, 0.25: at most two decimals, no trailing zeros.
std::string Score(double score) {
  std::string text = absl::StrFormat("%.2f", score);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("escalation.signals.", field, ": ", problem));
}

}  // namespace

double SignalConfig::WeightOf(v1::Severity severity) const {
  switch (severity) {
    case v1::SEVERITY_INFO:
      return info_weight;
    case v1::SEVERITY_CRITICAL:
      return critical_weight;
    default:
      return warning_weight;
  }
}

absl::StatusOr<SignalConfig> CompileSignalPolicy(
    const v1::EscalationPolicy& policy) {
  SignalConfig c;
  if (!policy.has_signals()) return c;
  if (policy.enhanced_surveillance_min_red() != 0 ||
      policy.risk_summit_min_critical_red() != 0 ||
      policy.risk_summit_min_red_domains() != 0) {
    return absl::InvalidArgumentError(
        "escalation: set either the red counts (enhanced_surveillance_min_red, "
        "risk_summit_min_critical_red, risk_summit_min_red_domains) or "
        "signals, not both");
  }
  const v1::SignalPolicy& s = policy.signals();
  c.enabled = true;
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"info_weight", s.info_weight()},
        {"warning_weight", s.warning_weight()},
        {"critical_weight", s.critical_weight()}}) {
    if (!(value >= 0 && value <= 1000)) {
      return FieldError(field, absl::StrCat("must be 0..1000, got ", value));
    }
  }
  c.info_weight = s.info_weight();
  if (s.warning_weight() > 0) c.warning_weight = s.warning_weight();
  if (s.critical_weight() > 0) c.critical_weight = s.critical_weight();
  if (!(s.common_share() >= 0 && s.common_share() <= 1)) {
    return FieldError("common_share",
                      absl::StrCat("must be 0..1 (0 = the default 0.5), got ",
                                   s.common_share()));
  }
  if (s.common_share() > 0) c.common_share = s.common_share();
  if (s.has_common_factor()) {
    if (!(s.common_factor() >= 0 && s.common_factor() <= 1)) {
      return FieldError("common_factor",
                        absl::StrCat("must be 0..1, got ", s.common_factor()));
    }
    c.common_factor = s.common_factor();
  }
  for (const auto& [field, value, target] :
       {std::tuple<const char*, int, int*>{
            "persist_periods", s.persist_periods(), &c.persist_periods},
        {"hold_periods", s.hold_periods(), &c.hold_periods}}) {
    if (value < 0 || value > SignalConfig::kMaxPeriods) {
      return FieldError(field,
                        absl::StrCat("must be 0..", SignalConfig::kMaxPeriods,
                                     " (0 = the default 1), got ", value));
    }
    if (value > 0) *target = value;
  }
  if (s.levels_size() == 0) {
    c.levels = {
        {v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE,
         EscalationLabel(v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE), 2, 2},
        {v1::ESCALATION_LEVEL_RISK_SUMMIT,
         EscalationLabel(v1::ESCALATION_LEVEL_RISK_SUMMIT), 4, 3}};
    return c;
  }
  for (int i = 0; i < s.levels_size(); ++i) {
    const v1::EscalationThreshold& l = s.levels(i);
    const std::string field = absl::StrCat("levels[", i, "]");
    if (l.level() != v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE &&
        l.level() != v1::ESCALATION_LEVEL_RISK_SUMMIT) {
      return FieldError(
          absl::StrCat(field, ".level"),
          "must be ESCALATION_LEVEL_ENHANCED_SURVEILLANCE or "
          "ESCALATION_LEVEL_RISK_SUMMIT (routine is where no level is met)");
    }
    if (!c.levels.empty() && l.level() <= c.levels.back().level) {
      return FieldError(absl::StrCat(field, ".level"),
                        "levels must be given lowest first, each once");
    }
    if (!(l.min_score() >= 0 && l.min_score() <= 1e6) || l.min_signals() < 0) {
      return FieldError(field, "min_score and min_signals must be >= 0");
    }
    if (l.min_score() == 0 && l.min_signals() == 0) {
      return FieldError(field,
                        "set min_score or min_signals: a level reached "
                        "with no signal at all would put every provider in it");
    }
    if (!c.levels.empty() && (l.min_score() < c.levels.back().min_score ||
                              l.min_signals() < c.levels.back().min_signals)) {
      return FieldError(field,
                        "a higher level must not need less than a lower one");
    }
    c.levels.push_back(
        {l.level(), l.name().empty() ? EscalationLabel(l.level()) : l.name(),
         l.min_score(), l.min_signals()});
  }
  return c;
}

SignalScores::SignalScores(const CompiledRuleSet& compiled,
                           const SeriesStore& data, const RatingTable& table)
    : compiled_(compiled),
      data_(data),
      table_(table),
      periods_(table.periods()) {
  const size_t providers = data.providers().size();
  const size_t indicators = data.indicators().size();
  pair_index_.assign(compiled.compiled.size() * indicators, -1);
  rows_by_provider_.resize(providers);
  int pairs = 0;
  for (size_t r = 0; r < table.rows(); ++r) {
    const RatingTable::Key& k = table.key(r);
    int& pair = pair_index_[k.slot * indicators + k.indicator];
    if (pair < 0) pair = pairs++;
    rows_by_provider_[k.provider].push_back(r);
  }
  red_.assign(pairs * periods_, 0);
  judged_.assign(pairs * periods_, 0);
  for (size_t r = 0; r < table.rows(); ++r) {
    const RatingTable::Key& k = table.key(r);
    const size_t base =
        pair_index_[k.slot * indicators + k.indicator] * periods_;
    const auto ratings = table.ratings(r);
    for (size_t t = 0; t < periods_; ++t) {
      judged_[base + t] += Judged(ratings[t]) ? 1 : 0;
      red_[base + t] += ratings[t] == v1::RATING_RED ? 1 : 0;
    }
  }
  score_.assign(providers * periods_, 0);
  signals_.assign(providers * periods_, 0);
  std::vector<int> runs;
  std::vector<Signal> signals;
  for (size_t p = 0; p < providers; ++p) {
    std::vector<size_t>& rows = rows_by_provider_[p];
    std::sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
      return table.key(a).indicator < table.key(b).indicator;
    });
    // Each row's run of red, carried from one period to the next.
    runs.assign(rows.size(), 0);
    for (size_t t = 0; t < periods_; ++t) {
      for (size_t j = 0; j < rows.size(); ++j) {
        runs[j] = table.ratings(rows[j])[t] == v1::RATING_RED ? runs[j] + 1 : 0;
      }
      CollectSignals(static_cast<int>(p), t, runs, /*pending=*/false, &signals);
      for (const Signal& s : signals) {
        score_[p * periods_ + t] += s.weight;
        ++signals_[p * periods_ + t];
      }
    }
  }
}

std::vector<Signal> SignalScores::SignalsAt(int provider, size_t t,
                                            bool pending) const {
  const std::vector<size_t>& rows = rows_by_provider_[provider];
  std::vector<int> runs(rows.size(), 0);
  for (size_t j = 0; j < rows.size(); ++j) {
    const auto ratings = table_.ratings(rows[j]);
    for (size_t u = t + 1; u > 0 && ratings[u - 1] == v1::RATING_RED; --u) {
      ++runs[j];
    }
  }
  std::vector<Signal> signals;
  CollectSignals(provider, t, runs, pending, &signals);
  return signals;
}

void SignalScores::CollectSignals(int provider, size_t t,
                                  absl::Span<const int> runs, bool pending,
                                  std::vector<Signal>* out) const {
  const SignalConfig& config = compiled_.signals;
  const size_t indicators = data_.indicators().size();
  // Pending reds of an indicator that is a signal already add nothing.
  std::vector<int> counted;
  if (pending) {
    CollectSignals(provider, t, runs, /*pending=*/false, out);
    for (const Signal& s : *out) counted.push_back(s.indicator);
  }
  std::vector<Signal>& signals = *out;
  signals.clear();
  const std::vector<size_t>& rows = rows_by_provider_[provider];
  for (size_t j = 0; j < rows.size(); ++j) {
    const RatingTable::Key& k = table_.key(rows[j]);
    if (std::find(counted.begin(), counted.end(), k.indicator) !=
        counted.end()) {
      continue;
    }
    const int run = runs[j];
    if (pending ? run == 0 || run >= config.persist_periods
                : run < config.persist_periods) {
      continue;
    }
    const size_t cell =
        pair_index_[k.slot * indicators + k.indicator] * periods_ + t;
    Signal s;
    s.indicator = k.indicator;
    s.slot = k.slot;
    s.red_periods = run;
    s.red_providers = red_[cell];
    s.judged_providers = judged_[cell];
    s.common = s.judged_providers > 0 &&
               s.red_providers >= config.common_share * s.judged_providers;
    s.weight = config.WeightOf(compiled_.compiled[k.slot].severity) *
               (s.common ? config.common_factor : 1.0);
    if (s.weight <= 0) continue;
    // One signal per indicator: the heaviest rule, then the first in the
    // pack (not the longest red: how far back a run is seen depends on
    // the periods evaluated).
    if (!signals.empty() && signals.back().indicator == s.indicator) {
      Signal& kept = signals.back();
      if (s.weight > kept.weight || (s.weight == kept.weight &&
                                     compiled_.compiled[s.slot].index <
                                         compiled_.compiled[kept.slot].index)) {
        kept = s;
      }
      continue;
    }
    signals.push_back(s);
  }
}

v1::EscalationLevel SignalScores::RawLevel(int provider, size_t t) const {
  const double score = score_[provider * periods_ + t];
  const int signals = signals_[provider * periods_ + t];
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_ROUTINE;
  for (const LevelThreshold& l : compiled_.signals.levels) {
    // A small tolerance: weights such as 0.25 add up exactly, 0.1 not.
    if (score + 1e-9 >= l.min_score && signals >= l.min_signals) {
      level = l.level;
    }
  }
  return level;
}

SignalScores::Held SignalScores::HeldLevel(int provider, size_t t) const {
  const SignalConfig& config = compiled_.signals;
  const size_t hold = static_cast<size_t>(config.hold_periods);
  const size_t reach = static_cast<size_t>(config.reach_periods());
  Held held;
  held.met = t;
  for (size_t u = t + 1 > reach ? t + 1 - reach : 0; u <= t; ++u) {
    const v1::EscalationLevel raw = RawLevel(provider, u);
    if (raw == v1::ESCALATION_LEVEL_ROUTINE) continue;
    // Held for `hold` periods, then one level lower for each further hold
    // (only when holding: with hold 1, reach is the period itself).
    size_t steps = hold > 1 ? (t - u) / hold : 0;
    int index = -1;
    for (size_t i = 0; i < config.levels.size(); ++i) {
      if (config.levels[i].level == raw) index = static_cast<int>(i);
    }
    index -= static_cast<int>(steps);
    const v1::EscalationLevel level =
        index < 0 ? v1::ESCALATION_LEVEL_ROUTINE : config.levels[index].level;
    if (level >= held.level && level != v1::ESCALATION_LEVEL_ROUTINE) {
      held.level = level;
      held.met = u;
    }
  }
  return held;
}

v1::EscalationLevel SignalScores::Level(int provider, size_t t) const {
  return HeldLevel(provider, t).level;
}

const std::string& SignalScores::LevelName(v1::EscalationLevel level) const {
  for (const LevelThreshold& l : compiled_.signals.levels) {
    if (l.level == level) return l.name;
  }
  return EscalationLabel(level);
}

SignalScores::Described SignalScores::DescribeSignals(int provider, size_t t,
                                                      Frequency frequency,
                                                      bool pending) const {
  std::vector<Signal> signals = SignalsAt(provider, t, pending);
  if (signals.empty()) return {"no independent signal", ""};
  std::sort(signals.begin(), signals.end(),
            [&](const Signal& a, const Signal& b) {
              if (a.weight != b.weight) return a.weight > b.weight;
              return data_.indicators()[a.indicator].id() <
                     data_.indicators()[b.indicator].id();
            });
  std::vector<std::string> parts;
  for (const Signal& s : signals) {
    const auto phrase =
        t == phrases_period_
            ? phrases_.find(std::make_tuple(provider, s.indicator, s.slot))
            : phrases_.end();
    std::string part = absl::StrCat(
        data_.indicators()[s.indicator].name().empty()
            ? data_.indicators()[s.indicator].id()
            : data_.indicators()[s.indicator].name(),
        ": ",
        phrase != phrases_.end() ? phrase->second
                                 : compiled_.compiled[s.slot].name,
        ", red for ",
        // A run reaching the first period evaluated may be longer.
        static_cast<size_t>(s.red_periods) == t + 1 ? "at least " : "",
        PeriodCount(s.red_periods, frequency));
    if (s.common) {
      absl::StrAppend(&part, " (as ", s.red_providers, " of ",
                      s.judged_providers, " providers: counts ",
                      Score(s.weight), ")");
    }
    parts.push_back(std::move(part));
  }
  return {absl::StrCat(signals.size(), " independent signal",
                       signals.size() == 1 ? "" : "s", ", score ",
                       Score(score_[provider * periods_ + t])),
          absl::StrJoin(parts, "; ")};
}

std::string SignalScores::Reason(int provider, size_t t,
                                 const std::vector<Period>& periods) const {
  const SignalConfig& config = compiled_.signals;
  const v1::EscalationLevel level = Level(provider, t);
  const v1::EscalationLevel raw = RawLevel(provider, t);
  const Frequency frequency = periods[t].frequency;
  const Described now = DescribeSignals(provider, t, frequency);
  std::string text = absl::StrCat(LevelName(level), ": ", now.count);
  // What the level needs (or, for routine, what the first level would).
  for (const LevelThreshold& l : config.levels) {
    if (l.level == raw ||
        (raw == v1::ESCALATION_LEVEL_ROUTINE && &l == &config.levels.front())) {
      absl::StrAppend(&text, " (", l.name, " at ", Score(l.min_score), " from ",
                      l.min_signals, ")");
    }
  }
  if (!now.signals.empty()) absl::StrAppend(&text, ": ", now.signals);
  // Reds not yet persistent: why a level may be reached next period.
  if (config.persist_periods > 1) {
    const Described soon = DescribeSignals(provider, t, frequency, true);
    if (!soon.signals.empty()) {
      absl::StrAppend(&text, "; not yet counted (signals count once red for ",
                      PeriodCount(config.persist_periods, frequency),
                      "): ", soon.signals);
    }
  }
  if (level > raw) {
    // Held, or stepping down: say when and on what the level was met, so
    // that the minute still names the signals that put the provider there.
    const Held held = HeldLevel(provider, t);
    const v1::EscalationLevel met_level = RawLevel(provider, held.met);
    const Described then = DescribeSignals(provider, held.met, frequency);
    if (met_level == level) {
      absl::StrAppend(&text, "; held at ", LevelName(level),
                      " since it was met in ");
    } else {
      absl::StrAppend(&text, "; stepping down from ", LevelName(met_level),
                      ", met in ");
    }
    absl::StrAppend(
        &text, DescribePeriod(periods[held.met]), " on ", then.count, " (",
        then.signals, "; levels are held for ",
        PeriodCount(config.hold_periods, frequency),
        config.levels.size() > 1 ? ", then step down one level at a time" : "",
        ")");
  }
  return text;
}

void EscalateBySignals(const CompiledRuleSet& compiled, const SeriesStore& data,
                       RatingTable* table) {
  const SignalScores scores(compiled, data, *table);
  const size_t first = static_cast<size_t>(compiled.signals.lookback_periods());
  for (size_t p = 0; p < data.providers().size(); ++p) {
    for (size_t t = first; t < table->periods(); ++t) {
      table->set_escalation(static_cast<int>(p), t,
                            scores.Level(static_cast<int>(p), t));
    }
  }
}

}  // namespace internal
}  // namespace vigil
