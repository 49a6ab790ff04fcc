"""Writes the attribute SPC fixtures in data/ from shared/data (see
data/README.md), and the two small synthetic fixtures.

Usage: make_fixtures.py [SHARED_DATA_DIR [OUTPUT_DIR]]
(defaults: $VIGIL_SHARED_DATA or shared/data beside the repository, and
data/ here).

Formats (what `vigil spc --chart` reads):
- series_id,period,numerator,denominator for p, pp, u and up (one file
  with a rebase column, 1 on the first point of a new phase);
- series_id,period,value for c, g and t.
Rows are sorted by series_id, then period; for g and t several rows of a
series share a period (several events in one month) and keep event order.
"""
import csv
import datetime
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_DATA = os.environ.get("VIGIL_SHARED_DATA", os.path.join(
    HERE, os.pardir, os.pardir, os.pardir, "shared", "data"))

# RFR and RWH each lack one month.
AE_TRUSTS = ("RFR", "RJ1", "RQM", "RRK", "RTH", "RWH")
MRSA_C_CCGS = ("00T", "01Y", "03Q", "10A", "11H", "11M", "14L", "99A")
MRSA_GAP_CCGS = ("00T", "03Q", "10A", "11H", "14L", "99A")  # >= 12 cases

RATE_HEADER = ["series_id", "period", "numerator", "denominator"]
VALUE_HEADER = ["series_id", "period", "value"]


def read(src, name):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(out, name, header, rows):
    with open(os.path.join(out, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def ae_type1(src, numerator):
    """Type-1 A&E rows of AE_TRUSTS: numerator (breaches or admissions)
    over attendances, by trust and month; absent months stay absent."""
    rows = [(r["org_code"], r["period"], int(r[numerator]),
             int(r["attendances"]))
            for r in read(src, "ae_attendances.csv")
            if r["type"] == "1" and r["org_code"] in AE_TRUSTS]
    assert all(n > 0 for _, _, _, n in rows)
    return sorted(rows)


def ed_single(src):
    """One hospital's 109 months: over 4 hours / all attendances."""
    return [("ED", r["month_start"], int(r["over_4h"]), int(r["att_all"]))
            for r in read(src, "ed_single_hospital_monthly_2015_2024.csv")]


REBASES = ("2020-04-01", "2021-07-01")


def ed_single_rebased(src):
    """The same with a rebase column: new phases (qicharts2 parts) from
    April 2020 (the first pandemic month) and July 2021."""
    return [r + (1 if r[1] in REBASES else 0,) for r in ed_single(src)]


def month_starts(rows):
    return sorted({r["period"] for r in rows})


def mrsa_monthly(src):
    """MRSA cases per CCG and month, 0 where the CCG has no row (the source
    lists only months with a case)."""
    rows = read(src, "hcai_mrsa_ccg_monthly_2016_2017.csv")
    months = month_starts(rows)
    cases = {(r["ccg_code"], r["period"]): int(r["total_cases"])
             for r in rows}
    return [(c, m, cases.get((c, m), 0))
            for c in MRSA_C_CCGS for m in months]


def month_index(period):
    d = datetime.date.fromisoformat(period)
    return d.year * 12 + d.month - 1


def mrsa_events(src, ccg):
    """The CCG's cases as a list of months (a month repeated per case)."""
    events = []
    for r in read(src, "hcai_mrsa_ccg_monthly_2016_2017.csv"):
        if r["ccg_code"] == ccg:
            events += [r["period"]] * int(r["total_cases"])
    return sorted(events)


def mrsa_months_between(src):
    """g: for each case after a CCG's first, the months since the previous
    case (0 for a further case in the same month); period = its month."""
    out = []
    for ccg in MRSA_GAP_CCGS:
        ev = mrsa_events(src, ccg)
        for prev, cur in zip(ev, ev[1:]):
            out.append((ccg, cur, month_index(cur) - month_index(prev)))
    return out


def mid_month(period):
    return datetime.date.fromisoformat(period).replace(day=15)


def mrsa_days_between(src):
    """t: days between consecutive months with a case, dating each case the
    15th of its month. A second case in the same month would give 0 days,
    which the t chart cannot take (qicharts2 stops), so such cases are left
    out: one event per month with at least one case."""
    out = []
    for ccg in MRSA_GAP_CCGS:
        months = sorted(set(mrsa_events(src, ccg)))
        for prev, cur in zip(months, months[1:]):
            out.append((ccg, cur,
                        (mid_month(cur) - mid_month(prev)).days))
    return out


# Synthetic fixtures: missing and degenerate points. Periods as YYYY-MM
# (the other accepted form); NA, NaN and empty fields all mean missing.

def synthetic_rates():
    """Rates with missing fields, a zero denominator, a constant series, a
    single point and all-zero counts."""
    rows = []
    # S1: missing numerator (NA), missing denominator (empty), 0/0, NaN.
    s1 = [(21, 140), (25, 152), ("NA", 147), (19, 138), (30, ""),
          (24, 149), (18, 131), (0, 0), (27, 150), (22, "NaN"),
          (35, 151), (20, 142)]
    rows += [("S1_missing", "2021-%02d" % (i + 1), x, n)
             for i, (x, n) in enumerate(s1)]
    # S2: a positive count over a zero denominator in month 4.
    s2 = [(12, 100), (15, 110), (9, 95), (5, 0), (14, 104), (11, 98),
          (16, 120), (10, 101), (13, 99), (12, 97)]
    rows += [("S2_zero_den", "2021-%02d" % (i + 1), x, n)
             for i, (x, n) in enumerate(s2)]
    # S3: the same proportion every month (moving ranges of z all 0).
    rows += [("S3_constant", "2021-%02d" % (i + 1), 10, 100)
             for i in range(8)]
    # S4: one point.
    rows.append(("S4_single", "2021-01", 7, 50))
    # S5: no event at all.
    rows += [("S5_all_zero", "2021-%02d" % (i + 1), 0, n)
             for i, n in enumerate((40, 55, 38, 61, 47, 52))]
    return rows


def synthetic_values():
    """Positive values (so that c, g and t all take them) with missing
    fields, a wide spread (t: lower 2-sigma limit negative on the
    transformed scale), one point, and a constant series."""
    rows = []
    v1 = [6, 3, "NA", 8, 5, "", 4, 7, "NaN", 2, 6, 9]
    rows += [("V1_missing", "2021-%02d" % (i + 1), v)
             for i, v in enumerate(v1)]
    v2 = [1, 400, 2, 900, 1, 650, 3, 1000, 1, 800]
    rows += [("V2_wide", "2021-%02d" % (i + 1), v) for i, v in enumerate(v2)]
    rows.append(("V3_single", "2021-01", 5))
    rows += [("V4_constant", "2021-%02d" % (i + 1), 4) for i in range(6)]
    return rows


FIXTURES = {
    # name: (header, builder(src))
    "ae_type1_breaches.csv": (RATE_HEADER, lambda s: ae_type1(s, "breaches")),
    "ae_type1_admissions.csv": (RATE_HEADER,
                                lambda s: ae_type1(s, "admissions")),
    "ed_single_hospital_over4h.csv": (RATE_HEADER, ed_single),
    "ed_single_hospital_over4h_rebased.csv": (RATE_HEADER + ["rebase"],
                                              ed_single_rebased),
    "mrsa_ccg_monthly.csv": (VALUE_HEADER, mrsa_monthly),
    "mrsa_months_between.csv": (VALUE_HEADER, mrsa_months_between),
    "mrsa_days_between.csv": (VALUE_HEADER, mrsa_days_between),
    "synthetic_rates.csv": (RATE_HEADER, lambda s: synthetic_rates()),
    "synthetic_values.csv": (VALUE_HEADER, lambda s: synthetic_values()),
}


def main(src=SHARED_DATA, out=os.path.join(HERE, "data")):
    os.makedirs(out, exist_ok=True)
    for name, (header, build) in FIXTURES.items():
        write(out, name, header, build(src))


if __name__ == "__main__":
    main(*sys.argv[1:3])
