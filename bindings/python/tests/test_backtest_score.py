"""Timeline.score (issue 18): a back-test scored against outcomes. The
scores DataFrame equals the CSV of `vigil backtest --summary` on the NHS
example (the data of docs/backtest.md); a hand-built timeline's figures
counted by hand (as tests/backtest_score_test.cc); outcomes as a DataFrame,
rows, a path or CSV bytes; rows not scored listed and warned about; packs
compared; bad arguments named."""
import json
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
RULES = os.path.join(EX, "rules.textproto")
OUTCOME_RULES = os.path.join(EX, "outcome_rules.textproto")
OUTCOME_RULE = "ae_4hr_below_80_3m"
FROM, TO = "2016-04", "2019-03"

# 12 monthly as-of periods, 2019-01 to 2019-12; R red, G green.
#   P1 a: GGRRGGGGGGGG  b: RGGGGRRGGGGG   outcome 2019-07
#   P2 a: GRGGGGGGGGGG  b: GGGGGGGGGRRG   no outcome
#   P3 a: RGGGGGGGGGGG                    outcome 2019-01 (too early)
#   P4 a: GGGGGGGGGGGG                    outcome 2019-11
HAND = [("P1", "a", "GGRRGGGGGGGG"), ("P1", "b", "RGGGGRRGGGGG"),
        ("P2", "a", "GRGGGGGGGGGG"), ("P2", "b", "GGGGGGGGGRRG"),
        ("P3", "a", "RGGGGGGGGGGG"), ("P4", "a", "GGGGGGGGGGGG")]
OUTCOMES = pd.DataFrame({"provider_id": ["P1", "P3", "P4"],
                         "period": ["2019-07", "2019-01", "2019-11"],
                         "outcome": ["inadequate"] * 3})


def hand_timeline():
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    return vigil.Timeline.from_json(json.dumps({
        "ruleset_id": "hand", "as_of": months,
        "rules": [{"provider_id": p, "indicator_id": "AE", "rule_id": r,
                   "ratings": ["RATING_RED" if c == "R" else "RATING_GREEN" for c in line]}
                  for p, r, line in HAND],
        "providers": [{"provider_id": f"P{i}", "escalation": ["ESCALATION_LEVEL_ROUTINE"] * 12}
                      for i in range(1, 5)]}))


def test_hand_counted_scores_leads_and_warnings():
    s = hand_timeline().score(OUTCOMES, warn_after=1, horizon=3)
    assert list(s.scores.columns) == vigil.backtest.SCORE_COLUMNS
    rows = s.scores.drop(columns=["ruleset_id"]).values.tolist()
    assert rows == [["pack", "", "", 2, 1, 0.5, 4.0, 3, 2, 6, 2, 1],
                    ["rule", "a", "a", 2, 1, 0.5, 4.0, 3, 1, 3, 1, 0],
                    ["rule", "b", "b", 2, 1, 0.5, 1.0, 2, 1, 3, 1, 1]]
    assert (s.outcomes_from, s.warn_after, s.horizon, s.providers, s.outcomes_used) == \
        ("2019-04", 1, 3, 4, 3)
    lead = s.leads.set_index(["provider_id", "rule_id"])
    assert len(s.leads) == 9  # 3 outcomes x (pack + 2 rules)
    assert lead.loc[("P1", "a")].tolist() == ["2019-07", "inadequate", True, "2019-03", 4, False]
    assert lead.loc[("P3", "")].too_early and not lead.loc[("P3", "")].warned
    assert lead.loc[("P4", "a")].warning_period is None
    w = s.warnings
    assert len(w) == 12 and set(w.verdict) == {"borne_out", "false_alarm", "pending"}
    assert w[(w.provider_id == "P2") & (w.rule_id == "b")].values.tolist() == \
        [["P2", "b", "2019-10", "2019-11", "pending"]]
    assert s.diagnostics.empty
    assert s.to_csv().splitlines()[1] == "hand,pack,,,2,1,0.5,4,3,2,6,2,1"


def test_outcomes_as_rows_path_and_bytes_score_the_same(tmp_path):
    t = hand_timeline()
    expected = t.score(OUTCOMES, horizon=3).scores
    path = tmp_path / "outcomes.csv"
    OUTCOMES.to_csv(path, index=False)
    for given in (list(OUTCOMES.itertuples(index=False, name=None)), str(path),
                  path.read_bytes(), OUTCOMES.to_dict("records")):
        pd.testing.assert_frame_equal(t.score(given, horizon=3).scores, expected)
    # Dates and pandas Periods are their months.
    dated = OUTCOMES.assign(period=pd.to_datetime(OUTCOMES.period + "-15"))
    pd.testing.assert_frame_equal(t.score(dated, horizon=3).scores, expected)
    as_periods = OUTCOMES.assign(period=pd.PeriodIndex(OUTCOMES.period, freq="M"))
    pd.testing.assert_frame_equal(t.score(as_periods, horizon=3).scores, expected)


def test_rows_not_scored_are_listed_and_warned_about():
    more = pd.concat([OUTCOMES, pd.DataFrame({
        "provider_id": ["P9", "P1", "P1"], "period": ["2019-05", "2020-02", "2019-07"],
        "outcome": ["inadequate"] * 3})], ignore_index=True)
    t = hand_timeline()
    with pytest.warns(vigil.DataWarning, match="3 outcome row"):
        s = t.score(more, horizon=3)
    d = s.diagnostics
    assert d.row.tolist() == [4, 5, 6]  # 1-based rows of the DataFrame
    assert d.field.tolist() == ["provider_id", "period", "period"]
    assert d.code.tolist() == ["unknown_provider", "outside_range", "duplicate_observation"]
    assert (d.source == "outcomes").all() and d.message.str.contains("not scored").all()
    assert s.outcomes_used == 3  # The scores are those of the good rows.
    pd.testing.assert_frame_equal(s.scores, t.score(OUTCOMES, horizon=3).scores)
    with pytest.raises(vigil.InvalidArgument, match="3 outcome row"):
        t.score(more, horizon=3, strict=True)


def test_outcome_rule_options_and_exclusions():
    t = hand_timeline()
    s = t.score(outcome_rule="b")  # b's first reds; b is then not scored.
    assert s.scores.rule_id.tolist() == ["", "a"]
    assert set(s.leads.outcome) == {"b"} and s.outcome_source == '"b" (rule b)'
    s = t.score(outcome_rule="b", outcome_label="red on b")
    assert set(s.leads.outcome) == {"red on b"}
    s = t.score(OUTCOMES, warn_after=2, horizon=3, outcomes_from="2019-01",
                exclude_rules="b")
    assert s.scores.rule_id.tolist() == ["", "a"]
    assert s.outcomes_from == "2019-01" and s.pack.providers_with_outcome == 3


@pytest.fixture(scope="module")
def example():
    with vigil.Engine.from_file(RULES) as e, vigil.Engine.from_file(OUTCOME_RULES) as o:
        yield (e.backtest(DATA, from_=FROM, to=TO, **FILES),
               o.backtest(DATA, from_=FROM, to=TO, **FILES))


def test_scores_equal_the_tools_summary_csv(example, tmp_path):
    """`vigil backtest` as docs/backtest.md runs it (scripts/backtest_example.py)."""
    tool = os.environ.get("VIGIL_TOOL")
    if not tool:
        pytest.skip("VIGIL_TOOL is not set (sanitizer build has no tool)")
    timeline, defining = example
    for warn_after, horizon in ((1, 12), (2, 6)):
        csv_path, json_path = tmp_path / "summary.csv", tmp_path / "summary.json"
        args = [tool, "backtest", "--rules", RULES, "--data", DATA,
                "--providers", FILES["providers"], "--indicators", FILES["indicators"],
                "--from", FROM, "--to", TO, "--outcome-rules", OUTCOME_RULES,
                "--outcome-rule", OUTCOME_RULE, "--warn-after", str(warn_after),
                "--horizon", str(horizon), "--output", str(tmp_path / "table.txt")]
        subprocess.run(args + ["--summary", str(csv_path)], check=True)
        subprocess.run(args + ["--summary", str(json_path)], check=True)
        s = timeline.score(outcome_rule=OUTCOME_RULE, outcome_timeline=defining,
                           warn_after=warn_after, horizon=horizon)
        expected = pd.read_csv(csv_path, keep_default_na=False,
                               na_values={"sensitivity": [""], "median_lead_periods": [""]})
        assert len(expected) == len(s.scores) > 5
        pd.testing.assert_frame_equal(s.scores, expected, check_dtype=False)
        assert s.to_csv() == csv_path.read_text()  # Byte for byte.
        assert s.pack.providers_with_outcome > 0
        tool_json = json.loads(json_path.read_text())
        ours = json.loads(s.to_json())
        assert tool_json.pop("outcome_source").startswith(ours.pop("outcome_source")[:-1])
        assert ours == tool_json
        assert len(s.leads) == len(tool_json["leads"])
        assert len(s.warnings) == len(tool_json["warnings"])


def test_compare_puts_packs_side_by_side(example):
    timeline, defining = example
    a = timeline.score(outcome_rule=OUTCOME_RULE, outcome_timeline=defining)
    b = timeline.score(outcome_rule=OUTCOME_RULE, outcome_timeline=defining, warn_after=3)
    table = vigil.compare(a, b, labels=["any red", "3 reds"])
    assert list(table.columns) == ["any red", "3 reds"]
    assert table.loc["providers_warned", "any red"] == a.pack.providers_warned
    assert table.loc["false_alarm_provider_difference", "3 reds"] == \
        b.pack.false_alarm_providers - a.pack.false_alarm_providers
    assert table.loc["providers_warned", "3 reds"] <= table.loc["providers_warned", "any red"]
    with pytest.raises(vigil.InvalidArgument, match="labels"):
        vigil.compare(a, b, labels=["x", "x"])


def test_bad_arguments_are_named():
    t = hand_timeline()
    cases = [
        (dict(outcomes=OUTCOMES, warn_after=0), "warn_after"),
        (dict(outcomes=OUTCOMES, horizon=10001), "horizon"),
        (dict(outcomes=OUTCOMES, horizon="12"), "horizon"),
        (dict(outcomes=OUTCOMES, outcomes_from="2018-01"), "outcomes_from"),
        (dict(outcomes=OUTCOMES, outcomes_from="soon"), "outcomes_from"),
        (dict(), "outcome_rule"),
        (dict(outcome_rule="zz"), "'zz'"),
        (dict(outcomes=OUTCOMES.drop(columns="outcome")), "outcome"),
        (dict(outcomes=OUTCOMES.assign(period=[None, "2019-01", "2019-11"])),
         "outcomes row 1, period: empty"),
        (dict(outcomes=OUTCOMES.assign(period=["2019-13", "2019-01", "2019-11"])),
         "periods[0]"),
        (dict(outcomes=[("P1", "2019-07")]), "outcomes row 1"),
        (dict(outcomes=b"provider_id,period\nP1,2019-07\n"), "outcome"),
        (dict(outcomes="/no/such/outcomes.csv"), "/no/such/outcomes.csv"),
    ]
    for kwargs, needle in cases:
        with pytest.raises((vigil.InvalidArgument, vigil.NotFound)) as e:
            t.score(**kwargs)
        assert needle in str(e.value), (kwargs, str(e.value))
    t.close()
    with pytest.raises(vigil.InvalidArgument, match="closed"):
        t.score(OUTCOMES)
