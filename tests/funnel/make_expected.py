"""Writes expected/ from the FunnelPlotR reference and the correct formulas.

For each case (fixture, configuration) in CASES:
  expected/FIXTURE.CONFIG.csv          FunnelPlotR 0.5.0, as reproduced by
                                       funnelplotr_reference.py;
  expected/FIXTURE.CONFIG.json         its phi, tau2, adjusted, target;
  expected/FIXTURE.CONFIG.correct.csv  the limits and flags as the formulas
                                       give them (correct_limits.py), with a
                                       `fault` column naming what FunnelPlotR
                                       gets wrong on that row (empty if
                                       nothing).
Rows are in the fixture's order; numerator and denominator as in the
fixture, the other numbers with 17 significant digits.
Usage: make_expected.py [OUTPUT_DIR]   (default: expected/ beside this file)
"""
import csv
import json
import os
import sys

import correct_limits
import funnelplotr_reference as fpr

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = ("95", "99.8")
LIMITS = ("lower_95", "upper_95", "lower_99.8", "upper_99.8")
COLUMNS = ("group", "numerator", "denominator", "value") + LIMITS + (
    "flag_95", "flag_99.8")

# FunnelPlotR arguments, and the `vigil funnel` arguments that ask for the
# same method.
CONFIGS = {
    "pr_adjusted": (
        {"data_type": "PR"},
        ["--type", "proportion", "--overdispersion", "additive"]),
    "pr_unadjusted": (
        {"data_type": "PR", "draw_adjusted": False, "draw_unadjusted": True},
        ["--type", "proportion", "--overdispersion", "none"]),
    "sr_shmi_adjusted": (
        {"data_type": "SR", "sr_method": "SHMI"},
        ["--type", "ratio", "--overdispersion", "additive"]),
    "sr_unadjusted": (
        {"data_type": "SR", "draw_adjusted": False, "draw_unadjusted": True},
        ["--type", "ratio", "--overdispersion", "none"]),
    "sr_cqc_adjusted": (
        {"data_type": "SR", "sr_method": "CQC"},
        ["--type", "ratio", "--overdispersion", "additive", "--scale",
         "sqrt"]),
}
PROPORTIONS = ("ae_type1_2022-05", "ae_type1_2019-03",
               "diagnostics_6wk_2022-04", "cancer_62d_2022-04",
               "cancer_62d_screening_2022-04")
RATIOS = ("ae_type1_ratio_2022-05",)
CASES = [(f, c) for f in PROPORTIONS for c in ("pr_adjusted",
                                                "pr_unadjusted")] + [
    (f, c) for f in RATIOS for c in ("sr_shmi_adjusted", "sr_unadjusted",
                                     "sr_cqc_adjusted")]


def num(x):
    return "%.17g" % x


def read_fixture(fixture):
    path = os.path.join(HERE, "data", fixture + ".csv")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run_reference(fixture, config):
    """The fixture's rows and FunnelPlotR's fit of them."""
    rows = read_fixture(fixture)
    fit = fpr.funnel_plot([r["group"] for r in rows],
                          [float(r["numerator"]) for r in rows],
                          [float(r["denominator"]) for r in rows],
                          **CONFIGS[config][0])
    return rows, fit


def correct_row(row, fit, args):
    """The correct limits (exact z) and flags of one FunnelPlotR row, and
    the fault text: the limits FunnelPlotR gets wrong beyond z rounding
    (compared with the correct formula at FunnelPlotR's rounded z), and
    the flags that differ."""
    data_type = args["data_type"]
    scale = args.get("sr_method", "SHMI")
    out, faults = {}, []
    for level in LEVELS:
        common = (row["denominator"], level, data_type, scale,
                  fit["adjusted"], fit["target"], fit["tau2"])
        exact = correct_limits.limits(*common)
        rounded = correct_limits.limits(
            *common, z=correct_limits.ROUNDED_Z[level])
        for side, e, r in zip(("lower", "upper"), exact, rounded):
            name = side + "_" + level
            out[name] = e
            got = row[name]
            if abs(got - r) > 1e-12 * abs(r) + 1e-15:
                faults.append("%s %s (correct %s): %s" % (
                    name, "%.6g" % got, "%.6g" % e, why(data_type, side)))
        out["flag_" + level] = correct_limits.flag(row["value"], *exact)
        if out["flag_" + level] != row["flag_" + level]:
            faults.append("flag_%s '%s' (correct '%s')" % (
                level, row["flag_" + level], out["flag_" + level]))
    out["fault"] = "; ".join(faults)
    return out


def why(data_type, side):
    if data_type == "PR":
        return ("arcsine angle below 0 wraps round" if side == "lower"
                else "arcsine angle above pi/2 wraps round")
    return "CQC limit not squared"


def write_case(fixture, config, outdir):
    rows, fit = run_reference(fixture, config)
    stem = os.path.join(outdir, "%s.%s" % (fixture, config))
    with open(stem + ".csv", "w", newline="", encoding="utf-8") as f, \
            open(stem + ".correct.csv", "w", newline="",
                 encoding="utf-8") as g:
        ref = csv.writer(f, lineterminator="\n")
        cor = csv.writer(g, lineterminator="\n")
        ref.writerow(COLUMNS)
        cor.writerow(COLUMNS + ("fault",))
        for r in rows:
            row = fit["groups"][r["group"]]
            head = [r["group"], r["numerator"], r["denominator"],
                    num(row["value"])]
            ref.writerow(head + [num(row[k]) for k in LIMITS]
                         + [row["flag_95"], row["flag_99.8"]])
            c = correct_row(row, fit, CONFIGS[config][0])
            cor.writerow(head + [num(c[k]) for k in LIMITS]
                         + [c["flag_95"], c["flag_99.8"], c["fault"]])
    summary = {k: fit[k] for k in ("target", "phi", "tau2", "adjusted",
                                   "phi_estimated", "tau2_estimated")}
    summary["groups"] = len(fit["groups"])
    summary["funnelplotr_arguments"] = CONFIGS[config][0]
    with open(stem + ".json", "w", encoding="utf-8") as f:
        f.write(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return summary


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for fixture, config in CASES:
        s = write_case(fixture, config, outdir)
        print("%-30s %-17s phi %-10.6g tau2 %-10.6g adjusted %s" % (
            fixture, config, s["phi"], s["tau2"], s["adjusted"]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE,
                                                             "expected"))
