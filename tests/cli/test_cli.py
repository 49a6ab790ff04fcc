"""End-to-end tests of the `vigil` command-line tool on the bundled example."""
import csv
import io
import json
import os
import subprocess

import pytest

TOOL = os.environ["VIGIL_TOOL"]
ROOT = os.environ["VIGIL_SOURCE_DIR"]
EX = os.path.join(ROOT, "examples", "nhs_early_warning")
HERE = os.path.dirname(os.path.abspath(__file__))


def vigil(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=120)


def example_args(*extra, data="observations.csv"):
    """The main job's arguments (its data: observations.csv)."""
    return ["evaluate", "--rules", os.path.join(EX, "rules.textproto"),
            "--data", os.path.join(EX, data),
            "--providers", os.path.join(EX, "providers.csv"),
            "--indicators", os.path.join(EX, "indicators.csv"),
            "--as-of", "2019-03", *extra]


def test_table_dashboard_covers_every_trust_worst_first_with_reasons():
    r = vigil(*example_args())
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Vigil Early Warning Dashboard: nhs-early-warning-ae v2.0, as of Mar 2019")
    headers = [l for l in lines if l.split(" ")[0] in ("RED", "AMBER", "NO", "GREEN")]
    assert len(headers) >= 130
    ranks = {"RED": 0, "AMBER": 1, "NO": 2, "GREEN": 3}
    order = [ranks[h.split(" ")[0]] for h in headers]
    assert order == sorted(order), "providers are listed worst first"
    assert any("against the 95% standard (red below 90%)" in l for l in lines)
    assert any("[variation: concern_low, assurance: consistent_fail]" in l for l in lines)


def test_json_format_is_the_full_report():
    r = vigil(*example_args("--format", "json"))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["as_of"] == "2019-03"
    assert len(report["providers"]) == 140
    assert all(a["reason"] for a in report["assessments"])


def test_csv_format_has_one_row_per_assessment():
    j = json.loads(vigil(*example_args("--format", "json")).stdout)
    r = vigil(*example_args("--format", "csv"))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(j["assessments"])
    assert {row["rating"] for row in rows} <= {"green", "amber", "red", "no_data", "not_applicable"}


def test_output_flag_writes_the_file(tmp_path):
    out = tmp_path / "report.json"
    r = vigil(*example_args("--format", "json", "--output", str(out)))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["ruleset_id"] == "nhs-early-warning-ae"


def test_output_extension_chooses_the_format(tmp_path):
    for name, starts in (("board.html", "<!DOCTYPE html>"), ("board.HTM", "<!DOCTYPE html>"),
                         ("r.json", "{"), ("r.csv", "provider_id,"), ("r.txt", "Vigil Early")):
        out = tmp_path / name
        r = vigil(*example_args("--output", str(out)))
        assert r.returncode == 0, r.stderr
        assert out.read_text(encoding="utf-8").startswith(starts), name
    # --format wins over the extension.
    out = tmp_path / "x.html"
    assert vigil(*example_args("--format", "json", "--output", str(out))).returncode == 0
    assert json.loads(out.read_text())["as_of"] == "2019-03"


def test_html_format_draws_a_chart_per_spc_assessment():
    r = vigil(*example_args("--format", "html"))
    assert r.returncode == 0, r.stderr
    page = r.stdout
    assert page.count('<section class="provider"') == 140
    j = json.loads(vigil(*example_args("--format", "json", "--chart-periods", "36")).stdout)
    charted = [a for a in j["assessments"] if a.get("spc", {}).get("chart_points")]
    assert page.count('<svg class="spc"') == len(charted) > 0
    # The last 36 months, or the whole series when shorter; ending at the as-of.
    assert max(len(a["spc"]["chart_points"]) for a in charted) == 36
    assert all(len(a["spc"]["chart_points"]) <= 36 for a in charted)
    assert all(a["spc"]["chart_points"][-1]["period"] == "2019-03" for a in charted)
    # JSON carries no chart unless asked.
    plain = json.loads(vigil(*example_args("--format", "json")).stdout)
    assert not any(a.get("spc", {}).get("chart_points") for a in plain["assessments"])


@pytest.mark.parametrize("flags", [["--format", "pdf"], ["--chart-periods", "-1"],
                                   ["--chart-periods", "x"], ["--chart-periods", "10001"]])
def test_bad_format_or_chart_periods_is_a_usage_error(flags):
    r = vigil(*example_args(*flags))
    assert r.returncode == 2
    assert flags[0] in r.stderr


def test_validate_accepts_the_example_pack():
    r = vigil("validate", "--rules", os.path.join(EX, "rules.textproto"))
    assert r.returncode == 0
    assert r.stdout.startswith("ok: ")


def test_validate_accepts_a_disabled_rule_of_every_kind():
    r = vigil("validate", "--rules", os.path.join(HERE, "data", "disabled_every_kind.textproto"))
    assert r.returncode == 0, r.stderr
    assert "9 rules (8 disabled)" in r.stdout


def test_validate_names_the_rule_and_field_of_a_mistake():
    r = vigil("validate", "--rules", os.path.join(HERE, "data", "bad_window.textproto"))
    assert r.returncode == 1
    assert "rule 'ae_4hr_mean' (rules[0]): threshold.window_periods" in r.stderr


def test_unparseable_pack_gives_line_and_column(tmp_path):
    pack = tmp_path / "pack.textproto"
    pack.write_text('id: "x"\nrules { id: "a" colour: 3 }\n')
    r = vigil("validate", "--rules", str(pack))
    assert r.returncode == 1
    assert "line 2 column" in r.stderr and "colour" in r.stderr


def test_missing_file_is_an_error_naming_it():
    r = vigil(*example_args()[:3], "--data", "/nonexistent/obs.csv",
              "--indicators", os.path.join(EX, "indicators.csv"))
    assert r.returncode == 1
    assert "/nonexistent/obs.csv" in r.stderr


def test_bad_rows_are_listed_with_file_and_line_and_the_rest_is_used(tmp_path):
    obs = tmp_path / "obs.csv"
    obs.write_text("provider_id,indicator_id,period,numerator,denominator\n"
                   "RRK,AE_4HR_T1,2019-03,900,1000\n"
                   "RRK,AE_4HR_T1,2019-02,900,0\n"
                   "XYZ,AE_4HR_T1,2019-03,900,1000\n")
    r = vigil("evaluate", "--rules", os.path.join(EX, "rules.textproto"),
              "--data", str(obs), "--providers", os.path.join(EX, "providers.csv"),
              "--indicators", os.path.join(EX, "indicators.csv"), "--as-of", "2019-03")
    assert r.returncode == 0, r.stderr
    assert "obs.csv line 3: denominator 0 is not above zero" in r.stdout
    assert "obs.csv line 4: provider 'XYZ' is not defined" in r.stdout
    assert "3 observations read, 1 used, 2 not used" in r.stdout


def test_plans_flag_indexes_plan_values_and_lists_bad_plan_rows(tmp_path):
    plans = tmp_path / "plans.csv"
    plans.write_text("provider_id,indicator_id,period,value\n"
                     "RRK,AE_4HR_T1,2019-03,95\n"
                     "RRK,AE_4HR_T1,2019-03,90\n"
                     "RRK,AE_4HR_T1,2019-04,lots\n"
                     "XYZ,AE_4HR_T1,2019-03,95\n")
    more = tmp_path / "more_plans.csv"
    more.write_text("provider_id,indicator_id,period,value\nRXQ,AE_4HR_T1,2019-03,95\n")
    without = json.loads(vigil(*example_args("--format", "json")).stdout)
    r = vigil(*example_args("--plans", str(plans), "--plans", str(more), "--format", "json"))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert (int(report["plans_read"]), int(report["plans_used"]),
            int(report["plans_rejected"])) == (5, 1, 4)
    assert "plans_read" not in without
    for key in ("observations_read", "observations_used", "observations_rejected", "as_of"):
        assert report.get(key) == without.get(key)
    plan_rows = [d for d in report["diagnostics"] if d.get("source") == "plans.csv"]
    assert [(int(d["row"]), d["code"]) for d in plan_rows] == [
        (2, "DIAGNOSTIC_CODE_DUPLICATE_OBSERVATION"),
        (4, "DIAGNOSTIC_CODE_NON_FINITE_VALUE"),
        (5, "DIAGNOSTIC_CODE_UNKNOWN_PROVIDER")]
    assert "they conflict" in plan_rows[0]["message"]
    assert plan_rows[1]["message"] == (
        "plans.csv line 4: value 'lots' is not a number; the plan row is not used")
    assert plan_rows[1]["field"] == "value"
    table = vigil(*example_args("--plans", str(plans)))
    assert "Plans: 4 plan values read, 0 used, 4 not used." in table.stdout
    missing = vigil(*example_args("--plans", "/nonexistent/plans.csv"))
    assert missing.returncode == 1 and "/nonexistent/plans.csv" in missing.stderr


@pytest.mark.parametrize("args,needle", [
    (["evaluate"], "--rules is required"),
    (["evaluate", "--rules", "x", "--bogus", "1"], "unknown flag --bogus"),
    (["evaluate", "--rules", "x", "--data", "y", "--format", "xml"], "--format must be"),
    (["frobnicate"], "unknown command"),
    (["evaluate", "--rules", "x", "--data", "y", "--threads", "0"], "--threads must be"),
])
def test_usage_errors_exit_2_with_help(args, needle):
    r = vigil(*args)
    assert r.returncode == 2
    assert needle in r.stderr


def test_help_explains_every_flag():
    r = vigil("help", "evaluate")
    assert r.returncode == 0
    for flag in ["--rules", "--data", "--providers", "--indicators", "--plans",
                 "--cquin-weights", "--as-of", "--format", "--output", "--threads"]:
        assert flag in r.stdout
    r = vigil("evaluate", "--help")
    assert r.returncode == 0 and "--as-of" in r.stdout


SPC_INPUT = os.path.join(ROOT, "examples", "spc", "ae_type1_4hr.csv")


def spc_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_json_report_is_streamed_identically_and_a_failed_run_leaves_none(tmp_path):
    # --format json is written as the evaluation goes (a batch of providers
    # at a time): the bytes equal those written with the diagnostics on
    # standard output too, where the whole report is built first.
    out = tmp_path / "report.json"
    r = vigil(*example_args("--format", "json", "--output", str(out)))
    assert r.returncode == 0, r.stderr
    whole = vigil(*example_args("--format", "json", "--diagnostics", "-"))
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.endswith(out.read_text())
    assert json.loads(out.read_text())["as_of"] == "2019-03"
    # A run that fails (too many assessments) leaves no half report: the
    # file is left empty; through a symbolic link, the link stays and its
    # target is emptied.
    r = vigil(*example_args("--format", "json", "--output", str(out),
                            "--max-assessments", "100"))
    assert r.returncode != 0
    assert "max_assessments" in r.stderr
    assert out.read_bytes() == b""
    target = tmp_path / "target.json"
    target.write_text("old report")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = vigil(*example_args("--format", "json", "--output", str(link),
                            "--max-assessments", "100"))
    assert r.returncode != 0
    assert link.is_symlink() and target.read_bytes() == b""


def test_output_to_a_pipe_through_dev_stdout_is_written_whole():
    # /dev/stdout is the pipe here: not a regular file, nothing to cut.
    r = vigil(*example_args("--format", "json", "--output", "/dev/stdout"))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["as_of"] == "2019-03"
    r = vigil("spc", "--input", SPC_INPUT, "--output", "/dev/stdout")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("series_id,period,value,")
    assert len(r.stdout.splitlines()) == 4935


def test_spc_on_real_ae_data_has_every_point_in_series_period_order(tmp_path):
    out = tmp_path / "out.csv"
    r = vigil("spc", "--input", SPC_INPUT, "--output", str(out), "--target", "95")
    assert r.returncode == 0, r.stderr
    rows = spc_rows(out)
    # 4,932 points, and two months with no row (one trust each) written as
    # gaps so each trust's chart keeps its calendar.
    assert len(rows) == 4934
    assert sum(row["point_type"] == "missing" for row in rows) == 2
    assert "2 periods with no row written as gaps" in r.stderr
    assert list(rows[0].keys()) == ["series_id", "period", "value", "mean", "lpl", "upl",
                                    "special_cause_type", "point_type", "variation_icon",
                                    "assurance"]
    keys = [(row["series_id"], row["period"]) for row in rows]
    assert keys == sorted(keys)
    assert {row["assurance"] for row in rows} <= {"consistent_pass", "consistent_fail", "inconsistent"}
    assert any(row["special_cause_type"] == "Below LCL" for row in rows)


def test_spc_row_order_does_not_matter(tmp_path):
    lines = open(SPC_INPUT).read().splitlines()
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([lines[0]] + list(reversed(lines[1:]))) + "\n")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert vigil("spc", "--input", SPC_INPUT, "--output", str(a)).returncode == 0
    assert vigil("spc", "--input", str(shuffled), "--output", str(b)).returncode == 0
    assert a.read_text() == b.read_text()


def test_spc_rewrites_an_existing_output_to_exactly_the_new_content(tmp_path):
    # An existing file is written over in place and cut to length (faster
    # on ext4 than truncating first): what is left must be the new output
    # alone, whether the old file was longer or shorter.
    fresh = tmp_path / "fresh.csv"
    assert vigil("spc", "--input", SPC_INPUT, "--output", str(fresh)).returncode == 0
    expected = fresh.read_bytes()
    longer = tmp_path / "longer.csv"
    longer.write_bytes(b"x" * (len(expected) + 12345))
    shorter = tmp_path / "shorter.csv"
    shorter.write_bytes(b"old,short\n")
    for path in (longer, shorter):
        r = vigil("spc", "--input", SPC_INPUT, "--output", str(path))
        assert r.returncode == 0, r.stderr
        assert path.read_bytes() == expected
    # A file that cannot be read, only written, is truncated as before.
    write_only = tmp_path / "write_only.csv"
    write_only.write_bytes(b"y" * (len(expected) + 10))
    os.chmod(write_only, 0o200)
    r = vigil("spc", "--input", SPC_INPUT, "--output", str(write_only))
    os.chmod(write_only, 0o600)
    assert r.returncode == 0, r.stderr
    assert write_only.read_bytes() == expected


def test_spc_matches_the_reference_deviation_vignette(tmp_path):
    series = tmp_path / "s.csv"
    ys = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    series.write_text("series_id,period,value\n" +
                      "".join(f"s,2020-{i + 1:02d},{y}\n" if i < 12 else f"s,2021-{i - 11:02d},{y}\n"
                              for i, y in enumerate(ys)))
    out = tmp_path / "o.csv"
    assert vigil("spc", "--input", str(series), "--output", str(out)).returncode == 0
    rows = spc_rows(out)
    assert rows[4]["special_cause_type"] == "Above UCL"
    assert rows[4]["point_type"] == "special_cause_improvement"
    assert abs(float(rows[0]["upl"]) - 4.6) < 0.005
    out2 = tmp_path / "o2.csv"
    assert vigil("spc", "--input", str(series), "--output", str(out2), "--no-screen").returncode == 0
    assert abs(float(spc_rows(out2)[0]["upl"]) - 6.95) < 0.005


def test_spc_gaps_are_reported_and_duplicates_rejected(tmp_path):
    series = tmp_path / "s.csv"
    series.write_text("series_id,period,value\na,2020-01,1\na,2020-02,\na,2020-03,2\n")
    out = tmp_path / "o.csv"
    r = vigil("spc", "--input", str(series), "--output", str(out))
    assert r.returncode == 0
    assert "1 empty values skipped as gaps" in r.stderr and "line 3" in r.stderr
    assert spc_rows(out)[1]["point_type"] == "missing"
    series.write_text("series_id,period,value\na,2020-01,1\na,2020-01,2\n")
    r = vigil("spc", "--input", str(series), "--output", str(out))
    assert r.returncode == 1
    assert "lines 2 and 3" in r.stderr and "two rows for 2020-01" in r.stderr


@pytest.mark.parametrize("args,needle", [
    (["--direction", "up"], "--direction must be"),
    (["--run-length", "x"], "--run-length must be"),
])
def test_spc_usage_errors(tmp_path, args, needle):
    r = vigil("spc", "--input", SPC_INPUT, "--output", str(tmp_path / "o.csv"), *args)
    assert r.returncode == 2 and needle in r.stderr


def test_spc_option_errors_name_the_option(tmp_path):
    r = vigil("spc", "--input", SPC_INPUT, "--output", str(tmp_path / "o.csv"), "--fix-after", "5")
    assert r.returncode == 1 and "fix_after_n_points" in r.stderr


def test_c_example_agrees_with_vigil_evaluate_on_every_worst_rating():
    r = subprocess.run([os.environ["VIGIL_C_EXAMPLE"], EX, "2019-03"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    from_c = {line.split("\t")[0]: line.split("\t")[1] for line in r.stdout.splitlines()}
    # The C example reads observations.csv (the type-1 series only).
    report = json.loads(vigil(*example_args("--format", "json",
                                            data="observations.csv")).stdout)
    from_tool = {p["provider_id"]: p["worst_rating"][len("RATING_"):].lower()
                 for p in report["providers"]}
    assert len(from_c) == 140
    assert from_c == from_tool


def test_cquin_weights_errors_name_the_file_line_and_column(tmp_path):
    weights = tmp_path / "weights.csv"
    for text, needle in [
            ("rule_id,provider_id,weight\nae_4hr_standard,RAE,1000\n",
             "line 2: column rule_id: 'ae_4hr_standard' is not a milestone"),
            ("rule_id,provider\n", "line 1: no 'provider_id' column"),
            ("", "empty (header rule_id,provider_id,weight)")]:
        weights.write_text(text)
        r = vigil(*example_args("--cquin-weights", str(weights)))
        assert r.returncode == 1, r.stdout
        assert str(weights) in r.stderr and needle in r.stderr, r.stderr


def test_cquin_weights_replace_the_pack_weight_for_that_provider(tmp_path):
    hcai = os.path.join(ROOT, "examples", "hcai")
    args = ["evaluate", "--rules", os.path.join(hcai, "rules.textproto"),
            "--data", os.path.join(hcai, "observations.csv"),
            "--providers", os.path.join(hcai, "providers.csv"),
            "--indicators", os.path.join(hcai, "indicators.csv"),
            "--plans", os.path.join(hcai, "plans.csv"), "--as-of", "2018-03",
            "--format", "json"]

    def cquin(report, rule):
        for a in report["assessments"]:
            if a["provider_id"] == "R0A" and a["rule_id"] == rule:
                return a["cquin"]
        raise AssertionError(rule)

    pack = json.loads(vigil(*args).stdout)
    assert cquin(pack, "cquin_cdi")["weight"] == 250000
    weights = tmp_path / "weights.csv"
    weights.write_text("provider_id,rule_id,weight\nR0A,cquin_cdi,500000\n")
    r = vigil(*args, "--cquin-weights", str(weights))
    assert r.returncode == 0, r.stderr
    mine = json.loads(r.stdout)
    # All or nothing, 2 of 4 quarters met: half earned, half at risk.
    assert cquin(mine, "cquin_cdi") == {**cquin(pack, "cquin_cdi"), "weight": 500000,
                                        "earned": 250000, "at_risk": 250000}
    assert cquin(mine, "cquin_cdi_onset") == cquin(pack, "cquin_cdi_onset")


def test_every_row_bad_without_as_of_names_the_rows_reasons(tmp_path):
    # Issue 14, defect 4: this said only "as_of: not given".
    data = tmp_path / "obs.csv"
    data.write_text("provider_id,indicator_id,period,value\n"
                    "P1,AE_4HR_T1,notaperiod,5\nP2,AE_4HR_T1,2019-13,6\n")
    r = vigil("evaluate", "--rules", os.path.join(EX, "rules.textproto"), "--data", str(data))
    assert r.returncode == 1
    assert "none of the 2 observations could be used" in r.stderr
    assert "obs.csv line 2: period \"notaperiod\"" in r.stderr
    assert "obs.csv line 3: period \"2019-13\" has a month outside 01..12" in r.stderr


@pytest.mark.parametrize("flag", ["--rules", "--data", "--providers"])
def test_a_directory_given_as_a_file_says_so(tmp_path, flag):
    # Issue 14, defect 4: this said "must end in .textproto ...".
    args = {"--rules": os.path.join(EX, "rules.textproto"),
            "--data": os.path.join(EX, "observations.csv"),
            "--providers": os.path.join(EX, "providers.csv")}
    args[flag] = str(tmp_path)
    r = vigil("evaluate", *[x for kv in args.items() for x in kv], "--as-of", "2019-03")
    assert r.returncode == 1
    assert f"{tmp_path}: is a directory; give a file" in r.stderr
