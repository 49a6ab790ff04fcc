/* A dataset whose indexing fails (here: out of memory under an address-space
 * limit) is marked failed: every later call on it is FAILED_PRECONDITION
 * naming the first error. Before the fix, evaluating again returned OK with
 * an empty report (every row gone) and adding rows then crashed (issue 14,
 * defect 1). Not run under AddressSanitizer, which needs the address space
 * this test takes away. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "vigil/vigil.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* The process's virtual size in bytes, from /proc/self/status. */
static long long VirtualSize(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long long kb = -1;
  if (f == NULL) return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "VmSize: %lld kB", &kb) == 1) break;
  }
  fclose(f);
  return kb * 1024;
}

int main(void) {
  const char pack[] =
      "id: 'p' rules { id: 'dq' selector { all_indicators: true } "
      "data_quality { } }";
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  char provider[32];
  struct rlimit old_limit, limit;
  int i, rc;
  CHECK(vigil_engine_create(pack, strlen(pack), VIGIL_FORMAT_TEXT, &engine,
                            NULL) == VIGIL_OK);
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  CHECK(vigil_dataset_add_indicator(data, "D", "Daily count", "safe", "count",
                                    "lower_is_better", "daily", 0,
                                    NULL) == VIGIL_OK);
  /* 400 daily series from 1901 to 2200: stored densely, about 109,500 days
   * each, gigabytes in all. */
  for (i = 0; i < 400; ++i) {
    snprintf(provider, sizeof provider, "P%d", i);
    CHECK(vigil_dataset_add_observation(data, provider, "D", "1901-01-01", 1,
                                        VIGIL_NONE, VIGIL_NONE,
                                        NULL) == VIGIL_OK);
    CHECK(vigil_dataset_add_observation(data, provider, "D", "2200-12-31", 1,
                                        VIGIL_NONE, VIGIL_NONE,
                                        NULL) == VIGIL_OK);
  }
  CHECK(getrlimit(RLIMIT_AS, &old_limit) == 0);
  limit = old_limit;
  limit.rlim_cur = (rlim_t)(VirtualSize() + 256LL * 1024 * 1024);
  CHECK(setrlimit(RLIMIT_AS, &limit) == 0);
  rc = vigil_engine_evaluate(engine, data, "2200-12-31", 1, &report, &error);
  CHECK(setrlimit(RLIMIT_AS, &old_limit) == 0);
  CHECK(rc == VIGIL_RESOURCE_EXHAUSTED);
  CHECK(report == NULL);
  vigil_free(error);
  error = NULL;

  /* Evaluating again is an error naming the first one, not an empty report. */
  rc = vigil_engine_evaluate(engine, data, "2200-12-31", 1, &report, &error);
  CHECK(rc == VIGIL_FAILED_PRECONDITION);
  CHECK(report == NULL);
  CHECK(error != NULL && strstr(error, "could not be indexed") != NULL);
  CHECK(strstr(error, "out of memory") != NULL);
  vigil_free(error);
  error = NULL;
  /* So is adding rows. */
  rc = vigil_dataset_add_observation(data, "P1", "D", "2000-01-01", 1,
                                     VIGIL_NONE, VIGIL_NONE, &error);
  CHECK(rc == VIGIL_FAILED_PRECONDITION);
  CHECK(error != NULL && strstr(error, "could not be indexed") != NULL);
  vigil_free(error);

  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
  puts("build failure: ok");
  return 0;
}
