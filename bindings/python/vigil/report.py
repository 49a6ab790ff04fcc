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


def _enum(value: Optional[str], prefix: str, default: str = "") -> str:
    """'RATING_NO_DATA' -> 'no_data'."""
    if not value:
        return default
    value = str(value)
    if value.startswith(prefix):
        value = value[len(prefix):]
    return value.lower()


def _opt_float(d: Dict[str, Any], key: str) -> Optional[float]:
    v = d.get(key)
    return None if v is None else float(v)


@dataclass(frozen=True)
class Evidence:
    """One number a rule used: ``Evidence("value", "2019-03", 81.2)``."""
    label: str
    period: str
    value: float


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


@dataclass(frozen=True)
class Assessment:
    """The judgement of one rule on one provider's indicator.

    ``rating`` is one of "green", "amber", "red", "no_data", "not_applicable";
    ``reason`` is plain English and self-contained.
    """
    provider_id: str
    indicator_id: str
    rule_id: str
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

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "Assessment":
        spc = d.get("spc")
        return Assessment(
            provider_id=d.get("provider_id", ""),
            indicator_id=d.get("indicator_id", ""),
            rule_id=d.get("rule_id", ""),
            period=d.get("period", ""),
            rating=_enum(d.get("rating"), "RATING_", "unspecified"),
            reason=d.get("reason", ""),
            severity=_enum(d.get("severity"), "SEVERITY_", "warning"),
            domain=_enum(d.get("domain"), "DOMAIN_", "unspecified"),
            value=_opt_float(d, "value"),
            standard=_opt_float(d, "standard"),
            red_threshold=_opt_float(d, "red_threshold"),
            data_period=d.get("data_period", ""),
            travel=_enum(d.get("travel"), "TRAVEL_"),
            consecutive_periods=int(d.get("consecutive_periods", 0)),
            evidence=[Evidence(e.get("label", ""), e.get("period", ""), float(e.get("value", 0.0)))
                      for e in d.get("evidence", [])],
            spc=None if not spc else SpcState(
                mean=float(spc.get("mean", 0.0)),
                lower_process_limit=float(spc.get("lower_process_limit", 0.0)),
                upper_process_limit=float(spc.get("upper_process_limit", 0.0)),
                special_cause_type=spc.get("special_cause_type", ""),
                point_type=spc.get("point_type", ""),
                variation_icon=spc.get("variation_icon", ""),
                assurance=spc.get("assurance", ""),
                target=_opt_float(spc, "target")),
        )


@dataclass(frozen=True)
class ProviderSummary:
    """A provider's roll-up: worst rating, counts and escalation level."""
    provider_id: str
    provider_name: str
    worst_rating: str
    escalation: str
    escalation_reason: str
    green: int
    amber: int
    red: int
    no_data: int
    not_applicable: int

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "ProviderSummary":
        counts = d.get("counts", {})
        return ProviderSummary(
            provider_id=d.get("provider_id", ""),
            provider_name=d.get("provider_name", ""),
            worst_rating=_enum(d.get("worst_rating"), "RATING_", "unspecified"),
            escalation=_enum(d.get("escalation"), "ESCALATION_LEVEL_", "unspecified"),
            escalation_reason=d.get("escalation_reason", ""),
            **{k: int(counts.get(k, 0)) for k in ("green", "amber", "red", "no_data",
                                                   "not_applicable")},
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

    @staticmethod
    def from_dict(d: Dict[str, Any]) -> "Diagnostic":
        return Diagnostic(
            severity=_enum(d.get("severity"), "DIAGNOSTIC_SEVERITY_"),
            code=_enum(d.get("code"), "DIAGNOSTIC_CODE_"),
            source=d.get("source", ""),
            row=int(d.get("row", 0)),
            field=d.get("field", ""),
            message=d.get("message", ""),
            provider_id=d.get("provider_id", ""),
            indicator_id=d.get("indicator_id", ""),
            period=d.get("period", ""),
        )


class Report:
    """The Early Warning Dashboard for one as-of period.

    Example::

        report = engine.evaluate("observations.csv", as_of="2019-03", ...)
        reds = [a for a in report.assessments if a.rating == "red"]
        df = report.to_dataframe()          # needs pandas
    """

    def __init__(self, json_text: str) -> None:
        self._json = json_text
        data = _snake(json.loads(json_text))
        self.as_of: str = data.get("as_of", "")
        self.ruleset_id: str = data.get("ruleset_id", "")
        self.ruleset_version: str = data.get("ruleset_version", "")
        self.engine_version: str = data.get("engine_version", "")
        self.assessments: List[Assessment] = [Assessment.from_dict(a)
                                              for a in data.get("assessments", [])]
        self.providers: List[ProviderSummary] = [ProviderSummary.from_dict(p)
                                                 for p in data.get("providers", [])]
        self.diagnostics: List[Diagnostic] = [Diagnostic.from_dict(d)
                                              for d in data.get("diagnostics", [])]
        self.observations_read = int(data.get("observations_read", 0))
        self.observations_used = int(data.get("observations_used", 0))
        self.observations_rejected = int(data.get("observations_rejected", 0))
        self.plans_read = int(data.get("plans_read", 0))
        self.plans_used = int(data.get("plans_used", 0))
        self.plans_rejected = int(data.get("plans_rejected", 0))

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self.assessments)

    def __len__(self) -> int:
        return len(self.assessments)

    def __repr__(self) -> str:
        return (f"<vigil.Report {self.ruleset_id} as of {self.as_of}: "
                f"{len(self.assessments)} assessments, {len(self.providers)} providers, "
                f"{len(self.diagnostics)} diagnostics>")

    def to_json(self) -> str:
        """The report as the library's JSON (``vigil.v1.Report``)."""
        return self._json

    def to_dicts(self) -> List[Dict[str, Any]]:
        """One flat dict per assessment (evidence and SPC state nested)."""
        return [asdict(a) for a in self.assessments]

    def to_dataframe(self, what: str = "assessments") -> "Any":
        """A pandas DataFrame of ``assessments`` (default), ``providers`` or ``diagnostics``.

        Raises ImportError when pandas is not installed.
        """
        import pandas as pd  # noqa: PLC0415 - optional dependency

        rows = {"assessments": self.assessments, "providers": self.providers,
                "diagnostics": self.diagnostics}[what]
        columns = [f for f in (Assessment if what == "assessments" else
                               ProviderSummary if what == "providers" else
                               Diagnostic).__dataclass_fields__]
        return pd.DataFrame([asdict(r) for r in rows], columns=columns)
