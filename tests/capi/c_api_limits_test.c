/* Resource limits through the C API (issue 14, defect 2): a sparse daily
 * series over 300 years is RESOURCE_EXHAUSTED naming max_periods_per_series
 * (before: no limit, gigabytes allocated, out of memory); limits are set
 * per dataset before its first evaluation; max_assessments per evaluation,
 * after which the dataset is still usable. */
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

static vigil_dataset* SparseDaily(int series) {
  vigil_dataset* data = NULL;
  char provider[32];
  int i;
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_dataset_add_indicator(data, "D", "Daily count", "safe", "count",
                                    "lower_is_better", "daily", 0,
                                    NULL) == VIGIL_OK);
  for (i = 0; i < series; ++i) {
    snprintf(provider, sizeof provider, "S%d", i);
    CHECK(vigil_dataset_add_observation(data, provider, "D", "1900-01-01", 1,
                                        VIGIL_NONE, VIGIL_NONE,
                                        NULL) == VIGIL_OK);
    CHECK(vigil_dataset_add_observation(data, provider, "D", "2199-12-31", 1,
                                        VIGIL_NONE, VIGIL_NONE,
                                        NULL) == VIGIL_OK);
  }
  return data;
}

int main(void) {
  const char pack[] =
      "id: 'p' rules { id: 'dq' selector { all_indicators: true } "
      "data_quality { } }";
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  int rc;
  CHECK(vigil_engine_create(pack, strlen(pack), VIGIL_FORMAT_TEXT, &engine,
                            NULL) == VIGIL_OK);

  /* The default limit: fails fast, naming the limit and the series. */
  data = SparseDaily(2000);
  rc = vigil_engine_evaluate(engine, data, "2199-12-31", 1, &report, &error);
  CHECK(rc == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(report == NULL);
  CHECK(error != NULL && strstr(error, "max_periods_per_series (100000)"));
  CHECK(strstr(error, "provider 'S0', indicator 'D'") != NULL);
  vigil_free(error);
  error = NULL;
  /* As any failed indexing, the dataset is marked failed. */
  rc = vigil_engine_evaluate(engine, data, "2199-12-31", 1, &report, &error);
  CHECK(rc == VIGIL_FAILED_PRECONDITION);
  CHECK(error != NULL && strstr(error, "max_periods_per_series") != NULL);
  vigil_free(error);
  error = NULL;
  vigil_dataset_destroy(data);

  /* Raised limits: stored and evaluated. */
  data = SparseDaily(3);
  CHECK(vigil_dataset_set_limits(data, -1, 0, &error) ==
        VIGIL_INVALID_ARGUMENT);
  CHECK(error != NULL && strstr(error, "max_periods_per_series") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_dataset_set_limits(data, 200000, 0, NULL) == VIGIL_OK);
  /* max_assessments: three providers, one rule, three assessments. */
  rc = vigil_engine_evaluate_limited(engine, data, "2199-12-31", 2, 2, &report,
                                     &error);
  CHECK(rc == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(report == NULL);
  CHECK(error != NULL && strstr(error, "max_assessments (2)") != NULL);
  vigil_free(error);
  error = NULL;
  CHECK(vigil_engine_evaluate_limited(engine, data, "2199-12-31", 2, -1,
                                      &report, NULL) == VIGIL_INVALID_ARGUMENT);
  /* The dataset is still usable after that. */
  CHECK(vigil_engine_evaluate_limited(engine, data, "2199-12-31", 2, 3, &report,
                                      NULL) == VIGIL_OK);
  CHECK(vigil_report_assessment_count(report) == 3);
  vigil_report_destroy(report);
  /* Limits are for indexing: too late once evaluated. */
  CHECK(vigil_dataset_set_limits(data, 0, 0, NULL) ==
        VIGIL_FAILED_PRECONDITION);
  vigil_dataset_destroy(data);

  /* Over max_stored_periods (10 series of 109,573 days, limit 1,000,000). */
  data = SparseDaily(10);
  CHECK(vigil_dataset_set_limits(data, 200000, 1000000, NULL) == VIGIL_OK);
  rc = vigil_engine_evaluate(engine, data, "2199-12-31", 1, &report, &error);
  CHECK(rc == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(error != NULL && strstr(error, "max_stored_periods (1000000)"));
  vigil_free(error);
  vigil_dataset_destroy(data);

  vigil_engine_destroy(engine);
  puts("limits: ok");
  return 0;
}
