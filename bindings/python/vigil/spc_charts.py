"""Attribute SPC charts (p, p', u, u', c, g, t) as qicharts2 0.8.1 computes
them, with Anhoej's runs analysis (docs/spc.md); used by :func:`vigil.spc`.
"""
from __future__ import annotations

import ctypes
import math
from ctypes import c_double, c_int, c_ubyte, c_void_p
from typing import Any, Dict, List, Optional, Sequence

from ._native import check, lib
from .errors import InvalidArgument

CHARTS = {"p": 1, "pp": 2, "u": 3, "up": 4, "c": 5, "g": 6, "t": 7}
RATIO_CHARTS = ("p", "pp", "u", "up")
RULES = {"mdc": 0, "anhoej": 1}
COLUMNS = ["series_id", "period", "numerator", "denominator", "value", "centre", "lower",
           "upper", "lower_2sigma", "upper_2sigma", "sigma_signal", "runs_signal",
           "longest_run", "longest_run_max", "crossings", "crossings_min"]
MDC_COLUMNS = ["special_cause_type", "point_type", "variation_icon", "assurance"]
_RUNS = 6  # VIGIL_SPC_RUNS_FIELDS


def _numbers(values: Sequence[Any], where: str, to_float) -> Any:
    n = len(values)
    return (c_double * n)(*[to_float(v, f"{where}[{i}]") for i, v in enumerate(values)])


def analyze(chart: str, numerators: Sequence[Any], denominators: Optional[Sequence[Any]], *,
            to_float, direction: int, targets: Optional[Sequence[Any]],
            rebase: Optional[Sequence[int]], multiplier: float, screen_mr: bool, rules: str,
            run_length: int, fix_after: int) -> List[Dict[str, Any]]:
    """One series in period order; a dict per point (the columns of
    ``vigil spc --chart``, less series_id, period, numerator and denominator)."""
    if chart not in CHARTS:
        raise InvalidArgument(f"chart must be one of xmr, {', '.join(CHARTS)}; got {chart!r}")
    if rules not in RULES:
        raise InvalidArgument(f"rules must be 'mdc' or 'anhoej', got {rules!r}")
    n = len(numerators)
    if chart in RATIO_CHARTS:
        if denominators is None:
            raise InvalidArgument(f"denominator: the {chart} chart needs one per numerator")
        if len(denominators) != n:
            raise InvalidArgument(f"denominator: {len(denominators)} values for {n} numerators")
    num = _numbers(numerators, "numerator", to_float)
    den = None if chart not in RATIO_CHARTS else _numbers(denominators, "denominator", to_float)
    tgts = None if targets is None else _numbers(targets, "target", to_float)
    rbs = None if rebase is None else (c_ubyte * n)(*[1 if r else 0 for r in rebase])
    doubles = [(c_double * n)() for _ in range(6)]
    sigma, cause, ptype = (c_int * n)(), (c_int * n)(), (c_int * n)()
    runs = (c_int * (n * _RUNS))()
    icon, assurance, status, err = c_int(), c_int(), c_int(), c_void_p()
    check(lib.vigil_spc_chart_analyze(
        CHARTS[chart], num, den, n, rbs, tgts, to_float(multiplier, "multiplier"),
        1 if screen_mr else 0, RULES[rules], direction, run_length, fix_after, *doubles,
        sigma, cause, ptype, runs, ctypes.byref(icon), ctypes.byref(assurance),
        ctypes.byref(status), ctypes.byref(err)), err)
    value, centre, lower, upper, lower2, upper2 = doubles
    icon_name = lib.vigil_spc_variation_icon_name(icon.value).decode()
    assurance_name = lib.vigil_spc_assurance_name(assurance.value).decode()
    out = []
    for i in range(n):
        r = runs[i * _RUNS:(i + 1) * _RUNS]
        row = {"value": value[i], "centre": centre[i], "lower": lower[i], "upper": upper[i],
               "lower_2sigma": lower2[i], "upper_2sigma": upper2[i],
               "sigma_signal": bool(sigma[i]), "runs_signal": bool(r[5]),
               "longest_run": None if r[1] < 0 else r[1],
               "longest_run_max": None if r[2] < 0 else r[2],
               "crossings": None if r[3] < 0 else r[3],
               "crossings_min": None if r[4] < 0 else r[4]}
        if rules == "mdc":
            row.update({
                "special_cause_type": lib.vigil_spc_special_cause_label(cause[i]).decode(),
                "point_type": lib.vigil_spc_point_type_name(ptype[i]).decode(),
                "variation_icon": icon_name, "assurance": assurance_name})
        out.append(row)
    return out


def analyze_frame(data: Any, chart: str, *, numerator: Optional[str],
                  denominator: Optional[str], target: Any, rules: str, **options) -> Any:
    """Each series of a DataFrame (series_id, period and the chart's columns)."""
    import pandas as pd  # noqa: PLC0415 - only for DataFrames

    ratio = chart in RATIO_CHARTS
    num_col = numerator or ("numerator" if ratio or "value" not in data.columns else "value")
    den_col = denominator or "denominator"
    needed = {"series_id", "period", num_col} | ({den_col} if ratio else set())
    missing = needed - set(data.columns)
    if missing:
        raise InvalidArgument(f"DataFrame lacks column(s): {', '.join(sorted(missing))}")
    out = []
    # Stable: events of one period (g and t charts) keep their order.
    ordered = data.sort_values(["series_id", "period"], kind="stable")
    for series_id, group in ordered.groupby("series_id", sort=True):
        nums = group[num_col].tolist()
        dens = group[den_col].tolist() if ratio else None
        targets = (group["target"].tolist() if "target" in group
                   else None if target is None else [target] * len(nums))
        rebases = group["rebase"].fillna(0).astype(int).tolist() if "rebase" in group else None
        rows = analyze(chart, nums, dens, targets=targets, rebase=rebases, rules=rules,
                       **options)
        for k, (period, row) in enumerate(zip(group["period"].tolist(), rows)):
            out.append({"series_id": series_id, "period": period, "numerator": nums[k],
                        "denominator": dens[k] if ratio else math.nan, **row})
    return pd.DataFrame(out, columns=COLUMNS + (MDC_COLUMNS if rules == "mdc" else []))
