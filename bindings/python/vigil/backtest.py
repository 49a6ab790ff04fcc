"""A back-test scored against outcomes (``vigil.v1.BacktestSummary``), from
:meth:`vigil.Timeline.score`: did the rules warn before the events they are
meant to foresee, how early, and at what cost in false alarms.

Example::

    t = engine.backtest(observations, from_="2016-04", to="2019-03", **files)
    s = t.score("outcomes.csv", warn_after=2, horizon=12)
    s.scores            # one row for the pack, one per rule: `--summary F.csv`
    s.leads             # per outcome, the pack's and each rule's lead
    s.warnings          # every warning and its verdict
    s.diagnostics       # outcome rows not scored, with why

    # The outcome defined by a rule of the pack (`--outcome-rule`):
    s = t.score(outcome_rule="ae_4hr_below_80_3m")
"""
from __future__ import annotations

import ctypes
import math
import os
import warnings
from ctypes import c_char_p, c_void_p
from typing import Any, Iterable, Optional, Sequence

from . import _native
from ._native import check, lib
from .errors import DataWarning, InvalidArgument

# The columns of `vigil backtest --summary F.csv`, in its order.
SCORE_COLUMNS = ["ruleset_id", "scope", "rule_id", "rule_name", "providers_with_outcome",
                 "providers_warned_before", "sensitivity", "median_lead_periods",
                 "providers_warned", "false_alarm_providers", "warnings", "false_alarms",
                 "pending_warnings"]
_SCORE_INTS = ["providers_with_outcome", "providers_warned_before", "providers_warned",
               "false_alarm_providers", "warnings", "false_alarms", "pending_warnings"]


def _text(value: Optional[bytes]) -> str:
    return "" if value is None else value.decode("utf-8")


def _utf8(value: Any, name: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidArgument(f"{name}: expected text, got {type(value).__name__} {value!r}")
    if "\0" in value:
        raise InvalidArgument(f"{name}: contains a NUL character")
    return value.encode("utf-8")


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}: expected a whole number, got {value!r}")
    if not 1 <= value <= 10000:
        raise InvalidArgument(f"{name} must be from 1 to 10000, not {value}")
    return value


def _cell(value: Any, name: str, row: int) -> bytes:
    """One outcome cell as text: a period may be a date, Timestamp or Period."""
    from .engine import _is_missing, _period_text  # noqa: PLC0415 - no cycle at import

    where = f"outcomes row {row}, {name}"
    if _is_missing(value):
        raise InvalidArgument(f"{where}: empty")
    if name == "period":
        value = _period_text(value, where)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidArgument(f"{where}: expected text, got {type(value).__name__} {value!r}")
    return _utf8(str(value), where)


def _rows_of(outcomes: Any) -> Sequence[Sequence[Any]]:
    """(provider_id, period, outcome) rows of a DataFrame or an iterable."""
    if hasattr(outcomes, "columns") and hasattr(outcomes, "itertuples"):
        missing = [c for c in ("provider_id", "period", "outcome") if c not in outcomes.columns]
        if missing:
            raise InvalidArgument(f"outcomes: no column {', '.join(missing)} (expected "
                                  "provider_id, period, outcome)")
        return list(outcomes[["provider_id", "period", "outcome"]]
                    .itertuples(index=False, name=None))
    rows = []
    for i, row in enumerate(outcomes):
        if isinstance(row, dict):
            row = (row.get("provider_id"), row.get("period"), row.get("outcome"))
        if isinstance(row, (str, bytes)) or len(row) != 3:
            raise InvalidArgument(f"outcomes row {i + 1}: expected (provider_id, period, "
                                  f"outcome), got {row!r}")
        rows.append(tuple(row))
    return rows


def _add_outcomes(handle: c_void_p, outcomes: Any) -> None:
    err = c_void_p()
    if isinstance(outcomes, (str, os.PathLike)):
        path = _utf8(os.fspath(outcomes), "outcomes")
        check(lib.vigil_outcomes_add_file(handle, path, ctypes.byref(err)), err)
        return
    if isinstance(outcomes, (bytes, bytearray)):  # CSV text.
        data = bytes(outcomes)
        check(lib.vigil_outcomes_add_csv(handle, data, len(data), None, ctypes.byref(err)), err)
        return
    rows = _rows_of(outcomes)
    columns = [[_cell(r[k], name, i + 1) for i, r in enumerate(rows)]
               for k, name in enumerate(("provider_id", "period", "outcome"))]
    arrays = [(c_char_p * len(rows))(*c) for c in columns]
    check(lib.vigil_outcomes_add(handle, len(rows), *arrays, b"outcomes", ctypes.byref(err)),
          err)


def score(timeline: Any, outcomes: Any = None, outcome_rule: Optional[str] = None,
          warn_after: int = 1, horizon: int = 12, outcomes_from: Any = None, *,
          outcome_timeline: Any = None, outcome_label: Optional[str] = None,
          exclude_rules: Iterable[str] = (), strict: bool = False) -> "BacktestSummary":
    """:meth:`vigil.Timeline.score` (see there)."""
    from .engine import _period_text  # noqa: PLC0415

    if not timeline._handle:
        raise InvalidArgument("the timeline is closed")
    warn_after, horizon = _count(warn_after, "warn_after"), _count(horizon, "horizon")
    if outcomes is None and outcome_rule is None:
        raise InvalidArgument("give outcomes (a DataFrame, rows or a CSV path) or "
                              "outcome_rule (the rule of the pack that defines the outcome)")
    err = c_void_p()
    handle, options, summary = c_void_p(), None, c_void_p()
    check(lib.vigil_outcomes_create(ctypes.byref(handle)), c_void_p())
    try:
        if outcomes is not None:
            _add_outcomes(handle, outcomes)
        if outcome_rule is not None:
            source = outcome_timeline if outcome_timeline is not None else timeline
            if not source._handle:
                raise InvalidArgument("outcome_timeline is closed")
            label = None if outcome_label is None else _utf8(outcome_label, "outcome_label")
            check(lib.vigil_outcomes_add_from_rule(handle, source._handle,
                                                   _utf8(outcome_rule, "outcome_rule"),
                                                   label, ctypes.byref(err)), err)
        options = lib.vigil_backtest_options_create()
        if not options:
            raise MemoryError("out of memory")
        check(lib.vigil_backtest_options_set_warn_after(options, warn_after,
                                                        ctypes.byref(err)), err)
        check(lib.vigil_backtest_options_set_horizon(options, horizon, ctypes.byref(err)), err)
        if outcomes_from is not None:
            text = _period_text(outcomes_from, "outcomes_from")
            check(lib.vigil_backtest_options_set_outcomes_from(
                options, _utf8(text, "outcomes_from"), ctypes.byref(err)), err)
        if isinstance(exclude_rules, str):
            exclude_rules = [exclude_rules]
        for rule in exclude_rules:
            check(lib.vigil_backtest_options_exclude_rule(
                options, _utf8(rule, "exclude_rules"), ctypes.byref(err)), err)
        check(lib.vigil_timeline_score(timeline._handle, handle, options,
                                       ctypes.byref(summary), ctypes.byref(err)), err)
    finally:
        lib.vigil_outcomes_destroy(handle)
        if options:
            lib.vigil_backtest_options_destroy(options)
    result = BacktestSummary(summary)
    if len(result.diagnostics):
        first = result.diagnostics.message.iloc[0]
        message = (f"{len(result.diagnostics)} outcome row(s) not scored (see "
                   f".diagnostics); first: {first}")
        if strict:
            raise InvalidArgument(message)
        warnings.warn(message, DataWarning, stacklevel=3)
    return result


class BacktestSummary:
    """A timeline scored against outcomes (``vigil.v1.BacktestSummary``).

    Immutable; the DataFrames (pandas required) are built at once:

    ``scores``
        One row for the pack (``scope == "pack"``, ``rule_id`` and
        ``rule_name`` "") then one per scored rule, the columns of ``vigil
        backtest --summary F.csv`` in its order: ``ruleset_id, scope,
        rule_id, rule_name, providers_with_outcome, providers_warned_before,
        sensitivity, median_lead_periods, providers_warned,
        false_alarm_providers, warnings, false_alarms, pending_warnings``
        (``sensitivity`` and ``median_lead_periods`` NaN where unset).
    ``leads``
        Per outcome, the pack's row (``rule_id`` "") then each rule's:
        ``provider_id, outcome_period, outcome, rule_id, warned,
        warning_period`` (None when not warned), ``lead_periods``,
        ``too_early`` (before ``outcomes_from``: listed, not scored).
    ``warnings``
        Every warning: ``provider_id, rule_id, start, end, verdict``
        (``"borne_out"``, ``"false_alarm"``, ``"pending"``).
    ``diagnostics``
        Outcome rows not scored: ``source, row, field, severity, code,
        message`` (an unknown provider, outside the range, a duplicate...).
        :meth:`Timeline.score` also warns (:class:`vigil.DataWarning`) when
        there are any: nothing is dropped in silence.

    Attributes: ``ruleset_id``, ``from_``, ``to``, ``outcomes_from``,
    ``outcome_source``, ``warn_after``, ``horizon``, ``providers`` (in the
    timeline) and ``outcomes_used`` (rows scored or listed too early).
    :meth:`to_csv` and :meth:`to_json` give the CLI's ``--summary`` bytes.
    """

    def __init__(self, handle: c_void_p) -> None:
        import pandas as pd  # noqa: PLC0415 - optional dependency

        s = handle
        try:
            self.ruleset_id = _text(lib.vigil_backtest_summary_ruleset_id(s))
            self.from_ = _text(lib.vigil_backtest_summary_from(s))
            self.to = _text(lib.vigil_backtest_summary_to(s))
            self.outcomes_from = _text(lib.vigil_backtest_summary_outcomes_from(s)) or None
            self.outcome_source = _text(lib.vigil_backtest_summary_outcome_source(s))
            self.warn_after = lib.vigil_backtest_summary_warn_after(s)
            self.horizon = lib.vigil_backtest_summary_horizon(s)
            self.providers = lib.vigil_backtest_summary_provider_count(s)
            self.outcomes_used = lib.vigil_backtest_summary_outcomes_used(s)
            self.scores = pd.DataFrame(
                [self._score(s, i) for i in range(lib.vigil_backtest_summary_score_count(s))],
                columns=SCORE_COLUMNS)
            self.leads = pd.DataFrame(
                [(_text(lib.vigil_backtest_summary_lead_provider_id(s, i)),
                  _text(lib.vigil_backtest_summary_lead_outcome_period(s, i)),
                  _text(lib.vigil_backtest_summary_lead_outcome(s, i)),
                  _text(lib.vigil_backtest_summary_lead_rule_id(s, i)),
                  bool(lib.vigil_backtest_summary_lead_warned(s, i)),
                  _text(lib.vigil_backtest_summary_lead_warning_period(s, i)) or None,
                  lib.vigil_backtest_summary_lead_periods(s, i),
                  bool(lib.vigil_backtest_summary_lead_too_early(s, i)))
                 for i in range(lib.vigil_backtest_summary_lead_count(s))],
                columns=["provider_id", "outcome_period", "outcome", "rule_id", "warned",
                         "warning_period", "lead_periods", "too_early"])
            verdicts = {v: _text(lib.vigil_enum_name(b"Warning.Verdict", v)) for v in range(4)}
            self.warnings = pd.DataFrame(
                [(_text(lib.vigil_backtest_summary_warning_provider_id(s, i)),
                  _text(lib.vigil_backtest_summary_warning_rule_id(s, i)),
                  _text(lib.vigil_backtest_summary_warning_start(s, i)),
                  _text(lib.vigil_backtest_summary_warning_end(s, i)),
                  verdicts.get(lib.vigil_backtest_summary_warning_verdict(s, i), ""))
                 for i in range(lib.vigil_backtest_summary_warning_count(s))],
                columns=["provider_id", "rule_id", "start", "end", "verdict"])
            self.diagnostics = pd.DataFrame(
                [(_text(lib.vigil_backtest_summary_diagnostic_source(s, i)),
                  lib.vigil_backtest_summary_diagnostic_row(s, i),
                  _text(lib.vigil_backtest_summary_diagnostic_field(s, i)),
                  _text(lib.vigil_enum_name(
                      b"DiagnosticSeverity", lib.vigil_backtest_summary_diagnostic_severity(s, i))),
                  _text(lib.vigil_enum_name(
                      b"DiagnosticCode", lib.vigil_backtest_summary_diagnostic_code(s, i))),
                  _text(lib.vigil_backtest_summary_diagnostic_message(s, i)))
                 for i in range(lib.vigil_backtest_summary_diagnostic_count(s))],
                columns=["source", "row", "field", "severity", "code", "message"])
            self._csv = _native.serialize(s, _native.FORMAT_CSV,
                                          lib.vigil_backtest_summary_serialize)
            self._json = _native.serialize(s, _native.FORMAT_JSON,
                                           lib.vigil_backtest_summary_serialize)
        finally:
            lib.vigil_backtest_summary_destroy(s)

    def _score(self, s: c_void_p, i: int) -> list:
        def number(v: float) -> float:
            return math.nan if math.isnan(v) else v

        row = {name: getattr(lib, f"vigil_backtest_summary_score_{name}")(s, i)
               for name in _SCORE_INTS}
        row.update(
            ruleset_id=self.ruleset_id, scope="pack" if i == 0 else "rule",
            rule_id=_text(lib.vigil_backtest_summary_score_rule_id(s, i)),
            rule_name=_text(lib.vigil_backtest_summary_score_rule_name(s, i)),
            sensitivity=number(lib.vigil_backtest_summary_score_sensitivity(s, i)),
            median_lead_periods=number(lib.vigil_backtest_summary_score_median_lead_periods(s, i)))
        return [row[c] for c in SCORE_COLUMNS]

    @property
    def pack(self) -> Any:
        """The pack's row of :attr:`scores` (a Series)."""
        return self.scores.iloc[0]

    def to_csv(self, path: Optional[str] = None) -> str:
        """``vigil backtest --summary F.csv``'s text (one pack); written to
        ``path`` when given."""
        return self._write(self._csv, path)

    def to_json(self, path: Optional[str] = None) -> str:
        """The ``vigil.v1.BacktestSummary`` as JSON, ``--summary F.json``'s
        text for one pack; written to ``path`` when given."""
        return self._write(self._json, path)

    @staticmethod
    def _write(text: str, path: Optional[str]) -> str:
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    def __repr__(self) -> str:
        p = self.pack
        return (f"<vigil.BacktestSummary {self.ruleset_id}: {p.providers_warned_before} of "
                f"{p.providers_with_outcome} providers warned before their outcome, "
                f"{p.false_alarm_providers} with a false alarm>")


def compare(*summaries: BacktestSummary, labels: Optional[Sequence[str]] = None) -> Any:
    """Packs side by side (``vigil backtest --rules A --rules B``'s table):
    one column per summary (labelled by ``labels``, else the ruleset ids),
    one row per figure of the pack's score, plus ``median_lead_difference``
    and ``false_alarm_provider_difference`` against the first summary.
    Score the packs' timelines with the same outcomes and options."""
    import pandas as pd  # noqa: PLC0415

    if not summaries:
        raise InvalidArgument("compare: give at least one BacktestSummary")
    names = list(labels) if labels is not None else [s.ruleset_id for s in summaries]
    if len(names) != len(summaries) or len(set(names)) != len(names):
        raise InvalidArgument("compare: labels must be distinct, one per summary")
    figures = SCORE_COLUMNS[4:]
    table = pd.DataFrame({n: [s.pack[f] for f in figures] for n, s in zip(names, summaries)},
                         index=figures)
    base = summaries[0].pack
    table.loc["median_lead_difference"] = [s.pack.median_lead_periods - base.median_lead_periods
                                           for s in summaries]
    table.loc["false_alarm_provider_difference"] = [
        s.pack.false_alarm_providers - base.false_alarm_providers for s in summaries]
    return table
