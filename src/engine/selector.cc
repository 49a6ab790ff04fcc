// Selectors: which providers and indicators a rule applies to.
#include <algorithm>

#include "src/engine/compiled_rules.h"

namespace vigil {
namespace internal {

CompiledSelector::CompiledSelector(const v1::Selector& s)
    : indicator_ids_(s.indicator_ids().begin(), s.indicator_ids().end()),
      domains_(s.domains().begin(), s.domains().end()),
      indicator_tags_(s.indicator_tags().begin(), s.indicator_tags().end()),
      provider_ids_(s.provider_ids().begin(), s.provider_ids().end()),
      provider_types_(s.provider_types().begin(), s.provider_types().end()),
      provider_tags_(s.provider_tags().begin(), s.provider_tags().end()) {}

bool CompiledSelector::MatchesIndicator(const v1::Indicator& ind) const {
  if (!indicator_ids_.empty() && !indicator_ids_.contains(ind.id())) {
    return false;
  }
  if (!domains_.empty() && std::find(domains_.begin(), domains_.end(),
                                     ind.domain()) == domains_.end()) {
    return false;
  }
  if (!indicator_tags_.empty() &&
      std::none_of(ind.tags().begin(), ind.tags().end(),
                   [this](const std::string& t) {
                     return indicator_tags_.contains(t);
                   })) {
    return false;
  }
  return true;
}

bool CompiledSelector::MatchesProvider(const v1::Provider& p) const {
  if (!provider_ids_.empty() && !provider_ids_.contains(p.id())) return false;
  if (!provider_types_.empty() &&
      std::find(provider_types_.begin(), provider_types_.end(), p.type()) ==
          provider_types_.end()) {
    return false;
  }
  if (!provider_tags_.empty() &&
      std::none_of(p.tags().begin(), p.tags().end(),
                   [this](const std::string& t) {
                     return provider_tags_.contains(t);
                   })) {
    return false;
  }
  return true;
}

}  // namespace internal
}  // namespace vigil
