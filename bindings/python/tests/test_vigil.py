"""Tests of the vigil Python package (ctypes over libvigil.so).

Run by ctest with VIGIL_LIBRARY pointing at the built library and VIGIL_TOOL
at the `vigil` tool (for the agreement test).
"""
import gc
import json
import math
import os
import re
import subprocess
import sys
import threading

import pytest

import vigil

ROOT = os.environ.get("VIGIL_SOURCE_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
RULES = os.path.join(EX, "rules.textproto")

try:
    import pandas as pd
except ImportError:  # pragma: no cover - pandas is optional
    pd = None

PACK = """
id: "py" version: "2"
rules { id: "ae" selector { indicator_ids: "AE" } threshold { standard: 95 red_threshold: 90 } }
"""
INDICATORS = [{"id": "AE", "name": "A&E 4-hour", "unit": "percentage",
               "polarity": "higher_is_better", "frequency": "monthly", "domain": "responsive"}]


def evaluate_example(engine, **kwargs):
    return engine.evaluate(os.path.join(EX, "observations.csv"),
                           providers=os.path.join(EX, "providers.csv"),
                           indicators=os.path.join(EX, "indicators.csv"), as_of="2019-03",
                           **kwargs)


def test_versions():
    # One number, from CMake (ctest passes it); the package reports the library's.
    assert vigil.__version__ == vigil.library_version()
    if "VIGIL_VERSION" in os.environ:
        assert vigil.__version__ == os.environ["VIGIL_VERSION"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", vigil.__version__)


def test_engine_from_file_text_and_json_evaluate_alike():
    rows = [("RRK", "AE", "2019-03", None, 850, 1000)]
    by_text = vigil.Engine.from_text(PACK).evaluate(rows, indicators=INDICATORS)
    as_json = {"id": "py", "version": "2", "rules": [
        {"id": "ae", "selector": {"indicator_ids": ["AE"]},
         "threshold": {"standard": 95, "red_threshold": 90}}]}
    by_json = vigil.Engine.from_json(as_json).evaluate(rows, indicators=INDICATORS)
    assert by_text.to_json() == by_json.to_json()
    a = by_text.assessments[0]
    assert (a.provider_id, a.rating, a.value, a.standard, a.red_threshold) == (
        "RRK", "red", 85.0, 95.0, 90.0)
    assert a.reason == "A&E 4-hour: 85% in Mar 2019 against the 95% standard (red below 90%)"
    assert a.evidence[0].period == "2019-03"


def test_example_report_is_typed():
    with vigil.Engine.from_file(RULES) as engine:
        report = evaluate_example(engine)
    assert report.as_of == "2019-03" and report.ruleset_id == "nhs-early-warning-ae"
    assert len(report.providers) == 140
    assert {a.rating for a in report} <= {"green", "amber", "red", "no_data", "not_applicable"}
    spc = [a for a in report if a.rule_id == "ae_4hr_spc" and a.spc is not None]
    assert spc and spc[0].spc.variation_icon
    p = report.providers[0]
    assert p.worst_rating in ("red", "amber", "green", "no_data")
    assert p.escalation in ("routine", "enhanced_surveillance", "risk_summit")
    assert p.red == p.counts.red and sum(d.counts.red for d in p.domains) == p.red
    assert {d.domain for d in p.domains} <= {"safe", "effective", "caring", "responsive",
                                             "well_led", "unspecified"}
    assert all(a.spc.points >= a.spc.baseline_points > 0 for a in spc)
    dicts = report.to_dicts()
    assert len(dicts) == len(report) and dicts[0]["reason"]
    assert json.loads(report.to_json())["as_of"] == "2019-03"


def test_dicts_tuples_and_nan_are_accepted():
    engine = vigil.Engine.from_text(PACK)
    as_dicts = engine.evaluate(
        [{"provider_id": "P1", "indicator_id": "AE", "period": "2019-03", "value": 96.0,
          "numerator": math.nan}], indicators=INDICATORS)
    as_tuples = engine.evaluate([("P1", "AE", "2019-03", 96.0)], indicators=INDICATORS)
    assert as_dicts.to_json() == as_tuples.to_json()
    assert as_dicts.assessments[0].rating == "green"


def test_bad_rows_become_diagnostics_not_exceptions():
    report = vigil.Engine.from_text(PACK).evaluate(
        [("P1", "AE", "2019-03", 96.0), ("P1", "AE", "March", 1.0), ("P1", "AE", "2019-02", None, 1, 0)],
        indicators=INDICATORS, as_of="2019-03")
    errors = [d for d in report.diagnostics if d.severity == "error"]
    assert [d.row for d in errors] == [2, 3]
    assert errors[0].code == "bad_period"
    assert errors[1].code == "bad_denominator"
    assert "not above zero" in errors[1].message
    assert [d.code for d in report.diagnostics if d.severity == "info"] == ["implicit_providers"]


def test_plans_as_rows_and_csv_are_indexed_and_bad_plan_rows_reported(tmp_path):
    engine = vigil.Engine.from_text(PACK)
    data = [("P1", "AE", "2019-03", 96.0)]
    without = engine.evaluate(data, indicators=INDICATORS)
    plans = [("P1", "AE", "2019-03", 95),
             {"provider_id": "P1", "indicator_id": "AE", "period": "2019-04", "value": 95.5},
             ("P1", "AE", "2019-05", None),          # no value: a diagnostic
             ("P9", "AE", "2019-03", 95),            # not in the observations
             ("P1", "AE", "2019-Q2", 95)]            # another frequency
    report = engine.evaluate(data, indicators=INDICATORS, plans=plans)
    assert (report.plans_read, report.plans_used, report.plans_rejected) == (5, 2, 3)
    assert (without.plans_read, without.plans_used, without.plans_rejected) == (0, 0, 0)
    assert report.observations_used == without.observations_used == 1
    assert report.as_of == without.as_of == "2019-03"
    assert [a.rating for a in report] == [a.rating for a in without]
    bad = [(d.source, d.row, d.code, d.field) for d in report.diagnostics if d.source == "plans"]
    assert bad == [("plans", 3, "non_finite_value", "value"),
                   ("plans", 4, "unknown_provider", "provider_id"),
                   ("plans", 5, "mixed_frequency", "period")]
    assert all("the plan row is not used" in d.message
               for d in report.diagnostics if d.source == "plans")
    csv_path = tmp_path / "plans.csv"
    csv_path.write_text("provider_id,indicator_id,period,value\n"
                        "P1,AE,2019-03,95\nP1,AE,2019-04,many\n")
    from_csv = engine.evaluate(data, indicators=INDICATORS, plans=str(csv_path))
    assert (from_csv.plans_read, from_csv.plans_used, from_csv.plans_rejected) == (2, 1, 1)
    [d] = [d for d in from_csv.diagnostics if d.source == "plans.csv"]
    assert (d.row, d.code) == (3, "non_finite_value")
    assert d.message.startswith("plans.csv line 3: value 'many' is not a number")
    with pytest.raises(vigil.InvalidArgument, match="plan 1: 'period' is missing"):
        engine.evaluate(data, indicators=INDICATORS,
                        plans=[{"provider_id": "P1", "indicator_id": "AE", "value": 1}])
    with pytest.raises(vigil.InvalidArgument, match="row 1"):
        engine.evaluate(data, indicators=INDICATORS, plans=[("P1", "AE", "2019-03", 1, 2)])


@pytest.mark.skipif(pd is None, reason="pandas is not installed")
def test_plans_as_a_dataframe_match_plans_as_rows():
    engine = vigil.Engine.from_text(PACK)
    rows = [("P1", "AE", "2019-03", 95.0), ("P1", "AE", "2019-03", 94.0),
            ("P1", "AE", "2019-04", float("nan"))]
    df = pd.DataFrame(rows, columns=["provider_id", "indicator_id", "period", "value"])
    data = [("P1", "AE", "2019-03", 96.0)]
    from_df = engine.evaluate(data, indicators=INDICATORS, plans=df.sample(frac=1, random_state=3))
    from_rows = engine.evaluate(data, indicators=INDICATORS, plans=rows)
    assert (from_df.plans_read, from_df.plans_used, from_df.plans_rejected) == (3, 0, 3)
    codes = sorted(d.code for d in from_df.diagnostics if d.source == "plans")
    assert codes == ["duplicate_observation", "non_finite_value"]
    assert codes == sorted(d.code for d in from_rows.diagnostics if d.source == "plans")


@pytest.mark.skipif(pd is None, reason="pandas is not installed")
def test_dataframe_in_and_out():
    df = pd.DataFrame({"provider_id": ["P1", "P2"], "indicator_id": ["AE", "AE"],
                       "period": ["2019-03", "2019-03"], "numerator": [960, 700],
                       "denominator": [1000, 1000]})
    report = vigil.Engine.from_text(PACK).evaluate(df, indicators=INDICATORS)
    out = report.to_dataframe()
    assert list(out[out.rating == "red"].provider_id) == ["P2"]
    assert list(report.to_dataframe("providers").provider_id) == ["P1", "P2"]
    assert list(report.to_dataframe("diagnostics").code) == ["implicit_providers"]


def test_errors_carry_status_codes():
    with pytest.raises(vigil.InvalidArgument) as e:
        vigil.Engine.from_text('id: "x" rules { id: "m" selector { all_indicators: true } '
                               'threshold { standard: 1 statistic: STATISTIC_MEAN } }')
    assert e.value.code == 3 and "rule 'm' (rules[0]): threshold.window_periods" in str(e.value)
    with pytest.raises(vigil.InvalidArgument):
        vigil.Engine.from_text("rules {")
    with pytest.raises(vigil.InvalidArgument):
        vigil.Engine.from_json("{not json")
    with pytest.raises(vigil.NotFound) as e:
        vigil.Engine.from_file("/nonexistent/pack.textproto")
    assert e.value.code == 5 and isinstance(e.value, FileNotFoundError)
    # Every rule kind in the schema is built in: Unimplemented cannot be
    # reached; a bad CQUIN weight is an InvalidArgument naming the field.
    with pytest.raises(vigil.InvalidArgument, match=r"rule 'f' \(rules\[0\]\): milestone\.weight"):
        vigil.Engine.from_text('id: "x" rules { id: "f" selector { all_indicators: true } milestone { weight: -1 } }')
    engine = vigil.Engine.from_text(PACK)
    with pytest.raises(vigil.NotFound):
        engine.evaluate("/nonexistent/obs.csv")
    with pytest.raises(vigil.InvalidArgument, match="as_of"):
        engine.evaluate([("P1", "AE", "2019-03", 1.0)], indicators=INDICATORS, as_of="March")
    with pytest.raises(vigil.InvalidArgument, match="polarity"):
        engine.evaluate([], indicators=[{"id": "X", "polarity": "upwards"}])
    with pytest.raises(vigil.InvalidArgument, match="row 1"):
        engine.evaluate([("P1", "AE", "2019-03", 1, 2, 3, 4)])
    with pytest.raises(vigil.InvalidArgument, match="not a number"):
        engine.evaluate([("P1", "AE", "2019-03", "lots")])
    with pytest.raises(vigil.InvalidArgument, match="'period' is missing"):
        engine.evaluate([{"provider_id": "P1", "indicator_id": "AE"}])
    engine.close()
    engine.close()
    with pytest.raises(vigil.InvalidArgument, match="closed"):
        engine.evaluate([])


def test_library_not_found_names_the_places_tried(tmp_path):
    code = "import vigil"
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(vigil.__file__)))
    env = dict(os.environ, VIGIL_LIBRARY=str(tmp_path / "nope.so"), PYTHONPATH=package_parent)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       cwd=str(tmp_path))
    if r.returncode == 0:
        pytest.skip("a libvigil.so is installed beside the package or on the loader path")
    assert "nope.so ($VIGIL_LIBRARY)" in r.stderr and "Tried:" in r.stderr


def test_no_handle_leaks_over_10000_evaluations():
    def rss_kb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024

    rows = [("P1", "AE", "2019-01", 91.0), ("P1", "AE", "2019-02", 89.0),
            ("P1", "AE", "2019-03", 85.0)]
    for _ in range(500):  # Warm up allocator pools.
        vigil.Engine.from_text(PACK).evaluate(rows, indicators=INDICATORS)
    gc.collect()
    before = rss_kb()
    for i in range(10000):
        engine = vigil.Engine.from_text(PACK)
        report = engine.evaluate(rows, indicators=INDICATORS)
        assert report.assessments[0].rating == "red"
        if i % 2:
            engine.close()
    gc.collect()
    grown = rss_kb() - before
    assert grown < 8 * 1024, f"resident memory grew by {grown} KiB"


def test_one_engine_shared_by_threads():
    engine = vigil.Engine.from_file(RULES)
    expected = evaluate_example(engine).to_json()
    results = []

    def work():
        for _ in range(3):
            results.append(evaluate_example(engine).to_json() == expected)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 12
    assert evaluate_example(engine, threads=2).to_json() == expected


@pytest.mark.skipif("VIGIL_TOOL" not in os.environ, reason="needs the vigil tool")
def test_agrees_with_vigil_evaluate():
    tool = subprocess.run(
        [os.environ["VIGIL_TOOL"], "evaluate", "--rules", RULES,
         "--data", os.path.join(EX, "observations.csv"),
         "--providers", os.path.join(EX, "providers.csv"),
         "--indicators", os.path.join(EX, "indicators.csv"), "--as-of", "2019-03",
         "--format", "json"], capture_output=True, text=True, check=True)
    from_tool = json.loads(tool.stdout)
    report = evaluate_example(vigil.Engine.from_file(RULES))
    ours = json.loads(report.to_json())
    assert ours["assessments"] == from_tool["assessments"]
    assert ours["providers"] == from_tool["providers"]


def test_spc_on_a_sequence_matches_the_reference_vignette():
    ys = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    rows = vigil.spc(ys, target=5)
    assert abs(rows[0]["upl"] - 4.6) < 0.005 and abs(rows[0]["lpl"] + 0.72) < 0.005
    assert rows[4]["special_cause_type"] == "Above UCL"
    assert rows[4]["point_type"] == "special_cause_improvement"
    assert rows[-1]["assurance"] == "consistent_fail"
    assert abs(vigil.spc(ys, screen_outliers=False)[0]["upl"] - 6.95) < 0.005
    gap = vigil.spc([1, None, 2, 1, 2])
    assert gap[1]["point_type"] == "missing"
    with pytest.raises(vigil.InvalidArgument, match="run_length"):
        vigil.spc(ys, run_length=3)
    with pytest.raises(vigil.InvalidArgument, match="direction"):
        vigil.spc(ys, direction="up")
    with pytest.raises(vigil.InvalidArgument, match="target"):
        vigil.spc(ys, target=[1, 2])


@pytest.mark.skipif(pd is None, reason="pandas is not installed")
def test_spc_on_a_dataframe_matches_vigil_spc(tmp_path):
    source = os.path.join(ROOT, "examples", "spc", "ae_type1_4hr.csv")
    df = pd.read_csv(source)
    ours = vigil.spc(df.sample(frac=1, random_state=1), target=95)
    assert list(ours.columns) == vigil.spc.__globals__["COLUMNS"]
    if "VIGIL_TOOL" in os.environ:
        out = tmp_path / "out.csv"
        subprocess.run([os.environ["VIGIL_TOOL"], "spc", "--input", source, "--output",
                        str(out), "--target", "95"], check=True)
        tool = pd.read_csv(out, keep_default_na=False)
        # The tool also writes a gap row for a month with no row; a DataFrame's
        # rows are taken as they are.
        tool = tool[tool.point_type != "missing"]
        assert list(ours.series_id) == list(tool.series_id)
        assert list(ours.special_cause_type) == list(tool.special_cause_type)
        assert list(ours.assurance) == list(tool.assurance)
        assert max(abs(ours["upl"].to_numpy() - tool["upl"].astype(float).to_numpy())) < 1e-9


@pytest.mark.skipif("VIGIL_TOOL" not in os.environ, reason="needs the vigil tool")
def test_python_example_red_providers_agree_with_vigil_evaluate():
    script = os.path.join(ROOT, "examples", "python", "red_providers.py")
    r = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True)
    tool = subprocess.run(
        [os.environ["VIGIL_TOOL"], "evaluate", "--rules", RULES,
         "--data", os.path.join(EX, "observations.csv"),
         "--providers", os.path.join(EX, "providers.csv"),
         "--indicators", os.path.join(EX, "indicators.csv"), "--as-of", "2019-03",
         "--format", "json"], capture_output=True, text=True, check=True)
    red = {a["provider_id"] for a in json.loads(tool.stdout)["assessments"]
           if a["rating"] == "RATING_RED"}
    assert f"{len(red)} providers with at least one red rating as of 2019-03" in r.stdout
    assert "RRK 2019-03:" in r.stdout and "Below LCL" in r.stdout
