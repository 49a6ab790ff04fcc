"""Checks the qicharts2 0.8.1 reference by itself: R's building blocks,
values worked by hand from the formulas for every chart, degenerate input,
the runs analysis (points on the centre line included), and that the
fixtures and expected files regenerate unchanged.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider \
     tests/attribute_spc/test_reference_selfcheck.py
"""
import csv
import io
import math
import os
import sys
from fractions import Fraction

import pytest
from scipy.stats import binom

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_expected  # noqa: E402
import make_fixtures  # noqa: E402
import qicharts2_reference as q  # noqa: E402
import test_attribute_vs_qicharts2 as vs  # noqa: E402

NAN = math.nan
SIGMA = 1 / 1.128   # moving range -> sigma


def approx(x, rel=1e-12):
    return pytest.approx(x, rel=rel, abs=0.0)


def isnan(v):
    return isinstance(v, float) and math.isnan(v)


def col(res, key):
    return [r[key] for r in res]


def qic(y, n=None, **kw):
    return q.qic(list(range(1, len(y) + 1)), y, n, **kw)


# R's building blocks. -------------------------------------------------------

def test_round_halves_to_even():
    assert [q.r_round(v) for v in (0.5, 1.5, 2.5, 3.5, 2.4999)] == \
        [0.0, 2.0, 2.0, 4.0, 2.0]


def test_qbinom_matches_scipy_and_the_anhoej_table():
    for size in range(0, 400):
        assert q.qbinom_half(0.05, size) == binom.ppf(0.05, size, 0.5), size
    # Anhoej & Olesen (2014): minimum crossings for 10, 20, 24, 30 useful
    # points (size = n - 1).
    assert [q.qbinom_half(0.05, n - 1) for n in (10, 20, 24, 30)] == \
        [2.0, 6.0, 8.0, 10.0]


def test_no_binomial_cdf_lies_within_rs_qbinom_fuzz_of_five_percent():
    # R's search fuzzes p by about 64 machine epsilons; that matters only
    # if P(X <= k) is within ~1e-14 relative of 0.05 for some k. Exact
    # integers: P(X <= k) = total / 2^size, 0.05 (the double) = num / den.
    num, den = Fraction(0.05).as_integer_ratio()
    for size in range(1, 1000):
        total, term, scale = 0, 1, 2 ** size
        for k in range(size + 1):
            total += term                      # term = choose(size, k)
            term = term * (size - k) // (k + 1)
            gap = abs(total * den - num * scale)
            assert gap * 10 ** 12 > num * scale, (size, k)
            if total * den >= num * scale:
                break


def test_mean_median_diff_and_power_as_r():
    assert q.r_mean([0.1, 0.2, 0.3, NAN]) == 0.2  # exactly rounded mean
    assert isnan(q.r_mean([NAN]))
    assert q.r_median([3.0, 1.0, NAN, 2.0]) == 2.0
    assert q.r_median([4.0, 1.0, 3.0, 2.0]) == 2.5
    d = q.r_diff([1.0, NAN, 4.0, 6.0])
    assert isnan(d[0]) and isnan(d[1]) and d[2] == 2.0
    assert isnan(q.r_pow(-0.5, 3.6)) and q.r_pow(2.0, 3.6) == 2.0 ** 3.6


def test_makeparts():
    assert q.makeparts([3], 6) == [1, 1, 1, 2, 2, 2]
    assert q.makeparts([4, 2, 9, 0], 6) == [1, 1, 2, 2, 3, 3]
    assert q.makeparts(None, 3) == [1, 1, 1]


# Each chart against the formulas. -------------------------------------------

def test_p_chart():
    res = qic([10, 30, 20], [100, 200, 100], chart="p")
    cl = 60 / 400
    assert col(res, "cl") == [cl] * 3
    assert col(res, "y") == [0.1, 0.15, 0.2]
    for r, n in zip(res, (100, 200, 100)):
        s = math.sqrt(cl * (1 - cl) / n)
        assert r["ucl"] == approx(cl + 3 * s)
        assert r["lcl"] == approx(cl - 3 * s)
        assert r["ucl_95"] == approx(cl + 2 * s)
        assert r["lcl_95"] == approx(cl - 2 * s)


def test_p_chart_limits_clamped_to_zero_and_one():
    res = qic([2, 3], [5, 5], chart="p")      # cl 0.5, s = sqrt(0.05)
    assert res[0]["lcl"] == 0.0 and res[0]["ucl"] == 1.0
    assert res[0]["lcl_95"] == approx(0.5 - 2 * math.sqrt(0.05))
    assert res[0]["ucl_95"] == approx(0.5 + 2 * math.sqrt(0.05))
    res = qic([1, 1], [2, 2], chart="p")      # s = sqrt(0.125)
    assert (res[0]["lcl_95"], res[0]["ucl_95"]) == (0.0, 1.0)


def test_pp_chart_laney():
    y, n = [10, 20, 15], [100, 100, 100]
    res = qic(y, n, chart="pp")
    cl = 45 / 300
    s = math.sqrt(cl * (1 - cl) / 100)
    z = [(0.1 - cl) / s, (0.2 - cl) / s, (0.15 - cl) / s]
    amr = (abs(z[1] - z[0]) + abs(z[2] - z[1])) / 2
    sz = amr / 1.128
    for r in res:
        assert r["cl"] == cl
        assert r["ucl"] == approx(cl + 3 * s * sz)
        assert cl - 3 * s * sz < 0 and r["lcl"] == 0.0
        assert r["ucl_95"] == approx(cl + 2 * s * sz)
        assert r["lcl_95"] == approx(cl - 2 * s * sz)


def test_pp_screening_drops_moving_ranges_at_or_above_3267_times_mean():
    # Equal n, so z moves with y: eleven small steps and one jump.
    y = [50, 51, 50, 51, 50, 51, 50, 51, 50, 51, 50, 90]
    n = [1000] * 12
    cl = sum(y) / 12000
    s = math.sqrt(cl * (1 - cl) / 1000)
    z = [(v / 1000 - cl) / s for v in y]
    mr = [abs(b - a) for a, b in zip(z, z[1:])]
    amr = sum(mr) / 11
    kept = [m for m in mr if m < 3.267 * amr]
    assert len(kept) == 10
    off = qic(y, n, chart="pp")[0]
    on = qic(y, n, chart="pp", screenedmr=True)[0]
    assert off["ucl"] == approx(cl + 3 * s * amr / 1.128)
    assert on["ucl"] == approx(cl + 3 * s * (sum(kept) / 10) / 1.128)
    # p, u and c never screen.
    assert qic(y, n, chart="p", screenedmr=True)[0]["ucl"] == \
        qic(y, n, chart="p")[0]["ucl"]


def test_u_and_up_charts():
    y, n = [3, 5, 4, 12], [2, 2, 4, 4]
    cl = 24 / 12
    res = qic(y, n, chart="u", multiply=10)
    for r, ni in zip(res, n):
        s = math.sqrt(cl / ni)
        assert r["cl"] == approx(10 * cl)
        assert r["ucl"] == approx(10 * (cl + 3 * s))
        assert r["lcl"] == approx(10 * max(cl - 3 * s, 0))
        assert r["lcl_95"] == approx(10 * max(cl - 2 * s, 0))
    z = [(yi / ni - cl) / math.sqrt(cl / ni) for yi, ni in zip(y, n)]
    sz = sum(abs(b - a) for a, b in zip(z, z[1:])) / 3 / 1.128
    res = qic(y, n, chart="up")
    for r, ni in zip(res, n):
        s = math.sqrt(cl / ni) * sz
        assert r["ucl"] == approx(cl + 3 * s)
        assert r["lcl"] == approx(max(cl - 3 * s, 0.0))
        assert r["ucl_95"] == approx(cl + 2 * s)


def test_u_upper_limit_is_not_clamped_at_one():
    res = qic([30, 40], [10, 10], chart="u")
    assert res[0]["ucl"] == approx(3.5 + 3 * math.sqrt(0.35))


def test_c_chart():
    res = qic([2, 4, 6], chart="c")
    r = res[0]
    assert (r["cl"], r["lcl"], r["lcl_95"]) == (4.0, 0.0, 0.0)
    assert (r["ucl"], r["ucl_95"]) == (10.0, 8.0)
    res = qic([20, 30, 25], chart="c")
    assert res[0]["lcl"] == approx(25 - 15)
    assert res[0]["lcl_95"] == approx(25 - 10)


def test_g_chart_median_centre_limits_from_mean():
    res = qic([0, 2, 10], chart="g")
    r = res[0]
    assert r["cl"] == 2.0                       # median
    assert r["ucl"] == approx(4 + 3 * math.sqrt(20))   # mean 4
    assert r["ucl_95"] == approx(4 + 2 * math.sqrt(20))
    assert r["lcl"] == 0.0 and r["lcl_95"] == 0.0


def test_g_chart_baseline_median_and_mean():
    res = qic([1, 3, 100, 200], chart="g", freeze=2)
    assert res[3]["cl"] == 2.0
    assert res[3]["ucl"] == approx(2 + 3 * math.sqrt(6))


def test_t_chart_transforms_and_back():
    t = [1.0, 2.0, 3.0]
    y = [v ** 3.6 for v in t]
    res = qic(y, chart="t")
    # Transformed values (y^(1/3.6)) are 1, 2, 3 to within rounding:
    # centre 2, moving ranges 1 and 1, sigma 1/1.128.
    r = res[0]
    assert r["cl"] == approx(2 ** 3.6)
    assert r["ucl"] == approx((2 + 3 * SIGMA) ** 3.6)
    assert r["ucl_95"] == approx((2 + 2 * SIGMA) ** 3.6)
    assert r["lcl_95"] == approx((2 - 2 * SIGMA) ** 3.6)
    assert r["lcl"] == 0.0                     # 2 - 3 sigma < 0
    assert col(res, "y") == approx(y)


def test_t_chart_negative_transformed_two_sigma_limit_is_na():
    y = [v ** 3.6 for v in (1.0, 3.0, 1.0, 3.0)]
    r = qic(y, chart="t")[0]
    assert r["lcl"] == 0.0 and isnan(r["lcl_95"])   # (2 - 2*1.773)^3.6


def test_t_chart_stops_on_zero_time():
    with pytest.raises(q.TimeBetweenEventsError):
        qic([3.0, 0.0, 2.0], chart="t")


def test_t_chart_screening_is_the_i_charts():
    t = [2.0, 2.1, 1.9, 2.0, 2.2, 1.8, 2.0, 2.1, 1.9, 2.0, 2.1, 6.0]
    y = [v ** 3.6 for v in t]
    ty = [v ** (1 / 3.6) for v in y]
    cl = sum(ty) / len(ty)
    mr = [abs((b - cl) - (a - cl)) for a, b in zip(ty, ty[1:])]
    amr = sum(mr) / len(mr)
    kept = [m for m in mr if m < 3.267 * amr]
    assert len(kept) == len(mr) - 1
    off, on = qic(y, chart="t")[0], qic(y, chart="t", screenedmr=True)[0]
    assert off["ucl"] == approx((cl + 3 * amr / 1.128) ** 3.6)
    assert on["ucl"] == approx((cl + 3 * sum(kept) / len(kept) / 1.128)
                               ** 3.6)


def test_multiply_scales_values_centre_and_limits():
    a = qic([3, 5, 4], [200, 300, 250], chart="u")
    b = qic([3, 5, 4], [200, 300, 250], chart="u", multiply=1000)
    for ra, rb in zip(a, b):
        for k in ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95"):
            assert rb[k] == approx(1000 * ra[k])


# Phases, baseline, aggregation. -------------------------------------------

def test_part_splits_centre_limits_and_runs():
    res = qic([1, 2, 3, 10, 11, 12], chart="c", part=[3])
    assert col(res, "cl") == [2.0] * 3 + [11.0] * 3
    assert col(res, "part") == [1, 1, 1, 2, 2, 2]
    assert col(res, "n_useful") == [2] * 3 + [2] * 3


def test_freeze_sets_the_baseline_but_runs_use_every_point():
    res = qic([1, 2, 3, 10, 11, 12], chart="c", freeze=3)
    assert col(res, "cl") == [2.0] * 6
    assert res[0]["n_useful"] == 5 and res[0]["longest_run"] == 4


def test_rows_sharing_x_are_aggregated():
    res = q.qic([1, 1, 2], [3, 4, 5], [10, 20, 30], chart="p")
    assert len(res) == 2 and res[0]["y"] == 7 / 30 and res[0]["n"] == 30
    res = q.qic([1, 1, 2], [3, 4, 5], chart="g")
    assert res[0]["y"] == 3.5


# Missing and degenerate input. ----------------------------------------------

def test_missing_numerator_drops_the_whole_row():
    # complete.cases(): the denominator goes too, so the centre line is
    # that of the other rows; the row's limits are NA (n = 0).
    res = qic([10, NAN, 30], [100, 100, 100], chart="p")
    assert res[0]["cl"] == 40 / 200
    assert isnan(res[1]["y"]) and isnan(res[1]["ucl"]) and \
        isnan(res[1]["lcl_95"])
    assert res[0]["n_useful"] == 2


def test_missing_point_interrupts_the_moving_ranges():
    y, n = [10, 20, NAN, 15, 25], [100] * 5
    cl = 70 / 400
    s = math.sqrt(cl * (1 - cl) / 100)
    z = [(v / 100 - cl) / s for v in (10, 20, 15, 25)]
    amr = (abs(z[1] - z[0]) + abs(z[3] - z[2])) / 2   # 2->4 not a range
    r = qic(y, n, chart="pp")[0]
    assert r["ucl"] == approx(cl + 3 * s * amr / 1.128)


def test_zero_denominator_positive_count_is_inf_and_counts():
    res = qic([10, 5, 30], [100, 0, 100], chart="p")
    assert res[0]["cl"] == 45 / 200          # the 5 stays in the sum
    assert res[1]["y"] == math.inf and isnan(res[1]["ucl"])
    assert res[1]["sigma_signal"] is False
    assert res[0]["n_useful"] == 3           # Inf is above the centre


def test_zero_over_zero_is_missing():
    res = qic([10, 0, 30], [100, 0, 100], chart="p")
    assert res[0]["cl"] == 40 / 200 and isnan(res[1]["y"])
    assert res[0]["n_useful"] == 2


def test_c_missing_value_keeps_limits():
    res = qic([2, NAN, 6], chart="c")
    assert res[0]["cl"] == 4.0 and isnan(res[1]["y"])
    assert res[1]["ucl"] == 10.0


def test_single_point_charts():
    assert qic([7], [50], chart="p")[0]["ucl"] == approx(
        0.14 + 3 * math.sqrt(0.14 * 0.86 / 50))
    for chart in ("pp", "up"):
        r = qic([7], [50], chart=chart)[0]
        assert isnan(r["ucl"]) and isnan(r["lcl"])
    r = qic([5.0], chart="t")[0]
    assert isnan(r["ucl"]) and isnan(r["lcl_95"]) and r["lcl"] == 0.0
    r = qic([5], chart="c")[0]
    assert r["ucl"] == approx(5 + 3 * math.sqrt(5))
    for chart in ("p", "c", "g"):
        r = qic([5], [50] if chart == "p" else None, chart=chart)[0]
        assert r["n_useful"] == 0 and isnan(r["longest_run"])
        assert r["runs_signal"] is False


def test_all_zero_counts():
    res = qic([0, 0, 0], [40, 50, 60], chart="p")
    assert col(res, "ucl") == [0.0] * 3 and col(res, "lcl") == [0.0] * 3
    assert not any(col(res, "sigma_signal"))
    res = qic([0, 0, 0], [40, 50, 60], chart="pp")
    assert all(isnan(v) for v in col(res, "ucl"))


def test_constant_proportion_prime_charts():
    off = qic([10] * 5, [100] * 5, chart="pp")
    assert col(off, "ucl") == [0.1] * 5 and col(off, "lcl_95") == [0.1] * 5
    on = qic([10] * 5, [100] * 5, chart="pp", screenedmr=True)
    assert all(isnan(v) for v in col(on, "ucl"))   # every range screened


# Runs analysis. --------------------------------------------------------------

def test_points_on_the_centre_line_are_not_useful():
    # c chart, mean 1: the five 1s are on the centre line.
    y = [1, 2, 0, 0, 1, 2, 2, 1, 0, 0, 1, 1, 2]
    r = qic(y, chart="c")[0]
    assert r["cl"] == 1.0
    assert r["n_useful"] == 8
    # signs without the 1s: + - - + + - - +
    assert r["longest_run"] == 2 and r["n_crossings"] == 4
    assert r["longest_run_max"] == 6.0          # round(log2(8)) + 3
    assert r["n_crossings_min"] == 1.0          # qbinom(0.05, 7, 0.5)
    assert r["runs_signal"] is False


def test_long_run_and_few_crossings_signal():
    y = [1, 2, 1, 2, 1, 2, 1, 2, 9, 9, 9, 9]
    r = qic(y, chart="c")[0]          # mean 4: 8 below, then 4 above
    assert r["longest_run"] == 8 and r["longest_run_max"] == 7.0
    assert r["n_crossings"] == 1 and r["n_crossings_min"] == 3.0
    assert r["runs_signal"] is True


def test_sigma_signal_strictly_outside_and_na_is_false():
    res = qic([0, 0, 0, 12], chart="c")          # cl 3, ucl 3 + 3 sqrt 3
    assert col(res, "sigma_signal") == [False, False, False, True]
    res = qic([10, NAN], [100, 100], chart="p")
    assert col(res, "sigma_signal") == [False, False]


# Fixtures, expected files and the comparison. ------------------------------

SHARED = make_fixtures.SHARED_DATA


@pytest.mark.skipif(not os.path.isdir(SHARED),
                    reason="shared data not found (VIGIL_SHARED_DATA)")
def test_fixtures_regenerate_unchanged(tmp_path):
    make_fixtures.main(SHARED, str(tmp_path))
    for name in make_fixtures.FIXTURES:
        with open(os.path.join(HERE, "data", name), encoding="utf-8") as a, \
                open(tmp_path / name, encoding="utf-8") as b:
            assert a.read() == b.read(), name


def test_expected_files_regenerate_unchanged():
    for case in make_expected.CASES:
        buf = io.StringIO()
        w = csv.DictWriter(buf, make_expected.COLUMNS +
                           ("deviation", "qicharts2"), lineterminator="\n")
        w.writeheader()
        w.writerows(make_expected.expected(case))
        path = os.path.join(HERE, "expected",
                            make_expected.case_name(case) + ".csv")
        with open(path, encoding="utf-8", newline="") as f:
            assert f.read() == buf.getvalue(), path


def test_real_data_needs_no_deviation():
    for case in make_expected.CASES:
        if case[0].startswith("synthetic"):
            continue
        assert not any(r["deviation"] for r in make_expected.expected(case))


def test_fixture_facts():
    rates = make_expected.read_fixture("ae_type1_breaches")
    months = {}
    for r in rates:
        months.setdefault(r["series_id"], []).append(r["period"])
    assert "2016-11-01" not in months["RFR"] and len(months["RFR"]) == 35
    assert len(months["RRK"]) == 36
    assert len(make_expected.read_fixture("ed_single_hospital_over4h")) \
        == 109
    g = make_expected.read_fixture("mrsa_months_between")
    assert any(float(r["value"]) == 0 for r in g)
    t = make_expected.read_fixture("mrsa_days_between")
    assert all(float(r["value"]) > 0 for r in t)


def test_comparison_accepts_expected_and_flags_differences():
    want = make_expected.expected(
        make_expected.Case("synthetic_rates", "pp", screen=True))
    for w in want:
        assert vs.compare_row(dict(w), w) == []
    row = dict(want[0])
    row["period"] = row["period"] + "-01"        # YYYY-MM-DD echo is fine
    row["upper"] = "%.17g" % (float(row["upper"]) * (1 + 5e-10))
    assert vs.compare_row(row, want[0]) == []
    row["upper"] = "%.17g" % (float(row["upper"]) * (1 + 1e-8))
    row["runs_signal"] = "TRUE"
    row["crossings"] = "NA"
    assert [c for c, _, _ in vs.compare_row(row, want[0])] == \
        ["upper", "runs_signal", "crossings"]
    missing = next(w for w in want if w["numerator"] == "NA")
    row = dict(missing, numerator="", lower="nan")
    assert vs.compare_row(row, missing) == []
