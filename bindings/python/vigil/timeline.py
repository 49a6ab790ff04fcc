"""A back-test's result (``vigil.v1.Timeline``): the dashboard replayed as of
every period of a range, from :meth:`vigil.Engine.backtest`.

Example::

    t = engine.backtest(observations, providers=..., indicators=...,
                        from_="2016-04", to="2019-03")
    t.ratings                  # as_of, provider_id, indicator_id, rule_id, rating
    t.escalation               # as_of, provider_id, escalation (long form)
    t.escalation.pivot(index="provider_id", columns="as_of", values="escalation")
    t.rules[t.rules.first_red.notna()]   # when each rule first warned
    t.to_html("backtest.html")           # the escalation heat-map
    s = t.score("outcomes.csv", horizon=12)  # lead times, false alarms
    s.scores                             # `vigil backtest --summary F.csv`
"""
from __future__ import annotations

import ctypes
from ctypes import c_int, c_void_p
from typing import Any, List, Optional

from . import _native
from ._native import check, lib


def _text(value: Optional[bytes]) -> str:
    return "" if value is None else value.decode("utf-8")


class Timeline:
    """What the dashboard would have said as of each period of a range.

    Immutable and safe to read from several threads. The DataFrames (pandas
    required; built on first use) are:

    ``ratings``
        One row per as-of period, provider, indicator and rule that gave a
        rating, columns ``as_of, provider_id, indicator_id, rule_id,
        rating``: cell for cell the CSV of ``vigil backtest --format csv``
        (ratings spelled as there: ``"red"``, ``"no_data"``), in its order.
    ``escalation``
        Long form, one row per as-of period and provider that had a report,
        columns ``as_of, provider_id, provider_name, escalation``
        (``"routine"``, ``"enhanced_surveillance"``, ``"risk_summit"``);
        ``.pivot(index="provider_id", columns="as_of", values="escalation")``
        gives the heat-map's grid.
    ``rules``
        One row per provider, indicator and rule: ``first_red`` (None when
        never red), ``longest_red_run`` (periods), ``longest_red_run_start``,
        ``red_periods`` and ``changes`` (the first rating counts as one).

    ``as_of`` is the list of as-of periods, oldest first. The handle is
    freed by :meth:`close`, a ``with`` block or garbage collection.
    """

    def __init__(self, handle: c_void_p) -> None:
        self._handle = handle
        t = handle
        self.ruleset_id = _text(lib.vigil_timeline_ruleset_id(t))
        self.as_of: List[str] = [_text(lib.vigil_timeline_period(t, i))
                                 for i in range(lib.vigil_timeline_period_count(t))]
        n = len(self.as_of)
        rules = lib.vigil_timeline_rule_count(t)
        self._rule_keys = [(_text(lib.vigil_timeline_rule_provider_id(t, i)),
                            _text(lib.vigil_timeline_rule_indicator_id(t, i)),
                            _text(lib.vigil_timeline_rule_rule_id(t, i))) for i in range(rules)]
        self._rule_summary = [(_text(lib.vigil_timeline_rule_first_red(t, i)) or None,
                               lib.vigil_timeline_rule_longest_red_run(t, i),
                               _text(lib.vigil_timeline_rule_longest_red_run_start(t, i)) or None,
                               lib.vigil_timeline_rule_change_count(t, i))
                              for i in range(rules)]
        providers = lib.vigil_timeline_provider_count(t)
        self._providers = [(_text(lib.vigil_timeline_provider_id(t, i)),
                            _text(lib.vigil_timeline_provider_name(t, i)))
                           for i in range(providers)]
        err = c_void_p()
        self._ratings = (c_int * (rules * n))()
        check(lib.vigil_timeline_ratings(t, self._ratings, rules * n, ctypes.byref(err)), err)
        self._levels = (c_int * (providers * n))()
        check(lib.vigil_timeline_escalations(t, self._levels, providers * n,
                                             ctypes.byref(err)), err)
        self._frames: dict = {}

    @classmethod
    def from_json(cls, text: str) -> "Timeline":
        """A timeline read back from :meth:`to_json` (or ``vigil backtest
        --format json``, one pack), e.g. to score a saved back-test. Provider
        and rule names are not kept in the JSON: ids stand for them."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        handle, err = c_void_p(), c_void_p()
        check(lib.vigil_timeline_parse(data, len(data), _native.FORMAT_JSON,
                                       ctypes.byref(handle), ctypes.byref(err)), err)
        return cls(handle)

    def score(self, outcomes: Any = None, outcome_rule: Optional[str] = None,
              warn_after: int = 1, horizon: int = 12, outcomes_from: Any = None, *,
              outcome_timeline: Optional["Timeline"] = None,
              outcome_label: Optional[str] = None, exclude_rules: Any = (),
              strict: bool = False) -> Any:
        """Scores the timeline against outcomes (``vigil backtest --outcomes``
        / ``--outcome-rule``): per rule and for the pack, how many providers
        were warned before their outcome, how early, and the false alarms.

        ``outcomes``: a CSV path (columns provider_id, period, outcome), its
        bytes, a DataFrame with those columns, or (provider_id, period,
        outcome) rows; a period may be ISO text, a date, Timestamp or
        Period. ``outcome_rule``: the outcome is each as-of period that
        rule starts rating a provider red (of this timeline, or of
        ``outcome_timeline``: another pack back-tested on the same data
        and range), labelled ``outcome_label`` (default: the rule's name);
        that rule is then not scored. Give either or both.
        ``warn_after``: as-of periods in a row rated red that make a
        warning; ``horizon``: periods within which a warning must precede
        an outcome (else a false alarm, or pending at the range's end);
        ``outcomes_from``: the first period whose outcomes are scored
        (default: ``horizon`` periods after the first); ``exclude_rules``:
        rule ids left out. Defaults as the CLI's.

        Returns a :class:`vigil.BacktestSummary` (``.scores``, ``.leads``,
        ``.warnings``, ``.diagnostics``). Outcome rows that cannot be scored
        (unknown provider, outside the range, duplicates) are listed in
        ``.diagnostics`` and warned about (:class:`vigil.DataWarning`;
        raised as :class:`vigil.InvalidArgument` when ``strict``). Bad
        arguments raise :class:`vigil.InvalidArgument` naming them.
        """
        from .backtest import score  # noqa: PLC0415 - pandas only when used

        return score(self, outcomes, outcome_rule, warn_after, horizon, outcomes_from,
                     outcome_timeline=outcome_timeline, outcome_label=outcome_label,
                     exclude_rules=exclude_rules, strict=strict)

    def close(self) -> None:
        """Frees the library's timeline (idempotent); the DataFrames stay usable,
        :meth:`to_html` and the other writers do not."""
        if self._handle:
            lib.vigil_timeline_destroy(self._handle)
            self._handle = c_void_p()

    def __enter__(self) -> "Timeline":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def __len__(self) -> int:
        return len(self.as_of)

    def __repr__(self) -> str:
        span = f"{self.as_of[0]} to {self.as_of[-1]}" if self.as_of else "no period"
        return (f"<vigil.Timeline {self.ruleset_id}: {span}, {len(self._providers)} providers, "
                f"{len(self._rule_keys)} provider x indicator x rule>")

    def _serialize(self, fmt: int) -> str:
        if not self._handle:
            from .errors import InvalidArgument
            raise InvalidArgument("the timeline is closed")
        return _native.serialize(self._handle, fmt, lib.vigil_timeline_serialize)

    def to_csv(self, path: Optional[str] = None) -> str:
        """``vigil backtest --format csv``'s text; written to ``path`` when given."""
        return self._write(self._serialize(_native.FORMAT_CSV), path)

    def to_json(self) -> str:
        """The ``vigil.v1.Timeline`` as protobuf JSON (the .proto's field names)."""
        return self._serialize(_native.FORMAT_JSON)

    def to_html(self, path: Optional[str] = None) -> str:
        """The escalation heat-map (``vigil backtest --format html``): one
        self-contained page, providers (worst first) by as-of period coloured
        as the board colours escalation levels. Written to ``path`` when
        given; the page is returned either way."""
        return self._write(self._serialize(_native.FORMAT_HTML), path)

    @staticmethod
    def _write(text: str, path: Optional[str]) -> str:
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    def _matrix(self, buffer: Any, rows: int) -> Any:
        import numpy as np  # noqa: PLC0415 - pandas brings it

        return np.frombuffer(buffer, dtype=np.intc).reshape(rows, len(self.as_of))

    @property
    def ratings(self) -> Any:
        if "ratings" not in self._frames:
            import numpy as np  # noqa: PLC0415
            import pandas as pd  # noqa: PLC0415 - optional dependency

            by_period = self._matrix(self._ratings, len(self._rule_keys)).T
            period, rule = np.nonzero(by_period)  # As-of period first, as the CSV.
            names = np.array([_text(lib.vigil_rating_name(v)) for v in range(6)], dtype=object)
            keys = np.array(self._rule_keys, dtype=object).reshape(-1, 3)
            self._frames["ratings"] = pd.DataFrame({
                "as_of": np.array(self.as_of, dtype=object)[period],
                "provider_id": keys[rule, 0], "indicator_id": keys[rule, 1],
                "rule_id": keys[rule, 2],
                "rating": names[by_period[period, rule]]})
        return self._frames["ratings"]

    @property
    def escalation(self) -> Any:
        if "escalation" not in self._frames:
            import numpy as np  # noqa: PLC0415
            import pandas as pd  # noqa: PLC0415

            by_period = self._matrix(self._levels, len(self._providers)).T
            period, provider = np.nonzero(by_period)
            names = np.array([_text(lib.vigil_escalation_name(v)) for v in range(4)],
                             dtype=object)
            ids = np.array(self._providers, dtype=object).reshape(-1, 2)
            self._frames["escalation"] = pd.DataFrame({
                "as_of": np.array(self.as_of, dtype=object)[period],
                "provider_id": ids[provider, 0], "provider_name": ids[provider, 1],
                "escalation": names[by_period[period, provider]]})
        return self._frames["escalation"]

    @property
    def rules(self) -> Any:
        if "rules" not in self._frames:
            import pandas as pd  # noqa: PLC0415

            red = (self._matrix(self._ratings, len(self._rule_keys)) == 3).sum(axis=1)
            rows = [(*k, *s[:3], int(r), s[3])
                    for k, s, r in zip(self._rule_keys, self._rule_summary, red)]
            self._frames["rules"] = pd.DataFrame(
                rows, columns=["provider_id", "indicator_id", "rule_id", "first_red",
                               "longest_red_run", "longest_red_run_start", "red_periods",
                               "changes"])
        return self._frames["rules"]
