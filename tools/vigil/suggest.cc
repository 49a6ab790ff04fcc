#include "suggest.h"

#include <algorithm>
#include <vector>

namespace vigil_tool {
namespace {

// Levenshtein distance, with a transposition counted as one edit.
int EditDistance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

std::string ClosestMatch(const std::string& given,
                         const std::vector<std::string>& candidates) {
  if (given.empty() || given.size() > 64) return "";
  std::string best;
  int best_distance = 3;
  for (const std::string& c : candidates) {
    int distance = EditDistance(given, c);
    const bool prefix =
        given.size() >= 3 && (c.rfind(given, 0) == 0 || given.rfind(c, 0) == 0);
    if (prefix) distance = std::min(distance, 1);
    if (distance < best_distance) {
      best = c;
      best_distance = distance;
    }
  }
  return best;
}

std::string DidYouMean(const std::string& given,
                       const std::vector<std::string>& candidates,
                       const std::string& prefix) {
  const std::string match = ClosestMatch(given, candidates);
  return match.empty() ? "" : " (did you mean " + prefix + match + "?)";
}

}  // namespace vigil_tool
