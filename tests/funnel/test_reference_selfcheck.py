"""Checks the FunnelPlotR reference by itself: R's building blocks, values
worked by hand from the formulas, the faults it must keep, and that the
fixtures and expected files regenerate unchanged.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider \
     tests/funnel/test_reference_selfcheck.py
"""
import csv
import filecmp
import math
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import correct_limits  # noqa: E402
import funnelplotr_reference as fpr  # noqa: E402
import make_expected  # noqa: E402


def fixture_rows(name):
    with open(os.path.join(HERE, "data", name + ".csv"),
              encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return ([r["group"] for r in rows], [float(r["numerator"]) for r in rows],
            [float(r["denominator"]) for r in rows])


def fit(name, **args):
    return fpr.funnel_plot(*fixture_rows(name), **args)


# R's building blocks.

def test_seq_length_out_is_evenly_spaced_with_exact_ends():
    grid = fpr.r_seq(3.0, 10.0, 1000)
    assert len(grid) == 1000
    assert grid[0] == 3.0 and grid[-1] == 10.0
    assert grid[1] == 3.0 + 1 * (7.0 / 999)


def test_quantile_type7_interpolates_between_order_statistics():
    # R: quantile(c(10, 1, 4, 2, 3), c(0.1, 0.9)) = 1.4, 7.6
    x = [10.0, 1.0, 4.0, 2.0, 3.0]
    assert fpr.r_quantile7(x, 0.1) == pytest.approx(1.4, abs=1e-14)
    assert fpr.r_quantile7(x, 0.9) == pytest.approx(7.6, abs=1e-14)
    assert fpr.r_quantile7(x + [math.nan], 0.9) == fpr.r_quantile7(x, 0.9)


def test_rank_averages_ties():
    # R: rank(c(3, 1, 3, 2)) = 3.5 1.0 3.5 2.0
    assert fpr.r_rank_average([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]


def test_shmi_truncation_keeps_floor_rank_k_over_n_plus_1_in_1_to_8():
    # n = 20, k = 10: floor(rk * 10 / 21) in 1..8 keeps ranks 3..18.
    z = [float(v) for v in range(20)]
    kept = fpr.truncate(z, 0.1)
    assert [v for v in kept if not math.isnan(v)] == z[2:18]
    # n = 119 drops 11 at the bottom and 12 at the top (not symmetric).
    z = [float(v) for v in range(119)]
    kept = [i for i, v in enumerate(fpr.truncate(z, 0.1))
            if not math.isnan(v)]
    assert kept[0] == 11 and kept[-1] == 106


def test_tau2_is_zero_when_n_phi_below_n_minus_1_even_if_positive_after():
    s = [0.1, 0.2, 0.05]
    assert fpr.tau2_func(3.0, 0.6, s) == 0.0  # 1.8 < 2
    w = [100.0, 25.0, 400.0]
    want = (3 * 0.9 - 2) / (sum(w) - sum(v * v for v in w) / sum(w))
    # phi <= 1 but n phi >= n - 1: tau2 > 0 (fault 4).
    assert fpr.tau2_func(3.0, 0.9, s) == pytest.approx(want, rel=1e-14)


# Worked by hand from the formulas (domain.md section 5).

def test_small_proportion_funnel_worked_by_hand():
    groups = ["A", "B", "C", "D", "E"]
    x = [10.0, 30.0, 20.0, 45.0, 5.0]
    n = [100.0, 100.0, 100.0, 150.0, 50.0]
    p0 = 110.0 / 500.0
    a = math.asin(math.sqrt(p0))
    z = [(math.asin(math.sqrt(xi / ni)) - a) * 2 * math.sqrt(ni)
         for xi, ni in zip(x, n)]
    zs = sorted(z)
    q10 = zs[0] + 0.4 * (zs[1] - zs[0])  # index 1 + 4 * 0.1
    q90 = zs[3] + 0.6 * (zs[4] - zs[3])  # index 1 + 4 * 0.9
    zw = [min(max(v, q10), q90) for v in z]
    phi = sum(v * v for v in zw) / 5
    w = [4 * ni for ni in n]
    tau2 = (5 * phi - 4) / (sum(w) - sum(v * v for v in w) / sum(w))
    got = fpr.funnel_plot(groups, x, n, data_type="PR")
    assert got["target"] == pytest.approx(p0, rel=1e-15)
    assert got["phi"] == pytest.approx(phi, rel=1e-12)
    assert got["tau2"] == pytest.approx(tau2, rel=1e-12)
    assert got["adjusted"] is True
    sd = math.sqrt(1 / 400 + tau2)
    row = got["groups"]["A"]
    assert row["lower_95"] == pytest.approx(
        math.sin(a - 1.959964 * sd) ** 2, rel=1e-13)
    assert row["upper_99.8"] == pytest.approx(
        math.sin(a + 3.090232 * sd) ** 2, rel=1e-13)


def test_no_overdispersion_switches_to_unadjusted_limits():
    got = fpr.funnel_plot(["A", "B", "C", "D"], [10.0, 20.0, 30.0, 5.0],
                          [100.0, 200.0, 300.0, 50.0], data_type="PR")
    assert got["phi"] == 0.0 and got["adjusted"] is False
    a = math.asin(math.sqrt(0.1))
    assert got["groups"]["B"]["upper_95"] == pytest.approx(
        math.sin(a + 1.959964 / (2 * math.sqrt(200))) ** 2, rel=1e-13)


def test_exact_poisson_limits_at_expected_10_are_garwoods():
    # The exact 95% interval for 10 events is 4.7954 to 18.3904.
    cols = fpr.sr_limits([10.0], False, "SHMI", 0.0, 1)
    assert cols[0][0] == pytest.approx(0.47953887, rel=1e-8)
    assert cols[1][0] == pytest.approx(1.8390356, rel=1e-8)


def test_shmi_phi_and_tau2_on_the_ratio_fixture_by_sorting():
    groups, o, e = fixture_rows("ae_type1_ratio_2022-05")
    z = sorted((math.sqrt(ei) * math.log(oi / ei), ei)
               for oi, ei in zip(o, e))
    kept = z[10:-10]  # 108 groups: ranks 11..98 kept
    k = len(kept)
    phi = sum(v * v for v, _ in kept) / k
    w = [ei for _, ei in kept]  # 1 / s^2 = E
    tau2 = (k * phi - (k - 1)) / (sum(w) - sum(v * v for v in w) / sum(w))
    got = fpr.funnel_plot(groups, o, e, data_type="SR")
    assert got["phi"] == pytest.approx(phi, rel=1e-12)
    assert got["tau2"] == pytest.approx(tau2, rel=1e-10)
    row = got["groups"]["R0A"]
    sd = math.sqrt(1 / row["denominator"] + tau2)
    assert row["upper_95"] == pytest.approx(math.exp(1.959964 * sd),
                                            rel=1e-14)


# The faults the reference must keep.

def test_arcsine_wrap_round_survives_at_0_of_2_and_1_of_1():
    # domain.md: 0/2 gets a lower 95% limit of 0.0037 and is flagged low;
    # 1/1 an upper limit of 0.998 and is flagged high.
    got = fit("cancer_62d_2022-04", data_type="PR", draw_adjusted=False,
              draw_unadjusted=True)
    a = math.asin(math.sqrt(got["target"]))
    zero_of_two = got["groups"]["RBS"]
    assert zero_of_two["lower_95"] == pytest.approx(
        math.sin(a - 1.959964 / (2 * math.sqrt(2))) ** 2, rel=1e-13)
    assert round(zero_of_two["lower_95"], 4) == 0.0037
    assert zero_of_two["flag_95"] == "low"
    one_of_one = got["groups"]["RDR"]
    assert round(one_of_one["upper_95"], 3) == 0.998
    assert one_of_one["flag_95"] == "high"
    # The clamped angle gives 0 and 1: both inside.
    lo, _ = correct_limits.limits(2.0, "95", "PR", None, False,
                                  got["target"], 0.0)
    _, hi = correct_limits.limits(1.0, "95", "PR", None, False,
                                  got["target"], 0.0)
    assert (lo, hi) == (0.0, 1.0)


def test_wrapped_limit_before_a_rising_next_row_is_truncated():
    # Lower angle < 0 at n = 1 and 2; the next row (n = 2) is lower, so
    # n = 1 is set to 0 while n = 2, followed by the grid's 3, keeps its
    # wrapped value.
    got = fpr.funnel_plot(["A", "B", "C"], [0.0, 0.0, 40.0],
                          [1.0, 2.0, 100.0], data_type="PR",
                          draw_adjusted=False, draw_unadjusted=True)
    assert got["groups"]["A"]["lower_95"] == 0.0
    assert got["groups"]["B"]["lower_95"] > 0.0


def test_cqc_limits_are_not_squared():
    got = fit("ae_type1_ratio_2022-05", data_type="SR", sr_method="CQC")
    row = got["groups"]["R0A"]
    sd = math.sqrt(1 / (4 * row["denominator"]) + got["tau2"])
    assert row["lower_95"] == pytest.approx(1 - 1.959964 * sd, rel=1e-14)
    assert row["upper_99.8"] == pytest.approx(1 + 3.090232 * sd, rel=1e-14)


def test_unadjusted_run_reports_phi_and_tau2_as_zero():
    got = fit("ae_type1_2022-05", data_type="PR", draw_adjusted=False,
              draw_unadjusted=True)
    assert (got["phi"], got["tau2"], got["adjusted"]) == (0.0, 0.0, False)
    assert got["phi_estimated"] > 1


def test_shmi_value_uses_the_unrounded_expected():
    got = fpr.funnel_plot(["A", "B", "C"], [10.0, 12.0, 8.0],
                          [10.004, 11.0, 9.0], data_type="SR",
                          draw_adjusted=False, draw_unadjusted=True)
    row = got["groups"]["A"]
    assert row["denominator"] == 10.0
    assert row["value"] == 10.0 / 10.004


def test_flag_is_inside_on_the_limit():
    assert fpr.flag(0.0, 0.0, 0.5) == ""
    assert fpr.flag(0.5, 0.0, 0.5) == ""
    assert fpr.flag(0.6, 0.0, 0.5) == "high"
    assert fpr.flag(-0.1, 0.0, 0.5) == "low"


# Reproducibility.

def test_expected_files_regenerate_unchanged(tmp_path):
    make_expected.main(str(tmp_path))
    names = sorted(os.listdir(tmp_path))
    assert names == sorted(os.listdir(os.path.join(HERE, "expected")))
    _, mismatch, errors = filecmp.cmpfiles(tmp_path, os.path.join(
        HERE, "expected"), names, shallow=False)
    assert mismatch == [] and errors == []
