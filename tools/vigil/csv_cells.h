// CSV cells the tool's commands write and read: RFC 4180 text guarded
// against spreadsheet formulas, numbers with 17 significant digits, and the
// spellings of a missing number.
#ifndef VIGIL_TOOLS_VIGIL_CSV_CELLS_H_
#define VIGIL_TOOLS_VIGIL_CSV_CELLS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vigil_tool {

// A text cell, RFC 4180. Text a spreadsheet would run as a formula (it
// starts with =, +, -, @, a tab or a carriage return) gets a leading ' so it
// shows as text.
std::string CsvText(const std::string& text);

// %.17g, or `missing` for NaN.
std::string CsvNumber(double v, const char* missing = "");

// The same cells appended to `out`: no string per cell where a command
// writes thousands of rows.
void AppendCsvText(absl::string_view text, std::string* out);
void AppendCsvNumber(double v, const char* missing, std::string* out);

// True for a field that means "no number": empty, NA or NaN (files written
// by R say NA), in any case.
bool IsMissingNumber(absl::string_view field);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_CSV_CELLS_H_
