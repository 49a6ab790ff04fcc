/* The board's page through the C API: evaluation options (threads, chart
 * periods, max_assessments) and their refusals, the report serialised as
 * HTML with a chart per SPC assessment and a funnel per peer rule, and a
 * report read back from JSON drawing the same page. Argument: the NHS
 * example's folder. */
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

static char* Serialize(const vigil_report* report, int format, size_t* length) {
  char* bytes = NULL;
  CHECK(vigil_report_serialize(report, format, &bytes, length, NULL) ==
        VIGIL_OK);
  CHECK(bytes != NULL && bytes[*length] == '\0');
  return bytes;
}

int main(int argc, char** argv) {
  char path[4096];
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  vigil_report* reread = NULL;
  vigil_evaluate_options* options = NULL;
  char* error = NULL;
  char* page = NULL;
  char* again = NULL;
  char* json = NULL;
  size_t page_length = 0, again_length = 0, json_length = 0;
  size_t i, spc_charts = 0;
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

  /* Options: refusals name the option and leave it as it was. */
  options = vigil_evaluate_options_create();
  CHECK(options != NULL);
  CHECK(vigil_evaluate_options_set_chart_periods(options, -1, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "chart_periods") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_evaluate_options_set_chart_periods(
            options, VIGIL_MAX_CHART_PERIODS + 1, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_evaluate_options_set_threads(options, VIGIL_MAX_THREADS + 1,
                                           &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "threads") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_evaluate_options_set_max_assessments(options, -5, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_evaluate_options_set_chart_periods(NULL, 1, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_evaluate_options_set_threads(options, 2, NULL) == VIGIL_OK);
  CHECK(vigil_evaluate_options_set_chart_periods(options, 24, NULL) ==
        VIGIL_OK);

  /* max_assessments applies: too few is RESOURCE_EXHAUSTED, no report. */
  CHECK(vigil_evaluate_options_set_max_assessments(options, 10, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_evaluate_with_options(engine, data, "2019-03", options,
                                           &report,
                                           &error) == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(report == NULL && strstr(error, "max_assessments (10)") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_evaluate_options_set_max_assessments(options, 0, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_evaluate_with_options(engine, data, "2019-03", options,
                                           &report, &error) == VIGIL_OK);
  CHECK(error == NULL && report != NULL);

  /* The page: one section per provider, one SPC chart per SPC assessment
   * with its chart, one funnel per peer assessment, nothing fetched. */
  page = Serialize(report, VIGIL_FORMAT_HTML, &page_length);
  CHECK(strncmp(page, "<!DOCTYPE html>", 15) == 0);
  CHECK(Count(page, "<section class=\"provider\"") ==
        (int)vigil_report_provider_count(report));
  for (i = 0; i < vigil_report_assessment_count(report); ++i) {
    const char* rule = vigil_report_assessment_rule_id(report, i);
    if ((strcmp(rule, "ae_4hr_spc") == 0 ||
         strcmp(rule, "ae_attendances_spc") == 0) &&
        vigil_report_assessment_rating(report, i) != VIGIL_RATING_NO_DATA) {
      ++spc_charts;
    }
  }
  CHECK(spc_charts > 140);
  CHECK(Count(page, "<svg class=\"spc\"") >= (int)spc_charts);
  CHECK(Count(page, "<symbol id=\"funnel-0\"") == 1);
  CHECK(Count(page, "<use href=\"#funnel-0\"") == 141); /* 140 + overview. */
  CHECK(strstr(page, "<script") == NULL && strstr(page, "http:") == NULL &&
        strstr(page, "https:") == NULL);

  /* Read back from JSON, the report draws the same page. */
  json = Serialize(report, VIGIL_FORMAT_JSON, &json_length);
  CHECK(vigil_report_parse(json, json_length, VIGIL_FORMAT_JSON, &reread,
                           &error) == VIGIL_OK);
  again = Serialize(reread, VIGIL_FORMAT_HTML, &again_length);
  CHECK(again_length == page_length && memcmp(again, page, page_length) == 0);
  vigil_report_destroy(reread);
  reread = NULL;
  CHECK(vigil_report_parse("{\"as_of\": 3", 11, VIGIL_FORMAT_JSON, &reread,
                           &error) == VIGIL_INVALID_ARGUMENT);
  CHECK(reread == NULL && strstr(error, "vigil.v1.Report") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_report_parse("x", 1, VIGIL_FORMAT_HTML, &reread, NULL) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_report_parse(NULL, 0, VIGIL_FORMAT_BINARY, &reread, NULL) ==
        VIGIL_OK); /* Zero bytes: the empty report. */
  CHECK(vigil_report_assessment_count(reread) == 0);
  vigil_report_destroy(reread);

  /* NULL options: the defaults, no chart data, so no charts on the page. */
  vigil_report_destroy(report);
  report = NULL;
  CHECK(vigil_engine_evaluate_with_options(engine, data, "2019-03", NULL,
                                           &report, NULL) == VIGIL_OK);
  vigil_free(page);
  page = Serialize(report, VIGIL_FORMAT_HTML, &page_length);
  CHECK(Count(page, "<svg class=\"spc\"") == 0);
  CHECK(Count(page, "<symbol") == 0);

  vigil_free(page);
  vigil_free(again);
  vigil_free(json);
  vigil_report_destroy(report);
  vigil_evaluate_options_destroy(options);
  vigil_evaluate_options_destroy(NULL);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
  puts("c_api_html_test: ok");
  return 0;
}
