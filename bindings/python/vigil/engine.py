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
import math
import os
import threading
from ctypes import c_char_p, c_double, c_size_t, c_void_p
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._native import check, lib
from .errors import InvalidArgument
from .report import Report

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


def _as_of(as_of: Any) -> str:
    """The as-of period text ("" = latest); anything but text is an error."""
    if as_of is None:
        return ""
    if not isinstance(as_of, str):
        raise InvalidArgument(f"as_of: expected a period such as '2019-03', got "
                              f"{type(as_of).__name__} {as_of!r}")
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
    if v is None or v == "":
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
                self._handle, _bytes(row.get("id"), "id"), _bytes(row.get("name"), "name"),
                _bytes(row.get("type"), "type"), ctypes.byref(err)), err)

    def add_indicators(self, rows: Any) -> None:
        fields = ("id", "name", "domain", "unit", "polarity", "frequency", "rate_multiplier")
        for row in _records(rows, fields):
            err = c_void_p()
            multiplier = row.get("rate_multiplier")
            check(lib.vigil_dataset_add_indicator(
                self._handle, _bytes(row.get("id"), "id"), _bytes(row.get("name"), "name"),
                _bytes(row.get("domain"), "domain"), _bytes(row.get("unit"), "unit"),
                _bytes(row.get("polarity"), "polarity"), _bytes(row.get("frequency"), "frequency"),
                0.0 if multiplier in (None, "") else float(multiplier),
                ctypes.byref(err)), err)

    def add_observations(self, rows: Any) -> None:
        columns = {f: [] for f in _OBSERVATION_FIELDS}
        for i, row in enumerate(_records(rows, _OBSERVATION_FIELDS)):
            for f in ("provider_id", "indicator_id", "period"):
                if row.get(f) in (None, ""):
                    raise InvalidArgument(f"observation {i + 1}: '{f}' is missing")
                columns[f].append(_bytes(row[f], f))
            for f in ("value", "numerator", "denominator"):
                columns[f].append(_number(row.get(f)))
        n = len(columns["provider_id"])
        if n == 0:
            return
        strings = [(c_char_p * n)(*columns[f]) for f in ("provider_id", "indicator_id", "period")]
        numbers = [(c_double * n)(*columns[f]) for f in ("value", "numerator", "denominator")]
        err = c_void_p()
        check(lib.vigil_dataset_add_observations(self._handle, n, *strings, *numbers,
                                                 ctypes.byref(err)), err)

    def add_plans(self, rows: Any) -> None:
        columns = {f: [] for f in _PLAN_FIELDS}
        for i, row in enumerate(_records(rows, _PLAN_FIELDS)):
            for f in ("provider_id", "indicator_id", "period"):
                if row.get(f) in (None, ""):
                    raise InvalidArgument(f"plan {i + 1}: '{f}' is missing")
                columns[f].append(_bytes(row[f], f))
            columns["value"].append(_number(row.get("value")))
        n = len(columns["provider_id"])
        if n == 0:
            return
        strings = [(c_char_p * n)(*columns[f]) for f in ("provider_id", "indicator_id", "period")]
        values = (c_double * n)(*columns["value"])
        err = c_void_p()
        check(lib.vigil_dataset_add_plans(self._handle, n, *strings, values, ctypes.byref(err)),
              err)


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
                 chart_periods: int = 0) -> Report:
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
                else:
                    add(rows)
            report, err = c_void_p(), c_void_p()
            check(lib.vigil_dataset_set_limits(dataset._handle, *limits, ctypes.byref(err)), err)
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
        return Report(text)
