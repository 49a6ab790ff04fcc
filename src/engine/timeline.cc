// Back-testing: the evaluation replayed over a range of as-of periods
// (Engine::EvaluateTimeline).
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "src/engine/lean_evaluation.h"
#include "src/engine/report_steps.h"
#include "src/engine/signal_escalation.h"
#include "vigil/engine.h"
#include "vigil/period.h"

namespace vigil {
namespace {

using internal::RatingTable;

}  // namespace

absl::StatusOr<std::vector<Period>> internal::RangeOf(absl::string_view from,
                                                      absl::string_view to) {
  absl::StatusOr<Period> first = ParsePeriod(from);
  if (!first.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("from: ", first.status().message()));
  }
  absl::StatusOr<Period> last = ParsePeriod(to);
  if (!last.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: ", last.status().message()));
  }
  if (first->frequency != last->frequency) {
    return absl::InvalidArgumentError(
        absl::StrCat("from and to must be periods of one frequency: ", from,
                     " is ", FrequencyName(first->frequency), ", ", to, " is ",
                     FrequencyName(last->frequency)));
  }
  if (last->index < first->index) {
    return absl::InvalidArgumentError(
        absl::StrCat("to (", to, ") is before from (", from, ")"));
  }
  if (last->index - first->index >= Engine::kMaxTimelinePeriods) {
    return absl::InvalidArgumentError(
        absl::StrCat("from ", from, " to ", to, " is more than ",
                     Engine::kMaxTimelinePeriods, " periods"));
  }
  std::vector<Period> periods;
  for (int32_t i = first->index; i <= last->index; ++i) {
    periods.push_back(Period{first->frequency, i});
  }
  return periods;
}

std::vector<Period> internal::TimelinePeriods(
    const CompiledRuleSet& compiled, const std::vector<Period>& range) {
  // Signal escalation reads the periods before each one: evaluate those
  // before the range too, without reporting them.
  const int lookback = compiled.signals.lookback_periods();
  std::vector<Period> evaluated;
  for (int32_t k = -lookback; k < static_cast<int32_t>(range.size()); ++k) {
    evaluated.push_back(
        Period{range.front().frequency, range.front().index + k});
  }
  return evaluated;
}

namespace {

// Changes, the first red and the longest red run of `ratings`.
void Summarise(absl::Span<const uint8_t> ratings,
               const google::protobuf::RepeatedPtrField<std::string>& as_of,
               v1::RuleTimeline* out) {
  v1::Rating previous = v1::RATING_UNSPECIFIED;
  int run = 0, run_start = 0;
  out->mutable_ratings()->Reserve(static_cast<int>(ratings.size()));
  for (size_t t = 0; t < ratings.size(); ++t) {
    const auto rating = static_cast<v1::Rating>(ratings[t]);
    out->add_ratings(rating);
    if (rating != previous && rating != v1::RATING_UNSPECIFIED) {
      v1::RatingChange* change = out->add_changes();
      change->set_as_of(as_of[t]);
      change->set_from_rating(previous);
      change->set_to_rating(rating);
    }
    if (rating != v1::RATING_UNSPECIFIED) previous = rating;
    if (rating == v1::RATING_RED) {
      if (out->first_red().empty()) out->set_first_red(as_of[t]);
      if (run == 0) run_start = static_cast<int>(t);
      ++run;
      if (run > out->longest_red_run()) {
        out->set_longest_red_run(run);
        out->set_longest_red_run_start(as_of[run_start]);
      }
    } else {
      run = 0;
    }
  }
}

}  // namespace

void internal::WriteTimeline(const RatingTable& table, size_t first,
                             const CompiledRuleSet& compiled,
                             const SeriesStore& data, v1::Timeline* timeline) {
  const auto& providers = data.providers();
  const auto& indicators = data.indicators();
  const size_t n = table.periods() - first;
  const auto in_range = [&](size_t row) {
    return table.ratings(row).subspan(first, n);
  };
  std::vector<size_t> order;
  order.reserve(table.rows());
  for (size_t r = 0; r < table.rows(); ++r) {
    const auto ratings = in_range(r);
    if (std::any_of(ratings.begin(), ratings.end(),
                    [](uint8_t v) { return v != 0; })) {
      order.push_back(r);  // Rated within the range, not only before it.
    }
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const RatingTable::Key& x = table.key(a);
    const RatingTable::Key& y = table.key(b);
    if (x.provider != y.provider) {
      return providers[x.provider].id() < providers[y.provider].id();
    }
    if (x.indicator != y.indicator) {
      return indicators[x.indicator].id() < indicators[y.indicator].id();
    }
    return compiled.compiled[x.slot].index < compiled.compiled[y.slot].index;
  });
  timeline->mutable_rules()->Reserve(static_cast<int>(order.size()));
  for (const size_t r : order) {
    const RatingTable::Key& key = table.key(r);
    v1::RuleTimeline* out = timeline->add_rules();
    out->set_provider_id(providers[key.provider].id());
    out->set_indicator_id(indicators[key.indicator].id());
    out->set_rule_id(compiled.compiled[key.slot].id);
    Summarise(in_range(r), timeline->as_of(), out);
  }
  std::vector<int> by_id(providers.size());
  for (size_t p = 0; p < by_id.size(); ++p) by_id[p] = static_cast<int>(p);
  std::sort(by_id.begin(), by_id.end(), [&](int a, int b) {
    return providers[a].id() < providers[b].id();
  });
  timeline->mutable_providers()->Reserve(static_cast<int>(by_id.size()));
  for (const int p : by_id) {
    v1::ProviderTimeline* out = timeline->add_providers();
    out->set_provider_id(providers[p].id());
    out->mutable_escalation()->Reserve(static_cast<int>(n));
    for (size_t t = first; t < table.periods(); ++t) {
      out->add_escalation(table.escalation(p, t));
    }
  }
}

absl::Status Engine::EvaluateTimeline(const SeriesStore& data,
                                      absl::string_view from,
                                      absl::string_view to,
                                      const EvaluateOptions& options,
                                      v1::Timeline* timeline) const {
  if (timeline == nullptr) {
    return absl::InvalidArgumentError("timeline: is null");
  }
  if (options.threads > EvaluateOptions::kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("threads: at most ",
                                                   EvaluateOptions::kMaxThreads,
                                                   ", got ", options.threads));
  }
  absl::StatusOr<std::vector<Period>> periods = internal::RangeOf(from, to);
  if (!periods.ok()) return periods.status();
  timeline->Clear();
  timeline->set_ruleset_id(compiled_->rules.id());
  timeline->set_ruleset_version(compiled_->rules.version());
  timeline->set_engine_version(EngineVersion());
  for (Period p : *periods) timeline->add_as_of(FormatPeriod(p));
  const std::vector<Period> evaluated =
      internal::TimelinePeriods(*compiled_, *periods);
  const size_t total = evaluated.size();
  const int lookback = compiled_->signals.lookback_periods();
  const int64_t max_assessments = internal::MaxAssessments(options);
  RatingTable table(total, data.providers().size());
  if (absl::Status s = internal::EvaluateLeanPeriods(*compiled_, data,
                                                     evaluated, options.threads,
                                                     max_assessments, &table);
      !s.ok()) {
    return s;
  }
  if (compiled_->signals.enabled) {
    internal::EscalateBySignals(*compiled_, data, &table);
  }
  internal::WriteTimeline(table, static_cast<size_t>(lookback), *compiled_,
                          data, timeline);
  return absl::OkStatus();
}

}  // namespace vigil
