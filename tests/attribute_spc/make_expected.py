"""Writes expected/ from the qicharts2 0.8.1 reference (qicharts2_reference).

For each case (fixture, chart, multiplier, screening, --fix-after) in CASES
it writes expected/CASE.csv: one row per fixture row, in the order `vigil
spc --chart` writes them (series_id, then period, file order kept within a
period), with the columns of Vigil's output (COLUMNS) holding what Vigil
must print, and two more:
  deviation  empty where that is exactly qicharts2's result; otherwise the
             columns where Vigil deliberately differs, and why (FINDINGS.md);
  qicharts2  on those rows, qicharts2's values of the differing columns
             ("column=value;...").

How qicharts2 is run (per series, as qicharts2 has no series column):
qic(x = seq_along(rows), y, n, chart = CHART, multiply = M, freeze = N,
part = P, return.data = TRUE) with options(qic.screenedmr = SCREEN), where
rows are the series' rows in Vigil's order, y the numerator (p, pp, u, up)
or the value (c, g, t), n the denominator (p, pp, u, up only), N the
--fix-after count (or NULL) and P the positions before each row whose
rebase column is 1 (or NULL); a missing field (NA, NaN, empty) is NA.
For fixtures with one row per period this is the same as x = period. For
g and t, where several events can share a month, x = period would make
qicharts2 average them into one point; Vigil keeps each event (row) as a
point, which is qicharts2 with x = event number.

What Vigil computes instead (its contract), and so the expected value:
- a point with a missing or zero denominator, or a missing numerator or
  value, is missing: it is analysed as qicharts2 analyses an NA row (value
  NaN, out of the centre line, of the moving ranges on both sides and of
  the runs analysis), and all four of its limits are NaN;
- t chart: lower_2sigma is 0 where the transformed 2-sigma lower limit is
  negative (qicharts2: NA), and lower is NaN where no limit can be computed
  (qicharts2: 0);
- value = numerator / denominator x multiplier, or value x multiplier
  (qicharts2's t value is (y^(1/3.6))^3.6: equal within 1e-12 relative);
- --fix-after N: the baseline is the first N present points (qicharts2's
  freeze counts rows, missing ones included).
A missing point's centre is the phase's centre line, as in qicharts2,
unless MISSING_POINT_CENTRE_NAN (FINDINGS.md section 4).

Usage: make_expected.py [OUTPUT_DIR]   (default: expected/ beside this file)
Prints, per case and series, the rows with deviations.
"""
import collections
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import qicharts2_reference as q  # noqa: E402

RATE_CHARTS = ("p", "pp", "u", "up")
VALUE_CHARTS = ("c", "g", "t")
LIMITS = ("lower", "upper", "lower_2sigma", "upper_2sigma")
RUNS = ("longest_run", "longest_run_max", "crossings", "crossings_min")
COLUMNS = ("series_id", "period", "numerator", "denominator", "value",
           "centre") + LIMITS + ("sigma_signal", "runs_signal") + RUNS
COMPARED = ("value", "centre") + LIMITS + ("sigma_signal", "runs_signal") \
    + RUNS
MISSING = ("", "NA", "NaN")
VALUE_REL = 1e-12
# Vigil writes centre NaN on a missing point (qicharts2: the phase centre).
# Not in Vigil's stated contract; see FINDINGS.md. False = expect the
# centre line, as qicharts2.
MISSING_POINT_CENTRE_NAN = False

Case = collections.namedtuple(
    "Case", "fixture chart multiplier screen fix_after",
    defaults=(1, False, None))

CASES = [
    Case("ae_type1_breaches", "p"),
    Case("ae_type1_breaches", "pp"),
    Case("ae_type1_breaches", "pp", screen=True),
    Case("ae_type1_breaches", "pp", fix_after=12),
    Case("ed_single_hospital_over4h", "p"),
    Case("ed_single_hospital_over4h", "pp"),
    Case("ed_single_hospital_over4h", "pp", screen=True),
    Case("ed_single_hospital_over4h_rebased", "p"),
    Case("ed_single_hospital_over4h_rebased", "pp"),
    Case("ed_single_hospital_over4h_rebased", "pp", screen=True),
    Case("ae_type1_admissions", "u"),
    Case("ae_type1_admissions", "u", 100),
    Case("ae_type1_admissions", "up"),
    Case("ae_type1_admissions", "up", screen=True),
    Case("ae_type1_admissions", "up", 100, True),
    Case("ae_type1_admissions", "up", 100, True, 12),
    Case("mrsa_ccg_monthly", "c"),
    Case("mrsa_ccg_monthly", "c", fix_after=6),
    Case("mrsa_months_between", "g"),
    Case("mrsa_months_between", "g", fix_after=6),
    Case("mrsa_days_between", "t"),
    Case("mrsa_days_between", "t", screen=True),
    Case("mrsa_days_between", "t", fix_after=6),
    Case("synthetic_rates", "p"),
    Case("synthetic_rates", "pp"),
    Case("synthetic_rates", "pp", screen=True),
    Case("synthetic_rates", "pp", fix_after=4),
    Case("synthetic_rates", "u"),
    Case("synthetic_rates", "up"),
    Case("synthetic_rates", "up", screen=True),
    Case("synthetic_values", "c"),
    Case("synthetic_values", "g"),
    Case("synthetic_values", "g", fix_after=4),
    Case("synthetic_values", "t"),
    Case("synthetic_values", "t", screen=True),
]


def case_name(case):
    name = "%s.%s" % (case.fixture, case.chart)
    if case.multiplier != 1:
        name += ".x%g" % case.multiplier
    if case.screen:
        name += ".screened"
    if case.fix_after:
        name += ".fix%d" % case.fix_after
    return name


def fixture_path(fixture):
    return os.path.join(HERE, "data", fixture + ".csv")


def vigil_args(case):
    """The `vigil spc` arguments after --input/--output for this case."""
    args = ["--chart", case.chart, "--rules", "anhoej"]
    if case.multiplier != 1:
        args += ["--multiplier", "%g" % case.multiplier]
    if case.screen:
        args.append("--screen-mr")
    if case.fix_after:
        args += ["--fix-after", "%d" % case.fix_after]
    return args


def parse(field):
    return math.nan if field is None or field.strip() in MISSING \
        else float(field)


def period_key(period):
    """YYYY-MM-DD or YYYY-MM, as a sortable date string."""
    p = period.strip()
    return p + "-01" if len(p) == 7 else p


def read_fixture(fixture):
    """Rows in Vigil's output order: series_id, then period (stable)."""
    with open(fixture_path(fixture), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted(rows, key=lambda r: (r["series_id"],
                                       period_key(r["period"])))


def series_groups(rows):
    groups = {}
    for r in rows:
        groups.setdefault(r["series_id"], []).append(r)
    return [groups[s] for s in sorted(groups)]


def is_missing(row, chart):
    if chart in RATE_CHARTS:
        x, n = parse(row["numerator"]), parse(row["denominator"])
        return math.isnan(x) or math.isnan(n) or n == 0
    return math.isnan(parse(row["value"]))


def parts(rows):
    """qicharts2's part argument from the rebase column: a new phase starts
    at each row marked 1 (part = the number of rows before it)."""
    return [i for i, r in enumerate(rows)
            if i > 0 and (r.get("rebase") or "").strip() == "1"] or None


def vigil_freeze(rows, case):
    """Vigil's baseline is the first fix_after PRESENT points; qicharts2's
    freeze counts rows. The qicharts2 freeze that gives Vigil's baseline."""
    present = 0
    for i, r in enumerate(rows):
        present += not is_missing(r, case.chart)
        if present == case.fix_after:
            return i + 1
    return None


def run_reference(rows, case, vigil):
    """qicharts2's result for one series; with vigil=True on the data as
    Vigil sees it (missing points as NA rows, baseline of present points)."""
    chart = case.chart
    x = list(range(1, len(rows) + 1))
    if chart in RATE_CHARTS:
        y = [parse(r["numerator"]) for r in rows]
        n = [parse(r["denominator"]) for r in rows]
        if vigil:
            for i, r in enumerate(rows):
                if is_missing(r, chart):
                    y[i] = n[i] = math.nan
    else:
        y = [parse(r["value"]) for r in rows]
        n = None
    freeze = case.fix_after
    if vigil and freeze:
        freeze = vigil_freeze(rows, case)
    return q.qic(x, y, n, chart=chart, multiply=case.multiplier,
                 freeze=freeze, part=parts(rows), screenedmr=case.screen)


def to_columns(row, res):
    out = {"series_id": row["series_id"], "period": row["period"],
           "numerator": row.get("numerator", ""),
           "denominator": row.get("denominator", ""),
           "value": res["y"], "centre": res["cl"], "lower": res["lcl"],
           "upper": res["ucl"], "lower_2sigma": res["lcl_95"],
           "upper_2sigma": res["ucl_95"],
           "sigma_signal": res["sigma_signal"],
           "runs_signal": res["runs_signal"],
           "longest_run": res["longest_run"],
           "longest_run_max": res["longest_run_max"],
           "crossings": res["n_crossings"],
           "crossings_min": res["n_crossings_min"]}
    if "numerator" not in row:
        out["numerator"] = out["denominator"] = ""
    return out


def vigil_value(row, case):
    if case.chart in RATE_CHARTS:
        if is_missing(row, case.chart):
            return math.nan
        return parse(row["numerator"]) / parse(row["denominator"]) * \
            case.multiplier
    return parse(row["value"]) * case.multiplier


def series_expected(rows, case):
    """(vigil, qicharts2) column dicts for one series."""
    qic = [to_columns(r, res) for r, res in
           zip(rows, run_reference(rows, case, False))]
    vig = [to_columns(r, res) for r, res in
           zip(rows, run_reference(rows, case, True))]
    for r, v in zip(rows, vig):
        v["value"] = vigil_value(r, case)
        if is_missing(r, case.chart):
            if MISSING_POINT_CENTRE_NAN:
                v["centre"] = math.nan
            for k in LIMITS:
                v[k] = math.nan
            v["sigma_signal"] = False
        if case.chart == "t":
            if math.isnan(v["upper"]):
                v["lower"] = math.nan
            if math.isnan(v["lower_2sigma"]) and \
                    not math.isnan(v["upper_2sigma"]):
                v["lower_2sigma"] = 0.0
    return vig, qic


def same(col, a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if col == "value":
        return abs(a - b) <= VALUE_REL * max(abs(a), abs(b))
    return a == b


def reason(row, rows, case, cols):
    """Why Vigil's row differs from qicharts2's (FINDINGS.md)."""
    chart = case.chart
    if chart in RATE_CHARTS and any(
            parse(r["denominator"]) == 0 and parse(r["numerator"]) > 0
            for r in rows):
        if parse(row["denominator"]) == 0:
            return "zero denominator: qicharts2 plots x/0 = Inf"
        return ("a zero denominator in the series: qicharts2 keeps its "
                "numerator in the centre line and its Inf in the runs")
    why = []
    if case.fix_after and vigil_freeze(rows, case) != case.fix_after:
        why.append("baseline of the first %d present points; qicharts2's "
                   "freeze counts rows" % case.fix_after)
    if is_missing(row, chart) and chart in VALUE_CHARTS and \
            set(cols) & set(LIMITS):
        why.append("missing point: qicharts2 draws limits on it")
    if is_missing(row, chart) and MISSING_POINT_CENTRE_NAN and \
            "centre" in cols:
        why.append("missing point: qicharts2 gives it the centre line")
    if chart == "t" and "lower" in cols and not is_missing(row, chart):
        why.append("t: no limit computable, qicharts2 lower 0")
    if chart == "t" and "lower_2sigma" in cols and \
            not is_missing(row, chart):
        why.append("t: transformed 2-sigma lower limit < 0, qicharts2 NA")
    return "; ".join(why) or "see FINDINGS.md"


def fmt(col, v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if col in ("series_id", "period", "numerator", "denominator"):
        return v
    if math.isnan(v):
        return "NA" if col in RUNS else "NaN"
    return "%.17g" % v


def expected(case):
    """Rows (dicts of strings) of expected/CASE.csv."""
    out = []
    for rows in series_groups(read_fixture(case.fixture)):
        vig, qic = series_expected(rows, case)
        for r, v, qv in zip(rows, vig, qic):
            cols = [c for c in COMPARED if not same(c, v[c], qv[c])]
            line = {c: fmt(c, v[c]) for c in COLUMNS}
            line["deviation"] = ("%s: %s" % ("|".join(cols),
                                             reason(r, rows, case, cols))
                                 if cols else "")
            line["qicharts2"] = ";".join("%s=%s" % (c, fmt(c, qv[c]))
                                         for c in cols)
            out.append(line)
    return out


def write(case, out_dir):
    lines = expected(case)
    path = os.path.join(out_dir, case_name(case) + ".csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS + ("deviation", "qicharts2"),
                           lineterminator="\n")
        w.writeheader()
        w.writerows(lines)
    return lines


def main(out_dir=os.path.join(HERE, "expected")):
    os.makedirs(out_dir, exist_ok=True)
    for case in CASES:
        counts = collections.Counter()
        for line in write(case, out_dir):
            if line["deviation"]:
                counts[(line["series_id"], line["deviation"])] += 1
        for (series, dev), k in sorted(counts.items()):
            print("%s %s: %d rows: %s" % (case_name(case), series, k, dev))


if __name__ == "__main__":
    main(*sys.argv[1:2])
