// ScoreTimeline: warnings (runs of sustained red) of each rule and of the
// pack, judged against outcomes: lead times, sensitivity, false alarms.
// The definitions are in proto/vigil/v1/report.proto above vigil.v1.Outcome.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "vigil/backtest.h"
#include "vigil/period.h"

namespace vigil {
namespace {

// One scored outcome: its as-of index and the row it came from.
struct IndexedOutcome {
  int index;
  const v1::Outcome* row;
};

// A run of sustained warning, as-of indices [start, end].
struct Episode {
  int start;
  int end;
};

std::vector<Episode> Episodes(const std::vector<char>& state) {
  std::vector<Episode> episodes;
  const int n = static_cast<int>(state.size());
  for (int t = 0; t < n; ++t) {
    if (!state[t]) continue;
    int end = t;
    while (end + 1 < n && state[end + 1]) ++end;
    episodes.push_back({t, end});
    t = end;
  }
  return episodes;
}

double Median(std::vector<int> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

void AddDiagnostic(const v1::Outcome& o, v1::DiagnosticSeverity severity,
                   v1::DiagnosticCode code, const std::string& field,
                   const std::string& why, v1::BacktestSummary* summary) {
  v1::Diagnostic* d = summary->add_diagnostics();
  d->set_severity(severity);
  d->set_code(code);
  d->set_source(o.source());
  d->set_row(o.row());
  d->set_field(field);
  d->set_provider_id(o.provider_id());
  d->set_period(o.period());
  d->set_message(absl::StrCat(
      o.source(), o.row() > 0 ? " line " : "",
      o.row() > 0 ? absl::StrCat(o.row()) : "", ": outcome '", o.outcome(),
      "' of ", o.provider_id(), " in ", o.period(), " not scored: ", why));
}

// The accumulated figures of one rule or of the pack.
struct Tally {
  std::vector<int> leads;  // Of providers warned before their outcome.
  int with_outcome = 0;
  int warned = 0;
  int false_alarm_providers = 0;
  int warnings = 0;
  int false_alarms = 0;
  int pending = 0;
};

void FillScore(const std::string& rule_id, const Tally& tally,
               v1::RuleScore* score) {
  score->set_rule_id(rule_id);
  score->set_providers_with_outcome(tally.with_outcome);
  score->set_providers_warned_before(static_cast<int>(tally.leads.size()));
  if (tally.with_outcome > 0) {
    score->set_sensitivity(static_cast<double>(tally.leads.size()) /
                           tally.with_outcome);
  }
  if (!tally.leads.empty()) score->set_median_lead_periods(Median(tally.leads));
  score->set_providers_warned(tally.warned);
  score->set_false_alarm_providers(tally.false_alarm_providers);
  score->set_warnings(tally.warnings);
  score->set_false_alarms(tally.false_alarms);
  score->set_pending_warnings(tally.pending);
}

}  // namespace

absl::Status ScoreTimeline(const v1::Timeline& timeline,
                           const std::vector<v1::Outcome>& outcomes,
                           const BacktestOptions& options,
                           v1::BacktestSummary* summary) {
  if (summary == nullptr) {
    return absl::InvalidArgumentError("summary must not be null");
  }
  summary->Clear();
  if (options.warn_after < 1 || options.warn_after > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "warn_after must be from 1 to 10000, not ", options.warn_after));
  }
  if (options.horizon < 1 || options.horizon > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("horizon must be from 1 to 10000, not ", options.horizon));
  }
  const int n = timeline.as_of_size();
  if (n == 0) {
    return absl::InvalidArgumentError("the timeline has no as-of period");
  }
  absl::StatusOr<Period> first = ParsePeriod(timeline.as_of(0));
  if (!first.ok()) return first.status();
  const int last = n - 1;
  const int horizon = options.horizon;
  // Outcomes before this as-of index are too early to score.
  int scored_from = std::min(horizon, last + 1);
  if (!options.outcomes_from.empty()) {
    absl::StatusOr<Period> p = ParsePeriod(options.outcomes_from);
    if (!p.ok() || p->frequency != first->frequency ||
        p->index < first->index || p->index - first->index > last) {
      return absl::InvalidArgumentError(
          absl::StrCat("outcomes_from '", options.outcomes_from,
                       "' must be an as-of period of the range, ",
                       timeline.as_of(0), " to ", timeline.as_of(last)));
    }
    scored_from = p->index - first->index;
  }

  summary->set_ruleset_id(timeline.ruleset_id());
  summary->set_ruleset_version(timeline.ruleset_version());
  summary->set_from(timeline.as_of(0));
  summary->set_to(timeline.as_of(last));
  summary->set_warn_after(options.warn_after);
  summary->set_horizon(horizon);
  summary->set_outcome_source(options.outcome_source);
  if (scored_from <= last) {
    summary->set_outcomes_from(timeline.as_of(scored_from));
  }
  const std::set<std::string> excluded(options.excluded_rule_ids.begin(),
                                       options.excluded_rule_ids.end());
  for (const std::string& id : excluded) summary->add_excluded_rule_ids(id);

  // Providers, and the scored rules in order of first appearance.
  std::set<std::string> providers;
  for (const auto& p : timeline.providers()) providers.insert(p.provider_id());
  std::vector<std::string> rule_ids;
  absl::flat_hash_map<std::string, int> rule_index;
  for (const auto& r : timeline.rules()) {
    providers.insert(r.provider_id());
    if (excluded.count(r.rule_id()) == 0 &&
        rule_index.emplace(r.rule_id(), rule_ids.size()).second) {
      rule_ids.push_back(r.rule_id());
    }
  }
  summary->set_providers(static_cast<int>(providers.size()));

  // Outcomes by provider, as-of indices; the rest as diagnostics.
  std::map<std::string, std::vector<IndexedOutcome>> by_provider;
  std::set<std::tuple<std::string, int, std::string>> seen;
  for (const v1::Outcome& o : outcomes) {
    absl::StatusOr<Period> period = ParsePeriod(o.period());
    if (!period.ok()) {
      AddDiagnostic(o, v1::DIAGNOSTIC_SEVERITY_ERROR,
                    v1::DIAGNOSTIC_CODE_BAD_PERIOD, "period",
                    std::string(period.status().message()), summary);
      continue;
    }
    if (static_cast<int>(period->frequency) >
        static_cast<int>(first->frequency)) {
      AddDiagnostic(
          o, v1::DIAGNOSTIC_SEVERITY_ERROR, v1::DIAGNOSTIC_CODE_MIXED_FREQUENCY,
          "period",
          absl::StrCat("a ", FrequencyName(period->frequency),
                       " period is coarser than the ",
                       FrequencyName(first->frequency), " back-tested range"),
          summary);
      continue;
    }
    const Period mapped = ConvertPeriod(*period, first->frequency);
    if (providers.count(o.provider_id()) == 0) {
      AddDiagnostic(o, v1::DIAGNOSTIC_SEVERITY_ERROR,
                    v1::DIAGNOSTIC_CODE_UNKNOWN_PROVIDER, "provider_id",
                    absl::StrCat("provider '", o.provider_id(),
                                 "' is not in the back-test's timeline"),
                    summary);
      continue;
    }
    const int index = mapped.index - first->index;
    if (index < 0 || index > last) {
      AddDiagnostic(
          o, v1::DIAGNOSTIC_SEVERITY_ERROR, v1::DIAGNOSTIC_CODE_OUTSIDE_RANGE,
          "period",
          absl::StrCat(FormatPeriod(mapped),
                       index < 0 ? " is before the first as-of period, "
                                 : " is after the last as-of period, ",
                       index < 0 ? timeline.as_of(0) : timeline.as_of(last)),
          summary);
      continue;
    }
    if (!seen.emplace(o.provider_id(), index, o.outcome()).second) {
      AddDiagnostic(o, v1::DIAGNOSTIC_SEVERITY_WARNING,
                    v1::DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION, "period",
                    "the same outcome of the same provider in the same "
                    "period is given earlier",
                    summary);
      continue;
    }
    by_provider[o.provider_id()].push_back({index, &o});
  }

  // Warning state per provider: [0] the pack, [1 + i] rule_ids[i].
  const int scopes = static_cast<int>(rule_ids.size()) + 1;
  std::vector<Tally> tallies(scopes);
  int scored_outcomes = 0;
  int next_rule = 0;
  for (const std::string& provider : providers) {
    std::vector<std::vector<char>> state(scopes, std::vector<char>(n, 0));
    while (next_rule < timeline.rules_size() &&
           timeline.rules(next_rule).provider_id() < provider) {
      ++next_rule;
    }
    for (; next_rule < timeline.rules_size() &&
           timeline.rules(next_rule).provider_id() == provider;
         ++next_rule) {
      const v1::RuleTimeline& r = timeline.rules(next_rule);
      auto it = rule_index.find(r.rule_id());
      if (it == rule_index.end()) continue;
      int run = 0;
      for (int t = 0; t < n && t < r.ratings_size(); ++t) {
        run = r.ratings(t) == v1::RATING_RED ? run + 1 : 0;
        if (run >= options.warn_after) {
          state[1 + it->second][t] = 1;
          state[0][t] = 1;
        }
      }
    }
    std::vector<IndexedOutcome>& own = by_provider[provider];
    std::stable_sort(own.begin(), own.end(),
                     [](const IndexedOutcome& a, const IndexedOutcome& b) {
                       return a.index < b.index;
                     });
    scored_outcomes += static_cast<int>(own.size());
    // The provider's scored outcome: its first from scored_from on.
    int scored = -1;
    for (size_t j = 0; j < own.size() && scored < 0; ++j) {
      if (own[j].index >= scored_from) scored = static_cast<int>(j);
    }
    std::vector<std::vector<v1::OutcomeLead>> leads(own.size());
    for (int k = 0; k < scopes; ++k) {
      const std::string rule_id = k == 0 ? "" : rule_ids[k - 1];
      const std::vector<Episode> episodes = Episodes(state[k]);
      Tally& tally = tallies[k];
      bool false_alarm = false;
      for (const Episode& e : episodes) {
        bool borne_out = false;
        for (const IndexedOutcome& o : own) {
          if (o.index >= e.start - horizon && o.index <= e.end + horizon) {
            borne_out = true;
          }
        }
        v1::Warning* w = summary->add_warnings();
        w->set_provider_id(provider);
        w->set_rule_id(rule_id);
        w->set_start(timeline.as_of(e.start));
        w->set_end(timeline.as_of(e.end));
        ++tally.warnings;
        if (borne_out) {
          w->set_verdict(v1::Warning::VERDICT_BORNE_OUT);
        } else if (e.start + horizon <= last) {
          w->set_verdict(v1::Warning::VERDICT_FALSE_ALARM);
          ++tally.false_alarms;
          false_alarm = true;
        } else {
          w->set_verdict(v1::Warning::VERDICT_PENDING);
          ++tally.pending;
        }
      }
      if (!episodes.empty()) ++tally.warned;
      if (false_alarm) ++tally.false_alarm_providers;
      for (size_t j = 0; j < own.size(); ++j) {
        const int o = own[j].index;
        int previous = -1;  // The provider's previous outcome period.
        for (size_t i = j; i-- > 0 && previous < 0;) {
          if (own[i].index < o) previous = own[i].index;
        }
        v1::OutcomeLead lead;
        lead.set_provider_id(provider);
        lead.set_outcome_period(timeline.as_of(o));
        lead.set_outcome(own[j].row->outcome());
        lead.set_rule_id(rule_id);
        lead.set_too_early(o < scored_from);
        for (const Episode& e : episodes) {
          // In force within the horizon before the outcome, and after the
          // previous one (counted from the period after it).
          if (e.start < o && e.end >= o - horizon && e.end > previous) {
            const int start = std::max(e.start, previous + 1);
            lead.set_warned(true);
            lead.set_warning_period(timeline.as_of(start));
            lead.set_lead_periods(o - start);
            break;
          }
        }
        if (static_cast<int>(j) == scored) {
          ++tally.with_outcome;
          if (lead.warned()) tally.leads.push_back(lead.lead_periods());
        }
        leads[j].push_back(std::move(lead));
      }
    }
    for (auto& per_outcome : leads) {
      for (auto& lead : per_outcome) *summary->add_leads() = std::move(lead);
    }
  }
  summary->set_outcomes(scored_outcomes);
  FillScore("", tallies[0], summary->mutable_pack());
  for (int k = 1; k < scopes; ++k) {
    FillScore(rule_ids[k - 1], tallies[k], summary->add_rules());
  }
  std::stable_sort(summary->mutable_diagnostics()->begin(),
                   summary->mutable_diagnostics()->end(),
                   [](const v1::Diagnostic& a, const v1::Diagnostic& b) {
                     if (a.source() != b.source()) {
                       return a.source() < b.source();
                     }
                     return a.row() < b.row();
                   });
  return absl::OkStatus();
}

}  // namespace vigil
