"""Making Data Count SPC, as NHSRplotthedots 0.2.2 computes it (docs/spc.md).

Example::

    rows = vigil.spc([91, 89, 92, 88, 90, 91, 70], direction="increase", target=95)
    rows[-1]["special_cause_type"]   # 'Below LCL' (with enough points)

Over a DataFrame with columns series_id, period, value (and optional target,
rebase), ``vigil.spc(df)`` analyses each series in period order and returns a
DataFrame with the columns of ``vigil spc``.

Attribute charts (qicharts2 0.8.1)::

    vigil.spc(df, chart="p", numerator="breaches", denominator="attendances",
              multiplier=100)          # a p-chart of 4-hour breaches, in percent
    vigil.spc([2, 0, 1, 3], chart="c", rules="anhoej")
"""
from __future__ import annotations

import ctypes
import math
from ctypes import c_double, c_int, c_ubyte, c_void_p
from typing import Any, Dict, List, Optional, Sequence, Union

from . import spc_charts
from ._native import check, lib
from .errors import InvalidArgument

COLUMNS = ["series_id", "period", "value", "mean", "lpl", "upl", "special_cause_type",
           "point_type", "variation_icon", "assurance"]
_DIRECTIONS = {"increase": 1, "neutral": 0, "decrease": -1}


def _float(v: Any, where: str) -> float:
    """A number for the C API: None is a gap (NaN); text is an error, not parsed."""
    if v is None:
        return math.nan
    if isinstance(v, (str, bytes, bool)):
        raise InvalidArgument(f"{where}: expected a number, got {type(v).__name__} {v!r}")
    try:
        return float(v)
    except (TypeError, ValueError, OverflowError):
        raise InvalidArgument(f"{where}: {v!r} is not a number") from None


def _analyze(values: Sequence[float], direction: str, targets: Optional[Sequence[float]],
             rebase: Optional[Sequence[int]], screen_outliers: bool, run_length: int,
             fix_after: int) -> List[Dict[str, Any]]:
    if direction not in _DIRECTIONS:
        raise InvalidArgument("direction must be 'increase', 'decrease' or 'neutral'")
    n = len(values)
    vals = (c_double * n)(*[_float(v, f"data[{i}]") for i, v in enumerate(values)])
    tgts = None if targets is None else (c_double * n)(
        *[_float(t, f"target[{i}]") for i, t in enumerate(targets)])
    rbs = None if rebase is None else (c_ubyte * n)(*[1 if r else 0 for r in rebase])
    mean, lpl, upl = (c_double * n)(), (c_double * n)(), (c_double * n)()
    cause, ptype = (c_int * n)(), (c_int * n)()
    icon, assurance, err = c_int(), c_int(), c_void_p()
    check(lib.vigil_spc_analyze(vals, n, rbs, tgts, _DIRECTIONS[direction],
                                1 if screen_outliers else 0, run_length, fix_after,
                                mean, lpl, upl, cause, ptype, ctypes.byref(icon),
                                ctypes.byref(assurance), ctypes.byref(err)), err)
    icon_name = lib.vigil_spc_variation_icon_name(icon.value).decode()
    assurance_name = lib.vigil_spc_assurance_name(assurance.value).decode()
    return [{"value": vals[i], "mean": mean[i], "lpl": lpl[i], "upl": upl[i],
             "special_cause_type": lib.vigil_spc_special_cause_label(cause[i]).decode(),
             "point_type": lib.vigil_spc_point_type_name(ptype[i]).decode(),
             "variation_icon": icon_name, "assurance": assurance_name} for i in range(n)]


def _targets(target: Any, n: int) -> Optional[List[Any]]:
    """One target per point from a number or a sequence; None for none."""
    if isinstance(target, (str, bytes)):
        raise InvalidArgument(f"target: expected a number or one number per value, got "
                              f"{type(target).__name__} {target!r}")
    if target is None:
        return None
    targets = list(target) if isinstance(target, Sequence) else [target] * n
    if len(targets) != n:
        raise InvalidArgument(f"target: {len(targets)} targets for {n} values")
    return targets


def _named_frame(df: Any, *, value: Optional[str], period: Optional[str],
                 series: Optional[str], target: Any, chart: str,
                 numerator: Optional[str]) -> Any:
    """`df` with vigil's column names (series_id, period, value, target) and
    the target to use (None once it is a column)."""
    renames = {}
    for ours, theirs in (("value", value), ("period", period), ("series_id", series)):
        if theirs is None:
            continue
        if theirs not in df.columns:
            raise InvalidArgument(f"{'series' if ours == 'series_id' else ours}: no column "
                                  f"{theirs!r} (columns: {', '.join(map(repr, df.columns))})")
        renames[theirs] = ours
    if isinstance(target, str):
        if target not in df.columns:
            raise InvalidArgument(f"target: no column {target!r} (columns: "
                                  f"{', '.join(map(repr, df.columns))})")
        renames[target] = "target"
        target = None
    if renames:
        df = df.rename(columns=renames)
    if "series_id" not in df.columns:
        df = df.assign(series_id=value or "value")
    if "period" in df.columns and str(df["period"].dtype).startswith(("datetime64", "period")):
        # Sorted as dates; shown as ISO text.
        df = df.sort_values("period", kind="stable")
        df = df.assign(period=[_iso_period(v) for v in df["period"].tolist()])
    return df, target


def _iso_period(v: Any) -> Any:
    from .engine import _period_text  # noqa: PLC0415 - one conversion for all

    return _period_text(v, "period")


def spc(data: Union[Sequence[float], Any], *, direction: str = "increase",
        target: Union[None, float, Sequence[float]] = None,
        rebase: Optional[Sequence[int]] = None, screen_outliers: bool = True,
        run_length: int = 7, fix_after: int = 0, chart: str = "xmr",
        numerator: Optional[str] = None, denominator: Any = None,
        multiplier: float = 1, screen_mr: bool = False, rules: str = "mdc",
        value: Optional[str] = None, period: Optional[str] = None,
        series: Optional[str] = None) -> Any:
    """XmR limits (the default chart), or an attribute chart; labels and icons.

    ``data`` is a sequence of values in period order (None/NaN = a gap), which
    returns a list of dicts (value, mean, lpl, upl, special_cause_type,
    point_type, variation_icon, assurance); or a pandas DataFrame with columns
    series_id, period, value [, target, rebase], which returns a DataFrame with
    the columns of ``vigil spc`` in series then period order. ``target`` is a
    number, or one per point. Errors raise :class:`vigil.InvalidArgument`.

    ``chart`` "p", "pp" (Laney p'), "u", "up" (Laney u'), "c", "g" or "t":
    for a sequence, ``data`` holds the numerators (c, g, t: the values) and
    ``denominator`` one denominator per point (p, pp, u, up); for a DataFrame,
    ``numerator`` and ``denominator`` name its columns (default numerator and
    denominator, or value for c, g and t). ``multiplier`` scales value, centre
    and limits (100 for percent); ``screen_mr`` screens moving ranges (pp, up,
    t); ``rules`` is "mdc" (Making Data Count labels) or "anhoej". The rows
    have the columns of ``vigil spc --chart`` (docs/spc.md).

    With a DataFrame, ``value``, ``period`` and ``series`` name its columns
    when they are not value, period and series_id (as NHSRplotthedots'
    ``ptd_spc(data, value_field, date_field, facet_field)``); without a
    series column the frame is one series. ``target`` may also name a
    column. Periods may be text, dates, Timestamps or pandas Periods: rows
    are put in period order. For example
    ``vigil.spc(df, value="breach_rate", period="month", series="trust",
    direction="decrease", target=0.05)``.
    """
    if type(data).__name__ == "DataFrame":
        data, target = _named_frame(data, value=value, period=period, series=series,
                                    target=target, chart=chart, numerator=numerator)
    elif value is not None or period is not None or series is not None:
        raise InvalidArgument("value, period and series name a DataFrame's columns; "
                              "data is not a DataFrame")
    if not isinstance(chart, str):
        raise InvalidArgument(f"chart: expected a name such as 'p', got {chart!r}")
    if chart != "xmr":
        if direction not in _DIRECTIONS:
            raise InvalidArgument("direction must be 'increase', 'decrease' or 'neutral'")
        options = dict(to_float=_float, direction=_DIRECTIONS[direction],
                       multiplier=multiplier, screen_mr=screen_mr, run_length=run_length,
                       fix_after=fix_after)
        if type(data).__name__ == "DataFrame":
            if denominator is not None and not isinstance(denominator, str):
                raise InvalidArgument("denominator: with a DataFrame, name its column")
            return spc_charts.analyze_frame(data, chart, numerator=numerator,
                                            denominator=denominator, target=target,
                                            rules=rules, **options)
        values = list(data)
        targets = _targets(target, len(values))
        if rebase is not None and len(rebase) != len(values):
            raise InvalidArgument(f"rebase: {len(rebase)} flags for {len(values)} values")
        return spc_charts.analyze(chart, values,
                                  None if denominator is None else list(denominator),
                                  targets=targets, rebase=rebase, rules=rules, **options)
    if type(data).__name__ == "DataFrame":
        import pandas as pd  # noqa: PLC0415 - only for DataFrames

        missing = {"series_id", "period", "value"} - set(data.columns)
        if missing:
            raise InvalidArgument(f"DataFrame lacks column(s): {', '.join(sorted(missing))}")
        out = []
        for series_id, group in data.sort_values(["series_id", "period"]).groupby(
                "series_id", sort=True):
            values = group["value"].tolist()
            targets = (group["target"].tolist() if "target" in group
                       else None if target is None else [target] * len(values))
            rebases = group["rebase"].fillna(0).astype(int).tolist() if "rebase" in group else None
            rows = _analyze(values, direction, targets, rebases, screen_outliers,
                            run_length, fix_after)
            for period, row in zip(group["period"].tolist(), rows):
                out.append({"series_id": series_id, "period": period, **row})
        return pd.DataFrame(out, columns=COLUMNS)
    values = list(data)
    targets = _targets(target, len(values))
    if rebase is not None and len(rebase) != len(values):
        raise InvalidArgument(f"rebase: {len(rebase)} flags for {len(values)} values")
    return _analyze(values, direction, targets, rebase, screen_outliers, run_length, fix_after)
