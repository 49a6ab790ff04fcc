// vigil spc: Making Data Count SPC for analysts, NHSRplotthedots-compatible
// output from a CSV of series.
#include "spc_command.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/casts.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "attribute_spc_command.h"
#include "csv_cells.h"
#include "flags.h"
#include "std_files.h"
#include "vigil/csv_reader.h"
#include "vigil/io.h"
#include "vigil/period.h"
#include "vigil/spc.h"

namespace vigil_tool {
namespace {

namespace spc = vigil::spc;

constexpr char kSpcUsage[] =
    R"(vigil spc: SPC charts for analysts. The XmR chart (the default) as
NHSRplotthedots 0.2.2 computes it; the attribute charts as qicharts2 0.8.1.

  --input SERIES.csv  Columns series_id,period and the chart's data, with
                      optional target and rebase (1 marks the first point of
                      a new baseline) columns. Rows in any order. Empty, NA
                      and NaN fields are missing (a gap: skipped, reported).
                      XmR, c, g, t: value. p, pp, u, up: numerator,
                      denominator. g and t read one row per event: rows of
                      one period keep their file order. Required; "-" is
                      standard input.
  --output OUT.csv    One row per point in series then period order
                      (default, or "-": standard output).
                      XmR: series_id,period,value,mean,lpl,upl,
                      special_cause_type,point_type,variation_icon,assurance.
                      Attribute charts: series_id,period,numerator,
                      denominator,value,centre,lower,upper,lower_2sigma,
                      upper_2sigma,sigma_signal,runs_signal,longest_run,
                      longest_run_max,crossings,crossings_min, plus the
                      four Making Data Count columns with --rules mdc.
                      Required.
  --chart C           xmr (default); p (proportion), pp (Laney p'), u (rate),
                      up (Laney u'), c (count), g (opportunities between
                      events; centre at the median, limits from the mean), t
                      (time between events).
  --multiplier N      Attribute charts: scale value, centre and limits (100
                      for a percentage, 1000 per 1,000 bed days).
  --rules R           mdc (default): Making Data Count rules and labels;
                      anhoej (attribute charts): Anhoej runs analysis labels.
                      The sigma and runs columns are written either way.
  --screen-mr         pp, up, t: screen moving ranges >= 3.267 x their mean
                      (qicharts2's qic.screenedmr; off by default).
  --direction D       increase (default), decrease or neutral: which way is
                      improvement.
  --target X          Assurance target for every series (a target column
                      overrides it per point; the latest point's target counts).
  --no-screen         XmR: no moving-range outlier screening (the MDC Excel
                      tool's way).
  --fix-after N       Limits from the first N points of each baseline (XmR:
                      N >= 12; attribute charts: N >= 2).
  --run-length N      Points in a trend or shift run, 5..10 (default 7).

Numbers are printed with 17 significant digits; limits that cannot be
computed are NaN. See docs/spc.md.
)";

struct Row {
  vigil::Period period;
  std::string period_text;
  double value;
  double target;
  bool rebase;
  int64_t line;
};

int Fail(const std::string& message) {
  std::cerr << "vigil spc: " << message << "\n";
  return 1;
}

// Options from the flags; false with `error` set on a bad flag.
bool ParseOptions(const Flags& flags, spc::Options* options,
                  double* default_target, std::string* error) {
  const std::string direction = flags.Get("direction", "increase");
  if (direction == "increase") {
    options->direction = spc::ImprovementDirection::kIncrease;
  } else if (direction == "decrease") {
    options->direction = spc::ImprovementDirection::kDecrease;
  } else if (direction == "neutral") {
    options->direction = spc::ImprovementDirection::kNeutral;
  } else {
    *error = "--direction must be increase, decrease or neutral";
    return false;
  }
  options->screen_outliers = !flags.Has("no-screen");
  *default_target = std::nan("");
  if (flags.Has("target") &&
      (!vigil::ParseDecimal(flags.Get("target"), default_target) ||
       !std::isfinite(*default_target))) {
    *error = "--target must be a number";
    return false;
  }
  if (flags.Has("fix-after") &&
      !absl::SimpleAtoi(flags.Get("fix-after"), &options->fix_after_n_points)) {
    *error = "--fix-after must be a whole number";
    return false;
  }
  if (flags.Has("run-length") &&
      !absl::SimpleAtoi(flags.Get("run-length"), &options->run_length)) {
    *error = "--run-length must be a whole number";
    return false;
  }
  return true;
}

// The rows of `input` by series id, and the lines of empty values (gaps).
struct SeriesInput {
  std::map<std::string, std::vector<Row>, std::less<>> series;
  std::vector<int64_t> gaps;
};

// Where the columns of the series CSV are (-1: absent).
struct Columns {
  int series_id = -1, period = -1, value = -1, target = -1, rebase = -1;
};

// One data row of the CSV; what is wrong with it, or "".
std::string ParseRow(const std::vector<std::string>& fields,
                     const Columns& columns, double default_target, Row* row,
                     bool* gap) {
  const auto field = [&fields](int column) -> absl::string_view {
    if (column < 0) return "";
    return absl::StripAsciiWhitespace(fields[column]);
  };
  const absl::string_view period_text = field(columns.period);
  absl::StatusOr<vigil::Period> period = vigil::ParsePeriod(period_text);
  if (!period.ok()) return std::string(period.status().message());
  row->period_text.assign(period_text.data(), period_text.size());
  row->period = *period;
  const absl::string_view value = field(columns.value);
  row->value = std::nan("");
  *gap = IsMissingNumber(value);
  if (!*gap && (!vigil::ParseDecimal(value, &row->value) ||
                !std::isfinite(row->value))) {
    return absl::StrCat("value '", value, "' is not a finite number");
  }
  const absl::string_view target = field(columns.target);
  row->target = default_target;
  if (!IsMissingNumber(target) && (!vigil::ParseDecimal(target, &row->target) ||
                                   !std::isfinite(row->target))) {
    return absl::StrCat("target '", target, "' is not a finite number");
  }
  const absl::string_view rebase = field(columns.rebase);
  if (!rebase.empty() && rebase != "0" && rebase != "1") {
    return absl::StrCat("rebase '", rebase, "' must be 0 or 1");
  }
  row->rebase = rebase == "1";
  return "";
}

// Reads the series CSV; an error message naming the file and line, or "".
std::string ReadSeries(const std::string& input, double default_target,
                       SeriesInput* out) {
  absl::StatusOr<std::string> text = ReadInputFile(input);
  if (!text.ok()) return std::string(text.status().message());
  vigil::CsvReader reader(*text);
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  if (!reader.Next(&fields, &line, &error)) {
    return input + ": the file is empty (a header row is needed)";
  }
  std::map<std::string, int> column;
  for (size_t i = 0; i < fields.size(); ++i) {
    column[absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]))] =
        static_cast<int>(i);
  }
  for (const char* required : {"series_id", "period", "value"}) {
    if (column.count(required) == 0) {
      return absl::StrCat(input, " line 1: no '", required,
                          "' column (expected series_id,period,value"
                          "[,target][,rebase])");
    }
  }
  const auto find = [&column](const char* name) {
    auto it = column.find(name);
    return it == column.end() ? -1 : it->second;
  };
  Columns columns;
  columns.series_id = find("series_id");
  columns.period = find("period");
  columns.value = find("value");
  columns.target = find("target");
  columns.rebase = find("rebase");
  const size_t width = fields.size();
  // Rows of one series usually come together: the last series looked up.
  std::vector<Row>* last = nullptr;
  std::string last_id;
  while (reader.Next(&fields, &line, &error)) {
    const auto where = [&] {
      return absl::StrCat(input, " line ", line, ": ");
    };
    if (!error.empty()) return where() + error;
    if (fields.size() != width) {
      return absl::StrCat(where(), fields.size(),
                          " fields where the header has ", width);
    }
    Row row{};
    row.line = line;
    bool gap = false;
    const std::string problem =
        ParseRow(fields, columns, default_target, &row, &gap);
    if (!problem.empty()) return where() + problem;
    if (gap) out->gaps.push_back(line);
    const absl::string_view id =
        absl::StripAsciiWhitespace(fields[columns.series_id]);
    if (last == nullptr || id != last_id) {
      auto it = out->series.find(id);
      if (it == out->series.end()) {
        it = out->series.emplace(std::string(id), std::vector<Row>()).first;
      }
      last = &it->second;
      last_id.assign(id.data(), id.size());
    }
    last->push_back(std::move(row));
  }
  return "";
}

// Sorts one series by period and writes its points; an error or "".
// The most periods one series may span once its gaps are filled.
constexpr int64_t kMaxSeriesSpan = 100000;

// One series' rows in period order, all of one frequency, with a gap row
// (no value) for every period between the first and the last that has no
// row: a missing month is a gap on the chart, not a month that never was.
// Counts the gaps filled in `filled`; an error names the line.
std::string CompleteSeries(const std::string& input, const std::string& id,
                           std::vector<Row>* rows, int64_t* filled) {
  // By first day; within one frequency that is the order of the periods'
  // indexes, which compare without computing a day (the same comparisons,
  // so the same order).
  const bool one_frequency =
      std::all_of(rows->begin(), rows->end(), [&](const Row& r) {
        return r.period.frequency == rows->front().period.frequency;
      });
  if (one_frequency) {
    std::sort(rows->begin(), rows->end(), [](const Row& a, const Row& b) {
      return a.period.index < b.period.index;
    });
  } else {
    std::sort(rows->begin(), rows->end(), [](const Row& a, const Row& b) {
      return vigil::FirstDay(a.period) < vigil::FirstDay(b.period);
    });
  }
  if (rows->empty()) return "";
  const Row& first = rows->front();
  for (const Row& r : *rows) {
    if (r.period.frequency != first.period.frequency) {
      return absl::StrCat(input, " line ", r.line, ": series '", id,
                          "' mixes periods: ", r.period_text, " is ",
                          vigil::FrequencyName(r.period.frequency), ", ",
                          first.period_text, " (line ", first.line, ") ",
                          vigil::FrequencyName(first.period.frequency));
    }
  }
  const int64_t span =
      int64_t{rows->back().period.index} - first.period.index + 1;
  if (span > kMaxSeriesSpan) {
    return absl::StrCat(input, ": series '", id, "' spans ", span, " periods (",
                        first.period_text, " to ", rows->back().period_text,
                        "); at most ", kMaxSeriesSpan, " can be charted");
  }
  std::vector<Row> complete;
  complete.reserve(static_cast<size_t>(span));
  for (const Row& r : *rows) {
    while (!complete.empty() &&
           complete.back().period.index + 1 < r.period.index) {
      Row gap{};
      gap.period = {first.period.frequency, complete.back().period.index + 1};
      gap.period_text = vigil::FormatPeriod(gap.period);
      gap.value = std::nan("");
      gap.target = std::nan("");
      complete.push_back(gap);
      ++*filled;
    }
    complete.push_back(r);
  }
  *rows = std::move(complete);
  return "";
}

std::string WriteSeries(const std::string& input, const std::string& id,
                        std::vector<Row>* rows, const spc::Options& options,
                        spc::Workspace* workspace, std::ostream& out) {
  std::vector<double> values, targets;
  std::vector<uint8_t> rebases;
  bool any_target = false;
  for (size_t i = 0; i < rows->size(); ++i) {
    const Row& r = (*rows)[i];
    if (i > 0 && r.period == (*rows)[i - 1].period) {
      return absl::StrCat(input, " lines ", (*rows)[i - 1].line, " and ",
                          r.line, ": series '", id, "' has two rows for ",
                          r.period_text);
    }
    values.push_back(r.value);
    targets.push_back(r.target);
    rebases.push_back(r.rebase ? 1 : 0);
    any_target = any_target || !std::isnan(r.target);
  }
  std::vector<spc::PointResult> points(rows->size());
  spc::SeriesSummary summary;
  const absl::Status status = spc::Analyze(
      values, rebases,
      any_target ? absl::MakeConstSpan(targets) : absl::Span<const double>(),
      options, workspace, absl::MakeSpan(points), &summary);
  if (!status.ok()) return std::string(status.message());
  // One buffer per series, written at once: no stream call per cell.
  std::string id_cell;
  AppendCsvText(id, &id_cell);
  const std::string tail =
      absl::StrCat(",", spc::VariationIconName(summary.variation), ",",
                   spc::AssuranceName(summary.assurance), "\n");
  std::string text;
  text.reserve(rows->size() * 128);
  // The mean and limits stay the same from point to point within a
  // baseline: each column's last cell is reused while its value does.
  uint64_t last_bits[3] = {0, 0, 0};
  std::string last_cell[3];
  for (size_t i = 0; i < rows->size(); ++i) {
    const spc::PointResult& p = points[i];
    text += id_cell;
    text += ',';
    text += (*rows)[i].period_text;
    text += ',';
    AppendCsvNumber(values[i], "NaN", &text);
    const double limits[3] = {p.mean, p.lpl, p.upl};
    for (int c = 0; c < 3; ++c) {
      const uint64_t bits = absl::bit_cast<uint64_t>(limits[c]);
      if (i == 0 || bits != last_bits[c]) {
        last_bits[c] = bits;
        last_cell[c].clear();
        AppendCsvNumber(limits[c], "NaN", &last_cell[c]);
      }
      text += ',';
      text += last_cell[c];
    }
    text += ',';
    text += spc::SpecialCauseLabel(p.special_cause);
    text += ',';
    text += spc::PointTypeName(p.point_type);
    text += tail;
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return "";
}

void NoteGaps(const std::string& input, const std::vector<int64_t>& gaps) {
  if (gaps.empty()) return;
  std::cerr << "vigil spc: note: " << gaps.size()
            << " empty values skipped as gaps (" << input << " line"
            << (gaps.size() > 1 ? "s " : " ") << gaps.front()
            << (gaps.size() > 1 ? absl::StrCat(" ... ", gaps.back()) : "")
            << ")\n";
}

bool ParseChart(const std::string& name, spc::Chart* chart) {
  for (int c = 0; c <= static_cast<int>(spc::Chart::kT); ++c) {
    if (name == spc::ChartName(static_cast<spc::Chart>(c))) {
      *chart = static_cast<spc::Chart>(c);
      return true;
    }
  }
  return false;
}

}  // namespace

const char* SpcUsage() { return kSpcUsage; }

int RunSpc(int argc, char** argv) {
  Flags flags({"input", "output", "direction", "target", "fix-after",
               "run-length", "chart", "multiplier", "rules"},
              {"no-screen", "screen-mr", "help"});
  std::string error;
  const auto usage = [](const std::string& message) {
    std::cerr << "vigil spc: " << message << "\n\n" << kSpcUsage;
    return 2;
  };
  if (!flags.Parse(argc, argv, 2, &error)) return usage(error);
  if (flags.Has("help")) {
    std::cout << kSpcUsage;
    return 0;
  }
  if (!flags.Has("input")) return usage("--input is required");
  spc::Chart chart;
  if (!ParseChart(flags.Get("chart", "xmr"), &chart)) {
    return usage("--chart must be xmr, p, pp, u, up, c, g or t");
  }
  if (chart != spc::Chart::kXmR) return RunAttributeSpc(flags, chart);
  if (flags.Has("multiplier") || flags.Has("screen-mr") ||
      flags.Get("rules", "mdc") != "mdc") {
    return usage(
        "--multiplier, --screen-mr and --rules anhoej need an attribute "
        "chart (--chart p, pp, u, up, c, g or t)");
  }
  spc::Options options;
  double default_target = 0;
  if (!ParseOptions(flags, &options, &default_target, &error)) {
    return usage(error);
  }
  const std::string input = flags.Get("input");
  SeriesInput series;
  error = ReadSeries(input, default_target, &series);
  if (!error.empty()) return Fail(error);
  int64_t filled = 0;
  for (auto& [id, rows] : series.series) {
    error = CompleteSeries(input, id, &rows, &filled);
    if (!error.empty()) return Fail(error);
  }
  OutputFile output;
  if (!output.Open(flags.Get("output", "-"), &error)) return Fail(error);
  std::ostream& out = output.stream();
  out << "series_id,period,value,mean,lpl,upl,special_cause_type,point_type,"
         "variation_icon,assurance\n";
  spc::Workspace workspace;
  for (auto& [id, rows] : series.series) {
    error = WriteSeries(input, id, &rows, options, &workspace, out);
    if (!error.empty()) return Fail(error);
  }
  if (!output.Close(&error)) return Fail(error);
  NoteGaps(input, series.gaps);
  if (filled > 0) {
    std::cerr << "vigil spc: note: " << filled
              << " periods with no row written as gaps (point_type "
                 "missing)\n";
  }
  return 0;
}

}  // namespace vigil_tool
