#include "csv_cells.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace vigil_tool {

std::string CsvText(const std::string& s) {
  std::string text = s;
  if (!text.empty() &&
      absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvNumber(double v, const char* missing) {
  return std::isnan(v) ? missing : absl::StrFormat("%.17g", v);
}

bool IsMissingNumber(absl::string_view field) {
  const absl::string_view f = absl::StripAsciiWhitespace(field);
  return f.empty() || absl::EqualsIgnoreCase(f, "NA") ||
         absl::EqualsIgnoreCase(f, "NaN");
}

}  // namespace vigil_tool
