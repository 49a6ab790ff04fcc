"""`vigil spc --chart` against qicharts2 0.8.1 (reproduced by
qicharts2_reference.py) on real NHS data and two synthetic fixtures.

VIGIL_TOOL must name the vigil binary. For each case of make_expected.CASES
the command

  $VIGIL_TOOL spc --chart CHART --input data/FIXTURE.csv --output OUT.csv
      --rules anhoej [--multiplier N] [--screen-mr] [--fix-after N]

is run once and its rows are compared with expected/CASE.csv, row by row
(series_id, then period, file order within a period):
- centre, lower, upper, lower_2sigma, upper_2sigma within 1e-9 relative
  (NaN equals NaN);
- value within 1e-12 relative;
- sigma_signal, runs_signal identical; longest_run, longest_run_max,
  crossings, crossings_min identical (NA where no point is useful);
- numerator and denominator echo the input (NA, NaN and empty all missing).
expected/CASE.csv holds qicharts2's result except on the rows whose
`deviation` column names where Vigil deliberately differs (FINDINGS.md);
there it holds Vigil's value, qicharts2's being in the `qicharts2` column.

Run: VIGIL_TOOL=build/dev/tools/vigil/vigil /usr/bin/python3 -m pytest -q \
     -p no:cacheprovider tests/attribute_spc/test_attribute_vs_qicharts2.py
"""
import csv
import math
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_expected  # noqa: E402

CASES = make_expected.CASES
COLUMNS = make_expected.COLUMNS
LIMITS = ("centre",) + make_expected.LIMITS
FLAGS = ("sigma_signal", "runs_signal")
RUNS = make_expected.RUNS
REL_LIMITS = 1e-9
REL_VALUE = 1e-12
MAX_REPORTED = 40


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tool():
    path = os.environ.get("VIGIL_TOOL")
    if not path:
        pytest.fail("VIGIL_TOOL is not set: point it at the vigil binary "
                    "(ctest sets it), e.g. "
                    "VIGIL_TOOL=build/dev/tools/vigil/vigil", pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail("VIGIL_TOOL=%s is not an executable file" % path,
                    pytrace=False)
    return path


def run_vigil(tool, case, out_dir):
    fixture = case[0]
    out = os.path.join(out_dir, make_expected.case_name(case) + ".csv")
    cmd = [tool, "spc", "--input", make_expected.fixture_path(fixture),
           "--output", out] + make_expected.vigil_args(case)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, "%s exited %d:\n%s%s" % (
        " ".join(cmd), proc.returncode, proc.stdout, proc.stderr)
    return out, cmd


def number(field):
    """A printed number; NA, NaN and empty are NaN."""
    f = (field or "").strip()
    if f in ("", "NA", "NaN", "nan", "-nan"):
        return math.nan
    return float(f)


def close(a, b, rel):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


def compare_row(got, want):
    """[(column, vigil, expected)] for the columns that do not match."""
    bad = []
    for col in ("series_id",):
        if got.get(col) != want[col]:
            bad.append((col, got.get(col), want[col]))
    if make_expected.period_key(got.get("period", "")) != \
            make_expected.period_key(want["period"]):
        bad.append(("period", got.get("period"), want["period"]))
    for col in ("numerator", "denominator"):
        if not close(number(got.get(col)), number(want[col]), 0.0):
            bad.append((col, got.get(col), want[col]))
    if not close(number(got.get("value")), number(want["value"]),
                 REL_VALUE):
        bad.append(("value", got.get("value"), want["value"]))
    for col in LIMITS:
        if not close(number(got.get(col)), number(want[col]), REL_LIMITS):
            bad.append((col, got.get(col), want[col]))
    for col in FLAGS:
        if (got.get(col) or "").strip() != want[col]:
            bad.append((col, got.get(col), want[col]))
    for col in RUNS:
        g, w = (got.get(col) or "").strip(), want[col]
        if w == "NA":
            ok = g == "NA"
        else:
            ok = g not in ("", "NA") and number(g) == number(w)
        if not ok:
            bad.append((col, got.get(col), want[col]))
    return bad


@pytest.mark.parametrize("case", CASES, ids=make_expected.case_name)
def test_vigil_matches_qicharts2(tool, case, tmp_path):
    out, cmd = run_vigil(tool, case, str(tmp_path))
    got = read_csv(out)
    with open(out, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    want = read_csv(os.path.join(
        HERE, "expected", make_expected.case_name(case) + ".csv"))
    problems = []
    if tuple(header[:len(COLUMNS)]) != COLUMNS:
        problems.append("header %s, expected %s" % (",".join(header),
                                                    ",".join(COLUMNS)))
    if len(got) != len(want):
        problems.append("%d rows, expected %d" % (len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        for col, gv, wv in compare_row(g, w):
            note = " [deviation: %s]" % w["deviation"] if w["deviation"] \
                else ""
            problems.append("row %d %s %s %s: vigil %r, expected %r%s" % (
                i + 2, w["series_id"], w["period"], col, gv, wv, note))
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append("... %d more" % (len(problems) - MAX_REPORTED))
        pytest.fail("%s\n%d mismatches:\n  %s" % (
            " ".join(cmd), len(problems), "\n  ".join(shown)),
            pytrace=False)


def test_every_case_has_an_expected_file():
    names = {make_expected.case_name(c) + ".csv" for c in CASES}
    present = set(os.listdir(os.path.join(HERE, "expected")))
    assert names == present
