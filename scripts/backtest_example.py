#!/usr/bin/env python3
"""The figures of docs/backtest.md, produced by the tool so they cannot drift.

    python3 scripts/backtest_example.py [VIGIL]          # rewrites the doc
    python3 scripts/backtest_example.py --check [VIGIL]  # exit 1 if it differs
    python3 scripts/backtest_example.py --print [VIGIL]  # prints the figures

VIGIL is the `vigil` binary (default build/release/tools/vigil). On the
bundled A&E data (examples/nhs_early_warning, April 2016 to March 2019) the
outcome is "type-1 4-hour performance below 80% for 3 consecutive months"
(outcome_rules.textproto beside the data). The example pack is back-tested
whole and as three packs cut from it, its SPC, trend and threshold rules,
all in one `vigil backtest` run; the figures go between the doc's
`<!-- backtest-figures:begin -->` and `<!-- backtest-figures:end -->` lines.
Standard library only.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "backtest.md")
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
BEGIN, END = "<!-- backtest-figures:begin -->", "<!-- backtest-figures:end -->"
FROM, TO = "2016-04", "2019-03"
OUTCOME_RULE = "ae_4hr_below_80_3m"
WARN_AFTER, HORIZON = 1, 12
FAMILIES = (("spc", "SPC"), ("trend", "trend"), ("threshold", "threshold"))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def strip_comment(line):
    """The line without its # comment (a # inside a string stays)."""
    quoted = False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        elif c == "#" and not quoted:
            return line[:i]
    return line


def top_level_blocks(text):
    """The pack's top-level entries: (name, text) for `name { ... }` blocks
    and ('', line) for scalar fields; comments dropped."""
    lines = [strip_comment(line) for line in text.splitlines()]
    blocks, depth, current, name = [], 0, [], ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if depth == 0 and "{" not in stripped:
            blocks.append(("", stripped))
            continue
        if depth == 0:
            name = stripped.split("{", 1)[0].strip()
        current.append(line)
        depth += stripped.count("{") - stripped.count("}")
        if depth == 0:
            blocks.append((name, "\n".join(current)))
            current = []
    return blocks


def family_pack(blocks, family):
    """The example pack with only its rules of one kind (`spc {`, ...)."""
    out = []
    for name, text in blocks:
        if name == "" and text.startswith(("id:", "name:")):
            key = text.split(":", 1)[0]
            value = text.split(":", 1)[1].strip().strip('"')
            out.append('%s: "%s (%s rules only)"' % (key, value, family)
                       if key == "name" else '%s: "%s-%s"' % (key, value, family))
        elif name == "rules":
            kind = [w for w in text.replace("{", " { ").split()
                    if w in ("threshold", "trend", "spc", "peer", "data_quality")]
            if kind and kind[0] == family:
                out.append(text)
        else:
            out.append(text)
    return "\n".join(out) + "\n"


def run(vigil, tmp):
    with open(os.path.join(EX, "rules.textproto"), encoding="utf-8") as f:
        blocks = top_level_blocks(f.read())
    packs = [os.path.join(EX, "rules.textproto")]
    for family, _ in FAMILIES:
        path = os.path.join(tmp, family + ".textproto")
        with open(path, "w", encoding="utf-8") as f:
            f.write(family_pack(blocks, family))
        packs.append(path)
    summary = os.path.join(tmp, "summary.json")
    args = [vigil, "backtest"]
    for p in packs:
        args += ["--rules", p]
    args += ["--data", os.path.join(EX, "observations.csv"),
             "--providers", os.path.join(EX, "providers.csv"),
             "--indicators", os.path.join(EX, "indicators.csv"),
             "--from", FROM, "--to", TO,
             "--outcome-rules", os.path.join(EX, "outcome_rules.textproto"),
             "--outcome-rule", OUTCOME_RULE,
             "--warn-after", str(WARN_AFTER), "--horizon", str(HORIZON),
             "--summary", summary]
    table = subprocess.run(args, check=True, capture_output=True,
                           text=True).stdout
    with open(summary, encoding="utf-8") as f:
        summaries = json.load(f)
    sentences = [line for line in table.splitlines() if line.startswith("Pack ")
                 and " on median " in line]
    return summaries, sentences


def month(period):
    return "%s %s" % (MONTHS[int(period[5:7]) - 1], period[:4]) if period else ""


def fmt_lead(lead):
    return "%d" % lead["lead_periods"] if lead["warned"] else "not warned"


def score_row(label, s):
    sens = ("%d of %d (%.0f%%)" % (s["providers_warned_before"],
                                   s["providers_with_outcome"],
                                   100 * s["sensitivity"])
            if "sensitivity" in s else "-")
    median = "%g" % s["median_lead_periods"] if "median_lead_periods" in s else "-"
    return "| %s | %s | %s | %d | %d | %d |" % (
        label, sens, median, s["providers_warned"], s["false_alarm_providers"],
        s["pending_warnings"])


def figures(vigil):
    with tempfile.TemporaryDirectory() as tmp:
        summaries, sentences = run(vigil, tmp)
    with open(os.path.join(EX, "providers.csv"), encoding="utf-8") as f:
        names = {r["id"]: r["name"] for r in csv.DictReader(f)}
    whole = summaries[0]
    out = []
    outcomes = [l for l in whole["leads"] if l["rule_id"] == ""]
    trusts = sorted({l["provider_id"] for l in outcomes})
    # Each trust's scored outcome: its first from outcomes_from on.
    scored = {}
    for l in outcomes:
        if not l["too_early"] and l["provider_id"] not in scored:
            scored[l["provider_id"]] = l
    early_only = [t for t in trusts if t not in scored]
    out.append("Outcome: %s. %d of the %d trusts had it at least once between "
               "%s and %s (%d times in all). Scored: each trust's first "
               "outcome from %s on, so that the 12 months before it are in "
               "the range: %d trusts; %d trusts had theirs only before %s (they "
               "were failing when the data starts) and are not scored. "
               "Warning: a rule red for %d month%s; horizon %d months."
               % (whole["outcome_source"].split(" (rule")[0],
                  len(trusts), whole["providers"], month(whole["from"]),
                  month(whole["to"]), len(outcomes), month(whole["outcomes_from"]),
                  len(scored), len(early_only), month(whole["outcomes_from"]),
                  WARN_AFTER, "" if WARN_AFTER == 1 else "s", HORIZON))
    out.append("")
    out.append("**In total** (leads in months; a false alarm is a warning "
               "with no outcome within 12 months of it):")
    out.append("")
    out.append("| rules | trusts warned before their outcome | median lead | "
               "trusts warned | trusts with a false alarm | warnings pending |")
    out.append("|---|---|---|---|---|---|")
    out.append(score_row("whole pack (any rule)", whole["pack"]))
    for (family, label), s in zip(FAMILIES, summaries[1:]):
        out.append(score_row("%s rules" % label, s["pack"]))
    for r in whole["rules"]:
        out.append(score_row("`%s`" % r["rule_id"], r))
    out.append("")
    out.append("**Packs compared**, as `vigil backtest` prints it (each pack "
               "of one rule family against the whole pack):")
    out.append("")
    for s in sentences:
        out.append("- " + s)
    out.append("")
    out.append("**Per trust**: months from the first warning to the trust's "
               "scored outcome, by the whole pack and by its SPC, trend and "
               "threshold rules:")
    out.append("")
    out.append("| trust | outcome | whole pack | SPC | trend | threshold |")
    out.append("|---|---|---|---|---|---|")
    family_leads = []
    for s in summaries[1:]:
        family_leads.append({(l["provider_id"], l["outcome_period"]): l
                             for l in s["leads"] if l["rule_id"] == ""})
    for t in sorted(scored):
        l = scored[t]
        key = (t, l["outcome_period"])
        cells = [fmt_lead(l)] + [fmt_lead(f[key]) for f in family_leads]
        name = names.get(t, t)
        out.append("| %s | %s | %s |" % (
            t if name == t else "%s %s" % (t, name), month(l["outcome_period"]),
            " | ".join(cells)))
    return "\n".join(out)


def main(argv):
    check = "--check" in argv
    show = "--print" in argv
    args = [a for a in argv if a not in ("--check", "--print")]
    vigil = args[0] if args else os.path.join(ROOT, "build", "release", "tools",
                                              "vigil")
    new = figures(vigil)
    if show:
        print(new)
        return 0
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    head, rest = text.split(BEGIN + "\n", 1)
    old, tail = rest.split("\n" + END, 1)
    if check:
        if old != new:
            print("docs/backtest.md's figures differ from what the tool prints; "
                  "run python3 scripts/backtest_example.py to update them.\n"
                  "--- doc\n" + old + "\n--- tool\n" + new, file=sys.stderr)
            return 1
        print("docs/backtest.md's figures match the tool")
        return 0
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n" + new + "\n" + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
