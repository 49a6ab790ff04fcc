// Signal escalation (vigil.v1.SignalPolicy): the level of each provider from
// independent, weighted, persistent signals, held against flicker. Private
// to the engine; docs/escalation.md explains it for readers of packs.
#ifndef VIGIL_SRC_ENGINE_SIGNAL_ESCALATION_H_
#define VIGIL_SRC_ENGINE_SIGNAL_ESCALATION_H_

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "vigil/series_store.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace internal {

struct CompiledRuleSet;
class RatingTable;

struct LevelThreshold {
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE;
  std::string name;  // As reasons name the level.
  double min_score = 0;
  int min_signals = 0;
};

// SignalPolicy with its defaults applied.
struct SignalConfig {
  bool enabled = false;  // The pack sets escalation.signals.
  double info_weight = 0;
  double warning_weight = 1;
  double critical_weight = 2;
  double common_share = 0.5;
  double common_factor = 0.25;
  int persist_periods = 1;
  int hold_periods = 1;
  std::vector<LevelThreshold> levels;  // Lowest first.

  static constexpr int kMaxPeriods = 24;

  // Periods a level can be read back: with holding (hold_periods > 1) a
  // level steps down one level per hold, so the top level reaches back
  // levels.size() holds; without, one period.
  int reach_periods() const {
    return hold_periods > 1 ? hold_periods * static_cast<int>(levels.size())
                            : 1;
  }
  // How many periods before the one evaluated the levels read.
  int lookback_periods() const {
    return enabled ? persist_periods + reach_periods() - 2 : 0;
  }
  double WeightOf(v1::Severity severity) const;
};

// Validates escalation.signals (InvalidArgument naming the field, e.g.
// "escalation.signals.levels[1].min_score: ...") and applies the defaults.
absl::StatusOr<SignalConfig> CompileSignalPolicy(
    const v1::EscalationPolicy& policy);

// One signal of a provider at a period: an indicator with a rule red long
// enough, weighed by the heaviest such rule.
struct Signal {
  int indicator = 0;
  int slot = 0;  // The heaviest rule, in CompiledRuleSet::compiled.
  double weight = 0;
  int red_periods = 0;       // Its run of red up to the period.
  bool common = false;       // Discounted: most providers are red too.
  int red_providers = 0;     // Providers the rule had red on the indicator,
  int judged_providers = 0;  // ... of those it judged, at the period.
};

// The scores of every provider at every period of a table of ratings.
class SignalScores {
 public:
  SignalScores(const CompiledRuleSet& compiled, const SeriesStore& data,
               const RatingTable& table);

  // The level at period t (t >= lookback_periods(): earlier periods lack
  // what persistence and holding read).
  v1::EscalationLevel Level(int provider, size_t t) const;
  // Why: the level with its signals, score and any hold, in plain English.
  std::string Reason(int provider, size_t t,
                     const std::vector<Period>& periods) const;
  // What period t's red assessments say (Assessment.signal, by (provider,
  // indicator, rule slot)): a signal of that period with a phrase reads it
  // instead of its rule's name.
  using Phrases = absl::flat_hash_map<std::tuple<int, int, int>, std::string>;
  void SetPhrases(size_t t, Phrases phrases) {
    phrases_period_ = t;
    phrases_ = std::move(phrases);
  }

 private:
  v1::EscalationLevel RawLevel(int provider, size_t t) const;
  // The level at t and the period whose own (raw) level gave it: the level
  // met last within the hold, or a level stepped down from one met earlier.
  struct Held {
    v1::EscalationLevel level = v1::ESCALATION_LEVEL_ROUTINE;
    size_t met = 0;
  };
  Held HeldLevel(int provider, size_t t) const;
  // The signals at t; or, when `pending`, the reds that would be signals
  // but have not yet lasted persist_periods.
  std::vector<Signal> SignalsAt(int provider, size_t t,
                                bool pending = false) const;
  // The same into *signals, given the run of red ending at t of each of the
  // provider's rows (rows_by_provider_ order).
  void CollectSignals(int provider, size_t t, absl::Span<const int> runs,
                      bool pending, std::vector<Signal>* signals) const;
  const std::string& LevelName(v1::EscalationLevel level) const;
  struct Described {
    std::string count;    // "3 independent signals, score 4", or "no ...".
    std::string signals;  // Each signal in plain English, heaviest first.
  };
  Described DescribeSignals(int provider, size_t t, Frequency frequency,
                            bool pending = false) const;

  const CompiledRuleSet& compiled_;
  const SeriesStore& data_;
  const RatingTable& table_;
  const size_t periods_;
  std::vector<double> score_;  // [provider][period]
  std::vector<int> signals_;   // [provider][period]
  // Rows of the table by provider (ascending indicator), for explaining.
  std::vector<std::vector<size_t>> rows_by_provider_;
  // Red and judged counts by (slot, indicator) and period.
  std::vector<int> red_, judged_;
  std::vector<int> pair_index_;  // [slot][indicator] -> into red_/judged_.
  size_t phrases_period_ = static_cast<size_t>(-1);
  Phrases phrases_;
};

// Sets table's escalation of every provider at every period from
// lookback_periods() on by the pack's signal policy.
void EscalateBySignals(const CompiledRuleSet& compiled, const SeriesStore& data,
                       RatingTable* table);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_SIGNAL_ESCALATION_H_
