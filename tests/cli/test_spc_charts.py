"""End-to-end tests of `vigil spc --chart` (attribute charts) and of what the
XmR chart shares with them: NA read as missing, NaN written for limits that
cannot be computed. Expected numbers are worked from the formulas
(include/vigil/attribute_spc.h); the real-data comparison with qicharts2 is
tests/attribute_spc/."""
import csv
import math
import os
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ATTRIBUTE_COLUMNS = ("series_id,period,numerator,denominator,value,centre,lower,upper,"
                     "lower_2sigma,upper_2sigma,sigma_signal,runs_signal,longest_run,"
                     "longest_run_max,crossings,crossings_min").split(",")
MDC_COLUMNS = ["special_cause_type", "point_type", "variation_icon", "assurance"]


def spc(tmp_path, text, *args, expect=0):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(text)
    r = subprocess.run([TOOL, "spc", "--input", str(src), "--output", str(out), *args],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == expect, r.stderr
    if expect:
        return None, r
    with open(out, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        rows_header = reader.fieldnames
    return (rows, rows_header), r


def test_p_chart_rows_columns_and_limits_from_the_pooled_proportion(tmp_path):
    text = ("series_id,period,numerator,denominator\n"
            "T,2019-02,12,200\nT,2019-01,10,100\nT,2019-03,8,150\n")
    (rows, header), _ = spc(tmp_path, text, "--chart", "p", "--multiplier", "100")
    assert header == ATTRIBUTE_COLUMNS + MDC_COLUMNS
    assert [r["period"] for r in rows] == ["2019-01", "2019-02", "2019-03"]
    p = 30 / 450
    for r in rows:
        n = float(r["denominator"])
        s = math.sqrt(p * (1 - p) / n)
        assert float(r["centre"]) == pytest.approx(100 * p, rel=1e-15)
        assert float(r["upper"]) == pytest.approx(100 * (p + 3 * s), rel=1e-14)
        assert float(r["upper_2sigma"]) == pytest.approx(100 * (p + 2 * s), rel=1e-14)
        assert float(r["lower"]) == pytest.approx(100 * max(0, p - 3 * s), rel=1e-14)
        assert r["sigma_signal"] in ("TRUE", "FALSE")
    # Three useful points: longest run limit round(log2(3)) + 3 = 5.
    assert rows[0]["longest_run_max"] == "5" and rows[0]["crossings_min"] == "0"


def test_anhoej_rules_drop_the_making_data_count_columns(tmp_path):
    text = "series_id,period,value\n" + "".join(f"C,2019-{m:02d},{v}\n" for m, v in
                                               zip(range(1, 13), [3, 4, 2, 5, 3, 4, 9, 8, 9, 8, 9, 8]))
    (rows, header), _ = spc(tmp_path, text, "--chart", "c", "--rules", "anhoej")
    assert header == ATTRIBUTE_COLUMNS
    assert rows[0]["numerator"] == "" and rows[0]["denominator"] == ""
    mean = 72 / 12
    assert float(rows[0]["centre"]) == pytest.approx(mean)
    assert float(rows[0]["upper"]) == pytest.approx(mean + 3 * math.sqrt(mean))


def test_missing_and_zero_denominators_are_noted_and_written_nan(tmp_path):
    text = ("series_id,period,numerator,denominator\n"
            "T,2019-01,10,100\nT,2019-02,NA,100\nT,2019-03,5,0\nT,2019-04,12,100\n")
    (rows, _), r = spc(tmp_path, text, "--chart", "u")
    assert rows[1]["value"] == "NaN" and rows[1]["upper"] == "NaN"
    assert rows[2]["value"] == "NaN" and rows[2]["point_type"] == "missing"
    assert "1 point missing a number" in r.stderr and "line 3" in r.stderr
    assert "1 point with a zero denominator" in r.stderr and "line 4" in r.stderr
    assert float(rows[0]["centre"]) == pytest.approx(22 / 200)


def test_single_point_laney_limits_are_nan_with_a_note(tmp_path):
    (rows, _), r = spc(tmp_path, "series_id,period,numerator,denominator\nT,2019-01,3,10\n",
                       "--chart", "pp")
    assert rows[0]["upper"] == "NaN" and rows[0]["lower"] == "NaN"
    assert "single point" in r.stderr


def test_g_chart_keeps_events_of_one_period_in_file_order(tmp_path):
    text = "series_id,period,value\nG,2019-01,5\nG,2019-01,0\nG,2019-02,7\n"
    (rows, _), _ = spc(tmp_path, text, "--chart", "g")
    assert [r["value"] for r in rows] == ["5", "0", "7"]
    assert float(rows[0]["centre"]) == 5  # The median.


@pytest.mark.parametrize("chart,text,needle", [
    ("p", "series_id,period,numerator,denominator\nT,2019-01,5,4\n", "line 2: numerator 5 is above"),
    ("u", "series_id,period,numerator,denominator\nT,2019-01,-1,4\n", "line 2: column numerator: -1 is negative"),
    ("c", "series_id,period,value\nT,2019-01,x\n", "line 2: column value: 'x' is not a finite number"),
    ("t", "series_id,period,value\nT,2019-01,0\n", "line 2: column value: a time between events must be > 0"),
    ("p", "series_id,period,numerator,denominator\nT,2019-01,1,4\nT,2019-01,1,4\n", "two rows for 2019-01"),
    ("p", "series_id,period,value\nT,2019-01,1\n", "no 'numerator' column"),
    ("c", "series_id,period,value,value\nT,2019-01,1,2\n", "column 'value' appears twice"),
])
def test_bad_input_names_the_line_and_column(tmp_path, chart, text, needle):
    _, r = spc(tmp_path, text, "--chart", chart, expect=1)
    assert needle in r.stderr


@pytest.mark.parametrize("args,needle", [
    (["--chart", "x"], "--chart must be"),
    (["--chart", "p", "--rules", "nelson"], "--rules must be"),
    (["--chart", "c", "--screen-mr"], "--screen-mr applies to the pp, up and t"),
    (["--chart", "p", "--multiplier", "0"], "--multiplier must be"),
    (["--multiplier", "100"], "need an attribute chart"),
])
def test_flag_errors(tmp_path, args, needle):
    _, r = spc(tmp_path, "series_id,period,numerator,denominator,value\n", *args, expect=2)
    assert needle in r.stderr


def test_xmr_reads_na_as_a_gap_and_writes_nan_for_limits_it_cannot_compute(tmp_path):
    (rows, _), r = spc(tmp_path, "series_id,period,value\nA,2020-01,NA\nA,2020-02,NaN\nB,2020-01,4\n")
    assert "2 empty values skipped as gaps" in r.stderr
    assert rows[0]["point_type"] == "missing" and rows[0]["mean"] == "NaN"
    # One point: a mean but no moving range, so no limits.
    assert rows[2]["mean"] == "4" and rows[2]["upl"] == "NaN"
