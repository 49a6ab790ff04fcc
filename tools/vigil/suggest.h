// "Did you mean" for the tool's flags and commands.
#ifndef VIGIL_TOOLS_VIGIL_SUGGEST_H_
#define VIGIL_TOOLS_VIGIL_SUGGEST_H_

#include <string>
#include <vector>

namespace vigil_tool {

// The candidate closest to `given` (edit distance at most 2, or one that
// starts with it or it with that), or "" when none is close.
std::string ClosestMatch(const std::string& given,
                         const std::vector<std::string>& candidates);

// " (did you mean PREFIX + match?)", or "" when nothing is close.
std::string DidYouMean(const std::string& given,
                       const std::vector<std::string>& candidates,
                       const std::string& prefix = "");

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_SUGGEST_H_
