#!/usr/bin/env python3
"""Derives the HCAI example (trajectories and CQUIN milestones) from ../shared/data.

Input (UKHSA/PHE HCAI mandatory surveillance samples from the hcaidcs R package,
OGL; see README.md beside this script):
  hcai_cdi_trust_R0A_onset_2017_2018.csv  C. difficile, trust R0A, Mar 2017 - Mar 2018
  hcai_mrsa_ccg_monthly_2016_2017.csv     MRSA bacteraemia by CCG, Jul 2016 - Jul 2017
                                          (a row only where the CCG-month had a case)
  hcai_england_monthly_2014_2015.csv      England totals, used only for the seasonal
                                          profile of the C. difficile trajectory
Output: providers.csv, indicators.csv, observations.csv, plans.csv beside this script.

  CDI_TA         R0A, monthly: trust-apportioned C. difficile cases (`apportioned`)
  CQUIN_CDI      R0A, quarterly: the same cases summed over each quarter of 2017/18
  CQUIN_CDI_PHC  R0A, quarterly: % of C. difficile cases with an onset category
                 (numerator hoha+coha+coia+coca, denominator total_cases)
  MRSA           15 CCGs, monthly: all MRSA bacteraemia cases (`total_cases`); a month
                 the file covers but does not list is written as 0
The illustrative objective, trajectory and milestones are set here; README.md says how.
Rows are written in a fixed order so the output is reproducible.
Usage: examples/hcai/make_data.py [SHARED_DATA_DIR] [OUT_DIR]
"""
import csv
import os
import sys
from fractions import Fraction

here = os.path.dirname(os.path.abspath(__file__))
data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared", "data")
out_dir = sys.argv[2] if len(sys.argv) > 2 else here


def read(name):
    with open(os.path.join(data_dir, name), newline="") as f:
        return list(csv.DictReader(f))


def months(first, last):
    """'2017-04' .. '2018-03' inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while True:
        p = "%04d-%02d" % (y, m)
        out.append(p)
        if p == last:
            return out
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def quarter(month):
    """Calendar quarter label of a month: '2017-05' -> '2017-Q2'."""
    return "%s-Q%d" % (month[:4], (int(month[5:7]) - 1) // 3 + 1)


YEAR = months("2017-04", "2018-03")  # 2017/18, the year judged
# Financial quarters of 2017/18 as calendar quarters (Q1 = Apr-Jun = 2017-Q2).
QUARTERS = ["2017-Q2", "2017-Q3", "2017-Q4", "2018-Q1"]

# --- C. difficile, R0A ------------------------------------------------------
cdi = {r["period"][:7]: r for r in read("hcai_cdi_trust_R0A_onset_2017_2018.csv")}
assert sorted(cdi) == months("2017-03", "2018-03"), sorted(cdi)
assert all(r["org_code"] == "R0A" for r in cdi.values())
apportioned = {p: int(r["apportioned"]) for p, r in cdi.items()}

# Illustrative objective: the file's one month of 2016/17 (Mar 2017) at a full
# year's rate, 10% lower, rounded to a whole case: 12 x 12 x 0.9 = 129.6 -> 130.
OBJECTIVE = round(apportioned["2017-03"] * 12 * 0.9)
assert OBJECTIVE == 130

# Trajectory: the objective profiled by England's monthly C. difficile cases of
# April 2014 - March 2015 (the last full financial year in the England file),
# rounded to whole cases by largest remainder so the months add up to it.
england = {r["month_start"][:7]: int(r["cdi"]) for r in read("hcai_england_monthly_2014_2015.csv")}
profile = [england[p] for p in months("2014-04", "2015-03")]
exact = [Fraction(OBJECTIVE * v, sum(profile)) for v in profile]
plan = [int(x) for x in exact]
for i in sorted(range(12), key=lambda i: (-(exact[i] - plan[i]), i))[:OBJECTIVE - sum(plan)]:
    plan[i] += 1
assert sum(plan) == OBJECTIVE
cdi_plan = dict(zip(YEAR, plan))

# CQUIN scheme 1 (all or nothing): trust-apportioned cases per quarter, each
# quarter's milestone the quarter's share of the trajectory.
cdi_quarter = {q: sum(apportioned[p] for p in YEAR if quarter(p) == q) for q in QUARTERS}
cquin_cdi_plan = {q: sum(cdi_plan[p] for p in YEAR if quarter(p) == q) for q in QUARTERS}

# CQUIN scheme 2 (linear): % of cases with an onset category (the prior-healthcare
# questions answered), pooled over the quarter; milestones rise through the year.
def categorised(r):
    return sum(int(r[c]) for c in ("hoha", "coha", "coia", "coca"))


for p in YEAR:  # Every case is categorised or counted as a prior-healthcare gap.
    r = cdi[p]
    assert categorised(r) + int(r["phc_all_blank"]) + int(r["phc_unknown_3_mo"]) == int(r["total_cases"]), p
phc = {q: (sum(categorised(cdi[p]) for p in YEAR if quarter(p) == q),
           sum(int(cdi[p]["total_cases"]) for p in YEAR if quarter(p) == q)) for q in QUARTERS}
cquin_phc_plan = dict(zip(QUARTERS, [80, 85, 90, 95]))

# --- MRSA bacteraemia, CCGs -------------------------------------------------
mrsa_rows = read("hcai_mrsa_ccg_monthly_2016_2017.csv")
MRSA_MONTHS = months("2016-07", "2017-07")  # What the file covers.
mrsa = {}
for r in mrsa_rows:
    key = (r["ccg_code"], r["period"][:7])
    assert key not in mrsa and key[1] in MRSA_MONTHS and int(r["total_cases"]) >= 1
    mrsa[key] = int(r["total_cases"])
totals = {}
for (ccg, _), n in mrsa.items():
    totals[ccg] = totals.get(ccg, 0) + n

# Greater Manchester (the trust's own health economy; the file has no geography,
# so the codes are listed): its ten CCGs of 2017/18, all in the file.
GREATER_MANCHESTER = ["00T", "00V", "00Y", "01D", "01G", "01W", "01Y", "02A", "02H", "14L"]
# England's CCGs with the most cases in the 13 months: 11 or more (8 CCGs; the
# next six tie at 10).
TOP = sorted(c for c, n in totals.items() if n >= 11)
assert len(TOP) == 8 and min(totals[c] for c in TOP) == 11
assert sum(1 for n in totals.values() if n == 10) == 6
CCGS = sorted(set(GREATER_MANCHESTER) | set(TOP))

# ODS names (the file gives codes only).
NAMES = {
    "00T": "NHS Bolton CCG", "00V": "NHS Bury CCG", "00Y": "NHS Oldham CCG",
    "01D": "NHS Heywood, Middleton and Rochdale CCG", "01G": "NHS Salford CCG",
    "01W": "NHS Stockport CCG", "01Y": "NHS Tameside and Glossop CCG",
    "02A": "NHS Trafford CCG", "02H": "NHS Wigan Borough CCG", "14L": "NHS Manchester CCG",
    "03Q": "NHS Vale of York CCG", "10A": "NHS South Kent Coast CCG",
    "11H": "NHS Bristol CCG", "11M": "NHS Gloucestershire CCG", "99A": "NHS Liverpool CCG",
}
assert sorted(NAMES) == CCGS, CCGS

# --- Files ------------------------------------------------------------------
def writer(name):
    f = open(os.path.join(out_dir, name), "w", newline="")
    return f, csv.writer(f, lineterminator="\n")


f, w = writer("providers.csv")
w.writerow(["id", "name", "type", "tags"])
w.writerow(["R0A", "Manchester University NHS Foundation Trust", "acute",
            "trust;area:greater_manchester"])
for c in CCGS:
    tags = ["ccg"]
    if c in GREATER_MANCHESTER:
        tags.append("area:greater_manchester")
    if c in TOP:
        tags.append("mrsa:most_cases_england")
    w.writerow([c, NAMES[c], "", ";".join(tags)])
f.close()

f, w = writer("indicators.csv")
w.writerow(["id", "name", "domain", "unit", "polarity", "frequency", "rate_multiplier", "tags"])
w.writerow(["CDI_TA", "C. difficile (trust-apportioned)", "safe", "count",
            "lower_is_better", "monthly", "", "hcai;objective"])
w.writerow(["MRSA", "MRSA bacteraemia", "safe", "count", "zero_tolerance", "monthly", "",
            "hcai;objective"])
w.writerow(["CQUIN_CDI", "C. difficile cases a quarter (trust-apportioned)", "safe",
            "count", "lower_is_better", "quarterly", "", "cquin"])
w.writerow(["CQUIN_CDI_PHC", "C. difficile cases with an onset category",
            "well_led", "percentage", "higher_is_better", "quarterly", "", "cquin"])
f.close()

f, w = writer("observations.csv")
w.writerow(["provider_id", "indicator_id", "period", "value", "numerator", "denominator"])
for p in sorted(apportioned):
    w.writerow(["R0A", "CDI_TA", p, apportioned[p], "", ""])
for q in QUARTERS:
    w.writerow(["R0A", "CQUIN_CDI", q, cdi_quarter[q], "", ""])
for q in QUARTERS:
    w.writerow(["R0A", "CQUIN_CDI_PHC", q, "", phc[q][0], phc[q][1]])
for c in CCGS:
    for p in MRSA_MONTHS:
        w.writerow([c, "MRSA", p, mrsa.get((c, p), 0), "", ""])
f.close()

f, w = writer("plans.csv")
w.writerow(["provider_id", "indicator_id", "period", "value"])
for p in YEAR:
    w.writerow(["R0A", "CDI_TA", p, cdi_plan[p]])
for q in QUARTERS:
    w.writerow(["R0A", "CQUIN_CDI", q, cquin_cdi_plan[q]])
for q in QUARTERS:
    w.writerow(["R0A", "CQUIN_CDI_PHC", q, cquin_phc_plan[q]])
for c in CCGS:  # Zero tolerance: a plan of 0 every month of 2016/17 and 2017/18.
    for p in months("2016-04", "2018-03"):
        w.writerow([c, "MRSA", p, 0])
f.close()

print("objective", OBJECTIVE, "trajectory", plan)
print("CQUIN_CDI actual", cdi_quarter, "milestones", cquin_cdi_plan)
print("CQUIN_CDI_PHC", {q: "%d/%d = %.2f%%" % (n, d, 100 * n / d) for q, (n, d) in phc.items()})
print("CCGs", CCGS)
