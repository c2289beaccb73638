// What a resource costs while nothing uses it: the price the `unused-resource` finding states.
//
// The review (model) names the resource and knows no prices; this stage prices it with the same
// cost model as every bill, under no traffic, so only the lines billed by the hour remain (a NAT
// gateway's hours and its public IPv4 address, a load balancer's hours, an interface endpoint's
// hours per zone). The tools stage calls state_idle_costs once, before any report is rendered,
// so the text, JSON, SARIF and Markdown outputs all carry the same figure.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "archsim/model/rules.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"

namespace archsim::pricing {

/// The month of `component` with no traffic, at list price: Free Tier allowances are left out,
/// since they belong to the account (and are spent by whatever else it runs), not to one resource.
/// Every line is missing when `context` has no book for the topology's region.
Bill idle_bill(const model::TopologySpec& topology, std::string_view component, const PricingContext& context);

/// idle_bill's total in USD; empty when a line has no price (an unknown cost is never 0).
std::optional<Usd> idle_monthly_cost(const model::TopologySpec& topology, std::string_view component,
                                     const PricingContext& context);

/// For each finding that names a component (Finding::component), appends its idle monthly cost and
/// how it adds up to the message, and sets `monthly_cost_usd` (left empty, with the missing price
/// named, when the book lacks one).
void state_idle_costs(std::vector<model::Finding>& findings, const model::ScenarioSpec& scenario,
                      const PricingContext& context);

}  // namespace archsim::pricing
