"""The rule packs in the docs pass `vigil validate`, so the docs cannot drift.

Every ```textproto and ```json block of docs/*.md is a whole vigil.v1.RuleSet
and is run through `vigil validate --rules FILE`. A block meant to fail is
preceded by `<!-- invalid: TEXT -->`; it must fail, with TEXT in the error.
A block preceded by `<!-- indicators: PATH -->` is also validated with
`--indicators PATH`, and the warnings must be those of the next ```console
block. docs/rules.md must also name every value of every enum a user writes.
"""
import os
import re
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
DOCS = os.path.join(ROOT, "docs")

FENCE = re.compile(r"^```(\w*)\s*$")
INVALID = re.compile(r"^<!--\s*invalid:\s*(.*?)\s*-->\s*$")
INDICATORS = re.compile(r"^<!--\s*indicators:\s*(.*?)\s*-->\s*$")


def indicator_checks(path):
    """(line, text, indicators path, warnings of the next console block)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    for i, line in enumerate(lines):
        m = INDICATORS.match(line)
        if not m:
            continue
        assert lines[i + 1] == "```textproto", f"{path}:{i + 1}: a pack must follow"
        end = lines.index("```", i + 2)
        console = lines.index("```console", end)
        console_end = lines.index("```", console + 1)
        warnings = [l for l in lines[console + 1:console_end] if l.startswith("vigil: warning: ")]
        found.append((i + 2, "\n".join(lines[i + 2:end]) + "\n", m.group(1), warnings))
    return found


def snippets(path):
    """(line, language, text, expected error or None) of each pack block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start = i
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        assert j < len(lines), f"{path}:{start + 1}: unclosed ``` block"
        language = m.group(1)
        if language in ("textproto", "json"):
            invalid = None
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0 and INVALID.match(lines[k]):
                invalid = INVALID.match(lines[k]).group(1)
            found.append((start + 1, language, "\n".join(lines[start + 1:j]) + "\n", invalid))
        i = j + 1
    return found


def all_snippets():
    out = []
    for name in sorted(os.listdir(DOCS)):
        if name.endswith(".md"):
            for line, language, text, invalid in snippets(os.path.join(DOCS, name)):
                out.append(pytest.param(name, line, language, text, invalid,
                                        id=f"{name}:{line}"))
    return out


SNIPPETS = all_snippets()


def validate(tmp_path, language, text):
    path = tmp_path / ("pack.textproto" if language == "textproto" else "pack.json")
    path.write_text(text, encoding="utf-8")
    return subprocess.run([TOOL, "validate", "--rules", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_rules_md_has_a_textproto_and_a_json_pack_and_a_marked_mistake():
    found = snippets(os.path.join(DOCS, "rules.md"))
    assert sum(1 for s in found if s[1] == "textproto" and s[3] is None) >= 10
    assert any(s[1] == "json" and s[3] is None for s in found)
    assert any(s[3] is not None for s in found)


@pytest.mark.parametrize("doc,line,language,text,invalid", SNIPPETS)
def test_doc_pack_validates_or_fails_as_marked(tmp_path, doc, line, language, text, invalid):
    r = validate(tmp_path, language, text)
    where = f"docs/{doc}:{line}"
    if invalid is None:
        assert r.returncode == 0, f"{where}: {r.stderr}"
        assert r.stdout.startswith("ok: "), where
    else:
        assert r.returncode == 1, f"{where}: expected a failure, got {r.stdout}"
        assert invalid in r.stderr, f"{where}: {r.stderr}"


def test_rules_md_shows_the_warnings_validate_indicators_prints(tmp_path):
    checks = indicator_checks(os.path.join(DOCS, "rules.md"))
    assert checks, "docs/rules.md shows `vigil validate --indicators`"
    for line, text, indicators, warnings in checks:
        pack = tmp_path / "rules.textproto"
        pack.write_text(text, encoding="utf-8")
        r = subprocess.run([TOOL, "validate", "--rules", str(pack),
                            "--indicators", os.path.join(ROOT, indicators)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"docs/rules.md:{line}: {r.stderr}"
        assert warnings, f"docs/rules.md:{line}: the console block shows warnings"
        assert r.stderr.splitlines() == warnings, f"docs/rules.md:{line}"


def kinds_in(text):
    return set(re.findall(r"^\s*(threshold|trend|spc|trajectory|peer|data_quality|composite|milestone)\s*\{",
                          text, re.M))


def test_rules_md_shows_every_rule_kind_and_pack_part_in_text_and_json():
    found = snippets(os.path.join(DOCS, "rules.md"))
    text = "".join(s[2] for s in found if s[1] == "textproto" and s[3] is None)
    json_text = "".join(s[2] for s in found if s[1] == "json" and s[3] is None)
    kinds = {"threshold", "trend", "spc", "trajectory", "peer", "data_quality",
             "composite", "milestone"}
    assert kinds_in(text) == kinds
    for kind in ["threshold", "trend", "spc", "trajectory", "peer", "dataQuality",
                 "composite", "milestone"]:
        assert f'"{kind}":' in json_text, kind
    for part in ["standards {", "escalation {", "selector {", "chart: SPC_CHART_"]:
        assert part in text, part
    for part in ['"standards":', '"escalation":', '"chart":']:
        assert part in json_text, part


def enum_values(proto):
    """Full names of the values of every enum in a .proto file."""
    with open(os.path.join(ROOT, "proto", "vigil", "v1", proto), encoding="utf-8") as f:
        text = f.read()
    values = []
    for body in re.findall(r"\benum\s+\w+\s*\{(.*?)\}", text, re.S):
        values += re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s*=\s*\d+\s*;", body, re.M)
    return values


@pytest.mark.parametrize("proto", ["rules.proto", "model.proto"])
def test_rules_md_spells_every_enum_value_a_user_writes(proto):
    with open(os.path.join(DOCS, "rules.md"), encoding="utf-8") as f:
        doc = f.read()
    values = [v for v in enum_values(proto) if not v.endswith("_UNSPECIFIED")]
    assert values
    missing = [v for v in values if f"`{v}`" not in doc]
    assert not missing, f"docs/rules.md does not name {missing}"
