/* The shortest path to embedding Vigil from C: compile the rule pack, feed
 * observations one at a time (no protobuf anywhere), evaluate, and print each
 * provider's worst rating.
 *
 *   worst_ratings EXAMPLE_DIR [AS_OF]
 * EXAMPLE_DIR holds rules.textproto, providers.csv, indicators.csv and
 * observations.csv (examples/nhs_early_warning). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigil/vigil.h>

static int fail(const char* what, int status, char* error) {
  fprintf(stderr, "%s: %s: %s\n", what, vigil_status_name(status),
          error != NULL ? error : "");
  vigil_free(error);
  return 1;
}

/* Reads observations.csv (provider_id,indicator_id,period,value,numerator,
 * denominator; no quoted fields) and adds each row. */
static int add_observations(vigil_dataset* data, const char* path) {
  char line[512];
  FILE* in = fopen(path, "r");
  if (in == NULL) {
    perror(path);
    return 1;
  }
  if (fgets(line, sizeof(line), in) == NULL) { /* header */
    fclose(in);
    return 1;
  }
  while (fgets(line, sizeof(line), in) != NULL) {
    char* field[6] = {0};
    double number[3];
    char* cursor = line;
    int i;
    line[strcspn(line, "\r\n")] = '\0';
    for (i = 0; i < 6; ++i) {
      field[i] = cursor;
      cursor = strchr(cursor, ',');
      if (cursor == NULL) break;
      *cursor++ = '\0';
    }
    for (i = 0; i < 3; ++i) {
      const char* text = field[3 + i];
      number[i] = (text != NULL && *text != '\0') ? atof(text) : VIGIL_NONE;
    }
    vigil_dataset_add_observation(data, field[0], field[1], field[2], number[0],
                                  number[1], number[2], NULL);
  }
  fclose(in);
  return 0;
}

int main(int argc, char** argv) {
  char path[4096];
  const char* dir = argc > 1 ? argv[1] : "examples/nhs_early_warning";
  const char* as_of = argc > 2 ? argv[2] : "2019-03";
  vigil_engine* engine = NULL;
  vigil_dataset* data = NULL;
  vigil_report* report = NULL;
  char* error = NULL;
  size_t i;
  int status;

  snprintf(path, sizeof(path), "%s/rules.textproto", dir);
  status = vigil_engine_create_from_file(path, &engine, &error);
  if (status != VIGIL_OK) return fail("rule pack", status, error);

  vigil_dataset_create(&data);
  snprintf(path, sizeof(path), "%s/providers.csv", dir);
  status = vigil_dataset_add_file(data, path, VIGIL_KIND_PROVIDERS, &error);
  if (status != VIGIL_OK) return fail("providers", status, error);
  snprintf(path, sizeof(path), "%s/indicators.csv", dir);
  status = vigil_dataset_add_file(data, path, VIGIL_KIND_INDICATORS, &error);
  if (status != VIGIL_OK) return fail("indicators", status, error);
  snprintf(path, sizeof(path), "%s/observations.csv", dir);
  if (add_observations(data, path) != 0) return 1;

  status = vigil_engine_evaluate(engine, data, as_of, 1, &report, &error);
  if (status != VIGIL_OK) return fail("evaluate", status, error);
  for (i = 0; i < vigil_report_provider_count(report); ++i) {
    printf("%s\t%s\t%s\n", vigil_report_provider_id(report, i),
           vigil_rating_name(vigil_report_provider_worst_rating(report, i)),
           vigil_report_provider_name(report, i));
  }
  if (vigil_report_diagnostic_count(report) > 0) {
    fprintf(stderr, "%lu diagnostics, first: %s\n",
            (unsigned long)vigil_report_diagnostic_count(report),
            vigil_report_diagnostic_message(report, 0));
  }
  vigil_report_destroy(report);
  vigil_dataset_destroy(data);
  vigil_engine_destroy(engine);
  return 0;
}
