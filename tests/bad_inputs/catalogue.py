"""The bad-input catalogue (issue 14): malformed inputs and what must come out.

Each Case is one mistake a user or a host program can make, with the input
written out in full and what Vigil must answer: the error class and the
field, row or line it must name. tests/bad_inputs/test_catalogue.py runs
every case; README.md beside this file says how to add one.

Kinds:
  PACK   a rule pack (`vigil validate`, or `vigil evaluate` where said).
  DATA   a data file: observations, providers, indicators, plans (CSV, JSON,
         text or binary protobuf), and the CSV inputs of `vigil spc` and
         `vigil funnel`.
  FLAGS  the command line of the `vigil` tool.
  CAPI   calls straight into libvigil's C API (include/vigil/vigil.h).

A CLI case gives `args` (the tool's arguments: "@NAME" is the file NAME of
`files` written to a fresh directory, "@" alone is that directory) and
expects an exit status, substrings of stderr ("{tmp}" is the directory), and
for a run that reaches a report (exit 0, `--format json`) the diagnostics
that must be in it and its counts. Whenever a report is made, the test also
checks the accounting: rows read = rows used + rows not used, and every row
not used is named by a diagnostic (observations and plans alike).

A C API case gives `steps`: calls made in order, each with the status it
must return and substrings of its error message (which must name the
argument at fault). Arguments: bytes and numbers as they are, NULL, Strs /
Doubles arrays, and the tokens ENGINE (a compiled PACK), DATASET (a fresh
dataset), OUT (a fresh out-pointer, which must be NULL after a failure),
REPORT (the last report made by the case), OPTIONS (fresh funnel options),
FUNNEL (a funnel fitted to three groups), TMPDIR (a directory).

A case whose current behaviour is wrong names its entry of KNOWN_DEFECTS in
`defect`; the test marks it xfail(strict=True), so fixing the defect makes
the test fail until the mark is removed (delete `defect=` from the case, and
the entry once no case names it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

PACK, DATA, FLAGS, CAPI = "pack", "data", "flags", "capi"
KINDS = (PACK, DATA, FLAGS, CAPI)

# ---- The inputs every case starts from -----------------------------------

PACK_TEXT = """id: "bi" version: "1"
rules { id: "ae" selector { indicator_ids: "AE" } threshold { standard: 95 red_threshold: 90 } }
rules { id: "cdi" selector { indicator_ids: "CDI" } threshold { standard: 2 red_threshold: 4 } }
"""
PROVIDERS = "id,name,type,tags\nP1,Trust one,acute,\nP2,Trust two,acute,\n"
INDICATORS = ("id,name,domain,unit,polarity,frequency,rate_multiplier,tags\n"
              "AE,A&E 4-hour,responsive,percentage,higher_is_better,monthly,,\n"
              "CDI,C. difficile,safe,count,lower_is_better,monthly,,\n"
              "NS,Not selected,safe,count,lower_is_better,monthly,,\n")
OBS = "provider_id,indicator_id,period,value,numerator,denominator\n"
GOOD = "P1,AE,2019-03,96,,\n"  # One row every report can use.
PLANS = "provider_id,indicator_id,period,value\n"
OBS3 = OBS + "P1,AE,2019-03,,900,1000\nP2,AE,2019-03,96,,\nP1,CDI,2019-03,1,,\n"

E = "DIAGNOSTIC_SEVERITY_ERROR"
W = "DIAGNOSTIC_SEVERITY_WARNING"
I = "DIAGNOSTIC_SEVERITY_INFO"


def code(short: str) -> str:
    return "DIAGNOSTIC_CODE_" + short


@dataclass(frozen=True)
class Diag:
    """A diagnostic the report must hold: every given attribute must match."""
    code: str                      # DIAGNOSTIC_CODE_*
    severity: str                  # DIAGNOSTIC_SEVERITY_*
    source: Optional[str]          # File name ("obs.json observations"...)
    row: Optional[int]             # 1-based line or list position; 0 = none
    field: Optional[str]           # The field at fault ("" = none named)
    message: tuple = ()            # Substrings of the message.
    # The further rows of the problem as (source, row): other_rows, each in
    # the source other_sources gives it, or the diagnostic's own source.
    others: Optional[tuple] = None


@dataclass(frozen=True)
class Call:
    """One C API call (the error_message argument is added by the test)."""
    fn: str
    args: tuple
    status: Optional[str] = "OK"   # VIGIL_* name; None: returns no status.
    message: tuple = ()            # Substrings of *error_message.
    returns: Any = None            # For status=None: the value returned.


class Strs(tuple):
    """A const char* const* array (None entries are NULL)."""


class Doubles(tuple):
    """A const double* array."""


NULL = None
ENGINE, DATASET, OUT, REPORT = "$engine", "$dataset", "$out", "$report"
OPTIONS, FUNNEL, TMPDIR = "$options", "$funnel", "$tmpdir"
NAN = float("nan")
INF = float("inf")
BINARY, JSON_, TEXT, CSV = 1, 2, 3, 4
K_OBS, K_PROVIDERS, K_INDICATORS, K_PLANS = 0, 1, 2, 3


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    # CLI: arguments and the files they name.
    args: tuple = ()
    files: dict = field(default_factory=dict)
    exit: Optional[int] = None
    stderr: tuple = ()
    # A report (exit 0 with --format json; or the C API's last report).
    diagnostics: tuple = ()
    counts: Optional[dict] = None  # observations_read ... plans_rejected.
    reasons: tuple = ()            # Substrings some assessment reason holds.
    outputs: Optional[dict] = None  # File written -> substrings it holds.
    # C API.
    steps: tuple = ()
    defect: Optional[str] = None   # A key of KNOWN_DEFECTS.


def counts(read, used, rejected, plans=None):
    c = {"observations_read": read, "observations_used": used,
         "observations_rejected": rejected}
    if plans is not None:
        c.update(plans_read=plans[0], plans_used=plans[1], plans_rejected=plans[2])
    return c


# ---- Builders ------------------------------------------------------------

def pack_case(name, text, *needles, ext="textproto", defect=None, exit=1):
    """`vigil validate` refuses the pack, naming the file and the needles."""
    file = "pack." + ext
    return Case(name, PACK, args=("validate", "--rules", "@" + file),
                files={file: text}, exit=exit, stderr=(file,) + needles,
                defect=defect)


def rule(body, rid="r1"):
    """A pack of one rule selecting AE, with `body` as its kind."""
    return f'id: "p"\nrules {{ id: "{rid}" selector {{ indicator_ids: "AE" }} {body} }}\n'


def evaluate_args(data="obs.csv", providers="prov.csv", indicators="ind.csv",
                  plans=None, as_of="2019-03", fmt="json", extra=()):
    args = ["evaluate", "--rules", "@pack.textproto"]
    for d in (data if isinstance(data, tuple) else (data,)):
        args += ["--data", "@" + d]
    if providers:
        args += ["--providers", "@" + providers]
    if indicators:
        args += ["--indicators", "@" + indicators]
    if plans:
        args += ["--plans", "@" + plans]
    if as_of:
        args += ["--as-of", as_of]
    if fmt:
        args += ["--format", fmt]
    return tuple(args) + tuple(extra)


def data_case(name, obs=None, *, data="obs.csv", providers=PROVIDERS,
              indicators=INDICATORS, plans=None, diagnostics=(), counts=None,
              exit=0, stderr=(), extra_files=None, as_of="2019-03",
              defect=None, kind=DATA, extra=(), reasons=()):
    """`vigil evaluate` on the base pack, providers and indicators."""
    data_files = data if isinstance(data, tuple) else (data,)
    files = {"pack.textproto": PACK_TEXT}
    if obs is not None:
        files[data_files[0]] = obs
    if providers is not None:
        files["prov.csv"] = providers
    if indicators is not None:
        files["ind.csv"] = indicators
    if plans is not None:
        files["plans.csv"] = plans
    files.update(extra_files or {})
    args = evaluate_args(
        data=data_files,
        providers="prov.csv" if providers is not None else None,
        indicators="ind.csv" if indicators is not None else None,
        plans="plans.csv" if plans is not None else None, as_of=as_of,
        extra=extra)
    return Case(name, kind, args=args, files=files, exit=exit, stderr=stderr,
                diagnostics=tuple(diagnostics), counts=counts, reasons=reasons,
                defect=defect)


def flags_case(name, args, exit, *needles, files=None, defect=None):
    base = {"pack.textproto": PACK_TEXT, "obs.csv": OBS3, "prov.csv": PROVIDERS,
            "ind.csv": INDICATORS}
    base.update(files or {})
    return Case(name, FLAGS, args=tuple(args), files=base, exit=exit,
                stderr=needles, defect=defect)


EVAL = ("evaluate", "--rules", "@pack.textproto", "--data", "@obs.csv",
        "--providers", "@prov.csv", "--indicators", "@ind.csv")


def capi(name, *steps, diagnostics=(), counts=None, defect=None):
    return Case(name, CAPI, steps=tuple(steps), diagnostics=tuple(diagnostics),
                counts=counts, defect=defect)


def bad(fn, *args, status="INVALID_ARGUMENT", message=()):
    return Call(fn, tuple(args), status=status,
                message=(message,) if isinstance(message, str) else tuple(message))


def ok(fn, *args):
    return Call(fn, tuple(args))


PACK_BYTES = PACK_TEXT.encode()
INDICATOR_CALLS = (
    ok("vigil_dataset_add_indicator", DATASET, b"AE", b"A&E", b"responsive",
       b"percentage", b"higher_is_better", b"monthly", 0.0),
    ok("vigil_dataset_add_indicator", DATASET, b"CDI", b"C. diff", b"safe",
       b"count", b"lower_is_better", b"monthly", 0.0))


def add_obs(provider=b"P1", indicator=b"AE", period=b"2019-03", value=96.0):
    return ok("vigil_dataset_add_observation", DATASET, provider, indicator,
              period, value, NAN, NAN)


def evaluate(as_of=b"2019-03", threads=1):
    return ok("vigil_engine_evaluate", ENGINE, DATASET, as_of, threads, OUT)


def spc(values=Doubles([90.0] * 12), count=12, direction=1, run_length=0,
        fix_after=0, targets=NULL):
    return ("vigil_spc_analyze", values, count, NULL, targets, direction, 1,
            run_length, fix_after, NULL, NULL, NULL, NULL, NULL, NULL, NULL)


def chart(chart_code, numerators, denominators, count=12):
    return (("vigil_spc_chart_analyze", chart_code, numerators, denominators,
             count, NULL, NULL, 0.0, 0, 0, 1, 0, 0) + (NULL,) * 13)


def fit(options, numerators, denominators, count):
    return ("vigil_funnel_fit", options, numerators, denominators, count,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, OUT)


N12 = Doubles([5.0] * 12)
D12 = Doubles([10.0] * 12)
N12_OVER = Doubles([5.0] * 11 + [12.0])

# ---- Known defects ---------------------------------------------------------
# What happens today, and what must. Each case marked with one of these keys
# is an xfail(strict=True) of the test.

KNOWN_DEFECTS: dict = {}  # None open today.


# ---- The catalogue ---------------------------------------------------------

def _pack_cases():
    return [
        pack_case("pack_nested_field_misspelt",
                  'id: "p"\nrules { id: "a" selector { indicator_ids: "AE" } '
                  'threshold { standard: 95 red_threshhold: 90 } }\n',
                  "line 2 column", '"red_threshhold"'),
        pack_case("pack_enum_value_misspelt", rule("severity: SEVERITY_HIGH threshold { standard: 95 }"),
                  "line 2 column", '"SEVERITY_HIGH"', '"severity"'),
        pack_case("pack_number_given_as_text", rule('threshold { standard: "ninety-five" }'),
                  "line 2 column", "Expected double"),
        pack_case("pack_field_given_twice",
                  'id: "p" id: "q"\nrules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n',
                  "line 1 column", 'Non-repeated field "id"'),
        pack_case("pack_rule_with_two_kinds",
                  rule("threshold { standard: 1 } trend { comparison: TREND_COMPARISON_PREVIOUS_PERIOD }"),
                  "line 2 column", 'oneof "kind"'),
        pack_case("pack_rule_without_selector",
                  'id: "p"\nrules { id: "a" threshold { standard: 95 } }\n',
                  "rule 'a' (rules[0]): selector: selects no indicator"),
        pack_case("pack_selector_with_providers_only",
                  'id: "p"\nrules { id: "a" selector { provider_ids: "P1" } threshold { standard: 95 } }\n',
                  "rule 'a' (rules[0]): selector: selects no indicator"),
        pack_case("pack_mean_with_zero_window",
                  rule("threshold { standard: 95 statistic: STATISTIC_MEAN window_periods: 0 }"),
                  "rule 'r1' (rules[0]): threshold.window_periods: must be 1..10000"),
        pack_case("pack_standard_nan", rule("threshold { standard: nan red_threshold: 90 }"),
                  "rule 'r1' (rules[0]): threshold.standard: is not a finite number"),
        pack_case("pack_red_threshold_infinite", rule("threshold { standard: 95 red_threshold: inf }"),
                  "rule 'r1' (rules[0]): threshold.red_threshold: is not a finite number"),
        pack_case("pack_negative_relative_tolerance",
                  rule("threshold { standard: 95 amber_tolerance_relative: -0.1 }"),
                  "rule 'r1' (rules[0]): threshold.amber_tolerance_relative: must be a finite number >= 0"),
        pack_case("pack_negative_staleness", rule("threshold { standard: 95 max_staleness_periods: -1 }"),
                  "rule 'r1' (rules[0]): threshold.max_staleness_periods: must be >= 0"),
        pack_case("pack_duplicate_rule_ids",
                  'id: "p"\nrules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n'
                  'rules { id: "a" selector { all_indicators: true } threshold { standard: 2 } }\n',
                  "rule 'a' (rules[1]): id: another rule has the same id"),
        pack_case("pack_composite_names_unknown_rule",
                  'id: "p"\nrules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n'
                  'rules { id: "c" selector { all_indicators: true } composite { rule_ids: "a" rule_ids: "b" } }\n',
                  "rule 'c' (rules[1]): composite.rule_ids: unknown rule 'b'"),
        pack_case("pack_composite_names_disabled_rule",
                  'id: "p"\nrules { id: "a" disabled: true selector { all_indicators: true } threshold { standard: 1 } }\n'
                  'rules { id: "c" selector { all_indicators: true } composite { rule_ids: "a" } }\n',
                  "rule 'c' (rules[1]): composite.rule_ids: 'a' is disabled"),
        pack_case("pack_composite_minimum_red_above_its_rules",
                  'id: "p"\nrules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n'
                  'rules { id: "c" selector { all_indicators: true } composite { rule_ids: "a" minimum_red: 5 } }\n',
                  "rule 'c' (rules[1]): composite.minimum_red: must be 0..1"),
        pack_case("pack_spc_minimum_points_1", rule("spc { minimum_points: 1 }"),
                  "rule 'r1' (rules[0]): spc.minimum_points"),
        pack_case("pack_spc_target_infinite", rule("spc { target: inf }"),
                  "rule 'r1' (rules[0]): spc.target: is not a finite number"),
        pack_case("pack_spc_anhoej_rules_on_xmr", rule("spc { signal_rules: SPC_SIGNAL_RULES_ANHOEJ }"),
                  "rule 'r1' (rules[0]): spc.signal_rules"),
        pack_case("pack_spc_chart_number_unknown", rule("spc { chart: 42 }"),
                  "rule 'r1' (rules[0]): spc.chart: unknown chart 42"),
        pack_case("pack_peer_red_limit_below_amber", rule("peer { amber_limit: 0.999 red_limit: 0.95 }"),
                  "rule 'r1' (rules[0]): peer.red_limit: must be above amber_limit"),
        pack_case("pack_peer_amber_limit_above_1", rule("peer { amber_limit: 1.5 }"),
                  "rule 'r1' (rules[0]): peer.amber_limit"),
        pack_case("pack_peer_one_provider", rule("peer { minimum_providers: 1 }"),
                  "rule 'r1' (rules[0]): peer.minimum_providers: must be at least 2"),
        pack_case("pack_peer_winsorize_half", rule("peer { winsorize_fraction: 0.5 }"),
                  "rule 'r1' (rules[0]): peer.winsorize_fraction"),
        pack_case("pack_peer_arcsine_for_ratio", rule("peer { method: METHOD_RATIO scale: SCALE_ARCSINE }"),
                  "rule 'r1' (rules[0]): peer.scale"),
        pack_case("pack_peer_negative_target", rule("peer { method: METHOD_RATE target: -1 }"),
                  "rule 'r1' (rules[0]): peer.target"),
        pack_case("pack_trajectory_two_amber_tolerances",
                  rule("trajectory { amber_tolerance_relative: 0.1 amber_tolerance_absolute: 2 }"),
                  "rule 'r1' (rules[0]): trajectory.amber_tolerance_absolute: give amber_tolerance_relative or amber_tolerance_absolute, not both"),
        pack_case("pack_trajectory_red_tolerance_below_amber",
                  rule("trajectory { amber_tolerance_absolute: 5 red_tolerance_absolute: 2 }"),
                  "rule 'r1' (rules[0]): trajectory.red_tolerance_absolute: must not be below the amber tolerance"),
        pack_case("pack_trajectory_month_13", rule("trajectory { year_start_month: 13 }"),
                  "rule 'r1' (rules[0]): trajectory.year_start_month"),
        pack_case("pack_trajectory_negative_objective", rule("trajectory { annual_objective: -1 }"),
                  "rule 'r1' (rules[0]): trajectory.annual_objective"),
        pack_case("pack_trajectory_forecast_rated_no_data",
                  rule("trajectory { forecast_breach_rating: RATING_NO_DATA }"),
                  "rule 'r1' (rules[0]): trajectory.forecast_breach_rating"),
        pack_case("pack_milestone_negative_weight", rule("milestone { weight: -5 }"),
                  "rule 'r1' (rules[0]): milestone.weight: must be a sum of money > 0"),
        pack_case("pack_milestone_negative_provider_weight",
                  rule('milestone { weight: 5 provider_weights { key: "P1" value: -1 } }'),
                  "rule 'r1' (rules[0]): milestone.provider_weights[\"P1\"]"),
        pack_case("pack_data_quality_negative_max_missing", rule("data_quality { max_missing_periods: -1 }"),
                  "rule 'r1' (rules[0]): data_quality.max_missing_periods: must be >= 0"),
        pack_case("pack_data_quality_negative_minimum_denominator",
                  rule("data_quality { minimum_denominator: -1 }"),
                  "rule 'r1' (rules[0]): data_quality.minimum_denominator"),
        pack_case("pack_escalation_negative_threshold",
                  'id: "p"\nescalation { enhanced_surveillance_min_red: -1 }\n'
                  'rules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n',
                  "escalation.enhanced_surveillance_min_red"),
        pack_case("pack_empty_file", "", "id: the rule pack has no id"),
        pack_case("pack_without_rules", 'id: "p"\n', "rules: the rule pack has no rules"),
        pack_case("pack_binary_garbage", bytes(range(256)) * 4,
                  "not a valid binary RuleSet message", ext="pb"),
        pack_case("pack_binary_bytes_in_textproto", b"\x00\x01\x02\xff\xfe junk",
                  "not a valid text-format RuleSet: line 1 column 1"),
        pack_case("pack_json_truncated",
                  '{"id": "p", "rules": [ {"id": "a", "selector": {"indicatorIds": ["AE"]}, '
                  '"threshold": {"standard": 95}} ',
                  "not a valid JSON RuleSet", "Unexpected end of string", ext="json"),
        pack_case("pack_json_missing_comma",
                  '{\n  "id": "p",\n  "rules": [\n    {"id": "a" "selector": {"indicatorIds": ["AE"]}, '
                  '"threshold": {"standard": 95}}\n  ]\n}\n',
                  "not a valid JSON RuleSet", "Expected , or }", '"selector"', ext="json"),
        pack_case("pack_json_unknown_field",
                  '{"id": "p", "rules": [ {"id": "a", "selector": {"indicatorIds": ["AE"]}, '
                  '"threshold": {"standard": 95, "colour": 1}} ]}',
                  "(rules[0].threshold) colour", ext="json"),
        pack_case("pack_json_enum_misspelt",
                  '{"id": "p", "rules": [ {"id": "a", "severity": "SEVERITY_HIGH", '
                  '"selector": {"indicatorIds": ["AE"]}, "threshold": {"standard": 95}} ]}',
                  "(rules[0].severity)", '"SEVERITY_HIGH"', ext="json"),
        pack_case("pack_json_number_as_text",
                  '{"id": "p", "rules": [ {"id": "a", "selector": {"indicatorIds": ["AE"]}, '
                  '"threshold": {"standard": "ninety"}} ]}',
                  "(rules[0].threshold.standard)", '"ninety"', ext="json"),
        pack_case("pack_json_array_at_root", "[]", "Root element must be a message", ext="json"),
        pack_case("pack_unknown_extension", 'id: "p"\n',
                  "a rule pack must end in .textproto, .txtpb, .pbtxt, .json or .pb", ext="yaml"),
        pack_case("pack_rule_id_not_ascii",
                  'id: "p"\nrules { id: "r\\303\\251" selector { all_indicators: true } threshold { standard: 1 } }\n',
                  'rules[0].id: "r\u00e9" is not a rule id'),
        pack_case("pack_id_not_utf8",
                  b'id: "p\xff"\nrules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }\n',
                  "id: ", "not valid UTF-8 (byte ff"),
        pack_case("pack_selector_id_not_utf8",
                  b'id: "p"\nrules { id: "a" selector { indicator_ids: "A\\377E" } threshold { standard: 1 } }\n',
                  "rules[0]", "selector.indicator_ids", "not valid UTF-8 (byte ff"),
        Case("pack_mistake_found_by_evaluate", PACK,
             args=evaluate_args(), files={"pack.textproto": rule("threshold { standard: nan }"),
                                          "obs.csv": OBS3, "prov.csv": PROVIDERS,
                                          "ind.csv": INDICATORS},
             exit=1, stderr=("pack.textproto: rule 'r1' (rules[0]): threshold.standard",)),
    ]


def _obs(name, rows, *diagnostics, read=None, used=None, rejected=None, defect=None,
         header=OBS, data="obs.csv"):
    """Observation rows (after OBS's header) with the diagnostics they give."""
    return data_case(name, header + rows, data=data, diagnostics=diagnostics,
                     counts=counts(read, used, rejected) if read is not None else None,
                     defect=defect)


def _refused(name, text, *needles, data="obs.csv", **kw):
    """The data file is refused as a whole: exit 1 naming it."""
    return data_case(name, text, data=data, exit=1, stderr=(data,) + needles, **kw)


def _data_cases():
    long_id = "A" * 100_000
    lines_120 = "".join(f"P1,CDI,{2009 + m // 12}-{m % 12 + 1:02d},1,,\n" for m in range(120))
    return [
        # Observations CSV: the file as a whole.
        _refused("obs_no_period_column", "provider_id,indicator_id,value\nP1,AE,96\n",
                 "obs.csv line 1: no 'period' column"),
        _refused("obs_header_names_a_column_twice",
                 "provider_id,indicator_id,period,value,value\nP1,AE,2019-03,96,96\n",
                 "obs.csv line 1: header: column 'value' appears twice (columns 4 and 5)"),
        _refused("obs_empty_file", "", "obs.csv: the file is empty (a header row is needed)"),
        _refused("obs_only_blank_lines", "\n\n\n", "the file is empty"),
        _refused("obs_utf16_file", ("\ufeff" + OBS + GOOD).encode("utf-16-le"),
                 "obs.csv line 1: no 'provider_id' column"),
        _refused("obs_semicolon_separated", OBS.replace(",", ";") + GOOD.replace(",", ";"),
                 "obs.csv line 1: no 'provider_id' column"),
        _refused("obs_unknown_extension", OBS + GOOD,
                 "data files must end in .csv, .json, .textproto or .pb", data="obs.txt"),
        data_case("obs_header_only", OBS, counts=counts(0, 0, 0)),
        # Observations CSV: one row at a time.
        _obs("obs_period_not_iso", "P1,AE,2019-3,96,,\nP1,AE,March 2019,96,,\nP1,AE,2019-13,96,,\nP1,AE,2019-Q5,96,,\n",
             Diag(code("BAD_PERIOD"), E, "obs.csv", 2, "period", ('"2019-3"',)),
             Diag(code("BAD_PERIOD"), E, "obs.csv", 3, "period", ('"March 2019"',)),
             Diag(code("BAD_PERIOD"), E, "obs.csv", 4, "period", ('"2019-13"',)),
             Diag(code("BAD_PERIOD"), E, "obs.csv", 5, "period", ('"2019-Q5"',)),
             read=4, used=0, rejected=4),
        _obs("obs_period_not_a_date", "P1,AE,2019-02-30,96,,\nP1,AE,201903,96,,\nP1,CDI,0000-01,1,,\n" + GOOD,
             Diag(code("BAD_PERIOD"), E, "obs.csv", 2, "period", ('"2019-02-30" is not a calendar date',)),
             Diag(code("BAD_PERIOD"), E, "obs.csv", 3, "period", ('"201903"',)),
             Diag(code("BAD_PERIOD"), E, "obs.csv", 4, "period", ('"0000-01"',)),
             read=4, used=1, rejected=3),
        _obs("obs_value_not_a_number", "P1,AE,2019-03,ninety,,\n",
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value", ("'ninety' is not a number",)),
             read=1, used=0, rejected=1),
        _obs("obs_value_nan_and_infinities", "P1,AE,2019-03,nan,,\nP2,AE,2019-03,inf,,\nP1,CDI,2019-03,-inf,,\n",
             *(Diag(code("NON_FINITE_VALUE"), E, "obs.csv", r, "value", ("not a finite number",))
               for r in (2, 3, 4)),
             read=3, used=0, rejected=3),
        _obs("obs_value_overflows_a_double", "P1,CDI,2019-03,1e309,,\n",
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value"), read=1, used=0, rejected=1),
        _obs("obs_value_with_thousands_separator", 'P1,CDI,2019-03,"1,000",,\n',
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value", ("'1,000' is not a number",)),
             read=1, used=0, rejected=1),
        _obs("obs_value_with_percent_sign", "P1,AE,2019-03,96%,,\n",
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value", ("'96%' is not a number",)),
             read=1, used=0, rejected=1),
        _obs("obs_value_in_hexadecimal", "P1,AE,2019-03,0x5Fp0,,\nP1,CDI,2019-03,0x10,,\n",
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value", ("'0x5Fp0'",)),
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 3, "value", ("'0x10'",)),
             read=2, used=0, rejected=2),
        _obs("obs_negative_count", "P1,CDI,2019-03,-3,,\n",
             Diag(code("OUT_OF_RANGE"), E, "obs.csv", 2, "value", ("-3",)),
             read=1, used=0, rejected=1),
        _obs("obs_numerator_above_denominator", "P1,AE,2019-03,,1100,1000\n",
             Diag(code("OUT_OF_RANGE"), E, "obs.csv", 2, "numerator",
                  ("numerator 1100 is above denominator 1000",)),
             read=1, used=0, rejected=1),
        _obs("obs_percentage_above_100", "P1,AE,2019-03,101,,\n",
             Diag(code("OUT_OF_RANGE"), E, "obs.csv", 2, "value", ("101 is outside 0 to 100",)),
             read=1, used=0, rejected=1),
        _obs("obs_negative_numerator", "P1,AE,2019-03,,-5,100\n",
             Diag(code("OUT_OF_RANGE"), E, "obs.csv", 2, "numerator"), read=1, used=0, rejected=1),
        _obs("obs_tiny_denominator_overflows", "P1,AE,2019-03,,1e300,1e-300\n",
             Diag(code("OUT_OF_RANGE"), E, "obs.csv", 2, "numerator", ("not a finite number",)),
             read=1, used=0, rejected=1),
        _obs("obs_negative_denominator", "P1,AE,2019-03,,5,-10\n",
             Diag(code("BAD_DENOMINATOR"), E, "obs.csv", 2, "denominator", ("-10 is not above zero",)),
             read=1, used=0, rejected=1),
        _obs("obs_numerator_without_denominator", "P1,AE,2019-03,,900,\n",
             Diag(code("MISSING_FIELD"), E, "obs.csv", 2, "denominator"), read=1, used=0, rejected=1),
        _obs("obs_no_value_at_all", "P1,AE,2019-03,,,\n",
             Diag(code("MISSING_FIELD"), E, "obs.csv", 2, "value"), read=1, used=0, rejected=1),
        _obs("obs_empty_provider_id", ",AE,2019-03,96,,\n",
             Diag(code("MISSING_FIELD"), E, "obs.csv", 2, "provider_id", ("provider_id is empty",)),
             read=1, used=0, rejected=1),
        _obs("obs_unknown_provider", "XX,AE,2019-03,96,,\n",
             Diag(code("UNKNOWN_PROVIDER"), E, "obs.csv", 2, "provider_id", ("'XX'",)),
             read=1, used=0, rejected=1),
        _obs("obs_unknown_indicator", "P1,ZZ,2019-03,96,,\n",
             Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 2, "indicator_id", ("'ZZ'",)),
             read=1, used=0, rejected=1),
        _obs("obs_quarter_for_a_monthly_indicator", "P1,AE,2019-Q1,96,,\n",
             Diag(code("MIXED_FREQUENCY"), E, "obs.csv", 2, "period", ("2019-Q1 is quarterly",)),
             read=1, used=0, rejected=1),
        _obs("obs_conflicting_duplicates", "P1,AE,2019-03,96,,\nP1,AE,2019-03,97,,\n",
             Diag(code("DUPLICATE_OBSERVATION"), E, "obs.csv", 2, "period", ("they conflict",),
                  others=(("obs.csv", 3),)),
             read=2, used=0, rejected=2),
        _obs("obs_identical_duplicates", "P1,AE,2019-03,96,,\nP1,AE,2019-03,96,,\n",
             Diag(code("DUPLICATE_OBSERVATION"), W, "obs.csv", 2, "period", ("identical, used once",),
                  others=(("obs.csv", 3),)),
             read=2, used=1, rejected=1),
        data_case("obs_duplicates_across_two_files", None, data=("a.csv", "b.csv"),
                  extra_files={"a.csv": PLANS + "P1,AE,2019-03,96\nP2,AE,2019-03,90\n",
                               "b.csv": PLANS + "P9,AE,2019-03,96\nP1,AE,2019-03,97\nP2,AE,2019-03,90\n"},
                  diagnostics=(Diag(code("DUPLICATE_OBSERVATION"), E, "a.csv", 2, "period",
                                    ("b.csv line 3",), others=(("b.csv", 3),)),
                               Diag(code("DUPLICATE_OBSERVATION"), W, "a.csv", 3, "period",
                                    ("b.csv line 4",), others=(("b.csv", 4),))),
                  counts=counts(5, 1, 4)),
        _obs("obs_id_not_utf8", GOOD.encode() + b"P\xff1,AE,2019-03,50,,\n",
             Diag(code("BAD_ID"), E, "obs.csv", 3, "provider_id", ("'P\\xff1' is not valid UTF-8",)),
             read=2, used=1, rejected=1, header=OBS.encode()),
        _obs("obs_id_with_control_character", GOOD + "P\x011,AE,2019-03,50,,\n",
             Diag(code("BAD_ID"), E, "obs.csv", 3, "provider_id", ("'P\\x011' holds a control character",)),
             read=2, used=1, rejected=1),
        _obs("obs_id_with_nul", GOOD + "P\x001,AE,2019-03,50,,\n",
             Diag(code("BAD_ID"), E, "obs.csv", 3, "provider_id", ("\\x00",)),
             read=2, used=1, rejected=1),
        _obs("obs_indicator_id_with_tab", GOOD + "P2,A\tE,2019-03,50,,\n",
             Diag(code("BAD_ID"), E, "obs.csv", 3, "indicator_id", ("\\x09",)),
             read=2, used=1, rejected=1),
        _obs("obs_id_with_newline_in_quotes", GOOD + '"P2\nX",AE,2019-03,96,,\nP1,CDI,2019-03,x,,\n',
             Diag(code("BAD_ID"), E, "obs.csv", 3, "provider_id", ("\\x0a",)),
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 5, "value"),
             read=3, used=1, rejected=2),
        _obs("obs_stray_quote_inside_a_field", GOOD + 'P2,A"E,2019-03,96,,\nP1,CDI,2019-03,1,,\n',
             Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 3, "indicator_id", ("'A\"E'",)),
             read=3, used=2, rejected=1),
        _obs("obs_quote_never_closed", GOOD + '"P2,AE,2019-03,96,,\nP1,CDI,2019-03,1,,\n',
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 3, None, ("quote opened on this line is not closed",)),
             read=3, used=2, rejected=1),
        _obs("obs_quoted_field_over_100_lines", GOOD + '"P2,AE,2019-03,96,,\n' + lines_120,
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 3, None, ("more than 100 lines",)),
             read=122, used=121, rejected=1),
        _obs("obs_utf8_byte_order_mark", GOOD, read=1, used=1, rejected=0, header="\ufeff" + OBS),
        _obs("obs_crlf_line_endings", (GOOD + "P2,AE,2019-03,x,,\n").replace("\n", "\r\n"),
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 3, "value", ("'x'",)),
             read=2, used=1, rejected=1, header=OBS.replace("\n", "\r\n")),
        _obs("obs_cr_only_line_endings", (GOOD + "P2,AE,2019-03,x,,\n").replace("\n", "\r"),
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 3, "value"),
             read=2, used=1, rejected=1, header=OBS.replace("\n", "\r")),
        _obs("obs_wrong_field_counts", "P1,AE,2019-03,96,,,,\nP2,AE,2019-03\n" + GOOD,
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 2, None, ("8 fields where the header has 6",)),
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 3, None, ("3 fields where the header has 6",)),
             read=3, used=1, rejected=2),
        _obs("obs_trailing_comma", "P1,AE,2019-03,96,\n",
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 2, None, ("5 fields where the header has 4",)),
             read=1, used=0, rejected=1, header=PLANS),
        _obs("obs_very_long_field", f"P1,{long_id},2019-03,96,,\n" + GOOD,
             Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 2, "indicator_id"),
             read=2, used=1, rejected=1),
        _obs("obs_blank_line_still_counts_as_a_line", GOOD + "\nP2,AE,2019-03,x,,\n",
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 4, "value"), read=2, used=1, rejected=1),
        _obs("obs_nul_inside_a_number", "P1,AE,2019-03,9\x006,,\n" + GOOD.replace("P1", "P2"),
             Diag(code("NON_FINITE_VALUE"), E, "obs.csv", 2, "value", ("is not a number",)),
             read=2, used=1, rejected=1),
        _obs("obs_unknown_column_is_a_warning", "P1,AE,2019-03,96,red\n",
             Diag(code("MALFORMED_ROW"), W, "obs.csv", 1, "colour", ("column colour not used",)),
             read=1, used=1, rejected=0, header="provider_id,indicator_id,period,value,colour\n"),
        _obs("obs_header_column_not_utf8", b"P1,AE,2019-03,96,x\n",
             Diag(code("MALFORMED_ROW"), W, "obs.csv", 1, None, ("\\xff",)),
             read=1, used=1, rejected=0, header=b"provider_id,indicator_id,period,value,\xff\n"),
        _obs("obs_status_misspelt", "P1,AE,2019-03,96,maybe\n",
             Diag(code("MALFORMED_ROW"), E, "obs.csv", 2, "status", ("status 'maybe' is not one of",)),
             read=1, used=0, rejected=1, header="provider_id,indicator_id,period,value,status\n"),
        _obs("obs_suppressed_row_is_counted_not_used", "P1,AE,2019-03,,suppressed\n",
             Diag(code("NOT_USABLE"), I, "obs.csv", 2, "status", ("suppressed",)),
             read=1, used=0, rejected=1, header="provider_id,indicator_id,period,value,status\n"),
        _obs("obs_value_disagrees_with_its_ratio", "P1,AE,2019-03,50,900,1000\n",
             Diag(code("VALUE_MISMATCH"), W, "obs.csv", 2, "value", ("value 50 disagrees",)),
             read=1, used=1, rejected=0),
        _obs("obs_indicator_no_rule_selects", GOOD + "P1,NS,2019-03,3,,\n",
             Diag(code("NOT_SELECTED"), I, None, 0, "indicator_id",
                  ("1 observations of indicator 'NS' were not used: no rule selects it",)),
             read=2, used=1, rejected=1),
        # Providers CSV.
        data_case("providers_unknown_type", OBS3,
                  providers="id,name,type,tags\nP1,One,hospital,\nP2,Two,acute,\n",
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "prov.csv", 2, "type", ("'hospital'",)),
                               Diag(code("UNKNOWN_PROVIDER"), E, "obs.csv", 2, "provider_id")),
                  counts=counts(3, 1, 2)),
        data_case("providers_defined_twice_differently", OBS3,
                  providers="id,name,type,tags\nP1,One,acute,\nP1,Uno,acute,\nP2,Two,acute,\n",
                  diagnostics=(Diag(code("DUPLICATE_DEFINITION"), W, "prov.csv", 2, "id",
                                    ("they differ",), others=(("prov.csv", 3),)),),
                  counts=counts(3, 3, 0)),
        data_case("providers_empty_id", OBS3, providers="id,name,type,tags\n,One,acute,\n" + PROVIDERS[18:],
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "prov.csv", 2, "id", ("id is empty",)),),
                  counts=counts(3, 3, 0)),
        data_case("providers_id_not_utf8", OBS3, providers=PROVIDERS.encode() + b"P\xfe3,Three,acute,\n",
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "prov.csv", 4, "id", ("\\xfe",)),),
                  counts=counts(3, 3, 0)),
        data_case("providers_wrong_field_count", OBS3,
                  providers="id,name,type,tags\nP1,One,acute,,extra\nP2,Two,acute,\n",
                  diagnostics=(Diag(code("MALFORMED_ROW"), E, "prov.csv", 2, None,
                                    ("5 fields where the header has 4",)),
                               Diag(code("UNKNOWN_PROVIDER"), E, "obs.csv", 2, "provider_id")),
                  counts=counts(3, 1, 2)),
        data_case("providers_no_id_column", OBS3, providers="name,type\nOne,acute\n", exit=1,
                  stderr=("prov.csv line 1: no 'id' column",)),
        data_case("providers_empty_file", OBS3, providers="", exit=1,
                  stderr=("prov.csv: the file is empty",)),
        # Indicators CSV.
        data_case("indicators_unknown_unit", OBS3,
                  indicators=INDICATORS.replace("percentage", "percent"),
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "ind.csv", 2, "unit", ("'percent'",)),
                               Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 2, "indicator_id"),
                               Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 3, "indicator_id")),
                  counts=counts(3, 1, 2)),
        data_case("indicators_unknown_frequency", OBS3,
                  indicators=INDICATORS.replace("higher_is_better,monthly", "higher_is_better,weekly"),
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "ind.csv", 2, "frequency", ("'weekly'",)),),
                  counts=counts(3, 1, 2)),
        data_case("indicators_unknown_domain", OBS3,
                  indicators=INDICATORS.replace("C. difficile,safe", "C. difficile,safety"),
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "ind.csv", 3, "domain", ("'safety'",)),
                               Diag(code("UNKNOWN_INDICATOR"), E, "obs.csv", 4, "indicator_id")),
                  counts=counts(3, 2, 1)),
        data_case("indicators_rate_multiplier_not_a_number", OBS3,
                  indicators=INDICATORS.replace("monthly,,\nCDI", "monthly,abc,\nCDI"),
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "ind.csv", 2, "rate_multiplier", ("'abc'",)),),
                  counts=counts(3, 1, 2)),
        data_case("indicators_negative_rate_multiplier", OBS3,
                  indicators=INDICATORS.replace("monthly,,\nCDI", "monthly,-100,\nCDI"),
                  diagnostics=(Diag(code("BAD_DEFINITION"), E, "ind.csv", 2, "rate_multiplier", ("-100",)),),
                  counts=counts(3, 1, 2)),
        data_case("indicators_defined_twice_differently", OBS3,
                  indicators=INDICATORS + "AE,A&E,responsive,percentage,lower_is_better,monthly,,\n",
                  diagnostics=(Diag(code("DUPLICATE_DEFINITION"), W, "ind.csv", None, "id",
                                    ("ind.csv line 2, ind.csv line 5", "they differ")),),
                  counts=counts(3, 3, 0)),
        data_case("indicators_no_id_column", OBS3, indicators="name,unit\nx,count\n", exit=1,
                  stderr=("ind.csv line 1: no 'id' column",)),
        # Plans CSV.
        data_case("plans_bad_rows", OBS3,
                  plans=PLANS + "P1,AE,2019-03,95\nP1,AE,2019-3,95\nP1,AE,2019-04,nan\nP9,AE,2019-03,1\n"
                  "P1,ZZ,2019-03,1\nP1,AE,2019-Q1,1\n,AE,2019-03,1\nP1,AE,2019-05,\nP1,AE\n",
                  diagnostics=(
                      Diag(code("BAD_PERIOD"), E, "plans.csv", 3, "period", ("the plan row is not used",)),
                      Diag(code("NON_FINITE_VALUE"), E, "plans.csv", 4, "value"),
                      Diag(code("UNKNOWN_PROVIDER"), E, "plans.csv", 5, "provider_id", ("'P9'",)),
                      Diag(code("UNKNOWN_INDICATOR"), E, "plans.csv", 6, "indicator_id", ("'ZZ'",)),
                      Diag(code("MIXED_FREQUENCY"), E, "plans.csv", 7, "period"),
                      Diag(code("MISSING_FIELD"), E, "plans.csv", 8, "provider_id"),
                      Diag(code("MISSING_FIELD"), E, "plans.csv", 9, "value"),
                      Diag(code("MALFORMED_ROW"), E, "plans.csv", 10, None, ("2 fields where the header has 4",))),
                  counts=counts(3, 3, 0, plans=(9, 1, 8))),
        data_case("plans_duplicates", OBS3,
                  plans=PLANS + "P1,CDI,2019-03,2\nP1,CDI,2019-03,3\nP2,CDI,2019-03,2\nP2,CDI,2019-03,2\n",
                  diagnostics=(Diag(code("DUPLICATE_OBSERVATION"), E, "plans.csv", 2, "period",
                                    ("they conflict",), others=(("plans.csv", 3),)),
                               Diag(code("DUPLICATE_OBSERVATION"), W, "plans.csv", 4, "period",
                                    ("identical",), others=(("plans.csv", 5),))),
                  counts=counts(3, 3, 0, plans=(4, 1, 3))),
        data_case("plans_value_overflows", OBS3, plans=PLANS + "P1,CDI,2019-03,1e400\n",
                  diagnostics=(Diag(code("NON_FINITE_VALUE"), E, "plans.csv", 2, "value"),),
                  counts=counts(3, 3, 0, plans=(1, 0, 1))),
        data_case("plans_value_in_hexadecimal", OBS3, plans=PLANS + "P2,CDI,2019-03,0x10\n",
                  diagnostics=(Diag(code("NON_FINITE_VALUE"), E, "plans.csv", 2, "value", ("'0x10'",)),),
                  counts=counts(3, 3, 0, plans=(1, 0, 1))),
        data_case("plans_id_not_utf8", OBS3, plans=PLANS.encode() + b"P\xc31,CDI,2019-03,2\n",
                  diagnostics=(Diag(code("BAD_ID"), E, "plans.csv", 2, "provider_id", ("\\xc3",)),),
                  counts=counts(3, 3, 0, plans=(1, 0, 1))),
        data_case("plans_no_value_column", OBS3, plans="provider_id,indicator_id,period\nP1,AE,2019-03\n",
                  exit=1, stderr=("plans.csv line 1: no 'value' column",)),
        data_case("plans_empty_file", OBS3, plans="", exit=1, stderr=("plans.csv: the file is empty",)),
        # JSON, text and binary protobuf data.
        _obs("json_dataset_bad_rows",
             '{"observations": [{"providerId": "P1", "indicatorId": "AE", "period": "2019-03", "value": 96}, '
             '{"providerId": "P2", "indicatorId": "AE", "period": "2019-3", "value": 80}, '
             '{"providerId": "P2", "indicatorId": "AE", "period": "2019-03", "value": "NaN"}]}',
             Diag(code("BAD_PERIOD"), E, "obs.json observations", 2, "period", ("obs.json observations #2",)),
             Diag(code("NON_FINITE_VALUE"), E, "obs.json observations", 3, "value"),
             read=3, used=1, rejected=2, header="", data="obs.json"),
        _obs("json_bare_array_of_observations",
             '[{"providerId": "P1", "indicatorId": "AE", "period": "2019-03", "value": 96}, '
             '{"providerId": "P1", "indicatorId": "AE", "period": "2019-02", "value": 101}]',
             Diag(code("OUT_OF_RANGE"), E, "obs.json observations", 2, "value"),
             read=2, used=1, rejected=1, header="", data="obs.json"),
        _obs("json_nul_escape_in_id",
             '{"observations": [{"providerId": "P\\u00001", "indicatorId": "AE", "period": "2019-03", "value": 96}]}',
             Diag(code("BAD_ID"), E, "obs.json observations", 1, "provider_id", ("\\x00",)),
             read=1, used=0, rejected=1, header="", data="obs.json"),
        _refused("json_unknown_field",
                 '{"observations": [{"providerId": "P1", "indicatorId": "AE", "period": "2019-03", "valeu": 96}]}',
                 "not a valid JSON Dataset", "(observations[0]) valeu", data="obs.json"),
        _refused("json_number_as_text",
                 '{"observations": [{"providerId": "P1", "indicatorId": "AE", "period": "2019-03", "value": "high"}]}',
                 "(observations[0].value)", '"high"', data="obs.json"),
        _refused("json_status_misspelt",
                 '{"observations": [{"providerId": "P1", "indicatorId": "AE", "period": "2019-03", '
                 '"status": "OBSERVATION_STATUS_MAYBE"}]}',
                 "(observations[0].status)", data="obs.json"),
        _refused("json_truncated", '{"observations": [{"providerId": "P1", ',
                 "not a valid JSON Dataset", "Unexpected end of string", data="obs.json"),
        _refused("json_not_utf8",
                 b'{"observations": [{"providerId": "P\xff1", "indicatorId": "AE", "period": "2019-03", "value": 96}]}',
                 "not a valid JSON Dataset", "non UTF-8", data="obs.json"),
        _refused("textproto_syntax_error",
                 'observations { provider_id: "P1" indicator_id: "AE" period: "2019-03" value: 96 }\n'
                 'observations { provider_id: "P2" indicator_id: "AE" period: 2019-03 value: 80 }\n',
                 "not a valid text-format Dataset: line 2 column", "Expected string", data="obs.textproto"),
        _obs("textproto_bad_row",
             'observations { provider_id: "P1" indicator_id: "AE" period: "2019-03" value: 96 }\n'
             'observations { provider_id: "P2" indicator_id: "AE" period: "2019-03" numerator: 5 denominator: 0 }\n',
             Diag(code("BAD_DENOMINATOR"), E, "obs.textproto observations", 2, "denominator"),
             read=2, used=1, rejected=1, header="", data="obs.textproto"),
        _obs("textproto_id_not_utf8",
             'observations { provider_id: "P\\3771" indicator_id: "AE" period: "2019-03" value: 96 }\n',
             Diag(code("BAD_ID"), E, "obs.textproto observations", 1, "provider_id", ("\\xff",)),
             read=1, used=0, rejected=1, header="", data="obs.textproto"),
        _refused("pb_garbage", bytes(range(256)), "obs.pb: not a valid binary Dataset message", data="obs.pb"),
        _refused("pb_truncated", (_pb_obs(b"P1") + _pb_obs(b"P2"))[:-3],
                 "obs.pb: not a valid binary Dataset message", data="obs.pb"),
        _obs("pb_id_not_utf8", _pb_obs(b"P1") + _pb_obs(b"P\xff2"),
             Diag(code("BAD_ID"), E, "obs.pb observations", 2, "provider_id", ("\\xff",)),
             read=2, used=1, rejected=1, header=b"", data="obs.pb"),
        # `vigil spc` and `vigil funnel` inputs.
        _spc("spc_value_not_a_number", "a,2020-01,1\na,2020-02,x\na,2020-03,3\n", 1,
             "series.csv line 3: value 'x' is not a finite number"),
        _spc("spc_period_not_iso", "a,2020-01,1\na,2020-13,2\n", 1, "series.csv line 3", '"2020-13"'),
        _spc("spc_mixed_frequencies_in_one_series", "a,2020-01,1\na,2020-02,2\na,2020-Q2,3\na,2020-05,4\n",
             1, "line 4", "2020-Q2"),
        Case("spc_missing_months_are_gaps", DATA,
             args=("spc", "--input", "@series.csv", "--output", "@out.csv"),
             files={"series.csv": "series_id,period,value\na,2020-01,1\na,2020-02,2\na,2020-05,3\n"},
             exit=0, outputs={"out.csv": ("a,2020-03,", "a,2020-04,", "missing")}),
        _funnel("funnel_numerator_above_denominator", "A,5,10\nB,12,10\nC,3,10\n",
                "groups.csv line 3, column numerator: 12 is above the denominator 10"),
        _funnel("funnel_group_named_twice", "A,5,10\nA,6,10\nC,3,10\n",
                "groups.csv lines 2 and 3, column group: 'A' appears twice"),
        _funnel("funnel_negative_count", "A,-5,10\nB,6,10\nC,3,10\n", "groups.csv line 2, column numerator"),
    ]


def _pb_obs(provider: bytes) -> bytes:
    """One Observation of a binary vigil.v1.Dataset (field 3), value 96."""
    import struct

    def ld(number, payload):
        return bytes([(number << 3) | 2, len(payload)]) + payload
    obs = (ld(1, provider) + ld(2, b"AE") + ld(3, b"2019-03")
           + bytes([(4 << 3) | 1]) + struct.pack("<d", 96.0))
    return ld(3, obs)


def _spc(name, rows, exit, *needles, defect=None):
    return Case(name, DATA, args=("spc", "--input", "@series.csv", "--output", "@out.csv"),
                files={"series.csv": "series_id,period,value\n" + rows}, exit=exit,
                stderr=needles, defect=defect)


def _funnel(name, rows, *needles):
    return Case(name, DATA, args=("funnel", "--input", "@groups.csv", "--output", "@out.csv",
                                  "--type", "proportion"),
                files={"groups.csv": "group,numerator,denominator\n" + rows}, exit=1,
                stderr=needles)


def _flags_cases():
    spc_files = {"series.csv": "series_id,period,value\na,2020-01,1\na,2020-02,2\n",
                 "groups.csv": "group,numerator,denominator\nA,5,10\nB,6,10\nC,3,10\n"}
    return [
        flags_case("flag_misspelt", EVAL + ("--as-off", "2019-03"), 2, "unknown flag --as-off"),
        flags_case("flag_without_value_at_the_end", EVAL + ("--as-of",), 2, "--as-of needs a value"),
        flags_case("flag_value_is_the_next_flag",
                   ("evaluate", "--rules", "--data", "@obs.csv", "--indicators", "@ind.csv"), 2,
                   "--rules needs a value"),
        flags_case("as_of_month_13", EVAL + ("--as-of", "2019-13"), 2, "--as-of", "2019-13"),
        flags_case("as_of_in_words", EVAL + ("--as-of", "March 2019"), 2, "--as-of", "March 2019"),
        flags_case("threads_huge", EVAL + ("--threads", "100000"), 2,
                   "--threads must be a whole number from 1 to 256"),
        flags_case("threads_not_a_number", EVAL + ("--threads", "four"), 2, "--threads must be"),
        flags_case("threads_fraction", EVAL + ("--threads", "2.5"), 2, "--threads must be"),
        flags_case("format_in_capitals", EVAL + ("--format", "JSON"), 2,
                   "--format must be table, json, csv or html"),
        flags_case("format_without_value", EVAL + ("--format",), 2, "--format needs a value"),
        flags_case("output_is_a_directory", EVAL + ("--as-of", "2019-03", "--output", "@"), 1,
                   "{tmp}", "is a directory"),
        flags_case("output_in_a_missing_directory",
                   EVAL + ("--as-of", "2019-03", "--output", "/nonexistent/dir/out.json"), 1,
                   "/nonexistent/dir/out.json", "No such file or directory"),
        flags_case("rules_file_missing",
                   ("evaluate", "--rules", "/nonexistent/pack.textproto", "--data", "@obs.csv"), 1,
                   "/nonexistent/pack.textproto: No such file or directory"),
        flags_case("providers_file_missing", EVAL + ("--providers", "/nonexistent/prov.csv"), 1,
                   "/nonexistent/prov.csv: No such file or directory"),
        flags_case("indicators_file_missing",
                   EVAL[:7] + ("--indicators", "/nonexistent/ind.csv"), 1,
                   "/nonexistent/ind.csv: No such file or directory"),
        flags_case("indicators_is_a_directory", EVAL[:7] + ("--indicators", "@"), 1,
                   "{tmp}: is a directory; give a file"),
        flags_case("plans_is_a_directory", EVAL + ("--plans", "@"), 1,
                   "{tmp}: is a directory; give a file"),
        flags_case("validate_rules_is_a_directory", ("validate", "--rules", "@"), 1,
                   "{tmp}: is a directory; give a file"),
        flags_case("indicators_flag_forgotten", EVAL[:7], 1,
                   "none of the 3 observations could be used",
                   "obs.csv line 2: indicator 'AE' is not defined"),
        flags_case("data_flag_missing", ("evaluate", "--rules", "@pack.textproto"), 2,
                   "--data is required"),
        flags_case("stray_positional_argument", EVAL + ("extra",), 2, "unexpected argument 'extra'"),
        flags_case("single_dash_flag", EVAL + ("-as-of", "2019-03"), 2, "unexpected argument '-as-of'"),
        flags_case("validate_given_data", ("validate", "--rules", "@pack.textproto", "--data", "@obs.csv"),
                   2, "unknown flag --data"),
        flags_case("no_command", (), 2, "Usage:"),
        flags_case("rules_given_twice",
                   EVAL + ("--rules", "@other.textproto", "--as-of", "2019-03"), 2, "--rules",
                   files={"other.textproto": 'id: "q"\nrules { id: "c" selector { indicator_ids: "CDI" } '
                                             'threshold { standard: 2 } }\n'}),
        # Without --output, spc writes to standard output (issue 17).
        flags_case("spc_without_input", ("spc", "--output", "@o.csv"), 2, "--input is required",
                   files=spc_files),
        flags_case("spc_unknown_chart", ("spc", "--input", "@series.csv", "--output", "@o.csv",
                                         "--chart", "z"), 2, "--chart must be", files=spc_files),
        flags_case("funnel_type_abbreviated", ("funnel", "--input", "@groups.csv", "--output", "@o.csv",
                                               "--type", "prop"), 2,
                   "--type must be proportion, ratio or rate, not 'prop'", files=spc_files),
        flags_case("funnel_limit_over_100", ("funnel", "--input", "@groups.csv", "--output", "@o.csv",
                                             "--type", "proportion", "--limits", "95,120"), 2,
                   "'120' is not a percentage", files=spc_files),
        # Accepted, with the reason in the report: --as-of outside the data.
        data_case("as_of_before_all_data", OBS3, as_of="1990-01", kind=FLAGS,
                  diagnostics=(Diag(code("AFTER_AS_OF"), I, None, 0, "period",
                                    ("2 observations of indicator 'AE' are after the as-of period (Jan 1990)",)),
                               Diag(code("AFTER_AS_OF"), I, None, 0, "period", ("indicator 'CDI'",))),
                  counts=counts(3, 0, 3)),
        data_case("as_of_after_all_data", OBS3, as_of="2030-01", kind=FLAGS,
                  reasons=("no value for Jan 2030; the latest value is for Mar 2019",),
                  counts=counts(3, 3, 0)),
    ]


def _capi_cases():
    bad_pack = (b'id: "p" rules { id: "a" selector { all_indicators: true } threshold { standard: 1 } }'
                b' rules { id: "a" selector { all_indicators: true } threshold { standard: 2 } }')
    return [
        # Engines.
        capi("engine_create_null_bytes", bad("vigil_engine_create", NULL, 5, TEXT, OUT, message="bytes is NULL")),
        capi("engine_create_null_out",
             bad("vigil_engine_create", PACK_BYTES, len(PACK_BYTES), TEXT, NULL, message="out is NULL")),
        capi("engine_create_format_out_of_range",
             bad("vigil_engine_create", PACK_BYTES, len(PACK_BYTES), 9, OUT, message="format must be")),
        capi("engine_create_csv_is_no_pack_format",
             bad("vigil_engine_create", PACK_BYTES, len(PACK_BYTES), CSV, OUT,
                 message="format must be VIGIL_FORMAT_BINARY, _JSON or _TEXT")),
        capi("engine_create_binary_garbage",
             bad("vigil_engine_create", b"\xff\xfe\x00garbage", 10, BINARY, OUT,
                 message="not a valid binary RuleSet message")),
        capi("engine_create_text_said_to_be_json",
             bad("vigil_engine_create", PACK_BYTES, len(PACK_BYTES), JSON_, OUT,
                 message="not a valid JSON RuleSet")),
        capi("engine_create_empty_pack",
             bad("vigil_engine_create", b"", 0, TEXT, OUT, message="id: the rule pack has no id")),
        capi("engine_create_pack_mistake",
             bad("vigil_engine_create", bad_pack, len(bad_pack), TEXT, OUT,
                 message="rule 'a' (rules[1]): id: another rule has the same id")),
        capi("engine_from_file_null_path",
             bad("vigil_engine_create_from_file", NULL, OUT, message="path is NULL")),
        capi("engine_from_file_missing",
             bad("vigil_engine_create_from_file", b"/nonexistent/pack.textproto", OUT,
                 status="NOT_FOUND", message="/nonexistent/pack.textproto")),
        capi("engine_from_file_directory",
             bad("vigil_engine_create_from_file", TMPDIR, OUT, message="is a directory; give a file")),
        # Datasets.
        capi("dataset_create_null_out", bad("vigil_dataset_create", NULL)),
        capi("add_provider_null_dataset",
             bad("vigil_dataset_add_provider", NULL, b"P1", NULL, NULL, message="dataset is NULL")),
        capi("add_provider_null_id",
             bad("vigil_dataset_add_provider", DATASET, NULL, NULL, NULL, message="id is NULL")),
        capi("add_provider_unknown_type",
             bad("vigil_dataset_add_provider", DATASET, b"P1", NULL, b"hospital",
                 message="type: 'hospital' is not one of")),
        capi("add_indicator_unknown_unit",
             bad("vigil_dataset_add_indicator", DATASET, b"AE", NULL, NULL, b"percent", NULL, NULL, 0.0,
                 message="unit: 'percent' is not one of")),
        capi("add_indicator_unknown_polarity",
             bad("vigil_dataset_add_indicator", DATASET, b"AE", NULL, NULL, NULL, b"up", NULL, 0.0,
                 message="polarity: 'up'")),
        capi("add_indicator_unknown_frequency",
             bad("vigil_dataset_add_indicator", DATASET, b"AE", NULL, NULL, NULL, NULL, b"weekly", 0.0,
                 message="frequency: 'weekly'")),
        capi("add_indicator_nan_rate_multiplier",
             bad("vigil_dataset_add_indicator", DATASET, b"AE", NULL, NULL, NULL, NULL, NULL, NAN,
                 message="rate_multiplier")),
        capi("add_observation_null_dataset",
             bad("vigil_dataset_add_observation", NULL, b"P1", b"AE", b"2019-03", 1.0, NAN, NAN,
                 message="dataset is NULL")),
        capi("add_observation_null_period",
             bad("vigil_dataset_add_observation", DATASET, b"P1", b"AE", NULL, 1.0, NAN, NAN,
                 message="period")),
        capi("add_observations_count_with_null_arrays",
             bad("vigil_dataset_add_observations", DATASET, 2, NULL, NULL, NULL, NULL, NULL, NULL,
                 message="provider_ids")),
        capi("add_observations_null_entry_adds_no_row",
             *INDICATOR_CALLS,
             bad("vigil_dataset_add_observations", DATASET, 2, Strs([b"P1", NULL]), Strs([b"AE", b"AE"]),
                 Strs([b"2019-03", b"2019-03"]), Doubles([96.0, 97.0]), NULL, NULL, message="row 1"),
             evaluate(), counts=counts(0, 0, 0)),
        capi("add_plans_count_with_null_values",
             bad("vigil_dataset_add_plans", DATASET, 1, Strs([b"P1"]), Strs([b"AE"]), Strs([b"2019-03"]),
                 NULL, message="values")),
        capi("add_plan_null_dataset",
             bad("vigil_dataset_add_plan", NULL, b"P1", b"AE", b"2019-03", 1.0, message="dataset is NULL")),
        capi("add_bytes_null_bytes",
             bad("vigil_dataset_add_bytes", DATASET, NULL, 5, CSV, K_OBS, b"x.csv", message="bytes is NULL")),
        capi("add_bytes_format_0",
             bad("vigil_dataset_add_bytes", DATASET, b"abc", 3, 0, K_OBS, b"x", message="format must be")),
        capi("add_bytes_kind_9",
             bad("vigil_dataset_add_bytes", DATASET, b"abc", 3, CSV, 9, b"x", message="kind must be")),
        capi("add_bytes_binary_garbage",
             bad("vigil_dataset_add_bytes", DATASET, b"\xff\xff\xff\xff", 4, BINARY, K_OBS, b"junk.pb",
                 message="junk.pb: not a valid binary Dataset message")),
        capi("add_bytes_rule_pack_as_dataset",
             bad("vigil_dataset_add_bytes", DATASET, b'{"id": "p", "rules": []}', 24, JSON_, K_OBS,
                 b"pack.json", message=("pack.json", "rules"))),
        capi("add_bytes_text_pack_as_dataset",
             bad("vigil_dataset_add_bytes", DATASET, PACK_BYTES, len(PACK_BYTES), TEXT, K_OBS, b"p.textproto",
                 message=("p.textproto", "line 1 column", 'no field named "id"'))),
        capi("add_bytes_csv_without_its_columns",
             bad("vigil_dataset_add_bytes", DATASET, b"a,b\n1,2\n", 8, CSV, K_OBS, b"mem.csv",
                 message="mem.csv line 1: no 'provider_id' column")),
        capi("add_bytes_refused_leaves_the_dataset_usable",
             *INDICATOR_CALLS,
             bad("vigil_dataset_add_bytes", DATASET, b"\xff\xff\xff\xff", 4, BINARY, K_OBS, b"junk.pb",
                 message="junk.pb"),
             add_obs(), evaluate(), counts=counts(1, 1, 0)),
        capi("add_file_null_path", bad("vigil_dataset_add_file", DATASET, NULL, K_OBS, message="path is NULL")),
        capi("add_file_missing",
             bad("vigil_dataset_add_file", DATASET, b"/nonexistent/x.csv", K_OBS, status="NOT_FOUND",
                 message="/nonexistent/x.csv")),
        capi("add_file_directory",
             bad("vigil_dataset_add_file", DATASET, TMPDIR, K_OBS, message="is a directory; give a file")),
        capi("add_file_kind_7",
             bad("vigil_dataset_add_file", DATASET, b"/nonexistent/x.csv", 7, message="kind must be")),
        # Evaluation.
        capi("evaluate_null_engine",
             bad("vigil_engine_evaluate", NULL, DATASET, b"2019-03", 1, OUT, message="engine is NULL")),
        capi("evaluate_null_dataset",
             bad("vigil_engine_evaluate", ENGINE, NULL, b"2019-03", 1, OUT, message="dataset is NULL")),
        capi("evaluate_null_out",
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-03", 1, NULL, message="out is NULL")),
        capi("evaluate_257_threads", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-03", 257, OUT,
                 message="threads: at most 256, got 257")),
        capi("evaluate_int_max_threads", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-03", 2**31 - 1, OUT, message="threads")),
        capi("evaluate_as_of_month_13", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-13", 1, OUT,
                 message='as_of: period "2019-13"')),
        capi("evaluate_as_of_not_utf8", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-0\xff", 1, OUT,
                 message=("as_of", "\\xff"))),
        capi("evaluate_no_rows_and_no_as_of",
             bad("vigil_engine_evaluate", ENGINE, DATASET, NULL, 1, OUT,
                 message="as_of: not given, and there are no observations")),
        capi("evaluate_no_rows_with_as_of", evaluate(), counts=counts(0, 0, 0)),
        capi("add_after_evaluate", *INDICATOR_CALLS, add_obs(), evaluate(),
             bad("vigil_dataset_add_observation", DATASET, b"P2", b"AE", b"2019-03", 80.0, NAN, NAN,
                 status="FAILED_PRECONDITION", message="has been evaluated")),
        capi("add_after_a_refused_evaluate", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-03", 257, OUT, message="threads"),
             add_obs(b"P2", value=80.0), evaluate(), counts=counts(2, 2, 0)),
        capi("evaluate_again_after_a_bad_as_of", *INDICATOR_CALLS, add_obs(),
             bad("vigil_engine_evaluate", ENGINE, DATASET, b"2019-13", 1, OUT, message="as_of"),
             evaluate(), counts=counts(1, 1, 0)),
        capi("observation_id_not_utf8", *INDICATOR_CALLS, add_obs(), add_obs(b"P\xff2"), evaluate(),
             diagnostics=(Diag(code("BAD_ID"), E, "observations", 2, "provider_id",
                               ("'P\\xff2' is not valid UTF-8",)),),
             counts=counts(2, 1, 1)),
        capi("plan_id_not_utf8", *INDICATOR_CALLS, add_obs(),
             ok("vigil_dataset_add_plan", DATASET, b"P\xfe1", b"AE", b"2019-03", 1.0), evaluate(),
             diagnostics=(Diag(code("BAD_ID"), E, "plans", 1, "provider_id", ("\\xfe",)),),
             counts=counts(1, 1, 0, plans=(1, 0, 1))),
        capi("provider_id_not_utf8",
             ok("vigil_dataset_add_provider", DATASET, b"P\xff3", NULL, NULL),
             ok("vigil_dataset_add_provider", DATASET, b"P1", NULL, NULL),
             *INDICATOR_CALLS, add_obs(), evaluate(),
             diagnostics=(Diag(code("BAD_DEFINITION"), E, "providers", 1, "id", ("\\xff",)),),
             counts=counts(1, 1, 0)),
        capi("provider_rows_numbered_apart_from_indicators", *INDICATOR_CALLS,
             ok("vigil_dataset_add_provider", DATASET, b"P1", b"One", NULL),
             ok("vigil_dataset_add_provider", DATASET, b"P1", b"Uno", NULL),
             add_obs(), evaluate(),
             diagnostics=(Diag(code("DUPLICATE_DEFINITION"), W, "providers", 1, "id", ("providers #1",),
                               others=(("providers", 2),)),),
             counts=counts(1, 1, 0)),
        capi("evaluate_bytes_binary_garbage",
             bad("vigil_engine_evaluate_bytes", ENGINE, b"\x08\x96\x01\xff\xff", 5, BINARY, b"2019-03", OUT,
                 message="not a valid binary Dataset message")),
        capi("evaluate_bytes_binary_id_not_utf8",
             ok("vigil_engine_evaluate_bytes", ENGINE, _pb_obs(b"P1") + _pb_obs(b"P\xff2"),
                len(_pb_obs(b"P1") + _pb_obs(b"P\xff2")), BINARY, b"2019-03", OUT),
             diagnostics=(Diag(code("BAD_ID"), E, "observations", 2, "provider_id", ("\\xff",)),)),
        capi("evaluate_bytes_rule_pack",
             bad("vigil_engine_evaluate_bytes", ENGINE, PACK_BYTES, len(PACK_BYTES), TEXT, b"2019-03", OUT,
                 message=("line 1 column", 'no field named "id"'))),
        capi("evaluate_bytes_csv_format",
             bad("vigil_engine_evaluate_bytes", ENGINE, b"a", 1, CSV, b"2019-03", OUT, message="format must be")),
        capi("evaluate_bytes_null_engine",
             bad("vigil_engine_evaluate_bytes", NULL, b"a", 1, BINARY, b"2019-03", OUT,
                 message="engine is NULL")),
        # Reports.
        capi("serialize_null_report",
             bad("vigil_report_serialize", NULL, JSON_, OUT, OUT, message="report is NULL")),
        capi("serialize_text_format", evaluate(),
             bad("vigil_report_serialize", REPORT, TEXT, OUT, OUT,
                 message="format must be VIGIL_FORMAT_BINARY, VIGIL_FORMAT_JSON or VIGIL_FORMAT_HTML")),
        capi("serialize_null_length", evaluate(),
             bad("vigil_report_serialize", REPORT, JSON_, OUT, NULL, message="bytes and length")),
        capi("report_accessors_on_null_and_out_of_range", *INDICATOR_CALLS, add_obs(), evaluate(),
             Call("vigil_report_assessment_count", (NULL,), status=None, returns=0),
             Call("vigil_report_diagnostic_message", (NULL, 0), status=None, returns=None),
             Call("vigil_report_assessment_provider_id", (REPORT, 10**6), status=None, returns=None),
             Call("vigil_report_assessment_value", (REPORT, 0, NULL), status=None, returns=1),
             Call("vigil_report_diagnostic_row", (REPORT, 10**6), status=None, returns=0)),
        capi("destroying_null_handles",
             *(Call(fn, (NULL,), status=None) for fn in (
                 "vigil_engine_destroy", "vigil_dataset_destroy", "vigil_report_destroy", "vigil_free",
                 "vigil_funnel_options_destroy", "vigil_funnel_destroy"))),
        capi("names_of_unknown_codes",
             Call("vigil_status_name", (99,), status=None, returns=b"UNKNOWN_CODE"),
             Call("vigil_status_name", (-1,), status=None, returns=b"UNKNOWN_CODE"),
             Call("vigil_rating_name", (0,), status=None, returns=b""),
             Call("vigil_enum_name", (NULL, 1), status=None, returns=b""),
             Call("vigil_enum_name", (b"Rating", 99), status=None, returns=b""),
             Call("vigil_funnel_target", (NULL,), status=None, returns=NAN)),
        # SPC.
        capi("spc_null_values", bad(*spc(values=NULL), message="values is NULL")),
        capi("spc_infinite_target",
             bad(*spc(targets=Doubles([95.0] * 5 + [INF] + [95.0] * 6)), message="targets[5]")),
        capi("spc_run_length_4", bad(*spc(run_length=4), message="run_length: must be 5..10, got 4")),
        capi("spc_fix_after_5", bad(*spc(fix_after=5), message="fix_after_n_points")),
        capi("spc_direction_7", bad(*spc(direction=7), message="direction must be")),
        capi("spc_chart_xmr_code", bad(*chart(0, N12, D12), message="chart: 0 is not an attribute chart")),
        capi("spc_chart_p_without_denominators",
             bad(*chart(1, N12, NULL), message="denominators is NULL (the p chart needs them)")),
        capi("spc_chart_p_numerator_above_denominator",
             bad(*chart(1, N12_OVER, D12), message="numerators[11]: 12 exceeds its denominator 10")),
        # Funnel plots.
        capi("funnel_options_create_null_out", bad("vigil_funnel_options_create", NULL)),
        capi("funnel_type_9", bad("vigil_funnel_options_set_type", OPTIONS, 9, message="type must be")),
        capi("funnel_type_null_options",
             bad("vigil_funnel_options_set_type", NULL, 0, message="options is NULL")),
        capi("funnel_no_coverages",
             bad("vigil_funnel_options_set_coverages", OPTIONS, Doubles([0.95]), 0,
                 message="coverages: count must be 1 to")),
        capi("funnel_coverage_above_1",
             bad("vigil_funnel_options_set_coverages", OPTIONS, Doubles([0.95, 1.5]), 2,
                 message="coverages[1] is 1.5")),
        capi("funnel_null_coverages_with_a_count",
             bad("vigil_funnel_options_set_coverages", OPTIONS, NULL, 2, message="coverages is NULL")),
        capi("funnel_fit_null_options", bad(*fit(NULL, N12, D12, 12), message="options is NULL")),
        capi("funnel_fit_numerator_above_denominator",
             bad(*fit(OPTIONS, N12_OVER, D12, 12), message="numerators[11]: 12 is above its denominator 10")),
        capi("funnel_fit_no_usable_group",
             bad(*fit(OPTIONS, Doubles([NAN] * 12), D12, 12), status="FAILED_PRECONDITION",
                 message="no group has both a numerator and a non-zero denominator")),
        capi("funnel_fit_ratio_on_arcsine_scale",
             ok("vigil_funnel_options_set_type", OPTIONS, 1),
             ok("vigil_funnel_options_set_scale", OPTIONS, 1),
             bad(*fit(OPTIONS, N12, D12, 12), message="scale: arcsine is for proportions")),
        capi("funnel_limits_null_funnel",
             bad("vigil_funnel_limits_at", NULL, 10.0, 0, NULL, NULL, message="funnel is NULL")),
        capi("funnel_limits_coverage_out_of_range",
             bad("vigil_funnel_limits_at", FUNNEL, 10.0, 5, NULL, NULL, message="coverage index out of range")),
        capi("funnel_curve_null_denominators",
             bad("vigil_funnel_curve", FUNNEL, NULL, 3, NULL, NULL, message="denominators is NULL")),
        capi("funnel_grid_one_point",
             bad("vigil_funnel_denominator_grid", 1.0, 10.0, 1, Doubles([0.0]), message="points must be at least 2")),
    ]


CASES = _pack_cases() + _data_cases() + _flags_cases() + _capi_cases()
