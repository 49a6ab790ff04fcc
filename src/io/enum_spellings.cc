#include "src/io/enum_spellings.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "vigil/names.h"

namespace vigil {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::io::Tokenizer;

namespace {

constexpr int kTabWidth = 8;  // As google::protobuf::io::Tokenizer.

// Tokenizer errors are the parser's to report.
class SilentErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

// Byte offsets of the lines of `text`.
std::vector<size_t> LineStarts(absl::string_view text) {
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

absl::string_view Line(absl::string_view text,
                       const std::vector<size_t>& starts, int line) {
  if (line < 0 || static_cast<size_t>(line) >= starts.size()) return {};
  const size_t begin = starts[static_cast<size_t>(line)];
  const size_t end = static_cast<size_t>(line) + 1 < starts.size()
                         ? starts[static_cast<size_t>(line) + 1]
                         : text.size();
  return text.substr(begin, end - begin);
}

size_t ByteOf(absl::string_view line, int column) {
  int at = 0;
  size_t byte = 0;
  while (byte < line.size() && at < column) {
    at = line[byte] == '\t' ? at + kTabWidth - at % kTabWidth : at + 1;
    ++byte;
  }
  return byte + static_cast<size_t>(column - at > 0 ? column - at : 0);
}

int ColumnOf(absl::string_view line, size_t byte) {
  int column = 0;
  for (size_t i = 0; i < byte && i < line.size(); ++i) {
    column =
        line[i] == '\t' ? column + kTabWidth - column % kTabWidth : column + 1;
  }
  return column + static_cast<int>(byte > line.size() ? byte - line.size() : 0);
}

std::string Unknown(const std::string& path, const std::string& value,
                    const EnumDescriptor* type) {
  std::string example;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) {
      example = type->value(i)->name();
      break;
    }
  }
  const size_t dot = path.find_last_of('.');
  std::string field = dot == std::string::npos ? path : path.substr(dot + 1);
  field = field.substr(0, field.find('['));
  return absl::StrCat(
      "unknown value \"", value, "\" for field \"", field, "\" (", path,
      "), a ", type->full_name(), "; write one of ", EnumShortNameChoices(type),
      " (in any case, or with the prefix, as in ", example, ")");
}

}  // namespace

// Walks the tokens of the input along the message's descriptors, one token
// at a time. Every method returns false where the input stops making sense
// (or nests deeper than libprotobuf allows); the walk ends there.
class EnumSpellingsWalker {
 public:
  // A replacement: the token at (line, column) of `size` bytes by `text`.
  struct Replacement {
    int line;
    int column;
    size_t size;
    std::string text;
  };

  EnumSpellingsWalker(Tokenizer* tokenizer, EnumSpellings* out)
      : tokenizer_(tokenizer), out_(out) {
    tokenizer_->Next();
  }

  void Text(const Descriptor* type) { TextFields(type, ""); }

  void Json(const Descriptor* type) {
    if (!Is("{")) return;
    Next();
    JsonObject(type);
  }

  std::vector<Replacement> replacements;

 private:
  static constexpr int kMaxDepth = 100;  // libprotobuf's recursion limit.

  const Tokenizer::Token& Cur() const { return tokenizer_->current(); }
  void Next() { tokenizer_->Next(); }
  bool Done() const { return Cur().type == Tokenizer::TYPE_END; }
  bool Is(const char* symbol) const {
    return Cur().type == Tokenizer::TYPE_SYMBOL && Cur().text == symbol;
  }

  // The field path of the value being read, as "rules[1].trend.polarity".
  void Push(absl::string_view name) {
    if (!path_.empty()) path_ += '.';
    absl::StrAppend(&path_, name);
  }

  // Fields of a `type` message up to `close` ("" at the top level).
  bool TextFields(const Descriptor* type, const char* close) {
    if (++depth_ > kMaxDepth) return false;
    absl::flat_hash_map<const FieldDescriptor*, int> counts;
    while (!Done()) {
      if (*close != '\0' && Is(close)) {
        --depth_;
        return true;
      }
      const size_t mark = path_.size();
      const FieldDescriptor* field = nullptr;
      if (Is("[")) {  // An extension or an Any's type URL.
        while (!Done() && !Is("]")) Next();
        if (Done()) return false;
        Next();
      } else if (Cur().type == Tokenizer::TYPE_IDENTIFIER) {
        if (type != nullptr) field = type->FindFieldByName(Cur().text);
        Push(Cur().text);
        Next();
      } else {
        return false;
      }
      const size_t field_mark = path_.size();
      const auto element = [&]() {
        path_.resize(field_mark);
        if (field != nullptr && field->is_repeated()) {
          absl::StrAppend(&path_, "[", counts[field]++, "]");
        }
      };
      if (Is(":")) Next();
      if (Is("[")) {  // A list.
        Next();
        while (!Is("]")) {
          element();
          if (!TextValue(field)) return false;
          if (Is(",")) Next();
        }
        Next();
      } else {
        element();
        if (!TextValue(field)) return false;
      }
      path_.resize(mark);
      if (Is(",") || Is(";")) Next();
    }
    --depth_;
    return *close == '\0';
  }

  bool TextValue(const FieldDescriptor* field) {
    if (Done()) return false;
    if (Is("{") || Is("<")) {
      const char* close = Is("{") ? "}" : ">";
      Next();
      const Descriptor* type =
          field != nullptr ? field->message_type() : nullptr;
      if (!TextFields(type, close)) return false;
      Next();
      return true;
    }
    if (Is("-")) Next();
    if (Done()) return false;
    if (Cur().type == Tokenizer::TYPE_STRING) {
      while (Cur().type == Tokenizer::TYPE_STRING) Next();
      return true;
    }
    if (Cur().type == Tokenizer::TYPE_IDENTIFIER && field != nullptr &&
        field->enum_type() != nullptr) {
      Respell(field->enum_type(), Cur().text, /*quoted=*/false);
    } else if (Cur().type == Tokenizer::TYPE_SYMBOL) {
      return false;
    }
    Next();
    return true;
  }

  // After the "{" of a `type` message (or of a map field when `map_value`).
  bool JsonObject(const Descriptor* type,
                  const FieldDescriptor* map_value = nullptr) {
    if (++depth_ > kMaxDepth) return false;
    std::string key;
    while (!Is("}")) {
      if (Cur().type != Tokenizer::TYPE_STRING) return false;
      key.clear();
      Tokenizer::ParseStringAppend(Cur().text, &key);
      Next();
      if (!Is(":")) return false;
      Next();
      const size_t mark = path_.size();
      const FieldDescriptor* field = map_value;
      if (map_value != nullptr) {
        absl::StrAppend(&path_, "[\"", key, "\"]");
      } else {
        Push(key);
        if (type != nullptr) field = type->FindFieldByName(key);
        for (int k = 0;
             type != nullptr && field == nullptr && k < type->field_count();
             ++k) {
          if (type->field(k)->json_name() == key) field = type->field(k);
        }
      }
      if (!JsonValue(field, /*element=*/map_value != nullptr)) return false;
      path_.resize(mark);
      if (Is(",")) Next();
    }
    Next();
    --depth_;
    return true;
  }

  // `element`: a list element of repeated `field`, or a map value.
  bool JsonValue(const FieldDescriptor* field, bool element) {
    if (Done()) return false;
    if (Is("[")) {
      if (++depth_ > kMaxDepth) return false;
      Next();
      const size_t mark = path_.size();
      for (int k = 0; !Is("]"); ++k) {
        absl::StrAppend(&path_, "[", k, "]");
        if (!JsonValue(field, /*element=*/true)) return false;
        path_.resize(mark);
        if (Is(",")) Next();
      }
      Next();
      --depth_;
      return true;
    }
    if (Is("{")) {
      Next();
      if (field != nullptr && field->is_map() && !element) {
        return JsonObject(nullptr, field->message_type()->map_value());
      }
      return JsonObject(field != nullptr ? field->message_type() : nullptr);
    }
    if (Is("-")) Next();
    if (Done()) return false;
    if (Cur().type == Tokenizer::TYPE_STRING && field != nullptr &&
        field->enum_type() != nullptr) {
      std::string value;
      Tokenizer::ParseString(Cur().text, &value);
      Respell(field->enum_type(), value, /*quoted=*/true);
    } else if (Cur().type == Tokenizer::TYPE_SYMBOL) {
      return false;
    }
    Next();
    return true;
  }

  // The current token is `value` of an enum field.
  void Respell(const EnumDescriptor* type, const std::string& value,
               bool quoted) {
    if (type->FindValueByName(value) != nullptr) return;  // The full name.
    int number = 0;
    if (ParseEnumShortName(type, value, &number)) {
      const std::string& full = type->FindValueByNumber(number)->name();
      replacements.push_back({Cur().line, Cur().column, Cur().text.size(),
                              quoted ? absl::StrCat("\"", full, "\"") : full});
      return;
    }
    if (!out_->unknown_.has_value()) {
      out_->unknown_ = UnknownEnumValue{
          {Cur().line, Cur().column}, value, Unknown(path_, value, type)};
    }
  }

  Tokenizer* tokenizer_;
  EnumSpellings* out_;
  std::string path_;
  int depth_ = 0;
};

EnumSpellings::EnumSpellings(absl::string_view input, Syntax syntax,
                             const Descriptor* type)
    : input_(input) {
  if (input.size() > static_cast<size_t>(INT32_MAX)) return;
  google::protobuf::io::ArrayInputStream stream(input.data(),
                                                static_cast<int>(input.size()));
  SilentErrors errors;
  Tokenizer tokenizer(&stream, &errors);
  if (syntax == Syntax::kText) {  // As google::protobuf::TextFormat.
    tokenizer.set_allow_f_after_float(true);
    tokenizer.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
    tokenizer.set_require_space_after_number(false);
    tokenizer.set_allow_multiline_strings(true);
  }
  EnumSpellingsWalker walker(&tokenizer, this);
  if (syntax == Syntax::kText) {
    walker.Text(type);
  } else {
    walker.Json(type);
  }
  if (walker.replacements.empty()) return;
  const std::vector<size_t> starts = LineStarts(input);
  size_t copied = 0;
  rewritten_.reserve(input.size() + 32 * walker.replacements.size());
  // Where the last replacement ended: columns are found from there, not
  // from the start of the line (a JSON file may be one long line).
  int line = -1;
  size_t byte = 0;
  int column = 0;
  const auto advance = [&](absl::string_view text, int to_column,
                           size_t to_byte) {
    while (byte < text.size() && column < to_column && byte < to_byte) {
      column = text[byte] == '\t' ? column + kTabWidth - column % kTabWidth
                                  : column + 1;
      ++byte;
    }
  };
  for (const EnumSpellingsWalker::Replacement& r : walker.replacements) {
    const absl::string_view text = Line(input, starts, r.line);
    if (r.line != line) {
      line = r.line;
      byte = 0;
      column = 0;
    }
    advance(text, r.column, text.size());
    const size_t begin = byte;
    advance(text, INT32_MAX, begin + r.size);
    const size_t at = starts[static_cast<size_t>(r.line)] + begin;
    rewritten_.append(input.data() + copied, at - copied);
    rewritten_.append(r.text);
    copied = at + r.size;
    edits_.push_back({r.line, begin, r.size, r.text.size()});
  }
  rewritten_.append(input.data() + copied, input.size() - copied);
  changed_ = true;
}

TextPosition EnumSpellings::Original(TextPosition at) const {
  if (!changed_) return at;
  bool on_line = false;
  for (const Edit& e : edits_) on_line = on_line || e.line == at.line;
  if (!on_line) return at;
  const absl::string_view line =
      Line(rewritten_, LineStarts(rewritten_), at.line);
  const size_t byte = ByteOf(line, at.column);
  // Bytes added by the edits before `byte` on the line.
  size_t original = byte;
  long long grown = 0;
  for (const Edit& e : edits_) {
    if (e.line != at.line) continue;
    const size_t new_begin =
        static_cast<size_t>(static_cast<long long>(e.begin) + grown);
    if (byte < new_begin) break;
    if (byte < new_begin + e.new_size) {
      original = e.begin;
      grown = 0;
      break;
    }
    grown +=
        static_cast<long long>(e.new_size) - static_cast<long long>(e.old_size);
    original = static_cast<size_t>(static_cast<long long>(byte) - grown);
  }
  const absl::string_view input_line =
      Line(input_, LineStarts(input_), at.line);
  return {at.line, ColumnOf(input_line, original)};
}

}  // namespace vigil
