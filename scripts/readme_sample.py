#!/usr/bin/env python3
"""The README's sample output, produced by the tool so that it cannot drift.

    python3 scripts/readme_sample.py [VIGIL]          # rewrites README.md
    python3 scripts/readme_sample.py --check [VIGIL]  # exit 1 if it differs

VIGIL is the `vigil` binary (default build/release/tools/vigil). The sample
is one trust's block of the main job's dashboard table (Norfolk and Norwich,
RM1, at risk summit as of March 2019), between the README's `<!-- readme-sample:begin -->` and
`<!-- readme-sample:end -->` lines.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
BEGIN, END = "<!-- readme-sample:begin -->", "<!-- readme-sample:end -->"
PROVIDER = "RM1"


def sample(vigil):
    ex = os.path.join(ROOT, "examples", "nhs_early_warning")
    table = subprocess.run(
        [vigil, "evaluate", "--rules", os.path.join(ex, "rules.textproto"),
         "--data", os.path.join(ex, "observations.csv"),
         "--providers", os.path.join(ex, "providers.csv"),
         "--indicators", os.path.join(ex, "indicators.csv"), "--as-of", "2019-03"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    start = next(i for i, line in enumerate(table)
                 if line.split()[1:2] == [PROVIDER] and not line.startswith(" "))
    end = start + 1
    while end < len(table) and table[end].startswith(" "):
        end += 1
    return "\n".join(["```"] + table[start:end] + ["```"])


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    vigil = args[0] if args else os.path.join(ROOT, "build", "release", "tools", "vigil")
    with open(README, encoding="utf-8") as f:
        text = f.read()
    head, rest = text.split(BEGIN + "\n", 1)
    old, tail = rest.split("\n" + END, 1)
    new = sample(vigil)
    if check:
        if old != new:
            print("README.md's sample output differs from what the tool prints; run "
                  "python3 scripts/readme_sample.py to update it.\n--- README\n" + old +
                  "\n--- tool\n" + new, file=sys.stderr)
            return 1
        print("README sample matches the tool")
        return 0
    with open(README, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n" + new + "\n" + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
