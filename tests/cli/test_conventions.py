"""`vigil evaluate` follows Unix conventions (issue 17): "-" is standard
input or output, diagnostics go to stderr in every format (the full list to
--diagnostics FILE), --strict exits 3 on rows not used or an as-of outside
the data, and unknown flags and commands get a "did you mean"."""
import csv
import io
import json
import os
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
PACK = os.path.join(EX, "rules.textproto")
DATA = os.path.join(EX, "observations.csv")
META = ["--providers", os.path.join(EX, "providers.csv"),
        "--indicators", os.path.join(EX, "indicators.csv")]


def vigil(*args, stdin=None):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=120,
                          input=stdin)


@pytest.fixture
def bad_rows(tmp_path):
    """The example's data with two rows that cannot be used."""
    path = tmp_path / "observations.csv"
    with open(DATA) as f:
        text = f.read()
    path.write_text(text + "R0A,AE_4HR_T1,2019-13,5,,\nNOPE,AE_4HR_T1,2019-03,5,,\n")
    return str(path)


def test_data_from_stdin_and_report_to_stdout_as_from_files():
    with open(DATA) as f:
        piped = vigil("evaluate", "--rules", PACK, "--data", "-", *META, "--as-of",
                      "2019-03", "--format", "json", "--output", "-", stdin=f.read())
    from_file = vigil("evaluate", "--rules", PACK, "--data", DATA, *META, "--as-of",
                      "2019-03", "--format", "json")
    assert piped.returncode == 0, piped.stderr
    assert not os.path.exists("-")
    a, b = json.loads(piped.stdout), json.loads(from_file.stdout)
    assert len(a["assessments"]) == len(b["assessments"]) > 1000
    assert [x["rating"] for x in a["assessments"]] == [x["rating"] for x in b["assessments"]]


def test_rules_from_stdin():
    with open(PACK) as f:
        r = vigil("evaluate", "--rules", "-", "--data", DATA, *META, "--as-of", "2019-03",
                  stdin=f.read())
    assert r.returncode == 0, r.stderr
    assert "Bradford" in r.stdout


def test_stdin_can_be_read_once():
    with open(PACK) as f:
        r = vigil("evaluate", "--rules", "-", "--data", "-", *META, stdin=f.read())
    assert r.returncode == 1
    assert "only one argument may be '-'" in r.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "html"])
def test_every_format_says_on_stderr_that_rows_were_not_used(bad_rows, fmt, tmp_path):
    r = vigil("evaluate", "--rules", PACK, "--data", bad_rows, *META, "--as-of", "2019-03",
              "--format", fmt, "--output", str(tmp_path / "out"))
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("vigil: 2 rows not used; first: ")
    assert "--diagnostics FILE" in lines[0]


def test_diagnostics_file_lists_every_one(bad_rows, tmp_path):
    listed = tmp_path / "diagnostics.csv"
    r = vigil("evaluate", "--rules", PACK, "--data", bad_rows, *META, "--as-of", "2019-03",
              "--format", "csv", "--diagnostics", str(listed))
    assert r.returncode == 0
    rows = list(csv.DictReader(io.StringIO(listed.read_text())))
    errors = [d for d in rows if d["severity"] == "error"]
    assert len(errors) == 2
    assert {d["code"] for d in errors} == {"bad_period", "unknown_provider"}
    assert all(int(d["row"]) > 14000 for d in errors)
    assert "--diagnostics FILE" not in r.stderr


def test_strict_exits_3_on_rows_not_used_but_writes_the_report(bad_rows, tmp_path):
    out = tmp_path / "report.json"
    r = vigil("evaluate", "--rules", PACK, "--data", bad_rows, *META, "--as-of", "2019-03",
              "--strict", "--output", str(out))
    assert r.returncode == 3
    assert "--strict" in r.stderr
    assert json.loads(out.read_text())["observations_rejected"] == "2"
    clean = vigil("evaluate", "--rules", PACK, "--data", DATA, *META, "--as-of", "2019-03",
                  "--strict")
    assert clean.returncode == 0 and clean.stderr == ""


@pytest.mark.parametrize("as_of,words", [("2030-03", "after the latest data (Mar 2019)"),
                                         ("2010-03", "before the earliest data")])
def test_as_of_outside_the_data_is_a_warning_or_under_strict_an_error(as_of, words):
    r = vigil("evaluate", "--rules", PACK, "--data", DATA, *META, "--as-of", as_of)
    assert r.returncode == 0
    assert "warning" in r.stderr and words in r.stderr
    strict = vigil("evaluate", "--rules", PACK, "--data", DATA, *META, "--as-of", as_of,
                   "--strict")
    assert strict.returncode == 3
    assert words in strict.stderr and strict.stdout == ""


@pytest.mark.parametrize("args,suggestion", [
    (["evaluat"], "did you mean evaluate?"),
    (["valdiate"], "did you mean validate?"),
    (["evaluate", "--rule", "x"], "did you mean --rules?"),
    (["evaluate", "--as_of", "2019-03"], "did you mean --as-of?"),
    (["evaluate", "--formt", "json"], "did you mean --format?"),
])
def test_unknown_flags_and_commands_suggest_the_closest(args, suggestion):
    r = vigil(*args)
    assert r.returncode == 2
    assert suggestion in r.stderr


def test_nothing_close_suggests_nothing():
    r = vigil("evaluate", "--zzzzzzzz", "1")
    assert r.returncode == 2 and "did you mean" not in r.stderr


def test_spc_and_funnel_read_stdin_and_write_stdout(tmp_path):
    series = "series_id,period,value\n" + "".join(
        f"a,2020-{m:02d},{v}\n" for m, v in zip(range(1, 13), [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 5, 30]))
    r = vigil("spc", "--input", "-", stdin=series)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("series_id,period,value,mean") and len(lines) == 13
    assert "Above UCL" in lines[-1]
    groups = "group,numerator,denominator\n" + "".join(
        f"g{i},{n},100\n" for i, n in enumerate([10, 12, 9, 11, 10, 40, 8, 13, 10, 11]))
    r = vigil("funnel", "--input", "-", "--type", "proportion", stdin=groups)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("group,numerator,denominator,value")
    assert len(r.stdout.splitlines()) == 11
