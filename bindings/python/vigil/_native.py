"""ctypes declarations of libvigil's C API (include/vigil/vigil.h)."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_ubyte, c_void_p

from ._loader import load_library

lib = load_library()

_ERR = POINTER(c_void_p)  # char** error_message: keep it a raw pointer to free it.

_SIGNATURES = {
    "vigil_version": (c_char_p, []),
    "vigil_version_number": (c_int, []),
    "vigil_status_name": (c_char_p, [c_int]),
    "vigil_free": (None, [c_void_p]),
    "vigil_engine_create": (c_int, [c_char_p, c_size_t, c_int, POINTER(c_void_p), _ERR]),
    "vigil_engine_create_from_file": (c_int, [c_char_p, POINTER(c_void_p), _ERR]),
    "vigil_engine_destroy": (None, [c_void_p]),
    "vigil_dataset_create": (c_int, [POINTER(c_void_p)]),
    "vigil_dataset_destroy": (None, [c_void_p]),
    "vigil_dataset_add_provider": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, _ERR]),
    "vigil_dataset_add_indicator": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, c_char_p,
                                            c_char_p, c_char_p, c_double, _ERR]),
    "vigil_dataset_add_observations": (c_int, [c_void_p, c_size_t, POINTER(c_char_p),
                                               POINTER(c_char_p), POINTER(c_char_p),
                                               POINTER(c_double), POINTER(c_double),
                                               POINTER(c_double), _ERR]),
    "vigil_dataset_add_observations_at": (c_int, [c_void_p, c_size_t, POINTER(c_int64),
                                                  POINTER(c_char_p), POINTER(c_char_p),
                                                  POINTER(c_char_p), POINTER(c_double),
                                                  POINTER(c_double), POINTER(c_double), _ERR]),
    "vigil_dataset_add_plans_at": (c_int, [c_void_p, c_size_t, POINTER(c_int64),
                                           POINTER(c_char_p), POINTER(c_char_p),
                                           POINTER(c_char_p), POINTER(c_double), _ERR]),
    "vigil_engine_gather": (c_int, [c_void_p, c_void_p, c_char_p, c_int, c_size_t,
                                    POINTER(c_char_p), POINTER(c_void_p), POINTER(c_size_t),
                                    _ERR]),
    "vigil_engine_merge_statistics": (c_int, [c_void_p, c_size_t, POINTER(c_void_p),
                                              POINTER(c_size_t), POINTER(c_void_p),
                                              POINTER(c_size_t), _ERR]),
    "vigil_engine_evaluate_partition": (c_int, [c_void_p, c_void_p, c_char_p, c_int, c_size_t,
                                                POINTER(c_char_p), c_char_p, c_size_t, c_void_p,
                                                POINTER(c_void_p), POINTER(c_size_t), _ERR]),
    "vigil_engine_merge_partials": (c_int, [c_void_p, c_void_p, c_size_t, POINTER(c_void_p),
                                            POINTER(c_size_t), c_void_p, POINTER(c_void_p),
                                            _ERR]),
    "vigil_engine_gather_backtest": (c_int, [c_void_p, c_void_p, c_char_p, c_char_p, c_int,
                                             c_size_t, POINTER(c_char_p), POINTER(c_void_p),
                                             POINTER(c_size_t), _ERR]),
    "vigil_engine_backtest_partition": (c_int, [c_void_p, c_void_p, c_char_p, c_char_p, c_int,
                                                c_size_t, POINTER(c_char_p), c_char_p, c_size_t,
                                                c_void_p, POINTER(c_void_p), POINTER(c_size_t),
                                                _ERR]),
    "vigil_engine_merge_backtest_partials": (c_int, [c_void_p, c_void_p, c_size_t,
                                                     POINTER(c_void_p), POINTER(c_size_t),
                                                     c_void_p, POINTER(c_void_p), _ERR]),
    "vigil_dataset_add_plans": (c_int, [c_void_p, c_size_t, POINTER(c_char_p), POINTER(c_char_p),
                                        POINTER(c_char_p), POINTER(c_double), _ERR]),
    "vigil_dataset_add_bytes": (c_int, [c_void_p, c_char_p, c_size_t, c_int, c_int, c_char_p,
                                        _ERR]),
    "vigil_dataset_add_file": (c_int, [c_void_p, c_char_p, c_int, _ERR]),
    "vigil_engine_evaluate": (c_int, [c_void_p, c_void_p, c_char_p, c_int, POINTER(c_void_p),
                                      _ERR]),
    "vigil_engine_evaluate_limited": (c_int, [c_void_p, c_void_p, c_char_p, c_int, c_int64,
                                              POINTER(c_void_p), _ERR]),
    "vigil_dataset_set_limits": (c_int, [c_void_p, c_int64, c_int64, _ERR]),
    "vigil_evaluate_options_create": (c_void_p, []),
    "vigil_evaluate_options_destroy": (None, [c_void_p]),
    "vigil_evaluate_options_set_threads": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_evaluate_options_set_max_assessments": (c_int, [c_void_p, c_int64, _ERR]),
    "vigil_evaluate_options_set_chart_periods": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_engine_evaluate_with_options": (c_int, [c_void_p, c_void_p, c_char_p, c_void_p,
                                                   POINTER(c_void_p), _ERR]),
    "vigil_report_parse": (c_int, [c_char_p, c_size_t, c_int, POINTER(c_void_p), _ERR]),
    "vigil_report_destroy": (None, [c_void_p]),
    "vigil_report_serialize": (c_int, [c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t),
                                       _ERR]),
    "vigil_rating_name": (c_char_p, [c_int]),
    "vigil_escalation_name": (c_char_p, [c_int]),
    "vigil_engine_backtest": (c_int, [c_void_p, c_void_p, c_char_p, c_char_p, c_void_p,
                                      POINTER(c_void_p), _ERR]),
    "vigil_timeline_destroy": (None, [c_void_p]),
    "vigil_timeline_serialize": (c_int, [c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t),
                                         _ERR]),
    "vigil_timeline_ruleset_id": (c_char_p, [c_void_p]),
    "vigil_timeline_period_count": (c_size_t, [c_void_p]),
    "vigil_timeline_period": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_count": (c_size_t, [c_void_p]),
    "vigil_timeline_rule_provider_id": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_indicator_id": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_rule_id": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_first_red": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_longest_red_run": (c_int, [c_void_p, c_size_t]),
    "vigil_timeline_rule_longest_red_run_start": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_rule_change_count": (c_size_t, [c_void_p, c_size_t]),
    "vigil_timeline_provider_count": (c_size_t, [c_void_p]),
    "vigil_timeline_provider_id": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_provider_name": (c_char_p, [c_void_p, c_size_t]),
    "vigil_timeline_ratings": (c_int, [c_void_p, POINTER(c_int), c_size_t, _ERR]),
    "vigil_timeline_escalations": (c_int, [c_void_p, POINTER(c_int), c_size_t, _ERR]),
    "vigil_timeline_parse": (c_int, [c_char_p, c_size_t, c_int, POINTER(c_void_p), _ERR]),
    "vigil_enum_name": (c_char_p, [c_char_p, c_int]),
    "vigil_outcomes_create": (c_int, [POINTER(c_void_p)]),
    "vigil_outcomes_destroy": (None, [c_void_p]),
    "vigil_outcomes_add_csv": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, _ERR]),
    "vigil_outcomes_add_file": (c_int, [c_void_p, c_char_p, _ERR]),
    "vigil_outcomes_add": (c_int, [c_void_p, c_size_t, POINTER(c_char_p), POINTER(c_char_p),
                                   POINTER(c_char_p), c_char_p, _ERR]),
    "vigil_outcomes_add_from_rule": (c_int, [c_void_p, c_void_p, c_char_p, c_char_p, _ERR]),
    "vigil_outcomes_count": (c_size_t, [c_void_p]),
    "vigil_backtest_options_create": (c_void_p, []),
    "vigil_backtest_options_destroy": (None, [c_void_p]),
    "vigil_backtest_options_set_warn_after": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_backtest_options_set_horizon": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_backtest_options_set_outcomes_from": (c_int, [c_void_p, c_char_p, _ERR]),
    "vigil_backtest_options_exclude_rule": (c_int, [c_void_p, c_char_p, _ERR]),
    "vigil_backtest_options_set_outcome_source": (c_int, [c_void_p, c_char_p, _ERR]),
    "vigil_timeline_score": (c_int, [c_void_p, c_void_p, c_void_p, POINTER(c_void_p), _ERR]),
    "vigil_backtest_summary_destroy": (None, [c_void_p]),
    "vigil_backtest_summary_serialize": (c_int, [c_void_p, c_int, POINTER(c_void_p),
                                                 POINTER(c_size_t), _ERR]),
    **{f"vigil_backtest_summary_{name}": (c_char_p, [c_void_p])
       for name in ("ruleset_id", "from", "to", "outcomes_from", "outcome_source")},
    **{f"vigil_backtest_summary_{name}": (c_int, [c_void_p])
       for name in ("warn_after", "horizon", "provider_count", "outcomes_used")},
    **{f"vigil_backtest_summary_{name}_count": (c_size_t, [c_void_p])
       for name in ("score", "lead", "warning", "diagnostic")},
    **{f"vigil_backtest_summary_{name}": (c_char_p, [c_void_p, c_size_t])
       for name in ("score_rule_id", "score_rule_name", "lead_provider_id",
                    "lead_outcome_period", "lead_outcome", "lead_rule_id",
                    "lead_warning_period", "warning_provider_id", "warning_rule_id",
                    "warning_start", "warning_end", "diagnostic_source", "diagnostic_field",
                    "diagnostic_message")},
    **{f"vigil_backtest_summary_{name}": (c_int, [c_void_p, c_size_t])
       for name in ("score_providers_with_outcome", "score_providers_warned_before",
                    "score_providers_warned", "score_false_alarm_providers",
                    "score_warnings", "score_false_alarms", "score_pending_warnings",
                    "lead_warned", "lead_periods", "lead_too_early", "warning_verdict",
                    "diagnostic_severity", "diagnostic_code")},
    **{f"vigil_backtest_summary_{name}": (c_double, [c_void_p, c_size_t])
       for name in ("score_sensitivity", "score_median_lead_periods")},
    "vigil_backtest_summary_diagnostic_row": (ctypes.c_longlong, [c_void_p, c_size_t]),
    "vigil_spc_analyze": (c_int, [POINTER(c_double), c_size_t, POINTER(c_ubyte),
                                  POINTER(c_double), c_int, c_int, c_int, c_int,
                                  POINTER(c_double), POINTER(c_double), POINTER(c_double),
                                  POINTER(c_int), POINTER(c_int), POINTER(c_int),
                                  POINTER(c_int), _ERR]),
    "vigil_spc_chart_analyze": (c_int, [c_int, POINTER(c_double), POINTER(c_double), c_size_t,
                                        POINTER(c_ubyte), POINTER(c_double), c_double, c_int,
                                        c_int, c_int, c_int, c_int]
                                + [POINTER(c_double)] * 6 + [POINTER(c_int)] * 7 + [_ERR]),
    "vigil_spc_chart_name": (c_char_p, [c_int]),
    "vigil_spc_status_description": (c_char_p, [c_int]),
    "vigil_spc_special_cause_label": (c_char_p, [c_int]),
    "vigil_spc_point_type_name": (c_char_p, [c_int]),
    "vigil_spc_variation_icon_name": (c_char_p, [c_int]),
    "vigil_spc_assurance_name": (c_char_p, [c_int]),
    "vigil_funnel_options_create": (c_int, [POINTER(c_void_p)]),
    "vigil_funnel_options_destroy": (None, [c_void_p]),
    "vigil_funnel_options_set_type": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_funnel_options_set_coverages": (c_int, [c_void_p, POINTER(c_double), c_size_t,
                                                   _ERR]),
    "vigil_funnel_options_set_target": (c_int, [c_void_p, c_double, _ERR]),
    "vigil_funnel_options_set_overdispersion": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_funnel_options_set_scale": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_funnel_options_set_limit_method": (c_int, [c_void_p, c_int, _ERR]),
    "vigil_funnel_options_set_trim": (c_int, [c_void_p, c_double, _ERR]),
    "vigil_funnel_options_set_multiplier": (c_int, [c_void_p, c_double, _ERR]),
    "vigil_funnel_fit": (c_int, [c_void_p, POINTER(c_double), POINTER(c_double), c_size_t,
                                 POINTER(c_double), POINTER(c_double), POINTER(c_double),
                                 POINTER(c_int), POINTER(c_double), POINTER(c_double),
                                 POINTER(c_int), POINTER(c_void_p), _ERR]),
    "vigil_funnel_destroy": (None, [c_void_p]),
    "vigil_funnel_target": (c_double, [c_void_p]),
    "vigil_funnel_phi": (c_double, [c_void_p]),
    "vigil_funnel_tau2": (c_double, [c_void_p]),
    "vigil_funnel_adjusted": (c_int, [c_void_p]),
    "vigil_funnel_groups": (c_int, [c_void_p]),
    "vigil_funnel_phi_groups": (c_int, [c_void_p]),
    "vigil_funnel_scale": (c_int, [c_void_p]),
    "vigil_funnel_limit_method": (c_int, [c_void_p]),
    "vigil_funnel_overdispersion": (c_int, [c_void_p]),
    "vigil_funnel_scale_name": (c_char_p, [c_int]),
    "vigil_funnel_limit_method_name": (c_char_p, [c_int]),
    "vigil_funnel_overdispersion_name": (c_char_p, [c_int]),
    "vigil_funnel_flag_name": (c_char_p, [c_int]),
    "vigil_funnel_status_name": (c_char_p, [c_int]),
}

for _name, (_restype, _argtypes) in _SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes

FORMAT_BINARY, FORMAT_JSON, FORMAT_TEXT, FORMAT_CSV, FORMAT_HTML = 1, 2, 3, 4, 5
KIND_OBSERVATIONS, KIND_PROVIDERS, KIND_INDICATORS, KIND_PLANS = 0, 1, 2, 3
MAX_THREADS = 256  # VIGIL_MAX_THREADS
MAX_CHART_PERIODS = 10000  # VIGIL_MAX_CHART_PERIODS
FUNNEL_TYPES = {"proportion": 0, "ratio": 1, "rate": 2}  # VIGIL_FUNNEL_PROPORTION...
FUNNEL_OVERDISPERSION = {"none": 0, "multiplicative": 1, "additive": 2}
FUNNEL_SCALES = {None: 0, "arcsine": 1, "log": 2, "sqrt": 3}  # VIGIL_FUNNEL_SCALE_*
FUNNEL_LIMITS_DEFAULT, FUNNEL_LIMITS_APPROXIMATE, FUNNEL_LIMITS_EXACT = 0, 1, 2
FUNNEL_MAX_COVERAGES = 8  # VIGIL_FUNNEL_MAX_COVERAGES


def check(status: int, error: c_void_p) -> None:
    """Raises the exception for a non-zero status, freeing the library's message."""
    if status == 0:
        return
    from .errors import error_for

    message = ""
    if error.value:
        message = ctypes.string_at(error.value).decode("utf-8", "replace")
        lib.vigil_free(error)
    raise error_for(status, message or lib.vigil_status_name(status).decode())


def serialize(report: c_void_p, fmt: int, function: Any = None) -> str:
    """The report handle's bytes in ``fmt`` (JSON or HTML) as text (or a
    timeline's, with ``function=lib.vigil_timeline_serialize``)."""
    out, length, err = c_void_p(), c_size_t(), c_void_p()
    function = function or lib.vigil_report_serialize
    check(function(report, fmt, ctypes.byref(out), ctypes.byref(length), ctypes.byref(err)),
          err)
    try:
        return ctypes.string_at(out.value, length.value).decode("utf-8")
    finally:
        lib.vigil_free(out)


def render_html(report_json: str) -> str:
    """The board's page of a report given as the library's JSON."""
    data = report_json.encode("utf-8")
    report, err = c_void_p(), c_void_p()
    check(lib.vigil_report_parse(data, len(data), FORMAT_JSON, ctypes.byref(report),
                                 ctypes.byref(err)), err)
    try:
        return serialize(report, FORMAT_HTML)
    finally:
        lib.vigil_report_destroy(report)
