"""Typed views of a Vigil report: assessments, provider summaries, diagnostics.

A :class:`Report` is built from the library's JSON form of ``vigil.v1.Report``
(see ``proto/vigil/v1/report.proto``); enum values become short lower-case
names (``"red"``, ``"enhanced_surveillance"``, ``"error"``).
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterator, List, Optional

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(obj: Any) -> Any:
    """camelCase keys to snake_case, recursively (JSON may use either)."""
    if isinstance(obj, dict):
        return {_CAMEL.sub("_", k).lower(): _snake(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_snake(v) for v in obj]
    return obj


_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def enum_prefix(enum_type: str) -> str:
    """The prefix of every value of a vigil.v1 enum: 'EscalationLevel' -> 'ESCALATION_LEVEL_'."""
    return _WORD.sub("_", enum_type).upper() + "_"


def short_name(json_name: Any, enum_type: str, default: str = "") -> str:
    """A vigil.v1 enum value's short name from its JSON name, as libvigil and the CSV spell it.

    The one rule (``include/vigil/names.h``): strip the enum's prefix, lower-case.
    ``short_name("RATING_NO_DATA", "Rating") == "no_data"``;
    ``short_name("ESCALATION_LEVEL_RISK_SUMMIT", "EscalationLevel") == "risk_summit"``.
    ``default`` when the JSON left the field out (protobuf omits zero values).
    """
    if json_name is None or json_name == "":
        return default
    name = str(json_name)
    prefix = enum_prefix(enum_type)
    if name.startswith(prefix):
        name = name[len(prefix):]
    return name.lower()


def _opt_float(d: Dict[str, Any], key: str) -> Optional[float]:
    v = d.get(key)
    return None if v is None else float(v)


@dataclass(frozen=True)
class Evidence:
    """One number a rule used (``vigil.v1.EvidenceValue``): ``Evidence("value", "2019-03", 81.2)``."""
    label: str
    period: str
    value: float

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "Evidence":
        return Evidence(d.get("label", ""), d.get("period", ""), float(d.get("value", 0.0)))


@dataclass(frozen=True)
class SpcChartPoint:
    """One period of an SPC chart (NaN value for a period without one)."""
    period: str
    value: float
    centre: float
    lower: float
    upper: float
    point_type: str  # As SpcState.point_type, or "missing".
    group: int = 0   # Baseline group: a rebase starts a new one.

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "SpcChartPoint":
        return SpcChartPoint(
            period=d.get("period", ""),
            value=float(d.get("value", 0.0)),
            centre=float(d.get("centre", 0.0)),
            lower=float(d.get("lower", 0.0)),
            upper=float(d.get("upper", 0.0)),
            point_type=d.get("point_type", ""),
            group=int(d.get("group", 0)),
        )


@dataclass(frozen=True)
class SpcState:
    """Making Data Count state of the latest point (SPC rules only)."""
    mean: float
    lower_process_limit: float
    upper_process_limit: float
    special_cause_type: str
    point_type: str
    variation_icon: str
    assurance: str
    target: Optional[float]
    points: int = 0           # Points in the series used.
    baseline_points: int = 0  # Points the limits were computed from.
    # "xmr", "p", "pp", "u", "up", "c", "g" or "t". Attribute charts: the
    # latest point's 2-sigma limits and Anhoej's runs analysis of its group.
    chart: str = ""
    lower_2sigma: float = 0.0
    upper_2sigma: float = 0.0
    runs_signal: bool = False
    longest_run: int = 0
    longest_run_max: int = 0
    crossings: int = 0
    crossings_min: int = 0
    # The chart's last periods, oldest first, when the evaluation asked for
    # them (chart_periods); empty otherwise.
    chart_points: List[SpcChartPoint] = field(default_factory=list)

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "SpcState":
        return SpcState(
            mean=float(d.get("mean", 0.0)),
            lower_process_limit=float(d.get("lower_process_limit", 0.0)),
            upper_process_limit=float(d.get("upper_process_limit", 0.0)),
            special_cause_type=d.get("special_cause_type", ""),
            point_type=d.get("point_type", ""),
            variation_icon=d.get("variation_icon", ""),
            assurance=d.get("assurance", ""),
            target=_opt_float(d, "target"),
            points=int(d.get("points", 0)),
            baseline_points=int(d.get("baseline_points", 0)),
            chart=d.get("chart", ""),
            lower_2sigma=float(d.get("lower_2sigma", 0.0)),
            upper_2sigma=float(d.get("upper_2sigma", 0.0)),
            runs_signal=bool(d.get("runs_signal", False)),
            longest_run=int(d.get("longest_run", 0)),
            longest_run_max=int(d.get("longest_run_max", 0)),
            crossings=int(d.get("crossings", 0)),
            crossings_min=int(d.get("crossings_min", 0)),
            chart_points=[SpcChartPoint.from_dict(p)
                          for p in d.get("chart_points", [])],
        )


@dataclass(frozen=True)
class PeriodValue:
    """One period's value (NaN when there is none), for a sparkline."""
    period: str
    value: float

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "PeriodValue":
        return PeriodValue(d.get("period", ""), float(d.get("value", 0.0)))


@dataclass(frozen=True)
class TrajectoryChartPoint:
    """One period of a trajectory chart: actual (NaN: none, or after the
    assessed period) and plan (NaN: none)."""
    period: str
    actual: float
    plan: float

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "TrajectoryChartPoint":
        return TrajectoryChartPoint(d.get("period", ""), float(d.get("actual", 0.0)),
                                    float(d.get("plan", 0.0)))


@dataclass(frozen=True)
class TrajectoryState:
    """A trajectory rule's year, for drawing: running totals for counts
    (``cumulative``), each period's value and plan otherwise."""
    cumulative: bool
    objective: Optional[float]  # The annual objective (counts), if any.
    points: List[TrajectoryChartPoint] = field(default_factory=list)

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "TrajectoryState":
        return TrajectoryState(bool(d.get("cumulative", False)), _opt_float(d, "objective"),
                               [TrajectoryChartPoint.from_dict(p) for p in d.get("points", [])])


@dataclass(frozen=True)
class FunnelChartPoint:
    """A provider on a funnel plot. ``position``: -2 below the outer (red)
    lower limit, -1 below the inner (amber) one, 0 inside, 1 and 2 above."""
    provider_id: str
    numerator: float
    denominator: float
    value: float
    position: int = 0

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "FunnelChartPoint":
        return FunnelChartPoint(d.get("provider_id", ""), float(d.get("numerator", 0.0)),
                                float(d.get("denominator", 0.0)), float(d.get("value", 0.0)),
                                int(d.get("position", 0)))


@dataclass(frozen=True)
class FunnelChart:
    """A peer rule's funnel plot on one indicator (``Report.funnels``).

    ``lower`` and ``upper`` hold the limits at each of ``denominators``, per
    coverage: ``lower[i * len(coverages) + c]``; :meth:`limits` gives one
    coverage's curves.
    """
    rule_id: str
    rule_name: str
    indicator_id: str
    period: str
    target: float
    coverages: List[float] = field(default_factory=list)
    denominators: List[float] = field(default_factory=list)
    lower: List[float] = field(default_factory=list)
    upper: List[float] = field(default_factory=list)
    points: List[FunnelChartPoint] = field(default_factory=list)
    adjustment: str = ""

    def limits(self, c: int) -> "tuple[List[float], List[float]]":
        """The lower and upper curve of coverage ``c`` (0: inner, 1: outer)."""
        k = len(self.coverages)
        return self.lower[c::k], self.upper[c::k]

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "FunnelChart":
        return FunnelChart(
            rule_id=d.get("rule_id", ""), rule_name=d.get("rule_name", ""),
            indicator_id=d.get("indicator_id", ""), period=d.get("period", ""),
            target=float(d.get("target", 0.0)),
            coverages=[float(x) for x in d.get("coverages", [])],
            denominators=[float(x) for x in d.get("denominators", [])],
            lower=[float(x) for x in d.get("lower", [])],
            upper=[float(x) for x in d.get("upper", [])],
            points=[FunnelChartPoint.from_dict(p) for p in d.get("points", [])],
            adjustment=d.get("adjustment", ""))


@dataclass(frozen=True)
class CquinState:
    """CQUIN money of one scheme (milestone rules), or a provider's total."""
    weight: float = 0.0
    earned: float = 0.0
    at_risk: float = 0.0
    not_yet_due: float = 0.0
    milestones: int = 0
    due: int = 0
    met: int = 0
    partly_met: int = 0
    not_met: int = 0

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "CquinState":
        return CquinState(**{
            k: (float if isinstance(f.default, float) else int)(d.get(k, f.default))
            for k, f in CquinState.__dataclass_fields__.items()})


@dataclass(frozen=True)
class Assessment:
    """The judgement of one rule on one provider's indicator.

    ``rating`` is one of "green", "amber", "red", "no_data", "not_applicable";
    ``reason`` is plain English and self-contained. ``rule_name`` is the name
    the dashboard shows beside ``rule_id`` ("" from an engine that does not
    fill it).
    """
    provider_id: str
    indicator_id: str
    rule_id: str
    rule_name: str
    period: str
    rating: str
    reason: str
    severity: str
    domain: str
    value: Optional[float]
    standard: Optional[float]
    red_threshold: Optional[float]
    data_period: str
    travel: str
    consecutive_periods: int
    evidence: List[Evidence] = field(default_factory=list)
    spc: Optional[SpcState] = None
    cquin: Optional[CquinState] = None
    # For drawing, when the evaluation asked for chart data (chart_periods):
    # the series' recent values (rules that draw no chart of their own) and
    # a trajectory rule's year.
    recent_values: List[PeriodValue] = field(default_factory=list)
    trajectory: Optional[TrajectoryState] = None
    # What a red says, in a few words, for the provider's escalation reason
    # (threshold, trend, SPC and peer rules; empty otherwise).
    signal: str = ""

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "Assessment":
        spc = d.get("spc")
        cquin = d.get("cquin")
        trajectory = d.get("trajectory")
        return Assessment(
            provider_id=d.get("provider_id", ""),
            indicator_id=d.get("indicator_id", ""),
            rule_id=d.get("rule_id", ""),
            rule_name=d.get("rule_name", ""),
            period=d.get("period", ""),
            rating=short_name(d.get("rating"), "Rating", "unspecified"),
            reason=d.get("reason", ""),
            severity=short_name(d.get("severity"), "Severity", "warning"),
            domain=short_name(d.get("domain"), "Domain", "unspecified"),
            value=_opt_float(d, "value"),
            standard=_opt_float(d, "standard"),
            red_threshold=_opt_float(d, "red_threshold"),
            data_period=d.get("data_period", ""),
            travel=short_name(d.get("travel"), "Travel"),
            consecutive_periods=int(d.get("consecutive_periods", 0)),
            evidence=[Evidence.from_dict(e) for e in d.get("evidence", [])],
            spc=SpcState.from_dict(spc) if spc else None,
            cquin=CquinState.from_dict(cquin) if cquin else None,
            recent_values=[PeriodValue.from_dict(v) for v in d.get("recent_values", [])],
            trajectory=TrajectoryState.from_dict(trajectory) if trajectory else None,
            signal=d.get("signal", ""),
        )


@dataclass(frozen=True)
class RatingCounts:
    """Ratings counted by kind."""
    green: int = 0
    amber: int = 0
    red: int = 0
    no_data: int = 0
    not_applicable: int = 0

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "RatingCounts":
        return RatingCounts(**{k: int(d.get(k, 0)) for k in RatingCounts.__dataclass_fields__})


@dataclass(frozen=True)
class DomainSummary:
    """A provider's ratings in one CQC domain ("safe", ..., "well_led")."""
    domain: str
    counts: RatingCounts
    worst_rating: str

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "DomainSummary":
        return DomainSummary(
            domain=short_name(d.get("domain"), "Domain", "unspecified"),
            counts=RatingCounts.from_dict(d.get("counts", {})),
            worst_rating=short_name(d.get("worst_rating"), "Rating", "unspecified"),
        )


@dataclass(frozen=True)
class ProviderSummary:
    """A provider's roll-up: worst rating, counts (also by domain) and escalation level.

    ``green``, ``amber``, ``red``, ``no_data`` and ``not_applicable`` are
    ``counts``' numbers, for convenience.
    """
    provider_id: str
    provider_name: str
    worst_rating: str
    escalation: str
    escalation_reason: str
    counts: RatingCounts = field(default_factory=RatingCounts)
    domains: List[DomainSummary] = field(default_factory=list)
    cquin: Optional[CquinState] = None  # Set when CQUIN schemes judged it.

    @property
    def green(self) -> int:
        return self.counts.green

    @property
    def amber(self) -> int:
        return self.counts.amber

    @property
    def red(self) -> int:
        return self.counts.red

    @property
    def no_data(self) -> int:
        return self.counts.no_data

    @property
    def not_applicable(self) -> int:
        return self.counts.not_applicable

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "ProviderSummary":
        return ProviderSummary(
            provider_id=d.get("provider_id", ""),
            provider_name=d.get("provider_name", ""),
            worst_rating=short_name(d.get("worst_rating"), "Rating", "unspecified"),
            escalation=short_name(d.get("escalation"), "EscalationLevel", "unspecified"),
            escalation_reason=d.get("escalation_reason", ""),
            counts=RatingCounts.from_dict(d.get("counts", {})),
            domains=[DomainSummary.from_dict(x) for x in d.get("domains", [])],
            cquin=CquinState.from_dict(d["cquin"]) if d.get("cquin") else None,
        )


@dataclass(frozen=True)
class Diagnostic:
    """An input row (or rule) that needs a reader's attention; nothing is dropped in silence."""
    severity: str
    code: str
    source: str
    row: int
    field: str
    message: str
    provider_id: str
    indicator_id: str
    period: str
    other_rows: List[int] = field(default_factory=list)  # Further rows of the same problem.
    other_sources: List[str] = field(default_factory=list)  # The source of each of other_rows.

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "Diagnostic":
        return Diagnostic(
            severity=short_name(d.get("severity"), "DiagnosticSeverity"),
            code=short_name(d.get("code"), "DiagnosticCode"),
            source=d.get("source", ""),
            row=int(d.get("row", 0)),
            field=d.get("field", ""),
            message=d.get("message", ""),
            provider_id=d.get("provider_id", ""),
            indicator_id=d.get("indicator_id", ""),
            period=d.get("period", ""),
            other_rows=[int(r) for r in d.get("other_rows", [])],
            other_sources=list(d.get("other_sources", [])),
        )


def _enum_column(rows: List[Dict[str, Any]], key: str, enum_type: str,
                 default: str) -> List[str]:
    names: Dict[Any, str] = {}
    out = []
    for r in rows:
        v = r.get(key)
        name = names.get(v)
        if name is None:
            name = names[v] = short_name(v, enum_type, default)
        out.append(name)
    return out


def _assessment_columns(rows: List[Dict[str, Any]]) -> Dict[str, List[Any]]:
    """The assessments' DataFrame columns straight from the JSON dicts, as
    asdict(Assessment.from_dict(row)) would give them, column by column."""
    def text(key: str) -> List[str]:
        return [r.get(key, "") for r in rows]

    def optional(key: str) -> List[Optional[float]]:
        return [None if r.get(key) is None else float(r[key]) for r in rows]

    def nested(key: str, cls: Any) -> List[Any]:
        return [asdict(cls.from_dict(r[key])) if r.get(key) else None for r in rows]

    return {
        "provider_id": text("provider_id"),
        "indicator_id": text("indicator_id"),
        "rule_id": text("rule_id"),
        "rule_name": text("rule_name"),
        "period": text("period"),
        "rating": _enum_column(rows, "rating", "Rating", "unspecified"),
        "reason": text("reason"),
        "severity": _enum_column(rows, "severity", "Severity", "warning"),
        "domain": _enum_column(rows, "domain", "Domain", "unspecified"),
        "value": optional("value"),
        "standard": optional("standard"),
        "red_threshold": optional("red_threshold"),
        "data_period": text("data_period"),
        "travel": _enum_column(rows, "travel", "Travel", ""),
        "consecutive_periods": [int(r.get("consecutive_periods", 0)) for r in rows],
        "evidence": [[{"label": e.get("label", ""), "period": e.get("period", ""),
                       "value": float(e.get("value", 0.0))} for e in r.get("evidence", [])]
                     for r in rows],
        "spc": nested("spc", SpcState),
        "cquin": nested("cquin", CquinState),
        "recent_values": [[{"period": v.get("period", ""), "value": float(v.get("value", 0.0))}
                           for v in r.get("recent_values", [])] for r in rows],
        "trajectory": nested("trajectory", TrajectoryState),
        "signal": text("signal"),
    }


class Report:
    """The Early Warning Dashboard for one as-of period (``vigil.v1.Report``).

    Example::

        report = engine.evaluate("observations.csv", as_of="2019-03", ...)
        reds = [a for a in report.assessments if a.rating == "red"]
        df = report.to_dataframe()          # needs pandas
    """

    as_of: str
    ruleset_id: str
    ruleset_version: str
    engine_version: str
    assessments: List[Assessment]
    providers: List[ProviderSummary]
    diagnostics: List[Diagnostic]
    observations_read: int
    observations_used: int
    observations_rejected: int
    plans_read: int       # Plan values (trajectories) read,
    plans_used: int       # used in a provider's plan series,
    plans_rejected: int   # and not used (each with a diagnostic).
    # Funnel plots of the peer rules, when the evaluation asked for chart
    # data (``chart_periods``); else empty.
    funnels: List[FunnelChart]

    def __init__(self, json_text: str, *, proto_field_names: bool = False) -> None:
        """A report from its JSON (``vigil.v1.Report``; camelCase or
        snake_case keys). ``proto_field_names``: the keys are known to be
        the .proto's (the library's own JSON), so none is renamed."""
        self._json = json_text
        data = json.loads(json_text)
        if not proto_field_names:
            data = _snake(data)
        self.as_of = data.get("as_of", "")
        self.ruleset_id = data.get("ruleset_id", "")
        self.ruleset_version = data.get("ruleset_version", "")
        self.engine_version = data.get("engine_version", "")
        self._raw_assessments = data.get("assessments", [])
        self._assessments: Optional[List[Assessment]] = None
        self.providers = [ProviderSummary.from_dict(p) for p in data.get("providers", [])]
        self.diagnostics = [Diagnostic.from_dict(d) for d in data.get("diagnostics", [])]
        self.funnels = [FunnelChart.from_dict(f) for f in data.get("funnels", [])]
        for name in ("observations_read", "observations_used", "observations_rejected",
                     "plans_read", "plans_used", "plans_rejected"):
            setattr(self, name, int(data.get(name, 0)))

    @property
    def assessments(self) -> List[Assessment]:  # noqa: F811 - the annotation's value
        """The assessments, sorted by provider, indicator and rule order
        (made on first use: a DataFrame of them does not need them)."""
        if self._assessments is None:
            self._assessments = [Assessment.from_dict(a) for a in self._raw_assessments]
        return self._assessments

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self.assessments)

    def __len__(self) -> int:
        return len(self._raw_assessments)

    def __repr__(self) -> str:
        return (f"<vigil.Report {self.ruleset_id} as of {self.as_of}: "
                f"{len(self.assessments)} assessments, {len(self.providers)} providers, "
                f"{len(self.diagnostics)} diagnostics>")

    def to_json(self) -> str:
        """The report as the library's JSON (``vigil.v1.Report``)."""
        return self._json

    def to_html(self, path: Optional[str] = None) -> str:
        """The board's page (what ``vigil evaluate --format html`` writes),
        drawn by the library through its C API; written to ``path`` when
        given, and returned.

        Charts appear where the evaluation asked for chart data:
        ``engine.evaluate(..., chart_periods=36)``.
        """
        from ._native import render_html  # noqa: PLC0415 - needs the library

        page = render_html(self._json)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
        return page

    def to_dicts(self) -> List[Dict[str, Any]]:
        """One flat dict per assessment (evidence and SPC state nested)."""
        return [asdict(a) for a in self.assessments]

    def to_dataframe(self, what: str = "assessments") -> "Any":
        """A pandas DataFrame of ``assessments`` (default), ``providers`` or ``diagnostics``.

        Raises ImportError when pandas is not installed.
        """
        import pandas as pd  # noqa: PLC0415 - optional dependency

        if what == "providers":  # counts as columns green, amber, ...
            rows = []
            for p in self.providers:
                row = asdict(p)
                row.update(row.pop("counts"))
                rows.append(row)
            columns = ([f for f in ProviderSummary.__dataclass_fields__ if f != "counts"]
                       + list(RatingCounts.__dataclass_fields__))
            return pd.DataFrame(rows, columns=columns)
        if what == "assessments":
            return pd.DataFrame(_assessment_columns(self._raw_assessments),
                                columns=list(Assessment.__dataclass_fields__))
        if what != "diagnostics":
            raise ValueError(f"what: 'assessments', 'providers' or 'diagnostics', not {what!r}")
        return pd.DataFrame([asdict(r) for r in self.diagnostics],
                            columns=list(Diagnostic.__dataclass_fields__))
