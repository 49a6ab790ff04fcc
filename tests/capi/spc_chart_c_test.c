/* The attribute SPC chart C API (vigil_spc_chart_analyze), tested from C99:
 * a p-chart and a c-chart worked from the formulas, the runs analysis, a
 * missing point, NULL outputs and every bad argument. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/vigil.h"

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++passed;                                                                \
    } else {                                                                   \
      ++failed;                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_ERROR(call, needle)                                      \
  do {                                                                 \
    char* message_ = NULL;                                             \
    char** error_message = &message_;                                  \
    CHECK((call) == VIGIL_INVALID_ARGUMENT);                           \
    CHECK(message_ != NULL && strstr(message_, (needle)) != NULL);     \
    if (message_ != NULL && strstr(message_, (needle)) == NULL) {      \
      fprintf(stderr, "  message was: %s (expected '%s')\n", message_, \
              (needle));                                               \
    }                                                                  \
    vigil_free(message_);                                              \
  } while (0)

static int near(double actual, double expected) {
  return fabs(actual - expected) <=
         1e-12 * (fabs(expected) > 1 ? fabs(expected) : 1);
}

/* Breaches over attendances; the third month has no denominator. */
#define N 5
static const double kNum[N] = {10, 12, 5, 30, 11};
static const double kDen[N] = {100, 110, NAN, 100, 90};

static void test_p_chart_in_percent(void) {
  double value[N], centre[N], lower[N], upper[N], lower2[N], upper2[N];
  int sigma[N], cause[N], type[N], runs[N * VIGIL_SPC_RUNS_FIELDS];
  int icon = -1, assurance = -1, status = -1;
  char* error = NULL;
  const double p = 63.0 / 400;
  int i;
  CHECK(vigil_spc_chart_analyze(
            VIGIL_SPC_CHART_P, kNum, kDen, N, NULL, NULL, 100, 0,
            VIGIL_SPC_RULES_MAKING_DATA_COUNT, VIGIL_SPC_DECREASE, 0, 0, value,
            centre, lower, upper, lower2, upper2, sigma, cause, type, runs,
            &icon, &assurance, &status, &error) == VIGIL_OK);
  CHECK(error == NULL);
  for (i = 0; i < N; ++i) {
    double s;
    if (i == 2) continue;
    s = sqrt(p * (1 - p) / kDen[i]);
    CHECK(near(centre[i], 100 * p));
    CHECK(near(upper[i], 100 * (p + 3 * s)));
    CHECK(near(upper2[i], 100 * (p + 2 * s)));
    CHECK(near(lower[i], 100 * (p - 3 * s > 0 ? p - 3 * s : 0)));
    CHECK(near(value[i], 100 * kNum[i] / kDen[i]));
  }
  CHECK(isnan(value[2]) && isnan(upper[2]));
  CHECK(type[2] == VIGIL_SPC_POINT_MISSING);
  CHECK(sigma[3] == 1 && cause[3] == VIGIL_SPC_CAUSE_ABOVE_UCL);
  CHECK(type[3] == VIGIL_SPC_POINT_CONCERN); /* Lower is better. */
  CHECK(runs[0] == 4);                       /* Useful points. */
  CHECK(runs[2] == 5);                       /* round(log2(4)) + 3. */
  CHECK(status == VIGIL_SPC_STATUS_OK);
  CHECK(icon == VIGIL_SPC_ICON_COMMON_CAUSE);
  CHECK(assurance == VIGIL_SPC_ASSURANCE_NONE);
  CHECK(strcmp(vigil_spc_chart_name(VIGIL_SPC_CHART_P_PRIME), "pp") == 0);
  CHECK(strcmp(vigil_spc_special_cause_label(VIGIL_SPC_CAUSE_LONG_RUN_ABOVE),
               "Long Run Above CL") == 0);
}

static void test_c_chart_without_denominators_and_null_outputs(void) {
  const double counts[4] = {2, 4, 6, 0};
  double upper[4];
  int status = -1;
  CHECK(vigil_spc_chart_analyze(VIGIL_SPC_CHART_C, counts, NULL, 4, NULL, NULL,
                                0, 0, VIGIL_SPC_RULES_ANHOEJ,
                                VIGIL_SPC_INCREASE, 0, 0, NULL, NULL, NULL,
                                upper, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                NULL, &status, NULL) == VIGIL_OK);
  CHECK(near(upper[0], 3 + 3 * sqrt(3.0)));
  CHECK(status == VIGIL_SPC_STATUS_OK);
  CHECK(vigil_spc_chart_analyze(VIGIL_SPC_CHART_C, counts, NULL, 1, NULL, NULL,
                                0, 0, 0, 1, 0, 0, NULL, NULL, NULL, NULL, NULL,
                                NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                &status, NULL) == VIGIL_OK);
  CHECK(status == VIGIL_SPC_STATUS_SINGLE_POINT);
  CHECK(strlen(vigil_spc_status_description(status)) > 0);
}

static void test_bad_arguments(void) {
  const double one[2] = {1, 3};
  const double two[2] = {2, 2};
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_XMR, one, NULL, 2, NULL,
                                      NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "vigil_spc_analyze");
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_P, one, NULL, 2, NULL,
                                      NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "denominators is NULL");
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_P, one, two, 2, NULL,
                                      NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "numerators[1]");
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_C, one, NULL, 2, NULL,
                                      NULL, 0, 0, 2, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "rules");
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_C, one, NULL, 2, NULL,
                                      NULL, -1, 0, 0, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "multiplier");
  CHECK_ERROR(vigil_spc_chart_analyze(VIGIL_SPC_CHART_C, NULL, NULL, 2, NULL,
                                      NULL, 0, 0, 0, 1, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL, error_message),
              "numerators is NULL");
}

int main(void) {
  test_p_chart_in_percent();
  test_c_chart_without_denominators_and_null_outputs();
  test_bad_arguments();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
