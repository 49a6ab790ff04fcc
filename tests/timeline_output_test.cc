// A back-test's Timeline as CSV and as the HTML heat-map: a small
// hand-built timeline against a reviewed golden page
// (VIGIL_UPDATE_GOLDEN=1 rewrites it), the order of the rows, one cell per
// provider and period with its level, the board's colours, escaping, and
// the size of an England-sized page.
#include "vigil/timeline_output.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/html_report.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kRoot = VIGIL_SOURCE_DIR;
constexpr v1::EscalationLevel kNone = v1::ESCALATION_LEVEL_UNSPECIFIED;
constexpr v1::EscalationLevel kRoutine = v1::ESCALATION_LEVEL_ROUTINE;
constexpr v1::EscalationLevel kEnhanced =
    v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE;
constexpr v1::EscalationLevel kSummit = v1::ESCALATION_LEVEL_RISK_SUMMIT;

int Count(const std::string& text, const std::string& needle) {
  return testing::CountOccurrences(text, needle);
}

void AddProvider(v1::Timeline* t, const std::string& id,
                 std::vector<v1::EscalationLevel> levels) {
  v1::ProviderTimeline* p = t->add_providers();
  p->set_provider_id(id);
  for (v1::EscalationLevel l : levels) p->add_escalation(l);
}

// Four months across a new year; RXA enhanced twice, RXB at risk summit
// once, RXC routine after a month without a report.
v1::Timeline SmallTimeline() {
  v1::Timeline t;
  t.set_ruleset_id("early_warning");
  t.set_ruleset_version("3");
  t.set_engine_version("0.1.0");
  for (const char* p : {"2018-11", "2018-12", "2019-01", "2019-02"}) {
    t.add_as_of(p);
  }
  AddProvider(&t, "RXA", {kRoutine, kEnhanced, kEnhanced, kRoutine});
  AddProvider(&t, "RXB", {kRoutine, kRoutine, kEnhanced, kSummit});
  AddProvider(&t, "RXC", {kNone, kRoutine, kRoutine, kRoutine});
  v1::RuleTimeline* r = t.add_rules();
  r->set_provider_id("RXA");
  r->set_indicator_id("AE4HR");
  r->set_rule_id("ae_spc");
  for (v1::Rating x : {v1::RATING_UNSPECIFIED, v1::RATING_RED,
                       v1::RATING_NO_DATA, v1::RATING_GREEN}) {
    r->add_ratings(x);
  }
  return t;
}

std::vector<v1::Provider> Names() {
  std::vector<v1::Provider> names(2);
  names[0].set_id("RXB");
  names[0].set_name("Barset <General> & \"District\"");
  names[1].set_id("RXA");
  names[1].set_name("Aldgate Hospitals");
  return names;  // RXC has none: its id is shown.
}

std::string Html(const v1::Timeline& t,
                 const std::vector<v1::Provider>& names) {
  std::ostringstream out;
  EXPECT_TRUE(PrintTimelineHtml(t, names, out));
  return out.str();
}

TEST(TimelineHtmlTest, MatchesTheReviewedGoldenPage) {
  const std::string page = Html(SmallTimeline(), Names());
  const std::string path = kRoot + "/tests/golden/timeline_heatmap.html";
  if (std::getenv("VIGIL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << page;
  }
  absl::StatusOr<std::string> golden = ReadFile(path);
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_EQ(page, *golden)
      << "the heat-map differs from tests/golden/timeline_heatmap.html; if "
         "intended, run with VIGIL_UPDATE_GOLDEN=1 and review it in a browser";
}

TEST(TimelineHtmlTest, RowsWorstFirstWithOneCellPerPeriodAndItsLevel) {
  const std::string page = Html(SmallTimeline(), Names());
  const size_t b = page.find("data-provider=\"RXB\"");
  const size_t a = page.find("data-provider=\"RXA\"");
  const size_t c = page.find("data-provider=\"RXC\"");
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(b, a);  // One period at risk summit beats two enhanced.
  EXPECT_LT(a, c);
  EXPECT_EQ(Count(page, "<td class=\"l"), 12);
  EXPECT_EQ(Count(page, "<td class=\"l3\""), 1);
  EXPECT_EQ(Count(page, "<td class=\"l2\""), 3);
  EXPECT_EQ(Count(page, "<td class=\"l1\""), 7);
  EXPECT_EQ(Count(page, "<td class=\"l0\""), 1);
  EXPECT_NE(page.find("title=\"Aldgate Hospitals, Dec 2018: enhanced "
                      "surveillance\">E</td>"),
            std::string::npos);
  EXPECT_NE(page.find("title=\"RXC, Nov 2018: no report\">-</td>"),
            std::string::npos);
  // Months under their years; a summary per row.
  EXPECT_NE(page.find("<th scope=\"colgroup\" colspan=\"2\">2018</th>"),
            std::string::npos);
  EXPECT_NE(page.find("<th scope=\"col\" title=\"Jan 2019\">Jan</th>"),
            std::string::npos);
  EXPECT_NE(page.find("<td class=\"sum\">R 1, E 1</td>"), std::string::npos);
}

TEST(TimelineHtmlTest, EscapesNamesAndLoadsNothing) {
  const std::string page = Html(SmallTimeline(), Names());
  EXPECT_EQ(page.find("<General>"), std::string::npos);
  EXPECT_NE(page.find("Barset &lt;General&gt; &amp; &quot;District&quot;, "
                      "Feb 2019: risk summit\">R</td>"),
            std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http:"), std::string::npos);
  EXPECT_EQ(page.find("https:"), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
}

TEST(TimelineHtmlTest, UsesTheBoardsEscalationColours) {
  std::ostringstream board;
  ASSERT_TRUE(PrintReportHtml(v1::Report(), board));
  const std::string page = Html(SmallTimeline(), {});
  // The board: risk summit red, enhanced surveillance amber, routine grey.
  EXPECT_NE(board.str().find("--red: #d5281b"), std::string::npos);
  EXPECT_NE(board.str().find("--amber: #ffb81c"), std::string::npos);
  EXPECT_NE(board.str().find(".risk_summit { background: var(--red)"),
            std::string::npos);
  EXPECT_NE(
      board.str().find(".enhanced_surveillance { background: var(--amber)"),
      std::string::npos);
  EXPECT_NE(board.str().find(".routine { background: #e8edee"),
            std::string::npos);
  EXPECT_NE(page.find(".l3 { background: #d5281b"), std::string::npos);
  EXPECT_NE(page.find(".l2 { background: #ffb81c"), std::string::npos);
  EXPECT_NE(page.find(".l1 { background: #e8edee"), std::string::npos);
}

TEST(TimelineHtmlTest, QuarterlyPeriodsHaveOneHeadingRow) {
  v1::Timeline t;
  t.add_as_of("2018-Q4");
  t.add_as_of("2019-Q1");
  AddProvider(&t, "RXA", {kRoutine, kSummit});
  const std::string page = Html(t, {});
  EXPECT_EQ(Count(page, "<tr>"), 1);  // One heading row, no year groups.
  EXPECT_EQ(Count(page, "colgroup"), 0);
  EXPECT_NE(page.find("<th scope=\"col\">Q1 2019</th>"), std::string::npos);
  EXPECT_EQ(Count(page, "<td class=\"l"), 2);
  EXPECT_EQ(Count(page, "rowspan"), 0);
}

TEST(TimelineHtmlTest, AnEnglandSizedPageIsWellUnderAMegabyte) {
  v1::Timeline t;
  std::vector<v1::Provider> names(140);
  for (int m = 0; m < 36; ++m) {
    t.add_as_of(absl::StrCat(2016 + (m + 3) / 12, "-",
                             (m + 3) % 12 < 9 ? "0" : "", (m + 3) % 12 + 1));
  }
  for (int i = 0; i < 140; ++i) {
    const std::string id = absl::StrCat("R", 100 + i);
    names[i].set_id(id);
    // A long trust name (the longest real ones are about 60 characters).
    names[i].set_name(
        absl::StrCat("Barsetshire Teaching Hospitals NHS Trust ", i));
    std::vector<v1::EscalationLevel> levels;
    for (int m = 0; m < 36; ++m) {
      levels.push_back((i + m) % 7 == 0   ? kSummit
                       : (i + m) % 3 == 0 ? kEnhanced
                                          : kRoutine);
    }
    AddProvider(&t, id, levels);
  }
  const std::string page = Html(t, names);
  EXPECT_EQ(Count(page, "<td class=\"l"), 140 * 36);
  EXPECT_LT(page.size(), 1000 * 1000);
  std::cout << "140 providers x 36 months: " << page.size() << " bytes\n";
}

TEST(TimelineJsonTest, IsProtobufsJsonByteForByte) {
  const v1::Timeline t = SmallTimeline();
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = true;
  std::string expected;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(t, &expected, print).ok());
  EXPECT_EQ(TimelineJson(t), expected);
  std::ostringstream streamed;
  ASSERT_TRUE(PrintTimelineJson(t, streamed));
  EXPECT_EQ(streamed.str(), expected);
  EXPECT_NE(expected.find("\"ratings\": [\n    \"RATING_UNSPECIFIED\""),
            std::string::npos)
      << expected;
}

TEST(TimelineCsvTest, OneRowPerRatedPeriodInTheToolsSpelling) {
  std::ostringstream out;
  ASSERT_TRUE(PrintTimelineCsv(SmallTimeline(), out));
  EXPECT_EQ(out.str(),
            "as_of,provider_id,indicator_id,rule_id,rating\n"
            "2018-12,RXA,AE4HR,ae_spc,red\n"
            "2019-01,RXA,AE4HR,ae_spc,no_data\n"
            "2019-02,RXA,AE4HR,ae_spc,green\n");
}

}  // namespace
}  // namespace vigil
