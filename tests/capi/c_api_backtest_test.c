/* Back-testing through the C API (issue 18): vigil_engine_backtest on the
 * NHS example, period by period equal to vigil_engine_evaluate; every
 * accessor, the bulk arrays, the four serializations (the CSV as `vigil
 * backtest` writes it, the heat-map with one cell per provider and period),
 * a timeline read back; and every bad argument: a clear error naming it, no
 * crash, and a dataset left usable. Argument: the NHS example's folder. */
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

static int Count(const char* text, const char* needle) {
  int n = 0;
  const char* at = text;
  while ((at = strstr(at, needle)) != NULL) {
    ++n;
    at += strlen(needle);
  }
  return n;
}

/* The call failed with `status` and a message holding `needle` (read
 * after the call: *error is freed and reset). */
static void ExpectError(int got, int status, char** error, const char* needle) {
  if (got != status || *error == NULL || strstr(*error, needle) == NULL) {
    fprintf(stderr, "expected status %d with \"%s\", got %d: %s\n", status,
            needle, got, *error == NULL ? "(no message)" : *error);
    exit(1);
  }
  vigil_free(*error);
  *error = NULL;
}

static char* Serialize(const vigil_timeline* t, int format, size_t* length) {
  char* bytes = NULL;
  CHECK(vigil_timeline_serialize(t, format, &bytes, length, NULL) == VIGIL_OK);
  CHECK(bytes != NULL && bytes[*length] == '\0');
  return bytes;
}

/* The timeline's entry for an assessment, or -1. */
static long Find(const vigil_timeline* t, const char* provider,
                 const char* indicator, const char* rule) {
  size_t i;
  for (i = 0; i < vigil_timeline_rule_count(t); ++i) {
    if (strcmp(vigil_timeline_rule_provider_id(t, i), provider) == 0 &&
        strcmp(vigil_timeline_rule_indicator_id(t, i), indicator) == 0 &&
        strcmp(vigil_timeline_rule_rule_id(t, i), rule) == 0) {
      return (long)i;
    }
  }
  return -1;
}

/* Each rating and escalation of period `p` is what evaluate says then. */
static void ExpectEqualsEvaluate(const vigil_engine* engine,
                                 vigil_dataset* data, const vigil_timeline* t,
                                 size_t p) {
  vigil_report* report = NULL;
  size_t i, j, rated = 0;
  const char* as_of = vigil_timeline_period(t, p);
  CHECK(vigil_engine_evaluate(engine, data, as_of, 1, &report, NULL) ==
        VIGIL_OK);
  for (i = 0; i < vigil_timeline_rule_count(t); ++i) {
    rated += vigil_timeline_rule_rating(t, i, p) != 0;
  }
  CHECK(rated == vigil_report_assessment_count(report) && rated > 1000);
  for (i = 0; i < vigil_report_assessment_count(report); ++i) {
    const long k = Find(t, vigil_report_assessment_provider_id(report, i),
                        vigil_report_assessment_indicator_id(report, i),
                        vigil_report_assessment_rule_id(report, i));
    CHECK(k >= 0);
    CHECK(vigil_timeline_rule_rating(t, (size_t)k, p) ==
          vigil_report_assessment_rating(report, i));
  }
  for (i = 0; i < vigil_report_provider_count(report); ++i) {
    for (j = 0; j < vigil_timeline_provider_count(t); ++j) {
      if (strcmp(vigil_timeline_provider_id(t, j),
                 vigil_report_provider_id(report, i)) == 0) {
        break;
      }
    }
    CHECK(j < vigil_timeline_provider_count(t));
    CHECK(vigil_timeline_provider_escalation(t, j, p) ==
          vigil_report_provider_escalation(report, i));
  }
  vigil_report_destroy(report);
}

/* One as-of period, a provider without its level. */
static const char kShort[] =
    "{\"as_of\": [\"2019-01\"], \"providers\": [{\"provider_id\": \"X\"}]}";

int main(int argc, char** argv) {
  char path[4096];
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_timeline* t = NULL;
  vigil_timeline* back = NULL;
  vigil_evaluate_options* options = NULL;
  char* error = NULL;
  char *csv, *page, *json, *binary, *again;
  size_t csv_length, page_length, json_length, binary_length, again_length;
  size_t i, p, n, rules, providers, rated = 0, reds = 0;
  int* ratings;
  int* levels;
  const char* kinds[] = {"providers.csv", "indicators.csv", "observations.csv"};
  const int kind_codes[] = {VIGIL_KIND_PROVIDERS, VIGIL_KIND_INDICATORS,
                            VIGIL_KIND_OBSERVATIONS};
  CHECK(argc == 2);
  snprintf(path, sizeof path, "%s/rules.textproto", argv[1]);
  CHECK(vigil_engine_create_from_file(path, &engine, NULL) == VIGIL_OK);
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  for (i = 0; i < 3; ++i) {
    snprintf(path, sizeof path, "%s/%s", argv[1], kinds[i]);
    CHECK(vigil_dataset_add_file(data, path, kind_codes[i], NULL) == VIGIL_OK);
  }

  /* Bad arguments, refused before indexing: each named, *out NULL. */
  CHECK(vigil_engine_backtest(engine, data, "2019-01", "2019-03", NULL, NULL,
                              NULL) == VIGIL_INVALID_ARGUMENT);
  t = (vigil_timeline*)&error; /* Not NULL: a refusal must clear it. */
  ExpectError(
      vigil_engine_backtest(NULL, data, "2019-01", "2019-03", NULL, &t, &error),
      VIGIL_INVALID_ARGUMENT, &error, "engine");
  CHECK(t == NULL);
  ExpectError(vigil_engine_backtest(engine, NULL, "2019-01", "2019-03", NULL,
                                    &t, &error),
              VIGIL_INVALID_ARGUMENT, &error, "dataset");
  ExpectError(
      vigil_engine_backtest(engine, data, NULL, "2019-03", NULL, &t, &error),
      VIGIL_INVALID_ARGUMENT, &error, "from is NULL");
  ExpectError(
      vigil_engine_backtest(engine, data, "2019-01", NULL, NULL, &t, &error),
      VIGIL_INVALID_ARGUMENT, &error, "to is NULL");
  ExpectError(vigil_engine_backtest(engine, data, "2019-13", "2019-03", NULL,
                                    &t, &error),
              VIGIL_INVALID_ARGUMENT, &error, "from: ");
  ExpectError(
      vigil_engine_backtest(engine, data, "", "2019-03", NULL, &t, &error),
      VIGIL_INVALID_ARGUMENT, &error, "from: ");
  ExpectError(
      vigil_engine_backtest(engine, data, "2019-01", "March", NULL, &t, &error),
      VIGIL_INVALID_ARGUMENT, &error, "to: ");
  error = NULL;
  CHECK(t == NULL);
  /* Still not indexed: limits may be set, rows added. */
  CHECK(vigil_dataset_set_limits(data, 0, 0, NULL) == VIGIL_OK);

  /* Bad ranges (the dataset is indexed by now, and stays usable). */
  ExpectError(vigil_engine_backtest(engine, data, "2019-03", "2018-01", NULL,
                                    &t, &error),
              VIGIL_INVALID_ARGUMENT, &error, "before from");
  ExpectError(vigil_engine_backtest(engine, data, "2019-01", "2019-Q2", NULL,
                                    &t, &error),
              VIGIL_INVALID_ARGUMENT, &error, "one frequency");
  ExpectError(vigil_engine_backtest(engine, data, "1980-01-01", "2019-03-31",
                                    NULL, &t, &error),
              VIGIL_INVALID_ARGUMENT, &error, "10000");
  error = NULL;
  CHECK(t == NULL);

  /* A good range with options: 2 threads, max_assessments applies. */
  options = vigil_evaluate_options_create();
  CHECK(options != NULL);
  CHECK(vigil_evaluate_options_set_threads(options, 2, NULL) == VIGIL_OK);
  CHECK(vigil_evaluate_options_set_max_assessments(options, 10, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_backtest(engine, data, "2018-12", "2019-03", options, &t,
                              &error) == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(t == NULL && error != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_evaluate_options_set_max_assessments(options, 0, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_backtest(engine, data, "2018-12", "2019-03", options, &t,
                              &error) == VIGIL_OK);
  CHECK(error == NULL && t != NULL);

  n = vigil_timeline_period_count(t);
  rules = vigil_timeline_rule_count(t);
  providers = vigil_timeline_provider_count(t);
  CHECK(n == 4 && strcmp(vigil_timeline_period(t, 0), "2018-12") == 0 &&
        strcmp(vigil_timeline_period(t, 3), "2019-03") == 0);
  CHECK(providers == 140 && rules > 1000);
  CHECK(strcmp(vigil_timeline_ruleset_id(t), "nhs_early_warning") == 0 ||
        strlen(vigil_timeline_ruleset_id(t)) > 0);
  /* Names come from the dataset's providers. */
  CHECK(strlen(vigil_timeline_provider_name(t, 0)) > 0);

  /* Period by period what evaluate says (the first and the last). */
  ExpectEqualsEvaluate(engine, data, t, 0);
  ExpectEqualsEvaluate(engine, data, t, 3);

  /* First red and longest red run agree with the ratings. */
  for (i = 0; i < rules; ++i) {
    const char* first = vigil_timeline_rule_first_red(t, i);
    size_t run = 0, longest = 0;
    long first_at = -1;
    for (p = 0; p < n; ++p) {
      const int r = vigil_timeline_rule_rating(t, i, p);
      rated += r != 0;
      if (r == VIGIL_RATING_RED) {
        if (first_at < 0) first_at = (long)p;
        if (++run > longest) longest = run;
      } else {
        run = 0;
      }
    }
    if (first_at < 0) {
      CHECK(first[0] == '\0' && vigil_timeline_rule_longest_red_run(t, i) == 0);
    } else {
      ++reds;
      CHECK(strcmp(first, vigil_timeline_period(t, (size_t)first_at)) == 0);
      CHECK((size_t)vigil_timeline_rule_longest_red_run(t, i) == longest);
      CHECK(strlen(vigil_timeline_rule_longest_red_run_start(t, i)) == 7);
    }
    CHECK(vigil_timeline_rule_change_count(t, i) >= 1 &&
          vigil_timeline_rule_change_count(t, i) <= n);
  }
  CHECK(reds > 10);

  /* Bulk arrays equal the accessors; a wrong count is refused. */
  ratings = (int*)malloc(rules * n * sizeof(int));
  levels = (int*)malloc(providers * n * sizeof(int));
  CHECK(ratings != NULL && levels != NULL);
  CHECK(vigil_timeline_ratings(t, ratings, rules * n, NULL) == VIGIL_OK);
  CHECK(vigil_timeline_escalations(t, levels, providers * n, NULL) == VIGIL_OK);
  for (i = 0; i < rules; ++i) {
    for (p = 0; p < n; ++p) {
      CHECK(ratings[i * n + p] == vigil_timeline_rule_rating(t, i, p));
    }
  }
  for (i = 0; i < providers; ++i) {
    for (p = 0; p < n; ++p) {
      CHECK(levels[i * n + p] == vigil_timeline_provider_escalation(t, i, p));
    }
  }
  ExpectError(vigil_timeline_ratings(t, ratings, rules * n - 1, &error),
              VIGIL_INVALID_ARGUMENT, &error, "count");
  ExpectError(vigil_timeline_escalations(t, NULL, providers * n, &error),
              VIGIL_INVALID_ARGUMENT, &error, "levels is NULL");
  ExpectError(vigil_timeline_ratings(NULL, ratings, 0, &error),
              VIGIL_INVALID_ARGUMENT, &error, "timeline is NULL");
  error = NULL;
  free(ratings);
  free(levels);

  /* Accessors: NULL and out of range give NULL / 0, never a crash. */
  CHECK(vigil_timeline_period_count(NULL) == 0);
  CHECK(vigil_timeline_rule_count(NULL) == 0);
  CHECK(vigil_timeline_provider_count(NULL) == 0);
  CHECK(vigil_timeline_ruleset_id(NULL) == NULL);
  CHECK(vigil_timeline_period(t, n) == NULL);
  CHECK(vigil_timeline_rule_provider_id(t, rules) == NULL);
  CHECK(vigil_timeline_rule_first_red(NULL, 0) == NULL);
  CHECK(vigil_timeline_rule_rating(t, 0, n) == 0);
  CHECK(vigil_timeline_rule_rating(t, rules, 0) == 0);
  CHECK(vigil_timeline_rule_longest_red_run(t, rules) == 0);
  CHECK(vigil_timeline_rule_change_count(NULL, 0) == 0);
  CHECK(vigil_timeline_provider_id(t, providers) == NULL);
  CHECK(vigil_timeline_provider_name(t, providers) == NULL);
  CHECK(vigil_timeline_provider_escalation(t, 0, n) == 0);
  CHECK(vigil_timeline_provider_escalation(NULL, 0, 0) == 0);

  /* CSV: the tool's header, one row per rating given. */
  csv = Serialize(t, VIGIL_FORMAT_CSV, &csv_length);
  CHECK(strncmp(csv, "as_of,provider_id,indicator_id,rule_id,rating\n2018-12,",
                53) == 0);
  CHECK((size_t)Count(csv, "\n") == rated + 1);
  /* HTML: one row per provider, one cell per provider and period. */
  page = Serialize(t, VIGIL_FORMAT_HTML, &page_length);
  CHECK(strncmp(page, "<!DOCTYPE html>", 15) == 0);
  CHECK(Count(page, "<tr data-provider=") == 140);
  CHECK(Count(page, "<td class=\"l") == 140 * 4);
  CHECK(strstr(page, vigil_timeline_provider_name(t, 0)) != NULL);
  CHECK(strstr(page, "<script") == NULL && strstr(page, "http:") == NULL &&
        strstr(page, "https:") == NULL);
  CHECK(page_length < 200000);

  /* Read back from JSON and binary: the same timeline (names aside). */
  json = Serialize(t, VIGIL_FORMAT_JSON, &json_length);
  binary = Serialize(t, VIGIL_FORMAT_BINARY, &binary_length);
  CHECK(vigil_timeline_parse(json, json_length, VIGIL_FORMAT_JSON, &back,
                             &error) == VIGIL_OK);
  again = Serialize(back, VIGIL_FORMAT_BINARY, &again_length);
  CHECK(again_length == binary_length &&
        memcmp(again, binary, binary_length) == 0);
  CHECK(strcmp(vigil_timeline_provider_name(back, 0), "") == 0);
  vigil_free(again);
  again = Serialize(back, VIGIL_FORMAT_CSV, &again_length);
  CHECK(again_length == csv_length && memcmp(again, csv, csv_length) == 0);
  vigil_free(again);
  vigil_timeline_destroy(back);
  back = NULL;
  CHECK(vigil_timeline_parse(binary, binary_length, VIGIL_FORMAT_BINARY, &back,
                             NULL) == VIGIL_OK);
  CHECK(vigil_timeline_rule_count(back) == rules);
  vigil_timeline_destroy(back);
  back = NULL;

  /* Bad bytes and shapes, bad formats, NULLs. */
  ExpectError(vigil_timeline_parse("{\"as_of\": 3", 11, VIGIL_FORMAT_JSON,
                                   &back, &error),
              VIGIL_INVALID_ARGUMENT, &error, "vigil.v1.Timeline");
  ExpectError(vigil_timeline_parse(kShort, strlen(kShort), VIGIL_FORMAT_JSON,
                                   &back, &error),
              VIGIL_INVALID_ARGUMENT, &error,
              "providers[0] has 0 escalation levels");
  error = NULL;
  CHECK(back == NULL);
  CHECK(vigil_timeline_parse("x", 1, VIGIL_FORMAT_CSV, &back, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_timeline_parse(NULL, 5, VIGIL_FORMAT_BINARY, &back, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_timeline_parse("", 0, VIGIL_FORMAT_BINARY, NULL, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_timeline_parse(NULL, 0, VIGIL_FORMAT_BINARY, &back, NULL) ==
        VIGIL_OK); /* Zero bytes: the empty timeline, drawn as such. */
  CHECK(vigil_timeline_period_count(back) == 0);
  again = Serialize(back, VIGIL_FORMAT_HTML, &again_length);
  CHECK(Count(again, "<td class=\"l") == 0);
  vigil_free(again);
  vigil_timeline_destroy(back);
  {
    char* bytes = (char*)&error;
    size_t length = 7;
    ExpectError(
        vigil_timeline_serialize(t, VIGIL_FORMAT_TEXT, &bytes, &length, &error),
        VIGIL_INVALID_ARGUMENT, &error, "format");
    error = NULL;
    CHECK(bytes == NULL && length == 0);
    CHECK(vigil_timeline_serialize(NULL, VIGIL_FORMAT_JSON, &bytes, &length,
                                   NULL) == VIGIL_INVALID_ARGUMENT);
    CHECK(vigil_timeline_serialize(t, VIGIL_FORMAT_JSON, NULL, &length, NULL) ==
          VIGIL_INVALID_ARGUMENT);
    CHECK(vigil_timeline_serialize(t, VIGIL_FORMAT_JSON, &bytes, NULL, NULL) ==
          VIGIL_INVALID_ARGUMENT);
  }

  /* The timeline outlives the engine and dataset. */
  vigil_engine_destroy(engine);
  vigil_dataset_destroy(data);
  CHECK(vigil_timeline_rule_rating(t, 0, 0) >= 0);
  vigil_free(csv);
  vigil_free(page);
  vigil_free(json);
  vigil_free(binary);
  vigil_timeline_destroy(t);
  vigil_timeline_destroy(NULL);
  vigil_evaluate_options_destroy(options);
  puts("c_api_backtest_test: ok");
  return 0;
}
