/* Distributed evaluation through the C API (issue 19): the NHS example in
 * two parts by provider (vigil_dataset_add_observations_at keeping each
 * row's line, vigil_engine_gather, vigil_engine_merge_statistics,
 * vigil_engine_evaluate_partition, vigil_engine_merge_partials) gives the
 * bytes vigil_engine_evaluate gives on the whole, and its back-test
 * (vigil_engine_gather_backtest, vigil_engine_backtest_partition,
 * vigil_engine_merge_backtest_partials) vigil_engine_backtest's; every bad
 * argument is a clear error naming it. Argument: the NHS example's
 * folder. */
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

static void ExpectError(int got, int status, char** error, const char* needle) {
  if (got != status || *error == NULL || strstr(*error, needle) == NULL) {
    fprintf(stderr, "expected status %d with \"%s\", got %d: %s\n", status,
            needle, got, *error == NULL ? "(no message)" : *error);
    exit(1);
  }
  vigil_free(*error);
  *error = NULL;
}

#define MAX_ROWS 30000
#define MAX_PROVIDERS 300

/* observations.csv, cell by cell (plain cells, no quotes). */
static char* g_cells[MAX_ROWS][6];
static int64_t g_lines[MAX_ROWS];
static size_t g_rows;
static char* g_providers[MAX_PROVIDERS];
static size_t g_provider_count;

static char* ReadAll(const char* path) {
  FILE* f = fopen(path, "rb");
  long n;
  char* text;
  CHECK(f != NULL);
  CHECK(fseek(f, 0, SEEK_END) == 0);
  n = ftell(f);
  CHECK(n > 0 && fseek(f, 0, SEEK_SET) == 0);
  text = malloc((size_t)n + 1);
  CHECK(text != NULL && fread(text, 1, (size_t)n, f) == (size_t)n);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* Splits `text` into lines and each line at commas, in place. */
static size_t SplitLines(char* text, char** lines, size_t max) {
  size_t n = 0;
  char* at = text;
  while (*at != '\0' && n < max) {
    char* end = strchr(at, '\n');
    lines[n++] = at;
    if (end == NULL) break;
    *end = '\0';
    at = end + 1;
  }
  return n;
}

static void ReadExample(const char* dir) {
  static char* lines[MAX_ROWS + 1];
  char path[4096];
  size_t n, i;
  char* text;
  snprintf(path, sizeof path, "%s/observations.csv", dir);
  text = ReadAll(path);
  n = SplitLines(text, lines, MAX_ROWS + 1);
  for (i = 1; i < n; ++i) { /* line 1: the header */
    char* at = lines[i];
    int c;
    for (c = 0; c < 6; ++c) {
      char* comma = strchr(at, ',');
      g_cells[g_rows][c] = at;
      if (comma != NULL) {
        *comma = '\0';
        at = comma + 1;
      } else {
        at += strlen(at);
      }
    }
    g_lines[g_rows++] = (int64_t)i + 1;
  }
  snprintf(path, sizeof path, "%s/providers.csv", dir);
  text = ReadAll(path);
  n = SplitLines(text, lines, MAX_PROVIDERS);
  for (i = 1; i < n; ++i) {
    char* comma = strchr(lines[i], ',');
    if (comma != NULL) *comma = '\0';
    if (lines[i][0] != '\0') g_providers[g_provider_count++] = lines[i];
  }
  CHECK(g_rows > 20000 && g_provider_count > 100);
}

static double Number(const char* cell) {
  return cell[0] == '\0' ? VIGIL_NONE : strtod(cell, NULL);
}

/* The part (0 or 1) owning provider `id`: by its place in the table. */
static int OwnerOf(const char* id) {
  size_t i;
  for (i = 0; i < g_provider_count; ++i) {
    if (strcmp(g_providers[i], id) == 0) return (int)(i % 2);
  }
  return 0; /* an unknown provider's rows: part 0 reports them */
}

/* A dataset of the tables and the rows of `part` (-1: every row). */
static vigil_dataset* Dataset(const char* dir, int part) {
  static const char* ids[3][MAX_ROWS];
  static double numbers[3][MAX_ROWS];
  static int64_t rows[MAX_ROWS];
  vigil_dataset* data = NULL;
  char path[4096];
  size_t i, n = 0;
  int c;
  CHECK(vigil_dataset_create(&data) == VIGIL_OK);
  snprintf(path, sizeof path, "%s/providers.csv", dir);
  CHECK(vigil_dataset_add_file(data, path, VIGIL_KIND_PROVIDERS, NULL) ==
        VIGIL_OK);
  snprintf(path, sizeof path, "%s/indicators.csv", dir);
  CHECK(vigil_dataset_add_file(data, path, VIGIL_KIND_INDICATORS, NULL) ==
        VIGIL_OK);
  for (i = 0; i < g_rows; ++i) {
    if (part >= 0 && OwnerOf(g_cells[i][0]) != part) continue;
    for (c = 0; c < 3; ++c) {
      ids[c][n] = g_cells[i][c];
      numbers[c][n] = Number(g_cells[i][3 + c]);
    }
    rows[n++] = g_lines[i];
  }
  CHECK(vigil_dataset_add_observations_at(data, n, rows, ids[0], ids[1], ids[2],
                                          numbers[0], numbers[1], numbers[2],
                                          NULL) == VIGIL_OK);
  return data;
}

/* The ids part k owns. */
static size_t Owned(int k, const char** out) {
  size_t i, n = 0;
  for (i = 0; i < g_provider_count; ++i) {
    if ((int)(i % 2) == k) out[n++] = g_providers[i];
  }
  return n;
}

int main(int argc, char** argv) {
  const char* dir;
  char path[4096];
  vigil_engine* engine = NULL;
  vigil_dataset *whole, *parts[2], *tables;
  vigil_report *one = NULL, *merged = NULL;
  char *one_bytes = NULL, *merged_bytes = NULL, *error = NULL;
  size_t one_length = 0, merged_length = 0;
  char* statistics[2];
  size_t statistics_length[2];
  char* merged_statistics = NULL;
  size_t merged_statistics_length = 0;
  char* partials[2];
  size_t partial_length[2];
  const char* owned[2][MAX_PROVIDERS];
  size_t owned_count[2];
  const int64_t bad_row = 0;
  char* scratch = NULL;
  size_t scratch_length = 0;
  const char* id = "R0A";
  int k;
  CHECK(argc == 2);
  dir = argv[1];
  ReadExample(dir);
  snprintf(path, sizeof path, "%s/rules.textproto", dir);
  CHECK(vigil_engine_create_from_file(path, &engine, NULL) == VIGIL_OK);

  whole = Dataset(dir, -1);
  CHECK(vigil_engine_evaluate(engine, whole, "2019-03", 1, &one, NULL) ==
        VIGIL_OK);
  CHECK(vigil_report_serialize(one, VIGIL_FORMAT_BINARY, &one_bytes,
                               &one_length, NULL) == VIGIL_OK);
  CHECK(vigil_report_assessment_count(one) > 1500);

  for (k = 0; k < 2; ++k) {
    parts[k] = Dataset(dir, k);
    owned_count[k] = Owned(k, owned[k]);
    CHECK(vigil_engine_gather(engine, parts[k], "2019-03", k, owned_count[k],
                              owned[k], &statistics[k], &statistics_length[k],
                              NULL) == VIGIL_OK);
  }
  CHECK(vigil_engine_merge_statistics(
            engine, 2, (const void* const*)statistics, statistics_length,
            &merged_statistics, &merged_statistics_length, NULL) == VIGIL_OK);
  for (k = 0; k < 2; ++k) {
    CHECK(vigil_engine_evaluate_partition(
              engine, parts[k], "2019-03", k, owned_count[k], owned[k],
              merged_statistics, merged_statistics_length, NULL, &partials[k],
              &partial_length[k], NULL) == VIGIL_OK);
  }
  CHECK(vigil_dataset_create(&tables) == VIGIL_OK);
  snprintf(path, sizeof path, "%s/providers.csv", dir);
  CHECK(vigil_dataset_add_file(tables, path, VIGIL_KIND_PROVIDERS, NULL) ==
        VIGIL_OK);
  snprintf(path, sizeof path, "%s/indicators.csv", dir);
  CHECK(vigil_dataset_add_file(tables, path, VIGIL_KIND_INDICATORS, NULL) ==
        VIGIL_OK);
  CHECK(vigil_engine_merge_partials(
            engine, tables, 2, (const void* const*)partials, partial_length,
            NULL, &merged, NULL) == VIGIL_OK);
  CHECK(vigil_report_serialize(merged, VIGIL_FORMAT_BINARY, &merged_bytes,
                               &merged_length, NULL) == VIGIL_OK);
  CHECK(merged_length == one_length);
  CHECK(memcmp(merged_bytes, one_bytes, one_length) == 0);

  /* The back-test the same way: the timeline's bytes. */
  {
    vigil_timeline *whole_timeline = NULL, *merged_timeline = NULL,
                   *refused_timeline = NULL;
    char *a = NULL, *b = NULL, *stats[2], *merged_stats = NULL, *parts_out[2];
    size_t a_length = 0, b_length = 0, stats_length[2], merged_stats_length = 0,
           part_length[2];
    CHECK(vigil_engine_backtest(engine, whole, "2018-10", "2019-03", NULL,
                                &whole_timeline, NULL) == VIGIL_OK);
    CHECK(vigil_timeline_serialize(whole_timeline, VIGIL_FORMAT_BINARY, &a,
                                   &a_length, NULL) == VIGIL_OK);
    for (k = 0; k < 2; ++k) {
      CHECK(vigil_engine_gather_backtest(engine, parts[k], "2018-10", "2019-03",
                                         k, owned_count[k], owned[k], &stats[k],
                                         &stats_length[k], NULL) == VIGIL_OK);
    }
    CHECK(vigil_engine_merge_statistics(
              engine, 2, (const void* const*)stats, stats_length, &merged_stats,
              &merged_stats_length, NULL) == VIGIL_OK);
    for (k = 0; k < 2; ++k) {
      CHECK(vigil_engine_backtest_partition(
                engine, parts[k], "2018-10", "2019-03", k, owned_count[k],
                owned[k], merged_stats, merged_stats_length, NULL,
                &parts_out[k], &part_length[k], NULL) == VIGIL_OK);
    }
    CHECK(vigil_engine_merge_backtest_partials(
              engine, tables, 2, (const void* const*)parts_out, part_length,
              NULL, &merged_timeline, NULL) == VIGIL_OK);
    CHECK(vigil_timeline_serialize(merged_timeline, VIGIL_FORMAT_BINARY, &b,
                                   &b_length, NULL) == VIGIL_OK);
    CHECK(a_length == b_length && a_length > 10000);
    CHECK(memcmp(a, b, a_length) == 0);
    /* One part of two: judged on statistics of more parts than merged. */
    ExpectError(vigil_engine_merge_backtest_partials(
                    engine, tables, 1, (const void* const*)parts_out,
                    part_length, NULL, &refused_timeline, &error),
                VIGIL_INVALID_ARGUMENT, &error,
                "judged on the statistics of 2 part(s), not of all 1");
    for (k = 0; k < 2; ++k) {
      vigil_free(stats[k]);
      vigil_free(parts_out[k]);
    }
    vigil_free(merged_stats);
    vigil_free(a);
    vigil_free(b);
    vigil_timeline_destroy(whole_timeline);
    vigil_timeline_destroy(merged_timeline);
    CHECK(refused_timeline == NULL);
  }

  /* Bad arguments: each named, nothing crashes. */
  ExpectError(vigil_engine_gather(engine, parts[0], "2019-03", -1, 0, NULL,
                                  &scratch, &scratch_length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "partition: must be 0 or more");
  ExpectError(vigil_engine_gather(engine, parts[0], "2019-03", 0, 3, NULL,
                                  &scratch, &scratch_length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "owned_provider_ids is NULL");
  ExpectError(vigil_engine_gather(engine, parts[0], "", 0, 1, &id, &scratch,
                                  &scratch_length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "as_of: required");
  ExpectError(vigil_engine_gather(engine, parts[0], "2019-03", 0, 0, NULL, NULL,
                                  NULL, &error),
              VIGIL_INVALID_ARGUMENT, &error, "bytes and length");
  ExpectError(vigil_engine_merge_statistics(engine, 0, NULL, NULL, &scratch,
                                            &scratch_length, &error),
              VIGIL_INVALID_ARGUMENT, &error, "none to merge");
  {
    const char* junk = "not a message";
    const void* junk_parts[1];
    size_t junk_length = strlen(junk);
    vigil_report* none = NULL;
    junk_parts[0] = junk;
    ExpectError(vigil_engine_merge_partials(engine, tables, 1, junk_parts,
                                            &junk_length, NULL, &none, &error),
                VIGIL_INVALID_ARGUMENT, &error, "parts[0]");
    CHECK(none == NULL);
    char* refused = NULL;
    size_t refused_length = 1;
    ExpectError(vigil_engine_evaluate_partition(
                    engine, parts[0], "2019-03", 0, owned_count[0], owned[0],
                    junk, junk_length, NULL, &refused, &refused_length, &error),
                VIGIL_INVALID_ARGUMENT, &error, "statistics: ");
    CHECK(refused == NULL && refused_length == 0);
    /* One part only: judged on statistics of more parts than merged. */
    ExpectError(vigil_engine_merge_partials(
                    engine, tables, 1, (const void* const*)partials,
                    partial_length, NULL, &none, &error),
                VIGIL_INVALID_ARGUMENT, &error,
                "judged on the statistics of 2 part(s), not of all 1");
  }
  {
    vigil_dataset* fresh = NULL;
    const char* p = "R0A";
    const char* i = "AE_4HR_T1";
    const char* period = "2019-01";
    CHECK(vigil_dataset_create(&fresh) == VIGIL_OK);
    ExpectError(
        vigil_dataset_add_observations_at(fresh, 1, &bad_row, &p, &i, &period,
                                          NULL, NULL, NULL, &error),
        VIGIL_INVALID_ARGUMENT, &error, "rows[0]: 0 is not a row");
    ExpectError(vigil_dataset_add_observations_at(
                    fresh, 1, NULL, &p, &i, &period, NULL, NULL, NULL, &error),
                VIGIL_INVALID_ARGUMENT, &error, "rows must not be NULL");
    vigil_dataset_destroy(fresh);
  }

  for (k = 0; k < 2; ++k) {
    vigil_free(statistics[k]);
    vigil_free(partials[k]);
    vigil_dataset_destroy(parts[k]);
  }
  vigil_free(merged_statistics);
  vigil_free(one_bytes);
  vigil_free(merged_bytes);
  vigil_report_destroy(one);
  vigil_report_destroy(merged);
  vigil_dataset_destroy(whole);
  vigil_dataset_destroy(tables);
  vigil_engine_destroy(engine);
  printf("partition: %lu bytes equal\n", (unsigned long)one_length);
  return 0;
}
