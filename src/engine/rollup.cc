#include "src/engine/rollup.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/rules/format.h"
#include "vigil/names.h"

namespace vigil {
namespace internal {
namespace {

void Count(v1::Rating rating, v1::RatingCounts* counts) {
  switch (rating) {
    case v1::RATING_GREEN:
      counts->set_green(counts->green() + 1);
      break;
    case v1::RATING_AMBER:
      counts->set_amber(counts->amber() + 1);
      break;
    case v1::RATING_RED:
      counts->set_red(counts->red() + 1);
      break;
    case v1::RATING_NO_DATA:
      counts->set_no_data(counts->no_data() + 1);
      break;
    default:
      counts->set_not_applicable(counts->not_applicable() + 1);
      break;
  }
}

v1::Rating Worse(v1::Rating a, v1::Rating b) {
  return RatingSeverityRank(b) > RatingSeverityRank(a) ? b : a;
}

// The level for these counts of reds: RED ratings of rules of severity
// WARNING or above, those of CRITICAL rules, and the CQC domains with a red.
v1::EscalationLevel LevelFor(const EscalationConfig& policy, int red,
                             int critical_red, int red_domains) {
  if (critical_red >= policy.risk_summit_min_critical_red ||
      red_domains >= policy.risk_summit_min_red_domains) {
    return v1::ESCALATION_LEVEL_RISK_SUMMIT;
  }
  if (red >= policy.enhanced_surveillance_min_red) {
    return v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE;
  }
  return v1::ESCALATION_LEVEL_ROUTINE;
}

void Escalate(const EscalationConfig& policy, int red, int critical_red,
              int red_domains, v1::ProviderSummary* summary) {
  const std::string counts =
      absl::StrCat(red, " red rating", red == 1 ? "" : "s", " (", critical_red,
                   " from critical rules) in ", red_domains, " domain",
                   red_domains == 1 ? "" : "s");
  const v1::EscalationLevel level =
      LevelFor(policy, red, critical_red, red_domains);
  if (level == v1::ESCALATION_LEVEL_RISK_SUMMIT) {
    summary->set_escalation(v1::ESCALATION_LEVEL_RISK_SUMMIT);
    summary->set_escalation_reason(absl::StrCat(
        counts, ": ", EscalationLabel(v1::ESCALATION_LEVEL_RISK_SUMMIT),
        " (at ", policy.risk_summit_min_critical_red,
        " critical reds or reds in ", policy.risk_summit_min_red_domains,
        " domains)"));
  } else if (level == v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE) {
    summary->set_escalation(v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE);
    summary->set_escalation_reason(absl::StrCat(
        counts, ": ",
        EscalationLabel(v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE), " (at ",
        policy.enhanced_surveillance_min_red, " red)"));
  } else {
    summary->set_escalation(v1::ESCALATION_LEVEL_ROUTINE);
    summary->set_escalation_reason(absl::StrCat(
        counts, ": ", EscalationLabel(v1::ESCALATION_LEVEL_ROUTINE)));
  }
}

// Adds one scheme's money and milestone counts to the provider's.
void AddCquin(const v1::CquinState& c, v1::CquinState* total) {
  total->set_weight(total->weight() + c.weight());
  total->set_earned(total->earned() + c.earned());
  total->set_at_risk(total->at_risk() + c.at_risk());
  total->set_not_yet_due(total->not_yet_due() + c.not_yet_due());
  total->set_milestones(total->milestones() + c.milestones());
  total->set_due(total->due() + c.due());
  total->set_met(total->met() + c.met());
  total->set_partly_met(total->partly_met() + c.partly_met());
  total->set_not_met(total->not_met() + c.not_met());
}

}  // namespace

EscalationConfig CompileEscalation(const v1::EscalationPolicy& policy) {
  EscalationConfig c;
  if (policy.enhanced_surveillance_min_red() > 0) {
    c.enhanced_surveillance_min_red = policy.enhanced_surveillance_min_red();
  }
  if (policy.risk_summit_min_critical_red() > 0) {
    c.risk_summit_min_critical_red = policy.risk_summit_min_critical_red();
  }
  if (policy.risk_summit_min_red_domains() > 0) {
    c.risk_summit_min_red_domains = policy.risk_summit_min_red_domains();
  }
  return c;
}

v1::EscalationLevel EscalationLevelOf(
    absl::Span<const v1::Assessment* const> assessments,
    const EscalationConfig& policy) {
  int red = 0;
  int critical_red = 0;
  std::vector<int> red_domains;  // A handful at most.
  for (const v1::Assessment* a : assessments) {
    if (a->rating() != v1::RATING_RED) continue;
    if (a->severity() >= v1::SEVERITY_WARNING) {
      ++red;
      if (a->severity() == v1::SEVERITY_CRITICAL) ++critical_red;
    }
    if (a->domain() != v1::DOMAIN_UNSPECIFIED &&
        std::find(red_domains.begin(), red_domains.end(), a->domain()) ==
            red_domains.end()) {
      red_domains.push_back(a->domain());
    }
  }
  return LevelFor(policy, red, critical_red,
                  static_cast<int>(red_domains.size()));
}

void RollUpProvider(const v1::Provider& provider, bool selected,
                    absl::Span<const v1::Assessment* const> assessments,
                    const EscalationConfig& policy,
                    v1::ProviderSummary* summary) {
  summary->set_provider_id(provider.id());
  summary->set_provider_name(provider.name());
  if (assessments.empty()) {
    summary->set_worst_rating(selected ? v1::RATING_NO_DATA
                                       : v1::RATING_NOT_APPLICABLE);
    summary->set_escalation(v1::ESCALATION_LEVEL_ROUTINE);
    summary->set_escalation_reason(
        selected ? "no data for any indicator the rules select"
                 : "no rule applies to this provider");
    return;
  }
  std::map<int, v1::DomainSummary> domains;
  v1::Rating worst = v1::RATING_NOT_APPLICABLE;
  int red = 0;
  int critical_red = 0;
  for (const v1::Assessment* a : assessments) {
    Count(a->rating(), summary->mutable_counts());
    worst = Worse(worst, a->rating());
    v1::DomainSummary& d = domains[a->domain()];
    d.set_domain(a->domain());
    Count(a->rating(), d.mutable_counts());
    d.set_worst_rating(Worse(d.worst_rating() == v1::RATING_UNSPECIFIED
                                 ? v1::RATING_NOT_APPLICABLE
                                 : d.worst_rating(),
                             a->rating()));
    if (a->has_cquin()) AddCquin(a->cquin(), summary->mutable_cquin());
    if (a->rating() == v1::RATING_RED &&
        a->severity() >= v1::SEVERITY_WARNING) {
      ++red;
      if (a->severity() == v1::SEVERITY_CRITICAL) ++critical_red;
    }
  }
  int red_domains = 0;
  for (auto& [domain, d] : domains) {
    if (d.counts().red() > 0 && domain != v1::DOMAIN_UNSPECIFIED) {
      ++red_domains;
    }
    *summary->add_domains() = std::move(d);
  }
  summary->set_worst_rating(worst);
  Escalate(policy, red, critical_red, red_domains, summary);
}

}  // namespace internal
}  // namespace vigil
