#!/usr/bin/env python3
"""Python against the CLI on the England-scale workload (issue 17): the time
from DataFrames in memory to the assessments as a DataFrame, against the
whole `vigil evaluate` process from CSV files to a CSV report.

    python3 bench/python_dataframes.py WORKLOAD_DIR VIGIL_TOOL [REPEATS]

WORKLOAD_DIR is what `vigil_workload --out DIR` writes (scripts/bench.sh
makes build/bench/workload). Needs VIGIL_LIBRARY (or an installed vigil)
and pandas. Prints medians in seconds and the ratio (target: <= 2).
"""
import os
import statistics
import subprocess
import sys
import time

import pandas as pd

import vigil


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    work, tool = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    files = {name: os.path.join(work, f"{name}.csv")
             for name in ("observations", "providers", "indicators", "plans")}
    rules = os.path.join(work, "rules.textproto")
    as_of = "2024-03"
    cli = median_time(lambda: subprocess.run(
        [tool, "evaluate", "--rules", rules, "--data", files["observations"],
         "--providers", files["providers"], "--indicators", files["indicators"],
         "--plans", files["plans"], "--as-of", as_of, "--format", "csv",
         "--output", os.devnull], check=True, stderr=subprocess.DEVNULL), repeats)
    frames = {name: pd.read_csv(path, keep_default_na=True) for name, path in files.items()}
    engine = vigil.Engine.from_file(rules)
    shape = {}

    def python():
        report = engine.evaluate(frames["observations"], providers=frames["providers"],
                                 indicators=frames["indicators"], plans=frames["plans"],
                                 as_of=as_of)
        df = report.to_dataframe()
        shape["rows"], shape["assessments"] = len(frames["observations"]), len(df)

    py = median_time(python, repeats)
    print(f"observations: {shape['rows']:,}; assessments: {shape['assessments']:,}")
    print(f"vigil evaluate (CSV files -> CSV report), whole process: {cli:.3f} s")
    print(f"Python (DataFrames -> evaluate -> assessments DataFrame):  {py:.3f} s")
    print(f"ratio: {py / cli:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
