"""`vigil backtest` (issue 18): the CSV timeline is, period by period, what
`vigil evaluate --as-of` rates; JSON is the vigil.v1.Timeline; bad ranges
are usage errors."""
import csv
import io
import json
import os
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
INPUTS = ["--rules", os.path.join(EX, "rules.textproto"),
          "--data", os.path.join(EX, "observations.csv"),
          "--providers", os.path.join(EX, "providers.csv"),
          "--indicators", os.path.join(EX, "indicators.csv")]


def vigil(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=300)


def test_csv_timeline_is_what_evaluate_rates_each_period():
    r = vigil("backtest", *INPUTS, "--from", "2018-12", "--to", "2019-03", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["as_of", "provider_id", "indicator_id", "rule_id", "rating"]
    for period in ("2018-12", "2019-03"):
        e = vigil("evaluate", *INPUTS, "--as-of", period, "--format", "csv")
        assert e.returncode == 0, e.stderr
        expected = sorted((a["provider_id"], a["indicator_id"], a["rule_id"], a["rating"])
                          for a in csv.DictReader(io.StringIO(e.stdout)))
        got = sorted((x["provider_id"], x["indicator_id"], x["rule_id"], x["rating"])
                     for x in rows if x["as_of"] == period)
        assert got == expected and len(got) > 1000


def test_json_is_the_timeline_and_table_names_first_reds(tmp_path):
    out = tmp_path / "timeline.json"
    r = vigil("backtest", *INPUTS, "--from", "2018-01", "--to", "2019-03", "--output", str(out))
    assert r.returncode == 0, r.stderr
    t = json.loads(out.read_text())
    assert len(t["as_of"]) == 15 and t["as_of"][0] == "2018-01"
    assert len(t["providers"]) == 140
    assert all(len(p["escalation"]) == 15 for p in t["providers"])
    rae = [x for x in t["rules"] if x["provider_id"] == "RAE" and x["rule_id"] == "ae_4hr_spc"]
    assert len(rae) == 1 and len(rae[0]["ratings"]) == 15
    table = vigil("backtest", *INPUTS, "--from", "2018-01", "--to", "2019-03")
    assert "RAE" in table.stdout and "first red" in table.stdout


@pytest.mark.parametrize("args,needle", [
    (["--from", "2019-03", "--to", "2018-01"], "before from"),
    (["--from", "2019-03"], "--to is required"),
    (["--from", "2019-01", "--to", "2019-Q2"], "one frequency"),
])
def test_bad_ranges_are_usage_errors(args, needle):
    r = vigil("backtest", *INPUTS, *args)
    assert r.returncode == 2 and needle in r.stderr


# Lead times through the tool, on a dataset small enough to count by hand.
# Indicator AE (percentage, higher is better), months 2019-01..2019-12.
#   P1: 96 96 85 85 96 96 70 70 70 96 96 96   outcome (below 80 x3) 2019-09
#   P2: 96 85 96 96 96 96 96 96 96 96 96 96   never below 80: no outcome
#   P3: 96 96 96 96 96 96 96 96 96 85 85 96   no outcome, late warning
# The outcome (pack A's below_80_3m, not scored) is P1's 2019-09, its third
# month below 80. Horizon 6, outcomes scored from 2019-02.
# Pack A warns below 90: P1 in 2019-03..04, which ends 5 months before the
# outcome (within the horizon), so the lead is from 2019-03: 9 - 3 = 6; and
# again 2019-07..09. P2's 2019-02 has no outcome within 6 months: a false
# alarm. P3's 2019-10 is pending (its 6 months run past 2019-12).
# Pack B warns below 75: P1 from 2019-07, lead 2; no false alarm.
PACK_A = """id: 'pack-a'
rules { id: 'below_90' selector { indicator_ids: 'AE' } threshold { standard: 90 } }
rules { id: 'below_80_3m' selector { indicator_ids: 'AE' }
        threshold { standard: 80 red_after_periods: 3 } }
"""
PACK_B = """id: 'pack-b'
rules { id: 'below_75' selector { indicator_ids: 'AE' } threshold { standard: 75 } }
"""
VALUES = {"P1": [96, 96, 85, 85, 96, 96, 70, 70, 70, 96, 96, 96],
          "P2": [96, 85, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96],
          "P3": [96, 96, 96, 96, 96, 96, 96, 96, 96, 85, 85, 96]}


def hand_inputs(tmp_path, scoring=True):
    (tmp_path / "a.textproto").write_text(PACK_A)
    (tmp_path / "b.textproto").write_text(PACK_B)
    (tmp_path / "indicators.csv").write_text(
        "id,name,domain,unit,polarity,frequency\n"
        "AE,A&E,responsive,percentage,higher_is_better,monthly\n")
    (tmp_path / "providers.csv").write_text(
        "id,name,type\nP1,One,acute\nP2,Two,acute\nP3,Three,acute\n")
    rows = ["provider_id,indicator_id,period,value"]
    for p, values in VALUES.items():
        rows += ["%s,AE,2019-%02d,%s" % (p, m + 1, v) for m, v in enumerate(values)]
    (tmp_path / "obs.csv").write_text("\n".join(rows) + "\n")
    return ["--data", str(tmp_path / "obs.csv"),
            "--indicators", str(tmp_path / "indicators.csv"),
            "--providers", str(tmp_path / "providers.csv"),
            "--from", "2019-01", "--to", "2019-12"] + (
                ["--horizon", "6", "--outcomes-from", "2019-02"] if scoring else [])


def test_outcome_rule_lead_times_and_false_alarms_counted_by_hand(tmp_path):
    args = hand_inputs(tmp_path)
    summary = tmp_path / "s.json"
    r = vigil("backtest", "--rules", str(tmp_path / "a.textproto"), *args,
              "--outcome-rule", "below_80_3m", "--summary", str(summary))
    assert r.returncode == 0, r.stderr
    s = json.loads(summary.read_text())
    assert s["excluded_rule_ids"] == ["below_80_3m"]
    assert [x["rule_id"] for x in s["rules"]] == ["below_90"]
    lead = [l for l in s["leads"] if l["rule_id"] == "below_90"]
    assert [(l["provider_id"], l["outcome_period"], l["warning_period"],
             l["lead_periods"]) for l in lead] == [("P1", "2019-09", "2019-03", 6)]
    pack = s["pack"]
    assert (pack["providers_with_outcome"], pack["providers_warned_before"],
            pack["median_lead_periods"], pack["false_alarm_providers"],
            pack["pending_warnings"]) == (1, 1, 6, 1, 1)
    verdicts = sorted((w["provider_id"], w["start"], w["verdict"])
                      for w in s["warnings"] if w["rule_id"] == "")
    assert verdicts == [("P1", "2019-03", "VERDICT_BORNE_OUT"),
                        ("P1", "2019-07", "VERDICT_BORNE_OUT"),
                        ("P2", "2019-02", "VERDICT_FALSE_ALARM"),
                        ("P3", "2019-10", "VERDICT_PENDING")]
    assert "warned 1 of 1 providers before their outcome (100%), a median 6 months ahead" \
        in r.stdout


def test_warn_after_two_moves_the_warning(tmp_path):
    args = hand_inputs(tmp_path)
    summary = tmp_path / "s.csv"
    r = vigil("backtest", "--rules", str(tmp_path / "a.textproto"), *args,
              "--outcome-rule", "below_80_3m", "--warn-after", "2",
              "--summary", str(summary), "--format", "csv",
              "--output", str(tmp_path / "t.csv"))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(summary.read_text())))
    # Two reds in a row: P1 warns in 2019-04 (lead 5); P2's single red and
    # P3's 2019-10..11 (warns 2019-11, pending) are no false alarm.
    assert rows[0]["scope"] == "pack" and rows[0]["median_lead_periods"] == "5"
    assert rows[0]["false_alarm_providers"] == "0"
    assert rows[1]["rule_id"] == "below_90" and rows[1]["pending_warnings"] == "1"
    # The timeline CSV keeps exactly its columns.
    head = (tmp_path / "t.csv").read_text().splitlines()[0]
    assert head == "as_of,provider_id,indicator_id,rule_id,rating"


def test_two_packs_compared_with_the_sentence(tmp_path):
    args = hand_inputs(tmp_path)
    r = vigil("backtest", "--rules", str(tmp_path / "a.textproto"),
              "--rules", str(tmp_path / "b.textproto"), *args,
              "--outcome-rules", str(tmp_path / "a.textproto"),
              "--outcome-rule", "below_80_3m")
    assert r.returncode == 0, r.stderr
    # Pack A: lead 6, 1 provider with a false alarm (P2); pack B: lead 2, none.
    assert ("Pack pack-b warns 4 months later on median than pack pack-a, with 1 "
            "fewer provider warned that had no outcome (0 against 1)") in r.stdout
    assert "pack-a" in r.stdout and "median lead (months)" in r.stdout


def test_outcomes_file_rows_not_scored_are_listed(tmp_path):
    args = hand_inputs(tmp_path)
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("provider_id,period,outcome\nP1,2019-09-20,CQC inadequate\n"
                        "P9,2019-05,risk summit\nP2,2020-03,risk summit\n")
    r = vigil("backtest", "--rules", str(tmp_path / "a.textproto"), *args,
              "--outcomes", str(outcomes))
    assert r.returncode == 0, r.stderr
    assert "2 outcome rows not scored" in r.stderr
    assert "line 3" in r.stdout and "'P9' is not in the back-test's timeline" in r.stdout
    assert "after the last as-of period" in r.stdout
    outcomes.write_text("provider_id,period,outcome\nP1,2019-13,x\n")
    bad = vigil("backtest", "--rules", str(tmp_path / "a.textproto"), *args,
                "--outcomes", str(outcomes))
    assert bad.returncode == 1
    assert "outcomes.csv line 2, field period" in bad.stderr


@pytest.mark.parametrize("extra,needle", [
    (["--warn-after", "2"], "--warn-after needs outcomes"),
    (["--outcome-rule", "x", "--outcomes", "f.csv"], "not both"),
    (["--outcome-rule", "below_80_3m", "--horizon", "0"], "--horizon must be"),
    (["--outcome-rule", "below_80_3m", "--summary", "s.txt"], ".csv or .json"),
])
def test_bad_outcome_flags_are_usage_errors(tmp_path, extra, needle):
    r = vigil("backtest", "--rules", str(tmp_path / "a.textproto"),
              *hand_inputs(tmp_path, scoring=False), *extra)
    assert r.returncode == 2 and needle in r.stderr, r.stderr
