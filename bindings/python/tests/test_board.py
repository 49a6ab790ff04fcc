"""The board's page and charts from Python: chart data from evaluate
(chart_periods), Report.to_html through the C API (the same page the
`vigil` tool writes), and vigil.plot_spc / vigil.plot_funnel (matplotlib
Figures coloured as the page colours them)."""
import math
import os
import subprocess

import pytest

import vigil

ROOT = os.environ.get("VIGIL_SOURCE_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
INPUTS = dict(providers=os.path.join(EX, "providers.csv"),
              indicators=os.path.join(EX, "indicators.csv"), as_of="2019-03")

matplotlib = pytest.importorskip("matplotlib")  # Debian: python3-matplotlib.
matplotlib.use("Agg")
from matplotlib.colors import to_hex  # noqa: E402


@pytest.fixture(scope="module")
def engine():
    with vigil.Engine.from_file(os.path.join(EX, "rules.textproto")) as e:
        yield e


@pytest.fixture(scope="module")
def charted(engine):
    return engine.evaluate(os.path.join(EX, "observations.csv"), chart_periods=36, **INPUTS)


def test_chart_data_only_when_asked(engine, charted):
    plain = engine.evaluate(os.path.join(EX, "observations.csv"), **INPUTS)
    assert plain.funnels == []
    assert all(not a.recent_values and a.trajectory is None for a in plain)
    assert [a.rating for a in plain] == [a.rating for a in charted]
    # One funnel per peer rule: type-1 and all types.
    assert sorted(f.rule_id for f in charted.funnels) == [
        "ae_4hr_all_peer", "ae_4hr_peer"]
    funnel = next(f for f in charted.funnels if f.rule_id == "ae_4hr_peer")
    assert (funnel.rule_id, funnel.indicator_id, funnel.period) == (
        "ae_4hr_peer", "AE_4HR_T1", "2019-03")
    lower, upper = funnel.limits(1)
    assert len(lower) == len(upper) == len(funnel.denominators) >= 50
    assert all(lo < funnel.target < up for lo, up in zip(lower, upper))
    assert any(a.recent_values for a in charted)


def test_chart_periods_is_checked(engine):
    with pytest.raises(vigil.InvalidArgument, match="chart_periods"):
        engine.evaluate(os.path.join(EX, "observations.csv"), chart_periods=10001, **INPUTS)
    with pytest.raises(TypeError, match="chart_periods"):
        engine.evaluate(os.path.join(EX, "observations.csv"), chart_periods="36", **INPUTS)


def test_to_html_writes_the_board_page(charted, tmp_path):
    path = tmp_path / "board.html"
    page = charted.to_html(str(path))
    assert path.read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<section class="provider"') == len(charted.providers) == 140
    assert page.count('<use href="#funnel-0"') == 141  # 140 trusts + the overview.
    # The report read back from its JSON draws the same page as the tool.
    tool = os.environ.get("VIGIL_TOOL")
    if tool:
        out = tmp_path / "tool.html"
        subprocess.run([tool, "evaluate", "--rules", os.path.join(EX, "rules.textproto"),
                        "--data", os.path.join(EX, "observations.csv"),
                        "--providers", INPUTS["providers"],
                        "--indicators", INPUTS["indicators"], "--as-of", "2019-03",
                        "--chart-periods", "36", "--output", str(out)], check=True)
        assert out.read_text(encoding="utf-8") == page


def spc_assessment(report, provider="RAE", rule="ae_4hr_spc"):
    return next(a for a in report if a.provider_id == provider and a.rule_id == rule)


def test_plot_spc_draws_the_chart_in_making_data_count_colours(charted):
    a = spc_assessment(charted)
    fig = vigil.plot_spc(a)
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    points = ax.collections[0]
    offsets = points.get_offsets()
    finite = [p for p in a.spc.chart_points if math.isfinite(p.value)]
    assert len(offsets) == len(finite) == 36
    colours = [to_hex(c) for c in points.get_facecolors()]
    expected = [vigil.plot.POINT_COLOURS.get(p.point_type, vigil.plot.GREY) for p in finite]
    assert colours == expected
    assert "#fab428" in colours  # Bradford's special-cause concern in orange.
    # The 95% target as a red dotted line.
    assert any(line.get_linestyle() == ":" and line.get_ydata()[0] == 95
               for line in ax.lines)
    matplotlib.pyplot.close(fig)


def test_plot_spc_takes_what_vigil_spc_returns():
    pd = pytest.importorskip("pandas")
    values = [90, 91, 89, 92, 90, 91, 90, 89, 91, 90, 70, 90]
    frame = pd.DataFrame({"series_id": "A", "period": [f"2019-{m:02d}" for m in range(1, 13)],
                          "value": values})
    fig = vigil.plot_spc(vigil.spc(frame))
    colours = [to_hex(c) for c in fig.axes[0].collections[0].get_facecolors()]
    # Ten points above the mean: a shift (improvement, blue); 70 below the
    # lower limit: a concern (orange); the last common cause (grey).
    assert colours == [vigil.plot.BLUE] * 10 + [vigil.plot.ORANGE, vigil.plot.GREY]
    matplotlib.pyplot.close(fig)


def test_plot_spc_refuses_what_it_cannot_draw(engine):
    plain = engine.evaluate(os.path.join(EX, "observations.csv"), **INPUTS)
    with pytest.raises(vigil.InvalidArgument, match="chart_periods"):
        vigil.plot_spc(spc_assessment(plain))
    with pytest.raises(TypeError):
        vigil.plot_spc(42)


def test_plot_funnel_rings_the_provider_and_colours_by_rating(charted):
    funnel = charted.funnels[0]
    ratings = {a.provider_id: a.rating for a in charted if a.rule_id == "ae_4hr_peer"}
    fig = vigil.plot_funnel(funnel, highlight="RAE", ratings=ratings)
    ax = fig.axes[0]
    points, ring = ax.collections[0], ax.collections[1]
    assert len(points.get_offsets()) == len(funnel.points)
    rae = next(p for p in funnel.points if p.provider_id == "RAE")
    assert tuple(ring.get_offsets()[0]) == (rae.denominator, rae.value)
    colours = [to_hex(c) for c in points.get_facecolors()]
    for p, colour in zip(funnel.points, colours):
        if p.position == 0:
            assert colour == vigil.plot.WITHIN
        else:
            assert colour == vigil.plot.RATING_COLOURS[ratings[p.provider_id]]
    # Two coverages, two curves each.
    assert len(ax.lines) == 5  # And the peer value.
    with pytest.raises(vigil.InvalidArgument, match="not on the funnel"):
        vigil.plot_funnel(funnel, highlight="NOPE")
    matplotlib.pyplot.close("all")


def test_plot_funnel_takes_what_vigil_funnel_returns():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"trust": list("ABCDEFGHIJ"),
                       "died": [10, 12, 9, 30, 11, 10, 8, 13, 12, 11],
                       "patients": [100, 110, 95, 105, 120, 98, 90, 115, 108, 101]})
    result = vigil.funnel(df, numerator="died", denominator="patients", group="trust",
                          overdispersion="none")
    fig = vigil.plot_funnel(result, highlight="D")
    points = fig.axes[0].collections[0]
    assert len(points.get_offsets()) == 10
    colours = [to_hex(c) for c in points.get_facecolors()]
    order = sorted(range(10), key=lambda i: df.patients[i])
    d = order.index(3)
    assert colours[d] == vigil.plot.PURPLE  # Outside, no rating given.
    matplotlib.pyplot.close(fig)
