#!/usr/bin/env python3
"""Derives the bundled NHS Early Warning example data from its real source
data, kept in the repository (examples/nhs_early_warning/source/, with its
origin and licence in that folder's README.md).

Input:  ae_attendances.csv (NHSRdatasets, CC0; NHS England A&E statistics,
        OGL v3.0), nhse_ae_provider_2022-05.csv (trust names, OGL v3.0) and
        the April 2022 cancer, diagnostics and RTT provider files (OGL v3.0).
Output: examples/nhs_early_warning/{observations,providers,indicators}.csv
        examples/nhs_early_warning/snapshot_2022-04/{observations,providers}.csv
        examples/spc/ae_type1_4hr.csv (input of 'vigil spc')

Per trust with a type-1 (major) A&E department and month:
  AE_4HR_T1  4-hour performance: numerator = attendances - breaches,
             denominator = attendances (value = 100 * num / den)
  AE_ATT_T1  type-1 attendances (count)
  AE_ADM_T1  emergency admissions via type-1 A&E (count)
  AE_BRE_T1  type-1 attendances over 4 hours (count of breaches)
  AE_4HR_ALL 4-hour performance over all the trust's A&E types (1, 2 and
             other: MIU/UTC/WIC): numerator = attendances - breaches,
             denominator = attendances, summed over the types that month

Rows are written in a fixed order so the output is reproducible.
Usage: scripts/make_example_data.py [SOURCE_DIR] [OUT_DIR [SPC_OUT_DIR]]
"""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "examples",
                                                              "nhs_early_warning", "source")
out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "examples", "nhs_early_warning")

with open(os.path.join(data_dir, "nhse_ae_provider_2022-05.csv"), newline="") as f:
    names = {r["org_code"]: r["org_name"] for r in csv.DictReader(f)}

rows = []
all_types = {}  # (org, period) -> [attendances, breaches] over every A&E type
with open(os.path.join(data_dir, "ae_attendances.csv"), newline="") as f:
    for r in csv.DictReader(f):
        total = all_types.setdefault((r["org_code"], r["period"][:7]), [0, 0])
        total[0] += int(r["attendances"])
        total[1] += int(r["breaches"])
        if r["type"] != "1":
            continue
        rows.append((r["org_code"], r["period"][:7], int(r["attendances"]),
                     int(r["breaches"]), int(r["admissions"])))
rows.sort()

os.makedirs(out_dir, exist_ok=True)
for name in ("observations.csv",):
    with open(os.path.join(out_dir, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["provider_id", "indicator_id", "period", "value", "numerator",
                    "denominator"])
        for org, period, att, breaches, adm in rows:
            w.writerow([org, "AE_4HR_T1", period, "", att - breaches, att])
            w.writerow([org, "AE_ATT_T1", period, att, "", ""])
            w.writerow([org, "AE_ADM_T1", period, adm, "", ""])
            w.writerow([org, "AE_BRE_T1", period, breaches, "", ""])
            all_att, all_breaches = all_types[(org, period)]
            w.writerow([org, "AE_4HR_ALL", period, "", all_att - all_breaches,
                        all_att])

orgs = sorted({r[0] for r in rows})
with open(os.path.join(out_dir, "providers.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "type", "tags"])
    for org in orgs:
        # Trusts that merged before 2022 are not in the 2022 lookup: named by code.
        w.writerow([org, names.get(org, org), "acute", "ae:type1"])

with open(os.path.join(out_dir, "indicators.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "domain", "unit", "polarity", "frequency", "rate_multiplier", "tags"])
    w.writerow(["AE_4HR_T1", "A&E 4-hour (type 1)", "responsive", "percentage",
                "higher_is_better", "monthly", "", "standard:constitutional"])
    w.writerow(["AE_ATT_T1", "A&E attendances (type 1)", "responsive", "count",
                "neutral", "monthly", "", "activity"])
    w.writerow(["AE_ADM_T1", "Emergency admissions via A&E (type 1)", "responsive", "count",
                "neutral", "monthly", "", "activity"])
    # Breaches: the patients who waited over 4 hours, a count whose rise is
    # crowding (a safety concern) even when the rate holds as demand grows.
    w.writerow(["AE_BRE_T1", "A&E 4-hour breaches (type 1)", "safe", "count",
                "lower_is_better", "monthly", "", "breaches"])
    w.writerow(["AE_4HR_ALL", "A&E 4-hour (all types)", "responsive", "percentage",
                "higher_is_better", "monthly", "", "standard:constitutional"])
    # Indicators the reference pack reads that the 2016-2019 data has not:
    # the April 2022 snapshot's (snapshot_2022-04/, below) and HCAI's (as
    # examples/hcai/indicators.csv defines them; its data is there).
    w.writerow(["CANCER_62D", "Cancer 62-day: treated within 62 days of urgent referral",
                "responsive", "percentage", "higher_is_better", "monthly", "",
                "standard:constitutional;snapshot"])
    w.writerow(["DM01_6WK", "Diagnostics: waiting 6 weeks or more", "responsive",
                "percentage", "lower_is_better", "monthly", "", "standard:constitutional;snapshot"])
    w.writerow(["RTT_18WK", "RTT: incomplete pathways within 18 weeks", "responsive",
                "percentage", "higher_is_better", "monthly", "",
                "standard:constitutional;snapshot"])
    w.writerow(["RTT_52WK", "RTT: incomplete pathways over 52 weeks", "responsive", "count",
                "zero_tolerance", "monthly", "", "snapshot"])
    w.writerow(["CDI_TA", "C. difficile (trust-apportioned)", "safe", "count",
                "lower_is_better", "monthly", "", "hcai;objective"])
    w.writerow(["MRSA", "MRSA bacteraemia", "safe", "count", "zero_tolerance", "monthly", "",
                "hcai;objective"])

# The April 2022 snapshot (one month, other years than the A&E series): peer
# comparisons across providers for that month only.
#   CANCER_62D  "62 Days": numerator within_standard, denominator total_treated
#               (counts can be x.5: breaches are shared between providers)
#   DM01_6WK    waiting_6plus_weeks over waiting_list_total (month end)
#   RTT_18WK    incomplete pathways: total - waiting_18plus_weeks over total
#   RTT_52WK    incomplete pathways waiting over 52 weeks (count)
snap_dir = os.path.join(out_dir, "snapshot_2022-04")
os.makedirs(snap_dir, exist_ok=True)
snap, snap_names = [], {}


def read(name):
    with open(os.path.join(data_dir, name), newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    value = float(text)
    return int(value) if value == int(value) else value


for r in read("nhse_cancer_waits_provider_2022-04.csv"):
    if r["standard"] == "62 Days" and float(r["total_treated"]) > 0:
        snap.append((r["org_code"], "CANCER_62D", "", number(r["within_standard"]),
                     number(r["total_treated"])))
        snap_names[r["org_code"]] = r["org_name"]
for r in read("nhse_diagnostics_provider_2022-04.csv"):
    if int(r["waiting_list_total"]) > 0:
        snap.append((r["org_code"], "DM01_6WK", "", int(r["waiting_6plus_weeks"]),
                     int(r["waiting_list_total"])))
        snap_names[r["org_code"]] = r["org_name"]
for r in read("nhse_rtt_provider_2022-04.csv"):
    if r["rtt_part"] == "Incomplete Pathways" and int(r["total"]) > 0:
        total = int(r["total"])
        snap.append((r["org_code"], "RTT_18WK", "", total - int(r["waiting_18plus_weeks"]),
                     total))
        snap.append((r["org_code"], "RTT_52WK", int(r["waiting_52plus_weeks"]), "", ""))
        snap_names[r["org_code"]] = r["org_name"]
snap.sort(key=lambda row: (row[0], row[1]))
with open(os.path.join(snap_dir, "observations.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["provider_id", "indicator_id", "period", "value", "numerator", "denominator"])
    for org, indicator, value, num, den in snap:
        w.writerow([org, indicator, "2022-04", value, num, den])
with open(os.path.join(snap_dir, "providers.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "type", "tags"])
    for org in sorted(snap_names):
        # Acute, community and specialist trusts alike: the files do not say.
        w.writerow([org, snap_names[org], "", "snapshot:2022-04"])

# The same 4-hour series in the input form of 'vigil spc' (percent, 0-100).
spc_dir = sys.argv[3] if len(sys.argv) > 3 else os.path.join(out_dir, "..", "spc")
os.makedirs(spc_dir, exist_ok=True)
with open(os.path.join(spc_dir, "ae_type1_4hr.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["series_id", "period", "value"])
    for org, period, att, breaches, adm in rows:
        w.writerow([org, period, repr(100.0 * (att - breaches) / att)])

print(f"{len(rows)} trust-months, {len(orgs)} trusts -> {out_dir}")
