/* Back-test scores through the C API (issue 18): a hand-built timeline read
 * back from JSON and scored against outcomes given as arrays, as CSV bytes
 * and as a rule's first reds; the figures counted by hand (as in
 * tests/backtest_score_test.cc), every accessor, the three serializations,
 * the NHS example scored end to end; and every bad argument: a clear error
 * naming it, never a crash. Argument: the NHS example's folder. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/vigil.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* The call failed with `status` and a message holding `needle`. */
static void ExpectError(int got, int status, char** error, const char* needle) {
  if (got != status || *error == NULL || strstr(*error, needle) == NULL) {
    fprintf(stderr, "expected status %d with \"%s\", got %d: %s\n", status,
            needle, got, *error == NULL ? "(no message)" : *error);
    exit(1);
  }
  vigil_free(*error);
  *error = NULL;
}

/* 12 monthly as-of periods, 2019-01 to 2019-12; one letter per period:
 * R red, G green.
 *   P1 a: GGRRGGGGGGGG  b: RGGGGRRGGGGG   outcome 2019-07
 *   P2 a: GRGGGGGGGGGG  b: GGGGGGGGGRRG   no outcome
 *   P3 a: RGGGGGGGGGGG                    outcome 2019-01 (too early)
 *   P4 a: GGGGGGGGGGGG                    outcome 2019-11 */
static const char* const kLines[][3] = {
    {"P1", "a", "GGRRGGGGGGGG"}, {"P1", "b", "RGGGGRRGGGGG"},
    {"P2", "a", "GRGGGGGGGGGG"}, {"P2", "b", "GGGGGGGGGRRG"},
    {"P3", "a", "RGGGGGGGGGGG"}, {"P4", "a", "GGGGGGGGGGGG"}};

static vigil_timeline* HandTimeline(void) {
  static char json[8192];
  char* at = json;
  size_t i, m;
  vigil_timeline* t = NULL;
  at += sprintf(at, "{\"ruleset_id\":\"hand\",\"as_of\":[");
  for (m = 1; m <= 12; ++m) {
    at += sprintf(at, "%s\"2019-%02u\"", m > 1 ? "," : "", (unsigned)m);
  }
  at += sprintf(at, "],\"rules\":[");
  for (i = 0; i < sizeof(kLines) / sizeof(kLines[0]); ++i) {
    at += sprintf(at,
                  "%s{\"provider_id\":\"%s\",\"indicator_id\":\"AE\","
                  "\"rule_id\":\"%s\",\"ratings\":[",
                  i > 0 ? "," : "", kLines[i][0], kLines[i][1]);
    for (m = 0; m < 12; ++m) {
      at += sprintf(at, "%s\"%s\"", m > 0 ? "," : "",
                    kLines[i][2][m] == 'R' ? "RATING_RED" : "RATING_GREEN");
    }
    at += sprintf(at, "]}");
  }
  at += sprintf(at, "],\"providers\":[");
  for (i = 1; i <= 4; ++i) {
    at += sprintf(at, "%s{\"provider_id\":\"P%u\",\"escalation\":[",
                  i > 1 ? "," : "", (unsigned)i);
    for (m = 0; m < 12; ++m) {
      at += sprintf(at, "%s\"ESCALATION_LEVEL_ROUTINE\"", m > 0 ? "," : "");
    }
    at += sprintf(at, "]}");
  }
  at += sprintf(at, "]}");
  CHECK(vigil_timeline_parse(json, strlen(json), VIGIL_FORMAT_JSON, &t, NULL) ==
        VIGIL_OK);
  return t;
}

static char* Serialize(const vigil_backtest_summary* s, int format,
                       size_t* length) {
  char* bytes = NULL;
  CHECK(vigil_backtest_summary_serialize(s, format, &bytes, length, NULL) ==
        VIGIL_OK);
  CHECK(bytes != NULL && bytes[*length] == '\0');
  return bytes;
}

static vigil_backtest_options* Options(int warn_after, int horizon) {
  vigil_backtest_options* o = vigil_backtest_options_create();
  CHECK(o != NULL);
  CHECK(vigil_backtest_options_set_warn_after(o, warn_after, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_options_set_horizon(o, horizon, NULL) == VIGIL_OK);
  return o;
}

/* The hand-counted figures with warn_after 1, horizon 3. */
static const char kHandCsv[] =
    "ruleset_id,scope,rule_id,rule_name,providers_with_outcome,"
    "providers_warned_before,sensitivity,median_lead_periods,"
    "providers_warned,false_alarm_providers,warnings,false_alarms,"
    "pending_warnings\n"
    "hand,pack,,,2,1,0.5,4,3,2,6,2,1\n"
    "hand,rule,a,a,2,1,0.5,4,3,1,3,1,0\n"
    "hand,rule,b,b,2,1,0.5,1,2,1,3,1,1\n";

static void ExpectHandFigures(const vigil_backtest_summary* s) {
  size_t n = 0, i;
  char* csv;
  CHECK(strcmp(vigil_backtest_summary_ruleset_id(s), "hand") == 0);
  CHECK(strcmp(vigil_backtest_summary_from(s), "2019-01") == 0);
  CHECK(strcmp(vigil_backtest_summary_to(s), "2019-12") == 0);
  CHECK(strcmp(vigil_backtest_summary_outcomes_from(s), "2019-04") == 0);
  CHECK(vigil_backtest_summary_warn_after(s) == 1);
  CHECK(vigil_backtest_summary_horizon(s) == 3);
  CHECK(vigil_backtest_summary_provider_count(s) == 4);
  CHECK(vigil_backtest_summary_outcomes_used(s) == 3);
  CHECK(vigil_backtest_summary_score_count(s) == 3);
  /* The pack. */
  CHECK(strcmp(vigil_backtest_summary_score_rule_id(s, 0), "") == 0);
  CHECK(strcmp(vigil_backtest_summary_score_rule_name(s, 0), "") == 0);
  CHECK(vigil_backtest_summary_score_providers_with_outcome(s, 0) == 2);
  CHECK(vigil_backtest_summary_score_providers_warned_before(s, 0) == 1);
  CHECK(vigil_backtest_summary_score_sensitivity(s, 0) == 0.5);
  CHECK(vigil_backtest_summary_score_median_lead_periods(s, 0) == 4);
  CHECK(vigil_backtest_summary_score_providers_warned(s, 0) == 3);
  CHECK(vigil_backtest_summary_score_false_alarm_providers(s, 0) == 2);
  CHECK(vigil_backtest_summary_score_warnings(s, 0) == 6);
  CHECK(vigil_backtest_summary_score_false_alarms(s, 0) == 2);
  CHECK(vigil_backtest_summary_score_pending_warnings(s, 0) == 1);
  /* Rule a: P1 foreseen from 2019-03 (lead 4); P2 a false alarm. */
  CHECK(strcmp(vigil_backtest_summary_score_rule_id(s, 1), "a") == 0);
  CHECK(strcmp(vigil_backtest_summary_score_rule_name(s, 1), "a") == 0);
  CHECK(vigil_backtest_summary_score_false_alarm_providers(s, 1) == 1);
  CHECK(vigil_backtest_summary_score_pending_warnings(s, 1) == 0);
  /* Rule b: P2's warning from 2019-10 runs past the range: pending. */
  CHECK(vigil_backtest_summary_score_median_lead_periods(s, 2) == 1);
  CHECK(vigil_backtest_summary_score_pending_warnings(s, 2) == 1);
  /* 3 outcomes x (pack + 2 rules), 12 warnings, nothing unscored. */
  CHECK(vigil_backtest_summary_lead_count(s) == 9);
  CHECK(vigil_backtest_summary_warning_count(s) == 12);
  CHECK(vigil_backtest_summary_diagnostic_count(s) == 0);
  for (i = 0; i < vigil_backtest_summary_lead_count(s); ++i) {
    const char* provider = vigil_backtest_summary_lead_provider_id(s, i);
    const char* rule = vigil_backtest_summary_lead_rule_id(s, i);
    CHECK(strcmp(vigil_backtest_summary_lead_outcome(s, i), "inadequate") == 0);
    if (strcmp(provider, "P1") == 0 && strcmp(rule, "a") == 0) {
      CHECK(vigil_backtest_summary_lead_warned(s, i) == 1);
      CHECK(strcmp(vigil_backtest_summary_lead_warning_period(s, i),
                   "2019-03") == 0);
      CHECK(vigil_backtest_summary_lead_periods(s, i) == 4);
      CHECK(strcmp(vigil_backtest_summary_lead_outcome_period(s, i),
                   "2019-07") == 0);
    }
    if (strcmp(provider, "P3") == 0) {
      CHECK(vigil_backtest_summary_lead_too_early(s, i) == 1);
      CHECK(vigil_backtest_summary_lead_warned(s, i) == 0);
    }
    if (strcmp(provider, "P4") == 0) {
      CHECK(vigil_backtest_summary_lead_warned(s, i) == 0);
      CHECK(vigil_backtest_summary_lead_periods(s, i) == 0);
      CHECK(strcmp(vigil_backtest_summary_lead_warning_period(s, i), "") == 0);
    }
  }
  /* P2's rule-b warning: 2019-10 to 2019-11, pending. */
  n = 0;
  for (i = 0; i < vigil_backtest_summary_warning_count(s); ++i) {
    if (strcmp(vigil_backtest_summary_warning_provider_id(s, i), "P2") == 0 &&
        strcmp(vigil_backtest_summary_warning_rule_id(s, i), "b") == 0) {
      CHECK(strcmp(vigil_backtest_summary_warning_start(s, i), "2019-10") == 0);
      CHECK(strcmp(vigil_backtest_summary_warning_end(s, i), "2019-11") == 0);
      CHECK(vigil_backtest_summary_warning_verdict(s, i) ==
            VIGIL_WARNING_PENDING);
      CHECK(strcmp(vigil_enum_name("Warning.Verdict", VIGIL_WARNING_PENDING),
                   "pending") == 0);
      ++n;
    }
  }
  CHECK(n == 1);
  csv = Serialize(s, VIGIL_FORMAT_CSV, &n);
  if (strcmp(csv, kHandCsv) != 0) {
    fprintf(stderr, "CSV:\n%s\nexpected:\n%s", csv, kHandCsv);
    exit(1);
  }
  vigil_free(csv);
}

static void TestHandCountedFromArraysAndCsv(void) {
  static const char* const providers[] = {"P1", "P3", "P4"};
  static const char* const periods[] = {"2019-07", "2019-01", "2019-11-15"};
  static const char* const labels[] = {"inadequate", "inadequate",
                                       "inadequate"};
  static const char kCsv[] =
      "period,outcome,provider_id,note\n"
      "2019-07,inadequate,P1,x\n"
      "2019-01,inadequate,P3,\n"
      "\n"
      "2019-11-01,inadequate,P4,\n";
  vigil_timeline* t = HandTimeline();
  vigil_outcomes* arrays = NULL;
  vigil_outcomes* csv = NULL;
  vigil_backtest_options* options = Options(1, 3);
  vigil_backtest_summary* s = NULL;
  size_t n = 0;
  char* bytes;
  CHECK(vigil_outcomes_create(&arrays) == VIGIL_OK);
  CHECK(vigil_outcomes_add(arrays, 3, providers, periods, labels, NULL, NULL) ==
        VIGIL_OK);
  CHECK(vigil_outcomes_count(arrays) == 3);
  CHECK(vigil_timeline_score(t, arrays, options, &s, NULL) == VIGIL_OK);
  ExpectHandFigures(s);
  CHECK(strcmp(vigil_backtest_summary_outcome_source(s), "outcomes") == 0);
  bytes = Serialize(s, VIGIL_FORMAT_JSON, &n);
  CHECK(strstr(bytes, "\"outcomes_from\": \"2019-04\"") != NULL);
  CHECK(strstr(bytes, "\"pending_warnings\": 0") != NULL); /* Zeros too. */
  vigil_free(bytes);
  bytes = Serialize(s, VIGIL_FORMAT_BINARY, &n);
  CHECK(n > 100);
  vigil_free(bytes);
  vigil_backtest_summary_destroy(s);

  CHECK(vigil_outcomes_create(&csv) == VIGIL_OK);
  CHECK(vigil_outcomes_add_csv(csv, kCsv, strlen(kCsv), "events.csv", NULL) ==
        VIGIL_OK);
  CHECK(vigil_outcomes_count(csv) == 3);
  CHECK(vigil_timeline_score(t, csv, options, &s, NULL) == VIGIL_OK);
  ExpectHandFigures(s);
  CHECK(strcmp(vigil_backtest_summary_outcome_source(s), "events.csv") == 0);
  vigil_backtest_summary_destroy(s);

  /* Rows that cannot be scored are diagnostics naming source and line:
   * an unknown provider, one after the range, a repeat. */
  {
    static const char kMore[] =
        "provider_id,period,outcome\n"
        "P9,2019-05,inadequate\n"
        "P1,2020-02,inadequate\n"
        "P1,2019-07,inadequate\n";
    size_t i;
    CHECK(vigil_outcomes_add_csv(csv, kMore, strlen(kMore), "more.csv", NULL) ==
          VIGIL_OK);
    CHECK(vigil_timeline_score(t, csv, options, &s, NULL) == VIGIL_OK);
    CHECK(vigil_backtest_summary_outcomes_used(s) == 3);
    CHECK(vigil_backtest_summary_diagnostic_count(s) == 3);
    for (i = 0; i < 3; ++i) {
      CHECK(strcmp(vigil_backtest_summary_diagnostic_source(s, i),
                   "more.csv") == 0);
      CHECK(vigil_backtest_summary_diagnostic_row(s, i) == (long long)i + 2);
      CHECK(vigil_backtest_summary_diagnostic_severity(s, i) != 0);
      CHECK(vigil_backtest_summary_diagnostic_code(s, i) != 0);
      CHECK(strstr(vigil_backtest_summary_diagnostic_message(s, i),
                   "more.csv line") != NULL);
    }
    CHECK(strcmp(vigil_backtest_summary_diagnostic_field(s, 0),
                 "provider_id") == 0);
    CHECK(strcmp(vigil_backtest_summary_outcome_source(s),
                 "events.csv, more.csv") == 0);
    vigil_backtest_summary_destroy(s);
  }

  /* No outcomes at all: warnings and false alarms only. */
  CHECK(vigil_timeline_score(t, NULL, options, &s, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_summary_score_false_alarms(s, 0) == 5);
  CHECK(vigil_backtest_summary_score_pending_warnings(s, 0) == 1);
  CHECK(isnan(vigil_backtest_summary_score_sensitivity(s, 0)));
  CHECK(isnan(vigil_backtest_summary_score_median_lead_periods(s, 0)));
  vigil_backtest_summary_destroy(s);

  /* Defaults (NULL options): warn_after 1, horizon 12. */
  CHECK(vigil_timeline_score(t, arrays, NULL, &s, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_summary_warn_after(s) == 1);
  CHECK(vigil_backtest_summary_horizon(s) == 12);
  CHECK(strcmp(vigil_backtest_summary_outcomes_from(s), "") == 0);
  vigil_backtest_summary_destroy(s);

  /* warn_after 2 (as BacktestScoreTest.WarnAfterTwo...). */
  vigil_backtest_options_destroy(options);
  options = Options(2, 3);
  CHECK(vigil_timeline_score(t, arrays, options, &s, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_summary_score_providers_warned(s, 1) == 1);
  CHECK(vigil_backtest_summary_score_median_lead_periods(s, 1) == 3);
  CHECK(vigil_backtest_summary_score_sensitivity(s, 2) == 0);
  CHECK(isnan(vigil_backtest_summary_score_median_lead_periods(s, 2)));
  vigil_backtest_summary_destroy(s);

  /* outcomes_from moves the first scored outcome; excluding a rule drops
   * it from the scores and the pack. */
  CHECK(vigil_backtest_options_set_outcomes_from(options, "2019-01", NULL) ==
        VIGIL_OK);
  CHECK(vigil_backtest_options_exclude_rule(options, "b", NULL) == VIGIL_OK);
  CHECK(vigil_backtest_options_set_outcome_source(options, "CQC ratings",
                                                  NULL) == VIGIL_OK);
  CHECK(vigil_timeline_score(t, arrays, options, &s, NULL) == VIGIL_OK);
  CHECK(strcmp(vigil_backtest_summary_outcomes_from(s), "2019-01") == 0);
  CHECK(strcmp(vigil_backtest_summary_outcome_source(s), "CQC ratings") == 0);
  CHECK(vigil_backtest_summary_score_count(s) == 2);
  CHECK(vigil_backtest_summary_score_providers_with_outcome(s, 0) == 3);
  vigil_backtest_summary_destroy(s);

  vigil_backtest_options_destroy(options);
  vigil_outcomes_destroy(arrays);
  vigil_outcomes_destroy(csv);
  vigil_timeline_destroy(t);
}

static void TestOutcomeFromRule(void) {
  vigil_timeline* t = HandTimeline();
  vigil_outcomes* o = NULL;
  vigil_backtest_summary* s = NULL;
  size_t i;
  CHECK(vigil_outcomes_create(&o) == VIGIL_OK);
  /* Rule b's first reds: P1 2019-01 and 2019-06, P2 2019-10. */
  CHECK(vigil_outcomes_add_from_rule(o, t, "b", NULL, NULL) == VIGIL_OK);
  CHECK(vigil_outcomes_count(o) == 3);
  CHECK(vigil_timeline_score(t, o, NULL, &s, NULL) == VIGIL_OK);
  /* b defines the outcome: only the pack and rule a are scored. */
  CHECK(vigil_backtest_summary_score_count(s) == 2);
  CHECK(strcmp(vigil_backtest_summary_score_rule_id(s, 1), "a") == 0);
  CHECK(strcmp(vigil_backtest_summary_outcome_source(s), "\"b\" (rule b)") ==
        0);
  for (i = 0; i < vigil_backtest_summary_lead_count(s); ++i) {
    CHECK(strcmp(vigil_backtest_summary_lead_outcome(s, i), "b") == 0);
  }
  vigil_backtest_summary_destroy(s);
  vigil_outcomes_destroy(o);
  vigil_timeline_destroy(t);
}

/* The NHS example, scored against its outcome rule: the CLI's figures are
 * checked against the same data by the Python suite; here, the rule names
 * come from the pack and the pack's row is sane. */
static void TestNhsExample(const char* dir) {
  char path[4096];
  vigil_engine* engine = NULL;
  vigil_engine* outcome_engine = NULL;
  vigil_dataset* data = NULL;
  vigil_timeline* t = NULL;
  vigil_timeline* defining = NULL;
  vigil_outcomes* o = NULL;
  vigil_backtest_summary* s = NULL;
  char* error = NULL;
  size_t i, n = 0;
  char* csv;
  snprintf(path, sizeof(path), "%s/rules.textproto", dir);
  CHECK(vigil_engine_create_from_file(path, &engine, NULL) == VIGIL_OK);
  snprintf(path, sizeof(path), "%s/outcome_rules.textproto", dir);
  CHECK(vigil_engine_create_from_file(path, &outcome_engine, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  snprintf(path, sizeof(path), "%s/providers.csv", dir);
  CHECK(vigil_dataset_add_file(data, path, VIGIL_KIND_PROVIDERS, NULL) ==
        VIGIL_OK);
  snprintf(path, sizeof(path), "%s/indicators.csv", dir);
  CHECK(vigil_dataset_add_file(data, path, VIGIL_KIND_INDICATORS, NULL) ==
        VIGIL_OK);
  snprintf(path, sizeof(path), "%s/observations.csv", dir);
  CHECK(vigil_dataset_add_file(data, path, VIGIL_KIND_OBSERVATIONS, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_backtest(engine, data, "2016-04", "2019-03", NULL, &t,
                              &error) == VIGIL_OK);
  CHECK(vigil_engine_backtest(outcome_engine, data, "2016-04", "2019-03", NULL,
                              &defining, NULL) == VIGIL_OK);
  CHECK(vigil_outcomes_create(&o) == VIGIL_OK);
  /* The rule is not in the scored pack: its timeline is another's. */
  ExpectError(
      vigil_outcomes_add_from_rule(o, t, "ae_4hr_below_80_3m", NULL, &error),
      VIGIL_INVALID_ARGUMENT, &error, "ae_4hr_below_80_3m");
  CHECK(vigil_outcomes_add_from_rule(o, defining, "ae_4hr_below_80_3m", NULL,
                                     NULL) == VIGIL_OK);
  CHECK(vigil_outcomes_count(o) > 5);
  CHECK(vigil_timeline_score(t, o, NULL, &s, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_summary_provider_count(s) == 140);
  CHECK(vigil_backtest_summary_score_count(s) > 5);
  CHECK(vigil_backtest_summary_score_providers_with_outcome(s, 0) > 0);
  CHECK(vigil_backtest_summary_diagnostic_count(s) == 0);
  for (i = 1; i < vigil_backtest_summary_score_count(s); ++i) {
    /* Names from the pack (every rule of the example has one). */
    CHECK(strcmp(vigil_backtest_summary_score_rule_name(s, i),
                 vigil_backtest_summary_score_rule_id(s, i)) != 0);
  }
  csv = Serialize(s, VIGIL_FORMAT_CSV, &n);
  CHECK(strncmp(csv, "ruleset_id,scope,", 17) == 0);
  vigil_free(csv);
  vigil_backtest_summary_destroy(s);
  vigil_outcomes_destroy(o);
  vigil_timeline_destroy(defining);
  vigil_timeline_destroy(t);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(outcome_engine);
  vigil_engine_destroy(engine);
}

static void TestBadArguments(void) {
  static const char* const good[] = {"P1"};
  static const char* const null_entry[] = {NULL};
  static const char* const empty[] = {" "};
  static const char* const bad_period[] = {"2019-13"};
  vigil_timeline* t = HandTimeline();
  vigil_outcomes* o = NULL;
  vigil_backtest_options* options = Options(1, 3);
  vigil_backtest_summary* s = NULL;
  char* error = NULL;
  char* bytes = (char*)1;
  size_t length = 7;

  CHECK(vigil_outcomes_create(NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_outcomes_create(&o) == VIGIL_OK);
  vigil_outcomes_destroy(NULL);
  vigil_backtest_options_destroy(NULL);
  vigil_backtest_summary_destroy(NULL);

  ExpectError(vigil_outcomes_add_csv(NULL, "x", 1, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "outcomes is NULL");
  ExpectError(vigil_outcomes_add_csv(o, NULL, 1, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "text is NULL");
  ExpectError(vigil_outcomes_add_csv(o, NULL, 0, "empty.csv", &error),
              VIGIL_INVALID_ARGUMENT, &error, "empty.csv");
  ExpectError(vigil_outcomes_add_csv(o, "provider_id,period\nP1,2019-01\n", 29,
                                     NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "outcome");
  ExpectError(vigil_outcomes_add_csv(o, "provider_id,period,outcome\nP1,,x\n",
                                     32, "o.csv", &error),
              VIGIL_INVALID_ARGUMENT, &error, "o.csv line 2, field period");
  ExpectError(vigil_outcomes_add_file(o, NULL, &error), VIGIL_INVALID_ARGUMENT,
              &error, "path is NULL");
  ExpectError(vigil_outcomes_add_file(o, "/no/such/outcomes.csv", &error),
              VIGIL_NOT_FOUND, &error, "/no/such/outcomes.csv");
  ExpectError(vigil_outcomes_add(NULL, 1, good, good, good, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "outcomes is NULL");
  ExpectError(vigil_outcomes_add(o, 1, NULL, good, good, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "provider_ids is NULL");
  ExpectError(vigil_outcomes_add(o, 1, good, NULL, good, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "periods is NULL");
  ExpectError(vigil_outcomes_add(o, 1, good, good, NULL, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "labels is NULL");
  ExpectError(vigil_outcomes_add(o, 1, null_entry, good, good, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "provider_ids[0] is NULL");
  ExpectError(vigil_outcomes_add(o, 1, good, good, empty, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "labels[0] is empty");
  ExpectError(vigil_outcomes_add(o, 1, good, bad_period, good, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "periods[0]");
  CHECK(vigil_outcomes_add(o, 0, NULL, NULL, NULL, NULL, NULL) == VIGIL_OK);
  ExpectError(vigil_outcomes_add_from_rule(o, NULL, "a", NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "timeline is NULL");
  ExpectError(vigil_outcomes_add_from_rule(o, t, NULL, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "rule_id");
  ExpectError(vigil_outcomes_add_from_rule(o, t, "zz", NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "'zz'");
  CHECK(vigil_outcomes_count(o) == 0); /* Nothing added by a failure. */
  CHECK(vigil_outcomes_count(NULL) == 0);

  ExpectError(vigil_backtest_options_set_warn_after(NULL, 1, &error),
              VIGIL_INVALID_ARGUMENT, &error, "options is NULL");
  ExpectError(vigil_backtest_options_set_warn_after(options, 0, &error),
              VIGIL_INVALID_ARGUMENT, &error, "warn_after");
  ExpectError(vigil_backtest_options_set_horizon(options, 10001, &error),
              VIGIL_INVALID_ARGUMENT, &error, "horizon");
  ExpectError(vigil_backtest_options_set_outcomes_from(options, "soon", &error),
              VIGIL_INVALID_ARGUMENT, &error, "outcomes_from");
  ExpectError(vigil_backtest_options_exclude_rule(options, "", &error),
              VIGIL_INVALID_ARGUMENT, &error, "rule_id");
  ExpectError(vigil_backtest_options_set_outcome_source(NULL, "x", &error),
              VIGIL_INVALID_ARGUMENT, &error, "options is NULL");
  /* The refused values left the options as they were. */
  CHECK(vigil_timeline_score(t, o, options, &s, NULL) == VIGIL_OK);
  CHECK(vigil_backtest_summary_horizon(s) == 3);
  vigil_backtest_summary_destroy(s);

  ExpectError(vigil_timeline_score(t, o, options, NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "out is NULL");
  s = (vigil_backtest_summary*)1;
  ExpectError(vigil_timeline_score(NULL, o, options, &s, &error),
              VIGIL_INVALID_ARGUMENT, &error, "timeline is NULL");
  CHECK(s == NULL);
  CHECK(vigil_backtest_options_set_outcomes_from(options, "2018-06", NULL) ==
        VIGIL_OK);
  ExpectError(vigil_timeline_score(t, o, options, &s, &error),
              VIGIL_INVALID_ARGUMENT, &error, "outcomes_from '2018-06'");
  CHECK(s == NULL);
  CHECK(vigil_backtest_options_set_outcomes_from(options, NULL, NULL) ==
        VIGIL_OK);

  CHECK(vigil_timeline_score(t, o, options, &s, NULL) == VIGIL_OK);
  ExpectError(vigil_backtest_summary_serialize(s, VIGIL_FORMAT_HTML, &bytes,
                                               &length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "format");
  CHECK(bytes == NULL && length == 0);
  ExpectError(vigil_backtest_summary_serialize(NULL, VIGIL_FORMAT_CSV, &bytes,
                                               &length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "summary is NULL");
  ExpectError(vigil_backtest_summary_serialize(s, VIGIL_FORMAT_CSV, NULL,
                                               &length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "bytes and length");
  /* Accessors: NULL summary or index out of range. */
  CHECK(vigil_backtest_summary_ruleset_id(NULL) == NULL);
  CHECK(vigil_backtest_summary_horizon(NULL) == 0);
  CHECK(vigil_backtest_summary_score_count(NULL) == 0);
  CHECK(vigil_backtest_summary_score_rule_id(s, 99) == NULL);
  CHECK(vigil_backtest_summary_score_rule_name(NULL, 0) == NULL);
  CHECK(vigil_backtest_summary_score_warnings(s, 99) == 0);
  CHECK(isnan(vigil_backtest_summary_score_sensitivity(s, 99)));
  CHECK(vigil_backtest_summary_lead_provider_id(s, 0) == NULL);
  CHECK(vigil_backtest_summary_lead_periods(NULL, 0) == 0);
  CHECK(vigil_backtest_summary_warning_start(s, 99) == NULL);
  CHECK(vigil_backtest_summary_warning_verdict(s, 99) == 0);
  CHECK(vigil_backtest_summary_diagnostic_message(s, 0) == NULL);
  CHECK(vigil_backtest_summary_diagnostic_row(NULL, 0) == 0);
  vigil_backtest_summary_destroy(s);

  vigil_backtest_options_destroy(options);
  vigil_outcomes_destroy(o);
  vigil_timeline_destroy(t);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s EXAMPLE_DIR\n", argv[0]);
    return 2;
  }
  TestHandCountedFromArraysAndCsv();
  TestOutcomeFromRule();
  TestBadArguments();
  TestNhsExample(argv[1]);
  printf("c_api_backtest_score_test: OK\n");
  return 0;
}
