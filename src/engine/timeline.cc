// Back-testing: the evaluation replayed over a range of as-of periods
// (Engine::EvaluateTimeline).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "google/protobuf/arena.h"
#include "src/engine/compiled_rules.h"
#include "src/engine/evaluation.h"
#include "src/engine/parts.h"
#include "vigil/engine.h"
#include "vigil/period.h"

namespace vigil {
namespace {

using internal::RatingSink;

// What the evaluations of some as-of periods said: each rating by (provider,
// indicator, rule slot) and period, each provider's level by period. One per
// thread; they merge into the first.
class TimelineCollector : public RatingSink {
 public:
  TimelineCollector(size_t periods, size_t providers)
      : periods_(periods), escalation_(periods * providers, 0) {}

  void set_period(size_t t) {
    t_ = t;
    // Each period mostly rates the pairs of the one before, in the same
    // order: expect them again.
    expected_.swap(seen_);
    seen_.clear();
    next_ = 0;
  }

  void Rated(int provider, int indicator, int slot,
             v1::Rating rating) override {
    ratings_[RowInOrder({provider, indicator, slot}) * periods_ + t_] =
        static_cast<uint8_t>(rating);
  }
  void Escalated(int provider, v1::EscalationLevel level) override {
    escalation_[static_cast<size_t>(provider) * periods_ + t_] =
        static_cast<uint8_t>(level);
  }

  // Adds what `other` collected (other periods of the same range).
  void Merge(const TimelineCollector& other) {
    for (size_t r = 0; r < other.keys_.size(); ++r) {
      const size_t row = Row(other.keys_[r]);
      for (size_t t = 0; t < periods_; ++t) {
        const uint8_t v = other.ratings_[r * periods_ + t];
        if (v != 0) ratings_[row * periods_ + t] = v;
      }
    }
    for (size_t k = 0; k < escalation_.size(); ++k) {
      if (other.escalation_[k] != 0) escalation_[k] = other.escalation_[k];
    }
  }

  // Into `timeline` (whose as_of is set): rules sorted by provider id,
  // indicator id and pack order, every provider sorted by id.
  void WriteTo(const internal::CompiledRuleSet& compiled,
               const SeriesStore& data, v1::Timeline* timeline) const;

 private:
  struct Key {
    int32_t provider, indicator, slot;
    bool operator==(const Key& o) const {
      return provider == o.provider && indicator == o.indicator &&
             slot == o.slot;
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.provider, k.indicator, k.slot);
    }
  };

  // The row of `key` in this period's order of calls.
  size_t RowInOrder(const Key& key) {
    size_t row;
    if (next_ < expected_.size() && keys_[expected_[next_]] == key) {
      row = expected_[next_++];
    } else {
      row = Row(key);
    }
    seen_.push_back(row);
    return row;
  }

  size_t Row(const Key& key) {
    auto [it, added] = rows_.try_emplace(key, keys_.size());
    if (added) {
      keys_.push_back(key);
      ratings_.resize(ratings_.size() + periods_, 0);
    }
    return it->second;
  }

  const size_t periods_;
  size_t t_ = 0;
  std::vector<size_t> expected_;  // Rows in the last period's order.
  std::vector<size_t> seen_;      // Rows in this period's order.
  size_t next_ = 0;               // Into expected_.
  absl::flat_hash_map<Key, size_t> rows_;
  std::vector<Key> keys_;            // By row.
  std::vector<uint8_t> ratings_;     // [row][period], v1::Rating.
  std::vector<uint8_t> escalation_;  // [provider][period], EscalationLevel.
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

// One as-of period, lean: what EvaluateInto(data, as_of) would rate, on one
// thread, into `sink`, without reasons, evidence or a report.
absl::Status EvaluatePeriodRatings(const internal::CompiledRuleSet& compiled,
                                   const SeriesStore& data, Period as_of,
                                   int64_t max_assessments,
                                   TimelineCollector* sink) {
  const internal::Selection selection =
      internal::Select(compiled.compiled, data, as_of);
  google::protobuf::Arena arena(ReportArenaOptions());
  internal::PeerResults peers(
      selection.any_per_indicator ? compiled.compiled.size() : 0,
      data.indicators().size(), data.providers().size(), &arena);
  if (selection.any_per_indicator) {
    internal::AssessmentPool pool(&arena, /*explain=*/false);
    internal::RunPerIndicatorPhase(
        compiled, 0, static_cast<int>(data.indicators().size()), data,
        selection, /*charts=*/false, &pool, &peers);
  }
  internal::ProviderRange range(&arena, /*chart_periods=*/0, sink);
  internal::AssessmentBudget budget(max_assessments);
  range.Assess(compiled, 0, static_cast<int>(data.providers().size()), data,
               selection, &peers, &budget);
  if (budget.exceeded()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the report would hold more than max_assessments (", budget.limit(),
        ") assessments; select fewer providers or indicators, or raise "
        "max_assessments"));
  }
  return absl::OkStatus();
}

void TimelineCollector::WriteTo(const internal::CompiledRuleSet& compiled,
                                const SeriesStore& data,
                                v1::Timeline* timeline) const {
  const auto& providers = data.providers();
  const auto& indicators = data.indicators();
  std::vector<size_t> order(keys_.size());
  for (size_t r = 0; r < order.size(); ++r) order[r] = r;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Key& x = keys_[a];
    const Key& y = keys_[b];
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
    const Key& key = keys_[r];
    v1::RuleTimeline* out = timeline->add_rules();
    out->set_provider_id(providers[key.provider].id());
    out->set_indicator_id(indicators[key.indicator].id());
    out->set_rule_id(compiled.compiled[key.slot].id);
    Summarise(absl::MakeConstSpan(ratings_).subspan(r * periods_, periods_),
              timeline->as_of(), out);
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
    out->mutable_escalation()->Reserve(static_cast<int>(periods_));
    for (size_t t = 0; t < periods_; ++t) {
      out->add_escalation(static_cast<v1::EscalationLevel>(
          escalation_[static_cast<size_t>(p) * periods_ + t]));
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
  if (options.threads > EvaluateOptions::kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat("threads: at most ",
                                                   EvaluateOptions::kMaxThreads,
                                                   ", got ", options.threads));
  }
  absl::StatusOr<std::vector<Period>> periods = RangeOf(from, to);
  if (!periods.ok()) return periods.status();
  timeline->Clear();
  timeline->set_ruleset_id(compiled_->rules.id());
  timeline->set_ruleset_version(compiled_->rules.version());
  timeline->set_engine_version(EngineVersion());
  for (Period p : *periods) timeline->add_as_of(FormatPeriod(p));
  const size_t n = periods->size();
  const int threads =
      std::max(1, std::min(options.threads, static_cast<int>(n)));
  const int64_t max_assessments = options.max_assessments >= 1
                                      ? options.max_assessments
                                      : EvaluateOptions::kDefaultMaxAssessments;
  const size_t providers = data.providers().size();
  std::vector<std::unique_ptr<TimelineCollector>> parts;
  for (int t = 0; t < threads; ++t) {
    parts.push_back(std::make_unique<TimelineCollector>(n, providers));
  }
  std::vector<absl::Status> errors(threads);
  internal::RunInParts(
      static_cast<int>(n), threads, [&](int part, int begin, int end) {
        for (int t = begin; t < end; ++t) {
          parts[part]->set_period(t);
          absl::Status s =
              EvaluatePeriodRatings(*compiled_, data, (*periods)[t],
                                    max_assessments, parts[part].get());
          if (!s.ok()) {
            errors[part] = absl::Status(
                s.code(),
                absl::StrCat("as of ", timeline->as_of(t), ": ", s.message()));
            return;
          }
        }
      });
  for (const absl::Status& s : errors) {
    if (!s.ok()) return s;  // The earliest period's error.
  }
  for (int t = 1; t < threads; ++t) parts[0]->Merge(*parts[t]);
  parts[0]->WriteTo(*compiled_, data, timeline);
  return absl::OkStatus();
}

}  // namespace vigil
