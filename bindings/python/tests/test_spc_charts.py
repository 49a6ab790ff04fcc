"""vigil.spc(chart=...): attribute charts from Python, against values worked
from the formulas (include/vigil/attribute_spc.h) and against `vigil spc
--chart` on the qicharts2 cross-check's real A&E fixture."""
import csv
import math
import os
import subprocess

import pytest

import vigil

pd = pytest.importorskip("pandas")

ROOT = os.environ.get("VIGIL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
AE = os.path.join(ROOT, "tests", "attribute_spc", "data", "ae_type1_breaches.csv")


def test_p_chart_from_lists_in_percent():
    rows = vigil.spc([10, 12, 30], chart="p", denominator=[100, 110, 100], multiplier=100)
    p = 52 / 310
    s = math.sqrt(p * (1 - p) / 100)
    assert rows[0]["centre"] == pytest.approx(100 * p, rel=1e-14)
    assert rows[0]["upper"] == pytest.approx(100 * (p + 3 * s), rel=1e-14)
    assert rows[2]["sigma_signal"] is True
    assert rows[2]["special_cause_type"] == "Above UCL"
    assert rows[0]["longest_run_max"] == 5  # round(log2(3)) + 3


def test_c_chart_with_anhoej_rules_has_no_mdc_labels():
    rows = vigil.spc([2, 4, 6, 0], chart="c", rules="anhoej")
    assert "special_cause_type" not in rows[0]
    assert rows[0]["upper"] == pytest.approx(3 + 3 * math.sqrt(3))


def test_dataframe_with_named_columns_matches_the_tool(tmp_path):
    df = pd.read_csv(AE).rename(columns={"numerator": "breaches",
                                          "denominator": "attendances"})
    got = vigil.spc(df, chart="pp", numerator="breaches", denominator="attendances",
                    screen_mr=True)
    out = tmp_path / "o.csv"
    tool = os.environ.get("VIGIL_TOOL")
    if tool is None:
        pytest.skip("VIGIL_TOOL not set (sanitizer build has no tool)")
    r = subprocess.run([tool, "spc", "--chart", "pp", "--screen-mr", "--input", AE,
                        "--output", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(out, newline="") as f:
        want = list(csv.DictReader(f))
    assert len(got) == len(want)
    for (_, g), w in zip(got.iterrows(), want):
        assert g["series_id"] == w["series_id"] and g["period"] == w["period"]
        for column in ("value", "centre", "lower", "upper", "lower_2sigma", "upper_2sigma"):
            assert float(g[column]) == pytest.approx(float(w[column]), rel=1e-15, nan_ok=True)
        assert g["sigma_signal"] == (w["sigma_signal"] == "TRUE")
        assert g["special_cause_type"] == w["special_cause_type"]


@pytest.mark.parametrize("kwargs,needle", [
    (dict(chart="q"), "chart must be one of"),
    (dict(chart="p"), "denominator: the p chart needs"),
    (dict(chart="p", denominator=[1]), "denominator: 1 values for 2"),
    (dict(chart="c", rules="x"), "rules must be"),
    (dict(chart="c", multiplier="100"), "multiplier: expected a number"),
    (dict(chart="p", denominator=[4, 4], target="95"), "target: expected a number"),
    (dict(chart=1), "chart: expected a name"),
])
def test_bad_arguments_raise_invalid_argument(kwargs, needle):
    with pytest.raises(vigil.InvalidArgument, match=needle):
        vigil.spc([1, 3], **kwargs)


def test_a_proportion_above_one_names_the_index():
    with pytest.raises(vigil.InvalidArgument, match=r"numerators\[1\]"):
        vigil.spc([1, 5], chart="p", denominator=[4, 4])
