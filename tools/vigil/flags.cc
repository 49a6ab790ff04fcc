#include "flags.h"

#include "suggest.h"

namespace vigil_tool {

bool Flags::Parse(int argc, char** argv, int first, std::string* error) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      *error = "unexpected argument '" + arg + "'";
      return false;
    }
    std::string name = arg.substr(2);
    std::string value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (switches_.count(name) > 0) {
      if (inline_value) {
        *error = "--" + name + " takes no value";
        return false;
      }
      values_.emplace(name, "");
      continue;
    }
    if (valued_.count(name) == 0) {
      std::vector<std::string> known(valued_.begin(), valued_.end());
      known.insert(known.end(), switches_.begin(), switches_.end());
      *error = "unknown flag --" + name + DidYouMean(name, known, "--");
      return false;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        *error = "--" + name + " needs a value";
        return false;
      }
      const std::string next = argv[i + 1];
      if (next.rfind("--", 0) == 0) {
        *error = "--" + name +
                 " needs a value (the next argument is the flag " + next + ")";
        return false;
      }
      value = argv[++i];
    }
    if (values_.count(name) > 0 && repeatable_.count(name) == 0) {
      *error = "--" + name + " is given twice (it takes one value)";
      return false;
    }
    values_.emplace(name, value);
  }
  return true;
}

std::string Flags::Get(const std::string& name,
                       const std::string& fallback) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return fallback;
  std::string last;
  for (auto it = range.first; it != range.second; ++it) last = it->second;
  return last;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it)
    out.push_back(it->second);
  return out;
}

}  // namespace vigil_tool
