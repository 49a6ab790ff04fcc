"""Runs the bad-input catalogue (catalogue.py): every malformed input gives
the error class and names the field, row or line; every report accounts for
every row (issue 14).

Environment: VIGIL_TOOL (the `vigil` tool), VIGIL_LIBRARY (libvigil.so).
"""
import ctypes
import json
import math
import os
import subprocess
import sys
from ctypes import POINTER, c_char_p, c_double, c_int, c_longlong, c_size_t, c_ubyte, c_void_p

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import catalogue as cat  # noqa: E402

TOOL = os.environ.get("VIGIL_TOOL")
LIBRARY = os.environ.get("VIGIL_LIBRARY")


def _param(case):
    marks = []
    if case.defect:
        happens, should = cat.KNOWN_DEFECTS[case.defect]
        marks.append(pytest.mark.xfail(
            strict=True, reason=f"KNOWN_DEFECTS[{case.defect!r}]: {happens} Should: {should}"))
    return pytest.param(case, id=f"{case.kind}-{case.name}", marks=marks)


def _cases(*kinds):
    return [_param(c) for c in cat.CASES if c.kind in kinds]


# ---- The catalogue itself ----------------------------------------------------

def test_the_catalogue_is_well_formed():
    names = [c.name for c in cat.CASES]
    assert len(names) == len(set(names)), "case names are unique"
    assert len(cat.CASES) >= 60
    assert {c.kind for c in cat.CASES} == set(cat.KINDS)
    used = {c.defect for c in cat.CASES if c.defect}
    assert used <= set(cat.KNOWN_DEFECTS), used - set(cat.KNOWN_DEFECTS)
    assert set(cat.KNOWN_DEFECTS) <= used, "every known defect has a case"
    for c in cat.CASES:
        if c.kind == cat.CAPI:
            assert c.steps and not c.args, c.name
        else:
            assert c.args is not None and c.exit is not None and not c.steps, c.name


# ---- Reports: expected diagnostics and the accounting ------------------------

def _int(report, key):
    return int(report.get(key, 0))


def _classify(source, plan_files, definition_files):
    """'plans', 'definitions' or 'observations', from a diagnostic's source."""
    if source in plan_files or source == "plans" or source.endswith(" plans"):
        return "plans"
    if (source in definition_files or source in ("providers", "indicators")
            or source.endswith((" providers", " indicators"))):
        return "definitions"
    return "observations"


def _others(d):
    """The further rows of a diagnostic as (source, row)."""
    rows = [int(r) for r in d.get("other_rows", [])]
    sources = d.get("other_sources") or [d.get("source", "")] * len(rows)
    return list(zip(sources, rows))


def check_accounting(report, plan_files=(), definition_files=()):
    """read = used + not used, and every row not used is named by a
    diagnostic: error rows (with their further rows), the further rows of
    identical duplicates (used once), suppressed rows, and the per-indicator
    counts of rows after the as-of period or of unselected indicators."""
    for kind in ("observations", "plans"):
        read, used, rejected = (_int(report, f"{kind}_{k}") for k in ("read", "used", "rejected"))
        assert read == used + rejected, f"{kind}: {read} read != {used} used + {rejected} not used"
    named = {"observations": set(), "plans": set()}
    aggregated = 0
    for d in report.get("diagnostics", []):
        source, row = d.get("source", ""), int(d.get("row", 0))
        kind = _classify(source, plan_files, definition_files)
        if kind == "definitions":
            continue
        if row == 0:
            if (kind == "observations" and d.get("field") != "plans" and d["code"] in (
                    cat.code("AFTER_AS_OF"), cat.code("NOT_SELECTED"))):
                aggregated += int(d["message"].split()[0])
            continue
        if d["severity"] == cat.E:
            named[kind].add((source, row))
            named[kind].update(_others(d))
        elif d["code"] == cat.code("DUPLICATE_OBSERVATION"):
            named[kind].update(_others(d))  # Identical: the first is used once.
        elif d["code"] == cat.code("NOT_USABLE"):
            named[kind].add((source, row))
    assert len(named["observations"]) + aggregated == _int(report, "observations_rejected"), (
        "every observation not used is named by a diagnostic", sorted(named["observations"]), aggregated)
    assert len(named["plans"]) == _int(report, "plans_rejected"), (
        "every plan row not used is named by a diagnostic", sorted(named["plans"]))


def _matches(d, want):
    if d.get("code") != want.code or d.get("severity") != want.severity:
        return False
    if want.source is not None and d.get("source", "") != want.source:
        return False
    if want.row is not None and int(d.get("row", 0)) != want.row:
        return False
    if want.field is not None and d.get("field", "") != want.field:
        return False
    if any(m not in d.get("message", "") for m in want.message):
        return False
    if want.others is not None and _others(d) != list(want.others):
        return False
    return True


def check_report(case, report, plan_files=(), definition_files=()):
    diagnostics = report.get("diagnostics", [])
    for want in case.diagnostics:
        assert any(_matches(d, want) for d in diagnostics), (
            f"no diagnostic like {want}", [
                {k: d.get(k) for k in ("severity", "code", "source", "row", "field", "other_rows",
                                       "message")} for d in diagnostics])
    if case.counts is not None:
        got = {k: _int(report, k) for k in case.counts}
        assert got == case.counts
    for reason in case.reasons:
        assert any(reason in a.get("reason", "") for a in report.get("assessments", [])), reason
    check_accounting(report, plan_files, definition_files)


# ---- The tool ------------------------------------------------------------------

def _files_after(args, flags):
    return {os.path.basename(args[i + 1].lstrip("@")) for i, a in enumerate(args[:-1]) if a in flags}


@pytest.mark.parametrize("case", _cases(cat.PACK, cat.DATA, cat.FLAGS))
def test_tool(case, tmp_path):
    assert TOOL, "set VIGIL_TOOL to the vigil tool"
    for name, content in case.files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(tmp_path / name, mode, **({} if mode == "wb" else {"newline": ""})) as f:
            f.write(content)
    args = [str(tmp_path) if a == "@" else str(tmp_path / a[1:]) if a.startswith("@") else a
            for a in case.args]
    r = subprocess.run([TOOL, *args], capture_output=True, timeout=60)
    stderr = r.stderr.decode("utf-8", "replace")
    assert r.returncode >= 0, f"killed by signal {-r.returncode}: {stderr}"
    assert "[libprotobuf" not in stderr, "libprotobuf's log reached stderr: " + stderr
    assert r.returncode == case.exit, (r.returncode, stderr[:2000])
    for needle in case.stderr:
        needle = needle.replace("{tmp}", str(tmp_path))
        assert needle in stderr, (needle, stderr[:2000])
    if r.returncode != 0:
        assert r.stdout == b"", "a failed run prints no report"
    for name, needles in (case.outputs or {}).items():
        text = (tmp_path / name).read_text()
        for needle in needles:
            assert needle in text, (name, needle, text[:2000])
    if r.returncode == 0 and "--format" in args and args[args.index("--format") + 1] == "json":
        report = json.loads(r.stdout)
        check_report(case, report, plan_files=_files_after(case.args, {"--plans"}),
                     definition_files=_files_after(case.args, {"--providers", "--indicators"}))
    else:
        assert not case.diagnostics and case.counts is None, "expectations need a JSON report"


# ---- The C API -------------------------------------------------------------------

ERR = POINTER(c_void_p)
PD, PI, PS = POINTER(c_double), POINTER(c_int), POINTER(c_char_p)
PV = POINTER(c_void_p)

# name: (restype, argtypes without error_message, takes error_message)
SIGNATURES = {
    "vigil_status_name": (c_char_p, [c_int], False),
    "vigil_rating_name": (c_char_p, [c_int], False),
    "vigil_enum_name": (c_char_p, [c_char_p, c_int], False),
    "vigil_free": (None, [c_void_p], False),
    "vigil_engine_create": (c_int, [c_void_p, c_size_t, c_int, PV], True),
    "vigil_engine_create_from_file": (c_int, [c_char_p, PV], True),
    "vigil_engine_destroy": (None, [c_void_p], False),
    "vigil_dataset_create": (c_int, [PV], False),
    "vigil_dataset_destroy": (None, [c_void_p], False),
    "vigil_dataset_add_provider": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p], True),
    "vigil_dataset_add_indicator": (c_int, [c_void_p] + [c_char_p] * 6 + [c_double], True),
    "vigil_dataset_add_observation": (c_int, [c_void_p] + [c_char_p] * 3 + [c_double] * 3, True),
    "vigil_dataset_add_observations": (c_int, [c_void_p, c_size_t, PS, PS, PS, PD, PD, PD], True),
    "vigil_dataset_add_plan": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p, c_double], True),
    "vigil_dataset_add_plans": (c_int, [c_void_p, c_size_t, PS, PS, PS, PD], True),
    "vigil_dataset_add_bytes": (c_int, [c_void_p, c_void_p, c_size_t, c_int, c_int, c_char_p], True),
    "vigil_dataset_add_file": (c_int, [c_void_p, c_char_p, c_int], True),
    "vigil_engine_evaluate": (c_int, [c_void_p, c_void_p, c_char_p, c_int, PV], True),
    "vigil_engine_evaluate_bytes": (c_int, [c_void_p, c_void_p, c_size_t, c_int, c_char_p, PV], True),
    "vigil_report_destroy": (None, [c_void_p], False),
    "vigil_report_serialize": (c_int, [c_void_p, c_int, PV, POINTER(c_size_t)], True),
    "vigil_report_assessment_count": (c_size_t, [c_void_p], False),
    "vigil_report_assessment_provider_id": (c_char_p, [c_void_p, c_size_t], False),
    "vigil_report_assessment_value": (c_int, [c_void_p, c_size_t, PD], False),
    "vigil_report_diagnostic_message": (c_char_p, [c_void_p, c_size_t], False),
    "vigil_report_diagnostic_row": (c_longlong, [c_void_p, c_size_t], False),
    "vigil_spc_analyze": (c_int, [PD, c_size_t, POINTER(c_ubyte), PD, c_int, c_int, c_int, c_int,
                                  PD, PD, PD, PI, PI, PI, PI], True),
    "vigil_spc_chart_analyze": (c_int, [c_int, PD, PD, c_size_t, POINTER(c_ubyte), PD, c_double,
                                        c_int, c_int, c_int, c_int, c_int] + [PD] * 6 + [PI] * 7,
                                True),
    "vigil_funnel_options_create": (c_int, [PV], False),
    "vigil_funnel_options_destroy": (None, [c_void_p], False),
    "vigil_funnel_options_set_type": (c_int, [c_void_p, c_int], True),
    "vigil_funnel_options_set_scale": (c_int, [c_void_p, c_int], True),
    "vigil_funnel_options_set_coverages": (c_int, [c_void_p, PD, c_size_t], True),
    "vigil_funnel_fit": (c_int, [c_void_p, PD, PD, c_size_t, PD, PD, PD, PI, PD, PD, PI, PV], True),
    "vigil_funnel_destroy": (None, [c_void_p], False),
    "vigil_funnel_target": (c_double, [c_void_p], False),
    "vigil_funnel_limits_at": (c_int, [c_void_p, c_double, c_size_t, PD, PD], True),
    "vigil_funnel_curve": (c_int, [c_void_p, PD, c_size_t, PD, PD], True),
    "vigil_funnel_denominator_grid": (c_int, [c_double, c_double, c_size_t, PD], True),
}

STATUS = {"OK": 0, "INVALID_ARGUMENT": 3, "NOT_FOUND": 5, "RESOURCE_EXHAUSTED": 8,
          "FAILED_PRECONDITION": 9}
SENTINEL = 0x5EED  # An out-pointer's value before the call.
# Functions whose *out is set to NULL when they fail (include/vigil/vigil.h).
NULL_ON_FAILURE = {"vigil_engine_create", "vigil_engine_create_from_file", "vigil_dataset_create",
                   "vigil_engine_evaluate", "vigil_engine_evaluate_bytes", "vigil_funnel_fit",
                   "vigil_funnel_options_create"}
DESTROY = {"vigil_engine_create": "vigil_engine_destroy",
           "vigil_engine_create_from_file": "vigil_engine_destroy",
           "vigil_dataset_create": "vigil_dataset_destroy",
           "vigil_engine_evaluate": "vigil_report_destroy",
           "vigil_engine_evaluate_bytes": "vigil_report_destroy",
           "vigil_funnel_options_create": "vigil_funnel_options_destroy",
           "vigil_funnel_fit": "vigil_funnel_destroy",
           "vigil_report_serialize": "vigil_free"}


@pytest.fixture(scope="module", name="lib")
def fixture_lib():
    assert LIBRARY, "set VIGIL_LIBRARY to libvigil.so"
    lib = ctypes.CDLL(LIBRARY)
    fns = {}
    for name, (restype, argtypes, takes_error) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes + ([ERR] if takes_error else [])
        fns[name] = fn
    return fns


class Session:
    """The handles of one C API case, made on first use, freed at the end."""

    def __init__(self, lib, tmp_path):
        self.lib, self.tmp_path, self.owned, self.report = lib, tmp_path, [], None
        self._engine = self._dataset = self._options = self._funnel = None

    def own(self, destroy, handle):
        self.owned.append((destroy, handle))
        return handle

    def make(self, fn, *args):
        out = c_void_p()
        assert self.lib[fn](*args, ctypes.byref(out)) == 0, fn
        return out

    def token(self, token):
        if token == cat.ENGINE:
            if self._engine is None:
                err = c_void_p()
                self._engine = c_void_p()
                assert self.lib["vigil_engine_create"](cat.PACK_BYTES, len(cat.PACK_BYTES), cat.TEXT,
                                                       ctypes.byref(self._engine), ctypes.byref(err)) == 0
                self.own("vigil_engine_destroy", self._engine)
            return self._engine
        if token == cat.DATASET:
            if self._dataset is None:
                self._dataset = c_void_p()
                assert self.lib["vigil_dataset_create"](ctypes.byref(self._dataset)) == 0
                self.own("vigil_dataset_destroy", self._dataset)
            return self._dataset
        if token == cat.OPTIONS:
            if self._options is None:
                self._options = c_void_p()
                assert self.lib["vigil_funnel_options_create"](ctypes.byref(self._options)) == 0
                self.own("vigil_funnel_options_destroy", self._options)
            return self._options
        if token == cat.FUNNEL:
            if self._funnel is None:
                options = self.token(cat.OPTIONS)
                n, d = (c_double * 3)(5, 6, 7), (c_double * 3)(10, 10, 10)
                self._funnel = c_void_p()
                assert self.lib["vigil_funnel_fit"](options, n, d, 3, *([None] * 7),
                                                    ctypes.byref(self._funnel), None) == 0
                self.own("vigil_funnel_destroy", self._funnel)
            return self._funnel
        if token == cat.REPORT:
            assert self.report is not None, "REPORT used before any evaluation"
            return self.report
        if token == cat.TMPDIR:
            return str(self.tmp_path).encode()
        raise AssertionError(f"unknown token {token!r}")

    def argument(self, value, argtype, outs):
        if value is None:
            return None
        if isinstance(value, cat.Strs):
            return (c_char_p * len(value))(*value)
        if isinstance(value, cat.Doubles):
            return (c_double * len(value))(*value)
        if value == cat.OUT:
            target = argtype._type_  # POINTER(c_void_p) or POINTER(c_size_t)
            out = target(SENTINEL)
            outs.append(out)
            return ctypes.byref(out)
        if isinstance(value, str):
            return self.token(value)
        return value

    def run(self, step):
        fn = self.lib[step.fn]
        _, argtypes, takes_error = SIGNATURES[step.fn]
        assert len(step.args) == len(argtypes), (step.fn, len(step.args), len(argtypes))
        outs = []
        args = [self.argument(v, t, outs) for v, t in zip(step.args, argtypes)]
        err = c_void_p(SENTINEL)
        result = fn(*args, *([ctypes.byref(err)] if takes_error else []))
        if step.status is None:
            if isinstance(step.returns, float) and math.isnan(step.returns):
                assert math.isnan(result), (step.fn, result)
            else:
                assert result == step.returns, (step.fn, result, step.returns)
            return
        message = None
        if takes_error:
            assert err.value != SENTINEL, f"{step.fn}: *error_message was not set"
            if err.value:
                raw = ctypes.string_at(err.value)
                self.lib["vigil_free"](err)
                message = raw.decode("utf-8")  # Must be UTF-8: hosts decode it.
        name = {v: k for k, v in STATUS.items()}.get(result, str(result))
        assert name == step.status, f"{step.fn}: {name} ({message}), expected {step.status}"
        if result == 0:
            assert message is None, f"{step.fn}: a message on success: {message}"
            for out in outs:
                if isinstance(out, c_void_p) and out.value and step.fn in DESTROY:
                    self.own(DESTROY[step.fn], c_void_p(out.value))
                    if DESTROY[step.fn] == "vigil_report_destroy":
                        self.report = c_void_p(out.value)
            return
        for out in outs if step.fn in NULL_ON_FAILURE else ():
            assert not out.value, f"{step.fn} failed but left *out = {out.value:#x}, not NULL"
        if takes_error:
            assert message, f"{step.fn}: {name} without a message"
            for needle in step.message:
                assert needle in message, (step.fn, needle, message)

    def report_json(self):
        data, length, err = c_void_p(), c_size_t(), c_void_p()
        assert self.lib["vigil_report_serialize"](self.report, cat.JSON_, ctypes.byref(data),
                                                  ctypes.byref(length), ctypes.byref(err)) == 0
        try:
            return json.loads(ctypes.string_at(data.value, length.value))
        finally:
            self.lib["vigil_free"](data)

    def close(self):
        for destroy, handle in reversed(self.owned):
            self.lib[destroy](handle)


@pytest.mark.parametrize("case", _cases(cat.CAPI))
def test_c_api(case, lib, tmp_path, capfd):
    session = Session(lib, tmp_path)
    try:
        for step in case.steps:
            session.run(step)
        if case.diagnostics or case.counts is not None:
            assert session.report is not None, "expectations need a report"
        if session.report is not None:
            check_report(case, session.report_json())
    finally:
        session.close()
    err = capfd.readouterr().err
    assert "[libprotobuf" not in err, "libprotobuf's log reached stderr: " + err
