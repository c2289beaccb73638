#include "archsim/pricing/idle_cost.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace archsim::pricing {

Bill idle_bill(const model::TopologySpec& topology, std::string_view component, const PricingContext& context) {
  // No meters at all: the cost model keeps only what is billed whether or not traffic flows.
  std::vector<Charge> lines = charges(topology, Usage{});
  std::erase_if(lines, [&](const Charge& c) { return c.component != component; });
  return make_bill(lines, context.book_for(topology.region), *context.catalogue, PlanContext{});
}

std::optional<Usd> idle_monthly_cost(const model::TopologySpec& topology, std::string_view component,
                                     const PricingContext& context) {
  const Bill bill = idle_bill(topology, component, context);
  if (!bill.missing_prices.empty()) return std::nullopt;
  return bill.total;
}

void state_idle_costs(std::vector<model::Finding>& findings, const model::ScenarioSpec& scenario,
                      const PricingContext& context) {
  for (auto& f : findings) {
    if (f.component.empty()) continue;
    const model::AlternativeSpec* alt = scenario.alternative(f.alternative);
    if (alt == nullptr) continue;
    const Bill bill = idle_bill(alt->topology, f.component, context);
    if (!bill.missing_prices.empty()) {
      const std::string region = alt->topology.region;
      f.message += context.book_for(region) == nullptr
                       ? fmt::format("; its monthly cost is unknown: there is no price book for {}", region)
                       : fmt::format("; its monthly cost is unknown: the {} price book has no price for {}", region,
                                     fmt::join(bill.missing_prices, ", "));
      continue;
    }
    std::vector<std::string> parts;
    for (const auto& line : bill.lines) {
      parts.push_back(fmt::format("{} {:g} x {} = {}", line.price_key, line.quantity, format_price(line.unit_price),
                                  format_cents(line.cost)));
    }
    f.monthly_cost_usd = static_cast<double>(bill.total.rounded_cents()) / 100.0;
    f.message += fmt::format("; idle it costs {} USD a month at {} list prices ({})", format_cents(bill.total),
                             alt->topology.region, fmt::join(parts, " + "));
  }
}

}  // namespace archsim::pricing
