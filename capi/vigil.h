/* vigil.h: the stable C API of libvigil, the quality-rules engine for
 * health-care commissioners.
 *
 * A host compiles a rule pack once into a vigil_engine, feeds data into a
 * vigil_dataset, evaluates, and reads the vigil_report field by field (or as
 * protobuf bytes / JSON of vigil.v1.Report). Nothing but this header is
 * needed: no protobuf, no C++.
 *
 *   vigil_engine* engine = NULL;
 *   char* error = NULL;
 *   if (vigil_engine_create_from_file("rules.textproto", &engine, &error)) {
 *     fprintf(stderr, "%s\n", error);   names the rule and field at fault
 *     vigil_free(error);
 *   }
 *   vigil_dataset* data = NULL;
 *   vigil_dataset_create(&data);
 *   vigil_dataset_add_indicator(data, "AE", "A&E 4-hour", "responsive",
 *                               "percentage", "higher_is_better", "monthly",
 *                               0, NULL);
 *   vigil_dataset_add_observation(data, "RRK", "AE", "2019-03", VIGIL_NONE,
 *                                 7849, 9044, NULL);
 *   vigil_report* report = NULL;
 *   vigil_engine_evaluate(engine, data, "2019-03", 1, &report, NULL);
 *   for (size_t i = 0; i < vigil_report_assessment_count(report); ++i)
 *     printf("%s %s\n", vigil_report_assessment_provider_id(report, i),
 *            vigil_report_assessment_reason(report, i));
 *   vigil_report_destroy(report); vigil_dataset_destroy(data);
 *   vigil_engine_destroy(engine);
 *
 * ABI RULES. Functions are only ever added. A function's signature and
 * meaning never change within a major version: a changed function gets a new
 * name (e.g. vigil_engine_evaluate_v2). Handles are opaque; no struct crosses
 * the boundary. The library's soname carries the major version
 * (libvigil.so.0).
 *
 * STATUS. Every fallible function returns an int status equal to absl's
 * canonical codes (VIGIL_OK = 0, ...). When `error_message` is not NULL and
 * the status is not VIGIL_OK, *error_message receives a malloc'd, NUL-ended
 * message that the caller frees with vigil_free; on success it is set to
 * NULL. NULL handles, NULL required pointers and bad lengths give
 * VIGIL_INVALID_ARGUMENT, never a crash. No function throws or aborts: every
 * failure inside the library (including out of memory) becomes a status.
 *
 * THREAD SAFETY. A vigil_engine is immutable: any number of threads may
 * evaluate with one engine at once. A vigil_dataset is not thread-safe (one
 * writer); evaluating it builds its index once, after which it is read-only
 * and may be evaluated by several threads at once. A vigil_report is
 * immutable and may be read from any thread. Free functions are reentrant.
 *
 * OWNERSHIP. Objects returned through `**out` parameters belong to the
 * caller and are released with the matching vigil_*_destroy (or vigil_free
 * for bytes and messages). const char* results of report accessors are
 * borrowed: valid until the report is destroyed. All input strings are
 * UTF-8 and copied; the library keeps no pointer to caller memory.
 */
#ifndef VIGIL_CAPI_VIGIL_H_
#define VIGIL_CAPI_VIGIL_H_

#include <stddef.h>

#ifdef __cplusplus
#define VIGIL_NOEXCEPT noexcept
extern "C" {
#else
#define VIGIL_NOEXCEPT
#endif

#if defined(__GNUC__)
#define VIGIL_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_EXPORT
#endif

/* ---- Versions --------------------------------------------------------- */

#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH. */
#define VIGIL_VERSION_NUMBER 100

/* "MAJOR.MINOR.PATCH" of the loaded library (static string). */
VIGIL_EXPORT const char* vigil_version(void) VIGIL_NOEXCEPT;
/* VIGIL_VERSION_NUMBER of the loaded library. */
VIGIL_EXPORT int vigil_version_number(void) VIGIL_NOEXCEPT;

/* ---- Status codes (absl / google.rpc canonical codes) ---------------- */

#define VIGIL_OK 0
#define VIGIL_CANCELLED 1
#define VIGIL_UNKNOWN 2
#define VIGIL_INVALID_ARGUMENT 3 /* Bad input: null, bad bytes, a mistake. */
#define VIGIL_DEADLINE_EXCEEDED 4
#define VIGIL_NOT_FOUND 5 /* A file that does not exist. */
#define VIGIL_ALREADY_EXISTS 6
#define VIGIL_PERMISSION_DENIED 7   /* A file that cannot be opened. */
#define VIGIL_RESOURCE_EXHAUSTED 8  /* Out of memory. */
#define VIGIL_FAILED_PRECONDITION 9 /* E.g. adding to an evaluated dataset. */
#define VIGIL_ABORTED 10
#define VIGIL_OUT_OF_RANGE 11
#define VIGIL_UNIMPLEMENTED 12 /* A rule kind this version cannot run. */
#define VIGIL_INTERNAL 13      /* A bug; please report it. */
#define VIGIL_UNAVAILABLE 14
#define VIGIL_DATA_LOSS 15 /* A file that could not be read whole. */
#define VIGIL_UNAUTHENTICATED 16

/* "OK", "INVALID_ARGUMENT", ... ; "UNKNOWN_CODE" for other values. Static. */
VIGIL_EXPORT const char* vigil_status_name(int status) VIGIL_NOEXCEPT;

/* Frees memory the library gave the caller (messages, bytes). NULL is ok. */
VIGIL_EXPORT void vigil_free(void* pointer) VIGIL_NOEXCEPT;

/* ---- Formats and data kinds ------------------------------------------ */

#define VIGIL_FORMAT_BINARY 1 /* Protobuf wire format. */
#define VIGIL_FORMAT_JSON 2   /* Protobuf JSON. */
#define VIGIL_FORMAT_TEXT 3   /* Protobuf text format (rule packs). */
#define VIGIL_FORMAT_CSV 4    /* Data only; see include/vigil/io.h. */

#define VIGIL_KIND_OBSERVATIONS 0
#define VIGIL_KIND_PROVIDERS 1
#define VIGIL_KIND_INDICATORS 2
#define VIGIL_KIND_PLANS 3 /* Plan values (trajectories). */

/* A double argument that is "not given". Any NaN means the same. */
#if defined(__GNUC__)
#define VIGIL_NONE (__builtin_nan(""))
#else
#define VIGIL_NONE (0.0 / 0.0)
#endif

/* ---- Engine: a compiled rule pack (immutable, thread-safe) ------------ */

typedef struct vigil_engine vigil_engine;

/* Compiles a vigil.v1.RuleSet given as `length` bytes in `format` (BINARY,
 * JSON or TEXT). Errors: INVALID_ARGUMENT (unparseable, or a mistake in the
 * pack: the message names the rule and field), UNIMPLEMENTED (a rule kind
 * this version cannot evaluate). */
VIGIL_EXPORT int vigil_engine_create(const void* bytes, size_t length,
                                     int format, vigil_engine** out,
                                     char** error_message) VIGIL_NOEXCEPT;
/* As vigil_engine_create, from a file (format from its extension:
 * .textproto/.txtpb/.pbtxt, .json, .pb). NOT_FOUND for a missing file. */
VIGIL_EXPORT int vigil_engine_create_from_file(
    const char* path, vigil_engine** out, char** error_message) VIGIL_NOEXCEPT;
/* NULL is ok. The engine must outlive no report: reports are independent. */
VIGIL_EXPORT void vigil_engine_destroy(vigil_engine* engine) VIGIL_NOEXCEPT;

/* ---- Dataset: providers, indicators, observations, plans (one writer) - */

typedef struct vigil_dataset vigil_dataset;

VIGIL_EXPORT int vigil_dataset_create(vigil_dataset** out) VIGIL_NOEXCEPT;
VIGIL_EXPORT void vigil_dataset_destroy(vigil_dataset* dataset) VIGIL_NOEXCEPT;

/* Adds a provider. `name` and `type` may be NULL or "" (type: acute,
 * community, mental_health, ambulance, primary_care, independent,
 * social_care). When no provider is ever added, the ids in the observations
 * are used as is. INVALID_ARGUMENT for an unknown type. */
VIGIL_EXPORT int vigil_dataset_add_provider(
    vigil_dataset* dataset, const char* id, const char* name, const char* type,
    char** error_message) VIGIL_NOEXCEPT;

/* Adds an indicator. Enum arguments use the CSV names and may be NULL/"":
 * domain safe|effective|caring|responsive|well_led; unit count|percentage|
 * rate|ratio; polarity higher_is_better|lower_is_better|neutral|
 * zero_tolerance; frequency daily|monthly|quarterly|annual.
 * rate_multiplier 0 = default (100 for percentages, else 1). */
VIGIL_EXPORT int vigil_dataset_add_indicator(
    vigil_dataset* dataset, const char* id, const char* name,
    const char* domain, const char* unit, const char* polarity,
    const char* frequency, double rate_multiplier,
    char** error_message) VIGIL_NOEXCEPT;

/* Adds one observation. Pass VIGIL_NONE (NaN) for a number not given: a
 * value, or a numerator and denominator, or both. A row the engine cannot
 * use (unknown ids, bad period, zero denominator...) is not an error here:
 * it appears in the report's diagnostics with its row number (1-based, in
 * the order rows were added). */
VIGIL_EXPORT int vigil_dataset_add_observation(
    vigil_dataset* dataset, const char* provider_id, const char* indicator_id,
    const char* period, double value, double numerator, double denominator,
    char** error_message) VIGIL_NOEXCEPT;

/* Adds `count` observations from parallel arrays. `values`, `numerators`
 * and `denominators` may each be NULL (none given); NaN entries are "not
 * given". The string arrays are required and must have `count` non-NULL
 * entries. */
VIGIL_EXPORT int vigil_dataset_add_observations(
    vigil_dataset* dataset, size_t count, const char* const* provider_ids,
    const char* const* indicator_ids, const char* const* periods,
    const double* values, const double* numerators, const double* denominators,
    char** error_message) VIGIL_NOEXCEPT;

/* Adds one plan value: what the contract plans for `provider_id`'s
 * `indicator_id` in `period` (a trajectory point), in the indicator's unit
 * and frequency. The strings are required (NULL is INVALID_ARGUMENT) and
 * copied. A row the engine cannot use (empty id, bad period, NaN or infinite
 * value, unknown provider or indicator, another frequency than the
 * indicator's, conflicting duplicates) is not an error here: it appears in
 * the report's diagnostics with source "plans" and its row number (1-based,
 * in the order plan rows were added), and counts in the report's
 * plans_rejected. With no provider added, a plan's provider must appear in
 * the observations. FAILED_PRECONDITION once the dataset was evaluated. */
VIGIL_EXPORT int vigil_dataset_add_plan(vigil_dataset* dataset,
                                        const char* provider_id,
                                        const char* indicator_id,
                                        const char* period, double value,
                                        char** error_message) VIGIL_NOEXCEPT;

/* Adds `count` plan values from parallel arrays, as vigil_dataset_add_plan
 * row by row. All four arrays are required (when count > 0) and the string
 * arrays must have `count` non-NULL entries; otherwise INVALID_ARGUMENT and
 * no row is added. */
VIGIL_EXPORT int vigil_dataset_add_plans(vigil_dataset* dataset, size_t count,
                                         const char* const* provider_ids,
                                         const char* const* indicator_ids,
                                         const char* const* periods,
                                         const double* values,
                                         char** error_message) VIGIL_NOEXCEPT;

/* Adds data from bytes: CSV rows of `kind`, or a whole vigil.v1.Dataset in
 * BINARY/JSON/TEXT (then `kind` only matters for a bare JSON array).
 * `source_name` (may be NULL) names the data in diagnostics. */
VIGIL_EXPORT int vigil_dataset_add_bytes(vigil_dataset* dataset,
                                         const void* bytes, size_t length,
                                         int format, int kind,
                                         const char* source_name,
                                         char** error_message) VIGIL_NOEXCEPT;
/* As vigil_dataset_add_bytes, from a file (format from its extension). */
VIGIL_EXPORT int vigil_dataset_add_file(vigil_dataset* dataset,
                                        const char* path, int kind,
                                        char** error_message) VIGIL_NOEXCEPT;

/* ---- Evaluation -------------------------------------------------------- */

typedef struct vigil_report vigil_report;

/* Evaluates `dataset` as of `as_of` ("2019-03"; NULL or "" = the latest
 * period with data) with `threads` worker threads (<= 1: the calling thread).
 * The first evaluation indexes the dataset; later ones reuse the index, and
 * adding to it afterwards is FAILED_PRECONDITION. The report is the same
 * whatever the thread count or the order rows were added in. */
VIGIL_EXPORT int vigil_engine_evaluate(const vigil_engine* engine,
                                       vigil_dataset* dataset,
                                       const char* as_of, int threads,
                                       vigil_report** out,
                                       char** error_message) VIGIL_NOEXCEPT;

/* One shot: evaluates a whole vigil.v1.Dataset given as bytes. */
VIGIL_EXPORT int vigil_engine_evaluate_bytes(
    const vigil_engine* engine, const void* bytes, size_t length, int format,
    const char* as_of, vigil_report** out, char** error_message) VIGIL_NOEXCEPT;

/* ---- Report (immutable) ----------------------------------------------- */

VIGIL_EXPORT void vigil_report_destroy(vigil_report* report) VIGIL_NOEXCEPT;

/* The report as vigil.v1.Report in BINARY or JSON (field names as in the
 * .proto). *bytes is malloc'd (JSON is NUL-ended too); free with vigil_free.
 */
VIGIL_EXPORT int vigil_report_serialize(const vigil_report* report, int format,
                                        char** bytes, size_t* length,
                                        char** error_message) VIGIL_NOEXCEPT;

/* Ratings (equal to vigil.v1.Rating). */
#define VIGIL_RATING_GREEN 1
#define VIGIL_RATING_AMBER 2
#define VIGIL_RATING_RED 3
#define VIGIL_RATING_NO_DATA 4
#define VIGIL_RATING_NOT_APPLICABLE 5
/* "green", "amber", "red", "no_data", "not_applicable"; "" otherwise. */
VIGIL_EXPORT const char* vigil_rating_name(int rating) VIGIL_NOEXCEPT;

/* Escalation levels (equal to vigil.v1.EscalationLevel). */
#define VIGIL_ESCALATION_ROUTINE 1
#define VIGIL_ESCALATION_ENHANCED_SURVEILLANCE 2
#define VIGIL_ESCALATION_RISK_SUMMIT 3

/* Report accessors. A NULL report or an index out of range gives NULL for
 * strings, 0 for counts and ints, and 0 (not present) for doubles. */
VIGIL_EXPORT const char* vigil_report_as_of(const vigil_report* report)
    VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_ruleset_id(const vigil_report* report)
    VIGIL_NOEXCEPT;
VIGIL_EXPORT size_t vigil_report_assessment_count(const vigil_report* report)
    VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_assessment_provider_id(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_assessment_indicator_id(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_assessment_rule_id(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* The assessed period ("2019-03"). */
VIGIL_EXPORT const char* vigil_report_assessment_period(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* Period of the latest data used ("" when none). */
VIGIL_EXPORT const char* vigil_report_assessment_data_period(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_assessment_reason(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* VIGIL_RATING_*. */
VIGIL_EXPORT int vigil_report_assessment_rating(const vigil_report* report,
                                                size_t i) VIGIL_NOEXCEPT;
/* vigil.v1.Severity / Domain / Travel numbers. */
VIGIL_EXPORT int vigil_report_assessment_severity(const vigil_report* report,
                                                  size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_assessment_domain(const vigil_report* report,
                                                size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_assessment_travel(const vigil_report* report,
                                                size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_assessment_consecutive_periods(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* The judged value / standard / red boundary in the indicator's unit:
 * returns 1 and sets *out when present, else 0. */
VIGIL_EXPORT int vigil_report_assessment_value(const vigil_report* report,
                                               size_t i,
                                               double* out) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_assessment_standard(const vigil_report* report,
                                                  size_t i,
                                                  double* out) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_assessment_red_threshold(
    const vigil_report* report, size_t i, double* out) VIGIL_NOEXCEPT;

/* Provider summaries, sorted by provider id. */
VIGIL_EXPORT size_t vigil_report_provider_count(const vigil_report* report)
    VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_provider_id(const vigil_report* report,
                                                  size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_provider_name(const vigil_report* report,
                                                    size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT int vigil_report_provider_worst_rating(const vigil_report* report,
                                                    size_t i) VIGIL_NOEXCEPT;
/* VIGIL_ESCALATION_*. */
VIGIL_EXPORT int vigil_report_provider_escalation(const vigil_report* report,
                                                  size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_provider_escalation_reason(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* Number of the provider's assessments with `rating` (VIGIL_RATING_*). */
VIGIL_EXPORT int vigil_report_provider_rating_count(const vigil_report* report,
                                                    size_t i,
                                                    int rating) VIGIL_NOEXCEPT;

/* Diagnostics: every input row not used, with why. */
#define VIGIL_DIAGNOSTIC_INFO 1
#define VIGIL_DIAGNOSTIC_WARNING 2
#define VIGIL_DIAGNOSTIC_ERROR 3
VIGIL_EXPORT size_t vigil_report_diagnostic_count(const vigil_report* report)
    VIGIL_NOEXCEPT;
/* VIGIL_DIAGNOSTIC_*. */
VIGIL_EXPORT int vigil_report_diagnostic_severity(const vigil_report* report,
                                                  size_t i) VIGIL_NOEXCEPT;
/* vigil.v1.DiagnosticCode number. */
VIGIL_EXPORT int vigil_report_diagnostic_code(const vigil_report* report,
                                              size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_diagnostic_source(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;
/* 1-based row or line; 0 when not tied to one row. */
VIGIL_EXPORT long long vigil_report_diagnostic_row(const vigil_report* report,
                                                   size_t i) VIGIL_NOEXCEPT;
VIGIL_EXPORT const char* vigil_report_diagnostic_message(
    const vigil_report* report, size_t i) VIGIL_NOEXCEPT;

/* ---- SPC (Making Data Count), no engine needed ------------------------ */

#define VIGIL_SPC_INCREASE 1
#define VIGIL_SPC_NEUTRAL 0
#define VIGIL_SPC_DECREASE -1

/* Analyses one series of `count` values in period order (NaN = gap), as
 * NHSRplotthedots 0.2.2 does (docs/spc.md). `rebase` (may be NULL: nonzero
 * starts a new baseline) and `targets` (may be NULL; NaN = none) have
 * `count` entries. run_length 0 = 7, else 5..10; fix_after_n_points 0 = all
 * points, else >= 12. Per point it writes `mean`, `lpl`, `upl` (may each be
 * NULL), `special_cause` and `point_type` codes (may be NULL; names from
 * vigil_spc_special_cause_label / vigil_spc_point_type_name); for the series
 * `variation_icon` and `assurance` codes (may be NULL; names from
 * vigil_spc_variation_icon_name / vigil_spc_assurance_name). */
VIGIL_EXPORT int vigil_spc_analyze(
    const double* values, size_t count, const unsigned char* rebase,
    const double* targets, int direction, int screen_outliers, int run_length,
    int fix_after_n_points, double* mean, double* lpl, double* upl,
    int* special_cause, int* point_type, int* variation_icon, int* assurance,
    char** error_message) VIGIL_NOEXCEPT;
/* "Common Cause", "Above UCL", ...; "" for a gap or an unknown code. */
VIGIL_EXPORT const char* vigil_spc_special_cause_label(int code) VIGIL_NOEXCEPT;
/* "common_cause", "special_cause_improvement", ...; "missing" for a gap. */
VIGIL_EXPORT const char* vigil_spc_point_type_name(int code) VIGIL_NOEXCEPT;
/* "common_cause", "improvement_high", ...; "" for none. */
VIGIL_EXPORT const char* vigil_spc_variation_icon_name(int code) VIGIL_NOEXCEPT;
/* "consistent_pass", "consistent_fail", "inconsistent"; "" for none. */
VIGIL_EXPORT const char* vigil_spc_assurance_name(int code) VIGIL_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* VIGIL_CAPI_VIGIL_H_ */
