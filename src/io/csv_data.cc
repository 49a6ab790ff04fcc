// CSV data files (observations, plans, providers, indicators) and data files
// in general, fed into a DatasetIndexer.
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "src/data/diagnostics.h"
#include "src/io/csv_records.h"
#include "src/io/file_pages.h"
#include "src/io/proto_formats.h"
#include "vigil/csv_reader.h"
#include "vigil/io.h"
#include "vigil/names.h"

namespace vigil {
namespace {

// Column positions by header name (lower-cased, trimmed).
class Header {
 public:
  explicit Header(const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      columns_[absl::AsciiStrToLower(absl::StripAsciiWhitespace(names[i]))] =
          static_cast<int>(i);
    }
    names_ = names;
  }
  int Find(absl::string_view name) const {
    auto it = columns_.find(name);
    return it == columns_.end() ? -1 : it->second;
  }
  // Names not in `known`, for a "not used" diagnostic.
  std::vector<std::string> Unknown(
      const std::vector<std::string>& known) const {
    std::vector<std::string> out;
    for (const std::string& n : names_) {
      const std::string key =
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(n));
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        out.push_back(n);
      }
    }
    return out;
  }
  size_t size() const { return names_.size(); }

 private:
  absl::flat_hash_map<std::string, int> columns_;
  std::vector<std::string> names_;
};

// `field` without blanks at its ends.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::string_view Trimmed(
    absl::string_view field) {
  if (field.empty() || (!absl::ascii_isspace(field.front()) &&
                        !absl::ascii_isspace(field.back()))) {
    return field;
  }
  return absl::StripAsciiWhitespace(field);
}

// Field `column` of a record (std::string or absl::string_view fields),
// trimmed; "" when the record has no such column.
template <typename Fields>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::string_view Field(const Fields& row,
                                                            int column) {
  if (column < 0 || column >= static_cast<int>(row.size())) return "";
  return Trimmed(row[column]);
}

struct CsvContext {
  absl::string_view source;
  int source_id;
  DatasetIndexer* indexer;
};

absl::Status MissingColumn(absl::string_view source, absl::string_view column,
                           absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, " line 1: no '", column,
                   "' column (expected columns: ", expected, ")"));
}

void ReportUnusedColumns(const CsvContext& ctx, const Header& header,
                         const std::vector<std::string>& known) {
  std::vector<std::string> unknown = header.Unknown(known);
  if (unknown.empty()) return;
  // A column name is shown as text (its bytes that are not UTF-8 as \xNN).
  for (std::string& name : unknown) name = PrintableText(name);
  ctx.indexer->AddDiagnostic(MakeDiagnostic(
      v1::DIAGNOSTIC_SEVERITY_WARNING, v1::DIAGNOSTIC_CODE_MALFORMED_ROW,
      ctx.source, 1, absl::StrJoin(unknown, ","),
      absl::StrCat(ctx.source, " line 1: column",
                   unknown.size() > 1 ? "s " : " ",
                   absl::StrJoin(unknown, ", "),
                   " not used (known: ", absl::StrJoin(known, ", "), ")")));
}

v1::Diagnostic RowError(const CsvContext& ctx, int64_t line,
                        v1::DiagnosticCode code, absl::string_view field,
                        absl::string_view why) {
  return MakeDiagnostic(v1::DIAGNOSTIC_SEVERITY_ERROR, code, ctx.source, line,
                        field,
                        absl::StrCat(DescribeRow(ctx.source, line), ": ", why,
                                     "; the row is not used"));
}

// Why a CSV record cannot be read as a row at all (the reader's error, or a
// field count other than the header's), or "".
std::string RecordProblem(const std::string& error,
                          const std::vector<absl::string_view>& row,
                          const Header& header) {
  if (!error.empty()) return error;
  if (row.size() != header.size()) {
    return absl::StrCat(row.size(), " fields where the header has ",
                        header.size());
  }
  return "";
}

// The diagnostic of a data row (an observation or plan, `what`) that cannot
// be read, with whatever key its columns `key` (provider, indicator,
// period) hold.
v1::Diagnostic UnreadableRow(const CsvContext& ctx, int64_t line,
                             const std::vector<absl::string_view>& row,
                             const int* key, absl::string_view what,
                             v1::DiagnosticCode code, absl::string_view field,
                             absl::string_view why) {
  return RowKeyDiagnostic(
      v1::DIAGNOSTIC_SEVERITY_ERROR, code, ctx.source, line, field,
      absl::StrCat(why, "; the ", what, " is not used"), Field(row, key[0]),
      Field(row, key[1]), Field(row, key[2]));
}

// Parses an optional number; false when present but not a number. Whole
// numbers of up to 9 digits (most counts, numerators and denominators) are
// read here, exactly as ParseDecimal reads them; the rest by ParseDecimal.
bool ParseNumber(absl::string_view text, bool* has, double* value) {
  *has = !text.empty();
  if (!*has) return true;
  if (text.size() <= 9) {
    uint32_t whole = 0;
    size_t i = 0;
    for (; i < text.size(); ++i) {
      const unsigned digit =
          static_cast<unsigned char>(text[i]) - unsigned{'0'};
      if (digit > 9) break;
      whole = whole * 10 + digit;
    }
    if (i == text.size()) {
      *value = static_cast<double>(whole);
      return true;
    }
  }
  return ParseDecimal(text, value);
}

absl::Status ReadObservations(CsvRecords* records, const CsvContext& ctx,
                              const Header& header) {
  static const std::vector<std::string> kKnown = {
      "provider_id", "indicator_id", "period", "value",
      "numerator",   "denominator",  "status"};
  const std::string expected = absl::StrJoin(kKnown, ",");
  int col[7];
  for (int i = 0; i < 7; ++i) col[i] = header.Find(kKnown[i]);
  for (int i = 0; i < 3; ++i) {
    if (col[i] < 0) return MissingColumn(ctx.source, kKnown[i], expected);
  }
  if (col[3] < 0 && (col[4] < 0 || col[5] < 0)) {
    return MissingColumn(ctx.source, "value", expected);
  }
  ReportUnusedColumns(ctx, header, kKnown);
  std::vector<absl::string_view> row;
  int64_t line = 0;
  std::string error;
  ObservationRow obs;
  while (records->Next(&row, &line, &error)) {
    auto unreadable = [&](v1::DiagnosticCode code, absl::string_view field,
                          absl::string_view why) {
      ctx.indexer->AddUnreadableObservation(
          UnreadableRow(ctx, line, row, col, "row", code, field, why));
    };
    if (std::string problem = error.empty() && row.size() == header.size()
                                  ? std::string()
                                  : RecordProblem(error, row, header);
        !problem.empty()) {
      unreadable(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "", problem);
      continue;
    }
    // The record has the header's fields, so a column found in the header
    // is in it: only an absent column (-1) is checked.
    const auto field = [&row](int column) -> absl::string_view {
      return column < 0 ? absl::string_view() : Trimmed(row[column]);
    };
    // Every field set for each row (a fresh ObservationRow per row cost a
    // zeroing `rep stos` each).
    obs.value = obs.numerator = obs.denominator = 0;
    obs.provider_id = field(col[0]);
    obs.indicator_id = field(col[1]);
    obs.period = field(col[2]);
    static const char* const kNumbers[] = {"value", "numerator", "denominator"};
    bool* has[] = {&obs.has_value, &obs.has_numerator, &obs.has_denominator};
    double* out[] = {&obs.value, &obs.numerator, &obs.denominator};
    bool ok = true;
    for (int i = 0; i < 3 && ok; ++i) {
      const absl::string_view text = field(col[3 + i]);
      if (!ParseNumber(text, has[i], out[i])) {
        unreadable(v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, kNumbers[i],
                   absl::StrCat(kNumbers[i], " '", text, "' is not a number"));
        ok = false;
      }
    }
    if (!ok) continue;
    const absl::string_view status = field(col[6]);
    int status_value = v1::OBSERVATION_STATUS_OK;
    if (!status.empty() &&
        !ParseEnumShortName(v1::ObservationStatus_descriptor(), status,
                            &status_value)) {
      unreadable(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "status",
                 absl::StrCat(
                     "status '", status, "' is not one of ",
                     EnumShortNameChoices(v1::ObservationStatus_descriptor())));
      continue;
    }
    obs.status = static_cast<v1::ObservationStatus>(status_value);
    ctx.indexer->AddObservation(obs, ctx.source_id, line);
  }
  return records->status();
}

absl::Status ReadPlans(CsvRecords* records, const CsvContext& ctx,
                       const Header& header) {
  static const std::vector<std::string> kKnown = {"provider_id", "indicator_id",
                                                  "period", "value"};
  const std::string expected = absl::StrJoin(kKnown, ",");
  int col[4];
  for (int i = 0; i < 4; ++i) {
    col[i] = header.Find(kKnown[i]);
    if (col[i] < 0) return MissingColumn(ctx.source, kKnown[i], expected);
  }
  ReportUnusedColumns(ctx, header, kKnown);
  std::vector<absl::string_view> row;
  int64_t line = 0;
  std::string error;
  while (records->Next(&row, &line, &error)) {
    auto unreadable = [&](v1::DiagnosticCode code, absl::string_view field,
                          absl::string_view why) {
      ctx.indexer->AddUnreadablePlan(
          UnreadableRow(ctx, line, row, col, "plan row", code, field, why));
    };
    if (std::string problem = error.empty() && row.size() == header.size()
                                  ? std::string()
                                  : RecordProblem(error, row, header);
        !problem.empty()) {
      unreadable(v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "", problem);
      continue;
    }
    PlanRow plan;
    plan.provider_id = Field(row, col[0]);
    plan.indicator_id = Field(row, col[1]);
    plan.period = Field(row, col[2]);
    const absl::string_view value = Field(row, col[3]);
    if (value.empty()) {
      unreadable(v1::DIAGNOSTIC_CODE_MISSING_FIELD, "value", "value is empty");
      continue;
    }
    if (!ParseDecimal(value, &plan.value)) {
      unreadable(v1::DIAGNOSTIC_CODE_NON_FINITE_VALUE, "value",
                 absl::StrCat("value '", value, "' is not a number"));
      continue;
    }
    ctx.indexer->AddPlan(plan, ctx.source_id, line);
  }
  return records->status();
}

std::vector<std::string> SplitTags(absl::string_view text) {
  std::vector<std::string> tags;
  for (absl::string_view t :
       absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    tags.emplace_back(absl::StripAsciiWhitespace(t));
  }
  return tags;
}

// Reads an enum column into `value`; on a bad name adds a diagnostic and
// returns false.
bool EnumColumn(const CsvContext& ctx, int64_t line, absl::string_view column,
                absl::string_view text,
                const google::protobuf::EnumDescriptor* type, int* value) {
  *value = 0;
  if (text.empty() || ParseEnumShortName(type, text, value)) return true;
  ctx.indexer->AddDiagnostic(
      RowError(ctx, line, v1::DIAGNOSTIC_CODE_BAD_DEFINITION, column,
               absl::StrCat(column, " '", text, "' is not one of ",
                            EnumShortNameChoices(type))));
  return false;
}

absl::Status ReadProviders(CsvRecords* records, const CsvContext& ctx,
                           const Header& header) {
  static const std::vector<std::string> kKnown = {"id", "name", "type", "tags"};
  int col[4];
  for (int i = 0; i < 4; ++i) col[i] = header.Find(kKnown[i]);
  if (col[0] < 0) {
    return MissingColumn(ctx.source, "id", absl::StrJoin(kKnown, ","));
  }
  ReportUnusedColumns(ctx, header, kKnown);
  std::vector<std::string> row;
  int64_t line = 0;
  std::string error;
  while (records->NextOwned(&row, &line, &error)) {
    if (!error.empty() || row.size() != header.size()) {
      ctx.indexer->AddDiagnostic(RowError(
          ctx, line, v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "",
          error.empty()
              ? absl::StrCat(row.size(), " fields where the header has ",
                             header.size())
              : error));
      continue;
    }
    v1::Provider p;
    p.set_id(std::string(Field(row, col[0])));
    p.set_name(std::string(Field(row, col[1])));
    int type = 0;
    if (!EnumColumn(ctx, line, "type", Field(row, col[2]),
                    v1::ProviderType_descriptor(), &type)) {
      continue;
    }
    p.set_type(static_cast<v1::ProviderType>(type));
    for (std::string& t : SplitTags(Field(row, col[3])))
      p.add_tags(std::move(t));
    ctx.indexer->AddProvider(p, ctx.source_id, line);
  }
  return records->status();
}

absl::Status ReadIndicators(CsvRecords* records, const CsvContext& ctx,
                            const Header& header) {
  static const std::vector<std::string> kKnown = {
      "id",       "name",      "domain",          "unit",
      "polarity", "frequency", "rate_multiplier", "tags"};
  int col[8];
  for (int i = 0; i < 8; ++i) col[i] = header.Find(kKnown[i]);
  if (col[0] < 0) {
    return MissingColumn(ctx.source, "id", absl::StrJoin(kKnown, ","));
  }
  ReportUnusedColumns(ctx, header, kKnown);
  std::vector<std::string> row;
  int64_t line = 0;
  std::string error;
  while (records->NextOwned(&row, &line, &error)) {
    if (!error.empty() || row.size() != header.size()) {
      ctx.indexer->AddDiagnostic(RowError(
          ctx, line, v1::DIAGNOSTIC_CODE_MALFORMED_ROW, "",
          error.empty()
              ? absl::StrCat(row.size(), " fields where the header has ",
                             header.size())
              : error));
      continue;
    }
    v1::Indicator ind;
    ind.set_id(std::string(Field(row, col[0])));
    ind.set_name(std::string(Field(row, col[1])));
    int domain = 0, unit = 0, polarity = 0, frequency = 0;
    if (!EnumColumn(ctx, line, "domain", Field(row, col[2]),
                    v1::Domain_descriptor(), &domain) ||
        !EnumColumn(ctx, line, "unit", Field(row, col[3]),
                    v1::Unit_descriptor(), &unit) ||
        !EnumColumn(ctx, line, "polarity", Field(row, col[4]),
                    v1::Polarity_descriptor(), &polarity) ||
        !EnumColumn(ctx, line, "frequency", Field(row, col[5]),
                    v1::Frequency_descriptor(), &frequency)) {
      continue;
    }
    ind.set_domain(static_cast<v1::Domain>(domain));
    ind.set_unit(static_cast<v1::Unit>(unit));
    ind.set_polarity(static_cast<v1::Polarity>(polarity));
    ind.set_frequency(static_cast<v1::Frequency>(frequency));
    const absl::string_view multiplier = Field(row, col[6]);
    double m = 0;
    if (!multiplier.empty() && !ParseDecimal(multiplier, &m)) {
      ctx.indexer->AddDiagnostic(RowError(
          ctx, line, v1::DIAGNOSTIC_CODE_BAD_DEFINITION, "rate_multiplier",
          absl::StrCat("rate_multiplier '", multiplier, "' is not a number")));
      continue;
    }
    ind.set_rate_multiplier(m);
    for (std::string& t : SplitTags(Field(row, col[7])))
      ind.add_tags(std::move(t));
    ctx.indexer->AddIndicator(ind, ctx.source_id, line);
  }
  return records->status();
}

absl::Status AddCsv(CsvRecords* records, DataKind kind,
                    absl::string_view source, DatasetIndexer* indexer) {
  std::vector<std::string> names;
  int64_t line = 0;
  std::string error;
  if (!records->NextOwned(&names, &line, &error)) {
    if (!records->status().ok()) return records->status();
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": the file is empty (a header row is needed)"));
  }
  if (!error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " line ", line, ": header: ", error));
  }
  // A column named twice would make one of its values vanish in silence.
  absl::flat_hash_map<std::string, size_t> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string key =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(names[i]));
    if (key.empty()) continue;
    const auto [it, added] = seen.emplace(key, i);
    if (!added) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, " line ", line, ": header: column '", PrintableText(key),
          "' appears twice (columns ", it->second + 1, " and ", i + 1, ")"));
    }
  }
  const Header header(names);
  const CsvContext ctx{source, indexer->AddSource(source), indexer};
  switch (kind) {
    case DataKind::kObservations:
      return ReadObservations(records, ctx, header);
    case DataKind::kProviders:
      return ReadProviders(records, ctx, header);
    case DataKind::kIndicators:
      return ReadIndicators(records, ctx, header);
    case DataKind::kPlans:
      return ReadPlans(records, ctx, header);
  }
  return absl::InvalidArgumentError("unknown data kind");
}

// The source name of a file: its name without the directories.
std::string SourceName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

absl::Status AddDataBytes(absl::string_view bytes, Format format, DataKind kind,
                          absl::string_view source, DatasetIndexer* indexer) {
  if (format == Format::kCsv) {
    CsvRecords records(bytes);
    return AddCsv(&records, kind, source, indexer);
  }
  if (format == Format::kBinary) {
    absl::Status s = AddBinaryDataset(bytes, source, indexer);
    if (!s.ok() && !source.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": ", s.message()));
    }
    return s;
  }
  std::string wrapped;
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(bytes);
  if (format == Format::kJson && absl::StartsWith(trimmed, "[")) {
    const char* field = kind == DataKind::kProviders    ? "providers"
                        : kind == DataKind::kIndicators ? "indicators"
                        : kind == DataKind::kPlans      ? "plans"
                                                        : "observations";
    wrapped = absl::StrCat("{\"", field, "\":", bytes, "}");
    bytes = wrapped;
  }
  v1::Dataset dataset;
  if (absl::Status s = ParseMessage(bytes, format, &dataset); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", s.message()));
  }
  indexer->AddDataset(dataset, source);
  return absl::OkStatus();
}

absl::Status AddDataFile(const std::string& path, DataKind kind,
                         DatasetIndexer* indexer) {
  const Format format = FormatFromPath(path);
  if (format == Format::kCsv) {
    // Read in pieces, never held whole (csv_records.h).
    absl::StatusOr<std::unique_ptr<CsvRecords>> records =
        CsvRecords::OpenFile(path);
    if (!records.ok()) return records.status();
    return AddCsv(records->get(), kind, SourceName(path), indexer);
  }
  const absl::StatusOr<int> fd = OpenForReading(path);
  if (!fd.ok()) return fd.status();
  FilePages pages;
  const absl::Status read = pages.ReadToEnd(*fd, RegularFileSize(*fd), path);
  ::close(*fd);
  if (!read.ok()) return read;
  const absl::string_view bytes = pages.bytes();
  if (format == Format::kAuto) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": data files must end in .csv, .json, .textproto or .pb"));
  }
  return AddDataBytes(bytes, format, kind, SourceName(path), indexer);
}

}  // namespace vigil
