"""An analyst's first script: the real A&E example, the red providers as a
DataFrame, and SPC on one trust.

    bash scripts/install_python.sh            # once
    python3 examples/python/red_providers.py  # needs pandas for the tables
"""
import csv
import os

import vigil

HERE = os.path.dirname(os.path.abspath(__file__))
EX = os.path.join(HERE, "..", "nhs_early_warning")

engine = vigil.Engine.from_file(os.path.join(EX, "rules.textproto"))
report = engine.evaluate(os.path.join(EX, "observations.csv"),
                         providers=os.path.join(EX, "providers.csv"),
                         indicators=os.path.join(EX, "indicators.csv"),
                         as_of="2019-03")
print(report)

red = sorted({a.provider_id for a in report if a.rating == "red"})
print(f"{len(red)} providers with at least one red rating as of {report.as_of}")
try:
    import pandas as pd

    df = report.to_dataframe()
    reds = df[df.rating == "red"][["provider_id", "rule_id", "reason"]]
    with pd.option_context("display.max_colwidth", 100, "display.width", 200):
        print(reds.head(10).to_string(index=False))
except ImportError:
    for a in [a for a in report if a.rating == "red"][:10]:
        print(a.provider_id, a.rule_id, a.reason)

# SPC on one trust's 4-hour performance (University Hospitals Birmingham, RRK).
series = {}
with open(os.path.join(EX, "observations.csv")) as f:
    for row in csv.DictReader(f):
        if row["provider_id"] == "RRK" and row["indicator_id"] == "AE_4HR_T1":
            series[row["period"]] = 100 * float(row["numerator"]) / float(row["denominator"])
periods = sorted(series)
points = vigil.spc([series[p] for p in periods], direction="increase", target=95)
latest = points[-1]
print(f"RRK {periods[-1]}: {latest['value']:.1f}% (mean {latest['mean']:.1f}%, limits "
      f"{latest['lpl']:.1f}% to {latest['upl']:.1f}%): {latest['special_cause_type']}, "
      f"icon {latest['variation_icon']}, assurance {latest['assurance']}")
