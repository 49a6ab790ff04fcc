// Enum values of protobuf text and JSON input in the spellings CSV accepts.
//
// A pack or dataset may write an enum value as its full name
// (POLARITY_HIGHER_IS_BETTER), as CSV does, as its short name in any case
// (higher_is_better, LOWER_IS_BETTER), or, in JSON, with spaces or hyphens
// for underscores: whatever vigil::ParseEnumShortName reads. Before
// libprotobuf parses the input, EnumSpellings rewrites each such value of an
// enum-typed field to its full name, walking the input with libprotobuf's
// tokenizer and the message's descriptors, and records where it did so, so
// that the parser's line and column can be mapped back to the input. A value
// no spelling names is left as it is (libprotobuf then rejects it) and
// described, naming the field and the accepted spellings.
#ifndef VIGIL_SRC_IO_ENUM_SPELLINGS_H_
#define VIGIL_SRC_IO_ENUM_SPELLINGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace vigil {

// A place in text, 0-based, columns counted as libprotobuf's tokenizer
// counts them (a tab advances to the next multiple of 8).
struct TextPosition {
  int line = 0;
  int column = 0;
};

// An enum value that no spelling names.
struct UnknownEnumValue {
  TextPosition position;  // In the original input.
  std::string value;      // As written, without quotes.
  // "unknown value \"upwards\" for field \"polarity\"
  // (rules[0].trend.polarity), a vigil.v1.Polarity; write one of
  // higher_is_better, ... (in any case, or with the prefix, as in
  // POLARITY_HIGHER_IS_BETTER)".
  std::string message;
};

class EnumSpellings {
 public:
  enum class Syntax { kText, kJson };

  // Rewrites `input`, a `type` message in `syntax`. `input` must outlive the
  // result. Input the walk does not understand (a syntax error) is left as
  // it is from there on: libprotobuf reports it.
  EnumSpellings(absl::string_view input, Syntax syntax,
                const google::protobuf::Descriptor* type);

  // The input with full enum names; `input` itself when nothing changed.
  absl::string_view text() const { return changed_ ? rewritten_ : input_; }

  // Where `at`, a place in text(), is in the input.
  TextPosition Original(TextPosition at) const;

  // The first value no spelling names, if any.
  const std::optional<UnknownEnumValue>& unknown() const { return unknown_; }

 private:
  struct Edit {
    int line;
    size_t begin;  // Byte offset in the input's line.
    size_t old_size;
    size_t new_size;
  };
  friend class EnumSpellingsWalker;

  absl::string_view input_;
  bool changed_ = false;
  std::string rewritten_;
  std::vector<Edit> edits_;  // In input order.
  std::optional<UnknownEnumValue> unknown_;
};

}  // namespace vigil

#endif  // VIGIL_SRC_IO_ENUM_SPELLINGS_H_
