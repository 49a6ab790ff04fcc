"""`vigil validate` and the spellings packs and CSV files share (issue 17).

Packs (text and JSON) and CSV files take the same enum spellings: the full
name (POLARITY_HIGHER_IS_BETTER) and the short name in any case
(higher_is_better). `--indicators FILE` warns about rules whose direction
cannot apply to the indicators they select.
"""
import json
import os
import re
import subprocess

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
EX = os.path.join(ROOT, "examples", "nhs_early_warning")


def vigil(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=120)


def evaluate(rules, indicators=os.path.join(EX, "indicators.csv")):
    r = vigil("evaluate", "--rules", str(rules),
              "--data", os.path.join(EX, "observations.csv"),
              "--providers", os.path.join(EX, "providers.csv"),
              "--indicators", str(indicators), "--as-of", "2019-03", "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["assessments"]


PREFIXES = ("SEVERITY_", "STATISTIC_", "TREND_COMPARISON_", "RATING_", "POLARITY_",
            "SPC_CHART_", "METHOD_", "ADJUSTMENT_", "SCALE_", "DOMAIN_", "PROVIDER_TYPE_")


def shorten(text):
    """Full enum names to lower-case short names: SEVERITY_WARNING -> warning."""
    pattern = r":\s*(" + "|".join(PREFIXES) + r")([A-Z_]+)"
    return re.sub(pattern, lambda m: ": " + m.group(2).lower(), text)


def test_a_pack_with_short_spellings_rates_as_the_full_spellings(tmp_path):
    full = open(os.path.join(EX, "rules.textproto"), encoding="utf-8").read()
    short = shorten(full)
    assert short != full and "severity: critical" in short
    pack = tmp_path / "short.textproto"
    pack.write_text(short, encoding="utf-8")
    assert vigil("validate", "--rules", str(pack)).returncode == 0
    assert evaluate(pack) == evaluate(os.path.join(EX, "rules.textproto"))


def test_a_json_pack_takes_short_spellings_in_any_case(tmp_path):
    pack = tmp_path / "p.json"
    pack.write_text(json.dumps({
        "id": "j", "rules": [{
            "id": "adm", "severity": "Critical",
            "selector": {"indicatorIds": ["AE_ADM_T1"]},
            "trend": {"comparison": "same period last year", "polarity": "lower_is_better",
                      "worseRating": "red"}}]}))
    r = vigil("validate", "--rules", str(pack))
    assert r.returncode == 0, r.stderr
    ratings = {a["rating"] for a in evaluate(pack)}
    assert "RATING_NOT_APPLICABLE" not in ratings, "the rule's polarity applies"
    assert "RATING_RED" in ratings


def test_an_unknown_spelling_names_the_field_line_and_accepted_spellings(tmp_path):
    pack = tmp_path / "bad.textproto"
    pack.write_text('id: "b"\nrules {\n  id: "t"\n  selector { indicator_ids: "X" }\n'
                    '  threshold { standard: 1 statistic: LATES }\n}\n')
    r = vigil("validate", "--rules", str(pack))
    assert r.returncode == 1
    assert ('line 5 column 38: unknown value "LATES" for field "statistic" '
            "(rules[0].threshold.statistic), a vigil.v1.Statistic; write one of latest, "
            "mean, sum, year_to_date") in r.stderr


def test_csv_indicators_take_full_enum_names_too(tmp_path):
    src = open(os.path.join(EX, "indicators.csv"), encoding="utf-8").read().splitlines()
    out = [src[0]]
    for line in src[1:]:
        cells = line.split(",")
        cells[2] = "DOMAIN_" + cells[2].upper()
        cells[3] = "UNIT_" + cells[3].upper()
        cells[4] = "POLARITY_" + cells[4].upper()
        cells[5] = "FREQUENCY_" + cells[5].upper()
        out.append(",".join(cells))
    assert "POLARITY_HIGHER_IS_BETTER" in "\n".join(out)
    full = tmp_path / "indicators.csv"
    full.write_text("\n".join(out) + "\n", encoding="utf-8")
    rules = os.path.join(EX, "rules.textproto")
    assert evaluate(rules, full) == evaluate(rules)


NEUTRAL_PACK = """id: "n"
rules {
  id: "adm_level"
  selector { indicator_ids: ["AE_4HR_T1", "AE_ADM_T1"] }
  threshold { standard: 5000 }
}
rules {
  id: "adm_rising"
  selector { indicator_ids: "AE_ADM_T1" }
  trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD polarity: POLARITY_LOWER_IS_BETTER }
}
"""


def test_validate_indicators_warns_of_a_threshold_on_a_neutral_indicator(tmp_path):
    pack = tmp_path / "n.textproto"
    pack.write_text(NEUTRAL_PACK)
    r = vigil("validate", "--rules", str(pack), "--indicators", os.path.join(EX, "indicators.csv"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: ")
    warnings = [l for l in r.stderr.splitlines() if l.startswith("vigil: warning: ")]
    assert warnings == [
        "vigil: warning: rule 'adm_level' (rules[0]): a threshold rule needs a direction, "
        "and indicator 'AE_ADM_T1' (Emergency admissions via A&E (type 1)) has polarity "
        "neutral: it is NOT_APPLICABLE for every provider (set the rule's polarity, or the "
        "indicator's)"], "the trend sets its own polarity: no warning"


def test_validate_indicators_warns_of_an_indicator_the_file_lacks(tmp_path):
    pack = tmp_path / "typo.textproto"
    pack.write_text('id: "t"\nrules { id: "a" selector { indicator_ids: "AE_4HR" } '
                    'threshold { standard: 95 } }\n')
    r = vigil("validate", "--rules", str(pack), "--indicators", os.path.join(EX, "indicators.csv"))
    assert r.returncode == 0
    assert "rule 'a' (rules[0]): selects indicator 'AE_4HR', which the indicators do not define" in r.stderr


def test_validate_without_indicators_prints_no_warning(tmp_path):
    pack = tmp_path / "n.textproto"
    pack.write_text(NEUTRAL_PACK)
    r = vigil("validate", "--rules", str(pack))
    assert r.returncode == 0 and r.stderr == ""


def test_validate_fails_on_an_unreadable_indicators_file(tmp_path):
    r = vigil("validate", "--rules", os.path.join(EX, "rules.textproto"),
              "--indicators", str(tmp_path / "missing.csv"))
    assert r.returncode == 1
    assert "missing.csv" in r.stderr


def test_the_example_pack_makes_sense_for_its_indicators():
    r = vigil("validate", "--rules", os.path.join(EX, "rules.textproto"),
              "--indicators", os.path.join(EX, "indicators.csv"))
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_validate_usage_documents_indicators_and_spellings():
    r = vigil("help", "validate")
    assert "--indicators FILE" in r.stdout
    assert "neutral" in r.stdout and "higher_is_better" in r.stdout


def test_validate_reads_the_pack_or_the_indicators_from_stdin(tmp_path):
    pack = tmp_path / "n.textproto"
    pack.write_text(NEUTRAL_PACK)
    r = subprocess.run([TOOL, "validate", "--rules", "-"], input=NEUTRAL_PACK,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("ok: -: rule pack 'n'"), r.stderr
    indicators = open(os.path.join(EX, "indicators.csv"), encoding="utf-8").read()
    r = subprocess.run([TOOL, "validate", "--rules", str(pack), "--indicators", "-"],
                       input=indicators, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert "indicator 'AE_ADM_T1'" in r.stderr
