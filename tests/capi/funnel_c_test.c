/* The funnel-plot C API (vigil_funnel_*), tested from C99: worked examples
 * against the formulas of include/vigil/funnel.h, every bad argument, NULL
 * outputs. Quantiles: qnorm(0.975) and qnorm(0.999). */
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

/* An INVALID_ARGUMENT (or other) status whose message holds `needle`; frees
 * the message. */
#define CHECK_ERROR(call, code, needle)                                \
  do {                                                                 \
    char* message_ = NULL;                                             \
    char** error_message = &message_;                                  \
    CHECK((call) == (code));                                           \
    CHECK(message_ != NULL && strstr(message_, (needle)) != NULL);     \
    if (message_ != NULL && strstr(message_, (needle)) == NULL) {      \
      fprintf(stderr, "  message was: %s (expected '%s')\n", message_, \
              (needle));                                               \
    }                                                                  \
    vigil_free(message_);                                              \
  } while (0)

static const double kZ[2] = {1.959963984540054, 3.0902323061678132};
static const double kHalfPi = 1.5707963267948966;

/* Equal within a relative 1e-10 (the kernel's rounding, not its formula). */
static int near(double actual, double expected) {
  return fabs(actual - expected) <=
         1e-10 * (fabs(expected) > 1 ? fabs(expected) : 1);
}

static double clamp(double angle) {
  return angle < 0 ? 0 : angle > kHalfPi ? kHalfPi : angle;
}

static double sin2(double angle) { return sin(angle) * sin(angle); }

/* Four trusts with mortality counts, one with no numerator, one with no
 * patients. */
#define N 6
static const double kNum[N] = {30, 52, 12, 90, 0, 0};
static const double kDen[N] = {1000, 1400, 500, 1200, 300, 0};

static vigil_funnel_options* make_options(int type, int overdispersion) {
  vigil_funnel_options* options = NULL;
  CHECK(vigil_funnel_options_create(&options) == VIGIL_OK);
  CHECK(options != NULL);
  CHECK(vigil_funnel_options_set_type(options, type, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_options_set_overdispersion(options, overdispersion,
                                                NULL) == VIGIL_OK);
  return options;
}

/* Proportions, no overdispersion: the arcsine limits sin^2(asin(sqrt(p0)) -+
 * z / (2 sqrt(n))), z-scores 2 sqrt(n) (asin(sqrt(x / n)) - asin(sqrt(p0))),
 * the pooled target, and groups not used reported with their status. */
static void test_proportions_without_overdispersion(void) {
  double num[N], values[N], z[N], z_unadjusted[N], lower[N * 2], upper[N * 2];
  int status[N], flags[N * 2], i, c;
  char sentinel = 0;
  char* error = &sentinel;
  vigil_funnel* funnel = NULL;
  vigil_funnel_options* options =
      make_options(VIGIL_FUNNEL_PROPORTION, VIGIL_FUNNEL_OVERDISPERSION_NONE);
  const double p0 = (30.0 + 52 + 12 + 90) / (1000.0 + 1400 + 500 + 1200);
  const double centre = asin(sqrt(p0));
  memcpy(num, kNum, sizeof(num));
  num[4] = VIGIL_NONE; /* Missing numerator. */
  CHECK(vigil_funnel_fit(options, num, kDen, N, values, z, z_unadjusted, status,
                         lower, upper, flags, &funnel, &error) == VIGIL_OK);
  CHECK(error == NULL); /* Set to NULL on success. */
  CHECK(funnel != NULL);
  CHECK(near(vigil_funnel_target(funnel), p0));
  CHECK(vigil_funnel_groups(funnel) == 4);
  CHECK(vigil_funnel_adjusted(funnel) == 0);
  CHECK(vigil_funnel_tau2(funnel) == 0);
  CHECK(vigil_funnel_type(funnel) == VIGIL_FUNNEL_PROPORTION);
  CHECK(vigil_funnel_scale(funnel) == VIGIL_FUNNEL_SCALE_ARCSINE);
  CHECK(vigil_funnel_limit_method(funnel) == VIGIL_FUNNEL_LIMITS_APPROXIMATE);
  CHECK(vigil_funnel_overdispersion(funnel) ==
        VIGIL_FUNNEL_OVERDISPERSION_NONE);
  CHECK(vigil_funnel_multiplier(funnel) == 1);
  CHECK(vigil_funnel_coverage_count(funnel) == 2);
  CHECK(vigil_funnel_coverage(funnel, 0) == 0.95);
  CHECK(vigil_funnel_coverage(funnel, 1) == 0.998);
  CHECK(isnan(vigil_funnel_coverage(funnel, 2)));
  for (i = 0; i < 4; ++i) {
    const double n = kDen[i];
    const double expected_z = 2 * sqrt(n) * (asin(sqrt(kNum[i] / n)) - centre);
    CHECK(status[i] == VIGIL_FUNNEL_STATUS_USED);
    CHECK(near(values[i], kNum[i] / n));
    CHECK(near(z[i], expected_z));
    CHECK(near(z_unadjusted[i], expected_z));
    for (c = 0; c < 2; ++c) {
      const double lo = sin2(clamp(centre - kZ[c] / (2 * sqrt(n))));
      const double hi = sin2(clamp(centre + kZ[c] / (2 * sqrt(n))));
      double at_lo = 0, at_hi = 0;
      CHECK(near(lower[i * 2 + c], lo));
      CHECK(near(upper[i * 2 + c], hi));
      CHECK(flags[i * 2 + c] == (values[i] < lo   ? VIGIL_FUNNEL_FLAG_LOW
                                 : values[i] > hi ? VIGIL_FUNNEL_FLAG_HIGH
                                                  : VIGIL_FUNNEL_FLAG_NONE));
      /* The same limits at the group's denominator, for drawing. */
      CHECK(vigil_funnel_limits_at(funnel, n, (size_t)c, &at_lo, &at_hi,
                                   NULL) == VIGIL_OK);
      CHECK(at_lo == lower[i * 2 + c] && at_hi == upper[i * 2 + c]);
    }
  }
  /* Without overdispersion the example has a group low at 95% only and one
   * high at both. */
  CHECK(flags[0 * 2 + 0] == VIGIL_FUNNEL_FLAG_LOW);
  CHECK(flags[0 * 2 + 1] == VIGIL_FUNNEL_FLAG_NONE);
  CHECK(flags[3 * 2 + 0] == VIGIL_FUNNEL_FLAG_HIGH);
  CHECK(flags[3 * 2 + 1] == VIGIL_FUNNEL_FLAG_HIGH);
  CHECK(strcmp(vigil_funnel_flag_name(flags[0]), "low") == 0);
  /* Not used: reported, NaN results, no flag. */
  CHECK(status[4] == VIGIL_FUNNEL_STATUS_MISSING);
  CHECK(status[5] == VIGIL_FUNNEL_STATUS_ZERO_DENOMINATOR);
  for (i = 4; i < N; ++i) {
    CHECK(isnan(values[i]) && isnan(z[i]) && isnan(z_unadjusted[i]));
    for (c = 0; c < 2; ++c) {
      CHECK(isnan(lower[i * 2 + c]) && isnan(upper[i * 2 + c]));
      CHECK(flags[i * 2 + c] == VIGIL_FUNNEL_FLAG_NONE);
    }
  }
  vigil_funnel_destroy(funnel);
  vigil_funnel_options_destroy(options);
}

/* phi is the mean squared z-score (trim 0: nothing winsorised). Multiplicative:
 * limits widened by sqrt(phi), z divided by it. Additive: DerSimonian-Laird
 * tau^2 = (k phi - (k - 1)) / (sum w - sum w^2 / sum w), w = 4n, and limits
 * at sqrt(1 / (4n) + tau^2). */
static void test_overdispersion(void) {
  const double p0 = (30.0 + 52 + 12 + 90) / (1000.0 + 1400 + 500 + 1200);
  const double centre = asin(sqrt(p0));
  double z0[4], phi = 0, w = 0, w2 = 0, tau2, z[4], lower[4 * 2], upper[4 * 2];
  int i, c, method;
  for (i = 0; i < 4; ++i) {
    z0[i] = 2 * sqrt(kDen[i]) * (asin(sqrt(kNum[i] / kDen[i])) - centre);
    phi += z0[i] * z0[i] / 4;
    w += 4 * kDen[i];
    w2 += 16 * kDen[i] * kDen[i];
  }
  tau2 = (4 * phi - 3) / (w - w2 / w);
  CHECK(phi > 1); /* The example is overdispersed. */
  for (method = VIGIL_FUNNEL_OVERDISPERSION_MULTIPLICATIVE;
       method <= VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE; ++method) {
    vigil_funnel* funnel = NULL;
    vigil_funnel_options* options =
        make_options(VIGIL_FUNNEL_PROPORTION, method);
    CHECK(vigil_funnel_options_set_trim(options, 0, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, z, NULL, NULL, lower,
                           upper, NULL, &funnel, NULL) == VIGIL_OK);
    CHECK(near(vigil_funnel_phi(funnel), phi));
    CHECK(vigil_funnel_phi_groups(funnel) == 4);
    CHECK(vigil_funnel_adjusted(funnel) == 1);
    CHECK(vigil_funnel_overdispersion(funnel) == method);
    for (i = 0; i < 4; ++i) {
      const double s = 1 / (2 * sqrt(kDen[i]));
      const double sd = method == VIGIL_FUNNEL_OVERDISPERSION_MULTIPLICATIVE
                            ? sqrt(phi) * s
                            : sqrt(s * s + tau2);
      CHECK(near(z[i], z0[i] * s / sd));
      for (c = 0; c < 2; ++c) {
        CHECK(near(lower[i * 2 + c], sin2(clamp(centre - kZ[c] * sd))));
        CHECK(near(upper[i * 2 + c], sin2(clamp(centre + kZ[c] * sd))));
      }
    }
    CHECK(near(vigil_funnel_tau2(funnel),
               method == VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE ? tau2 : 0));
    vigil_funnel_destroy(funnel);
    vigil_funnel_options_destroy(options);
  }
}

/* Ratios (observed / expected) around 1, and rates per 1000 around the pooled
 * rate, with approximate limits on the log and square-root scales. */
static void test_ratios_and_rates(void) {
  const double observed[3] = {12, 30, 51};
  const double expected[3] = {10, 40, 45};
  double z[3], lower[3], upper[3], coverage = 0.95, grid[3], curve_lo[3];
  double curve_hi[3];
  int i, scale;
  vigil_funnel* funnel = NULL;
  for (scale = VIGIL_FUNNEL_SCALE_LOG; scale <= VIGIL_FUNNEL_SCALE_SQRT;
       ++scale) {
    vigil_funnel_options* options =
        make_options(VIGIL_FUNNEL_RATIO, VIGIL_FUNNEL_OVERDISPERSION_NONE);
    CHECK(vigil_funnel_options_set_scale(options, scale, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_options_set_limit_method(
              options, VIGIL_FUNNEL_LIMITS_APPROXIMATE, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_options_set_coverages(options, &coverage, 1, NULL) ==
          VIGIL_OK);
    CHECK(vigil_funnel_fit(options, observed, expected, 3, NULL, z, NULL, NULL,
                           lower, upper, NULL, &funnel, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_target(funnel) == 1);
    CHECK(vigil_funnel_scale(funnel) == scale);
    for (i = 0; i < 3; ++i) {
      const double e = expected[i], o = observed[i];
      if (scale == VIGIL_FUNNEL_SCALE_LOG) {
        CHECK(near(z[i], log(o / e) * sqrt(e)));
        CHECK(near(lower[i], exp(-kZ[0] / sqrt(e))));
        CHECK(near(upper[i], exp(kZ[0] / sqrt(e))));
      } else {
        const double h = kZ[0] / (2 * sqrt(e));
        CHECK(near(z[i], (sqrt(o / e) - 1) * 2 * sqrt(e)));
        CHECK(near(lower[i], (1 - h) * (1 - h)));
        CHECK(near(upper[i], (1 + h) * (1 + h)));
      }
    }
    vigil_funnel_destroy(funnel);
    vigil_funnel_options_destroy(options);
  }
  {
    /* Rates per 1000 bed-days: target = 1000 * sum / sum, log scale s = 1 /
     * sqrt(rate * exposure). */
    const double rate = (12.0 + 30 + 51) / (10 + 40 + 45);
    vigil_funnel_options* options =
        make_options(VIGIL_FUNNEL_RATE, VIGIL_FUNNEL_OVERDISPERSION_NONE);
    double values[3];
    CHECK(vigil_funnel_options_set_multiplier(options, 1000, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_options_set_limit_method(
              options, VIGIL_FUNNEL_LIMITS_APPROXIMATE, NULL) == VIGIL_OK);
    CHECK(vigil_funnel_options_set_coverages(options, &coverage, 1, NULL) ==
          VIGIL_OK);
    CHECK(vigil_funnel_fit(options, observed, expected, 3, values, NULL, NULL,
                           NULL, lower, upper, NULL, &funnel,
                           NULL) == VIGIL_OK);
    CHECK(near(vigil_funnel_target(funnel), 1000 * rate));
    CHECK(vigil_funnel_multiplier(funnel) == 1000);
    for (i = 0; i < 3; ++i) {
      const double s = 1 / sqrt(rate * expected[i]);
      CHECK(near(values[i], 1000 * observed[i] / expected[i]));
      CHECK(near(lower[i], 1000 * rate * exp(-kZ[0] * s)));
      CHECK(near(upper[i], 1000 * rate * exp(kZ[0] * s)));
    }
    /* A grid and the curve over it: the limits at each grid point. */
    CHECK(vigil_funnel_denominator_grid(10, 50, 3, grid, NULL) == VIGIL_OK);
    CHECK(grid[0] == 10 && grid[1] == 30 && grid[2] == 50);
    CHECK(vigil_funnel_curve(funnel, grid, 3, curve_lo, curve_hi, NULL) ==
          VIGIL_OK);
    for (i = 0; i < 3; ++i) {
      const double s = 1 / sqrt(rate * grid[i]);
      CHECK(near(curve_lo[i], 1000 * rate * exp(-kZ[0] * s)));
      CHECK(near(curve_hi[i], 1000 * rate * exp(kZ[0] * s)));
    }
    CHECK(vigil_funnel_curve(funnel, grid, 3, NULL, curve_hi, NULL) ==
          VIGIL_OK);
    CHECK(vigil_funnel_curve(funnel, NULL, 0, NULL, NULL, NULL) == VIGIL_OK);
    vigil_funnel_destroy(funnel);
    vigil_funnel_options_destroy(options);
  }
}

/* Every output may be NULL; an explicit target and coverages are used. */
static void test_null_outputs_and_options(void) {
  vigil_funnel_options* options =
      make_options(VIGIL_FUNNEL_PROPORTION, VIGIL_FUNNEL_OVERDISPERSION_NONE);
  const double coverages[3] = {0.8, 0.9, 0.99};
  double lower[4 * 3];
  vigil_funnel* funnel = NULL;
  int c;
  CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_options_set_coverages(options, coverages, 3, NULL) ==
        VIGIL_OK);
  CHECK(vigil_funnel_options_set_target(options, 0.05, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL, lower,
                         NULL, NULL, &funnel, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_target(funnel) == 0.05);
  CHECK(vigil_funnel_coverage_count(funnel) == 3);
  for (c = 0; c < 3; ++c) {
    /* qnorm(0.9), qnorm(0.95), qnorm(0.995) */
    static const double z[3] = {1.2815515655446004, 1.6448536269514722,
                                2.5758293035489004};
    CHECK(near(lower[2 * 3 + c],
               sin2(clamp(asin(sqrt(0.05)) - z[c] / (2 * sqrt(500))))));
  }
  CHECK(vigil_funnel_limits_at(funnel, 500, 2, NULL, NULL, NULL) == VIGIL_OK);
  /* VIGIL_NONE restores the pooled target. */
  vigil_funnel_destroy(funnel);
  CHECK(vigil_funnel_options_set_target(options, VIGIL_NONE, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, &funnel, NULL) == VIGIL_OK);
  CHECK(near(vigil_funnel_target(funnel), 184.0 / 4100));
  vigil_funnel_destroy(funnel);
  vigil_funnel_destroy(NULL);
  vigil_funnel_options_destroy(options);
  vigil_funnel_options_destroy(NULL);
}

/* Bad setters leave the options as they were and name the argument. */
static void test_bad_options(void) {
  vigil_funnel_options* options = NULL;
  vigil_funnel* funnel = NULL;
  const double good[2] = {0.9, 0.95};
  double bad[2] = {0.9, 0.9};
  const double nine[9] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  CHECK(vigil_funnel_options_create(NULL) == VIGIL_INVALID_ARGUMENT);
  CHECK(vigil_funnel_options_create(&options) == VIGIL_OK);

  CHECK_ERROR(vigil_funnel_options_set_type(NULL, 0, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_type(options, 3, error_message),
              VIGIL_INVALID_ARGUMENT, "type");
  CHECK_ERROR(vigil_funnel_options_set_type(options, -1, error_message),
              VIGIL_INVALID_ARGUMENT, "type");
  CHECK_ERROR(
      vigil_funnel_options_set_overdispersion(options, 3, error_message),
      VIGIL_INVALID_ARGUMENT, "overdispersion");
  CHECK_ERROR(vigil_funnel_options_set_overdispersion(NULL, 0, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_scale(options, 4, error_message),
              VIGIL_INVALID_ARGUMENT, "scale");
  CHECK_ERROR(vigil_funnel_options_set_scale(NULL, 0, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_limit_method(options, 3, error_message),
              VIGIL_INVALID_ARGUMENT, "limit method");
  CHECK_ERROR(vigil_funnel_options_set_limit_method(NULL, 0, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_trim(options, 0.5, error_message),
              VIGIL_INVALID_ARGUMENT, "trim");
  CHECK_ERROR(vigil_funnel_options_set_trim(options, -0.01, error_message),
              VIGIL_INVALID_ARGUMENT, "trim");
  CHECK_ERROR(vigil_funnel_options_set_trim(options, VIGIL_NONE, error_message),
              VIGIL_INVALID_ARGUMENT, "trim");
  CHECK_ERROR(vigil_funnel_options_set_trim(NULL, 0.1, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_multiplier(options, 0, error_message),
              VIGIL_INVALID_ARGUMENT, "multiplier");
  CHECK_ERROR(vigil_funnel_options_set_multiplier(options, -100, error_message),
              VIGIL_INVALID_ARGUMENT, "multiplier");
  CHECK_ERROR(
      vigil_funnel_options_set_multiplier(options, HUGE_VAL, error_message),
      VIGIL_INVALID_ARGUMENT, "multiplier");
  CHECK_ERROR(
      vigil_funnel_options_set_multiplier(options, VIGIL_NONE, error_message),
      VIGIL_INVALID_ARGUMENT, "multiplier");
  CHECK_ERROR(vigil_funnel_options_set_multiplier(NULL, 1, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_target(options, HUGE_VAL, error_message),
              VIGIL_INVALID_ARGUMENT, "target");
  CHECK_ERROR(
      vigil_funnel_options_set_target(options, -HUGE_VAL, error_message),
      VIGIL_INVALID_ARGUMENT, "target");
  CHECK_ERROR(vigil_funnel_options_set_target(NULL, 0.5, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(vigil_funnel_options_set_coverages(NULL, good, 2, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, NULL, 2, error_message),
      VIGIL_INVALID_ARGUMENT, "coverages is NULL");
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, good, 0, error_message),
      VIGIL_INVALID_ARGUMENT, "count");
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, nine, 9, error_message),
      VIGIL_INVALID_ARGUMENT, "count");
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, bad, 2, error_message),
      VIGIL_INVALID_ARGUMENT, "coverages[0] and coverages[1]");
  bad[1] = 1;
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, bad, 2, error_message),
      VIGIL_INVALID_ARGUMENT, "coverages[1]");
  bad[1] = 0;
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, bad, 2, error_message),
      VIGIL_INVALID_ARGUMENT, "coverages[1]");
  bad[1] = VIGIL_NONE;
  CHECK_ERROR(
      vigil_funnel_options_set_coverages(options, bad, 2, error_message),
      VIGIL_INVALID_ARGUMENT, "coverages[1]");
  CHECK(vigil_funnel_options_set_coverages(options, nine, 8, NULL) == VIGIL_OK);

  /* None of the rejected values took: still the defaults (proportions,
   * additive, multiplier 1, the pooled target) and the 8 coverages. */
  CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, &funnel, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_type(funnel) == VIGIL_FUNNEL_PROPORTION);
  CHECK(vigil_funnel_coverage_count(funnel) == 8);
  CHECK(vigil_funnel_multiplier(funnel) == 1);
  CHECK(near(vigil_funnel_target(funnel), 184.0 / 4100));
  CHECK(vigil_funnel_overdispersion(funnel) ==
        VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE);
  vigil_funnel_destroy(funnel);
  CHECK(vigil_funnel_options_set_coverages(options, good, 2, NULL) == VIGIL_OK);

  /* Options that conflict are found at fit and named. */
  CHECK(vigil_funnel_options_set_target(options, 2, NULL) == VIGIL_OK);
  CHECK_ERROR(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "target");
  CHECK(vigil_funnel_options_set_target(options, VIGIL_NONE, NULL) == VIGIL_OK);
  CHECK(vigil_funnel_options_set_scale(options, VIGIL_FUNNEL_SCALE_LOG, NULL) ==
        VIGIL_OK);
  CHECK_ERROR(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "scale");
  vigil_funnel_options_destroy(options);
}

/* Bad data: an error naming the group, outputs untouched, *funnel NULL. */
static void test_bad_data(void) {
  vigil_funnel_options* options =
      make_options(VIGIL_FUNNEL_PROPORTION, VIGIL_FUNNEL_OVERDISPERSION_NONE);
  double num[4], den[4], values[4] = {-7, -7, -7, -7};
  vigil_funnel* funnel = (vigil_funnel*)&num;
  const double nan4[4] = {VIGIL_NONE, VIGIL_NONE, VIGIL_NONE, VIGIL_NONE};
  int i;
  CHECK_ERROR(vigil_funnel_fit(NULL, kNum, kDen, 4, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, &funnel, error_message),
              VIGIL_INVALID_ARGUMENT, "options is NULL");
  CHECK(funnel == NULL);
  CHECK_ERROR(vigil_funnel_fit(options, NULL, kDen, 4, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "numerators is NULL");
  CHECK_ERROR(vigil_funnel_fit(options, kNum, NULL, 4, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "denominators is NULL");

  memcpy(num, kNum, sizeof(num));
  memcpy(den, kDen, sizeof(den));
  num[2] = -1;
  funnel = (vigil_funnel*)&num;
  CHECK_ERROR(vigil_funnel_fit(options, num, den, 4, values, NULL, NULL, NULL,
                               NULL, NULL, NULL, &funnel, error_message),
              VIGIL_INVALID_ARGUMENT, "numerators[2]");
  CHECK(funnel == NULL);
  for (i = 0; i < 4; ++i) CHECK(values[i] == -7); /* Untouched. */
  num[2] = 12;
  den[1] = HUGE_VAL;
  CHECK_ERROR(vigil_funnel_fit(options, num, den, 4, values, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "denominators[1]");
  den[1] = 1400;
  num[3] = 1201;
  CHECK_ERROR(vigil_funnel_fit(options, num, den, 4, values, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "numerators[3]");
  CHECK_ERROR(vigil_funnel_fit(options, nan4, den, 4, values, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_FAILED_PRECONDITION, "no group");
  CHECK_ERROR(vigil_funnel_fit(options, NULL, NULL, 0, NULL, NULL, NULL, NULL,
                               NULL, NULL, NULL, NULL, error_message),
              VIGIL_FAILED_PRECONDITION, "no group");
  for (i = 0; i < 4; ++i) CHECK(values[i] == -7);
  /* No message wanted: the status alone. */
  CHECK(vigil_funnel_fit(options, nan4, den, 4, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL, NULL) == VIGIL_FAILED_PRECONDITION);
  vigil_funnel_options_destroy(options);
}

static void test_bad_limits_curve_and_grid(void) {
  vigil_funnel_options* options =
      make_options(VIGIL_FUNNEL_PROPORTION, VIGIL_FUNNEL_OVERDISPERSION_NONE);
  vigil_funnel* funnel = NULL;
  double lo = -7, hi = -7, grid[3] = {-7, -7, -7}, zero[2] = {100, 0};
  double out[4];
  CHECK(vigil_funnel_fit(options, kNum, kDen, 4, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, &funnel, NULL) == VIGIL_OK);
  CHECK_ERROR(vigil_funnel_limits_at(NULL, 100, 0, &lo, &hi, error_message),
              VIGIL_INVALID_ARGUMENT, "funnel is NULL");
  CHECK_ERROR(vigil_funnel_limits_at(funnel, 0, 0, &lo, &hi, error_message),
              VIGIL_INVALID_ARGUMENT, "denominator");
  CHECK_ERROR(vigil_funnel_limits_at(funnel, -5, 0, &lo, &hi, error_message),
              VIGIL_INVALID_ARGUMENT, "denominator");
  CHECK_ERROR(
      vigil_funnel_limits_at(funnel, VIGIL_NONE, 0, &lo, &hi, error_message),
      VIGIL_INVALID_ARGUMENT, "denominator");
  CHECK_ERROR(
      vigil_funnel_limits_at(funnel, HUGE_VAL, 0, &lo, &hi, error_message),
      VIGIL_INVALID_ARGUMENT, "denominator");
  CHECK_ERROR(vigil_funnel_limits_at(funnel, 100, 2, &lo, &hi, error_message),
              VIGIL_INVALID_ARGUMENT, "coverage index");
  CHECK(lo == -7 && hi == -7);
  CHECK_ERROR(vigil_funnel_curve(NULL, zero, 1, out, out, error_message),
              VIGIL_INVALID_ARGUMENT, "funnel is NULL");
  CHECK_ERROR(vigil_funnel_curve(funnel, NULL, 2, out, out, error_message),
              VIGIL_INVALID_ARGUMENT, "denominators is NULL");
  CHECK_ERROR(vigil_funnel_curve(funnel, zero, 2, out, out, error_message),
              VIGIL_INVALID_ARGUMENT, "denominators[1]");
  CHECK_ERROR(vigil_funnel_denominator_grid(10, 50, 1, grid, error_message),
              VIGIL_INVALID_ARGUMENT, "points");
  CHECK_ERROR(vigil_funnel_denominator_grid(0, 50, 3, grid, error_message),
              VIGIL_INVALID_ARGUMENT, "lowest");
  CHECK_ERROR(vigil_funnel_denominator_grid(60, 50, 3, grid, error_message),
              VIGIL_INVALID_ARGUMENT, "lowest");
  CHECK_ERROR(
      vigil_funnel_denominator_grid(10, HUGE_VAL, 3, grid, error_message),
      VIGIL_INVALID_ARGUMENT, "highest");
  CHECK_ERROR(
      vigil_funnel_denominator_grid(VIGIL_NONE, 50, 3, grid, error_message),
      VIGIL_INVALID_ARGUMENT, "lowest");
  CHECK_ERROR(vigil_funnel_denominator_grid(10, 50, 3, NULL, error_message),
              VIGIL_INVALID_ARGUMENT, "out is NULL");
  CHECK(grid[0] == -7);
  CHECK(vigil_funnel_denominator_grid(50, 50, 2, grid, NULL) == VIGIL_OK);
  CHECK(grid[0] == 50 && grid[1] == 50);
  vigil_funnel_destroy(funnel);
  vigil_funnel_options_destroy(options);
}

static void test_names_and_null_funnel(void) {
  CHECK(strcmp(vigil_funnel_type_name(VIGIL_FUNNEL_RATIO), "ratio") == 0);
  CHECK(strcmp(vigil_funnel_type_name(3), "") == 0);
  CHECK(strcmp(vigil_funnel_overdispersion_name(
                   VIGIL_FUNNEL_OVERDISPERSION_ADDITIVE),
               "additive") == 0);
  CHECK(strcmp(vigil_funnel_overdispersion_name(-1), "") == 0);
  CHECK(strcmp(vigil_funnel_scale_name(VIGIL_FUNNEL_SCALE_SQRT), "sqrt") == 0);
  CHECK(strcmp(vigil_funnel_scale_name(VIGIL_FUNNEL_SCALE_DEFAULT),
               "default") == 0);
  CHECK(strcmp(vigil_funnel_scale_name(4), "") == 0);
  CHECK(strcmp(vigil_funnel_limit_method_name(VIGIL_FUNNEL_LIMITS_EXACT),
               "exact") == 0);
  CHECK(strcmp(vigil_funnel_limit_method_name(3), "") == 0);
  CHECK(strcmp(vigil_funnel_flag_name(VIGIL_FUNNEL_FLAG_HIGH), "high") == 0);
  CHECK(strcmp(vigil_funnel_flag_name(VIGIL_FUNNEL_FLAG_NONE), "") == 0);
  CHECK(strcmp(vigil_funnel_flag_name(2), "") == 0);
  CHECK(strcmp(vigil_funnel_status_name(VIGIL_FUNNEL_STATUS_ZERO_DENOMINATOR),
               "zero_denominator") == 0);
  CHECK(strcmp(vigil_funnel_status_name(3), "") == 0);
  CHECK(isnan(vigil_funnel_target(NULL)));
  CHECK(isnan(vigil_funnel_phi(NULL)));
  CHECK(isnan(vigil_funnel_tau2(NULL)));
  CHECK(isnan(vigil_funnel_multiplier(NULL)));
  CHECK(isnan(vigil_funnel_coverage(NULL, 0)));
  CHECK(vigil_funnel_adjusted(NULL) == 0);
  CHECK(vigil_funnel_groups(NULL) == 0);
  CHECK(vigil_funnel_phi_groups(NULL) == 0);
  CHECK(vigil_funnel_coverage_count(NULL) == 0);
  CHECK(vigil_funnel_type(NULL) == -1);
  CHECK(vigil_funnel_scale(NULL) == -1);
  CHECK(vigil_funnel_limit_method(NULL) == -1);
  CHECK(vigil_funnel_overdispersion(NULL) == -1);
}

int main(void) {
  test_proportions_without_overdispersion();
  test_overdispersion();
  test_ratios_and_rates();
  test_null_outputs_and_options();
  test_bad_options();
  test_bad_data();
  test_bad_limits_curve_and_grid();
  test_names_and_null_funnel();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
