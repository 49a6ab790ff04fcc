// Outcomes for back-test scoring: read from a CSV file
// (provider_id,period,outcome) or derived from a rule's first red.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "vigil/backtest.h"
#include "vigil/csv_reader.h"
#include "vigil/period.h"

namespace vigil {
namespace {

constexpr const char* kColumns[] = {"provider_id", "period", "outcome"};

absl::Status LineError(absl::string_view source, int64_t line,
                       absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      source, " line ", line,
      field.empty() ? "" : absl::StrCat(", field ", field), ": ", why));
}

}  // namespace

absl::StatusOr<OutcomeRows> ReadOutcomesCsv(absl::string_view text,
                                            absl::string_view source) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  if (!reader.Next(&fields, &line, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": empty; expected a header line "
                     "provider_id,period,outcome"));
  }
  if (!error.empty()) return LineError(source, line, "", error);
  int column[3] = {-1, -1, -1};
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    for (int c = 0; c < 3; ++c) {
      if (name != kColumns[c]) continue;
      if (column[c] >= 0) {
        return LineError(source, line, name, "column given twice");
      }
      column[c] = static_cast<int>(i);
    }
  }
  for (int c = 0; c < 3; ++c) {
    if (column[c] < 0) {
      return LineError(source, line, kColumns[c],
                       "no such column in the header; expected "
                       "provider_id,period,outcome");
    }
  }
  const size_t needed =
      static_cast<size_t>(std::max(column[0], std::max(column[1], column[2])));
  OutcomeRows rows;
  while (reader.Next(&fields, &line, &error)) {
    if (!error.empty()) return LineError(source, line, "", error);
    if (fields.size() <= needed) {
      return LineError(source, line, "",
                       absl::StrCat("expected at least ", needed + 1,
                                    " fields, found ", fields.size()));
    }
    v1::Outcome o;
    for (int c = 0; c < 3; ++c) {
      const absl::string_view value =
          absl::StripAsciiWhitespace(fields[column[c]]);
      if (value.empty()) {
        return LineError(source, line, kColumns[c], "empty");
      }
      if (c == 0) o.set_provider_id(std::string(value));
      if (c == 2) o.set_outcome(std::string(value));
      if (c == 1) {
        absl::StatusOr<Period> period = ParsePeriod(value);
        if (!period.ok()) {
          return LineError(source, line, kColumns[c],
                           period.status().message());
        }
        o.set_period(FormatPeriod(*period));
      }
    }
    o.set_source(std::string(source));
    o.set_row(line);
    rows.outcomes.push_back(std::move(o));
  }
  return rows;
}

absl::StatusOr<std::vector<v1::Outcome>> OutcomesFromRule(
    const v1::Timeline& timeline, absl::string_view rule_id,
    absl::string_view label) {
  // Provider -> as-of indices at which the rule rates any indicator red.
  std::map<std::string, std::vector<char>> red;
  bool rated = false;
  for (const v1::RuleTimeline& r : timeline.rules()) {
    if (r.rule_id() != rule_id) continue;
    rated = true;
    std::vector<char>& state = red[r.provider_id()];
    state.resize(timeline.as_of_size(), 0);
    for (int t = 0; t < r.ratings_size() && t < timeline.as_of_size(); ++t) {
      if (r.ratings(t) == v1::RATING_RED) state[t] = 1;
    }
  }
  if (!rated) {
    return absl::InvalidArgumentError(
        absl::StrCat("outcome rule '", rule_id,
                     "' rated nothing in the back-tested range (is it in the "
                     "pack, and does it select an indicator of the data?)"));
  }
  std::vector<v1::Outcome> outcomes;
  for (const auto& [provider, state] : red) {
    for (size_t t = 0; t < state.size(); ++t) {
      if (!state[t] || (t > 0 && state[t - 1])) continue;
      v1::Outcome o;
      o.set_provider_id(provider);
      o.set_period(timeline.as_of(static_cast<int>(t)));
      o.set_outcome(std::string(label));
      o.set_source(absl::StrCat("rule ", rule_id));
      outcomes.push_back(std::move(o));
    }
  }
  return outcomes;
}

}  // namespace vigil
