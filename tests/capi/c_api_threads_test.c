/* Eight threads evaluate with one shared engine (and one shared, already
 * indexed dataset); every report must equal the single-threaded one. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/vigil.h"

#define kThreads 8
#define kRounds 20

static vigil_engine* engine;
static vigil_dataset* data;
static char* expected;
static size_t expected_length;
static int mismatches[kThreads];

static void* evaluate(void* arg) {
  int t = (int)(size_t)arg;
  int i;
  for (i = 0; i < kRounds; ++i) {
    vigil_report* report = NULL;
    char* bytes = NULL;
    size_t length = 0;
    if (vigil_engine_evaluate(engine, data, "2019-03", 1, &report, NULL) !=
            VIGIL_OK ||
        vigil_report_serialize(report, VIGIL_FORMAT_BINARY, &bytes, &length,
                               NULL) != VIGIL_OK ||
        length != expected_length || memcmp(bytes, expected, length) != 0) {
      ++mismatches[t];
    }
    vigil_free(bytes);
    vigil_report_destroy(report);
  }
  return NULL;
}

int main(int argc, char** argv) {
  char path[4096];
  const char* dir = argc > 1 ? argv[1] : ".";
  pthread_t threads[kThreads];
  vigil_report* report = NULL;
  int t, failed = 0;
  snprintf(path, sizeof(path), "%s/rules.textproto", dir);
  if (vigil_engine_create_from_file(path, &engine, NULL) != VIGIL_OK) return 1;
  vigil_dataset_create(&data);
  snprintf(path, sizeof(path), "%s/indicators.csv", dir);
  vigil_dataset_add_file(data, path, VIGIL_KIND_INDICATORS, NULL);
  snprintf(path, sizeof(path), "%s/observations.csv", dir);
  vigil_dataset_add_file(data, path, VIGIL_KIND_OBSERVATIONS, NULL);
  if (vigil_engine_evaluate(engine, data, "2019-03", 1, &report, NULL) !=
      VIGIL_OK)
    return 1;
  vigil_report_serialize(report, VIGIL_FORMAT_BINARY, &expected,
                         &expected_length, NULL);
  vigil_report_destroy(report);
  for (t = 0; t < kThreads; ++t) {
    pthread_create(&threads[t], NULL, evaluate, (void*)(size_t)t);
  }
  for (t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    failed += mismatches[t];
  }
  vigil_free(expected);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
  printf("%d passed, %d failed\n", kThreads * kRounds - failed, failed);
  return failed == 0 ? 0 : 1;
}
