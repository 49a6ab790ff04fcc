"""`vigil funnel` against FunnelPlotR 0.5.0 (reproduced by
funnelplotr_reference.py) on real NHS data, and against the formulas where
FunnelPlotR is wrong (FINDINGS.md).

VIGIL_TOOL must name the vigil binary. For each fixture and configuration
(make_expected.CASES) the command is run once, and:
- limits and flags equal FunnelPlotR's, except on the rows that
  expected/*.correct.csv names as FunnelPlotR faults;
- on those rows Vigil gives the correct value, not FunnelPlotR's;
- every limit equals the formula's with exact normal quantiles.

Tolerance. Vigil uses exact z (qnorm(0.975), qnorm(0.999)), FunnelPlotR
1.959964 and 3.090232. A relative 2e-7 covers that on the log and square
root scales and on upper arcsine limits, but not on arcsine lower limits
near 0 (up to 1e-4 relative on these fixtures: an angle close to 0 turns a
small change of z into a large relative change of sin^2). So a limit
matches FunnelPlotR when |vigil - funnelplotr| <= 2e-7 |funnelplotr| +
|exact-z limit - funnelplotr|, the second term being the z-rounding shift
on that row. Against the exact-z formulas the tolerance is 1e-9 relative.

Run: VIGIL_TOOL=build/tools/vigil/vigil /usr/bin/python3 -m pytest -q \
     -p no:cacheprovider tests/funnel/test_funnel_vs_funnelplotr.py
"""
import csv
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_expected  # noqa: E402

LIMITS = make_expected.LIMITS
FLAGS = ("flag_95", "flag_99.8")
CQC = "sr_cqc_adjusted"
REL_FPR = 2e-7
REL_EXACT = 1e-9


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected(fixture, config):
    stem = os.path.join(HERE, "expected", "%s.%s" % (fixture, config))
    with open(stem + ".json", encoding="utf-8") as f:
        summary = json.load(f)
    return read_csv(stem + ".csv"), read_csv(stem + ".correct.csv"), summary


def case_id(case):
    return "%s-%s" % case


def has_faults(case):
    _, correct, _ = expected(*case)
    return any(r["fault"] for r in correct)


CASES = make_expected.CASES
NOT_CQC = [c for c in CASES if c[1] != CQC]
WITH_FAULTS = [c for c in NOT_CQC if has_faults(c)]
CQC_CASES = [c for c in CASES if c[1] == CQC]


@pytest.fixture(scope="module")
def tool():
    path = os.environ.get("VIGIL_TOOL")
    if not path:
        pytest.fail("VIGIL_TOOL is not set: point it at the vigil binary "
                    "(ctest sets it), e.g. VIGIL_TOOL=build/tools/vigil/vigil",
                    pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail("VIGIL_TOOL=%s is not an executable file" % path,
                    pytrace=False)
    return path


_RUNS = {}


def run_vigil(tool, tmp_path_factory, case):
    """Vigil's output rows and summary for a case, run once per case."""
    if case not in _RUNS:
        fixture, config = case
        out = tmp_path_factory.mktemp(case_id(case))
        args = [tool, "funnel",
                "--input", os.path.join(HERE, "data", fixture + ".csv"),
                "--output", str(out / "out.csv"),
                "--summary", str(out / "summary.json"),
                *make_expected.CONFIGS[config][1]]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, "%s\n%s" % (" ".join(args), r.stderr)
        with open(out / "summary.json", encoding="utf-8") as f:
            summary = json.load(f)
        _RUNS[case] = (read_csv(out / "out.csv"), summary)
    return _RUNS[case]


@pytest.fixture
def vigil(tool, tmp_path_factory):
    return lambda case: run_vigil(tool, tmp_path_factory, case)


def close(got, want, rel, extra=0.0):
    return abs(got - want) <= rel * abs(want) + extra


def mismatches(vigil_rows, want_rows, tolerance):
    """(group, column, vigil, wanted) for the limits out of tolerance."""
    bad = []
    for v, w in zip(vigil_rows, want_rows):
        for col in LIMITS:
            got, want = float(v[col]), float(w[col])
            if not close(got, want, *tolerance(w, col)):
                bad.append((w["group"], col, got, want))
    return bad


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_one_row_per_input_row_in_input_order_with_the_values(vigil, case):
    rows, _ = vigil(case)
    ref, _, _ = expected(*case)
    assert [r["group"] for r in rows] == [r["group"] for r in ref]
    for v, w in zip(rows, ref):
        assert float(v["numerator"]) == float(w["numerator"])
        assert float(v["denominator"]) == float(w["denominator"])
        assert close(float(v["value"]), float(w["value"]), 1e-15)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_summary_matches_funnelplotr_target_phi_tau2_and_adjusted(vigil,
                                                                 case):
    rows, summary = vigil(case)
    _, _, want = expected(*case)
    assert summary["groups"] == want["groups"] == len(rows)
    assert summary["adjusted"] is want["adjusted"]
    assert close(summary["target"], want["target"], 1e-14)
    assert all(close(float(r["target"]), want["target"], 1e-14)
               for r in rows)
    # FunnelPlotR reports phi = 0 when not adjusting (its fault 5); Vigil
    # reports the dispersion ratio it estimated, FunnelPlotR's before that.
    assert close(summary["phi"], want["phi_estimated"], 1e-9)
    assert close(summary["tau2"], want["tau2"], 1e-9, 1e-15)


@pytest.mark.parametrize("case", NOT_CQC, ids=case_id)
def test_limits_match_funnelplotr_up_to_z_rounding_except_known_faults(
        vigil, case):
    rows, _ = vigil(case)
    ref, correct = expected(*case)[:2]
    keep = [i for i, c in enumerate(correct) if not c["fault"]]
    shift = {(i, col): abs(float(correct[i][col]) - float(ref[i][col]))
             for i in keep for col in LIMITS}
    index = {r["group"]: i for i, r in enumerate(ref)}
    bad = mismatches([rows[i] for i in keep], [ref[i] for i in keep],
                     lambda w, col: (REL_FPR,
                                     shift[index[w["group"]], col]))
    assert bad == []


@pytest.mark.parametrize("case", NOT_CQC, ids=case_id)
def test_flags_match_funnelplotr_except_known_faults(vigil, case):
    rows, _ = vigil(case)
    ref, correct = expected(*case)[:2]
    bad = [(w["group"], col, v[col], w[col])
           for v, w, c in zip(rows, ref, correct) if not c["fault"]
           for col in FLAGS if v[col] != w[col]]
    assert bad == []


@pytest.mark.parametrize("case", WITH_FAULTS, ids=case_id)
def test_arcsine_limits_do_not_wrap_round_at_small_n_unlike_funnelplotr(
        vigil, case):
    rows, _ = vigil(case)
    ref, correct = expected(*case)[:2]
    faults = [i for i, c in enumerate(correct) if c["fault"]]
    assert faults
    for i in faults:
        v, w, c = rows[i], ref[i], correct[i]
        for col in LIMITS:
            assert close(float(v[col]), float(c[col]), REL_EXACT, 1e-12), (
                c["group"], col, v[col], c[col], c["fault"])
            if col in c["fault"]:
                # The wrapped value is off by far more than z rounding.
                assert abs(float(v[col]) - float(w[col])) > 1e-3, c["fault"]
        assert (v["flag_95"], v["flag_99.8"]) == (
            c["flag_95"], c["flag_99.8"]), c["fault"]


@pytest.mark.parametrize("case", CQC_CASES, ids=case_id)
def test_sqrt_scale_limits_are_squared_unlike_funnelplotr_cqc(vigil, case):
    rows, _ = vigil(case)
    ref, correct = expected(*case)[:2]
    for v, w, c in zip(rows, ref, correct):
        for col in LIMITS:
            assert close(float(v[col]), float(c[col]), REL_EXACT), (
                c["group"], col, v[col], c[col])
            # FunnelPlotR's unsquared limit is nowhere near.
            assert abs(float(w[col]) - float(c[col])) > 0.1, c["group"]
        assert (v["flag_95"], v["flag_99.8"]) == (
            c["flag_95"], c["flag_99.8"]), c["group"]
    assert any(w["flag_95"] != c["flag_95"] for w, c in zip(ref, correct))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_limit_and_flag_equals_the_formulas_with_exact_z(vigil, case):
    rows, _ = vigil(case)
    correct = expected(*case)[1]
    assert mismatches(rows, correct, lambda w, col: (REL_EXACT, 1e-12)) == []
    assert [(r["flag_95"], r["flag_99.8"]) for r in rows] == [
        (c["flag_95"], c["flag_99.8"]) for c in correct]
