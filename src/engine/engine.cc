#include "vigil/engine.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "src/data/diagnostics.h"
#include "src/engine/compiled_rules.h"
#include "src/report/rollup.h"

namespace vigil {
namespace {

using internal::AssessContext;
using internal::CompiledRule;

// Which rules select which indicators and providers, and where each
// indicator is assessed.
struct Selection {
  std::vector<std::vector<char>> indicator;  // [rule][indicator]
  std::vector<std::vector<char>> provider;   // [rule][provider]
  std::vector<char> indicator_selected;      // by any rule
  std::vector<char> provider_selected;       // by any rule
  std::vector<Period> assessed;              // [indicator]
  std::vector<std::string> assessed_text;    // [indicator], FormatPeriod
};

Selection Select(const std::vector<CompiledRule>& rules,
                 const SeriesStore& data, Period as_of) {
  const size_t providers = data.providers().size();
  const size_t indicators = data.indicators().size();
  Selection s;
  s.indicator.assign(rules.size(), std::vector<char>(indicators, 0));
  s.provider.assign(rules.size(), std::vector<char>(providers, 0));
  s.indicator_selected.assign(indicators, 0);
  s.provider_selected.assign(providers, 0);
  for (size_t r = 0; r < rules.size(); ++r) {
    for (size_t i = 0; i < indicators; ++i) {
      s.indicator[r][i] =
          rules[r].selector.MatchesIndicator(data.indicators()[i]);
      s.indicator_selected[i] |= s.indicator[r][i];
    }
    for (size_t p = 0; p < providers; ++p) {
      s.provider[r][p] = rules[r].selector.MatchesProvider(data.providers()[p]);
      s.provider_selected[p] |= s.provider[r][p];
    }
  }
  s.assessed.resize(indicators);
  s.assessed_text.resize(indicators);
  for (size_t i = 0; i < indicators; ++i) {
    const Frequency f = data.indicator_frequency(static_cast<int>(i));
    s.assessed[i] =
        f == Frequency::kUnspecified ? as_of : ConvertPeriod(as_of, f);
    s.assessed_text[i] = FormatPeriod(s.assessed[i]);
  }
  return s;
}

// Observations that were indexed but are not used in this evaluation: after
// the as-of period, or of an indicator no rule selects. One diagnostic per
// indicator and reason. Returns how many.
int64_t ReportUnusedObservations(const SeriesStore& data,
                                 const Selection& selection, Period as_of,
                                 std::vector<v1::Diagnostic>* diagnostics) {
  const size_t indicators = data.indicators().size();
  std::vector<int64_t> after(indicators, 0);
  std::vector<int64_t> unselected(indicators, 0);
  for (int s = 0; s < data.num_series(); ++s) {
    const SeriesView series = data.series(s);
    const int i = series.indicator;
    for (int k = 0; k < series.size(); ++k) {
      if (series.status[k] != PointStatus::kObserved) continue;
      if (!selection.indicator_selected[i]) {
        ++unselected[i];
      } else if (series.first.index + k > selection.assessed[i].index) {
        ++after[i];
      }
    }
  }
  int64_t unused = 0;
  for (size_t i = 0; i < indicators; ++i) {
    const std::string& id = data.indicators()[i].id();
    if (unselected[i] > 0) {
      v1::Diagnostic d = MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_NOT_SELECTED, "", 0,
          "indicator_id",
          absl::StrCat(unselected[i], " observations of indicator '", id,
                       "' were not used: no rule selects it"));
      d.set_indicator_id(id);
      diagnostics->push_back(std::move(d));
    }
    if (after[i] > 0) {
      v1::Diagnostic d = MakeDiagnostic(
          v1::DIAGNOSTIC_SEVERITY_INFO, v1::DIAGNOSTIC_CODE_AFTER_AS_OF, "", 0,
          "period",
          absl::StrCat(after[i], " observations of indicator '", id,
                       "' are after the as-of period (", DescribePeriod(as_of),
                       ") and were not used"));
      d.set_indicator_id(id);
      d.set_period(FormatPeriod(as_of));
      diagnostics->push_back(std::move(d));
    }
    unused += unselected[i] + after[i];
  }
  return unused;
}

// What one worker makes of a contiguous range of providers: assessments in
// (provider, indicator, pack) order and one summary per provider, allocated
// on `arena` (the report's), or on the heap and owned here when it is null.
class ProviderRange {
 public:
  explicit ProviderRange(google::protobuf::Arena* arena) : arena_(arena) {}
  ~ProviderRange() {
    if (arena_ != nullptr) return;
    for (v1::Assessment* a : assessments_) delete a;
    for (v1::ProviderSummary* s : summaries_) delete s;
    delete spare_;
  }
  ProviderRange(const ProviderRange&) = delete;
  ProviderRange& operator=(const ProviderRange&) = delete;

  void Assess(const internal::CompiledRuleSet& compiled, int begin, int end,
              const SeriesStore& data, const Selection& selection);

  // Moves everything into `report`, which must be on the same arena.
  void MoveAssessmentsTo(v1::Report* report) {
    for (v1::Assessment* a : assessments_) {
      report->mutable_assessments()->AddAllocated(a);
    }
    assessments_.clear();
  }
  void MoveSummariesTo(v1::Report* report) {
    for (v1::ProviderSummary* s : summaries_) {
      report->mutable_providers()->AddAllocated(s);
    }
    summaries_.clear();
  }
  size_t assessment_count() const { return assessments_.size(); }

 private:
  v1::Assessment* NewAssessment() {
    if (spare_ == nullptr) {
      return google::protobuf::Arena::CreateMessage<v1::Assessment>(arena_);
    }
    v1::Assessment* a = spare_;
    spare_ = nullptr;
    return a;
  }

  google::protobuf::Arena* const arena_;
  std::vector<v1::Assessment*> assessments_;
  std::vector<v1::ProviderSummary*> summaries_;
  v1::Assessment* spare_ = nullptr;  // Cleared, for the next rule.
};

void ProviderRange::Assess(const internal::CompiledRuleSet& compiled, int begin,
                           int end, const SeriesStore& data,
                           const Selection& selection) {
  const std::vector<CompiledRule>& rules = compiled.compiled;
  std::vector<v1::Assessment*> by_slot(rules.size(), nullptr);
  std::vector<const v1::Assessment*> by_rule(compiled.rules.rules_size(),
                                             nullptr);
  const int indicators = static_cast<int>(data.indicators().size());
  for (int p = begin; p < end; ++p) {
    const size_t provider_begin = assessments_.size();
    for (int i = 0; i < indicators; ++i) {
      const int s = data.FindSeries(p, i);
      SeriesView view;
      if (s >= 0) view = data.series(s);
      AssessContext context;
      context.provider = &data.providers()[p];
      context.indicator = &data.indicators()[i];
      context.series = s >= 0 ? &view : nullptr;
      context.assessed = selection.assessed[i];
      context.standards = &compiled.standards;
      context.by_rule = absl::MakeConstSpan(by_rule);
      for (int pass = 0; pass < 2; ++pass) {
        for (size_t r = 0; r < rules.size(); ++r) {
          const CompiledRule& rule = rules[r];
          if (rule.evaluator->IsComposite() != (pass == 1)) continue;
          if (!selection.indicator[r][i] || !selection.provider[r][p]) continue;
          if (s < 0 && rule.evaluator->NeedsSeries()) continue;
          v1::Assessment* a = NewAssessment();
          a->set_provider_id(context.provider->id());
          a->set_indicator_id(context.indicator->id());
          a->set_rule_id(rule.rule.id());
          a->set_period(selection.assessed_text[i]);
          a->set_severity(rule.rule.severity() == v1::SEVERITY_UNSPECIFIED
                              ? v1::SEVERITY_WARNING
                              : rule.rule.severity());
          a->set_domain(context.indicator->domain());
          rule.evaluator->Assess(context, a);
          if (a->rating() == v1::RATING_UNSPECIFIED) {
            a->Clear();
            spare_ = a;
            continue;
          }
          by_slot[r] = a;
          by_rule[rule.index] = a;
        }
      }
      for (size_t r = 0; r < rules.size(); ++r) {
        if (by_slot[r] == nullptr) continue;
        assessments_.push_back(by_slot[r]);
        by_slot[r] = nullptr;
        by_rule[rules[r].index] = nullptr;
      }
    }
    v1::ProviderSummary* summary =
        google::protobuf::Arena::CreateMessage<v1::ProviderSummary>(arena_);
    summaries_.push_back(summary);
    internal::RollUpProvider(data.providers()[p],
                             selection.provider_selected[p] != 0,
                             absl::Span<const v1::Assessment* const>(
                                 assessments_.data() + provider_begin,
                                 assessments_.size() - provider_begin),
                             compiled.escalation, summary);
  }
}

}  // namespace

const char* EngineVersion() { return "0.1.0"; }

google::protobuf::ArenaOptions ReportArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

Engine::Engine(std::unique_ptr<internal::CompiledRuleSet> compiled)
    : compiled_(std::move(compiled)) {}

Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(
    const v1::RuleSet& rules) {
  absl::StatusOr<std::unique_ptr<internal::CompiledRuleSet>> compiled =
      internal::CompileRuleSet(rules);
  if (!compiled.ok()) return compiled.status();
  return std::unique_ptr<Engine>(new Engine(*std::move(compiled)));
}

const v1::RuleSet& Engine::rules() const { return compiled_->rules; }

absl::StatusOr<v1::Report> Engine::Evaluate(const v1::Dataset& data,
                                            absl::string_view as_of) const {
  return Evaluate(IndexDataset(data), as_of);
}

absl::StatusOr<v1::Report> Engine::Evaluate(const SeriesStore& data,
                                            absl::string_view as_of) const {
  return Evaluate(data, as_of, EvaluateOptions());
}

absl::StatusOr<v1::Report> Engine::Evaluate(
    const SeriesStore& data, absl::string_view as_of,
    const EvaluateOptions& options) const {
  v1::Report report;
  absl::Status status = EvaluateInto(data, as_of, options, &report);
  if (!status.ok()) return status;
  return report;
}

absl::Status Engine::EvaluateInto(const SeriesStore& data,
                                  absl::string_view as_of_text,
                                  const EvaluateOptions& options,
                                  v1::Report* report) const {
  if (report == nullptr) return absl::InvalidArgumentError("report: is null");
  Period as_of = data.latest_period();
  if (!as_of_text.empty()) {
    absl::StatusOr<Period> parsed = ParsePeriod(as_of_text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("as_of: ", parsed.status().message()));
    }
    as_of = *parsed;
  } else if (as_of.frequency == Frequency::kUnspecified) {
    return absl::InvalidArgumentError(
        "as_of: not given, and the data has no value to take it from");
  }
  const Selection selection = Select(compiled_->compiled, data, as_of);

  report->Clear();
  report->set_as_of(FormatPeriod(as_of));
  report->set_ruleset_id(compiled_->rules.id());
  report->set_ruleset_version(compiled_->rules.version());
  report->set_engine_version(EngineVersion());

  // The calling thread takes the first range of providers, workers the rest.
  google::protobuf::Arena* arena = report->GetArena();
  const int providers = static_cast<int>(data.providers().size());
  const int threads = std::max(1, std::min(options.threads, providers));
  std::vector<std::unique_ptr<ProviderRange>> ranges;
  for (int t = 0; t < threads; ++t) {
    ranges.push_back(std::make_unique<ProviderRange>(arena));
  }
  auto range_begin = [&](int t) {
    return static_cast<int>(static_cast<int64_t>(providers) * t / threads);
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ranges[t]->Assess(*compiled_, range_begin(t), range_begin(t + 1), data,
                        selection);
    });
  }
  ranges[0]->Assess(*compiled_, 0, range_begin(1), data, selection);
  for (std::thread& w : workers) w.join();

  size_t total = 0;
  for (const auto& range : ranges) total += range->assessment_count();
  report->mutable_assessments()->Reserve(static_cast<int>(total));
  report->mutable_providers()->Reserve(providers);
  for (const auto& range : ranges) {
    range->MoveAssessmentsTo(report);
    range->MoveSummariesTo(report);
  }

  std::vector<v1::Diagnostic> diagnostics = data.diagnostics();
  const int64_t unused =
      ReportUnusedObservations(data, selection, as_of, &diagnostics);
  SortDiagnostics(&diagnostics);
  report->mutable_diagnostics()->Reserve(static_cast<int>(diagnostics.size()));
  for (v1::Diagnostic& d : diagnostics) {
    *report->add_diagnostics() = std::move(d);
  }
  report->set_observations_read(data.observations_read());
  report->set_observations_used(data.observations_used() - unused);
  report->set_observations_rejected(data.observations_read() -
                                    report->observations_used());
  report->set_plans_read(data.plans_read());
  report->set_plans_used(data.plans_used());
  report->set_plans_rejected(data.plans_rejected());
  return absl::OkStatus();
}

}  // namespace vigil
