#!/usr/bin/env python3
"""Writes the two pathological inputs of issue 14 (defect 2) into a directory.

  sparse/: SERIES providers, each with one daily series of two rows 300 years
           apart (1900-01-01 and 2199-12-31, the whole range a period may take): ~110,000 periods per series if
           stored densely.
  wide/:   N providers, each with its own indicator (one row each): N x N
           provider x indicator pairs, of which N exist.

Each directory holds rules.textproto (a MEAN threshold and a data-quality
rule selecting every indicator), indicators.csv, providers.csv and
observations.csv, for

  vigil evaluate --rules D/rules.textproto --data D/observations.csv \
      --providers D/providers.csv --indicators D/indicators.csv

Usage: make_pathological.py OUT_DIR [--series 2000] [--providers 20000]
"""
import argparse
import os

RULES = """\
id: "pathological"
version: "1"
rules {
  id: "mean_3"
  selector { all_indicators: true }
  threshold { standard: 10 red_threshold: 20 statistic: STATISTIC_MEAN
              window_periods: 3 }
}
rules {
  id: "complete"
  selector { all_indicators: true }
  data_quality { lookback_periods: 12 }
}
"""


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def make(out, name, providers, indicators, observations):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "rules.textproto"), [RULES])
    write(os.path.join(d, "providers.csv"), ["id,name,type,tags"] + providers)
    write(os.path.join(d, "indicators.csv"),
          ["id,name,domain,unit,polarity,frequency,rate_multiplier,tags"] +
          indicators)
    write(os.path.join(d, "observations.csv"),
          ["provider_id,indicator_id,period,value,numerator,denominator"] +
          observations)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--providers", type=int, default=20000)
    args = parser.parse_args()

    n = args.series
    make(args.out, "sparse",
         [f"S{p},S{p},acute," for p in range(n)],
         ["D,Daily,safe,count,lower_is_better,daily,,"],
         [f"S{p},D,{day},1,," for p in range(n)
          for day in ("1900-01-01", "2199-12-31")])

    n = args.providers
    make(args.out, "wide",
         [f"W{p},W{p},acute," for p in range(n)],
         [f"I{p},I{p},safe,count,lower_is_better,monthly,," for p in range(n)],
         [f"W{p},I{p},2025-12,1,," for p in range(n)])


if __name__ == "__main__":
    main()
