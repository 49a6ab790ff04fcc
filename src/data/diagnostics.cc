#include "src/data/diagnostics.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vigil {

v1::Diagnostic MakeDiagnostic(v1::DiagnosticSeverity severity,
                              v1::DiagnosticCode code, absl::string_view source,
                              int64_t row, absl::string_view field,
                              std::string message) {
  v1::Diagnostic d;
  d.set_severity(severity);
  d.set_code(code);
  d.set_source(std::string(source));
  d.set_row(row);
  d.set_field(std::string(field));
  d.set_message(std::move(message));
  return d;
}

v1::Diagnostic RowKeyDiagnostic(v1::DiagnosticSeverity severity,
                                v1::DiagnosticCode code,
                                absl::string_view source, int64_t row,
                                absl::string_view field, absl::string_view why,
                                absl::string_view provider_id,
                                absl::string_view indicator_id,
                                absl::string_view period) {
  v1::Diagnostic d =
      MakeDiagnostic(severity, code, source, row, field,
                     absl::StrCat(DescribeRow(source, row), ": ", why));
  d.set_provider_id(std::string(provider_id));
  d.set_indicator_id(std::string(indicator_id));
  d.set_period(std::string(period));
  return d;
}

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0.
size_t Utf8Length(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    code = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // No overlong forms, no surrogates, nothing past U+10FFFF.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMin[n] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
    return 0;
  }
  return n;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

}  // namespace

std::string IdProblem(absl::string_view id) {
  for (size_t i = 0; i < id.size();) {
    const size_t n = Utf8Length(id, i);
    if (n == 0) {
      return absl::StrCat(
          "is not valid UTF-8 (byte ",
          absl::Hex(static_cast<unsigned char>(id[i]), absl::kZeroPad2),
          " at position ", i + 1, ")");
    }
    if (n == 1 && IsControl(static_cast<unsigned char>(id[i]))) {
      return absl::StrCat(
          "holds a control character (byte ",
          absl::Hex(static_cast<unsigned char>(id[i]), absl::kZeroPad2),
          " at position ", i + 1, ")");
    }
    i += n;
  }
  return "";
}

std::string Utf8Problem(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      return absl::StrCat(
          "is not valid UTF-8 (byte ",
          absl::Hex(static_cast<unsigned char>(text[i]), absl::kZeroPad2),
          " at position ", i + 1, ")");
    }
    i += n;
  }
  return "";
}

std::string RepairUtf8(std::string* text) {
  std::string problem, out;
  for (size_t i = 0; i < text->size();) {
    const size_t n = Utf8Length(*text, i);
    if (n == 0) {
      if (problem.empty()) {
        problem = absl::StrCat(
            "is not valid UTF-8 (byte ",
            absl::Hex(static_cast<unsigned char>((*text)[i]), absl::kZeroPad2),
            " at position ", i + 1, ")");
      }
      out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER.
      ++i;
      continue;
    }
    out.append(*text, i, n);
    i += n;
  }
  if (!problem.empty()) *text = std::move(out);
  return problem;
}

std::string PrintableText(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8Length(text, i);
    if (n == 0 || (n == 1 && IsControl(static_cast<unsigned char>(text[i])))) {
      absl::StrAppend(
          &out, "\\x",
          absl::Hex(static_cast<unsigned char>(text[i]), absl::kZeroPad2));
      ++i;
      continue;
    }
    out.append(text.data() + i, n);
    i += n;
  }
  return out;
}

std::string DescribeRow(absl::string_view source, int64_t row) {
  if (absl::EndsWithIgnoreCase(source, ".csv")) {
    return absl::StrCat(source, " line ", row);
  }
  return absl::StrCat(source, " #", row);
}

void SortDiagnostics(std::vector<v1::Diagnostic>* diagnostics) {
  std::sort(diagnostics->begin(), diagnostics->end(),
            [](const v1::Diagnostic& a, const v1::Diagnostic& b) {
              return std::make_tuple(absl::string_view(a.source()), a.row(),
                                     static_cast<int>(a.code()),
                                     absl::string_view(a.message())) <
                     std::make_tuple(absl::string_view(b.source()), b.row(),
                                     static_cast<int>(b.code()),
                                     absl::string_view(b.message()));
            });
}

}  // namespace vigil
