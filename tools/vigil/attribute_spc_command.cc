// vigil spc --chart p|pp|u|up|c|g|t: one CSV row per point with the
// centre, 3- and 2-sigma limits, sigma and runs signals (and the Making
// Data Count labels with --rules mdc).
#include "attribute_spc_command.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "csv_cells.h"
#include "std_files.h"
#include "vigil/csv_reader.h"
#include "vigil/io.h"
#include "vigil/period.h"

namespace vigil_tool {
namespace {

namespace spc = vigil::spc;

struct Row {
  vigil::Period period;
  std::string period_text;
  std::string numerator_text;  // As given (echoed); empty for c, g, t.
  std::string denominator_text;
  double numerator;  // The value for c, g and t; NaN when missing.
  double denominator;
  double target;
  bool rebase;
  int64_t line;
};

// What the input's rows say, by series id, and the lines of points that
// are missing or have a zero denominator.
struct Input {
  std::map<std::string, std::vector<Row>> series;
  std::vector<int64_t> missing, zero_denominators;
};

int Fail(const std::string& message) {
  std::cerr << "vigil spc: " << message << "\n";
  return 1;
}

struct Settings {
  spc::AttributeOptions options;
  double default_target = std::nan("");
};

// The chart's options from the flags; false with `error` set.
bool ParseSettings(const Flags& flags, spc::Chart chart, Settings* s,
                   std::string* error) {
  spc::AttributeOptions& o = s->options;
  o.chart = chart;
  const std::string direction = flags.Get("direction", "increase");
  if (direction == "increase") {
    o.direction = spc::ImprovementDirection::kIncrease;
  } else if (direction == "decrease") {
    o.direction = spc::ImprovementDirection::kDecrease;
  } else if (direction == "neutral") {
    o.direction = spc::ImprovementDirection::kNeutral;
  } else {
    *error = "--direction must be increase, decrease or neutral";
    return false;
  }
  const std::string rules = flags.Get("rules", "mdc");
  if (rules == "mdc") {
    o.rules = spc::SignalRules::kMakingDataCount;
  } else if (rules == "anhoej") {
    o.rules = spc::SignalRules::kAnhoej;
  } else {
    *error = "--rules must be mdc or anhoej";
    return false;
  }
  o.screen_moving_ranges = flags.Has("screen-mr");
  if (o.screen_moving_ranges && chart != spc::Chart::kPPrime &&
      chart != spc::Chart::kUPrime && chart != spc::Chart::kT) {
    *error = "--screen-mr applies to the pp, up and t charts only";
    return false;
  }
  if (flags.Has("no-screen")) {
    *error =
        "--no-screen is for the XmR chart (attribute charts do not "
        "screen unless --screen-mr is given)";
    return false;
  }
  if (flags.Has("multiplier") &&
      (!vigil::ParseDecimal(flags.Get("multiplier"), &o.multiplier) ||
       !(o.multiplier > 0) || !std::isfinite(o.multiplier))) {
    *error = "--multiplier must be a number > 0";
    return false;
  }
  if (flags.Has("target") &&
      (!vigil::ParseDecimal(flags.Get("target"), &s->default_target) ||
       !std::isfinite(s->default_target))) {
    *error = "--target must be a number";
    return false;
  }
  if (flags.Has("fix-after") &&
      (!absl::SimpleAtoi(flags.Get("fix-after"), &o.fix_after_n_points) ||
       o.fix_after_n_points < 2)) {
    *error = "--fix-after must be a whole number >= 2";
    return false;
  }
  if (flags.Has("run-length") &&
      !absl::SimpleAtoi(flags.Get("run-length"), &o.run_length)) {
    *error = "--run-length must be a whole number";
    return false;
  }
  return true;
}

// A number field: NaN when missing (empty, NA, NaN); else an error naming
// the column unless it is a finite number >= 0.
std::string ParseCount(const std::string& where, const char* column,
                       const std::string& text, double* out) {
  *out = std::nan("");
  if (IsMissingNumber(text)) return "";
  if (!vigil::ParseDecimal(text, out) || !std::isfinite(*out)) {
    return absl::StrCat(where, "column ", column, ": '", text,
                        "' is not a finite number");
  }
  if (*out < 0) {
    return absl::StrCat(where, "column ", column, ": ", text, " is negative");
  }
  return "";
}

// One data row; an error naming the line and column, or "".
std::string ParseRow(const std::string& where, spc::Chart chart,
                     const std::string& value_column,
                     const std::function<std::string(const char*)>& field,
                     double default_target, Row* row) {
  row->period_text = field("period");
  absl::StatusOr<vigil::Period> period = vigil::ParsePeriod(row->period_text);
  if (!period.ok()) {
    return absl::StrCat(where, "column period: ", period.status().message());
  }
  row->period = *period;
  row->denominator = 1;
  if (spc::ChartUsesDenominator(chart)) {
    row->numerator_text = field("numerator");
    row->denominator_text = field("denominator");
    std::string e =
        ParseCount(where, "numerator", row->numerator_text, &row->numerator);
    if (e.empty()) {
      e = ParseCount(where, "denominator", row->denominator_text,
                     &row->denominator);
    }
    if (!e.empty()) return e;
    if ((chart == spc::Chart::kP || chart == spc::Chart::kPPrime) &&
        row->denominator > 0 && row->numerator > row->denominator) {
      return absl::StrCat(where, "numerator ", row->numerator_text,
                          " is above the denominator ", row->denominator_text,
                          " (a proportion above 1)");
    }
  } else {
    const std::string text = field(value_column.c_str());
    std::string e =
        ParseCount(where, value_column.c_str(), text, &row->numerator);
    if (!e.empty()) return e;
    if (chart == spc::Chart::kT && row->numerator == 0) {
      return absl::StrCat(where, "column ", value_column,
                          ": a time between events must be > 0");
    }
  }
  const std::string target = field("target");
  row->target = default_target;
  if (!IsMissingNumber(target) && (!vigil::ParseDecimal(target, &row->target) ||
                                   !std::isfinite(row->target))) {
    return absl::StrCat(where, "column target: '", target,
                        "' is not a finite number");
  }
  const std::string rebase = field("rebase");
  if (!rebase.empty() && rebase != "0" && rebase != "1") {
    return absl::StrCat(where, "column rebase: '", rebase, "' must be 0 or 1");
  }
  row->rebase = rebase == "1";
  return "";
}

std::string ReadInput(const std::string& path, spc::Chart chart,
                      double default_target, Input* out) {
  absl::StatusOr<std::string> text = ReadInputFile(path);
  if (!text.ok()) return std::string(text.status().message());
  vigil::CsvReader reader(*text);
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  if (!reader.Next(&fields, &line, &error)) {
    return path + ": the file is empty (a header row is needed)";
  }
  std::map<std::string, int> column;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    if (!column.emplace(name, static_cast<int>(i)).second) {
      return absl::StrCat(path, " line 1: column '", name, "' appears twice");
    }
  }
  const bool ratio = spc::ChartUsesDenominator(chart);
  const std::string value_column =
      ratio || column.count("value") ? "value" : "numerator";
  std::vector<std::string> required = {"series_id", "period"};
  if (ratio) {
    required.insert(required.end(), {"numerator", "denominator"});
  } else {
    required.push_back(value_column);
  }
  for (const std::string& name : required) {
    if (column.count(name) == 0) {
      return absl::StrCat(
          path, " line 1: no '", name, "' column (the ", spc::ChartName(chart),
          " chart reads series_id,period,",
          ratio ? "numerator,denominator" : "value", "[,target][,rebase])");
    }
  }
  const size_t width = fields.size();
  const auto field = [&](const char* name) -> std::string {
    auto it = column.find(name);
    if (it == column.end()) return "";
    return std::string(absl::StripAsciiWhitespace(fields[it->second]));
  };
  while (reader.Next(&fields, &line, &error)) {
    const std::string where = absl::StrCat(path, " line ", line, ": ");
    if (!error.empty()) return where + error;
    if (fields.size() != width) {
      return absl::StrCat(where, fields.size(), " fields where the header has ",
                          width);
    }
    Row row{};
    row.line = line;
    const std::string problem =
        ParseRow(where, chart, value_column, field, default_target, &row);
    if (!problem.empty()) return problem;
    if (std::isnan(row.numerator) || std::isnan(row.denominator)) {
      out->missing.push_back(line);
    } else if (row.denominator == 0) {
      out->zero_denominators.push_back(line);
    }
    out->series[field("series_id")].push_back(row);
  }
  if (!error.empty()) return absl::StrCat(path, " line ", line, ": ", error);
  return "";
}

const char* Bool(bool b) { return b ? "TRUE" : "FALSE"; }

std::string Count(int v) { return v < 0 ? "NA" : std::to_string(v); }

void WriteHeader(bool mdc, std::ostream& out) {
  out << "series_id,period,numerator,denominator,value,centre,lower,upper,"
         "lower_2sigma,upper_2sigma,sigma_signal,runs_signal,longest_run,"
         "longest_run_max,crossings,crossings_min";
  if (mdc) out << ",special_cause_type,point_type,variation_icon,assurance";
  out << "\n";
}

// Sorts one series by period (stable: events of one period keep their
// order) and writes its points; an error or "".
std::string WriteSeries(const std::string& path, const std::string& id,
                        std::vector<Row>* rows, const Settings& settings,
                        spc::AttributeWorkspace* ws, std::ostream& out) {
  const spc::AttributeOptions& o = settings.options;
  std::stable_sort(rows->begin(), rows->end(), [](const Row& a, const Row& b) {
    return vigil::FirstDay(a.period) < vigil::FirstDay(b.period);
  });
  const bool events = o.chart == spc::Chart::kG || o.chart == spc::Chart::kT;
  std::vector<double> x, n, targets;
  std::vector<uint8_t> rebase;
  bool any_target = false;
  for (size_t i = 0; i < rows->size(); ++i) {
    const Row& r = (*rows)[i];
    if (!events && i > 0 &&
        vigil::FirstDay(r.period) == vigil::FirstDay((*rows)[i - 1].period)) {
      return absl::StrCat(path, " lines ", (*rows)[i - 1].line, " and ", r.line,
                          ": series '", id, "' has two rows for ",
                          r.period_text);
    }
    x.push_back(r.numerator);
    n.push_back(r.denominator);
    targets.push_back(r.target);
    rebase.push_back(r.rebase ? 1 : 0);
    any_target = any_target || !std::isnan(r.target);
  }
  std::vector<spc::AttributePoint> points(rows->size());
  spc::AttributeSummary summary;
  const absl::Status status = spc::AnalyzeAttribute(
      x, n, rebase,
      any_target ? absl::MakeConstSpan(targets) : absl::Span<const double>(), o,
      ws, absl::MakeSpan(points), &summary);
  if (!status.ok()) {
    return absl::StrCat(path, ": series '", id, "': ", status.message());
  }
  if (summary.status != spc::ChartStatus::kOk) {
    std::cerr << "vigil spc: note: series '" << id
              << "': " << spc::ChartStatusDescription(summary.status) << "\n";
  }
  const bool mdc = o.rules == spc::SignalRules::kMakingDataCount;
  for (size_t i = 0; i < rows->size(); ++i) {
    const spc::AttributePoint& p = points[i];
    const Row& r = (*rows)[i];
    const spc::RunsAnalysis& runs =
        summary.runs.empty() ? spc::RunsAnalysis() : summary.runs[p.group];
    out << CsvText(id) << "," << CsvText(r.period_text) << ","
        << CsvText(r.numerator_text) << "," << CsvText(r.denominator_text)
        << "," << CsvNumber(p.value, "NaN") << "," << CsvNumber(p.centre, "NaN")
        << "," << CsvNumber(p.lower, "NaN") << "," << CsvNumber(p.upper, "NaN")
        << "," << CsvNumber(p.lower_2sigma, "NaN") << ","
        << CsvNumber(p.upper_2sigma, "NaN") << "," << Bool(p.sigma_signal)
        << "," << Bool(runs.signal) << "," << Count(runs.longest_run) << ","
        << Count(runs.longest_run_max) << "," << Count(runs.crossings) << ","
        << Count(runs.crossings_min);
    if (mdc) {
      out << "," << spc::SpecialCauseLabel(p.special_cause) << ","
          << spc::PointTypeName(p.point_type) << ","
          << spc::VariationIconName(summary.variation) << ","
          << spc::AssuranceName(summary.assurance);
    }
    out << "\n";
  }
  return "";
}

void NoteLines(const std::string& path, const char* what,
               const std::vector<int64_t>& lines) {
  if (lines.empty()) return;
  std::cerr << "vigil spc: note: " << lines.size()
            << (lines.size() == 1 ? " point " : " points ") << what << " ("
            << path << " line" << (lines.size() > 1 ? "s " : " ")
            << lines.front()
            << (lines.size() > 1 ? absl::StrCat(" ... ", lines.back()) : "")
            << "): no value, no limits, left out of the centre line, the "
               "moving ranges and the runs\n";
}

}  // namespace

int RunAttributeSpc(const Flags& flags, spc::Chart chart) {
  Settings settings;
  std::string error;
  if (!ParseSettings(flags, chart, &settings, &error)) {
    std::cerr << "vigil spc: " << error << "\n";
    return 2;
  }
  const std::string path = flags.Get("input");
  Input input;
  error = ReadInput(path, chart, settings.default_target, &input);
  if (!error.empty()) return Fail(error);
  OutputFile output;
  if (!output.Open(flags.Get("output", "-"), &error)) return Fail(error);
  std::ostream& out = output.stream();
  WriteHeader(settings.options.rules == spc::SignalRules::kMakingDataCount,
              out);
  spc::AttributeWorkspace workspace;
  for (auto& [id, rows] : input.series) {
    error = WriteSeries(path, id, &rows, settings, &workspace, out);
    if (!error.empty()) return Fail(error);
  }
  if (!output.Close(&error)) return Fail(error);
  NoteLines(path, "missing a number", input.missing);
  NoteLines(path, "with a zero denominator", input.zero_denominators);
  return 0;
}

}  // namespace vigil_tool
