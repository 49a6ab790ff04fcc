#include "cquin_weights.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "vigil/csv_reader.h"
#include "vigil/io.h"

namespace vigil_tool {

absl::Status ApplyCquinWeights(const std::string& path,
                               vigil::v1::RuleSet* rules) {
  absl::StatusOr<std::string> text = vigil::ReadFile(path);
  if (!text.ok()) return text.status();
  std::map<std::string, vigil::v1::MilestoneRule*> schemes;
  for (vigil::v1::Rule& rule : *rules->mutable_rules()) {
    if (rule.has_milestone()) schemes[rule.id()] = rule.mutable_milestone();
  }
  vigil::CsvReader reader(*text);
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  auto invalid = [&](const std::string& what) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " line ", line, ": ", what));
  };
  if (!reader.Next(&fields, &line, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": empty (header rule_id,provider_id,weight)"));
  }
  if (!error.empty()) return invalid(error);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    if (name != "rule_id" && name != "provider_id" && name != "weight") {
      continue;
    }
    if (!column.emplace(name, i).second) {
      return invalid(absl::StrCat("column '", name, "' appears twice"));
    }
  }
  for (const char* required : {"rule_id", "provider_id", "weight"}) {
    if (column.count(required) == 0) {
      return invalid(absl::StrCat("no '", required,
                                  "' column (expected rule_id,provider_id,"
                                  "weight)"));
    }
  }
  std::map<std::pair<std::string, std::string>, int64_t> seen;
  while (reader.Next(&fields, &line, &error)) {
    if (!error.empty()) return invalid(error);
    auto field = [&](const char* name) -> std::string {
      const size_t i = column.at(name);
      return i < fields.size()
                 ? std::string(absl::StripAsciiWhitespace(fields[i]))
                 : "";
    };
    const std::string rule_id = field("rule_id");
    const std::string provider = field("provider_id");
    const std::string weight_text = field("weight");
    const auto scheme = schemes.find(rule_id);
    if (scheme == schemes.end()) {
      return invalid(absl::StrCat("column rule_id: '", rule_id,
                                  "' is not a milestone (CQUIN) rule of the "
                                  "pack"));
    }
    if (provider.empty()) return invalid("column provider_id: empty");
    double weight = 0;
    if (!vigil::ParseDecimal(weight_text, &weight) || !std::isfinite(weight) ||
        weight <= 0) {
      return invalid(absl::StrCat("column weight: '", weight_text,
                                  "' is not an amount above 0"));
    }
    const auto [it, added] =
        seen.emplace(std::make_pair(rule_id, provider), line);
    if (!added) {
      return invalid(absl::StrCat("rule '", rule_id, "' and provider '",
                                  provider, "' were given on line ", it->second,
                                  " already"));
    }
    (*scheme->second->mutable_provider_weights())[provider] = weight;
  }
  return absl::OkStatus();
}

}  // namespace vigil_tool
