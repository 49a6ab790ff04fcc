"""Writes the funnel fixtures in data/ from shared/data (see data/README.md).

Usage: make_fixtures.py [SHARED_DATA_DIR [OUTPUT_DIR]]
(defaults: $VIGIL_SHARED_DATA or shared/data beside the repository, and
data/ here). Each fixture has the columns group,numerator,denominator, one
row per provider (group = ODS code), sorted by group.
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_DATA = os.environ.get("VIGIL_SHARED_DATA", os.path.join(
    HERE, os.pardir, os.pardir, os.pardir, "shared", "data"))


def read(src, name):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(out, name, rows):
    rows = sorted(rows, key=lambda r: r[0])
    assert len({r[0] for r in rows}) == len(rows), name + ": duplicate group"
    with open(os.path.join(out, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["group", "numerator", "denominator"])
        for g, _, x, n in rows:
            w.writerow([g, fmt(x), fmt(n)])
    return rows


def fmt(x):
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def ae_2022_05(src):
    """Type-1 4-hour breaches: round(attendances * (1 - % within 4h)),
    trusts with type-1 attendances and a type-1 percentage."""
    rows = []
    for r in read(src, "nhse_ae_provider_2022-05.csv"):
        if r["attendances_type1"] in ("", "0") or \
                r["pct_within_4h_type1"] == "":
            continue
        att = int(r["attendances_type1"])
        exact = att * (1 - float(r["pct_within_4h_type1"]))
        breaches = math.floor(exact + 0.5)
        assert abs(exact - breaches) < 1e-6, r["org_code"]
        rows.append((r["org_code"], r["org_name"], breaches, att))
    return rows


def ae_2019_03(src):
    """Type-1 breaches / attendances, March 2019 (ae_attendances.csv)."""
    return [(r["org_code"], "", int(r["breaches"]), int(r["attendances"]))
            for r in read(src, "ae_attendances.csv")
            if r["period"] == "2019-03-01" and r["type"] == "1"
            and int(r["attendances"]) > 0]


def diagnostics(src):
    """Waiting 6+ weeks / waiting list; the one empty list (0/0) dropped."""
    return [(r["org_code"], r["org_name"], int(r["waiting_6plus_weeks"]),
             int(r["waiting_list_total"]))
            for r in read(src, "nhse_diagnostics_provider_2022-04.csv")
            if int(r["waiting_list_total"]) > 0]


def cancer(src, standard):
    """Breaches / total treated for one cancer standard (x.5 counts kept)."""
    return [(r["org_code"], r["org_name"], float(r["breaches"]),
             float(r["total_treated"]))
            for r in read(src, "nhse_cancer_waits_provider_2022-04.csv")
            if r["standard"] == standard and float(r["total_treated"]) > 0]


def ae_ratio(ae_rows):
    """Observed breaches / expected = attendances x national rate, 2 dp."""
    rate = sum(x for _, _, x, _ in ae_rows) / sum(n for _, _, _, n in ae_rows)
    rows = []
    for g, label, x, n in ae_rows:
        expected = round(n * rate, 2)
        assert round(expected, 2) == expected  # SHMI rounding is a no-op
        rows.append((g, label, x, expected))
    return rows


def main(src=SHARED_DATA, out=os.path.join(HERE, "data")):
    os.makedirs(out, exist_ok=True)
    ae = write(out, "ae_type1_2022-05.csv", ae_2022_05(src))
    write(out, "ae_type1_2019-03.csv", ae_2019_03(src))
    write(out, "diagnostics_6wk_2022-04.csv", diagnostics(src))
    write(out, "cancer_62d_2022-04.csv", cancer(src, "62 Days"))
    write(out, "cancer_62d_screening_2022-04.csv",
          cancer(src, "62 Days (Screening)"))
    write(out, "ae_type1_ratio_2022-05.csv", ae_ratio(ae))


if __name__ == "__main__":
    main(*sys.argv[1:3])
