"""vigil.funnel: funnel plots over a DataFrame, against values worked from the
formulas (include/vigil/funnel.h) and against `vigil funnel` itself."""
import csv
import decimal
import math
import os
import re
import subprocess
import sys
from statistics import NormalDist

import pytest

import vigil
from vigil import _native

pd = pytest.importorskip("pandas")

ROOT = os.environ.get("VIGIL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
Z95, Z998 = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.999)
USED = {"A": (30, 1000), "B": (52, 1400), "C": (12, 500), "F": (90, 1200)}
P0 = sum(n for n, _ in USED.values()) / sum(d for _, d in USED.values())


def trusts():
    """Four trusts, one with no death count (D) and one with no admissions (E)."""
    return pd.DataFrame({"trust": list("ABCDEF"), "deaths": [30, 52, 12, None, 0, 90],
                         "admissions": [1000, 1400, 500, 300, 0, 1200]})


def fit(**kwargs):
    """vigil.funnel on trusts(); D and E are not used, which warns."""
    with pytest.warns(UserWarning, match="2 of 6 groups not used"):
        return vigil.funnel(trusts(), numerator="deaths", denominator="admissions",
                            group="trust", **kwargs)


def sin2(angle):
    angle = min(max(angle, 0.0), math.pi / 2)
    return math.sin(angle) ** 2


def test_proportions_without_overdispersion_are_the_arcsine_limits_of_the_formula():
    out = fit(overdispersion="none")
    centre = math.asin(math.sqrt(P0))
    for _, row in out[out.status == "used"].iterrows():
        x, n = USED[row.group]
        assert math.isclose(row.value, x / n, rel_tol=1e-12)
        assert math.isclose(row.target, P0, rel_tol=1e-12)
        assert math.isclose(row.z, 2 * math.sqrt(n) * (math.asin(math.sqrt(x / n)) - centre),
                            rel_tol=1e-12)
        for label, z in (("95", Z95), ("99.8", Z998)):
            lo, hi = (sin2(centre - z / (2 * math.sqrt(n))), sin2(centre + z / (2 * math.sqrt(n))))
            assert math.isclose(row[f"lower_{label}"], lo, rel_tol=1e-12)
            assert math.isclose(row[f"upper_{label}"], hi, rel_tol=1e-12)
            assert row[f"flag_{label}"] == ("low" if x / n < lo else "high" if x / n > hi else "")
    assert out.set_index("group").loc["A", "flag_95"] == "low"
    assert out.set_index("group").loc["F", "flag_99.8"] == "high"


def test_columns_are_the_tools_plus_status_and_follow_the_limits():
    out = fit()
    assert list(out.columns) == ["group", "numerator", "denominator", "value", "target", "z",
                                 "lower_95", "upper_95", "lower_99.8", "upper_99.8", "flag_95",
                                 "flag_99.8", "status"]
    import numpy as np  # noqa: PLC0415 - pandas brings it

    out = fit(limits=np.array([90, 95.0]), overdispersion="none")
    assert list(out.columns[6:12]) == ["lower_90", "upper_90", "lower_95", "upper_95",
                                       "flag_90", "flag_95"]
    centre = math.asin(math.sqrt(P0))
    assert math.isclose(out.lower_90[0], sin2(centre - NormalDist().inv_cdf(0.95) /
                                              (2 * math.sqrt(1000))), rel_tol=1e-12)


def test_rows_keep_their_order_and_index_and_unused_groups_keep_their_place():
    df = trusts().set_index("trust").iloc[::-1]
    with pytest.warns(UserWarning, match=r"2 of 6 groups not used .*row 1 \(group 'E'\): "
                                         r"zero_denominator; row 2 \(group 'D'\): missing"):
        out = vigil.funnel(df, numerator="deaths", denominator="admissions")
    assert list(out.index) == list("FEDCBA")
    assert list(out.group) == list("FEDCBA")  # group=None: the index names the groups.
    unused = out.set_index("group").loc[["D", "E"]]
    assert list(unused.status) == ["missing", "zero_denominator"]
    assert unused[["value", "z", "lower_95", "upper_99.8"]].isna().all().all()
    assert list(unused.flag_95) == ["", ""]
    assert math.isnan(out.set_index("group").loc["D", "numerator"])


def test_attrs_hold_the_fit_with_phi_and_dersimonian_laird_tau2():
    out = fit(trim=0)
    centre = math.asin(math.sqrt(P0))
    z = [2 * math.sqrt(n) * (math.asin(math.sqrt(x / n)) - centre) for x, n in USED.values()]
    phi = sum(v * v for v in z) / 4
    w = [4 * n for _, n in USED.values()]
    tau2 = (4 * phi - 3) / (sum(w) - sum(v * v for v in w) / sum(w))
    a = out.attrs
    assert math.isclose(a["phi"], phi, rel_tol=1e-12)
    assert math.isclose(a["tau2"], tau2, rel_tol=1e-12)
    assert math.isclose(a["target"], P0, rel_tol=1e-12)
    assert (a["adjusted"], a["groups"], a["excluded"]) == (True, 4, 2)
    assert (a["scale"], a["limits"], a["overdispersion"]) == ("arcsine", "approximate",
                                                               "additive")
    sd = math.sqrt(1 / 4000 + tau2)
    assert math.isclose(out.lower_95[0], sin2(centre - Z95 * sd), rel_tol=1e-12)


def test_ratios_take_exact_poisson_limits_and_rates_a_multiplier():
    gamma = pytest.importorskip("scipy.stats").gamma
    df = pd.DataFrame({"o": [12, 30, 0, 51], "e": [10.5, 41.2, 3.1, 45.0]})
    out = vigil.funnel(df, numerator="o", denominator="e", type="ratio", overdispersion="none")
    for _, row in out.iterrows():
        e = row.denominator
        assert math.isclose(row.lower_95, gamma.ppf(0.025, e) / e, rel_tol=1e-9)
        assert math.isclose(row.upper_95, gamma.ppf(0.975, e + 1) / e, rel_tol=1e-9)
    assert out.attrs["limits"] == "exact" and out.attrs["scale"] == "log"
    assert out.flag_95[2] == "low"
    rates = vigil.funnel(df, numerator="o", denominator="e", type="rate", multiplier=1000,
                         target=900, exact=True, overdispersion="none")
    assert math.isclose(rates.value[0], 1000 * 12 / 10.5, rel_tol=1e-12)
    assert (rates.target == 900).all()


def test_matches_vigil_funnel_on_the_same_data(tmp_path):
    tool = os.environ.get("VIGIL_TOOL")
    if not tool:
        pytest.skip("VIGIL_TOOL is not set")
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    trusts().rename(columns={"trust": "group", "deaths": "numerator",
                             "admissions": "denominator"}).to_csv(src, index=False)
    r = subprocess.run([tool, "funnel", "--input", str(src), "--output", str(dst), "--type",
                        "proportion", "--limits", "90,99.8", "--multiplier", "100"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with open(dst, newline="") as f:
        cli = list(csv.DictReader(f))
    with pytest.warns(UserWarning):
        ours = vigil.funnel(trusts(), numerator="deaths", denominator="admissions",
                            group="trust", limits=(90, 99.8), multiplier=100)
    assert list(cli[0]) == list(ours.columns[:-1])
    for row, (_, mine) in zip(cli, ours.iterrows()):
        for column, text in row.items():
            if column == "group" or column.startswith("flag_"):
                assert mine[column] == text
            elif text == "":
                assert math.isnan(mine[column])
            else:
                assert float(text) == mine[column], column


@pytest.mark.parametrize("kwargs,error,needle", [
    ({"type": "percent"}, vigil.InvalidArgument, "type: 'percent' is not one of"),
    ({"type": 1}, TypeError, "type: expected text"),
    ({"overdispersion": "random"}, vigil.InvalidArgument, "overdispersion: 'random'"),
    ({"scale": "logit"}, vigil.InvalidArgument, "scale: 'logit'"),
    ({"scale": "log"}, vigil.InvalidArgument, "scale: log and sqrt are for ratios"),
    ({"exact": "yes"}, TypeError, "exact: expected True or False"),
    ({"limits": "95"}, TypeError, "limits: expected a sequence"),
    ({"limits": 95}, TypeError, "limits: expected a sequence"),
    ({"limits": {95, 99.8}}, TypeError, "limits: expected a sequence"),
    ({"limits": ()}, vigil.InvalidArgument, "limits: 1 to 8 limits, not 0"),
    ({"limits": tuple(range(10, 100, 10))}, vigil.InvalidArgument, "limits: 1 to 8"),
    ({"limits": (95, 95.0)}, vigil.InvalidArgument, "95 and 95.0 are the same limit"),
    ({"limits": (95, 100)}, vigil.InvalidArgument, "limits[1]: 100 is not a percentage"),
    ({"limits": (True,)}, TypeError, "limits[0]: expected a number"),
    ({"limits": (math.nan,)}, vigil.InvalidArgument, "limits[0]: nan is not a percentage"),
    ({"trim": 0.5}, vigil.InvalidArgument, "trim"),
    ({"trim": "0.1"}, TypeError, "trim: expected a number"),
    ({"multiplier": 0}, vigil.InvalidArgument, "multiplier"),
    ({"multiplier": None}, TypeError, "multiplier: expected a number"),
    ({"target": 2}, vigil.InvalidArgument, "target: 2 is not a proportion"),
    ({"target": math.inf}, vigil.InvalidArgument, "target"),
    ({"target": math.nan}, vigil.InvalidArgument, "target: NaN (pass None"),
    ({"target": "0.05"}, TypeError, "target: expected a number"),
    ({"numerator": "died"}, vigil.InvalidArgument, "numerator: no column 'died'"),
    ({"denominator": None}, TypeError, "denominator: a column name is required"),
    ({"group": "name"}, vigil.InvalidArgument, "group: no column 'name'"),
])
def test_bad_arguments_raise_naming_the_argument(kwargs, error, needle):
    with pytest.raises(error, match=re.escape(needle)):
        vigil.funnel(trusts(), **{"numerator": "deaths", "denominator": "admissions",
                                  "group": "trust", **kwargs})


@pytest.mark.parametrize("column,values,needle", [
    ("deaths", [30, "52", 12, None, 0, 90],
     "numerator: row 1 (index 1): expected a number, got str '52'"),
    ("deaths", [30, 52, math.inf, None, 0, 90], "numerator: row 2 (index 2): inf is not finite"),
    ("admissions", [1000, 1400, -500, 300, 0, 1200],
     "denominator: row 2 (index 2): -500 is negative"),
    ("deaths", [30, 52, 501, None, 0, 90],
     "numerator: row 2 (index 2): 501 is above the denominator 500"),
    ("deaths", [True, 52, 12, None, 0, 90], "numerator: row 0 (index 0): expected a number, got bool"),
    ("trust", ["A", "B", "A", "D", "E", "F"],
     "group: 'A' appears twice (rows 0 and 2); rows are groups: aggregate them first"),
    ("trust", ["A", None, "C", "D", "E", "F"], "group: row 1 has no group"),
])
def test_bad_data_raises_naming_the_column_and_row(column, values, needle):
    df = trusts()
    df[column] = pd.Series(values, dtype=object)
    with pytest.raises(vigil.InvalidArgument, match=re.escape(needle)):
        vigil.funnel(df, numerator="deaths", denominator="admissions", group="trust")


def test_a_duplicated_index_is_a_duplicate_group_when_the_index_names_them():
    df = trusts().set_index(pd.Index(list("ABCDEA")))
    with pytest.raises(vigil.InvalidArgument, match=r"group \(the index\): 'A' appears twice"):
        vigil.funnel(df, numerator="deaths", denominator="admissions")


def test_no_usable_group_is_failed_precondition():
    df = pd.DataFrame({"n": [None, 0.0], "d": [10.0, 0.0]})
    with pytest.raises(vigil.FailedPrecondition, match="no group"):
        vigil.funnel(df, numerator="n", denominator="d")


def test_a_zero_denominator_is_not_used_whatever_the_numerator_as_in_the_c_api():
    df = pd.DataFrame({"n": [3.0, 5.0, 6.0], "d": [100.0, 0.0, 120.0]})
    with pytest.warns(UserWarning, match=r"row 1 \(group 1\): zero_denominator"):
        out = vigil.funnel(df, numerator="n", denominator="d")
    assert list(out.status) == ["used", "zero_denominator", "used"]


def test_nullable_integer_columns_read_na_as_missing():
    df = trusts()
    df["deaths"] = df["deaths"].astype("Int64")
    with pytest.warns(UserWarning, match=r"\(group 'D'\): missing"):
        out = vigil.funnel(df, numerator="deaths", denominator="admissions", group="trust")
    assert out.status[3] == "missing" and out.status[0] == "used"


def test_decimal_counts_are_numbers():
    df = trusts()
    df["admissions"] = pd.Series([decimal.Decimal(v) for v in df["admissions"]], dtype=object)
    with pytest.warns(UserWarning):
        out = vigil.funnel(df, numerator="deaths", denominator="admissions", group="trust")
    assert out.value[0] == 0.03


def test_data_that_is_not_a_dataframe_is_a_type_error():
    with pytest.raises(TypeError, match="df: expected a pandas DataFrame, got dict"):
        vigil.funnel({"deaths": [1], "admissions": [2]}, numerator="deaths",
                     denominator="admissions")


def test_without_pandas_the_error_says_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="vigil.funnel needs pandas"):
        vigil.funnel(None, numerator="deaths", denominator="admissions")


def test_native_funnel_constants_equal_the_c_header():
    with open(os.path.join(ROOT, "include", "vigil", "vigil.h")) as f:
        header = {m.group(1): int(m.group(2)) for m in re.finditer(
            r"^#define VIGIL_FUNNEL_(\w+) (-?\d+)", f.read(), re.M)}
    assert _native.FUNNEL_TYPES == {"proportion": header["PROPORTION"],
                                    "ratio": header["RATIO"], "rate": header["RATE"]}
    assert _native.FUNNEL_OVERDISPERSION == {
        name: header["OVERDISPERSION_" + name.upper()]
        for name in ("none", "multiplicative", "additive")}
    assert _native.FUNNEL_SCALES == {None: header["SCALE_DEFAULT"],
                                     **{name: header["SCALE_" + name.upper()]
                                        for name in ("arcsine", "log", "sqrt")}}
    assert (_native.FUNNEL_LIMITS_DEFAULT, _native.FUNNEL_LIMITS_APPROXIMATE,
            _native.FUNNEL_LIMITS_EXACT) == (header["LIMITS_DEFAULT"],
                                             header["LIMITS_APPROXIMATE"],
                                             header["LIMITS_EXACT"])
    assert _native.FUNNEL_MAX_COVERAGES == header["MAX_COVERAGES"]
