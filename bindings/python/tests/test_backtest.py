"""engine.backtest (issue 18): the ratings DataFrame is cell for cell the CSV
of `vigil backtest`, and period by period what engine.evaluate says; the
escalation and rules summaries; DataFrame inputs through evaluate's path;
the heat-map; bad ranges."""
import csv
import io
import os
import subprocess

import pytest

import vigil

pd = pytest.importorskip("pandas")

ROOT = os.environ.get("VIGIL_SOURCE_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
FILES = dict(providers=os.path.join(EX, "providers.csv"),
             indicators=os.path.join(EX, "indicators.csv"))
DATA = os.path.join(EX, "observations.csv")
FROM, TO = "2018-10", "2019-03"


@pytest.fixture(scope="module")
def engine():
    with vigil.Engine.from_file(os.path.join(EX, "rules.textproto")) as e:
        yield e


@pytest.fixture(scope="module")
def timeline(engine):
    return engine.backtest(DATA, from_=FROM, to=TO, threads=2, **FILES)


def test_ratings_are_the_tools_csv_cell_for_cell(timeline, tmp_path):
    tool = os.environ.get("VIGIL_TOOL")
    if not tool:
        pytest.skip("VIGIL_TOOL is not set (sanitizer build has no tool)")
    out = tmp_path / "timeline.csv"
    subprocess.run([tool, "backtest", "--rules", os.path.join(EX, "rules.textproto"),
                    "--data", DATA, "--providers", FILES["providers"],
                    "--indicators", FILES["indicators"], "--from", FROM, "--to", TO,
                    "--output", str(out)], check=True)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    df = timeline.ratings
    assert rows[0] == list(df.columns)
    assert len(rows) - 1 == len(df) > 5000
    assert rows[1:] == df.values.tolist()  # Same cells, same order.
    # The library's CSV is the tool's byte for byte.
    assert timeline.to_csv() == out.read_text()


@pytest.mark.filterwarnings("ignore::vigil.DataWarning")  # Later rows.
def test_ratings_are_what_evaluate_says_each_period(engine, timeline):
    for as_of in (FROM, TO):
        report = engine.evaluate(DATA, as_of=as_of, **FILES)
        expected = sorted((a.provider_id, a.indicator_id, a.rule_id, a.rating)
                          for a in report)
        df = timeline.ratings[timeline.ratings.as_of == as_of]
        got = sorted(df[["provider_id", "indicator_id", "rule_id", "rating"]]
                     .itertuples(index=False, name=None))
        assert got == expected and len(got) > 1000
        levels = {p.provider_id: p.escalation for p in report.providers}
        e = timeline.escalation[timeline.escalation.as_of == as_of]
        assert dict(zip(e.provider_id, e.escalation)) == levels


def test_escalation_is_long_with_names_and_pivots_to_the_grid(timeline):
    e = timeline.escalation
    assert list(e.columns) == ["as_of", "provider_id", "provider_name", "escalation"]
    assert set(e.escalation) <= {"routine", "enhanced_surveillance", "risk_summit"}
    assert (e.provider_name != "").all()
    grid = e.pivot(index="provider_id", columns="as_of", values="escalation")
    assert grid.shape == (140, 6) and list(grid.columns) == timeline.as_of


def test_rules_summary_agrees_with_the_ratings(timeline):
    rules, ratings = timeline.rules, timeline.ratings
    assert list(rules.columns) == ["provider_id", "indicator_id", "rule_id", "first_red",
                                   "longest_red_run", "longest_red_run_start",
                                   "red_periods", "changes"]
    red = ratings[ratings.rating == "red"]
    first = red.groupby(["provider_id", "indicator_id", "rule_id"]).as_of.min()
    warned = rules.dropna(subset=["first_red"]).set_index(
        ["provider_id", "indicator_id", "rule_id"])
    assert warned.first_red.sort_index().to_dict() == first.sort_index().to_dict()
    counts = red.groupby(["provider_id", "indicator_id", "rule_id"]).size()
    assert warned.red_periods.sort_index().to_dict() == counts.sort_index().to_dict()
    assert (warned.longest_red_run >= 1).all() and (warned.longest_red_run <= 6).all()
    never = rules[rules.first_red.isna()]
    assert (never.longest_red_run == 0).all() and never.longest_red_run_start.isna().all()
    assert len(warned) > 10 and (rules.changes >= 1).all()


def test_dataframe_inputs_give_the_same_timeline(engine, timeline):
    observations = pd.read_csv(DATA)
    providers = pd.read_csv(FILES["providers"])
    indicators = pd.read_csv(FILES["indicators"])
    again = engine.backtest(observations, providers=providers, indicators=indicators,
                            from_=pd.Period(FROM, "M"), to=pd.Period(TO, "M"))
    assert again.as_of == timeline.as_of
    pd.testing.assert_frame_equal(again.ratings, timeline.ratings)
    pd.testing.assert_frame_equal(again.escalation, timeline.escalation)


def test_to_html_writes_the_heat_map(timeline, tmp_path):
    path = tmp_path / "backtest.html"
    page = timeline.to_html(str(path))
    assert path.read_text(encoding="utf-8") == page
    assert page.count("<tr data-provider=") == 140
    assert page.count('<td class="l') == 140 * 6
    worst = timeline.escalation.groupby("provider_id").escalation.apply(
        lambda s: ((s == "risk_summit").sum(), (s == "enhanced_surveillance").sum()))
    top = sorted(worst.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[0][0]
    first_row = page.index("<tr data-provider=")
    assert page.startswith(f'<tr data-provider="{top}"', first_row)
    assert "Timeline" in repr(timeline) and len(timeline) == 6


def test_close_frees_the_handle_and_keeps_the_frames(engine):
    t = engine.backtest(DATA, from_="2019-03", to="2019-03", **FILES)
    ratings = t.ratings
    t.close()
    t.close()
    assert len(ratings) > 1000 and len(t.ratings) == len(ratings)
    with pytest.raises(vigil.InvalidArgument, match="closed"):
        t.to_html()


@pytest.mark.parametrize("from_,to,needle", [
    ("2019-03", "2018-01", "before from"),
    ("2019-01", "2019-Q2", "one frequency"),
    ("2019-13", "2019-03", "from: "),
    ("2019-01", "soon", "to: "),
    (None, "2019-03", "from_: a period is required"),
    ("2019-01", "", "to: a period is required"),
    (3.5, "2019-03", "from_: expected a period"),
])
def test_bad_ranges_raise_naming_them(engine, from_, to, needle):
    with pytest.raises(vigil.InvalidArgument, match=needle):
        engine.backtest(DATA, from_=from_, to=to, **FILES)


def test_bad_threads_and_closed_engine(engine):
    with pytest.raises(vigil.InvalidArgument, match="threads"):
        engine.backtest(DATA, from_=FROM, to=TO, threads=0, **FILES)
    closed = vigil.Engine.from_file(os.path.join(EX, "rules.textproto"))
    closed.close()
    with pytest.raises(vigil.InvalidArgument, match="closed"):
        closed.backtest(DATA, from_=FROM, to=TO, **FILES)
