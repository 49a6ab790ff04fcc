"""Funnel plots (Spiegelhalter 2005) over a DataFrame, as ``vigil funnel`` draws them.

Example::

    df = pd.DataFrame({"trust": ["A", "B", "C"], "deaths": [30, 52, 12],
                       "admissions": [1000, 1400, 500]})
    out = vigil.funnel(df, numerator="deaths", denominator="admissions", group="trust")
    out[out["flag_99.8"] == "high"]         # above the upper 99.8% limit
    out.attrs["phi"], out.attrs["tau2"]     # the overdispersion fitted

The method is in docs/funnel.md. Needs pandas.
"""
from __future__ import annotations

import builtins
import ctypes
import decimal
import math
import numbers
import warnings
from ctypes import c_double, c_int, c_void_p
from typing import Any, Hashable, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _native
from ._native import check, lib
from .errors import InvalidArgument

def _kind(v: Any) -> str:
    return builtins.type(v).__name__


def _real(v: Any, argument: str) -> float:
    """A number argument: a real number, not a bool or text."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{argument}: expected a number, got {_kind(v)} {v!r}")
    return float(v)


def _choice(v: Any, argument: str, choices: dict) -> int:
    if v is not None and not isinstance(v, str):
        raise TypeError(f"{argument}: expected text, got {_kind(v)} {v!r}")
    if v not in choices:
        names = ", ".join(repr(c) for c in choices if c is not None)
        raise InvalidArgument(f"{argument}: {v!r} is not one of {names}")
    return choices[v]


def _limits(limits: Any) -> Tuple[List[str], List[float]]:
    """Column labels as ``vigil funnel --limits`` would show them, and coverages."""
    # Any ordered collection (a list, a tuple, a NumPy array); not text, not a set.
    if (isinstance(limits, (str, bytes, set, frozenset, Mapping))
            or not isinstance(limits, Iterable)):
        raise TypeError(f"limits: expected a sequence of percentages such as (95, 99.8), "
                        f"got {_kind(limits)} {limits!r}")
    limits = list(limits)
    if not 1 <= len(limits) <= _native.FUNNEL_MAX_COVERAGES:
        raise InvalidArgument(f"limits: 1 to {_native.FUNNEL_MAX_COVERAGES} limits, "
                              f"not {len(limits)}")
    labels: List[str] = []
    coverages: List[float] = []
    for i, v in enumerate(limits):
        percent = _real(v, f"limits[{i}]")
        if not 0 < percent < 100:
            raise InvalidArgument(f"limits[{i}]: {v!r} is not a percentage above 0 and below 100")
        label = str(int(percent)) if percent.is_integer() else repr(percent)
        # As the tool reads "99.8": the double nearest 0.998, not 99.8 / 100.
        coverage = percent / 100 if "e" in label else float(label + "e-2")
        if coverage in coverages:
            raise InvalidArgument(f"limits: {limits[coverages.index(coverage)]!r} and {v!r} "
                                  "are the same limit")
        labels.append(label)
        coverages.append(coverage)
    return labels, coverages


def _column(df: Any, name: Hashable, argument: str) -> Any:
    if name is None:
        raise TypeError(f"{argument}: a column name is required")
    try:
        present = name in df.columns
    except TypeError:
        present = False
    if not present:
        raise InvalidArgument(f"{argument}: no column {name!r} in the DataFrame "
                              f"(columns: {', '.join(map(repr, df.columns))})")
    column = df[name]
    if getattr(column, "ndim", 1) != 1:
        raise InvalidArgument(f"{argument}: column {name!r} appears more than once")
    return column


def _numbers(column: Any, argument: str) -> List[float]:
    """A column of counts: None/NaN/NA is missing; text and bools are errors."""
    out: List[float] = []
    for i, v in enumerate(column.tolist()):
        where = f"{argument}: row {i} (index {column.index[i]!r})"
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(math.nan)
            continue
        if isinstance(v, bool) or not isinstance(v, (numbers.Real, decimal.Decimal)):
            if _kind(v) == "NAType":
                out.append(math.nan)
                continue
            raise InvalidArgument(f"{where}: expected a number, got {_kind(v)} {v!r}")
        x = float(v)
        if math.isnan(x):
            out.append(math.nan)
            continue
        if math.isinf(x):
            raise InvalidArgument(f"{where}: {v!r} is not finite")
        if x < 0:
            raise InvalidArgument(f"{where}: {v!r} is negative")
        out.append(x)
    return out


def _groups(df: Any, group: Optional[Hashable]) -> List[Any]:
    values = (df.index if group is None else _column(df, group, "group")).tolist()
    argument = "group" if group is not None else "group (the index)"
    seen = {}
    for i, g in enumerate(values):
        if g is None or (isinstance(g, float) and math.isnan(g)) or _kind(g) == "NAType":
            raise InvalidArgument(f"{argument}: row {i} has no group")
        try:
            first = seen.setdefault(g, i)
        except TypeError:
            raise InvalidArgument(f"{argument}: row {i}: {g!r} cannot name a group") from None
        if first != i:
            raise InvalidArgument(f"{argument}: {g!r} appears twice (rows {first} and {i}); "
                                  "rows are groups: aggregate them first")
    return values


def funnel(df: Any, *, numerator: Hashable, denominator: Hashable,
           group: Optional[Hashable] = None, type: str = "proportion",  # noqa: A002
           limits: Sequence[float] = (95, 99.8), overdispersion: str = "additive",
           scale: Optional[str] = None, exact: bool = False, trim: float = 0.1,
           target: Optional[float] = None, multiplier: float = 1) -> Any:
    """Funnel-plot limits, z-scores and flags for each group (row) of ``df``.

    ``numerator`` and ``denominator`` name the columns of counts (for
    ``type="ratio"`` the observed and the expected count, for ``"rate"`` the
    events and the exposure); ``group`` names the group column (default: the
    index). One row per group: aggregate first (a group named twice is an
    error). A missing numerator or denominator (None/NaN), or a zero
    denominator, keeps its row with empty results and its ``status``, and a
    warning.

    ``limits`` are two-sided percentages (columns ``lower_95``, ``upper_95``,
    ``flag_95``, ...). ``overdispersion``: ``"additive"`` (default, as
    FunnelPlotR), ``"multiplicative"`` or ``"none"``. ``scale``:
    ``"arcsine"`` (proportions), ``"log"`` or ``"sqrt"`` (default: arcsine
    for proportions, log otherwise). ``exact``: exact (binomial or Poisson)
    unadjusted limits; by default proportions are approximate, ratios and
    rates exact. ``trim``: fraction winsorised in each tail before phi.
    ``target``: the centre line in output units (default pooled; 1 times the
    multiplier for ratios). ``multiplier``: values, target and limits times it.

    Returns a DataFrame with ``df``'s index and the columns of ``vigil
    funnel`` (group, numerator, denominator, value, target, z, lower_L,
    upper_L per limit, flag_L per limit: "low", "high" or "") plus ``status``
    ("used", "missing", "zero_denominator"); ``.attrs`` holds the fit:
    target, phi (NaN when not estimable), tau2, adjusted, groups (used),
    excluded, scale, limits ("exact" or "approximate"), overdispersion.

    Raises TypeError for an argument of the wrong type and
    :class:`vigil.InvalidArgument` (a ValueError) for a bad value, naming it.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - only funnel needs it
    except ImportError as e:
        raise ImportError("vigil.funnel needs pandas (Debian: apt install python3-pandas; "
                          "or pip install pandas)") from e
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df: expected a pandas DataFrame, got {_kind(df)}")
    data_type = _choice(type, "type", _native.FUNNEL_TYPES)
    method = _choice(overdispersion, "overdispersion", _native.FUNNEL_OVERDISPERSION)
    scale_code = _choice(scale, "scale", _native.FUNNEL_SCALES)
    if not isinstance(exact, bool):
        raise TypeError(f"exact: expected True or False, got {_kind(exact)} {exact!r}")
    labels, coverages = _limits(limits)
    trim_value = _real(trim, "trim")
    multiplier_value = _real(multiplier, "multiplier")
    target_value = math.nan
    if target is not None:
        target_value = _real(target, "target")
        if math.isnan(target_value):
            raise InvalidArgument("target: NaN (pass None for the default target)")

    numerators = _numbers(_column(df, numerator, "numerator"), "numerator")
    denominators = _numbers(_column(df, denominator, "denominator"), "denominator")
    groups = _groups(df, group)
    if type == "proportion":
        for i, (n, d) in enumerate(zip(numerators, denominators)):
            if n > d > 0:  # A zero denominator is not used, whatever the numerator.
                raise InvalidArgument(
                    f"numerator: row {i} (index {df.index[i]!r}): {n:g} is above the "
                    f"denominator {d:g} (a proportion's numerator is at most its denominator)")

    count, k = len(numerators), len(coverages)
    nums = (c_double * count)(*numerators)
    dens = (c_double * count)(*denominators)
    values, z = (c_double * count)(), (c_double * count)()
    status = (c_int * count)()
    lower, upper = (c_double * (count * k))(), (c_double * (count * k))()
    flags = (c_int * (count * k))()
    options, fitted, err = c_void_p(), c_void_p(), c_void_p()
    check(lib.vigil_funnel_options_create(ctypes.byref(options)), err)
    try:
        for setter, value in (
                (lib.vigil_funnel_options_set_type, data_type),
                (lib.vigil_funnel_options_set_overdispersion, method),
                (lib.vigil_funnel_options_set_scale, scale_code),
                (lib.vigil_funnel_options_set_limit_method,
                 _native.FUNNEL_LIMITS_EXACT if exact else _native.FUNNEL_LIMITS_DEFAULT),
                (lib.vigil_funnel_options_set_trim, trim_value),
                (lib.vigil_funnel_options_set_multiplier, multiplier_value),
                (lib.vigil_funnel_options_set_target, target_value)):
            check(setter(options, value, ctypes.byref(err)), err)
        check(lib.vigil_funnel_options_set_coverages(options, (c_double * k)(*coverages), k,
                                                     ctypes.byref(err)), err)
        check(lib.vigil_funnel_fit(options, nums, dens, count, values, z, None, status, lower,
                                   upper, flags, ctypes.byref(fitted), ctypes.byref(err)), err)
        adjusted = bool(lib.vigil_funnel_adjusted(fitted))
        method_used = (_native.FUNNEL_LIMITS_APPROXIMATE if adjusted
                       else lib.vigil_funnel_limit_method(fitted))
        summary = {
            "target": lib.vigil_funnel_target(fitted),
            "phi": lib.vigil_funnel_phi(fitted),
            "tau2": lib.vigil_funnel_tau2(fitted),
            "adjusted": adjusted,
            "groups": lib.vigil_funnel_groups(fitted),
            "excluded": count - lib.vigil_funnel_groups(fitted),
            "scale": lib.vigil_funnel_scale_name(lib.vigil_funnel_scale(fitted)).decode(),
            "limits": lib.vigil_funnel_limit_method_name(method_used).decode(),
            "overdispersion": lib.vigil_funnel_overdispersion_name(
                lib.vigil_funnel_overdispersion(fitted)).decode(),
        }
    finally:
        lib.vigil_funnel_destroy(fitted)
        lib.vigil_funnel_options_destroy(options)

    # The limits and flags of a group not used are NaN and "" already.
    columns = {"group": groups, "numerator": numerators, "denominator": denominators,
               "value": values[:], "target": [summary["target"]] * count, "z": z[:]}
    for c, label in enumerate(labels):
        columns[f"lower_{label}"] = lower[c::k]
        columns[f"upper_{label}"] = upper[c::k]
    for c, label in enumerate(labels):
        columns[f"flag_{label}"] = [lib.vigil_funnel_flag_name(f).decode() for f in flags[c::k]]
    columns["status"] = [lib.vigil_funnel_status_name(s).decode() for s in status]
    out = pd.DataFrame(columns, index=df.index)
    out.attrs.update(summary)
    unused = [i for i, s in enumerate(columns["status"]) if s != "used"]
    if unused:
        shown = "; ".join(f"row {i} (group {groups[i]!r}): {columns['status'][i]}"
                          for i in unused[:5])
        more = f"; and {len(unused) - 5} more" if len(unused) > 5 else ""
        warnings.warn(f"vigil.funnel: {len(unused)} of {count} groups not used (see the "
                      f"status column): {shown}{more}", stacklevel=2)
    return out
