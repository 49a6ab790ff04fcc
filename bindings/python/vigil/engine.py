"""The Vigil engine: a compiled rule pack that rates providers.

Example::

    import vigil
    with vigil.Engine.from_file("examples/nhs_early_warning/rules.textproto") as engine:
        report = engine.evaluate("examples/nhs_early_warning/observations.csv",
                                 providers="examples/nhs_early_warning/providers.csv",
                                 indicators="examples/nhs_early_warning/indicators.csv",
                                 as_of="2019-03")
    reds = [a for a in report if a.rating == "red"]
"""
from __future__ import annotations

import ctypes
import datetime
import math
import os
import threading
import warnings
from ctypes import c_char_p, c_double, c_size_t, c_void_p
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._native import check, lib
from .errors import DataWarning, InvalidArgument, RowsNotUsed
from .report import Report
from .timeline import Timeline

PathLike = Union[str, "os.PathLike[str]"]
Rows = Union[PathLike, Iterable[Union[Mapping[str, Any], Sequence[Any]]], Any]

_OBSERVATION_FIELDS = ("provider_id", "indicator_id", "period", "value", "numerator",
                       "denominator")
_PLAN_FIELDS = ("provider_id", "indicator_id", "period", "value")


def _bytes(s: Any, field: str = "value") -> Optional[bytes]:
    """A text argument as UTF-8 for the C API; None stays None.

    Strings and whole numbers are accepted (an id may be numeric). Bytes, a
    NUL (which C would cut the text at) or text that is not encodable as
    UTF-8 raise InvalidArgument naming the field, never a changed meaning.
    """
    if s is None:
        return None
    if isinstance(s, (bytes, bytearray)):
        raise InvalidArgument(f"{field}: expected text, got bytes {bytes(s)!r} "
                              "(decode it first)")
    if isinstance(s, bool) or not isinstance(s, (str, int, os.PathLike)):
        raise InvalidArgument(f"{field}: expected text, got {type(s).__name__} {s!r}")
    text = os.fspath(s) if isinstance(s, os.PathLike) else str(s)
    if "\x00" in text:
        raise InvalidArgument(f"{field}: {text!r} holds a NUL character")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidArgument(f"{field}: {text!r} is not encodable as UTF-8 ({e.reason})") from None


def _is_missing(v: Any) -> bool:
    """None, NaN, pandas' NA and NaT: a cell with nothing in it."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    return type(v).__name__ in ("NAType", "NaTType")


def _text(v: Any, field: str) -> Optional[bytes]:
    """An optional text cell: a missing one (None, NaN, NA) is None."""
    return None if _is_missing(v) else _bytes(v, field)


def _period_text(v: Any, field: str) -> Any:
    """A period cell as the library's text: ISO text as it is; a date,
    datetime, pandas Timestamp or numpy datetime64 as its day ("2019-03-01",
    which is March 2019 for a monthly indicator: the first day of a period
    is that period); a pandas Period in its own frequency ("2019-03",
    "2019-Q1", "2019"). A time of day other than midnight is an error, not
    dropped."""
    if isinstance(v, str) or _is_missing(v):
        return v
    kind = type(v).__name__
    if kind == "Period":  # pandas.Period
        freq = v.freqstr.split("-")[0].upper()
        if freq.startswith("Q"):
            return f"{v.year:04d}-Q{v.quarter}"
        if freq.startswith(("A", "Y")):
            return f"{v.year:04d}"
        if freq.startswith("M"):
            return f"{v.year:04d}-{v.month:02d}"
        if freq.startswith(("D", "B")):
            return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
        raise InvalidArgument(f"{field}: {v!r}: periods of frequency {v.freqstr} are not "
                              "supported (daily, monthly, quarterly or annual)")
    if kind == "datetime64":
        v = datetime.datetime.fromisoformat(str(v)[:26]) if "T" in str(v) else \
            datetime.date.fromisoformat(str(v)[:10])
    if isinstance(v, datetime.datetime):
        if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
            raise InvalidArgument(f"{field}: {v!r} has a time of day; give a date or a "
                                  "period such as '2019-03'")
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def _as_of(as_of: Any) -> str:
    """The as-of period text ("" = latest): text, a date, a pandas Timestamp
    or Period; anything else is an error."""
    if _is_missing(as_of):
        return ""
    as_of = _period_text(as_of, "as_of")
    if not isinstance(as_of, str):
        raise InvalidArgument(f"as_of: expected a period such as '2019-03', a date or a "
                              f"pandas Timestamp or Period, got {type(as_of).__name__} {as_of!r}")
    return as_of


def _limit(value: Any, name: str) -> int:
    """A resource limit: None is the library's default (0 to the C API)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}: expected a whole number, got {value!r}")
    if not 1 <= value < 2 ** 63:
        raise InvalidArgument(f"{name}: must be at least 1, got {value}")
    return value


def _threads(threads: Any) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise InvalidArgument(f"threads: expected a whole number, got {threads!r}")
    if not 1 <= threads <= _native.MAX_THREADS:
        raise InvalidArgument(f"threads: must be 1..{_native.MAX_THREADS}, got {threads}")
    return threads


def _number(v: Any) -> float:
    if _is_missing(v) or (isinstance(v, str) and v == ""):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        raise InvalidArgument(f"'{v}' is not a number") from None


def _is_path(data: Any) -> bool:
    return isinstance(data, (str, os.PathLike))


def _is_dataframe(data: Any) -> bool:
    return type(data).__name__ == "DataFrame" and hasattr(data, "to_dict")


def _records(data: Any, fields: Sequence[str]) -> Iterable[Mapping[str, Any]]:
    """Dicts from a DataFrame, dicts or tuples (tuples follow `fields`)."""
    if _is_dataframe(data):
        data = data.to_dict("records")
    for i, row in enumerate(data):
        if isinstance(row, Mapping):
            yield row
        elif isinstance(row, Sequence) and not isinstance(row, (str, bytes)):
            if len(row) > len(fields):
                raise InvalidArgument(f"row {i + 1}: {len(row)} values, at most {len(fields)} "
                                      f"({', '.join(fields)})")
            yield dict(zip(fields, row))
        else:
            raise InvalidArgument(f"row {i + 1}: expected a dict or a tuple, got "
                                  f"{type(row).__name__}")


class _Dataset:
    """A vigil_dataset handle, filled from Python data; freed on close."""

    def __init__(self) -> None:
        handle = c_void_p()
        check(lib.vigil_dataset_create(ctypes.byref(handle)), c_void_p())
        self._handle = handle

    def close(self) -> None:
        if self._handle:
            lib.vigil_dataset_destroy(self._handle)
            self._handle = c_void_p()

    def __del__(self) -> None:
        self.close()

    def add_file(self, path: PathLike, kind: int) -> None:
        err = c_void_p()
        check(lib.vigil_dataset_add_file(self._handle, _bytes(os.fspath(path), "path"), kind,
                                         ctypes.byref(err)), err)

    def add_providers(self, rows: Any) -> None:
        for row in _records(rows, ("id", "name", "type")):
            err = c_void_p()
            check(lib.vigil_dataset_add_provider(
                self._handle, _text(row.get("id"), "id"), _text(row.get("name"), "name"),
                _text(row.get("type"), "type"), ctypes.byref(err)), err)

    def add_indicators(self, rows: Any) -> None:
        fields = ("id", "name", "domain", "unit", "polarity", "frequency", "rate_multiplier")
        for row in _records(rows, fields):
            err = c_void_p()
            multiplier = row.get("rate_multiplier")
            # A blank cell (None, NaN: pandas reads one as NaN) is the default.
            check(lib.vigil_dataset_add_indicator(
                self._handle, _text(row.get("id"), "id"), _text(row.get("name"), "name"),
                _text(row.get("domain"), "domain"), _text(row.get("unit"), "unit"),
                _text(row.get("polarity"), "polarity"), _text(row.get("frequency"), "frequency"),
                0.0 if _is_missing(multiplier) or multiplier == "" else _number(multiplier),
                ctypes.byref(err)), err)

    def add_observations(self, rows: Any, columns: Optional[Mapping[str, str]] = None) -> None:
        cols = _columns_of(rows, _OBSERVATION_FIELDS, "observation", columns)
        n = cols["_n"]
        if n == 0:
            return
        strings = [cols[f] for f in _IDS]
        numbers = [_doubles(cols[f]) for f in ("value", "numerator", "denominator")]
        err = c_void_p()
        check(lib.vigil_dataset_add_observations(self._handle, n, *strings, *numbers,
                                                 ctypes.byref(err)), err)

    def add_plans(self, rows: Any, columns: Optional[Mapping[str, str]] = None) -> None:
        cols = _columns_of(rows, _PLAN_FIELDS, "plan", columns)
        n = cols["_n"]
        if n == 0:
            return
        strings = [cols[f] for f in _IDS]
        err = c_void_p()
        check(lib.vigil_dataset_add_plans(self._handle, n, *strings, _doubles(cols["value"]),
                                          ctypes.byref(err)), err)


_IDS = ("provider_id", "indicator_id", "period")


def _doubles(values: Any) -> Any:
    """A C double array from a list or a float64 numpy array (no copy)."""
    if type(values).__name__ == "ndarray":
        return values.ctypes.data_as(ctypes.POINTER(c_double))
    return (c_double * len(values))(*values)


def _rename(df: Any, fields: Sequence[str], columns: Optional[Mapping[str, str]]) -> Any:
    """`df` with the caller's column names (``columns``: vigil's field ->
    the caller's column) as vigil's."""
    if not columns:
        return df
    unknown = set(columns) - set(fields)
    if unknown:
        raise InvalidArgument(f"columns: unknown field(s) {', '.join(sorted(unknown))} "
                              f"(fields: {', '.join(fields)})")
    missing = [c for c in columns.values() if c not in df.columns]
    if missing:
        raise InvalidArgument(f"columns: no column {', '.join(map(repr, missing))} in the "
                              f"DataFrame (columns: {', '.join(map(repr, df.columns))})")
    return df.rename(columns={theirs: ours for ours, theirs in columns.items()})


def _string_column(column: Any, field: str, what: str) -> Any:
    """A DataFrame column of ids or periods as a C array of char* without a
    Python loop over its rows: each distinct value is checked and encoded
    once (pandas.factorize), and the array holds the addresses of those
    encodings (returned with it: keep both alive for the call)."""
    import numpy as np  # noqa: PLC0415 - pandas brings it

    import pandas as pd  # noqa: PLC0415

    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if len(codes) and codes.min() < 0:
        raise InvalidArgument(f"{what} {int(np.argmax(codes < 0)) + 1}: '{field}' is missing")
    buffers = []
    for k, value in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else uniques):
        text = _period_text(value, field) if field == "period" else value
        if _is_missing(text) or text == "":
            raise InvalidArgument(f"{what} {int(np.argmax(codes == k)) + 1}: '{field}' is "
                                  "missing")
        buffers.append(ctypes.create_string_buffer(_bytes(text, field)))
    addresses = np.array([ctypes.addressof(b) for b in buffers], dtype=np.uintp)
    pointers = np.ascontiguousarray(addresses[codes])
    return pointers.ctypes.data_as(ctypes.POINTER(c_char_p)), (pointers, buffers)


def _columns_of(rows: Any, fields: Sequence[str], what: str,
                columns: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """Column lists of `fields` (ids as UTF-8, numbers as floats) from a
    DataFrame (column by column), or dicts or tuples (row by row)."""
    if _is_dataframe(rows):
        df = _rename(rows, fields, columns)
        missing = [f for f in _IDS if f not in df.columns]
        if missing:
            raise InvalidArgument(
                f"{what}s: no column {', '.join(missing)} (columns: "
                f"{', '.join(map(repr, df.columns))}; name yours with columns={{...}})")
        out: Dict[str, Any] = {"_n": len(df), "_keep": []}
        for f in _IDS:
            array, keep = _string_column(df[f], f, what)
            out[f] = array
            out["_keep"].append(keep)
        for f in fields[3:]:
            if f not in df.columns:
                out[f] = [math.nan] * len(df)
                continue
            try:
                out[f] = df[f].to_numpy(dtype="float64", na_value=math.nan).copy()
            except (TypeError, ValueError):
                out[f] = [_number_at(v, what, i, f) for i, v in enumerate(df[f].tolist())]
        return out
    if columns:
        raise InvalidArgument("columns: only for a pandas DataFrame (name the keys of dicts "
                              "as vigil's fields)")
    out: Dict[str, Any] = {f: [] for f in fields}
    for i, row in enumerate(_records(rows, fields)):
        for f in _IDS:
            cell = _period_text(row.get(f), f) if f == "period" else row.get(f)
            if _is_missing(cell) or cell == "":
                raise InvalidArgument(f"{what} {i + 1}: '{f}' is missing")
            out[f].append(_bytes(cell, f))
        for f in fields[3:]:
            out[f].append(_number_at(row.get(f), what, i, f))
    out["_n"] = len(out["provider_id"])
    for f in _IDS:
        out[f] = (c_char_p * out["_n"])(*out[f])
    return out


def _number_at(v: Any, what: str, i: int, field: str) -> float:
    try:
        return _number(v)
    except InvalidArgument as e:
        raise InvalidArgument(f"{what} {i + 1}: {field}: {e}") from None


def _warn_or_raise(report: Report, strict: bool) -> None:
    """A DataWarning (or under ``strict`` RowsNotUsed) when rows were not used
    or nothing was assessed, with the first reasons."""
    rejected = report.observations_rejected + report.plans_rejected
    errors = [d for d in report.diagnostics if d.severity == "error"]
    reasons = "; ".join(d.message for d in errors[:3])
    if len(errors) > 3:
        reasons += f"; ... ({len(errors)} in report.diagnostics)"
    if rejected:
        message = (f"{rejected} of {report.observations_read + report.plans_read} rows not "
                   f"used: {reasons}")
        if strict:
            raise RowsNotUsed(message, report)
        warnings.warn(message, DataWarning, stacklevel=3)
    if len(report) == 0:
        hint = reasons or ("no rule selected any indicator of the data, or no indicator "
                           "is defined (pass indicators=...)")
        warnings.warn(f"no assessment: {hint}", DataWarning, stacklevel=3)


def _dataset_of(data: Rows, providers: Optional[Rows], indicators: Optional[Rows],
                plans: Optional[Rows], columns: Optional[Mapping[str, str]],
                plan_columns: Optional[Mapping[str, str]], limits: Any) -> "_Dataset":
    """A dataset handle filled from what evaluate and backtest accept (file
    paths, DataFrames, dicts or tuples), with its indexing limits set."""
    dataset = _Dataset()
    try:
        for rows, kind, add in ((providers, _native.KIND_PROVIDERS, dataset.add_providers),
                                (indicators, _native.KIND_INDICATORS, dataset.add_indicators),
                                (data, _native.KIND_OBSERVATIONS, dataset.add_observations),
                                (plans, _native.KIND_PLANS, dataset.add_plans)):
            if rows is None:
                continue
            if _is_path(rows):
                dataset.add_file(rows, kind)
            elif kind == _native.KIND_OBSERVATIONS:
                add(rows, columns)
            elif kind == _native.KIND_PLANS:
                add(rows, plan_columns)
            else:
                add(rows)
        err = c_void_p()
        check(lib.vigil_dataset_set_limits(dataset._handle, *limits, ctypes.byref(err)), err)
    except BaseException:
        dataset.close()
        raise
    return dataset


class Engine:
    """A compiled rule pack (``vigil.v1.RuleSet``): immutable and safe to share by threads.

    Create it with :meth:`from_file`, :meth:`from_text` or :meth:`from_json`;
    a pack with a mistake raises :class:`vigil.InvalidArgument` naming the
    rule and field. Free it with :meth:`close` or a ``with`` block (it is
    also freed when garbage-collected).
    """

    def __init__(self, handle: c_void_p) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self._running = 0       # evaluations inside the library now
        self._closing = False   # close() was called while some ran

    def _acquire(self) -> c_void_p:
        """The handle, held for one evaluation; InvalidArgument once closed."""
        with self._lock:
            if not self._handle or self._closing:
                raise InvalidArgument("the engine is closed")
            self._running += 1
            return self._handle

    def _release(self) -> None:
        with self._lock:
            self._running -= 1
            if self._closing and self._running == 0:
                lib.vigil_engine_destroy(self._handle)
                self._handle = c_void_p()

    @classmethod
    def from_file(cls, path: PathLike) -> "Engine":
        """A pack from a .textproto, .json or .pb file."""
        handle, err = c_void_p(), c_void_p()
        check(lib.vigil_engine_create_from_file(_bytes(os.fspath(path), "path"), ctypes.byref(handle),
                                                ctypes.byref(err)), err)
        return cls(handle)

    @classmethod
    def _from_bytes(cls, data: bytes, fmt: int) -> "Engine":
        handle, err = c_void_p(), c_void_p()
        check(lib.vigil_engine_create(data, len(data), fmt, ctypes.byref(handle),
                                      ctypes.byref(err)), err)
        return cls(handle)

    @classmethod
    def from_text(cls, text: str) -> "Engine":
        """A pack in protobuf text format, e.g. ``'id: "p" rules { ... }'``."""
        return cls._from_bytes(text.encode("utf-8"), _native.FORMAT_TEXT)

    @classmethod
    def from_json(cls, text: Union[str, Mapping[str, Any]]) -> "Engine":
        """A pack as protobuf JSON (a string, or a dict that is dumped first)."""
        if not isinstance(text, str):
            import json
            text = json.dumps(text)
        return cls._from_bytes(text.encode("utf-8"), _native.FORMAT_JSON)

    def close(self) -> None:
        """Frees the engine (idempotent). Evaluations already running in other
        threads finish first: the last of them frees it. New ones raise."""
        with self._lock:
            if not self._handle or self._closing:
                return
            if self._running:
                self._closing = True
                return
            lib.vigil_engine_destroy(self._handle)
            self._handle = c_void_p()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def evaluate(self, data: Rows, *, as_of: Optional[str] = None,
                 providers: Optional[Rows] = None, indicators: Optional[Rows] = None,
                 plans: Optional[Rows] = None, threads: int = 1,
                 max_periods_per_series: Optional[int] = None,
                 max_stored_periods: Optional[int] = None,
                 max_assessments: Optional[int] = None,
                 chart_periods: int = 0, columns: Optional[Mapping[str, str]] = None,
                 plan_columns: Optional[Mapping[str, str]] = None,
                 strict: bool = False) -> Report:
        """Rates every provider as of ``as_of`` ("2019-03"; default: the latest period).

        ``data`` is a CSV/JSON/protobuf file path, a pandas DataFrame, or an
        iterable of dicts or tuples with provider_id, indicator_id, period,
        value, numerator, denominator (None or NaN = not given).
        ``providers`` and ``indicators`` are file paths or iterables of dicts
        (indicators: id, name, domain, unit, polarity, frequency,
        rate_multiplier). ``plans`` (plan values, i.e. trajectories) is a
        file path, a DataFrame, or an iterable of dicts or tuples with
        provider_id, indicator_id, period, value. Bad rows do not raise: they
        are listed in ``report.diagnostics`` with their row number and reason
        (a plan value that is None or NaN is such a row), and counted in
        ``report.observations_rejected`` / ``report.plans_rejected``.

        Resource limits (None = the default, docs/reliability.md):
        ``max_periods_per_series`` (100,000) bounds the span of one series
        or plan from its first row to its last, ``max_stored_periods``
        (30,000,000) the periods stored in all, ``max_assessments``
        (2,000,000) the report. Exceeding one raises ``vigil.ResourceExhausted``
        (a ``MemoryError``) naming it.

        Periods (and ``as_of``) may be ISO text ("2019-03", "2019-Q1",
        "2019-03-15", "2019"), dates, datetimes at midnight, pandas
        Timestamps (a DataFrame column parsed as dates) or pandas Periods: a
        date on the first day of an indicator's period is that period
        (2019-03-01 is March 2019 for a monthly indicator). Missing cells
        (None, NaN, NA, NaT) are "not given" everywhere: a blank
        ``rate_multiplier`` read by pandas as NaN is the default.
        ``columns`` names a DataFrame's columns for vigil's fields, e.g.
        ``columns={"provider_id": "trust", "period": "month", "value":
        "breach_rate"}`` (``plan_columns`` likewise for ``plans``); a
        DataFrame is read column by column.

        Rows that are not used raise nothing: a :class:`vigil.DataWarning`
        (Python ``warnings``) says how many, with the first reasons, and so
        does a report with no assessment; ``strict=True`` raises
        :class:`vigil.RowsNotUsed` (an InvalidArgument, carrying the report)
        instead.

        ``chart_periods`` (0..10,000; default 0, none) asks for what charts
        draw: each SPC assessment's last periods (``spc.chart_points``), the
        recent values of other rules (``recent_values``), trajectory years
        (``trajectory``) and a funnel plot per peer rule
        (``report.funnels``): for ``report.to_html()``, ``vigil.plot_spc``
        and ``vigil.plot_funnel``. The ratings do not depend on it.
        """
        if not self._handle or self._closing:
            raise InvalidArgument("the engine is closed")
        as_of_text = _bytes(_as_of(as_of), "as_of")
        threads = _threads(threads)
        limits = (_limit(max_periods_per_series, "max_periods_per_series"),
                  _limit(max_stored_periods, "max_stored_periods"))
        assessments = _limit(max_assessments, "max_assessments")
        if isinstance(chart_periods, bool) or not isinstance(chart_periods, int):
            raise TypeError(f"chart_periods: expected an int, got "
                            f"{type(chart_periods).__name__} {chart_periods!r}")
        if not 0 <= chart_periods <= _native.MAX_CHART_PERIODS:
            raise InvalidArgument(f"chart_periods: must be 0..{_native.MAX_CHART_PERIODS}, "
                                  f"got {chart_periods}")
        dataset = _dataset_of(data, providers, indicators, plans, columns, plan_columns, limits)
        try:
            report, err = c_void_p(), c_void_p()
            options = lib.vigil_evaluate_options_create()
            if not options:
                raise MemoryError("out of memory")
            try:
                check(lib.vigil_evaluate_options_set_threads(options, threads,
                                                             ctypes.byref(err)), err)
                check(lib.vigil_evaluate_options_set_max_assessments(
                    options, assessments, ctypes.byref(err)), err)
                check(lib.vigil_evaluate_options_set_chart_periods(
                    options, chart_periods, ctypes.byref(err)), err)
                handle = self._acquire()
                try:
                    status = lib.vigil_engine_evaluate_with_options(
                        handle, dataset._handle, as_of_text, options, ctypes.byref(report),
                        ctypes.byref(err))
                finally:
                    self._release()
            finally:
                lib.vigil_evaluate_options_destroy(options)
            check(status, err)
            try:
                text = _native.serialize(report, _native.FORMAT_JSON)
            finally:
                lib.vigil_report_destroy(report)
        finally:
            dataset.close()
        result = Report(text, proto_field_names=True)
        _warn_or_raise(result, strict)
        return result

    def backtest(self, data: Rows, *, from_: Any, to: Any,
                 providers: Optional[Rows] = None, indicators: Optional[Rows] = None,
                 plans: Optional[Rows] = None, threads: int = 1,
                 max_periods_per_series: Optional[int] = None,
                 max_stored_periods: Optional[int] = None,
                 max_assessments: Optional[int] = None,
                 columns: Optional[Mapping[str, str]] = None,
                 plan_columns: Optional[Mapping[str, str]] = None) -> Timeline:
        """The dashboard replayed as of every period from ``from_`` to ``to``.

        "How many months earlier would we have known?": each as-of period's
        ratings are exactly what :meth:`evaluate` gives as of it (later data
        is never used). ``from_`` and ``to`` are periods of one frequency
        ("2016-04", "2019-03"; pandas Periods; a date or Timestamp is a
        day, so back-tests by day), ``from_`` <= ``to``, at most 10,000
        periods. The
        data arguments, ``columns``, ``plan_columns`` and the limits are
        those of :meth:`evaluate` (``max_assessments`` bounds each period's
        report); ``threads`` are per period.

        Returns a :class:`vigil.Timeline`: ``.ratings`` (one row per as-of
        period, provider, indicator and rule, as ``vigil backtest --format
        csv``), ``.escalation``, ``.rules`` (first red, longest red run...)
        and ``.to_html(path)`` (the heat-map). Rows not used are not listed
        here: :meth:`evaluate` on the same data lists them. A bad range
        raises :class:`vigil.InvalidArgument` naming it.
        """
        if not self._handle or self._closing:
            raise InvalidArgument("the engine is closed")
        first = _bytes(_range_end(from_, "from_"), "from_")
        last = _bytes(_range_end(to, "to"), "to")
        threads = _threads(threads)
        limits = (_limit(max_periods_per_series, "max_periods_per_series"),
                  _limit(max_stored_periods, "max_stored_periods"))
        assessments = _limit(max_assessments, "max_assessments")
        dataset = _dataset_of(data, providers, indicators, plans, columns, plan_columns, limits)
        try:
            timeline, err = c_void_p(), c_void_p()
            options = lib.vigil_evaluate_options_create()
            if not options:
                raise MemoryError("out of memory")
            try:
                check(lib.vigil_evaluate_options_set_threads(options, threads,
                                                             ctypes.byref(err)), err)
                check(lib.vigil_evaluate_options_set_max_assessments(
                    options, assessments, ctypes.byref(err)), err)
                handle = self._acquire()
                try:
                    status = lib.vigil_engine_backtest(handle, dataset._handle, first, last,
                                                       options, ctypes.byref(timeline),
                                                       ctypes.byref(err))
                finally:
                    self._release()
            finally:
                lib.vigil_evaluate_options_destroy(options)
            check(status, err)
        finally:
            dataset.close()
        return Timeline(timeline)


def _range_end(value: Any, name: str) -> str:
    """``from_`` or ``to`` as period text: required, else as ``as_of``."""
    if _is_missing(value) or value == "":
        raise InvalidArgument(f"{name}: a period is required, e.g. '2019-03'")
    text = _period_text(value, name)
    if not isinstance(text, str):
        raise InvalidArgument(f"{name}: expected a period such as '2019-03', a date or a "
                              f"pandas Timestamp or Period, got {type(value).__name__} "
                              f"{value!r}")
    return text
