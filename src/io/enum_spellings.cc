#include "src/io/enum_spellings.h"

#include <utility>

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
  return absl::StrCat(path, ": \"", value, "\" is not a ", type->full_name(),
                      "; write one of ", EnumShortNameChoices(type),
                      " (in any case, or with the prefix, as in ", example,
                      ")");
}

}  // namespace

// Walks the tokens of the input along the message's descriptors. Every
// method returns false where the input stops making sense; the walk ends
// there.
class EnumSpellingsWalker {
 public:
  EnumSpellingsWalker(std::vector<Tokenizer::Token> tokens, EnumSpellings* out)
      : t_(std::move(tokens)), out_(out) {}

  void Text(const Descriptor* type) { TextFields(type, "", ""); }

  void Json(const Descriptor* type) {
    if (!Is("{")) return;
    ++i_;
    JsonObject(type, "");
  }

  // Replacements, in input order: token and full name.
  std::vector<std::pair<const Tokenizer::Token*, std::string>> edits;

 private:
  bool Done() const { return i_ >= t_.size(); }
  bool Is(const char* symbol) const {
    return !Done() && t_[i_].type == Tokenizer::TYPE_SYMBOL &&
           t_[i_].text == symbol;
  }

  // Fields of a `type` message up to `close` (none at the top level).
  bool TextFields(const Descriptor* type, const std::string& path,
                  absl::string_view close) {
    absl::flat_hash_map<const FieldDescriptor*, int> counts;
    while (!Done()) {
      if (!close.empty() && Is(std::string(close).c_str())) return true;
      const FieldDescriptor* field = nullptr;
      std::string name;
      if (Is("[")) {  // An extension or an Any's type URL.
        while (!Done() && !Is("]")) ++i_;
        if (Done()) return false;
        ++i_;
      } else if (t_[i_].type == Tokenizer::TYPE_IDENTIFIER) {
        name = t_[i_].text;
        if (type != nullptr) field = type->FindFieldByName(name);
        ++i_;
      } else {
        return false;
      }
      const std::string field_path = path.empty() ? name : path + "." + name;
      const auto element = [&]() {
        if (field == nullptr || !field->is_repeated()) return field_path;
        return absl::StrCat(field_path, "[", counts[field]++, "]");
      };
      if (Is(":")) ++i_;
      if (Is("[")) {  // A list.
        ++i_;
        while (!Is("]")) {
          if (!TextValue(field, element())) return false;
          if (Is(",")) ++i_;
        }
        ++i_;
      } else if (!TextValue(field, element())) {
        return false;
      }
      if (Is(",") || Is(";")) ++i_;
    }
    return close.empty();
  }

  bool TextValue(const FieldDescriptor* field, const std::string& path) {
    if (Done()) return false;
    if (Is("{") || Is("<")) {
      const char* close = Is("{") ? "}" : ">";
      ++i_;
      const Descriptor* type =
          field != nullptr ? field->message_type() : nullptr;
      if (!TextFields(type, path, close)) return false;
      ++i_;
      return true;
    }
    if (Is("-")) ++i_;
    if (Done()) return false;
    if (t_[i_].type == Tokenizer::TYPE_STRING) {
      while (!Done() && t_[i_].type == Tokenizer::TYPE_STRING) ++i_;
      return true;
    }
    if (t_[i_].type == Tokenizer::TYPE_IDENTIFIER && field != nullptr &&
        field->enum_type() != nullptr) {
      Respell(field->enum_type(), path, t_[i_].text, /*quoted=*/false);
    } else if (t_[i_].type == Tokenizer::TYPE_SYMBOL) {
      return false;
    }
    ++i_;
    return true;
  }

  // After the "{" of a `type` message.
  bool JsonObject(const Descriptor* type, const std::string& path) {
    while (!Is("}")) {
      if (Done() || t_[i_].type != Tokenizer::TYPE_STRING) return false;
      std::string key;
      Tokenizer::ParseString(t_[i_].text, &key);
      ++i_;
      const FieldDescriptor* field = nullptr;
      if (type != nullptr) {
        field = type->FindFieldByName(key);
        for (int k = 0; field == nullptr && k < type->field_count(); ++k) {
          if (type->field(k)->json_name() == key) field = type->field(k);
        }
      }
      if (!Is(":")) return false;
      ++i_;
      const std::string field_path = path.empty() ? key : path + "." + key;
      if (!JsonValue(field, field_path, /*element=*/false)) return false;
      if (Is(",")) ++i_;
    }
    ++i_;
    return true;
  }

  // A map field's object: keys are map keys.
  bool JsonMap(const FieldDescriptor* value, const std::string& path) {
    while (!Is("}")) {
      if (Done() || t_[i_].type != Tokenizer::TYPE_STRING) return false;
      std::string key;
      Tokenizer::ParseString(t_[i_].text, &key);
      ++i_;
      if (!Is(":")) return false;
      ++i_;
      if (!JsonValue(value, absl::StrCat(path, "[\"", key, "\"]"),
                     /*element=*/true)) {
        return false;
      }
      if (Is(",")) ++i_;
    }
    ++i_;
    return true;
  }

  // `element`: a list element of repeated `field` or a map value.
  bool JsonValue(const FieldDescriptor* field, const std::string& path,
                 bool element) {
    if (Done()) return false;
    if (Is("[")) {
      ++i_;
      for (int k = 0; !Is("]"); ++k) {
        if (!JsonValue(field, absl::StrCat(path, "[", k, "]"), true)) {
          return false;
        }
        if (Is(",")) ++i_;
      }
      ++i_;
      return true;
    }
    if (Is("{")) {
      ++i_;
      if (field != nullptr && field->is_map() && !element) {
        return JsonMap(field->message_type()->map_value(), path);
      }
      return JsonObject(field != nullptr ? field->message_type() : nullptr,
                        path);
    }
    if (Is("-")) ++i_;
    if (Done()) return false;
    if (t_[i_].type == Tokenizer::TYPE_STRING && field != nullptr &&
        field->enum_type() != nullptr) {
      std::string value;
      Tokenizer::ParseString(t_[i_].text, &value);
      Respell(field->enum_type(), path, value, /*quoted=*/true);
    } else if (t_[i_].type == Tokenizer::TYPE_SYMBOL) {
      return false;
    }
    ++i_;
    return true;
  }

  // The current token is `value` of an enum field.
  void Respell(const EnumDescriptor* type, const std::string& path,
               const std::string& value, bool quoted) {
    if (type->FindValueByName(value) != nullptr) return;  // The full name.
    int number = 0;
    if (ParseEnumShortName(type, value, &number)) {
      const std::string& full = type->FindValueByNumber(number)->name();
      edits.emplace_back(&t_[i_],
                         quoted ? absl::StrCat("\"", full, "\"") : full);
      return;
    }
    if (!out_->unknown_.has_value()) {
      out_->unknown_ = UnknownEnumValue{
          {t_[i_].line, t_[i_].column}, value, Unknown(path, value, type)};
    }
  }

  const std::vector<Tokenizer::Token> t_;
  EnumSpellings* out_;
  size_t i_ = 0;
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
  std::vector<Tokenizer::Token> tokens;
  while (tokenizer.Next()) tokens.push_back(tokenizer.current());
  EnumSpellingsWalker walker(std::move(tokens), this);
  if (syntax == Syntax::kText) {
    walker.Text(type);
  } else {
    walker.Json(type);
  }
  if (walker.edits.empty()) return;
  const std::vector<size_t> starts = LineStarts(input);
  size_t copied = 0;
  rewritten_.reserve(input.size() + 32 * walker.edits.size());
  for (const auto& [token, full] : walker.edits) {
    const absl::string_view line = Line(input, starts, token->line);
    const size_t begin = ByteOf(line, token->column);
    const size_t size = token->text.size();
    const size_t at = starts[static_cast<size_t>(token->line)] + begin;
    rewritten_.append(input.data() + copied, at - copied);
    rewritten_.append(full);
    copied = at + size;
    edits_.push_back({token->line, begin, size, full.size()});
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
