#!/usr/bin/env python3
"""Distributed evaluation on Dask against one process (issue 19).

    python3 scripts/dask_bench.py --workload DIR [--workers 1 2] [--partitions 16]

DIR is made by ``vigil_workload --out DIR --providers 2500`` (10x England:
2,500 providers x 40 indicators x 120 months, 11.9 M rows, and 480,000 plan
values). Runs with
``VIGIL_LIBRARY`` pointing at a Release ``libvigil.so`` and
``PYTHONPATH=bindings/python`` (scripts/bench.sh sets both).

Measures, wall clock, on this machine:
  one process   the C library from the same DataFrame, one thread: the
                dataset built through the C API, evaluated, the report
                serialized (protobuf binary); what each part of the
                distributed run also does, for its rows;
  Dask          vigil.dask.evaluate on a distributed.LocalCluster of N worker
                processes (one thread each), the observations read by the
                workers from the CSV (dask.dataframe.read_csv), routed to
                --partitions parts by provider, gathered, merged, evaluated,
                and the partial reports merged on the client; the time each
                kind of task took (the task stream) says where it goes.
Every distributed report is checked byte for byte against the one-process
report. Prints a Markdown table.
"""
import argparse
import collections
import ctypes
import os
import subprocess
import sys
import time
import warnings
from ctypes import c_void_p


def one_process(args, frame, plans):
    """The one-process report's bytes and its phases' seconds."""
    from vigil import _native
    from vigil._native import check, lib
    from vigil.dask import report_bytes
    from vigil.engine import Engine, _dataset_of

    engine = Engine.from_file(os.path.join(args.workload, "rules.textproto"))
    started = time.perf_counter()
    dataset = _dataset_of(frame, os.path.join(args.workload, "providers.csv"),
                          os.path.join(args.workload, "indicators.csv"), plans, None, None,
                          (0, 0))
    built = time.perf_counter()
    report, err = c_void_p(), c_void_p()
    check(lib.vigil_engine_evaluate(engine._handle, dataset._handle, args.as_of.encode(), 1,
                                    ctypes.byref(report), ctypes.byref(err)), err)
    evaluated = time.perf_counter()
    data = report_bytes(report)
    done = time.perf_counter()
    lib.vigil_report_destroy(report)
    dataset.close()
    del _native
    return data, {"add rows": built - started, "index + evaluate": evaluated - built,
                  "serialize": done - evaluated, "total": done - started}


def distributed(args, workers, expected):
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, get_task_stream

    import vigil.dask as vigil_dask

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=0, silence_logs=40)
    with cluster, Client(cluster) as client:
        # Each worker process loads the library and compiles the pack once:
        # warm them up (not timed), as a long-lived cluster is.
        client.run(lambda: __import__("vigil.dask"))
        durations = collections.Counter()
        started = time.perf_counter()
        with get_task_stream(client=client) as stream:
            observations = dd.read_csv(
                os.path.join(args.workload, "observations.csv"), blocksize=args.blocksize,
                dtype={"provider_id": str, "indicator_id": str, "period": str,
                       "value": float, "numerator": float, "denominator": float})
            # vigil_dask.evaluate's steps, to time the client's merge apart.
            spec = vigil_dask._spec(
                os.path.join(args.workload, "rules.textproto"),
                os.path.join(args.workload, "providers.csv"),
                os.path.join(args.workload, "indicators.csv"), observations,
                args.partitions, 1, None, None, None, None, None)
            spec["as_of"] = args.as_of.encode()
            plans = dd.read_csv(os.path.join(args.workload, "plans.csv"),
                                dtype={"provider_id": str, "indicator_id": str, "period": str,
                                       "value": float})
            partials = vigil_dask._run(spec, observations, plans, client, None)
            ran = time.perf_counter()
            data = vigil_dask._merge_reports(spec, partials, False, "protobuf")
        total = time.perf_counter() - started
        durations["client merge (wall)"] = time.perf_counter() - ran
        for task in stream.data:
            name = task["key"] if isinstance(task["key"], str) else task["key"][0]
            kind = name.split("-")[0].strip("('")
            for phase in task["startstops"]:
                if phase["action"] == "compute":
                    durations[kind] += phase["stop"] - phase["start"]
    if data != expected:
        sys.exit(f"FAIL: the report of {workers} worker(s) differs from one process's")
    return total, durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workload", required=True)
    parser.add_argument("--as-of", default="2024-03")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--blocksize", default="64MB")
    parser.add_argument("--tool", help="a vigil executable: also time `vigil evaluate` on "
                        "the CSV files, the C++ tool in one process (JSON to /dev/null)")
    args = parser.parse_args()

    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(os.path.join(args.workload, "observations.csv"),
                        dtype={"provider_id": str, "indicator_id": str, "period": str})
    plans = pd.read_csv(os.path.join(args.workload, "plans.csv"),
                        dtype={"provider_id": str, "indicator_id": str, "period": str})
    read = time.perf_counter() - started
    print(f"{len(frame):,} rows, {frame['provider_id'].nunique():,} providers "
          f"(pandas.read_csv: {read:.1f} s, not counted)", flush=True)
    expected, phases = one_process(args, frame, plans)
    del frame, plans
    print(f"one process: {phases['total']:.2f} s ("
          + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items() if k != "total")
          + f"); report {len(expected) / 1e6:.0f} MB", flush=True)
    print()
    print("| run | wall | vs one process | busiest tasks (seconds of worker time) |")
    print("|---|---|---|---|")
    print(f"| one process, one thread (from the DataFrame) | {phases['total']:.2f} s | 1.00x | "
          f"add rows {phases['add rows']:.2f}, index + evaluate "
          f"{phases['index + evaluate']:.2f}, serialize {phases['serialize']:.2f} |")
    if args.tool:
        w = args.workload
        command = [args.tool, "evaluate", "--rules", f"{w}/rules.textproto",
                   "--data", f"{w}/observations.csv", "--providers", f"{w}/providers.csv",
                   "--indicators", f"{w}/indicators.csv", "--plans", f"{w}/plans.csv",
                   "--as-of", args.as_of, "--format", "json", "--output", "/dev/null"]
        started = time.perf_counter()
        child = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        if status != 0:
            sys.exit(f"FAIL: {' '.join(command)} exited with {status}")
        print(f"| `vigil evaluate`, the C++ tool, CSV files to JSON (one process) | {wall:.2f} s "
              f"| {wall / phases['total']:.2f}x | CPU {usage.ru_utime + usage.ru_stime:.2f} s, "
              f"peak RSS {usage.ru_maxrss / 1024:.0f} MiB |", flush=True)
    for workers in args.workers:
        total, durations = distributed(args, workers, expected)
        busiest = ", ".join(f"{k} {v:.1f}" for k, v in durations.most_common(6))
        print(f"| Dask, {workers} worker process(es), {args.partitions} parts (reads the CSV) "
              f"| {total:.2f} s | {total / phases['total']:.2f}x | {busiest} |", flush=True)
    print("\nEvery Dask report equals the one-process report byte for byte.")


if __name__ == "__main__":
    main()
