// The tool's table and CSV (tools/vigil/report_output.h). The CSV's columns
// are checked against vigil.v1.Assessment's descriptor: a field added to the
// schema and not to the CSV fails here.
#include "vigil/report_output.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/v1/report.pb.h"

namespace vigil {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// The CSV column each Assessment field needs: its name; a singular message
// field flattened to <field>_<subfield>; a repeated message in one column.
std::vector<std::string> ColumnsFromSchema() {
  std::vector<std::string> columns;
  const Descriptor* assessment = v1::Assessment::descriptor();
  for (int i = 0; i < assessment->field_count(); ++i) {
    const FieldDescriptor* f = assessment->field(i);
    // What only charts draw (set with EvaluateOptions::chart_periods): a
    // series of points is not a cell, and the CSV has one row per
    // assessment. The numbers the rule judged are columns already.
    if (f->name() == "recent_values" || f->name() == "trajectory") continue;
    if (f->message_type() != nullptr && !f->is_repeated()) {
      for (int j = 0; j < f->message_type()->field_count(); ++j) {
        const FieldDescriptor* inner = f->message_type()->field(j);
        // A list of points (spc.chart_points) is a chart, not a cell: the
        // CSV has one row per assessment.
        if (inner->is_repeated() && inner->message_type() != nullptr) continue;
        columns.push_back(f->name() + "_" + inner->name());
      }
    } else {
      columns.push_back(f->name());
    }
  }
  return columns;
}

// RFC 4180 cells of each line of `csv`.
std::vector<std::vector<std::string>> ParseCsv(const std::string& csv) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::string Csv(const v1::Report& report) {
  std::ostringstream out;
  vigil::PrintReportCsv(report, out);
  return out.str();
}

TEST(ReportCsvTest, HeaderHasAColumnForEveryAssessmentField) {
  const std::vector<std::string> header =
      absl::StrSplit(vigil::kReportCsvHeader, ',');
  const std::set<std::string> have(header.begin(), header.end());
  std::vector<std::string> missing;
  for (const std::string& column : ColumnsFromSchema()) {
    if (have.count(column) == 0) missing.push_back(column);
  }
  EXPECT_TRUE(missing.empty())
      << "vigil.v1.Assessment field(s) missing from the CSV header "
         "(src/report/report_output.cc kReportCsvHeader and PrintReportCsv): "
      << absl::StrJoin(missing, ", ");
  // And nothing the schema does not have, but the provider's name.
  const std::vector<std::string> schema = ColumnsFromSchema();
  const std::set<std::string> known(schema.begin(), schema.end());
  for (const std::string& column : header) {
    EXPECT_TRUE(known.count(column) > 0 || column == "provider_name")
        << "CSV column '" << column << "' is no field of vigil.v1.Assessment";
  }
  EXPECT_EQ(header.size(), have.size()) << "a column appears twice";
  EXPECT_EQ(Csv(v1::Report()), std::string(vigil::kReportCsvHeader) + "\n");
}

TEST(ReportCsvTest, TextAFormulaWouldRunIsWrittenAsText) {
  v1::Report report = testing::ParseText<v1::Report>(R"pb(
    providers { provider_id: "P1" provider_name: "=HYPERLINK(\"x\")" }
    assessments {
      provider_id: "P1"
      indicator_id: "@AE"
      rule_id: "r"
      rule_name: "+1 rule"
      period: "2019-03"
      rating: RATING_RED
      value: -3.5
      reason: "-worse"
    }
  )pb");
  const auto rows = ParseCsv(Csv(report));
  ASSERT_EQ(rows.size(), 2u);
  const std::vector<std::string> header =
      absl::StrSplit(vigil::kReportCsvHeader, ',');
  const auto cell = [&](absl::string_view column) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == column) return rows[1][c];
    }
    return std::string("no such column");
  };
  EXPECT_EQ(cell("provider_name"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(cell("indicator_id"), "'@AE");
  EXPECT_EQ(cell("rule_name"), "'+1 rule");
  EXPECT_EQ(cell("reason"), "'-worse");
  EXPECT_EQ(cell("value"), "-3.5");  // A number stays a number.
}

TEST(ReportCsvTest, EveryRowHasEveryColumnAndShortNames) {
  v1::Report report = testing::ParseText<v1::Report>(R"pb(
    providers { provider_id: "P1" provider_name: "Trust, One" }
    assessments {
      provider_id: "P1"
      indicator_id: "AE"
      rule_id: "ae_spc"
      rule_name: "A&E \"SPC\""
      period: "2019-03"
      rating: RATING_NO_DATA
      severity: SEVERITY_CRITICAL
      domain: DOMAIN_WELL_LED
      value: 81.2
      travel: TRAVEL_NO_CHANGE
      consecutive_periods: 3
      evidence { label: "value" period: "2019-03" value: 81.2 }
      evidence { label: "mean" value: 0.1 }
      spc {
        mean: 82.5
        lower_process_limit: 75
        upper_process_limit: 90
        special_cause_type: "Common Cause"
        point_type: "common_cause"
        variation_icon: "common_cause"
        assurance: "inconsistent"
        target: 95
        points: 24
        baseline_points: 12
      }
      reason: "one, two"
    }
    assessments { provider_id: "P1" indicator_id: "AE" rule_id: "ae" }
  )pb");
  const std::vector<std::vector<std::string>> rows = ParseCsv(Csv(report));
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string>& header = rows[0];
  for (size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), header.size()) << "row " << r;
  }
  auto cell = [&](size_t row, const std::string& column) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == column) return rows[row][c];
    }
    ADD_FAILURE() << "no column " << column;
    return std::string();
  };
  EXPECT_EQ(cell(1, "provider_name"), "Trust, One");
  EXPECT_EQ(cell(1, "rule_name"), "A&E \"SPC\"");
  EXPECT_EQ(cell(1, "rating"), "no_data");
  EXPECT_EQ(cell(1, "severity"), "critical");
  EXPECT_EQ(cell(1, "domain"), "well_led");
  EXPECT_EQ(cell(1, "travel"), "no_change");
  EXPECT_EQ(cell(1, "value"), "81.2");
  EXPECT_EQ(cell(1, "standard"), "");
  EXPECT_EQ(cell(1, "consecutive_periods"), "3");
  EXPECT_EQ(cell(1, "spc_mean"), "82.5");
  EXPECT_EQ(cell(1, "spc_target"), "95");
  EXPECT_EQ(cell(1, "spc_points"), "24");
  EXPECT_EQ(cell(1, "spc_baseline_points"), "12");
  EXPECT_EQ(cell(1, "spc_assurance"), "inconsistent");
  EXPECT_EQ(cell(1, "evidence"), "value[2019-03]=81.2; mean=0.1");
  EXPECT_EQ(cell(1, "reason"), "one, two");
  // Not-set enums and no SPC: empty cells.
  EXPECT_EQ(cell(2, "rating"), "");
  EXPECT_EQ(cell(2, "travel"), "");
  EXPECT_EQ(cell(2, "spc_mean"), "");
  EXPECT_EQ(cell(2, "spc_points"), "");
  EXPECT_EQ(cell(2, "evidence"), "");
}

std::string Table(const v1::Report& report) {
  std::ostringstream out;
  vigil::PrintReportTable(report, out);
  return out.str();
}

TEST(ReportTableTest, ShowsTheRuleNameBesideTheIdOnlyWhenItSaysMore) {
  v1::Report report = testing::ParseText<v1::Report>(R"pb(
    as_of: "2019-03"
    providers {
      provider_id: "P1"
      worst_rating: RATING_NO_DATA
      escalation: ESCALATION_LEVEL_ENHANCED_SURVEILLANCE
    }
    assessments {
      provider_id: "P1"
      rule_id: "ae"
      rule_name: "A&E 4-hour standard"
      rating: RATING_RED
      reason: "r1"
    }
    assessments { provider_id: "P1" rule_id: "dq" rule_name: "dq" reason: "r2" }
    assessments { provider_id: "P1" rule_id: "trend" reason: "r3" }
  )pb");
  const std::string table = Table(report);
  EXPECT_NE(table.find(" ae                     [A&E 4-hour standard] r1\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find(" dq                     r2\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find(" trend                  r3\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find("NO DATA "), std::string::npos) << table;
  EXPECT_NE(table.find("\n        enhanced surveillance: "), std::string::npos)
      << table;
  EXPECT_NE(table.find("0 risk summit, 1 enhanced surveillance, 0 routine."),
            std::string::npos)
      << table;
}

}  // namespace
}  // namespace vigil
