"""End-to-end tests of `vigil funnel` on small hand-made CSVs.

Expected numbers are worked here from the formulas (include/vigil/funnel.h,
docs/funnel.md): arcsine limits sin^2(asin(sqrt(p0)) -+ z / (2 sqrt(n))),
Poisson limits from the gamma quantiles (SciPy), phi as the mean squared
z-score after winsorising at R's type 7 quantiles, tau^2 by DerSimonian-Laird.
"""
import csv
import json
import math
import os
import subprocess
from statistics import NormalDist, quantiles

import pytest

TOOL = os.environ["VIGIL_TOOL"]
Z = {c: NormalDist().inv_cdf(0.5 + c / 2) for c in (0.9, 0.95, 0.998)}

# Trusts' deaths and admissions; D has no count, E no admissions.
PROPORTIONS = ("group,numerator,denominator\n"
               "A,30,1000\nB,52,1400\nC,12,500\nD,,300\nE,0,0\nF,90,1200\n")
USED = {"A": (30, 1000), "B": (52, 1400), "C": (12, 500), "F": (90, 1200)}
P0 = sum(n for n, _ in USED.values()) / sum(d for _, d in USED.values())


def vigil(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=60)


def run(tmp_path, text, *args, expect=0):
    """Runs `vigil funnel` on `text`; returns (rows, header, result)."""
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(text)
    r = vigil("funnel", "--input", str(src), "--output", str(out), *args)
    assert r.returncode == expect, r.stderr
    if expect != 0:
        return None, None, r
    with open(out, newline="") as f:
        reader = csv.DictReader(f)
        return list(reader), reader.fieldnames, r


def close(actual, expected, rel=1e-12):
    return math.isclose(float(actual), expected, rel_tol=rel, abs_tol=1e-15)


def sin2(angle):
    angle = min(max(angle, 0.0), math.pi / 2)
    return math.sin(angle) ** 2


def arcsine_z(x, n, p0=P0):
    return 2 * math.sqrt(n) * (math.asin(math.sqrt(x / n)) - math.asin(math.sqrt(p0)))


def test_output_has_every_input_row_in_input_order_with_the_documented_columns(tmp_path):
    text = ("denominator,notes,group,numerator\n"
            "1200,x,Zeta,90\n500,,Alpha,12\n300,,Mu,\n1000,y,Beta,30\n0,,Nu,0\n1400,,Eta,52\n")
    rows, header, _ = run(tmp_path, text, "--type", "proportion")
    assert header == ["group", "numerator", "denominator", "value", "target", "z",
                      "lower_95", "upper_95", "lower_99.8", "upper_99.8", "flag_95",
                      "flag_99.8"]
    assert [r["group"] for r in rows] == ["Zeta", "Alpha", "Mu", "Beta", "Nu", "Eta"]
    assert [(r["numerator"], r["denominator"]) for r in rows] == [
        ("90", "1200"), ("12", "500"), ("", "300"), ("30", "1000"), ("0", "0"), ("52", "1400")]
    assert {r["flag_95"] for r in rows} <= {"", "low", "high"}


def test_proportions_without_overdispersion_are_arcsine_limits_worked_from_the_formula(
        tmp_path):
    rows, _, _ = run(tmp_path, PROPORTIONS, "--type", "proportion",
                     "--overdispersion", "none")
    centre = math.asin(math.sqrt(P0))
    for r in rows:
        if r["group"] not in USED:
            continue
        x, n = USED[r["group"]]
        assert close(r["value"], x / n)
        assert close(r["target"], P0)
        assert close(r["z"], arcsine_z(x, n))
        for label, c in (("95", 0.95), ("99.8", 0.998)):
            lo = sin2(centre - Z[c] / (2 * math.sqrt(n)))
            hi = sin2(centre + Z[c] / (2 * math.sqrt(n)))
            assert close(r[f"lower_{label}"], lo) and close(r[f"upper_{label}"], hi)
            assert r[f"flag_{label}"] == ("low" if x / n < lo else "high" if x / n > hi else "")
    flags = {r["group"]: (r["flag_95"], r["flag_99.8"]) for r in rows}
    assert flags["A"] == ("low", "") and flags["F"] == ("high", "high")


def test_limit_columns_follow_limits_as_typed(tmp_path):
    rows, header, _ = run(tmp_path, PROPORTIONS, "--type", "proportion",
                          "--overdispersion", "none", "--limits", "90, 95")
    assert header[6:] == ["lower_90", "upper_90", "lower_95", "upper_95", "flag_90", "flag_95"]
    a = rows[0]
    assert close(a["lower_90"], sin2(math.asin(math.sqrt(P0)) - Z[0.9] / (2 * math.sqrt(1000))))
    _, header, _ = run(tmp_path, PROPORTIONS, "--type", "proportion", "--limits", "99.8")
    assert header[6:] == ["lower_99.8", "upper_99.8", "flag_99.8"]


def test_summary_is_json_with_phi_tau2_and_how_the_limits_were_drawn(tmp_path):
    summary = tmp_path / "s.json"
    rows, _, _ = run(tmp_path, PROPORTIONS, "--type", "proportion", "--trim", "0",
                     "--summary", str(summary))
    s = json.loads(summary.read_text())
    z = [arcsine_z(x, n) for x, n in USED.values()]
    phi = sum(v * v for v in z) / len(z)
    w = [4 * n for _, n in USED.values()]
    tau2 = (len(z) * phi - (len(z) - 1)) / (sum(w) - sum(v * v for v in w) / sum(w))
    assert set(s) == {"target", "phi", "tau2", "adjusted", "groups", "excluded", "scale",
                      "limits", "overdispersion"}
    assert close(s["target"], P0) and close(s["phi"], phi) and close(s["tau2"], tau2)
    assert (s["adjusted"], s["groups"], s["excluded"]) == (True, 4, 2)
    assert (s["scale"], s["limits"], s["overdispersion"]) == ("arcsine", "approximate",
                                                               "additive")
    # Additive (the default): the limits at sqrt(s^2 + tau^2) on the scale.
    for r in rows:
        if r["group"] in USED:
            x, n = USED[r["group"]]
            sd = math.sqrt(1 / (4 * n) + tau2)
            assert close(r["lower_95"], sin2(math.asin(math.sqrt(P0)) - Z[0.95] * sd))
            assert close(r["z"], (math.asin(math.sqrt(x / n)) - math.asin(math.sqrt(P0))) / sd)


def test_phi_is_winsorised_at_the_trim_quantiles_by_default(tmp_path):
    counts = [(5, 400), (9, 420), (14, 380), (30, 500), (8, 450), (19, 410), (2, 390),
              (40, 600), (11, 430), (25, 470)]
    text = "group,numerator,denominator\n" + "".join(
        f"T{i},{x},{n}\n" for i, (x, n) in enumerate(counts))
    summary = tmp_path / "s.json"
    run(tmp_path, text, "--type", "proportion", "--overdispersion", "multiplicative",
        "--summary", str(summary))
    p0 = sum(x for x, _ in counts) / sum(n for _, n in counts)
    z = [arcsine_z(x, n, p0) for x, n in counts]
    deciles = quantiles(z, n=10, method="inclusive")  # R's type 7.
    low, high = deciles[0], deciles[-1]
    phi = sum(min(max(v, low), high) ** 2 for v in z) / len(z)
    s = json.loads(summary.read_text())
    assert close(s["phi"], phi) and s["adjusted"] is True and s["tau2"] == 0


def test_phi_that_cannot_be_estimated_is_null_and_nothing_is_adjusted(tmp_path):
    summary = tmp_path / "s.json"
    run(tmp_path, "group,numerator,denominator\nA,30,1000\nB,,10\n", "--type", "proportion",
        "--summary", str(summary))
    s = json.loads(summary.read_text())
    assert s["phi"] is None and s["adjusted"] is False and s["tau2"] == 0
    assert (s["groups"], s["excluded"]) == (1, 1)


def test_zero_denominator_and_missing_rows_are_reported_not_dropped(tmp_path):
    rows, _, r = run(tmp_path, PROPORTIONS, "--type", "proportion")
    assert len(rows) == 6
    for group in ("D", "E"):
        row = next(x for x in rows if x["group"] == group)
        assert [row[k] for k in ("value", "z", "lower_95", "upper_99.8", "flag_95")] == [""] * 5
        assert close(row["target"], P0)
    assert "in.csv line 5: group 'D' is not used: its numerator is missing" in r.stderr
    assert "in.csv line 6: group 'E' is not used: its denominator is 0" in r.stderr
    assert "warning" in r.stderr


def test_a_zero_denominator_is_not_used_whatever_the_numerator_as_in_the_c_api(tmp_path):
    rows, _, r = run(tmp_path, "group,numerator,denominator\nA,30,1000\nB,5,0\nC,12,500\n",
                     "--type", "proportion")
    assert rows[1]["value"] == "" and rows[1]["lower_95"] == ""
    assert "in.csv line 3: group 'B' is not used: its denominator is 0" in r.stderr


def test_ratios_take_exact_poisson_limits_around_one(tmp_path):
    gamma = pytest.importorskip("scipy.stats").gamma
    text = "group,numerator,denominator\nA,12,10.5\nB,30,41.2\nC,0,3.1\nD,51,45\n"
    rows, _, _ = run(tmp_path, text, "--type", "ratio", "--overdispersion", "none")
    for r in rows:
        o, e = float(r["numerator"]), float(r["denominator"])
        assert close(r["target"], 1) and close(r["value"], o / e)
        assert close(r["z"], math.log(max(o, 0.5) / e) * math.sqrt(e))
        for label, c in (("95", 0.95), ("99.8", 0.998)):
            tail = (1 - c) / 2
            assert close(r[f"lower_{label}"], gamma.ppf(tail, e) / e, 1e-9)
            assert close(r[f"upper_{label}"], gamma.ppf(1 - tail, e + 1) / e, 1e-9)
    assert rows[2]["flag_95"] == "low"  # Zero deaths where 3.1 were expected.


def test_rates_per_1000_around_a_given_target_are_exact_poisson(tmp_path):
    gamma = pytest.importorskip("scipy.stats").gamma
    text = "group,numerator,denominator\nW1,4,2000\nW2,19,3500\nW3,7,1500\n"
    summary = tmp_path / "s.json"
    rows, _, _ = run(tmp_path, text, "--type", "rate", "--multiplier", "1000", "--target", "3",
                     "--overdispersion", "none", "--summary", str(summary))
    for r in rows:
        events, exposure = float(r["numerator"]), float(r["denominator"])
        mu = 3 / 1000 * exposure
        assert close(r["value"], 1000 * events / exposure)
        assert close(r["target"], 3)
        assert close(r["lower_95"], 3 * gamma.ppf(0.025, mu) / mu, 1e-9)
        assert close(r["upper_95"], 3 * gamma.ppf(0.975, mu + 1) / mu, 1e-9)
    assert json.loads(summary.read_text())["limits"] == "exact"


def test_exact_proportions_are_spiegelhalters_interpolated_binomial(tmp_path):
    binom = pytest.importorskip("scipy.stats").binom

    def limit(n, p):
        r = 0
        while binom.cdf(r, n, P0) < p:
            r += 1
        f, below = binom.cdf(r, n, P0), binom.cdf(r - 1, n, P0)
        return min(1.0, max(0.0, (r - (f - p) / (f - below)) / n))

    summary = tmp_path / "s.json"
    rows, _, _ = run(tmp_path, PROPORTIONS, "--type", "proportion", "--exact",
                     "--overdispersion", "none", "--summary", str(summary))
    for r in rows:
        if r["group"] in USED:
            n = USED[r["group"]][1]
            assert close(r["lower_95"], limit(n, 0.025), 1e-9)
            assert close(r["upper_99.8"], limit(n, 0.999), 1e-9)
    assert json.loads(summary.read_text())["limits"] == "exact"


def test_sqrt_scale_and_multiplier_for_percentages(tmp_path):
    rows, _, _ = run(tmp_path, PROPORTIONS, "--type", "proportion", "--multiplier", "100",
                     "--overdispersion", "none")
    a = rows[0]
    assert close(a["value"], 3.0) and close(a["target"], 100 * P0)
    assert close(a["lower_95"],
                 100 * sin2(math.asin(math.sqrt(P0)) - Z[0.95] / (2 * math.sqrt(1000))))
    summary = tmp_path / "s.json"
    rows, _, _ = run(tmp_path, "group,numerator,denominator\nA,12,10\nB,30,40\n", "--type",
                     "ratio", "--scale", "sqrt", "--overdispersion", "none", "--summary",
                     str(summary))
    assert close(rows[1]["z"], (math.sqrt(30 / 40) - 1) * 2 * math.sqrt(40))
    assert json.loads(summary.read_text())["scale"] == "sqrt"


def test_group_names_are_quoted_and_formula_text_is_shown_as_text(tmp_path):
    text = 'group,numerator,denominator\n"Leeds, St James\'s",30,1000\n=HYPERLINK(1),52,1400\n'
    rows, _, _ = run(tmp_path, text, "--type", "proportion")
    assert [r["group"] for r in rows] == ["Leeds, St James's", "'=HYPERLINK(1)"]


@pytest.mark.parametrize("text,needle", [
    ("group,numerator,denominator\nA,30,1000\nB,abc,1400\n",
     "in.csv line 3, column numerator: 'abc' is not a number"),
    ("group,numerator,denominator\nA,30,1000\nB,52,1400\nC,12,-500\n",
     "in.csv line 4, column denominator: '-500' is negative"),
    ("group,numerator,denominator\nA,inf,1000\n",
     "in.csv line 2, column numerator: 'inf' is not finite"),
    ("group,numerator,denominator\nA,30,1000\nB,nan,1400\n",
     "in.csv line 3, column numerator: 'nan' is not a number (leave it empty"),
    ("group,numerator,denominator\nA,30,1000\nB,52,1400\nC,501,500\n",
     "in.csv line 4, column numerator: 501 is above the denominator 500"),
    ("group,numerator,denominator\nA,30,1000\nB,52,1400\nA,12,500\n",
     "in.csv lines 2 and 4, column group: 'A' appears twice (rows are groups"),
    ("group,numerator\nA,30\n", "in.csv line 1: no 'denominator' column"),
    ("group,numerator,denominator,Group\nA,30,1000,B\n",
     "in.csv line 1: column 'group' appears twice (columns 1 and 4)"),
    ("group,numerator,denominator\nA,30,1000\n,52,1400\n",
     "in.csv line 3, column group: the group name is empty"),
    ("group,numerator,denominator\nA,30,1000\nB,52\n",
     "in.csv line 3: 2 fields where the header has 3"),
    ("group,numerator,denominator\nA,30,1000\nB,\"52\"x,1400\n", "in.csv line 3: "),
    ("group,numerator,denominator\n", "in.csv: no data rows after the header"),
    ("", "in.csv: the file is empty"),
    ("group,numerator,denominator\nA,,1000\nB,0,0\n", "no group has both"),
])
def test_bad_input_is_an_error_naming_the_line_and_column_and_writes_nothing(
        tmp_path, text, needle):
    _, _, r = run(tmp_path, text, "--type", "proportion", expect=1)
    assert needle in r.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_ratio_may_observe_more_than_expected(tmp_path):
    rows, _, _ = run(tmp_path, "group,numerator,denominator\nA,501,500\nB,40,45\n",
                     "--type", "ratio")
    assert close(rows[0]["value"], 501 / 500)


def test_a_summary_that_cannot_be_written_leaves_no_output_behind(tmp_path):
    _, _, r = run(tmp_path, PROPORTIONS, "--type", "proportion", "--summary",
                  str(tmp_path / "no" / "such" / "dir.json"), expect=1)
    assert "cannot write" in r.stderr and "dir.json" in r.stderr
    assert not (tmp_path / "out.csv").exists()


def test_summary_and_output_cannot_be_one_file(tmp_path):
    out = str(tmp_path / "out.csv")
    _, _, r = run(tmp_path, PROPORTIONS, "--type", "proportion", "--summary", out, expect=2)
    assert "--summary and --output name the same file" in r.stderr


def test_an_output_that_cannot_be_written_leaves_no_summary_behind(tmp_path):
    src, summary = tmp_path / "in.csv", tmp_path / "s.json"
    src.write_text(PROPORTIONS)
    r = vigil("funnel", "--input", str(src), "--output", str(tmp_path / "no" / "out.csv"),
              "--type", "proportion", "--summary", str(summary))
    assert r.returncode == 1 and "cannot write" in r.stderr and "out.csv" in r.stderr
    assert not summary.exists()


def test_a_missing_input_file_is_an_error_naming_it(tmp_path):
    r = vigil("funnel", "--input", "/nonexistent/groups.csv", "--output",
              str(tmp_path / "o.csv"), "--type", "ratio")
    assert r.returncode == 1 and "/nonexistent/groups.csv" in r.stderr


@pytest.mark.parametrize("args,needle", [
    ([], "--type is required"),
    (["--type", "percent"], "--type must be proportion, ratio or rate, not 'percent'"),
    (["--type", "proportion", "--limits", "95,95.0"], "--limits: '95' and '95.0' are the same"),
    (["--type", "proportion", "--limits", "95,100"], "--limits: '100' is not a percentage"),
    (["--type", "proportion", "--limits", "0"], "--limits: '0' is not a percentage"),
    (["--type", "proportion", "--limits", "95%"], "--limits: '95%' is not a percentage"),
    (["--type", "proportion", "--limits", "0x10"], "--limits: '0x10' is not a percentage"),
    (["--type", "proportion", "--limits", "9.5e1"], "--limits: '9.5e1' is not a percentage"),
    (["--type", "proportion", "--limits", "+95"], "--limits: '+95' is not a percentage"),
    (["--type", "proportion", "--limits", "9.5.1"], "--limits: '9.5.1' is not a percentage"),
    (["--type", "proportion", "--limits", "95,,99"], "--limits '95,,99' has an empty item"),
    (["--type", "proportion", "--limits", "10,20,30,40,50,60,70,80,90"],
     "--limits: at most 8 limits, not 9"),
    (["--type", "proportion", "--overdispersion", "random"],
     "--overdispersion must be additive, multiplicative or none, not 'random'"),
    (["--type", "proportion", "--scale", "logit"], "--scale must be arcsine, log or sqrt"),
    (["--type", "ratio", "--scale", "arcsine"], "--scale arcsine is for proportions"),
    (["--type", "proportion", "--scale", "log"], "--scale log is for ratios and rates"),
    (["--type", "proportion", "--trim", "0.5"], "--trim 0.5 must be at least 0 and below 0.5"),
    (["--type", "proportion", "--trim", "lots"], "--trim 'lots' is not a finite number"),
    (["--type", "proportion", "--multiplier", "0"], "--multiplier 0 must be above 0"),
    (["--type", "proportion", "--target", "2"], "--target 2 must be from 0 to the multiplier"),
    (["--type", "ratio", "--target", "0"], "--target 0 must be above 0 for ratios"),
    (["--type", "rate", "--target", "nan"], "--target 'nan' is not a finite number"),
    (["--type", "proportion", "--exact=yes"], "--exact takes no value"),
    (["--type", "proportion", "--bogus", "1"], "unknown flag --bogus"),
])
def test_bad_flags_are_usage_errors_naming_the_flag(tmp_path, args, needle):
    src = tmp_path / "in.csv"
    src.write_text(PROPORTIONS)
    r = vigil("funnel", "--input", str(src), "--output", str(tmp_path / "o.csv"), *args)
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert "--overdispersion M" in r.stderr  # The usage follows.
    assert not (tmp_path / "o.csv").exists()


def test_help_explains_every_flag():
    for args in (["funnel", "--help"], ["help", "funnel"]):
        r = vigil(*args)
        assert r.returncode == 0
        for flag in ["--input", "--output", "--type", "--limits", "--overdispersion",
                     "--scale", "--exact", "--trim", "--target", "--multiplier", "--summary"]:
            assert flag in r.stdout
    assert "vigil funnel --input" in vigil("help").stdout
