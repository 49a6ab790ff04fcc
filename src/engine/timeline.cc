// Back-testing: the evaluation replayed over a range of as-of periods
// (Engine::EvaluateTimeline).
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "src/engine/compiled_rules.h"
#include "vigil/engine.h"
#include "vigil/period.h"

namespace vigil {
namespace {

// The ratings one rule gave one provider's indicator, period by period.
struct RuleSeries {
  std::string provider_id;
  std::string indicator_id;
  std::string rule_id;
  int rule_order = 0;  // Position in the pack.
  std::vector<v1::Rating> ratings;
};

absl::StatusOr<std::vector<Period>> RangeOf(absl::string_view from,
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

// Changes, the first red and the longest red run of `ratings`.
void Summarise(const std::vector<v1::Rating>& ratings,
               const google::protobuf::RepeatedPtrField<std::string>& as_of,
               v1::RuleTimeline* out) {
  v1::Rating previous = v1::RATING_UNSPECIFIED;
  int run = 0, run_start = 0;
  for (size_t t = 0; t < ratings.size(); ++t) {
    const v1::Rating rating = ratings[t];
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

absl::Status Engine::EvaluateTimeline(const SeriesStore& data,
                                      absl::string_view from,
                                      absl::string_view to,
                                      const EvaluateOptions& options,
                                      v1::Timeline* timeline) const {
  if (timeline == nullptr) {
    return absl::InvalidArgumentError("timeline: is null");
  }
  absl::StatusOr<std::vector<Period>> periods = RangeOf(from, to);
  if (!periods.ok()) return periods.status();
  timeline->Clear();
  timeline->set_ruleset_id(compiled_->rules.id());
  timeline->set_ruleset_version(compiled_->rules.version());
  timeline->set_engine_version(EngineVersion());
  for (Period p : *periods) timeline->add_as_of(FormatPeriod(p));
  const size_t n = periods->size();

  absl::flat_hash_map<std::string, int> rule_order;
  for (int r = 0; r < compiled_->rules.rules_size(); ++r) {
    rule_order.emplace(compiled_->rules.rules(r).id(), r);
  }
  std::vector<RuleSeries> series;
  absl::flat_hash_map<std::string, size_t> series_index;
  std::vector<std::pair<std::string, std::vector<v1::EscalationLevel>>>
      providers;
  absl::flat_hash_map<std::string, size_t> provider_index;
  EvaluateOptions each = options;
  each.chart_periods = 0;
  std::string key;
  for (size_t t = 0; t < n; ++t) {
    google::protobuf::Arena arena(ReportArenaOptions());
    auto* report = google::protobuf::Arena::CreateMessage<v1::Report>(&arena);
    absl::Status status =
        EvaluateInto(data, timeline->as_of(static_cast<int>(t)), each, report);
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("as of ", timeline->as_of(t), ": ", status.message()));
    }
    for (const v1::Assessment& a : report->assessments()) {
      key.assign(a.provider_id());
      key.push_back('\0');
      key.append(a.indicator_id());
      key.push_back('\0');
      key.append(a.rule_id());
      auto [it, added] = series_index.try_emplace(key, series.size());
      if (added) {
        RuleSeries s;
        s.provider_id = a.provider_id();
        s.indicator_id = a.indicator_id();
        s.rule_id = a.rule_id();
        const auto order = rule_order.find(a.rule_id());
        s.rule_order = order == rule_order.end() ? 0 : order->second;
        s.ratings.assign(n, v1::RATING_UNSPECIFIED);
        series.push_back(std::move(s));
      }
      series[it->second].ratings[t] = a.rating();
    }
    for (const v1::ProviderSummary& p : report->providers()) {
      auto [it, added] =
          provider_index.try_emplace(p.provider_id(), providers.size());
      if (added) {
        providers.emplace_back(p.provider_id(),
                               std::vector<v1::EscalationLevel>(
                                   n, v1::ESCALATION_LEVEL_UNSPECIFIED));
      }
      providers[it->second].second[t] = p.escalation();
    }
  }
  std::sort(series.begin(), series.end(),
            [](const RuleSeries& a, const RuleSeries& b) {
              return std::tie(a.provider_id, a.indicator_id, a.rule_order) <
                     std::tie(b.provider_id, b.indicator_id, b.rule_order);
            });
  timeline->mutable_rules()->Reserve(static_cast<int>(series.size()));
  for (const RuleSeries& s : series) {
    v1::RuleTimeline* out = timeline->add_rules();
    out->set_provider_id(s.provider_id);
    out->set_indicator_id(s.indicator_id);
    out->set_rule_id(s.rule_id);
    Summarise(s.ratings, timeline->as_of(), out);
  }
  std::sort(providers.begin(), providers.end());
  for (const auto& [id, levels] : providers) {
    v1::ProviderTimeline* out = timeline->add_providers();
    out->set_provider_id(id);
    for (v1::EscalationLevel level : levels) out->add_escalation(level);
  }
  return absl::OkStatus();
}

}  // namespace vigil
