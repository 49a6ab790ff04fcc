"""The reference Early Warning pack on the bundled real A&E data (issue 20,
"What it must show"), through the tool:

- as of March 2019, no more than a quarter of the trusts at enhanced
  surveillance or above and no more than a tenth at risk summit (and the
  same in every month of the back-test, April 2016 to March 2019);
- each of those trusts has at least two independent signals named in its
  reason (for a held level, the signals it was met on);
- levels do not flicker: a trust at risk summit is never routine the month
  after, never routine on both sides, and where it was routine the month
  before, that month's reason already names the reds (discounted or not
  yet counted) and the summit's names the signals (each red for at least the pack's persistence)
  that put it there;
- every rule is tagged with its CQC domain (its description starts with the
  domain of the indicators it selects)."""
import csv
import json
import os
import re
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
PACK = os.path.join(EX, "rules.textproto")
INPUTS = ["--rules", PACK,
          "--data", os.path.join(EX, "observations.csv"),
          "--providers", os.path.join(EX, "providers.csv"),
          "--indicators", os.path.join(EX, "indicators.csv")]
ROUTINE, ENHANCED, SUMMIT = ("ESCALATION_LEVEL_ROUTINE",
                             "ESCALATION_LEVEL_ENHANCED_SURVEILLANCE",
                             "ESCALATION_LEVEL_RISK_SUMMIT")
PERSIST = 2  # escalation.signals.persist_periods of the pack.


def vigil(*args):
    r = subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def report(as_of, tmp_path):
    out = tmp_path / ("report-%s.json" % as_of)
    vigil("evaluate", *INPUTS, "--as-of", as_of, "--format", "json", "--output", str(out))
    return json.loads(out.read_text())


def governing_signals(reason):
    """(count, [signal texts]) the level rests on: the current signals, or for
    a level held or stepping down, those it was met on."""
    held = re.split(r"; (?:held at|stepping down from) ", reason, maxsplit=1)
    if len(held) == 2:
        m = re.search(r" on (\d+) independent signals?, score [\d.]+ \((.*); levels are held",
                      held[1])
        assert m, reason
        return int(m.group(1)), m.group(2).split("; ")
    m = re.match(r"[^:]+: (\d+) independent signals?, score [\d.]+ \([^)]*\): (.*)$", reason)
    assert m, reason
    return int(m.group(1)), m.group(2).split("; ")


def red_months(signal):
    m = re.search(r", red for (?:at least )?(\d+) months?", signal)
    assert m, signal
    return int(m.group(1))


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    out = tmp_path_factory.mktemp("t") / "timeline.json"
    vigil("backtest", *INPUTS, "--from", "2016-04", "--to", "2019-03", "--output", str(out))
    return json.loads(out.read_text())


def test_march_2019_singles_out_a_few_trusts_each_on_two_signals(tmp_path):
    r = report("2019-03", tmp_path)
    providers = r["providers"]
    assert len(providers) == 140
    escalated = [p for p in providers if p["escalation"] != ROUTINE]
    summit = [p for p in escalated if p["escalation"] == SUMMIT]
    assert 0 < len(escalated) <= len(providers) / 4
    assert 0 < len(summit) <= len(providers) / 10
    for p in escalated:
        count, signals = governing_signals(p["escalation_reason"])
        assert count >= 2 and len(signals) == count, p["escalation_reason"]
        # Each named signal is an indicator of the data with its rule's name.
        for s in signals:
            assert s.startswith("A&E ") or s.startswith("Emergency "), s
            assert red_months(s) >= PERSIST, s


def test_every_month_of_the_backtest_stays_within_the_shares(timeline):
    n = len(timeline["providers"])
    for i, as_of in enumerate(timeline["as_of"]):
        levels = [p["escalation"][i] for p in timeline["providers"]]
        assert sum(lv != ROUTINE for lv in levels) <= n / 4, as_of
        assert sum(lv == SUMMIT for lv in levels) <= n / 10, as_of
    # The levels are not all routine: the pack does single trusts out.
    assert any(p["escalation"][i] == SUMMIT for p in timeline["providers"]
               for i in range(len(timeline["as_of"])))


def test_risk_summits_do_not_flicker(timeline, tmp_path):
    as_of = timeline["as_of"]
    from_routine = []
    for p in timeline["providers"]:
        e = p["escalation"]
        for i, level in enumerate(e):
            if level != SUMMIT:
                continue
            before = e[i - 1] if i > 0 else None
            after = e[i + 1] if i + 1 < len(e) else None
            assert after != ROUTINE, (p["provider_id"], as_of[i])
            assert not (before == ROUTINE and after == ROUTINE), (p["provider_id"], as_of[i])
            if before == ROUTINE:
                from_routine.append((p["provider_id"], as_of[i], as_of[i - 1]))
    # A jump from routine to risk summit is stated on both sides: the
    # routine month's reason names the reds already there (discounted as
    # shared by most trusts, or not yet counted for persistence), and the
    # summit's names at least three signals, each red for the pack's
    # persistence or longer.
    assert from_routine
    by_month = {}
    for provider, month, before in from_routine:
        by_month.setdefault(month, []).append(provider)
        by_month.setdefault(before, [])
    summaries = {month: {p["provider_id"]: p for p in report(month, tmp_path)["providers"]}
                 for month in by_month}
    for provider, month, before in from_routine:
        reason = summaries[month][provider]["escalation_reason"]
        assert reason.startswith("risk summit: "), reason
        count, signals = governing_signals(reason)
        assert count >= 3, reason
        assert all(red_months(s) >= PERSIST for s in signals), reason
        earlier = summaries[before][provider]["escalation_reason"]
        assert earlier.startswith("routine: "), earlier
        # The reds that make the summit were already red, named: counted
        # (if shared by most trusts, at a discount) or not yet counted.
        assert earlier.count(", red for ") >= 3, earlier


def test_every_rule_is_tagged_with_its_cqc_domain():
    with open(os.path.join(EX, "indicators.csv"), newline="") as f:
        domain = {r["id"]: r["domain"] for r in csv.DictReader(f)}
    text = open(PACK, encoding="utf-8").read()
    text = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("description")
                     else line for line in text.splitlines())
    rules = re.findall(r"^rules \{\n(.*?)^\}", text, flags=re.S | re.M)
    assert len(rules) >= 12
    for body in rules:
        rule_id = re.search(r'id: "([^"]+)"', body).group(1)
        description = re.search(r'description: "([^"]+)"', body)
        assert description, rule_id + " has no description"
        selected = re.findall(r'indicator_ids: "([^"]+)"', body)
        assert selected, rule_id + " selects no indicator by id"
        tag = description.group(1).split(":", 1)[0].split(" ", 1)[0].lower()
        assert {domain[i] for i in selected} == {tag}, rule_id


def test_the_april_2022_snapshot_compares_providers_for_its_month(tmp_path):
    snap = os.path.join(EX, "snapshot_2022-04")
    out = tmp_path / "snapshot.json"
    vigil("evaluate", "--rules", PACK, "--data", os.path.join(snap, "observations.csv"),
          "--providers", os.path.join(snap, "providers.csv"),
          "--indicators", os.path.join(EX, "indicators.csv"), "--as-of", "2022-04",
          "--format", "json", "--output", str(out))
    r = json.loads(out.read_text())
    by_rule = {}
    for a in r["assessments"]:
        by_rule.setdefault(a["rule_id"], []).append(a)
    # Only the snapshot's rules judge it: no A&E rule, no A&E completeness.
    assert set(by_rule) == {"cancer_62d_peer", "dm01_6wk_peer", "rtt_18wk_peer",
                            "rtt_52wk_zero_tolerance"}
    for rule in ("cancer_62d_peer", "dm01_6wk_peer", "rtt_18wk_peer"):
        judged = [a for a in by_rule[rule]
                  if a["rating"] in ("RATING_GREEN", "RATING_AMBER", "RATING_RED")]
        assert len(judged) >= 130, rule
        assert any(a["rating"] == "RATING_RED" for a in judged) or rule == "rtt_18wk_peer"
        assert all(re.search(r"for \d{3} providers", a["reason"]) for a in judged), rule
    # One month is never two months red: no escalation from a snapshot.
    assert {p["escalation"] for p in r["providers"]} == {ROUTINE}


def test_hcai_rules_run_on_the_hcai_data(tmp_path):
    hcai = os.path.join(ROOT, "examples", "hcai")
    out = tmp_path / "hcai.json"
    vigil("evaluate", "--rules", PACK, "--data", os.path.join(hcai, "observations.csv"),
          "--providers", os.path.join(hcai, "providers.csv"),
          "--indicators", os.path.join(EX, "indicators.csv"), "--as-of", "2017-07",
          "--format", "json", "--output", str(out))
    r = json.loads(out.read_text())
    mrsa = [a for a in r["assessments"] if a["rule_id"] == "mrsa_zero_tolerance"]
    assert len(mrsa) == 15  # The 15 CCGs.
    assert {a["rating"] for a in mrsa} == {"RATING_GREEN", "RATING_RED"}
    # The sparse file: a CCG with no row in the month had no case.
    for a in mrsa:
        none = a["reason"].startswith("MRSA bacteraemia: 0 in Jul 2017")
        assert none == (a["rating"] == "RATING_GREEN"), a["reason"]
