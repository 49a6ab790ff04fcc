#!/usr/bin/env python3
"""CPU time of short `vigil` runs: start-up and `vigil spc` (issue 19, item 5).

Each case is run N times (default 50) after 3 warm-up runs; the CPU time of
each run (user + system, from the child's rusage via os.wait4, so the time
Python spends is not counted) is collected, and the median, mean and
minimum per run are printed in milliseconds. `/bin/true` is measured the
same way as the floor of any process on this machine.

  python3 scripts/startup_bench.py [--tool build/tools/vigil] [--runs 50]
      [--source-dir .] [--workload DIR]

With --workload DIR (the output of `vigil_workload --out DIR`), the whole
`vigil evaluate` process on the England-scale CSV and protobuf files is also
measured (fewer runs: --evaluate-runs, 5 by default), also with --threads 2,
with its peak RSS (ru_maxrss) and wall time.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(argv):
    """CPU seconds (user + sys), peak RSS in KiB and wall seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read()
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"{argv} failed ({proc.returncode}): {err.decode()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, wall


def measure(name, argv, runs, warmup=3):
    for _ in range(warmup):
        run_once(argv)
    cpu, rss, wall = [], [], []
    for _ in range(runs):
        c, r, w = run_once(argv)
        cpu.append(c)
        rss.append(r)
        wall.append(w)
    print(f"{name:34s} CPU/run ms: median {1e3 * statistics.median(cpu):7.2f}"
          f"  mean {1e3 * statistics.mean(cpu):7.2f}"
          f"  min {1e3 * min(cpu):7.2f}   wall median"
          f" {1e3 * statistics.median(wall):7.2f}   peak RSS"
          f" {max(rss) / 1024:6.1f} MiB   ({runs} runs)", flush=True)
    return cpu


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", default=os.path.join(
        here, "..", "build", "tools", "vigil"))
    parser.add_argument("--source-dir", default=os.path.join(here, ".."))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--workload", help="vigil_workload --out directory")
    parser.add_argument("--evaluate-runs", type=int, default=5,
                        help="runs of each whole `vigil evaluate` case")
    args = parser.parse_args()
    tool = os.path.abspath(args.tool)
    src = os.path.abspath(args.source_dir)
    ae = os.path.join(src, "examples", "spc", "ae_type1_4hr.csv")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "spc.csv")
        measure("/bin/true (floor)", ["/bin/true"], args.runs)
        measure("vigil --version", [tool, "--version"], args.runs)
        # To a file (what a script does: the file system's cost of writing
        # 0.6 MB is in the system time) and to standard output (/dev/null).
        measure("vigil spc A&E -> file",
                [tool, "spc", "--input", ae, "--output", out, "--target",
                 "95"], args.runs)
        measure("vigil spc A&E -> stdout",
                [tool, "spc", "--input", ae, "--target", "95"], args.runs)
        if args.workload:
            w = os.path.abspath(args.workload)
            csv_args = [tool, "evaluate", "--rules", f"{w}/rules.textproto",
                        "--data", f"{w}/observations.csv", "--providers",
                        f"{w}/providers.csv", "--indicators",
                        f"{w}/indicators.csv", "--plans", f"{w}/plans.csv",
                        "--as-of", "2024-03", "--format", "json",
                        "--output", os.path.join(tmp, "r.json")]
            measure("vigil evaluate England CSV->JSON", csv_args,
                    args.evaluate_runs, warmup=1)
            measure("... --threads 2", csv_args + ["--threads", "2"],
                    args.evaluate_runs, warmup=1)
            measure("vigil evaluate England pb->JSON",
                    [tool, "evaluate", "--rules", f"{w}/rules.textproto",
                     "--data", f"{w}/dataset.pb", "--as-of", "2024-03",
                     "--format", "json", "--output",
                     os.path.join(tmp, "r.json")], args.evaluate_runs,
                    warmup=1)


if __name__ == "__main__":
    main()
