// A tiny command-line flag parser: --name VALUE, --name=VALUE, --switch.
#ifndef VIGIL_TOOLS_VIGIL_FLAGS_H_
#define VIGIL_TOOLS_VIGIL_FLAGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vigil_tool {

class Flags {
 public:
  // `valued` lists flags that take a value, `switches` those that do not;
  // of the valued ones, only those in `repeatable` may be given more than
  // once.
  Flags(std::set<std::string> valued, std::set<std::string> switches,
        std::set<std::string> repeatable = {})
      : valued_(std::move(valued)),
        switches_(std::move(switches)),
        repeatable_(std::move(repeatable)) {}

  // Parses argv[first..argc). False with `error` set on an unknown flag, a
  // missing value (the next argument is a flag: write --name=--value for a
  // value that starts with --), a flag given twice that is not repeatable,
  // or a stray argument.
  bool Parse(int argc, char** argv, int first, std::string* error);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given, or `fallback`.
  std::string Get(const std::string& name,
                  const std::string& fallback = "") const;
  // Every value given, in order (for repeatable flags).
  std::vector<std::string> GetAll(const std::string& name) const;

 private:
  std::set<std::string> valued_;
  std::set<std::string> switches_;
  std::set<std::string> repeatable_;
  std::multimap<std::string, std::string> values_;
};

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_FLAGS_H_
