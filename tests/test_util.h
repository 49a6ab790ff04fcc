// Small builders for tests: datasets, rule packs and report look-ups.
#ifndef VIGIL_TESTS_TEST_UTIL_H_
#define VIGIL_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "vigil/engine.h"
#include "vigil/io.h"
#include "vigil/v1/model.pb.h"
#include "vigil/v1/report.pb.h"
#include "vigil/v1/rules.pb.h"

namespace vigil {
namespace testing {

template <typename Message>
Message ParseText(const std::string& text) {
  Message m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

// The example pack of `dir` (examples/nhs_early_warning/: peer funnels,
// escalation by signals) with a composite rule over its peer and SPC rules
// of AE_4HR_T1 added: every phase of an evaluation.
inline v1::RuleSet ExamplePackWithComposite(const std::string& dir) {
  absl::StatusOr<v1::RuleSet> rules = LoadRuleSet(dir + "rules.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return v1::RuleSet();
  v1::Rule* composite = rules->add_rules();
  composite->set_id("ae_composite");
  composite->mutable_selector()->add_indicator_ids("AE_4HR_T1");
  composite->mutable_composite()->add_rule_ids("ae_4hr_peer");
  composite->mutable_composite()->add_rule_ids("ae_4hr_spc");
  return *std::move(rules);
}

// A dataset with providers P1.., and one indicator.
inline v1::Dataset DatasetWith(const v1::Indicator& indicator,
                               int providers = 1) {
  v1::Dataset d;
  for (int i = 1; i <= providers; ++i) {
    v1::Provider* p = d.add_providers();
    p->set_id("P" + std::to_string(i));
    p->set_name("Provider " + std::to_string(i));
    p->set_type(v1::PROVIDER_TYPE_ACUTE);
  }
  *d.add_indicators() = indicator;
  return d;
}

inline v1::Indicator MakeIndicator(const std::string& id, v1::Unit unit,
                                   v1::Polarity polarity,
                                   v1::Domain domain = v1::DOMAIN_SAFE) {
  v1::Indicator ind;
  ind.set_id(id);
  ind.set_name(id);
  ind.set_unit(unit);
  ind.set_polarity(polarity);
  ind.set_domain(domain);
  ind.set_frequency(v1::FREQUENCY_MONTHLY);
  return ind;
}

// The month `offset` months after `first_month` ("2019-01" + 2 = "2019-03").
inline std::string MonthAfter(const std::string& first_month, int offset) {
  const int index = std::stoi(first_month.substr(0, 4)) * 12 +
                    std::stoi(first_month.substr(5, 2)) - 1 + offset;
  char period[16];
  snprintf(period, sizeof(period), "%04d-%02d", index / 12, index % 12 + 1);
  return period;
}

// Monthly values from `first_month` ("2019-01"); NaN entries are skipped.
inline void AddMonthlyValues(v1::Dataset* d, const std::string& provider,
                             const std::string& indicator,
                             const std::string& first_month,
                             const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != values[i]) continue;
    v1::Observation* o = d->add_observations();
    o->set_provider_id(provider);
    o->set_indicator_id(indicator);
    o->set_period(MonthAfter(first_month, static_cast<int>(i)));
    o->set_value(values[i]);
  }
}

inline v1::RuleSet PackWith(const std::string& rules_text) {
  return ParseText<v1::RuleSet>("id: 'test' version: '1' " + rules_text);
}

// The single assessment of `rule_id` for `provider`; fails the test if not
// exactly one.
inline v1::Assessment Find(const v1::Report& report,
                           const std::string& provider,
                           const std::string& rule_id) {
  std::vector<v1::Assessment> found;
  for (const v1::Assessment& a : report.assessments()) {
    if (a.provider_id() == provider && a.rule_id() == rule_id)
      found.push_back(a);
  }
  EXPECT_EQ(found.size(), 1u)
      << "assessments of " << provider << "/" << rule_id;
  return found.empty() ? v1::Assessment() : found.front();
}

// How many times `needle` occurs in `text` (not overlapping).
inline int CountOccurrences(const std::string& text,
                            const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// Evaluates `rules_text` (a pack body) on `data`; asserts success.
inline v1::Report EvaluatePack(const std::string& rules_text,
                               const v1::Dataset& data,
                               const std::string& as_of) {
  auto engine = Engine::Create(PackWith(rules_text));
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return v1::Report();
  auto report = (*engine)->Evaluate(data, as_of);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::Report();
}

}  // namespace testing
}  // namespace vigil

#endif  // VIGIL_TESTS_TEST_UTIL_H_
