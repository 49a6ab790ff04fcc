"""Charts for notebooks, with matplotlib: Making Data Count SPC charts and
funnel plots, coloured as the board's page colours them.

Example::

    report = engine.evaluate(..., as_of="2019-03", chart_periods=36)
    a = next(a for a in report if a.rule_id == "ae_4hr_spc" and a.provider_id == "RAE")
    fig = vigil.plot_spc(a)                                  # one assessment's chart
    fig = vigil.plot_funnel(report.funnels[0], highlight="RAE")

    df = vigil.spc(frame)                                    # or your own analysis
    fig = vigil.plot_spc(df[df.series_id == "RAE"])

Both return a ``matplotlib.figure.Figure`` (drawn on ``ax`` when given) and
need matplotlib (Debian: ``apt install python3-matplotlib``).
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence

from .errors import InvalidArgument
from .report import Assessment, FunnelChart, SpcChartPoint, SpcState

# Making Data Count's colours (as src/report/svg_chart.cc).
GREY, BLUE, ORANGE, PURPLE, TARGET_RED = "#7b7d7d", "#289de0", "#fab428", "#361475", "#de1b1b"
# Funnel points outside the limits, by the peer rule's rating.
RATING_COLOURS = {"red": "#d5281b", "amber": "#ffb81c", "green": "#007f3b"}
WITHIN = "#aeb7bd"

POINT_COLOURS = {
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
}


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt  # noqa: PLC0415 - optional dependency
    except ImportError as e:
        raise ImportError("vigil.plot_spc and vigil.plot_funnel need matplotlib (Debian: "
                          "apt install python3-matplotlib)") from e
    return plt


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax.figure, ax
    fig, ax = _pyplot().subplots(figsize=(8, 3.2))
    return fig, ax


def _finite(v: Any) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _spc_points(data: Any) -> "tuple[List[Dict[str, Any]], Optional[float], str]":
    """(points, target, title) from an Assessment, SpcState, DataFrame or list."""
    if isinstance(data, Assessment):
        if data.spc is None or not data.spc.chart_points:
            raise InvalidArgument(
                f"assessment {data.provider_id}/{data.indicator_id}/{data.rule_id} has no SPC "
                "chart: evaluate with chart_periods > 0, and pick an SPC rule's assessment")
        points, target, _ = _spc_points(data.spc)
        return points, target, f"{data.provider_id}, {data.indicator_id}, {data.rule_name}"
    if isinstance(data, SpcState):
        if not data.chart_points:
            raise InvalidArgument("the SPC state has no chart points: evaluate with "
                                  "chart_periods > 0")
        rows = [{"period": p.period, "value": p.value, "mean": p.centre, "lpl": p.lower,
                 "upl": p.upper, "point_type": p.point_type, "group": p.group}
                for p in data.chart_points]
        return rows, data.target, ""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # A DataFrame.
        missing = {"value", "mean", "lpl", "upl", "point_type"} - set(data.columns)
        if missing:
            raise InvalidArgument(f"data: missing column(s) {', '.join(sorted(missing))} "
                                  "(pass what vigil.spc returns)")
        if "series_id" in data.columns and data["series_id"].nunique() > 1:
            raise InvalidArgument("data: more than one series_id; select one series first")
        rows = data.to_dict("records")
        targets = [r.get("target") for r in rows if _finite(r.get("target"))]
        title = str(rows[0]["series_id"]) if rows and "series_id" in rows[0] else ""
        return rows, (targets[-1] if targets else None), title
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        rows = [dict(r) for r in data]
        return rows, None, ""
    raise TypeError(f"data: expected an Assessment, SpcState, DataFrame or list of dicts, "
                    f"got {type(data).__name__}")


def plot_spc(data: Any, *, title: Optional[str] = None, target: Optional[float] = None,
             ax: Any = None) -> Any:
    """A Making Data Count SPC chart: values joined by a grey line (broken at
    gaps), special-cause points orange (concern), blue (improvement) or
    purple (neither), the mean solid, the process limits dashed (broken at a
    rebase), the target red dotted.

    ``data``: an :class:`Assessment` of an SPC rule from an evaluation with
    ``chart_periods``, its :class:`SpcState`, or what :func:`vigil.spc`
    returns (a DataFrame of one series, or a list of dicts). ``target``
    overrides the target drawn. Returns the matplotlib Figure.
    """
    rows, found_target, found_title = _spc_points(data)
    if not rows:
        raise InvalidArgument("data: no points to draw")
    fig, ax = _axes(ax)
    x = list(range(len(rows)))
    labels = [str(r.get("period", i)) for i, r in zip(x, rows)]
    values = [float(r["value"]) if _finite(r.get("value")) else math.nan for r in rows]
    ax.plot(x, values, color=GREY, linewidth=1.5, zorder=2)
    # Limits and mean per baseline group (a rebase starts a new group).
    groups = [r.get("group", 0) for r in rows]
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or groups[i] != groups[start]:
            span = x[start:i]
            for key, style in (("mean", "-"), ("lpl", "--"), ("upl", "--")):
                ys = [float(r[key]) if _finite(r.get(key)) else math.nan for r in rows[start:i]]
                ax.plot(span, ys, linestyle=style, linewidth=1,
                        color="#222222" if key == "mean" else "#888888", zorder=1)
            start = i
    colours = [POINT_COLOURS.get(str(r.get("point_type", "")), GREY) for r in rows]
    present = [i for i in x if not math.isnan(values[i])]
    ax.scatter([x[i] for i in present], [values[i] for i in present],
               c=[colours[i] for i in present], s=22, zorder=3)
    drawn_target = target if target is not None else found_target
    if drawn_target is not None and _finite(drawn_target):
        ax.axhline(float(drawn_target), color=TARGET_RED, linestyle=":", linewidth=1.2)
    step = max(1, len(rows) // 8)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_title(title if title is not None else found_title, fontsize=10)
    ax.grid(False)
    fig.tight_layout()
    return fig


def _funnel_from_frame(df: Any) -> "tuple[List[Dict[str, Any]], float, List[str]]":
    """Points and limit columns from what vigil.funnel returns."""
    if "value" not in df.columns or "denominator" not in df.columns:
        raise InvalidArgument("data: expected what vigil.funnel returns (columns value, "
                              "denominator, lower_*, upper_*)")
    limits = [c[len("lower_"):] for c in df.columns if str(c).startswith("lower_")]
    target = float(df.attrs.get("target", df["target"].iloc[0] if "target" in df else math.nan))
    return df.to_dict("records"), target, limits


def plot_funnel(data: Any, *, highlight: Optional[str] = None,
                ratings: Optional[Dict[str, str]] = None, title: Optional[str] = None,
                ax: Any = None) -> Any:
    """A funnel plot: each provider a point at its denominator, the peer
    value a solid line, the inner (amber) limits dashed and the outer (red)
    limits solid; points outside the limits coloured by their rating when
    ``ratings`` (provider id -> "red", "amber", "green") is given, else
    purple; within the limits light grey; ``highlight`` (a provider id)
    ringed.

    ``data``: a :class:`FunnelChart` (``report.funnels``, from an evaluation
    with ``chart_periods``), or the DataFrame :func:`vigil.funnel` returns
    (limits drawn through each provider's own limits). Returns the Figure.
    """
    fig, ax = _axes(ax)
    if isinstance(data, FunnelChart):
        k = len(data.coverages)
        for c in range(k):
            lower, upper = data.limits(c)
            style = "--" if c + 1 < k else "-"
            label = f"{data.coverages[c] * 100:g}% limits"
            ax.plot(data.denominators, lower, style, color="#425563", linewidth=1, label=label)
            ax.plot(data.denominators, upper, style, color="#425563", linewidth=1)
        points = [{"id": p.provider_id, "x": p.denominator, "y": p.value,
                   "outside": p.position != 0} for p in data.points]
        target = data.target
        found_title = f"{data.indicator_id}, {data.rule_name}, {data.period}"
    elif hasattr(data, "columns"):
        rows, target, limits = _funnel_from_frame(data)
        rows = sorted((r for r in rows if _finite(r.get("value"))),
                      key=lambda r: float(r["denominator"]))
        for c, label in enumerate(limits):
            style = "--" if c + 1 < len(limits) else "-"
            xs = [float(r["denominator"]) for r in rows]
            ax.plot(xs, [r[f"lower_{label}"] for r in rows], style, color="#425563",
                    linewidth=1, label=f"{label}% limits")
            ax.plot(xs, [r[f"upper_{label}"] for r in rows], style, color="#425563",
                    linewidth=1)
        points = [{"id": str(r.get("group", i)), "x": float(r["denominator"]),
                   "y": float(r["value"]),
                   "outside": any(r.get(f"flag_{label}") for label in limits)}
                  for i, r in enumerate(rows)]
        found_title = ""
    else:
        raise TypeError(f"data: expected a FunnelChart or the DataFrame vigil.funnel "
                        f"returns, got {type(data).__name__}")
    ax.axhline(target, color="#212b32", linewidth=1)
    colours = [(RATING_COLOURS.get((ratings or {}).get(p["id"], ""), PURPLE)
                if p["outside"] else WITHIN) for p in points]
    ax.scatter([p["x"] for p in points], [p["y"] for p in points], c=colours, s=18,
               zorder=3)
    if highlight is not None:
        focus = [p for p in points if p["id"] == highlight]
        if not focus:
            raise InvalidArgument(f"highlight: {highlight!r} is not on the funnel")
        ax.scatter([focus[0]["x"]], [focus[0]["y"]], s=140, facecolors="none",
                   edgecolors="#005eb8", linewidths=2, zorder=4)
    ax.set_xlabel("denominator")
    ax.set_title(title if title is not None else found_title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
