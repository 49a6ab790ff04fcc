#!/usr/bin/env python3
"""The figures of docs/reference-pack.md, produced by the tool so they cannot
drift.

    python3 scripts/reference_pack_figures.py [VIGIL]          # rewrites the doc
    python3 scripts/reference_pack_figures.py --check [VIGIL]  # exit 1 if it differs
    python3 scripts/reference_pack_figures.py --print [VIGIL]  # prints the figures

VIGIL is the `vigil` binary (default build/release/tools/vigil). The
reference Early Warning pack (examples/nhs_early_warning/rules.textproto) is
back-tested with `vigil backtest` on the bundled A&E data, April 2016 to
March 2019:

- the escalation levels of every month (the timeline's levels);
- the levels as warnings of the outcome of docs/backtest.md (type-1 4-hour
  below 80% for 3 consecutive months, outcome_rules.textproto), scored as
  docs/backtest.md scores a rule's warnings: a warning is a run of months at
  the level or above; an outcome is foreseen when such a run started at
  least a month before it and was in force within the 12 months before it;
  the lead is the months from the start of the earliest such run; each
  trust is scored on its first outcome from April 2017 (as `vigil backtest`
  reports them); a run with no outcome of the trust in the 12 months before
  or after its start is a false alarm, or pending when those 12 months run
  past March 2019;
- the same with each rule of weight (severity warning or critical) that has
  data in the range disabled in turn (what each rule adds), and with one
  escalation setting changed at a time (VARIANTS).

The figures go between the doc's `<!-- reference-figures:begin -->` and
`<!-- reference-figures:end -->` lines. Standard library only.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "reference-pack.md")
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
PACK = os.path.join(EX, "rules.textproto")
BEGIN, END = "<!-- reference-figures:begin -->", "<!-- reference-figures:end -->"
FROM, TO = "2016-04", "2019-03"
OUTCOME_RULE = "ae_4hr_below_80_3m"
HORIZON = 12
LEVELS = ("ESCALATION_LEVEL_ROUTINE", "ESCALATION_LEVEL_ENHANCED_SURVEILLANCE",
          "ESCALATION_LEVEL_RISK_SUMMIT")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def month(period):
    return "%s %s" % (MONTHS[int(period[5:7]) - 1], period[:4])


def index(period):
    return int(period[:4]) * 12 + int(period[5:7]) - 1


# Other settings of the pack's escalation, compared with it: (label, the
# pack's text, the variant's).
VARIANTS = (
    ("enhanced surveillance at 2 from 2",
     "min_score: 2.5 min_signals: 2", "min_score: 2 min_signals: 2"),
    ("risk summit at 4 from 3 (the default)",
     "min_score: 3 min_signals: 3", "min_score: 4 min_signals: 3"),
    ("common reds at 50% of trusts (the default)",
     "common_share: 0.4", "common_share: 0.5"),
    ("no persistence (persist_periods 1)", "persist_periods: 2", "persist_periods: 1"),
    ("no holding (hold_periods 1)", "hold_periods: 3", "hold_periods: 1"),
)


def observed_indicators():
    with open(os.path.join(EX, "observations.csv"), encoding="utf-8") as f:
        return {line.split(",", 2)[1] for line in list(f)[1:]}


def weighted_rules(text):
    """(id, name, severity, selected indicators) of the pack's rules that
    weigh in escalation."""
    out = []
    for body in re.findall(r"^rules \{\n(.*?)^\}", text, flags=re.S | re.M):
        body = "\n".join(l.split("#", 1)[0] for l in body.splitlines())
        severity = re.search(r"severity: SEVERITY_(\w+)", body).group(1)
        if severity in ("WARNING", "CRITICAL"):
            out.append((re.search(r'\bid: "([^"]+)"', body).group(1),
                        re.search(r'\bname: "([^"]+)"', body).group(1),
                        severity.lower(),
                        set(re.findall(r'indicator_ids: "([^"]+)"', body))))
    return out


def backtest(vigil, pack, tmp, name):
    timeline = os.path.join(tmp, name + ".timeline.json")
    summary = os.path.join(tmp, name + ".summary.json")
    subprocess.run(
        [vigil, "backtest", "--rules", pack,
         "--data", os.path.join(EX, "observations.csv"),
         "--providers", os.path.join(EX, "providers.csv"),
         "--indicators", os.path.join(EX, "indicators.csv"),
         "--from", FROM, "--to", TO,
         "--outcome-rules", os.path.join(EX, "outcome_rules.textproto"),
         "--outcome-rule", OUTCOME_RULE, "--horizon", str(HORIZON),
         "--summary", summary, "--output", timeline],
        check=True, capture_output=True, text=True)
    with open(timeline, encoding="utf-8") as f, open(summary, encoding="utf-8") as g:
        return json.load(f), json.load(g)


def score(timeline, summary, at_least):
    """The levels at or above `at_least` as warnings of the outcome."""
    as_of = timeline["as_of"]
    last = index(as_of[-1])
    outcomes = {}
    scored = {}
    for l in summary["leads"]:
        if l["rule_id"] == "":
            outcomes.setdefault(l["provider_id"], []).append(index(l["outcome_period"]))
            if not l["too_early"] and l["provider_id"] not in scored:
                scored[l["provider_id"]] = index(l["outcome_period"])
    rank = LEVELS.index(at_least)
    leads, warned, false_alarm, pending = [], set(), set(), 0
    for p in timeline["providers"]:
        pid, runs, start = p["provider_id"], [], None
        for i, level in enumerate(p["escalation"]):
            on = level in LEVELS and LEVELS.index(level) >= rank
            if on and start is None:
                start = i
            if not on and start is not None:
                runs.append((index(as_of[start]), index(as_of[i - 1])))
                start = None
        if start is not None:
            runs.append((index(as_of[start]), last))
        if runs:
            warned.add(pid)
        mine = outcomes.get(pid, [])
        for s, _ in runs:
            if any(s - HORIZON <= o <= s + HORIZON for o in mine):
                continue
            if s + HORIZON > last:
                pending += 1
            else:
                false_alarm.add(pid)
        if pid in scored:
            o = scored[pid]
            before = [s for s, e in runs if s <= o - 1 and e >= o - HORIZON]
            if before:
                leads.append(o - min(before))
    return {"scored": len(scored), "foreseen": len(leads),
            "median": statistics.median(leads) if leads else None,
            "warned": len(warned), "false_alarm": len(false_alarm),
            "pending": pending}


def march_list(vigil, tmp):
    """(provider, name, level, reason) of every trust above routine as of TO."""
    out = os.path.join(tmp, "report.json")
    subprocess.run(
        [vigil, "evaluate", "--rules", PACK,
         "--data", os.path.join(EX, "observations.csv"),
         "--providers", os.path.join(EX, "providers.csv"),
         "--indicators", os.path.join(EX, "indicators.csv"),
         "--as-of", TO, "--format", "json", "--output", out],
        check=True, capture_output=True, text=True)
    with open(out, encoding="utf-8") as f:
        report = json.load(f)
    rows = [(p["provider_id"], p.get("provider_name", ""), p["escalation"],
             p["escalation_reason"]) for p in report["providers"]
            if p["escalation"] != LEVELS[0]]
    return sorted(rows, key=lambda r: (-LEVELS.index(r[2]), r[0]))


def distribution(timeline):
    rows = []
    for i, as_of in enumerate(timeline["as_of"]):
        levels = [p["escalation"][i] for p in timeline["providers"]]
        rows.append((as_of, levels.count(LEVELS[0]), levels.count(LEVELS[1]),
                     levels.count(LEVELS[2])))
    return rows


def lead_cells(s):
    median = "-" if s["median"] is None else "%g" % s["median"]
    return "%d of %d | %s | %d | %d" % (s["foreseen"], s["scored"], median,
                                        s["warned"], s["false_alarm"])


def figures(vigil):
    with open(PACK, encoding="utf-8") as f:
        text = f.read()
    observed = observed_indicators()
    rules = [r for r in weighted_rules(text) if r[3] & observed]
    no_data = [r[0] for r in weighted_rules(text) if not r[3] & observed]
    with tempfile.TemporaryDirectory() as tmp:
        timeline, summary = backtest(vigil, PACK, tmp, "whole")
        escalated = march_list(vigil, tmp)
        variants = []
        for i, (label, old, new) in enumerate(VARIANTS):
            assert text.count(old) == 1, old
            path = os.path.join(tmp, "variant%d.textproto" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace(old, new))
            variants.append((label, backtest(vigil, path, tmp, "variant%d" % i)))
        without = {}
        for rule_id, _, _, _ in rules:
            path = os.path.join(tmp, rule_id + ".textproto")
            cut = text.replace('  id: "%s"\n' % rule_id,
                               '  id: "%s"\n  disabled: true\n' % rule_id, 1)
            assert cut != text, rule_id
            with open(path, "w", encoding="utf-8") as f:
                f.write(cut)
            without[rule_id] = backtest(vigil, path, tmp, rule_id)
    n = len(timeline["providers"])
    rows = distribution(timeline)
    march = rows[-1]
    out = ["**As of %s**: %d trusts; %d routine, %d at enhanced surveillance, "
           "%d at risk summit (%d at enhanced surveillance or above: %.1f%%; "
           "risk summit %.1f%%)." % (month(march[0]), n, march[1], march[2],
                                    march[3], march[2] + march[3],
                                    100.0 * (march[2] + march[3]) / n,
                                    100.0 * march[3] / n), ""]
    busiest = max(rows, key=lambda r: (r[2] + r[3], r[0]))
    most_summits = max(rows, key=lambda r: (r[3], r[0]))
    out.append("Over the %d months, at most %d trusts (%.1f%%, %s) were at "
               "enhanced surveillance or above and at most %d (%.1f%%, %s) at "
               "risk summit; %d trust-months of %d were at enhanced surveillance "
               "or above." % (len(rows), busiest[2] + busiest[3],
                             100.0 * (busiest[2] + busiest[3]) / n, month(busiest[0]),
                             most_summits[3], 100.0 * most_summits[3] / n,
                             month(most_summits[0]),
                             sum(r[2] + r[3] for r in rows), n * len(rows)))
    out += ["", "**The %s list**: each trust above routine, with its reason "
            "as the dashboard gives it:" % month(march[0]), ""]
    for pid, name, level, reason in escalated:
        out.append("- **%s %s**: %s" % (pid, name, reason))
    out += ["", "**Levels by month** (trusts, of %d):" % n, "",
            "| month | routine | enhanced surveillance | risk summit |",
            "|---|---|---|---|"]
    for as_of, routine, enhanced, summit in rows:
        out.append("| %s | %d | %d | %d |" % (month(as_of), routine, enhanced, summit))
    enhanced_plus = score(timeline, summary, LEVELS[1])
    summit_only = score(timeline, summary, LEVELS[2])
    pack = summary["pack"]
    out += ["", "**Lead time against the outcome** of docs/backtest.md "
            "(%s; %d trusts scored on their first outcome from %s):"
            % (summary["outcome_source"].split(" (rule")[0],
               enhanced_plus["scored"], month(summary["outcomes_from"])), "",
            "| warning | trusts warned before their outcome | median lead (months) "
            "| trusts warned | trusts with a false alarm |",
            "|---|---|---|---|---|",
            "| enhanced surveillance or above | %s |" % lead_cells(enhanced_plus),
            "| risk summit | %s |" % lead_cells(summit_only),
            "| any rule red (`vigil backtest`'s pack figure) | %d of %d | %s | %d | %d |"
            % (pack["providers_warned_before"], pack["providers_with_outcome"],
               "%g" % pack["median_lead_periods"] if "median_lead_periods" in pack else "-",
               pack["providers_warned"], pack["false_alarm_providers"])]
    out += ["", "**What each rule adds**: the pack with the rule disabled "
            "(`disabled: true`), against the whole pack. Levels in %s; the "
            "most trusts at a level in any month; trust-months at enhanced "
            "surveillance or above; and enhanced surveillance or above as a "
            "warning of the outcome." % month(march[0]), "",
            "| pack | %s: enhanced+ / summit | most in a month: enhanced+ / summit "
            "| trust-months enhanced+ | warned before outcome | median lead "
            "| trusts warned | with a false alarm |" % month(march[0]),
            "|---|---|---|---|---|---|---|---|"]

    def row(label, t, s):
        r = distribution(t)
        cells = lead_cells(score(t, s, LEVELS[1]))
        return "| %s | %d / %d | %d / %d | %d | %s |" % (
            label, r[-1][2] + r[-1][3], r[-1][3], max(x[2] + x[3] for x in r),
            max(x[3] for x in r), sum(x[2] + x[3] for x in r), cells)

    out.append(row("whole pack", timeline, summary))
    for rule_id, name, severity, _ in rules:
        t, s = without[rule_id]
        out.append(row("without `%s` (%s, %s)" % (rule_id, name, severity), t, s))
    out += ["", "Rules with no data in %s to %s (they assess nothing in the main "
            "job, so removing them changes nothing here): %s." % (
                month(FROM), month(TO), ", ".join("`%s`" % r for r in no_data))]
    out += ["", "**The escalation's settings compared**: the pack with one "
            "setting changed (columns as above).", "",
            "| pack | %s: enhanced+ / summit | most in a month: enhanced+ / summit "
            "| trust-months enhanced+ | warned before outcome | median lead "
            "| trusts warned | with a false alarm |" % month(march[0]),
            "|---|---|---|---|---|---|---|---|",
            row("as shipped", timeline, summary)]
    for label, (t, s) in variants:
        out.append(row(label, t, s))
    return "\n".join(out)


def main(argv):
    check, show = "--check" in argv, "--print" in argv
    args = [a for a in argv if a not in ("--check", "--print")]
    vigil = args[0] if args else os.path.join(ROOT, "build", "release", "tools", "vigil")
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
            print("docs/reference-pack.md's figures differ from what the tool "
                  "gives; run python3 scripts/reference_pack_figures.py to "
                  "update them.\n--- doc\n" + old + "\n--- tool\n" + new,
                  file=sys.stderr)
            return 1
        print("docs/reference-pack.md matches the tool")
        return 0
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n" + new + "\n" + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
