// vigil funnel: funnel plots (Spiegelhalter 2005) for analysts, from a CSV of
// groups with a numerator and a denominator each.
#include "funnel_command.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "csv_cells.h"
#include "flags.h"
#include "std_files.h"
#include "vigil/csv_reader.h"
#include "vigil/funnel.h"
#include "vigil/io.h"

namespace vigil_tool {
namespace {

namespace funnel = vigil::funnel;

constexpr char kFunnelUsage[] =
    R"(vigil funnel: funnel plots comparing groups (e.g. providers), Spiegelhalter 2005.

  --input IN.csv      Columns group,numerator,denominator, in any order (other
                      columns are ignored). One row per group: aggregate
                      first. For ratios the numerator is the observed and the
                      denominator the expected count; for rates the
                      denominator is the exposure. An empty numerator or
                      denominator is missing: the row is kept in the output,
                      takes no part in the fit and is reported. Required;
                      "-" is standard input.
  --output OUT.csv    (Default, or "-": standard output.) One row per input
                      row, in input order: group,numerator,
                      denominator,value,target,z, then lower_L,upper_L for
                      each limit L, then flag_L for each (low, high or empty).
                      Required.
  --type T            proportion, ratio (observed / expected) or rate (events /
                      exposure). Required.
  --limits L,...      Two-sided limits in percent, 1 to 8 of them (default
                      95,99.8). Column names follow them as typed.
  --overdispersion M  additive (default, as FunnelPlotR), multiplicative or
                      none.
  --scale S           arcsine (proportions only), log or sqrt. Default:
                      arcsine for proportions, log for ratios and rates.
  --exact             Exact limits (binomial or Poisson) where they are not
                      overdispersion-adjusted. Default: approximate on the
                      scale for proportions, exact for ratios and rates.
  --trim F            Fraction winsorised (truncated on the log scale) in
                      each tail before the dispersion ratio, at least 0 and
                      below 0.5 (default 0.1).
  --target X          The centre line in output units. Default: pooled; 1
                      times the multiplier for ratios.
  --multiplier M      Values, target and limits times M (100 for percentages,
                      100000 for a rate per 100,000). Default 1.
  --summary S.json    Also write the fit as JSON: target, phi (null when not
                      estimable), tau2, adjusted, groups, excluded, scale,
                      limits (exact or approximate) and overdispersion.

Numbers are printed with 17 significant digits, empty where there is none. A
row that takes no part (a missing number, a zero denominator) is a warning
naming its line. A bad row (not a number, negative, infinite, a proportion's
numerator above its denominator, a group named twice) is an error naming its
line and column (exit status 1). See docs/funnel.md.
)";

// One data row of the input.
struct Row {
  int64_t line = 0;
  std::string group;
  double numerator = 0;
  double denominator = 0;
};

// The run's settings from the flags.
struct Settings {
  funnel::Options options;
  std::vector<std::string> labels;  // --limits as typed, one per coverage.
};

std::string Number(double v) {
  return std::isnan(v) ? "" : absl::StrFormat("%.17g", v);
}

std::string JsonNumber(double v) {
  return std::isfinite(v) ? absl::StrFormat("%.17g", v) : "null";
}

std::string Csv(const std::string& s) { return CsvText(s); }

int Fail(const std::string& message) {
  std::cerr << "vigil funnel: " << message << "\n";
  return 1;
}

// A number flag: false with `error` naming the flag when it is not finite.
bool NumberFlag(const Flags& flags, const char* name, double* out,
                std::string* error) {
  const std::string text = flags.Get(name);
  if (!vigil::ParseDecimal(text, out) || !std::isfinite(*out)) {
    *error = absl::StrCat("--", name, " '", text, "' is not a finite number");
    return false;
  }
  return true;
}

// --limits: percentages as typed, to coverages. 99.8 becomes the double
// nearest 0.998 (read as "99.8e-2"), not 99.8 / 100, which is not always.
bool ParseLimits(const std::string& text, Settings* settings,
                 std::string* error) {
  settings->labels.clear();
  settings->options.coverages.clear();
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const std::string label(absl::StripAsciiWhitespace(item));
    double percent = 0;
    if (label.empty()) {
      *error = absl::StrCat("--limits '", text,
                            "' has an empty item (expected percentages such "
                            "as 95,99.8)");
      return false;
    }
    // Plain decimals only ("99.8"): the label names columns, and a sign, an
    // exponent or hex would read as another number than it shows.
    const bool decimal =
        label.find_first_not_of("0123456789.") == std::string::npos &&
        label.find_first_of("0123456789") != std::string::npos &&
        label.find('.') == label.rfind('.');
    if (!decimal || !absl::SimpleAtod(label, &percent) || percent <= 0 ||
        percent >= 100) {
      *error = absl::StrCat("--limits: '", label,
                            "' is not a percentage above 0 and below 100");
      return false;
    }
    double coverage = percent / 100;
    if (!absl::SimpleAtod(label + "e-2", &coverage)) coverage = percent / 100;
    for (size_t i = 0; i < settings->labels.size(); ++i) {
      if (settings->options.coverages[i] == coverage) {
        *error = absl::StrCat("--limits: '", settings->labels[i], "' and '",
                              label, "' are the same limit");
        return false;
      }
    }
    settings->labels.push_back(label);
    settings->options.coverages.push_back(coverage);
  }
  if (settings->labels.size() > static_cast<size_t>(funnel::kMaxCoverages)) {
    *error = absl::StrCat("--limits: at most ", funnel::kMaxCoverages,
                          " limits, not ", settings->labels.size());
    return false;
  }
  return true;
}

// Settings from the flags; false with `error` naming the flag at fault.
bool ParseSettings(const Flags& flags, Settings* settings, std::string* error) {
  funnel::Options& options = settings->options;
  const std::string type = flags.Get("type");
  if (type == "proportion") {
    options.type = funnel::DataType::kProportion;
  } else if (type == "ratio") {
    options.type = funnel::DataType::kRatio;
  } else if (type == "rate") {
    options.type = funnel::DataType::kRate;
  } else {
    *error = "--type must be proportion, ratio or rate, not '" + type + "'";
    return false;
  }
  if (!ParseLimits(flags.Get("limits", "95,99.8"), settings, error)) {
    return false;
  }
  const std::string method = flags.Get("overdispersion", "additive");
  if (method == "additive") {
    options.overdispersion = funnel::Overdispersion::kAdditive;
  } else if (method == "multiplicative") {
    options.overdispersion = funnel::Overdispersion::kMultiplicative;
  } else if (method == "none") {
    options.overdispersion = funnel::Overdispersion::kNone;
  } else {
    *error =
        "--overdispersion must be additive, multiplicative or none, not '" +
        method + "'";
    return false;
  }
  if (flags.Has("scale")) {
    const std::string scale = flags.Get("scale");
    if (scale == "arcsine") {
      options.scale = funnel::Scale::kArcsine;
    } else if (scale == "log") {
      options.scale = funnel::Scale::kLog;
    } else if (scale == "sqrt") {
      options.scale = funnel::Scale::kSqrt;
    } else {
      *error = "--scale must be arcsine, log or sqrt, not '" + scale + "'";
      return false;
    }
    const bool proportion = options.type == funnel::DataType::kProportion;
    if (proportion != (options.scale == funnel::Scale::kArcsine)) {
      *error = proportion ? "--scale " + scale +
                                " is for ratios and rates; proportions take "
                                "arcsine"
                          : "--scale arcsine is for proportions; " + type +
                                "s take log or sqrt";
      return false;
    }
  }
  options.limits = flags.Has("exact") ? funnel::LimitMethod::kExact
                                      : funnel::LimitMethod::kDefault;
  if (flags.Has("trim")) {
    if (!NumberFlag(flags, "trim", &options.trim, error)) return false;
    if (options.trim < 0 || options.trim >= 0.5) {
      *error = absl::StrCat("--trim ", flags.Get("trim"),
                            " must be at least 0 and below 0.5");
      return false;
    }
  }
  if (flags.Has("multiplier")) {
    if (!NumberFlag(flags, "multiplier", &options.multiplier, error)) {
      return false;
    }
    if (options.multiplier <= 0) {
      *error = absl::StrCat("--multiplier ", flags.Get("multiplier"),
                            " must be above 0");
      return false;
    }
  }
  if (flags.Has("target")) {
    if (!NumberFlag(flags, "target", &options.target, error)) return false;
    if (options.type == funnel::DataType::kProportion &&
        (options.target < 0 || options.target > options.multiplier)) {
      *error = absl::StrCat("--target ", flags.Get("target"),
                            " must be from 0 to the multiplier (",
                            Number(options.multiplier), ") for proportions");
      return false;
    }
    if (options.type != funnel::DataType::kProportion && options.target <= 0) {
      *error = absl::StrCat("--target ", flags.Get("target"),
                            " must be above 0 for ", type, "s");
      return false;
    }
  }
  return true;
}

// One count of a row: empty is missing (NaN); otherwise a finite number, not
// negative. An error naming the line and column, or "".
std::string ParseCount(const std::string& where, const char* column,
                       const std::string& text, double* out) {
  *out = std::nan("");
  if (text.empty()) return "";
  const std::string at = absl::StrCat(where, ", column ", column, ": '", text);
  double v = 0;
  if (!vigil::ParseDecimal(text, &v)) return at + "' is not a number";
  if (std::isnan(v)) {
    return at + "' is not a number (leave it empty for a missing value)";
  }
  if (std::isinf(v)) return at + "' is not finite";
  if (v < 0) return at + "' is negative";
  *out = v;
  return "";
}

// Reads the groups of `input`; an error naming the file, line and column, or
// "".
std::string ReadGroups(const std::string& input, funnel::DataType type,
                       std::vector<Row>* rows) {
  absl::StatusOr<std::string> text = ReadInputFile(input);
  if (!text.ok()) return std::string(text.status().message());
  vigil::CsvReader reader(*text);
  std::vector<std::string> fields;
  int64_t line = 0;
  std::string error;
  if (!reader.Next(&fields, &line, &error)) {
    return input + ": the file is empty (a header row is needed)";
  }
  if (!error.empty()) return absl::StrCat(input, " line ", line, ": ", error);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    if (name != "group" && name != "numerator" && name != "denominator") {
      continue;
    }
    const auto [it, added] = column.emplace(name, i);
    if (!added) {
      return absl::StrCat(input, " line ", line, ": column '", name,
                          "' appears twice (columns ", it->second + 1, " and ",
                          i + 1, ")");
    }
  }
  for (const char* required : {"group", "numerator", "denominator"}) {
    if (column.count(required) == 0) {
      return absl::StrCat(input, " line ", line, ": no '", required,
                          "' column (expected group,numerator,denominator)");
    }
  }
  const size_t width = fields.size();
  const auto field = [&](const char* name) {
    return std::string(absl::StripAsciiWhitespace(fields[column.at(name)]));
  };
  std::map<std::string, int64_t> seen;  // Group -> its line.
  while (reader.Next(&fields, &line, &error)) {
    const std::string where = absl::StrCat(input, " line ", line);
    if (!error.empty()) return absl::StrCat(where, ": ", error);
    if (fields.size() != width) {
      return absl::StrCat(where, ": ", fields.size(),
                          " fields where the header has ", width);
    }
    Row row;
    row.line = line;
    row.group = field("group");
    if (row.group.empty()) {
      return where + ", column group: the group name is empty";
    }
    std::string problem =
        ParseCount(where, "numerator", field("numerator"), &row.numerator);
    if (problem.empty()) {
      problem = ParseCount(where, "denominator", field("denominator"),
                           &row.denominator);
    }
    if (!problem.empty()) return problem;
    // A zero denominator is not used, whatever the numerator (as Fit does).
    if (type == funnel::DataType::kProportion && row.denominator > 0 &&
        row.numerator > row.denominator) {
      return absl::StrCat(where, ", column numerator: ", Number(row.numerator),
                          " is above the denominator ", Number(row.denominator),
                          " (a proportion's numerator is at most its "
                          "denominator)");
    }
    const auto [it, added] = seen.emplace(row.group, line);
    if (!added) {
      return absl::StrCat(input, " lines ", it->second, " and ", line,
                          ", column group: '", row.group,
                          "' appears twice (rows are groups: aggregate them "
                          "first)");
    }
    rows->push_back(std::move(row));
  }
  if (rows->empty()) return input + ": no data rows after the header";
  return "";
}

// Why a row took no part, for its warning.
std::string Unused(const Row& row, funnel::GroupStatus status) {
  if (status == funnel::GroupStatus::kZeroDenominator) {
    return "its denominator is 0";
  }
  const bool numerator = std::isnan(row.numerator);
  const bool denominator = std::isnan(row.denominator);
  if (numerator && denominator)
    return "its numerator and denominator are missing";
  if (numerator) return "its numerator is missing";
  if (denominator) return "its denominator is missing";
  return funnel::GroupStatusName(status);
}

void WriteRows(const std::vector<Row>& rows, const Settings& settings,
               const funnel::Result& result, std::ostream& out) {
  const size_t k = settings.labels.size();
  out << "group,numerator,denominator,value,target,z";
  for (const std::string& label : settings.labels) {
    out << ",lower_" << label << ",upper_" << label;
  }
  for (const std::string& label : settings.labels) out << ",flag_" << label;
  out << "\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const funnel::GroupResult& g = result.groups[i];
    const bool used = g.status == funnel::GroupStatus::kUsed;
    const auto number = [&](double v) { return used ? Number(v) : ""; };
    out << Csv(rows[i].group) << "," << Number(rows[i].numerator) << ","
        << Number(rows[i].denominator) << "," << number(g.value) << ","
        << Number(result.funnel.target) << "," << number(g.z);
    for (size_t c = 0; c < k; ++c) {
      out << "," << number(result.lower[i * k + c]) << ","
          << number(result.upper[i * k + c]);
    }
    for (size_t c = 0; c < k; ++c) {
      out << "," << (used ? funnel::FlagName(result.flags[i * k + c]) : "");
    }
    out << "\n";
  }
}

void WriteSummary(const funnel::Funnel& f, size_t rows, std::ostream& out) {
  // Adjusted limits are always approximate, on the scale.
  const char* limits =
      f.adjusted ? funnel::LimitMethodName(funnel::LimitMethod::kApproximate)
                 : funnel::LimitMethodName(f.limits);
  out << "{\"target\": " << JsonNumber(f.target)
      << ", \"phi\": " << JsonNumber(f.phi)
      << ", \"tau2\": " << JsonNumber(f.tau2)
      << ", \"adjusted\": " << (f.adjusted ? "true" : "false")
      << ", \"groups\": " << f.groups
      << ", \"excluded\": " << rows - static_cast<size_t>(f.groups)
      << ", \"scale\": \"" << funnel::ScaleName(f.scale) << "\", \"limits\": \""
      << limits << "\", \"overdispersion\": \""
      << funnel::OverdispersionName(f.overdispersion) << "\"}\n";
}

}  // namespace

const char* FunnelUsage() { return kFunnelUsage; }

int RunFunnel(int argc, char** argv) {
  Flags flags({"input", "output", "type", "limits", "overdispersion", "scale",
               "trim", "target", "multiplier", "summary"},
              {"exact", "help"});
  std::string error;
  const auto usage = [](const std::string& message) {
    std::cerr << "vigil funnel: " << message << "\n\n" << kFunnelUsage;
    return 2;
  };
  if (!flags.Parse(argc, argv, 2, &error)) return usage(error);
  if (flags.Has("help")) {
    std::cout << kFunnelUsage;
    return 0;
  }
  for (const char* required : {"input", "type"}) {
    if (!flags.Has(required))
      return usage(absl::StrCat("--", required, " is required"));
  }
  if (flags.Has("summary") && flags.Get("summary") == flags.Get("output")) {
    return usage("--summary and --output name the same file");
  }
  Settings settings;
  if (!ParseSettings(flags, &settings, &error)) return usage(error);

  const std::string input = flags.Get("input");
  std::vector<Row> rows;
  error = ReadGroups(input, settings.options.type, &rows);
  if (!error.empty()) return Fail(error);
  std::vector<double> numerators, denominators;
  for (const Row& row : rows) {
    numerators.push_back(row.numerator);
    denominators.push_back(row.denominator);
  }
  funnel::Result result;
  const absl::Status status =
      funnel::Fit(numerators, denominators, settings.options, &result);
  if (!status.ok()) return Fail(absl::StrCat(input, ": ", status.message()));
  if (result.groups.size() != rows.size()) {
    return Fail("internal error: the fit has a different number of groups");
  }

  // The summary is checked first, truncating nothing, so that one that
  // cannot be written leaves the output as it was; an output that cannot be
  // written leaves no summary behind that was not there before.
  const std::string output = flags.Get("output", "-");
  const std::string summary_path = flags.Get("summary");
  const bool want_summary = flags.Has("summary");
  bool summary_existed = false;
  if (want_summary) {
    summary_existed = std::ifstream(summary_path).good();
    if (!std::ofstream(summary_path, std::ios::binary | std::ios::app)) {
      return Fail("cannot write " + summary_path + ": " + std::strerror(errno));
    }
  }
  OutputFile output_file;
  std::string open_error;
  if (!output_file.Open(output, &open_error)) {
    if (want_summary && !summary_existed) std::remove(summary_path.c_str());
    return Fail(open_error);
  }
  std::ostream& out = output_file.stream();
  std::ofstream summary;
  if (want_summary) {
    summary.open(summary_path, std::ios::binary);
    if (!summary) {
      return Fail("cannot write " + summary_path + ": " + std::strerror(errno));
    }
  }
  WriteRows(rows, settings, result, out);
  if (!output_file.Close(&open_error)) return Fail(open_error);
  if (want_summary) {
    WriteSummary(result.funnel, rows.size(), summary);
    summary.flush();
    if (!summary) return Fail("writing " + summary_path + " failed");
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const funnel::GroupStatus s = result.groups[i].status;
    if (s == funnel::GroupStatus::kUsed) continue;
    std::cerr << "vigil funnel: warning: " << input << " line " << rows[i].line
              << ": group '" << rows[i].group
              << "' is not used: " << Unused(rows[i], s) << "\n";
  }
  return 0;
}

}  // namespace vigil_tool
