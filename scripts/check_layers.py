#!/usr/bin/env python3
"""Checks that #includes point one way through Vigil's layers.

    kernels <- base <- data <- rules <- engine <- report <- C API / tool

A file of one layer may include headers of its own layer and of lower ones
only. Public headers (include/vigil/) belong to the layer of what they
declare. The tool, the C API, the bindings, the benchmarks and the examples
use public headers only (the build also keeps src/ off their include path);
core tests may include src/ (white-box) but never the tool's headers.

Run from anywhere: python3 scripts/check_layers.py [REPO]. Exit status 1 and
one line per violation ("src/rules/x.cc:12: rules includes engine header
src/engine/y.h") when something points the wrong way.
"""
import os
import re
import sys

LAYERS = ["kernels", "base", "data", "rules", "engine", "report"]
RANK = {name: i for i, name in enumerate(LAYERS)}

# Public headers by layer.
PUBLIC = {
    "vigil/threshold.h": "kernels",
    "vigil/trend.h": "kernels",
    "vigil/spc.h": "kernels",
    "vigil/attribute_spc.h": "kernels",
    "vigil/funnel.h": "kernels",
    "vigil/period.h": "base",
    "vigil/names.h": "base",
    "vigil/version.h": "base",
    "vigil/vigil.h": "base",  # The C API; includes only vigil_version.h.
    "vigil/series_store.h": "data",
    "vigil/io.h": "data",
    "vigil/csv_reader.h": "data",
    "vigil/engine.h": "engine",
    "vigil/backtest.h": "engine",
    "vigil/rule_check.h": "engine",
    "vigil/report_output.h": "report",
    "vigil/html_report.h": "report",
    "vigil/timeline_output.h": "report",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of_source(path):
    """The layer of a file under src/ or include/, or None."""
    if path.startswith("include/"):
        return PUBLIC.get(path[len("include/"):], "unlisted")
    if not path.startswith("src/"):
        return None
    parts = path.split("/")
    if len(parts) == 2:  # src/period.cc, src/names.cc, src/version.cc
        return "base"
    return {"kernels": "kernels", "data": "data", "io": "data",
            "rules": "rules", "engine": "engine", "report": "report"}.get(
                parts[1], "unlisted")


def layer_of_include(name):
    """The layer of an included header, None when not one of Vigil's."""
    if name.startswith("src/"):
        return layer_of_source(name)
    if name in PUBLIC:
        return PUBLIC[name]
    return None


def check(repo):
    problems = []
    for top in ("src", "include", "tools", "capi", "bindings", "bench",
                "examples", "tests"):
        for root, _, files in os.walk(os.path.join(repo, top)):
            for f in sorted(files):
                if not f.endswith((".h", ".cc", ".c", ".in")):
                    continue
                full = os.path.join(root, f)
                rel = os.path.relpath(full, repo)
                own = layer_of_source(rel)
                with open(full, encoding="utf-8") as text:
                    for number, line in enumerate(text, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        name = m.group(1)
                        where = f"{rel}:{number}"
                        if own == "unlisted":
                            problems.append(f"{where}: {rel} is in no layer "
                                            "(list it in scripts/check_layers.py)")
                            break
                        if top == "tests":
                            if name.startswith("tools/"):
                                problems.append(f"{where}: a core test includes "
                                                f"the tool's header {name}")
                            continue
                        if own is None:  # tool, C API, bindings, bench, examples
                            if name.startswith(("src/", "tools/")):
                                problems.append(f"{where}: {top}/ includes the "
                                                f"private header {name}")
                            continue
                        if top == "include" and name.startswith("src/"):
                            problems.append(f"{where}: a public header includes "
                                            f"the private header {name}")
                            continue
                        theirs = layer_of_include(name)
                        if theirs is None:
                            continue
                        if theirs == "unlisted":
                            problems.append(f"{where}: {name} is in no layer "
                                            "(list it in scripts/check_layers.py)")
                        elif RANK[theirs] > RANK[own]:
                            problems.append(f"{where}: {own} includes {theirs} "
                                            f"header {name}")
    return problems


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    problems = check(repo)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) point the wrong way")
        return 1
    print("layers: every include points one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
