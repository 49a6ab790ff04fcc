/* The C API, tested from C99: every function, every error path and the
 * no-protobuf path. Usage: c_api_test EXAMPLE_DIR */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/vigil.h"

static int passed = 0;
static int failed = 0;
static const char* example_dir = ".";

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++passed;                                                                \
    } else {                                                                   \
      ++failed;                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

static char* path_of(const char* name) {
  static char buffer[4096];
  snprintf(buffer, sizeof(buffer), "%s/%s", example_dir, name);
  return buffer;
}

static const char kPack[] =
    "id: 'p' version: '7'\n"
    "rules { id: 'ae' selector { indicator_ids: 'AE' }\n"
    "        threshold { standard: 95 red_threshold: 90 } }\n"
    "rules { id: 'dq' selector { all_indicators: true } data_quality {} }\n";

static vigil_engine* make_engine(void) {
  vigil_engine* engine = NULL;
  char* error = NULL;
  int rc = vigil_engine_create(kPack, strlen(kPack), VIGIL_FORMAT_TEXT, &engine,
                               &error);
  CHECK(rc == VIGIL_OK);
  CHECK(error == NULL);
  return engine;
}

static void test_versions_and_status_names(void) {
  char text[32];
  snprintf(text, sizeof(text), "%d.%d.%d", VIGIL_VERSION_MAJOR,
           VIGIL_VERSION_MINOR, VIGIL_VERSION_PATCH);
  CHECK(strcmp(vigil_version(), VIGIL_VERSION_STRING) == 0);
  CHECK(strcmp(VIGIL_VERSION_STRING, text) == 0);
  CHECK(vigil_version_number() == VIGIL_VERSION_NUMBER);
  CHECK(VIGIL_VERSION_NUMBER == VIGIL_VERSION_MAJOR * 10000 +
                                    VIGIL_VERSION_MINOR * 100 +
                                    VIGIL_VERSION_PATCH);
  CHECK(strcmp(vigil_status_name(VIGIL_OK), "OK") == 0);
  CHECK(strcmp(vigil_status_name(VIGIL_INVALID_ARGUMENT), "INVALID_ARGUMENT") ==
        0);
  CHECK(strcmp(vigil_status_name(VIGIL_UNAUTHENTICATED), "UNAUTHENTICATED") ==
        0);
  CHECK(strcmp(vigil_status_name(99), "UNKNOWN_CODE") == 0);
  CHECK(strcmp(vigil_status_name(-1), "UNKNOWN_CODE") == 0);
  CHECK(strcmp(vigil_rating_name(VIGIL_RATING_NO_DATA), "no_data") == 0);
  CHECK(strcmp(vigil_rating_name(VIGIL_RATING_NOT_APPLICABLE),
               "not_applicable") == 0);
  CHECK(strcmp(vigil_rating_name(42), "") == 0);
  CHECK(strcmp(vigil_rating_name(0), "") == 0);
  CHECK(strcmp(vigil_escalation_name(VIGIL_ESCALATION_ENHANCED_SURVEILLANCE),
               "enhanced_surveillance") == 0);
  CHECK(strcmp(vigil_escalation_name(0), "") == 0);
  CHECK(strcmp(vigil_enum_name("Domain", 5), "well_led") == 0);
  CHECK(strcmp(vigil_enum_name("Travel", 0), "unspecified") == 0);
  CHECK(strcmp(vigil_enum_name("DiagnosticCode", 3), "unknown_provider") == 0);
  CHECK(strcmp(vigil_enum_name("DiagnosticSeverity", VIGIL_DIAGNOSTIC_ERROR),
               "error") == 0);
  CHECK(strcmp(vigil_enum_name("PeerRule.Method", 2), "ratio") == 0);
  CHECK(strcmp(vigil_enum_name("Rating", 42), "") == 0);
  CHECK(strcmp(vigil_enum_name("NoSuchEnum", 1), "") == 0);
  CHECK(strcmp(vigil_enum_name(NULL, 1), "") == 0);
  vigil_free(NULL);
}

static void test_engine_errors(void) {
  vigil_engine* engine = (vigil_engine*)1;
  char* error = NULL;
  CHECK(vigil_engine_create(kPack, strlen(kPack), VIGIL_FORMAT_TEXT, NULL,
                            &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "out is NULL") != NULL);
  vigil_free(error);
  CHECK(vigil_engine_create(NULL, 5, VIGIL_FORMAT_TEXT, &engine, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(engine == NULL);
  CHECK(vigil_engine_create(kPack, strlen(kPack), 77, &engine, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "format") != NULL);
  vigil_free(error);
  /* Bad bytes in each format. */
  CHECK(vigil_engine_create("\xff\xff\xff", 3, VIGIL_FORMAT_BINARY, &engine,
                            &error) == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_engine_create("{nope", 5, VIGIL_FORMAT_JSON, &engine, &error) ==
        VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_engine_create("rules {", 7, VIGIL_FORMAT_TEXT, &engine, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "line 1") != NULL);
  vigil_free(error);
  /* A mistake in the pack names the rule and field. */
  {
    const char bad[] =
        "id: 'p' rules { id: 'm' selector { all_indicators: true } "
        "threshold { standard: 1 statistic: STATISTIC_MEAN } }";
    CHECK(vigil_engine_create(bad, strlen(bad), VIGIL_FORMAT_TEXT, &engine,
                              &error) == VIGIL_INVALID_ARGUMENT);
    CHECK(strstr(error, "rule 'm' (rules[0]): threshold.window_periods") !=
          NULL);
    vigil_free(error);
  }
  {
    /* Every rule kind in the schema is built in, so UNIMPLEMENTED cannot be
       reached from here; a bad CQUIN weight is refused like any mistake. */
    const char milestone[] =
        "id: 'p' rules { id: 'f' selector { all_indicators: true } "
        "milestone { weight: -1 } }";
    CHECK(vigil_engine_create(milestone, strlen(milestone), VIGIL_FORMAT_TEXT,
                              &engine, &error) == VIGIL_INVALID_ARGUMENT);
    CHECK(strstr(error, "rule 'f' (rules[0]): milestone.weight") != NULL);
    vigil_free(error);
  }
  CHECK(vigil_engine_create_from_file("/nonexistent/rules.textproto", &engine,
                                      &error) == VIGIL_NOT_FOUND);
  CHECK(strstr(error, "/nonexistent/rules.textproto") != NULL);
  vigil_free(error);
  CHECK(vigil_engine_create_from_file(NULL, &engine, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_engine_create_from_file("x", NULL, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  vigil_engine_destroy(NULL);
}

static void test_no_protobuf_path(void) {
  vigil_engine* engine = make_engine();
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  const char* providers[] = {"RRK", "RRK", "RXQ", "ZZZ"};
  const char* indicators[] = {"AE", "AE", "AE", "AE"};
  const char* periods[] = {"2019-02", "2019-03", "2019-03", "2019-03"};
  const double numerators[] = {900, 800, 960, 1};
  const double denominators[] = {1000, 1000, 1000, 2};
  double value = 0;
  size_t i;
  int found_red = 0;
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_dataset_add_provider(data, "RRK", "Birmingham", "acute",
                                   &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_provider(data, "RXQ", NULL, NULL, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_provider(data, "BAD", "x", "spaceship", &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "type: 'spaceship' is not one of") != NULL);
  vigil_free(error);
  CHECK(vigil_dataset_add_indicator(data, "AE", "A&E 4-hour", "responsive",
                                    "percentage", "higher_is_better", "monthly",
                                    0, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_indicator(data, "X", NULL, NULL, NULL, "upwards",
                                    NULL, 0, &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "polarity") != NULL);
  vigil_free(error);
  CHECK(vigil_dataset_add_indicator(data, "X", NULL, NULL, NULL, NULL, NULL, -1,
                                    &error) == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_dataset_add_observations(data, 4, providers, indicators, periods,
                                       NULL, numerators, denominators,
                                       &error) == VIGIL_OK);
  /* A bad row is not an error here: it becomes a diagnostic. */
  CHECK(vigil_dataset_add_observation(data, "RXQ", "AE", "March", 50,
                                      VIGIL_NONE, VIGIL_NONE,
                                      NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_observation(data, NULL, "AE", "2019-03", 1, 1, 1,
                                      &error) == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_engine_evaluate(engine, data, "2019-03", 1, &report, &error) ==
        VIGIL_OK);
  CHECK(error == NULL);
  CHECK(strcmp(vigil_report_as_of(report), "2019-03") == 0);
  CHECK(strcmp(vigil_report_ruleset_id(report), "p") == 0);
  CHECK(vigil_report_assessment_count(report) == 4); /* RRK, RXQ x ae, dq */
  for (i = 0; i < vigil_report_assessment_count(report); ++i) {
    if (strcmp(vigil_report_assessment_provider_id(report, i), "RRK") == 0 &&
        strcmp(vigil_report_assessment_rule_id(report, i), "ae") == 0) {
      CHECK(vigil_report_assessment_rating(report, i) == VIGIL_RATING_RED);
      CHECK(vigil_report_assessment_rule_name(report, i) != NULL);
      CHECK(vigil_report_assessment_value(report, i, &value) == 1);
      CHECK(fabs(value - 80.0) < 1e-9);
      CHECK(vigil_report_assessment_standard(report, i, &value) == 1 &&
            value == 95);
      CHECK(vigil_report_assessment_red_threshold(report, i, &value) == 1 &&
            value == 90);
      CHECK(strcmp(vigil_report_assessment_period(report, i), "2019-03") == 0);
      CHECK(strcmp(vigil_report_assessment_data_period(report, i), "2019-03") ==
            0);
      CHECK(strstr(vigil_report_assessment_reason(report, i),
                   "80% in Mar 2019 against the 95% standard") != NULL);
      /* A red's signal: what the escalation reason names it by. */
      CHECK(strcmp(vigil_report_assessment_signal(report, i),
                   "80% in Mar 2019 against the 95% standard (red below "
                   "90%)") == 0);
      CHECK(vigil_report_assessment_severity(report, i) == 2);
      CHECK(vigil_report_assessment_domain(report, i) == 4);
      CHECK(vigil_report_assessment_travel(report, i) == 0);
      CHECK(vigil_report_assessment_consecutive_periods(report, i) == 1);
      found_red = 1;
    }
  }
  CHECK(found_red);
  CHECK(vigil_report_provider_count(report) == 2);
  CHECK(strcmp(vigil_report_provider_id(report, 0), "RRK") == 0);
  CHECK(strcmp(vigil_report_provider_name(report, 0), "Birmingham") == 0);
  CHECK(vigil_report_provider_worst_rating(report, 0) == VIGIL_RATING_RED);
  CHECK(vigil_report_provider_escalation(report, 0) ==
        VIGIL_ESCALATION_ENHANCED_SURVEILLANCE);
  CHECK(strstr(vigil_report_provider_escalation_reason(report, 0), "red") !=
        NULL);
  CHECK(vigil_report_provider_rating_count(report, 0, VIGIL_RATING_RED) == 1);
  CHECK(vigil_report_provider_rating_count(report, 0, VIGIL_RATING_GREEN) == 1);
  CHECK(vigil_report_provider_rating_count(report, 0, 99) == 0);
  /* Diagnostics: the unknown provider ZZZ (row 4) and the bad period (row 5).
   */
  CHECK(vigil_report_diagnostic_count(report) == 2);
  CHECK(vigil_report_diagnostic_severity(report, 0) == VIGIL_DIAGNOSTIC_ERROR);
  CHECK(vigil_report_diagnostic_row(report, 0) == 4);
  CHECK(vigil_report_diagnostic_code(report, 0) == 3); /* UNKNOWN_PROVIDER */
  CHECK(strcmp(vigil_enum_name("DiagnosticCode",
                               vigil_report_diagnostic_code(report, 0)),
               "unknown_provider") == 0);
  CHECK(strcmp(vigil_report_diagnostic_source(report, 0), "observations") == 0);
  CHECK(strstr(vigil_report_diagnostic_message(report, 1), "\"March\"") !=
        NULL);
  /* Out of range and NULL: sentinels, never a crash. */
  CHECK(vigil_report_assessment_provider_id(report, 999) == NULL);
  CHECK(vigil_report_assessment_rule_name(report, 999) == NULL);
  CHECK(vigil_report_assessment_rule_name(NULL, 0) == NULL);
  CHECK(vigil_report_assessment_rating(report, 999) == 0);
  CHECK(vigil_report_assessment_value(report, 999, &value) == 0);
  CHECK(vigil_report_provider_id(report, 999) == NULL);
  CHECK(vigil_report_diagnostic_message(report, 999) == NULL);
  CHECK(vigil_report_diagnostic_row(NULL, 0) == 0);
  CHECK(vigil_report_assessment_count(NULL) == 0);
  CHECK(vigil_report_as_of(NULL) == NULL);
  /* Evaluated datasets are frozen; evaluating again reuses the index. */
  CHECK(vigil_dataset_add_observation(data, "RRK", "AE", "2019-04", 1,
                                      VIGIL_NONE, VIGIL_NONE,
                                      &error) == VIGIL_FAILED_PRECONDITION);
  vigil_free(error);
  {
    vigil_report* again = NULL;
    CHECK(vigil_engine_evaluate(engine, data, "2019-02", 2, &again, NULL) ==
          VIGIL_OK);
    CHECK(strcmp(vigil_report_as_of(again), "2019-02") == 0);
    vigil_report_destroy(again);
  }
  vigil_report_destroy(report);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
}

static void test_evaluate_errors_and_serialize(void) {
  vigil_engine* engine = make_engine();
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* bytes = NULL;
  size_t length = 0;
  char* error = NULL;
  CHECK(vigil_dataset_create(NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_engine_evaluate(NULL, data, NULL, 1, &report, &error) ==
        VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_engine_evaluate(engine, NULL, NULL, 1, &report, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_engine_evaluate(engine, data, NULL, 1, NULL, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  /* No data and no as-of: an error naming as_of. */
  CHECK(vigil_engine_evaluate(engine, data, NULL, 1, &report, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "as_of") != NULL);
  vigil_free(error);
  CHECK(vigil_engine_evaluate(engine, data, "March", 1, &report, &error) ==
        VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  vigil_dataset_destroy(data);
  /* One shot from Dataset bytes. */
  {
    const char dataset[] =
        "{\"indicators\": [{\"id\": \"AE\", \"unit\": \"UNIT_PERCENTAGE\", "
        "\"polarity\": \"POLARITY_HIGHER_IS_BETTER\"}], \"observations\": "
        "[{\"provider_id\": \"P1\", \"indicator_id\": \"AE\", \"period\": "
        "\"2019-03\", \"value\": 97}]}";
    CHECK(vigil_engine_evaluate_bytes(engine, dataset, strlen(dataset),
                                      VIGIL_FORMAT_JSON, "", &report,
                                      &error) == VIGIL_OK);
    CHECK(vigil_report_assessment_rating(report, 0) == VIGIL_RATING_GREEN);
    {
      vigil_report* none = (vigil_report*)1;
      CHECK(vigil_engine_evaluate_bytes(engine, "{x", 2, VIGIL_FORMAT_JSON, "",
                                        &none,
                                        &error) == VIGIL_INVALID_ARGUMENT);
      CHECK(none == NULL);
      vigil_free(error);
    }
  }
  CHECK(vigil_report_serialize(report, VIGIL_FORMAT_JSON, &bytes, &length,
                               &error) == VIGIL_OK);
  CHECK(length == strlen(bytes));
  CHECK(strstr(bytes, "\"ruleset_id\":\"p\"") != NULL);
  vigil_free(bytes);
  CHECK(vigil_report_serialize(report, VIGIL_FORMAT_BINARY, &bytes, &length,
                               &error) == VIGIL_OK);
  CHECK(length > 10);
  vigil_free(bytes);
  CHECK(vigil_report_serialize(report, VIGIL_FORMAT_TEXT, &bytes, &length,
                               &error) == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_report_serialize(NULL, VIGIL_FORMAT_JSON, &bytes, &length,
                               NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_report_serialize(report, VIGIL_FORMAT_JSON, NULL, &length,
                               NULL) == VIGIL_INVALID_ARGUMENT);
  vigil_report_destroy(report);
  vigil_report_destroy(NULL);
  vigil_engine_destroy(engine);
}

static void test_files_and_bytes(void) {
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  const char csv[] =
      "provider_id,indicator_id,period,value\nRRK,AE_4HR_T1,2019-03,x\n";
  CHECK(vigil_engine_create_from_file(path_of("rules.textproto"), &engine,
                                      &error) == VIGIL_OK);
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_dataset_add_file(data, path_of("providers.csv"),
                               VIGIL_KIND_PROVIDERS, &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_file(data, path_of("indicators.csv"),
                               VIGIL_KIND_INDICATORS, &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_file(data, path_of("observations.csv"),
                               VIGIL_KIND_OBSERVATIONS, &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_file(data, "/nonexistent.csv",
                               VIGIL_KIND_OBSERVATIONS,
                               &error) == VIGIL_NOT_FOUND);
  vigil_free(error);
  CHECK(vigil_dataset_add_file(data, path_of("observations.csv"), 9, &error) ==
        VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_dataset_add_bytes(data, csv, strlen(csv), VIGIL_FORMAT_CSV,
                                VIGIL_KIND_OBSERVATIONS, "extra.csv",
                                &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_bytes(data, "id\n", 3, 99, VIGIL_KIND_PROVIDERS, NULL,
                                &error) == VIGIL_INVALID_ARGUMENT);
  vigil_free(error);
  CHECK(vigil_dataset_add_bytes(data, "a,b\n", 4, VIGIL_FORMAT_CSV,
                                VIGIL_KIND_OBSERVATIONS, NULL,
                                &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "no 'provider_id' column") != NULL);
  vigil_free(error);
  CHECK(vigil_engine_evaluate(engine, data, "2019-03", 2, &report, &error) ==
        VIGIL_OK);
  CHECK(vigil_report_provider_count(report) == 140);
  CHECK(vigil_report_diagnostic_count(report) == 1);
  CHECK(strstr(vigil_report_diagnostic_message(report, 0),
               "extra.csv line 2: value 'x' is not a number") != NULL);
  vigil_report_destroy(report);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
}

/* The index of the diagnostic from `source` row `row`, or -1. */
static long find_diagnostic(const vigil_report* report, const char* source,
                            long long row) {
  size_t i;
  for (i = 0; i < vigil_report_diagnostic_count(report); ++i) {
    if (strcmp(vigil_report_diagnostic_source(report, i), source) == 0 &&
        vigil_report_diagnostic_row(report, i) == row) {
      return (long)i;
    }
  }
  return -1;
}

static void test_plans(void) {
  vigil_engine* engine = make_engine();
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  char* json = NULL;
  size_t length = 0;
  long d;
  const char* providers[] = {"RXQ", "RRK", "ZZZ"};
  const char* indicators[] = {"AE", "AE", "AE"};
  const char* periods[] = {"2019-03", "2019-04", "2019-03"};
  const double values[] = {90, VIGIL_NONE, 95};
  const char* with_null[] = {"RXQ", NULL};
  const char plans_csv[] =
      "provider_id,indicator_id,period,value\nRXQ,AE,2019-04,x\n";
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_dataset_add_provider(data, "RRK", NULL, NULL, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_provider(data, "RXQ", NULL, NULL, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_indicator(data, "AE", NULL, NULL, "percentage",
                                    "higher_is_better", "monthly", 0,
                                    NULL) == VIGIL_OK);
  CHECK(vigil_dataset_add_observation(data, "RRK", "AE", "2019-03", 93,
                                      VIGIL_NONE, VIGIL_NONE,
                                      NULL) == VIGIL_OK);
  /* Plan row 1, then rows 2-4: row 3 has no value, row 4 an unknown
   * provider. Neither is an error here. */
  CHECK(vigil_dataset_add_plan(data, "RRK", "AE", "2019-03", 95, &error) ==
        VIGIL_OK);
  CHECK(error == NULL);
  CHECK(vigil_dataset_add_plans(data, 3, providers, indicators, periods, values,
                                &error) == VIGIL_OK);
  /* Argument errors add nothing. */
  CHECK(vigil_dataset_add_plan(NULL, "RRK", "AE", "2019-03", 1, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_dataset_add_plan(data, "RRK", "AE", NULL, 1, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "must not be NULL") != NULL);
  vigil_free(error);
  CHECK(vigil_dataset_add_plans(data, 2, with_null, indicators, periods, values,
                                &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "row 1") != NULL);
  vigil_free(error);
  CHECK(vigil_dataset_add_plans(data, 1, providers, indicators, periods, NULL,
                                &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "values") != NULL);
  vigil_free(error);
  CHECK(vigil_dataset_add_plans(data, 0, NULL, NULL, NULL, NULL, NULL) ==
        VIGIL_OK);
  /* A plans CSV by kind, with one bad row. */
  CHECK(vigil_dataset_add_bytes(data, plans_csv, strlen(plans_csv),
                                VIGIL_FORMAT_CSV, VIGIL_KIND_PLANS, "plans.csv",
                                &error) == VIGIL_OK);
  CHECK(vigil_dataset_add_bytes(data, plans_csv, strlen(plans_csv),
                                VIGIL_FORMAT_CSV, 4, "plans.csv",
                                &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "_PLANS") != NULL);
  vigil_free(error);
  CHECK(vigil_engine_evaluate(engine, data, "2019-03", 1, &report, &error) ==
        VIGIL_OK);
  /* Bad plan rows are diagnostics naming source, row and reason. */
  d = find_diagnostic(report, "plans", 3);
  CHECK(d >= 0 && vigil_report_diagnostic_code(report, (size_t)d) == 6);
  CHECK(d >= 0 &&
        strstr(vigil_report_diagnostic_message(report, (size_t)d),
               "plans #3: plan value nan is not a finite number") != NULL);
  d = find_diagnostic(report, "plans", 4);
  CHECK(d >= 0 && vigil_report_diagnostic_code(report, (size_t)d) == 3);
  CHECK(d >= 0 && strstr(vigil_report_diagnostic_message(report, (size_t)d),
                         "provider 'ZZZ' is not defined") != NULL);
  d = find_diagnostic(report, "plans.csv", 2);
  CHECK(d >= 0 &&
        strstr(vigil_report_diagnostic_message(report, (size_t)d),
               "plans.csv line 2: value 'x' is not a number") != NULL);
  CHECK(find_diagnostic(report, "plans", 1) == -1);
  /* The counts: 5 read (4 added one way or the other + 1 from the CSV), 2
   * used, 3 rejected; the observations are untouched. */
  CHECK(vigil_report_serialize(report, VIGIL_FORMAT_JSON, &json, &length,
                               NULL) == VIGIL_OK);
  CHECK(strstr(json, "\"plans_read\":\"5\"") != NULL);
  CHECK(strstr(json, "\"plans_used\":\"2\"") != NULL);
  CHECK(strstr(json, "\"plans_rejected\":\"3\"") != NULL);
  CHECK(strstr(json, "\"observations_read\":\"1\"") != NULL);
  CHECK(strstr(json, "\"observations_used\":\"1\"") != NULL);
  vigil_free(json);
  /* Frozen after evaluation, like observations. */
  CHECK(vigil_dataset_add_plan(data, "RRK", "AE", "2019-05", 95, &error) ==
        VIGIL_FAILED_PRECONDITION);
  vigil_free(error);
  CHECK(vigil_dataset_add_plans(data, 1, providers, indicators, periods, values,
                                NULL) == VIGIL_FAILED_PRECONDITION);
  vigil_report_destroy(report);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
}

static void test_spc(void) {
  /* The reference's deviation vignette: point 5 is above the UCL. */
  const double y[] = {1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
  double mean[18], lpl[18], upl[18];
  int cause[18], type[18], icon = -1, assurance = -1;
  double target[18];
  char* error = NULL;
  int i;
  for (i = 0; i < 18; ++i) target[i] = 5;
  CHECK(vigil_spc_analyze(y, 18, NULL, target, VIGIL_SPC_INCREASE, 1, 0, 0,
                          mean, lpl, upl, cause, type, &icon, &assurance,
                          &error) == VIGIL_OK);
  CHECK(fabs(upl[0] - 4.6) < 0.005 && fabs(lpl[0] + 0.72) < 0.005);
  CHECK(cause[4] == VIGIL_SPC_CAUSE_ABOVE_UCL);
  CHECK(strcmp(vigil_spc_special_cause_label(cause[4]), "Above UCL") == 0);
  CHECK(type[4] == VIGIL_SPC_POINT_IMPROVEMENT);
  CHECK(strcmp(vigil_spc_point_type_name(type[4]),
               "special_cause_improvement") == 0);
  CHECK(icon == VIGIL_SPC_ICON_COMMON_CAUSE);
  CHECK(strcmp(vigil_spc_variation_icon_name(icon), "common_cause") == 0);
  CHECK(assurance == VIGIL_SPC_ASSURANCE_CONSISTENT_FAIL);
  CHECK(strcmp(vigil_spc_assurance_name(assurance), "consistent_fail") == 0);
  CHECK(strcmp(vigil_spc_special_cause_label(VIGIL_SPC_CAUSE_MISSING), "") ==
        0);
  CHECK(strcmp(vigil_spc_point_type_name(VIGIL_SPC_POINT_MISSING), "missing") ==
        0);
  CHECK(strcmp(vigil_spc_variation_icon_name(VIGIL_SPC_ICON_NONE), "") == 0);
  CHECK(strcmp(vigil_spc_assurance_name(VIGIL_SPC_ASSURANCE_INCONSISTENT),
               "inconsistent") == 0);
  CHECK(vigil_spc_analyze(y, 18, NULL, NULL, VIGIL_SPC_INCREASE, 0, 0, 0, NULL,
                          NULL, upl, NULL, NULL, NULL, NULL, NULL) == VIGIL_OK);
  CHECK(fabs(upl[0] - 6.95) < 0.005);
  CHECK(vigil_spc_analyze(y, 18, NULL, NULL, VIGIL_SPC_INCREASE, 1, 4, 0, NULL,
                          NULL, NULL, NULL, NULL, NULL, NULL,
                          &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(strstr(error, "run_length") != NULL);
  vigil_free(error);
  CHECK(vigil_spc_analyze(NULL, 3, NULL, NULL, 1, 1, 0, 0, NULL, NULL, NULL,
                          NULL, NULL, NULL, NULL,
                          NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_spc_analyze(y, 18, NULL, NULL, 5, 1, 0, 0, NULL, NULL, NULL, NULL,
                          NULL, NULL, NULL, NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(strcmp(vigil_spc_special_cause_label(-3), "") == 0);
  CHECK(strcmp(vigil_spc_point_type_name(99), "") == 0);
  CHECK(strcmp(vigil_spc_variation_icon_name(99), "") == 0);
  CHECK(strcmp(vigil_spc_assurance_name(99), "") == 0);
}

int main(int argc, char** argv) {
  if (argc > 1) example_dir = argv[1];
  test_versions_and_status_names();
  test_engine_errors();
  test_no_protobuf_path();
  test_evaluate_errors_and_serialize();
  test_files_and_bytes();
  test_plans();
  test_spc();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
