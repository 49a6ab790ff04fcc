"""The back-test's escalation heat-map in a real browser (headless Chromium).

Runs `vigil backtest --format html` on the NHS example (140 trusts, April
2016 to March 2019: 36 as-of months) and `--format json` for the same range,
opens the page in Debian's headless Chromium and checks, through the DOM
Chromium built: one row per provider of the timeline, worst first; one cell
per provider and month, whose class is that provider's escalation level in
the JSON and whose title names the provider, the month and the level; the
month headings; nothing loaded from outside; the page well under 1 MB. The
screenshot is kept (VIGIL_ARTIFACT_DIR/backtest.png).

Environment: VIGIL_TOOL, VIGIL_SOURCE_DIR, VIGIL_CHROMIUM, VIGIL_ARTIFACT_DIR.
"""
import html.parser
import json
import os
import subprocess
import sys

import pytest

TOOL = os.environ["VIGIL_TOOL"]
SOURCE = os.environ["VIGIL_SOURCE_DIR"]
CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "chromium")
ARTIFACTS = os.environ["VIGIL_ARTIFACT_DIR"]
EXAMPLE = os.path.join(SOURCE, "examples", "nhs_early_warning")
LEVELS = {"ESCALATION_LEVEL_ROUTINE": "l1", "ESCALATION_LEVEL_ENHANCED_SURVEILLANCE": "l2",
          "ESCALATION_LEVEL_RISK_SUMMIT": "l3"}
WORDS = {"l0": "no report", "l1": "routine", "l2": "enhanced surveillance",
         "l3": "risk summit"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def backtest(output):
    subprocess.run(
        [TOOL, "backtest", "--rules", os.path.join(EXAMPLE, "rules.textproto"),
         "--data", os.path.join(EXAMPLE, "observations.csv"),
         "--providers", os.path.join(EXAMPLE, "providers.csv"),
         "--indicators", os.path.join(EXAMPLE, "indicators.csv"),
         "--from", "2016-04", "--to", "2019-03", "--output", output],
        check=True, timeout=600)


def chromium(*args):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--hide-scrollbars", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


class Heat(html.parser.HTMLParser):
    """Rows of the heat-map: provider -> [(class, title, text)], in order."""

    def __init__(self):
        super().__init__()
        self.rows = {}
        self.order = []
        self.months = []
        self.row = None
        self.cell = None
        self.month_heading = False
        self.urls = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href", "data", "poster", "action"):
            if a.get(name) is not None and not a[name].startswith("#"):
                self.urls.append((tag, name, a[name]))
        if tag == "tr" and "data-provider" in a:
            self.row = a["data-provider"]
            self.order.append(self.row)
            self.rows[self.row] = []
        elif tag == "td" and self.row and (a.get("class") or "").startswith("l"):
            self.cell = [a["class"], a.get("title", ""), ""]
            self.rows[self.row].append(self.cell)
        elif tag == "th" and a.get("scope") == "col" and "title" in a:
            self.months.append(a["title"])

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "tr":
            self.row = None


@pytest.fixture(scope="module")
def rendered():
    os.makedirs(ARTIFACTS, exist_ok=True)
    page = os.path.join(ARTIFACTS, "backtest.html")
    timeline_json = os.path.join(ARTIFACTS, "backtest.json")
    backtest(page)  # html from the extension
    backtest(timeline_json)
    with open(timeline_json) as f:
        timeline = json.load(f)
    heat = Heat()
    heat.feed(chromium("--dump-dom", "file://" + page).stdout)
    screenshot = os.path.join(ARTIFACTS, "backtest.png")
    chromium("--screenshot=" + screenshot, "--window-size=1400,1200", "file://" + page)
    print(f"heat-map {os.path.getsize(page)} bytes for {len(timeline['providers'])} "
          f"providers x {len(timeline['as_of'])} months", file=sys.stderr)
    return page, timeline, heat, screenshot


def test_one_cell_per_provider_and_month_with_its_level(rendered):
    _, timeline, heat, _ = rendered
    assert len(timeline["as_of"]) == 36 and len(timeline["providers"]) == 140
    assert set(heat.rows) == {p["provider_id"] for p in timeline["providers"]}
    names = {}
    with open(os.path.join(EXAMPLE, "providers.csv"), newline="") as f:
        import csv
        for row in csv.DictReader(f):
            names[row["id"]] = row["name"]
    for p in timeline["providers"]:
        cells = heat.rows[p["provider_id"]]
        assert len(cells) == 36, p["provider_id"]
        for as_of, level, (cls, title, text) in zip(timeline["as_of"], p["escalation"],
                                                    cells):
            expected = LEVELS.get(level, "l0")
            assert cls == expected, (p["provider_id"], as_of)
            year, month = as_of.split("-")
            label = f"{MONTHS[int(month) - 1]} {year}"
            who = names.get(p["provider_id"], p["provider_id"]) or p["provider_id"]
            assert title == f"{who}, {label}: {WORDS[cls]}"
            assert text == {"l3": "R", "l2": "E", "l1": "", "l0": "-"}[cls]


def test_rows_worst_first_and_months_in_order(rendered):
    _, timeline, heat, _ = rendered
    def key(p):
        e = p["escalation"]
        return (-e.count("ESCALATION_LEVEL_RISK_SUMMIT"),
                -e.count("ESCALATION_LEVEL_ENHANCED_SURVEILLANCE"), p["provider_id"])
    assert heat.order == [p["provider_id"] for p in sorted(timeline["providers"], key=key)]
    assert heat.months[0] == "Apr 2016" and heat.months[-1] == "Mar 2019"
    assert len(heat.months) == 36
    # The example's trusts move between levels: both are drawn.
    classes = {cls for cells in heat.rows.values() for cls, _, _ in cells}
    assert {"l1", "l2"} <= classes


def test_page_is_self_contained_small_and_drawn(rendered):
    page, _, heat, screenshot = rendered
    assert heat.urls == [] and heat.scripts == 0
    with open(page, encoding="utf-8") as f:
        source = f.read()
    assert "default-src 'none'" in source and "http:" not in source and "https:" not in source
    assert os.path.getsize(page) < 1000 * 1000
    with open(screenshot, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(screenshot) > 10000
