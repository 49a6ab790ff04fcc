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
