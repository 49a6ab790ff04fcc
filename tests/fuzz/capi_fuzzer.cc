// Fuzzes every C API entry that takes bytes or arrays (include/vigil/vigil.h):
// vigil_engine_create, vigil_dataset_add_bytes, vigil_engine_evaluate_bytes,
// vigil_dataset_add_observations and _add_plans (then an evaluation, the
// report's accessors and its serialisation, and a back-test of one period
// or a refused range), vigil_spc_analyze,
// vigil_spc_chart_analyze, and the funnel entries (the option setters,
// vigil_funnel_fit, _limits_at, _curve, _denominator_grid). Each call must
// return a status, with a message when it is not VIGIL_OK; nothing aborts.
// Links only libvigil's C API (never vigil_core: one copy of the schema).
//
// Input: byte 0 picks the entry; the rest is its bytes, or is decoded into
// its arguments (FuzzInput).
//
// Speed: the costly choices are each made in a fraction of the inputs: an
// evaluation after adding data or creating an engine (1 in 4;
// evaluate_bytes always evaluates), the fixture's whole pack (1 in 8; else
// a pack of three rules), the fixture's whole data for a fuzzed pack (1 in
// 8; else one provider's rows), two worker threads (1 in 64) and the
// report as JSON (1 in 32). They are bits of a hash of the whole input, not
// bytes of it: libFuzzer keeps the inputs that reach new code, and would
// soon have a corpus whose every choice byte picks the costly branch
// (which reaches the most code), while a mutant's hash is a fresh draw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/fuzz/fixture.h"
#include "tests/fuzz/fuzz_input.h"
#include "vigil/vigil.h"

namespace vigil {
namespace fuzz {
namespace {

vigil_engine* fixture_engine = nullptr;  // The fixture's whole pack.
uint32_t input_hash = 0;  // FNV-1a of the input: the costly choices.
vigil_engine* small_engine = nullptr;  // kSmallPack.

// Three rule kinds, on every indicator: most evaluations use this pack.
constexpr const char kSmallPack[] = R"pb(
  id: "fuzz-small"
  rules {
    id: "latest"
    selector { all_indicators: true }
    threshold { standard: 10 }
  }
  rules {
    id: "xmr"
    selector { all_indicators: true }
    spc {}
  }
  rules {
    id: "dq"
    selector { all_indicators: true }
    data_quality { lookback_periods: 3 }
  }
)pb";

// Checks a returned status: a known code, and a message when not OK; frees
// the message. (`error` by pointer: read after the call that fills it.)
void Check(int status, char** error_message) {
  char* error = *error_message;
  *error_message = nullptr;
  if ((status == VIGIL_OK) != (error == nullptr)) {
    std::fprintf(stderr, "status %d, message %s\n", status,
                 error == nullptr ? "(none)" : error);
  }
  FUZZ_CHECK(status >= VIGIL_OK && status <= VIGIL_UNAUTHENTICATED);
  FUZZ_CHECK((status == VIGIL_OK) == (error == nullptr));
  FUZZ_CHECK(error == nullptr || error[0] != '\0');
  vigil_free(error);
}

int Format(FuzzInput* in) {
  const int formats[] = {VIGIL_FORMAT_BINARY,
                         VIGIL_FORMAT_JSON,
                         VIGIL_FORMAT_TEXT,
                         VIGIL_FORMAT_CSV,
                         0,
                         99};
  return formats[in->Byte() % 6];
}

const char* AsOf(FuzzInput* in) { return kAsOfChoices[in->Pick(kAsOfCount)]; }

// The header and the rows of `csv` for the fixture's first provider.
std::string FirstProviderRows(const std::string& csv) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    if (out.empty() || absl::StartsWith(line, "R0A,")) {
      absl::StrAppend(&out, line, "\n");
    }
  }
  return out;
}

// Adds the fixture's providers and indicators, and with `data` its
// observations and plans: all of them with `whole`, else only the first
// provider's (a third: quicker to evaluate).
void AddFixture(vigil_dataset* dataset, bool data, bool whole = true) {
  static const std::string* const observations =
      new std::string(FirstProviderRows(FixtureObservationsCsv()));
  static const std::string* const plans =
      new std::string(FirstProviderRows(FixturePlansCsv()));
  struct File {
    const std::string& text;
    int kind;
  };
  const File files[] = {
      {FixtureProvidersCsv(), VIGIL_KIND_PROVIDERS},
      {FixtureIndicatorsCsv(), VIGIL_KIND_INDICATORS},
      {whole ? FixtureObservationsCsv() : *observations,
       VIGIL_KIND_OBSERVATIONS},
      {whole ? FixturePlansCsv() : *plans, VIGIL_KIND_PLANS},
  };
  for (int i = 0; i < (data ? 4 : 2); ++i) {
    FUZZ_CHECK(vigil_dataset_add_bytes(dataset, files[i].text.data(),
                                       files[i].text.size(), VIGIL_FORMAT_CSV,
                                       files[i].kind, "fixture",
                                       nullptr) == VIGIL_OK);
  }
}

// Reads every accessor of `report`, and with `serialize` writes it as JSON
// (slow: one run in 32).
void WalkReport(const vigil_report* report, bool serialize) {
  const size_t assessments = vigil_report_assessment_count(report);
  for (size_t i = 0; i < assessments; ++i) {
    FUZZ_CHECK(vigil_report_assessment_provider_id(report, i) != nullptr);
    FUZZ_CHECK(vigil_report_assessment_reason(report, i) != nullptr);
    const int rating = vigil_report_assessment_rating(report, i);
    FUZZ_CHECK(rating >= VIGIL_RATING_GREEN &&
               rating <= VIGIL_RATING_NOT_APPLICABLE);
    double value;
    (void)vigil_report_assessment_value(report, i, &value);
  }
  const size_t providers = vigil_report_provider_count(report);
  for (size_t i = 0; i < providers; ++i) {
    FUZZ_CHECK(vigil_report_provider_id(report, i) != nullptr);
    (void)vigil_report_provider_escalation(report, i);
  }
  const size_t diagnostics = vigil_report_diagnostic_count(report);
  for (size_t i = 0; i < diagnostics; ++i) {
    FUZZ_CHECK(vigil_report_diagnostic_message(report, i) != nullptr);
    (void)vigil_enum_name("DiagnosticCode",
                          vigil_report_diagnostic_code(report, i));
  }
  FUZZ_CHECK(vigil_report_assessment_provider_id(report, assessments) ==
             nullptr);
  if (serialize) {
    char* bytes = nullptr;
    size_t length = 0;
    char* error = nullptr;
    const int s = vigil_report_serialize(report, VIGIL_FORMAT_JSON, &bytes,
                                         &length, &error);
    Check(s, &error);
    vigil_free(bytes);
  }
}

// How an evaluation is asked for, read from the input before its bytes.
struct Evaluation {
  const char* as_of;
  int threads;
  bool evaluate;   // At all (one run in 4; else the data is only added).
  bool serialize;  // The report as JSON too (one run in 32).
  bool whole;      // The fixture's whole pack or data (one run in 8).
};

Evaluation ReadEvaluation(FuzzInput* in) {
  // Two threads start two workers (slow under ASan): one run in 64. The
  // other counts are the calling thread, or refused at once.
  const int threads[] = {1, 1, 1, 1, 0, -3, VIGIL_MAX_THREADS + 1, 1};
  Evaluation e;
  e.as_of = AsOf(in);
  e.threads = (input_hash >> 10) % 64 == 0 ? 2 : threads[in->Pick(8)];
  e.evaluate = input_hash % 4 == 0;
  e.whole = (input_hash >> 2) % 8 == 0;
  e.serialize = (input_hash >> 5) % 32 == 0;
  return e;
}

// The engine most evaluations use: the small pack, or in one run in 8 the
// fixture's whole pack (every rule kind).
const vigil_engine* EngineFor(const Evaluation& e) {
  return e.whole ? fixture_engine : small_engine;
}

// Scores a back-test's timeline: against the first reds of its first rule,
// and an outcome of each provider at the fuzzed as_of (a bad period is
// refused whole); warn_after and horizon from the input's hash, walking
// every score, lead, warning and diagnostic.
void Score(const vigil_timeline* timeline, const Evaluation& e) {
  vigil_outcomes* outcomes = nullptr;
  FUZZ_CHECK(vigil_outcomes_create(&outcomes) == VIGIL_OK);
  char* error = nullptr;
  if (vigil_timeline_rule_count(timeline) > 0) {
    Check(vigil_outcomes_add_from_rule(outcomes, timeline,
                                       vigil_timeline_rule_rule_id(timeline, 0),
                                       nullptr, &error),
          &error);
  }
  std::vector<const char*> providers, periods, labels;
  for (size_t i = 0; i < vigil_timeline_provider_count(timeline); ++i) {
    providers.push_back(vigil_timeline_provider_id(timeline, i));
    periods.push_back(e.as_of == nullptr ? "" : e.as_of);
    labels.push_back("event");
  }
  const size_t before = vigil_outcomes_count(outcomes);
  const int added =
      vigil_outcomes_add(outcomes, providers.size(), providers.data(),
                         periods.data(), labels.data(), nullptr, &error);
  Check(added, &error);
  FUZZ_CHECK(vigil_outcomes_count(outcomes) ==
             before + (added == VIGIL_OK ? providers.size() : 0));
  vigil_backtest_options* options = vigil_backtest_options_create();
  FUZZ_CHECK(options != nullptr);
  Check(vigil_backtest_options_set_warn_after(
            options, 1 + static_cast<int>((input_hash >> 21) % 3), &error),
        &error);
  Check(vigil_backtest_options_set_horizon(
            options, 1 + static_cast<int>((input_hash >> 23) % 13), &error),
        &error);
  vigil_backtest_summary* summary = nullptr;
  const int s =
      vigil_timeline_score(timeline, outcomes, options, &summary, &error);
  Check(s, &error);
  FUZZ_CHECK((s == VIGIL_OK) == (summary != nullptr));
  if (summary != nullptr) {
    const size_t scores = vigil_backtest_summary_score_count(summary);
    FUZZ_CHECK(scores >= 1);
    for (size_t i = 0; i < scores; ++i) {
      FUZZ_CHECK(vigil_backtest_summary_score_rule_name(summary, i) != nullptr);
      FUZZ_CHECK(
          vigil_backtest_summary_score_providers_warned_before(summary, i) <=
          vigil_backtest_summary_score_providers_with_outcome(summary, i));
    }
    for (size_t i = 0; i < vigil_backtest_summary_lead_count(summary); ++i) {
      FUZZ_CHECK(vigil_backtest_summary_lead_outcome(summary, i) != nullptr);
    }
    for (size_t i = 0; i < vigil_backtest_summary_warning_count(summary); ++i) {
      const int v = vigil_backtest_summary_warning_verdict(summary, i);
      FUZZ_CHECK(v >= VIGIL_WARNING_BORNE_OUT && v <= VIGIL_WARNING_PENDING);
    }
    for (size_t i = 0; i < vigil_backtest_summary_diagnostic_count(summary);
         ++i) {
      FUZZ_CHECK(vigil_backtest_summary_diagnostic_message(summary, i) !=
                 nullptr);
    }
    if (e.serialize) {
      char* bytes = nullptr;
      size_t length = 0;
      Check(vigil_backtest_summary_serialize(summary, VIGIL_FORMAT_CSV, &bytes,
                                             &length, &error),
            &error);
      vigil_free(bytes);
    }
  }
  vigil_backtest_summary_destroy(summary);
  vigil_backtest_options_destroy(options);
  vigil_outcomes_destroy(outcomes);
}

// In one evaluation in 4, back-tests the dataset as of the fuzzed as_of
// alone (one period: any range would multiply the cost), or in one of
// those in 8 from it back to 1900-01 (a reversed or mixed range: refused),
// and walks the timeline (its CSV and heat-map when `e` serializes).
void Backtest(const vigil_engine* engine, vigil_dataset* dataset,
              const Evaluation& e) {
  if ((input_hash >> 16) % 4 != 0) return;
  const char* from = e.as_of == nullptr ? "" : e.as_of;
  const char* to = (input_hash >> 18) % 8 == 0 ? "1900-01" : from;
  vigil_timeline* timeline = nullptr;
  char* error = nullptr;
  const int s = vigil_engine_backtest(engine, dataset, from, to, nullptr,
                                      &timeline, &error);
  Check(s, &error);
  FUZZ_CHECK((s == VIGIL_OK) == (timeline != nullptr));
  if (s != VIGIL_OK) return;
  const size_t periods = vigil_timeline_period_count(timeline);
  FUZZ_CHECK(periods >= 1);
  for (size_t i = 0; i < vigil_timeline_rule_count(timeline); ++i) {
    FUZZ_CHECK(vigil_timeline_rule_rule_id(timeline, i) != nullptr);
    const int rating = vigil_timeline_rule_rating(timeline, i, 0);
    FUZZ_CHECK(rating >= 0 && rating <= VIGIL_RATING_NOT_APPLICABLE);
  }
  for (size_t i = 0; i < vigil_timeline_provider_count(timeline); ++i) {
    FUZZ_CHECK(vigil_timeline_provider_name(timeline, i) != nullptr);
    const int level = vigil_timeline_provider_escalation(timeline, i, 0);
    FUZZ_CHECK(level >= 0 && level <= VIGIL_ESCALATION_RISK_SUMMIT);
  }
  if (e.serialize) {
    for (int format : {VIGIL_FORMAT_CSV, VIGIL_FORMAT_HTML}) {
      char* bytes = nullptr;
      size_t length = 0;
      Check(vigil_timeline_serialize(timeline, format, &bytes, &length, &error),
            &error);
      vigil_free(bytes);
    }
  }
  Score(timeline, e);
  vigil_timeline_destroy(timeline);
}

// Evaluates `dataset` with `engine` and walks the report, when `e` says
// to evaluate.
void Evaluate(const vigil_engine* engine, vigil_dataset* dataset,
              const Evaluation& e) {
  if (!e.evaluate) return;
  Backtest(engine, dataset, e);
  vigil_report* report = nullptr;
  char* error = nullptr;
  const int s = vigil_engine_evaluate(engine, dataset, e.as_of, e.threads,
                                      &report, &error);
  Check(s, &error);
  if (s == VIGIL_OK) WalkReport(report, e.serialize);
  vigil_report_destroy(report);
}

void EngineCreate(FuzzInput* in) {
  const int format = Format(in);
  const Evaluation evaluation = ReadEvaluation(in);
  const absl::string_view bytes = in->Rest();
  vigil_engine* engine = nullptr;
  char* error = nullptr;
  const int s =
      vigil_engine_create(bytes.data(), bytes.size(), format, &engine, &error);
  Check(s, &error);
  if (s != VIGIL_OK) return;
  if (evaluation.evaluate) {
    vigil_dataset* dataset = nullptr;
    FUZZ_CHECK(vigil_dataset_create(&dataset) == VIGIL_OK);
    AddFixture(dataset, /*data=*/true, evaluation.whole);
    Evaluate(engine, dataset, evaluation);
    vigil_dataset_destroy(dataset);
  }
  vigil_engine_destroy(engine);
}

void DatasetAddBytes(FuzzInput* in) {
  const int format = Format(in);
  const int kinds[] = {VIGIL_KIND_OBSERVATIONS, VIGIL_KIND_PROVIDERS,
                       VIGIL_KIND_INDICATORS,   VIGIL_KIND_PLANS,
                       VIGIL_KIND_OBSERVATIONS, -1};
  const int kind = kinds[in->Pick(6)];
  const bool definitions = in->Bool();
  const bool evaluate_twice = in->Byte() == 7;
  const Evaluation evaluation = ReadEvaluation(in);
  vigil_dataset* dataset = nullptr;
  FUZZ_CHECK(vigil_dataset_create(&dataset) == VIGIL_OK);
  // The definitions are used only by an evaluation (which indexes).
  if (definitions && evaluation.evaluate) AddFixture(dataset, /*data=*/false);
  const absl::string_view bytes = in->Rest();
  char* error = nullptr;
  Check(vigil_dataset_add_bytes(dataset, bytes.data(), bytes.size(), format,
                                kind, bytes.empty() ? nullptr : "data", &error),
        &error);
  Evaluate(EngineFor(evaluation), dataset, evaluation);
  if (evaluate_twice) Evaluate(EngineFor(evaluation), dataset, evaluation);
  vigil_dataset_destroy(dataset);
}

void EvaluateBytes(FuzzInput* in) {
  const int format = Format(in);
  const Evaluation evaluation = ReadEvaluation(in);  // Threads unused.
  const absl::string_view bytes = in->Rest();
  vigil_report* report = nullptr;
  char* error = nullptr;
  const int s = vigil_engine_evaluate_bytes(EngineFor(evaluation), bytes.data(),
                                            bytes.size(), format,
                                            evaluation.as_of, &report, &error);
  Check(s, &error);
  if (s == VIGIL_OK) WalkReport(report, evaluation.serialize);
  vigil_report_destroy(report);
}

// Observations and plans from arrays: ids and periods from short lists
// (so that rows meet) or from the fuzz bytes.
void AddArrays(FuzzInput* in) {
  static const char* const kProviders[] = {"R0A", "RRK", "00T", "X", ""};
  static const char* const kIndicators[] = {"AE", "CDI", "Q", "D", "Z"};
  static const char* const kPeriods[] = {"2019-03",    "2019-02", "2018-Q4",
                                         "2019-02-03", "1900-01", "2019-13"};
  const size_t count = in->Byte() % 32;
  const bool plans = in->Bool();
  const bool definitions = in->Bool();
  std::vector<std::string> owned;  // Fuzzed strings, kept alive.
  owned.reserve(3 * count);
  std::vector<const char*> providers, indicators, periods;
  auto pick = [&](const char* const* list, int n) -> const char* {
    const uint8_t b = in->Byte();
    if (b < 240) return list[b % n];
    owned.push_back(in->String(12));
    return owned.back().c_str();
  };
  for (size_t i = 0; i < count; ++i) {
    providers.push_back(pick(kProviders, 5));
    indicators.push_back(pick(kIndicators, 5));
    periods.push_back(pick(kPeriods, 6));
  }
  const std::vector<double> values = in->Doubles(count);
  const std::vector<double> numerators = in->Doubles(count);
  const std::vector<double> denominators = in->Doubles(count);
  const uint8_t nulls = in->Byte();
  const Evaluation evaluation = ReadEvaluation(in);
  vigil_dataset* dataset = nullptr;
  FUZZ_CHECK(vigil_dataset_create(&dataset) == VIGIL_OK);
  if (definitions && evaluation.evaluate) AddFixture(dataset, /*data=*/false);
  char* error = nullptr;
  int s;
  if (plans) {
    s = vigil_dataset_add_plans(dataset, count,
                                (nulls & 1) ? nullptr : providers.data(),
                                indicators.data(), periods.data(),
                                (nulls & 2) ? nullptr : values.data(), &error);
  } else {
    s = vigil_dataset_add_observations(
        dataset, count, (nulls & 1) ? nullptr : providers.data(),
        indicators.data(), periods.data(),
        (nulls & 2) ? nullptr : values.data(),
        (nulls & 4) ? nullptr : numerators.data(),
        (nulls & 8) ? nullptr : denominators.data(), &error);
  }
  Check(s, &error);
  Evaluate(EngineFor(evaluation), dataset, evaluation);
  vigil_dataset_destroy(dataset);
}

// One of the C API's optional per-point arrays: NULL or `n` entries.
template <typename T>
T* Optional(std::vector<T>* v, bool present) {
  return present ? v->data() : nullptr;
}

void SpcAnalyze(FuzzInput* in) {
  const size_t n = in->Byte();
  const uint8_t present = in->Byte();
  const int direction = in->Pick(5) - 2;
  const int screen = in->Pick(3);
  const int run_length = in->Pick(13);
  const int fixes[] = {0, 0, 1, 11, 12, 13, static_cast<int>(n), -1};
  const int fix_after = fixes[in->Pick(8)];
  std::vector<unsigned char> rebase(n);
  for (unsigned char& r : rebase) r = in->Byte() % 8 == 0;
  std::vector<double> targets = in->Doubles((present & 2) ? n : 0);
  std::vector<double> values = in->Doubles(n);
  std::vector<double> mean(n), lpl(n), upl(n);
  std::vector<int> cause(n), type(n);
  int icon = -1, assurance = -1;
  char* error = nullptr;
  const int s = vigil_spc_analyze(
      (present & 64) && n == 0 ? nullptr : values.data(), n,
      Optional(&rebase, present & 1), Optional(&targets, present & 2),
      direction, screen, run_length, fix_after, Optional(&mean, present & 4),
      Optional(&lpl, present & 4), Optional(&upl, present & 8),
      Optional(&cause, present & 16), Optional(&type, present & 16),
      (present & 32) ? &icon : nullptr, (present & 32) ? &assurance : nullptr,
      &error);
  Check(s, &error);
  if (s != VIGIL_OK) return;
  for (size_t i = 0; i < n && (present & 16); ++i) {
    FUZZ_CHECK(vigil_spc_special_cause_label(cause[i]) != nullptr);
    FUZZ_CHECK(vigil_spc_point_type_name(type[i]) != nullptr);
  }
  if (present & 32) {
    FUZZ_CHECK(icon >= VIGIL_SPC_ICON_COMMON_CAUSE &&
               icon <= VIGIL_SPC_ICON_NONE);
    FUZZ_CHECK(vigil_spc_assurance_name(assurance) != nullptr);
  }
}

void SpcChartAnalyze(FuzzInput* in) {
  const int chart = in->Pick(10) - 1;
  const size_t n = in->Byte();
  const int present_high = in->Byte();
  const int present = present_high << 8 | in->Byte();
  const double multipliers[] = {0, 1, 100, -1, 1e308};
  const uint8_t m = in->Byte();
  const double multiplier = m < 250 ? multipliers[m % 5] : in->Double();
  const int screen = in->Pick(3);
  const int rules = in->Pick(3);
  const int direction = in->Pick(3) - 1;
  const int run_length = in->Pick(13);
  const int fixes[] = {0, 0, 1, 2, 3, 12, static_cast<int>(n), -1};
  const int fix_after = fixes[in->Pick(8)];
  std::vector<unsigned char> rebase(n);
  for (unsigned char& r : rebase) r = in->Byte() % 8 == 0;
  std::vector<double> targets = in->Doubles((present & 2) ? n : 0);
  std::vector<double> denominators = in->Doubles((present & 4) ? n : 0);
  std::vector<double> numerators = in->Doubles(n);
  std::vector<double> value(n), centre(n), lower(n), upper(n), lower2(n),
      upper2(n);
  std::vector<int> sigma(n), cause(n), type(n), runs(n * VIGIL_SPC_RUNS_FIELDS);
  int icon = -1, assurance = -1, status = -1;
  char* error = nullptr;
  const bool out = present & 8;
  const int s = vigil_spc_chart_analyze(
      chart, numerators.data(), Optional(&denominators, present & 4), n,
      Optional(&rebase, present & 1), Optional(&targets, present & 2),
      multiplier, screen, rules, direction, run_length, fix_after,
      Optional(&value, out), Optional(&centre, present & 16),
      Optional(&lower, out), Optional(&upper, present & 32),
      Optional(&lower2, out), Optional(&upper2, present & 64),
      Optional(&sigma, out), Optional(&cause, present & 128),
      Optional(&type, out), Optional(&runs, present & 256),
      (present & 512) ? &icon : nullptr, out ? &assurance : nullptr,
      (present & 1024) ? &status : nullptr, &error);
  Check(s, &error);
  if (s != VIGIL_OK) return;
  FUZZ_CHECK(vigil_spc_chart_name(chart)[0] != '\0');
  if (present & 1024) {
    FUZZ_CHECK(vigil_spc_status_description(status)[0] != '\0');
  }
}

void Funnel(FuzzInput* in) {
  vigil_funnel_options* options = nullptr;
  FUZZ_CHECK(vigil_funnel_options_create(&options) == VIGIL_OK);
  char* error = nullptr;
  const int setters = in->Byte();
  if (setters & 1) {
    Check(vigil_funnel_options_set_type(options, in->Pick(5) - 1, &error),
          &error);
  }
  if (setters & 2) {
    Check(vigil_funnel_options_set_overdispersion(options, in->Pick(5) - 1,
                                                  &error),
          &error);
  }
  if (setters & 4) {
    Check(vigil_funnel_options_set_scale(options, in->Pick(6) - 1, &error),
          &error);
  }
  if (setters & 8) {
    Check(
        vigil_funnel_options_set_limit_method(options, in->Pick(5) - 1, &error),
        &error);
  }
  if (setters & 16) {
    Check(vigil_funnel_options_set_trim(options, in->Double(), &error), &error);
  }
  if (setters & 32) {
    Check(vigil_funnel_options_set_multiplier(options, in->Double(), &error),
          &error);
  }
  if (setters & 64) {
    Check(vigil_funnel_options_set_target(options, in->Double(), &error),
          &error);
  }
  if (setters & 128) {
    std::vector<double> coverages;
    const size_t k = in->Pick(11);
    for (size_t c = 0; c < k; ++c) {
      const uint8_t b = in->Byte();
      coverages.push_back(b < 250 ? (b + 1) / 252.0 : in->Double());
    }
    Check(vigil_funnel_options_set_coverages(
              options, k == 0 && in->Bool() ? nullptr : coverages.data(), k,
              &error),
          &error);
  }
  const size_t n = in->Byte();
  const uint8_t present = in->Byte();
  std::vector<double> numerators = in->Doubles(n);
  std::vector<double> denominators = in->Doubles(n);
  const size_t cells = n * VIGIL_FUNNEL_MAX_COVERAGES;
  std::vector<double> values(n), z(n), z_unadjusted(n), lower(cells),
      upper(cells);
  std::vector<int> status(n), flags(cells);
  vigil_funnel* funnel = nullptr;
  int s = vigil_funnel_fit(
      options, Optional(&numerators, !(present & 1) || n > 0),
      Optional(&denominators, !(present & 2) || n > 0), n,
      Optional(&values, present & 4), Optional(&z, present & 8),
      Optional(&z_unadjusted, present & 4), Optional(&status, present & 16),
      Optional(&lower, present & 32), Optional(&upper, present & 64),
      Optional(&flags, present & 128), (present & 1) ? nullptr : &funnel,
      &error);
  Check(s, &error);
  if (funnel != nullptr) {
    const size_t k = vigil_funnel_coverage_count(funnel);
    FUZZ_CHECK(k >= 1 && k <= VIGIL_FUNNEL_MAX_COVERAGES);
    FUZZ_CHECK(vigil_funnel_groups(funnel) > 0);
    double lo, hi;
    const double at = in->Double();
    s = vigil_funnel_limits_at(funnel, at, in->Pick(10), &lo, &hi, &error);
    Check(s, &error);
    const size_t points = in->Byte() % 64;
    std::vector<double> grid(points);
    const double lowest = in->Double();
    const double highest = in->Double();
    s = vigil_funnel_denominator_grid(lowest, highest, points, grid.data(),
                                      &error);
    Check(s, &error);
    if (s != VIGIL_OK) grid = in->Doubles(points);
    std::vector<double> curve_lower(points * k), curve_upper(points * k);
    s = vigil_funnel_curve(funnel, grid.data(), points, curve_lower.data(),
                           in->Bool() ? nullptr : curve_upper.data(), &error);
    Check(s, &error);
    FUZZ_CHECK(vigil_funnel_scale_name(vigil_funnel_scale(funnel))[0] != '\0');
  }
  vigil_funnel_destroy(funnel);
  vigil_funnel_options_destroy(options);
}

}  // namespace
}  // namespace fuzz
}  // namespace vigil

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vigil::fuzz::SilenceProtobufLogging();
  for (auto [pack, engine] :
       {std::make_pair(vigil::fuzz::FixturePackText(),
                       &vigil::fuzz::fixture_engine),
        std::make_pair(+vigil::fuzz::kSmallPack, &vigil::fuzz::small_engine)}) {
    char* error = nullptr;
    const int s = vigil_engine_create(pack, std::strlen(pack),
                                      VIGIL_FORMAT_TEXT, engine, &error);
    if (s != VIGIL_OK) std::fprintf(stderr, "%s\n", error);
    FUZZ_CHECK(s == VIGIL_OK);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (vigil::fuzz::fixture_engine == nullptr) {
    LLVMFuzzerInitialize(nullptr, nullptr);
  }
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 16777619u;
  vigil::fuzz::input_hash = hash;
  vigil::fuzz::FuzzInput in(data, size);
  switch (in.Pick(8)) {
    case 0:
      vigil::fuzz::EngineCreate(&in);
      break;
    case 1:
    case 2:
      vigil::fuzz::DatasetAddBytes(&in);
      break;
    case 3:
      vigil::fuzz::EvaluateBytes(&in);
      break;
    case 4:
      vigil::fuzz::AddArrays(&in);
      break;
    case 5:
      vigil::fuzz::SpcAnalyze(&in);
      break;
    case 6:
      vigil::fuzz::SpcChartAnalyze(&in);
      break;
    default:
      vigil::fuzz::Funnel(&in);
      break;
  }
  return 0;
}
