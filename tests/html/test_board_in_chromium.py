"""The board's HTML dashboard in a real browser (headless Chromium).

Renders the NHS example (140 trusts, as of March 2019) with `vigil evaluate
--output dashboard.html` (the format from the extension), opens it in
Debian's headless Chromium, and checks through the DOM Chromium built:
every provider of the report has its section, every SPC assessment has a
chart with as many points as the report's chart has values, every peer
assessment its funnel plot (the shared drawing with every provider's point,
the provider ringed), every trajectory assessment of the HCAI example its
chart, and the page asks for nothing outside itself. The screenshot is kept as a test artefact
(VIGIL_ARTIFACT_DIR/dashboard.png).

Environment: VIGIL_TOOL (the vigil binary), VIGIL_SOURCE_DIR, VIGIL_CHROMIUM,
VIGIL_ARTIFACT_DIR.
"""
import html.parser
import json
import math
import os
import re
import subprocess
import sys
import time

import pytest

TOOL = os.environ["VIGIL_TOOL"]
SOURCE = os.environ["VIGIL_SOURCE_DIR"]
CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "chromium")
ARTIFACTS = os.environ["VIGIL_ARTIFACT_DIR"]
EXAMPLE = os.path.join(SOURCE, "examples", "nhs_early_warning")
CHART_PERIODS = 36


def evaluate(output, *extra):
    subprocess.run(
        [TOOL, "evaluate", "--rules", os.path.join(EXAMPLE, "rules.textproto"),
         "--data", os.path.join(EXAMPLE, "observations.csv"),
         "--providers", os.path.join(EXAMPLE, "providers.csv"),
         "--indicators", os.path.join(EXAMPLE, "indicators.csv"),
         "--as-of", "2019-03", "--output", output, *extra],
        check=True)


def chromium(*args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--disable-extensions", "--hide-scrollbars",
           *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          timeout=120)


class Dom(html.parser.HTMLParser):
    """Sections by provider, and the charts (data-points) inside each."""

    def __init__(self):
        super().__init__()
        self.sections = {}
        self.current = None
        self.figure = None
        self.tags_with_urls = []
        self.scripts = 0
        # Funnels shown per provider: (indicator, rule) -> [href, points,
        # ringed]; symbols: id -> points drawn.
        self.funnels = {}
        self.symbols = {}
        self.symbol = None
        self.svg = None
        # Trajectory charts per provider: (indicator, rule) -> points.
        self.trajectories = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href", "data", "poster", "action"):
            value = a.get(name)
            if value is not None and not value.startswith("#"):
                self.tags_with_urls.append((tag, name, value))
        if tag == "section" and "provider" in (a.get("class") or "").split():
            self.current = a["data-provider"]
            self.sections[self.current] = {}
        elif tag == "figure" and self.current is not None:
            self.figure = (a["data-indicator"], a["data-rule"])
        elif tag == "svg" and "spc" in (a.get("class") or "").split():
            self.sections[self.current][self.figure] = int(a["data-points"])
        elif tag == "svg" and "funnel" in (a.get("class") or "").split():
            self.svg = "funnel"
            if self.current is not None:
                self.funnels.setdefault(self.current, {})[self.figure] = [
                    None, int(a["data-points"]), False]
        elif tag == "svg" and "trajectory" in (a.get("class") or "").split():
            if self.current is not None:
                self.trajectories.setdefault(self.current, {})[
                    self.figure] = int(a["data-points"])
        elif tag == "use" and self.svg == "funnel" and self.current:
            self.funnels[self.current][self.figure][0] = a["href"]
        elif tag == "circle" and self.svg == "funnel" and self.current:
            if a.get("class") == "focus":
                self.funnels[self.current][self.figure][2] = True
        elif tag == "symbol":
            self.symbol = a["id"]
            self.symbols[self.symbol] = 0
        elif tag == "circle" and self.symbol is not None:
            self.symbols[self.symbol] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None
        elif tag == "figure":
            self.figure = None
        elif tag == "svg":
            self.svg = None
        elif tag == "symbol":
            self.symbol = None


@pytest.fixture(scope="module")
def rendered():
    os.makedirs(ARTIFACTS, exist_ok=True)
    page = os.path.join(ARTIFACTS, "dashboard.html")
    report_json = os.path.join(ARTIFACTS, "dashboard.json")
    evaluate(page)  # html from the extension; 36 chart periods by default.
    evaluate(report_json, "--chart-periods", str(CHART_PERIODS))
    with open(report_json) as f:
        report = json.load(f)
    started = time.monotonic()
    dom = chromium("--dump-dom", "file://" + page).stdout
    seconds = time.monotonic() - started
    screenshot = os.path.join(ARTIFACTS, "dashboard.png")
    chromium("--screenshot=" + screenshot, "--window-size=1200,1600",
             "file://" + page)
    print(f"page {os.path.getsize(page)} bytes; Chromium --dump-dom "
          f"{seconds:.2f} s (browser start included)", file=sys.stderr)
    return page, report, dom, screenshot


def test_every_provider_has_a_section(rendered):
    _, report, dom_text, _ = rendered
    dom = Dom()
    dom.feed(dom_text)
    expected = {p["provider_id"] for p in report["providers"]}
    assert len(expected) == 140
    assert set(dom.sections) == expected


def test_every_spc_assessment_has_a_chart_with_its_points(rendered):
    _, report, dom_text, _ = rendered
    dom = Dom()
    dom.feed(dom_text)
    charts = 0
    for a in report["assessments"]:
        points = a.get("spc", {}).get("chart_points", [])
        if not points:
            continue
        charts += 1
        values = sum(1 for p in points
                     if not (isinstance(p.get("value"), str)
                             or math.isnan(p.get("value", 0.0))))
        key = (a["indicator_id"], a["rule_id"])
        assert dom.sections[a["provider_id"]].get(key) == values, (
            a["provider_id"], key)
    assert charts == sum(len(s) for s in dom.sections.values())
    assert charts >= 140  # The example's SPC rules chart every trust.


def test_every_peer_assessment_has_its_funnel_with_the_provider_ringed(
        rendered):
    _, report, dom_text, _ = rendered
    dom = Dom()
    dom.feed(dom_text)
    funnels = {(f["indicator_id"], f["rule_id"]): f
               for f in report["funnels"]}
    # The reference pack's peer rules with data in 2019: type-1 and all
    # types (the snapshot's and HCAI's have none then).
    assert set(funnels) == {("AE_4HR_T1", "ae_4hr_peer"),
                            ("AE_4HR_ALL", "ae_4hr_all_peer")}
    shown = 0
    for a in report["assessments"]:
        key = (a["indicator_id"], a["rule_id"])
        if key not in funnels:
            continue
        shown += 1
        href, points, ringed = dom.funnels[a["provider_id"]][key]
        chart = funnels[key]
        assert points == len(chart["points"])
        # The shared drawing exists and holds every provider's point.
        assert dom.symbols[href.lstrip("#")] == len(chart["points"])
        on_funnel = {p["provider_id"] for p in chart["points"]}
        assert ringed == (a["provider_id"] in on_funnel), a["provider_id"]
        # Trusts with a 4-hour count in Mar 2019.
        assert len(on_funnel) >= 130
    assert shown == 2 * 140


def test_every_trajectory_assessment_has_its_chart(tmp_path):
    example = os.path.join(SOURCE, "examples", "hcai")
    page = os.path.join(ARTIFACTS, "hcai.html")
    report_json = tmp_path / "hcai.json"
    for output in (page, str(report_json)):
        subprocess.run(
            [TOOL, "evaluate", "--rules",
             os.path.join(example, "rules.textproto"),
             "--data", os.path.join(example, "observations.csv"),
             "--providers", os.path.join(example, "providers.csv"),
             "--indicators", os.path.join(example, "indicators.csv"),
             "--plans", os.path.join(example, "plans.csv"),
             "--as-of", "2018-03", "--chart-periods", str(CHART_PERIODS),
             "--output", output], check=True)
    report = json.loads(report_json.read_text())
    dom = Dom()
    dom.feed(chromium("--dump-dom", "file://" + page).stdout)
    expected = {}
    for a in report["assessments"]:
        points = a.get("trajectory", {}).get("points", [])
        if points:
            actuals = sum(1 for p in points
                          if not isinstance(p.get("actual", 0.0), str))
            expected[(a["provider_id"], a["indicator_id"], a["rule_id"])] = (
                actuals)
    shown = {(provider, indicator, rule): n
             for provider, charts in dom.trajectories.items()
             for (indicator, rule), n in charts.items()}
    assert len(expected) >= 10
    assert shown == expected


def test_the_page_loads_nothing_from_outside(rendered):
    page, _, dom_text, _ = rendered
    dom = Dom()
    dom.feed(dom_text)
    assert dom.tags_with_urls == []
    assert dom.scripts == 0
    with open(page, encoding="utf-8") as f:
        source = f.read()
    assert "default-src 'none'" in source  # The browser refuses any load.
    assert not re.search(r"url\(|@import|https?:", source)


def test_the_page_is_small_and_the_screenshot_is_kept(rendered):
    page, _, _, screenshot = rendered
    # 140 trusts, each with 5 SPC charts of 36 months (4-hour XmR and Laney,
    # breaches, attendances, admissions) and 2 funnels: 7 MB.
    assert os.path.getsize(page) < 8 * 1024 * 1024
    with open(screenshot, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(screenshot) > 10000  # Not a blank page.
