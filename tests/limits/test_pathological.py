"""The pathological inputs of issue 14 (defect 2) through the `vigil` tool.

A sparse daily series over 300 years (2,000 of them, 88 KB of CSV) and
20,000 providers each with its own indicator must evaluate, or fail with
RESOURCE_EXHAUSTED naming the limit, within a 2 GiB address space: never
abort. (Their time and memory, 0.01 s / 9 MB and 0.25 s / 62 MB, are
measured by bench/limits_benchmark.cc and /usr/bin/time, not asserted.)
Before the fix the first died on an uncaught std::bad_alloc (SIGABRT) and
the second took minutes and gigabytes (400 million assessments).
"""
import os
import resource
import subprocess
import sys
import time

import pytest

TOOL = os.environ["VIGIL_TOOL"]
HERE = os.path.dirname(os.path.abspath(__file__))
GIB = 1 << 30


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pathological")
    subprocess.run([sys.executable, os.path.join(HERE, "make_pathological.py"),
                    str(out), "--series", "2000", "--providers", "20000"],
                   check=True)
    return out


def limit_memory():
    # 1 GiB of address space on top of what the tool maps at start (shared
    # libraries, thread stacks): well under what it asked for before.
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))


def evaluate(directory, *extra):
    args = [TOOL, "evaluate", "--rules", str(directory / "rules.textproto"),
            "--data", str(directory / "observations.csv"),
            "--providers", str(directory / "providers.csv"),
            "--indicators", str(directory / "indicators.csv"),
            "--format", "csv", *extra]
    start = time.monotonic()
    r = subprocess.run(args, capture_output=True, text=True, timeout=120,
                       preexec_fn=limit_memory)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return r, seconds, peak


def report(seconds, peak):
    # Measured, not asserted: the test proves the behaviour (a clear failure
    # naming the limit; the pairs that exist) under a 2 GiB address-space cap
    # (limit_memory: the process must not abort there); the time is
    # bench/limits_benchmark.cc's to measure.
    print(f"{seconds:.2f} s, peak {peak / 2**20:.0f} MiB", file=sys.stderr)


def test_sparse_daily_series_over_300_years_fails_fast_naming_the_limit(inputs):
    r, seconds, peak = evaluate(inputs / "sparse")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "max_periods_per_series (100000)" in r.stderr
    assert "provider 'S0', indicator 'D'" in r.stderr
    assert "spans 109573 periods" in r.stderr
    assert "--max-periods-per-series" in r.stderr
    report(seconds, peak)


def test_over_the_stored_periods_limit_fails_fast_naming_it(inputs):
    r, seconds, _ = evaluate(inputs / "sparse",
                             "--max-periods-per-series", "200000")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "max_stored_periods (30000000)" in r.stderr
    report(seconds, 0)


def test_twenty_thousand_providers_each_with_its_own_indicator(inputs):
    r, seconds, peak = evaluate(inputs / "wide")
    assert r.returncode == 0, r.stderr
    rows = r.stdout.splitlines()
    # A threshold and a data-quality assessment per provider: the pairs that
    # exist, not 20,000 x 20,000.
    assert len(rows) == 1 + 2 * 20000
    report(seconds, peak)


def test_more_assessments_than_the_limit_fails_naming_it(inputs):
    r, _, _ = evaluate(inputs / "wide", "--max-assessments", "1000")
    assert r.returncode == 1, r.stderr
    assert "max_assessments (1000)" in r.stderr


@pytest.mark.parametrize("flag", ["--max-periods-per-series",
                                  "--max-stored-periods", "--max-assessments"])
@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5"])
def test_a_bad_limit_is_a_usage_error(inputs, flag, value):
    r, _, _ = evaluate(inputs / "wide", f"{flag}={value}")
    assert r.returncode == 2, r.stderr
    assert f"{flag} must be a whole number of at least 1" in r.stderr
