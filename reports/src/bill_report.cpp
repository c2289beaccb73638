#include "archsim/reports/bill_report.hpp"

#include <fmt/format.h>

#include "archsim/reports/review.hpp"

namespace archsim::reports {

namespace {

double dollars(pricing::Usd amount) { return static_cast<double>(amount.rounded_cents()) / 100.0; }

std::string quantity_text(double q) {
  if (q == 0) return "0";
  if (q >= 100) return fmt::format("{:.0f}", q);
  if (q >= 1) return fmt::format("{:.2f}", q);
  return fmt::format("{:.4g}", q);
}

}  // namespace

std::string budget_alert_name(const model::BudgetAlertSpec& a) {
  return fmt::format("{} {:g}%", a.kind == model::BudgetAlertKind::Actual ? "actual" : "forecasted", a.threshold_percent);
}

std::string budget_alert_outcome(const pricing::AlertCheck& a, const pricing::BudgetCheck& b) {
  if (a.day) return fmt::format("fires on day {}", *a.day);
  if (a.alert.kind == model::BudgetAlertKind::Forecasted && b.forecast.kind == model::BudgetForecast::None) {
    return "cannot fire: no forecast (" + b.forecast.why + ")";
  }
  return "does not fire";
}

std::string forecast_description(const pricing::ForecastBasis& f) {
  switch (f.kind) {
    case model::BudgetForecast::History: return "FORECASTED: the month's cost, as past cycles of this design predict it; " + f.why;
    case model::BudgetForecast::None: return "FORECASTED: no forecast, so it cannot fire; " + f.why;
    case model::BudgetForecast::Linear: return "FORECASTED: month-to-date cost x 730 / hours elapsed (a burn rate, not AWS's method); " + f.why;
    case model::BudgetForecast::Auto: break;
  }
  return f.why;
}

std::string render_bill_text(const pricing::Bill& bill, const std::optional<pricing::BudgetCheck>& budget) {
  std::string out = fmt::format("   cost: {} USD a month ({}, {}, prices as of {}; Free Tier plan: {})\n", pricing::format_cents(bill.total),
                                bill.region, bill.price_book, bill.as_of(), bill.plan);
  out += "     usage: " + bill.scaling + "\n";
  if (bill.on_demand) {
    const pricing::Usd difference = *bill.on_demand - bill.total;
    out += fmt::format("     bought as: {}; on-demand {} USD a month, so it {} {} USD\n", bill.purchase, pricing::format_cents(*bill.on_demand),
                       difference >= pricing::Usd{} ? "saves" : "costs",
                       pricing::format_cents(difference >= pricing::Usd{} ? difference : pricing::Usd{} - difference));
  }
  out += fmt::format("     Free Tier saved {} USD", pricing::format_cents(bill.free_tier_savings));
  if (bill.credits_applied > pricing::Usd{}) {
    out += fmt::format("; credits {} USD, to pay {} USD", pricing::format_cents(bill.credits_applied), pricing::format_cents(bill.net()));
  }
  out += "\n     by service:";
  for (const auto& [service, cost] : bill.by_service()) out += fmt::format("  {} {}", service, pricing::format_cents(cost));
  out += "\n";
  for (const auto& l : bill.lines) {
    if (l.missing_price) {
      out += fmt::format("     {:<16} {:<36} {:>12}  MISSING PRICE ({})\n", l.component, l.price_key, quantity_text(l.quantity), l.description);
      continue;
    }
    std::string free;
    if (l.free_quantity > 0) {
      std::string offers;
      for (const auto& o : l.free_offers) offers += (offers.empty() ? "" : ", ") + o;
      free = fmt::format("  (Free Tier {} {}: {})", quantity_text(l.free_quantity), l.unit, offers);
    }
    const std::string price = l.tiers.size() > 1 ? "tiered" : pricing::format_price(l.unit_price);
    const std::string on_demand = l.on_demand_cost ? fmt::format("  (on-demand {})", pricing::format_cents(*l.on_demand_cost)) : "";
    out += fmt::format("     {:<16} {:<36} {:>12} {:<14} x {:<12} = {:>9}{}{}\n", l.component, l.price_key, quantity_text(l.quantity),
                       l.unit, price, pricing::format_cents(l.cost), free, on_demand);
  }
  if (!bill.derived.empty()) out += "     usage the scenario does not declare, derived:\n";
  for (const auto& d : bill.derived) {
    out += fmt::format("       {} {} = {} a month, {}\n", d.component, d.meter, quantity_text(d.monthly), d.from);
  }
  for (const auto& u : bill.undeclared) out += fmt::format("     {:<16} {:<36} {}\n", u.component, u.meter, u.from);
  if (!bill.missing_prices.empty()) {
    std::string keys;
    for (const auto& k : bill.missing_prices) keys += (keys.empty() ? "" : ", ") + k;
    out += "     missing prices (not in the total): " + keys + "\n";
  }
  if (bill.always_on) {
    const pricing::Usd difference = *bill.always_on - bill.total;
    out += fmt::format("     always on: {} USD with every autoscaled ECS service at its running count all month (its desired count, or what its schedule brings it up to) (other lines as measured); "
                       "this month {} {} USD {}\n",
                       pricing::format_cents(*bill.always_on), difference >= pricing::Usd{} ? "saves" : "costs",
                       pricing::format_cents(difference >= pricing::Usd{} ? difference : pricing::Usd{} - difference),
                       difference >= pricing::Usd{} ? "(scale-in, scale to zero, tasks not replaced)" : "(scale-out, deployments)");
  }
  if (bill.deployments) {
    out += fmt::format("     deployments: {} USD of this month is their extra task time (two task sets, or tasks above the desired count)\n",
                       pricing::format_cents(*bill.deployments));
  }
  for (const auto& n : bill.notes) out += "     note: " + n + "\n";
  for (const auto& a : bill.assumptions) out += "     assumed: " + a + "\n";
  if (!budget) {
    out += "   budget: none set in the scenario (add `budget:` to check one)\n";
  } else {
    out += fmt::format("   budget: {} USD a month: {}", pricing::format_cents(budget->limit), to_string(budget->status));
    if (budget->over_day) out += fmt::format(" (month-to-date cost passes the limit on day {})", *budget->over_day);
    out += "\n";
    for (const auto& a : budget->alerts) {
      out += fmt::format("     alert {} (> {} USD): {}{}\n", budget_alert_name(a.alert), pricing::format_cents(a.threshold),
                         budget_alert_outcome(a, *budget), a.fails_run() ? " [fails the run]" : "");
    }
    if (budget->has_forecasted_alert()) out += "     " + forecast_description(budget->forecast) + "\n";
  }
  return out;
}

std::string render_claims_text(const std::vector<pricing::ClaimCheck>& claims) {
  if (claims.empty()) return {};
  std::string out = "== pricing claims in the document\n";
  for (const auto& c : claims) {
    out += fmt::format("   [{}] \"{}\" ({})\n", to_string(c.verdict), c.quote, c.path);
    for (const auto& f : c.findings) out += "       " + f + "\n";
  }
  return out;
}

nlohmann::json bill_json(const pricing::Bill& bill) {
  nlohmann::json j{{"region", bill.region},
                   {"price_book", bill.price_book},
                   {"prices_as_of", {{"oldest", bill.prices_as_of.oldest}, {"newest", bill.prices_as_of.newest}}},
                   {"free_tier_plan", bill.plan},
                   {"scaling", bill.scaling},
                   {"hours_per_month", pricing::kHoursPerMonth},
                   {"total_usd", dollars(bill.total)},
                   {"free_tier_savings_usd", dollars(bill.free_tier_savings)},
                   {"credits_applied_usd", dollars(bill.credits_applied)},
                   {"net_usd", dollars(bill.net())},
                   {"missing_prices", bill.missing_prices},
                   {"notes", bill.notes}};
  if (!bill.assumptions.empty()) j["assumptions"] = bill.assumptions;
  if (bill.always_on) j["always_on_usd"] = dollars(*bill.always_on);
  if (bill.deployments) j["deployments_usd"] = dollars(*bill.deployments);
  if (bill.on_demand) j["purchase"] = {{"options", bill.purchase}, {"on_demand_usd", dollars(*bill.on_demand)}};
  j["by_service"] = nlohmann::json::array();
  for (const auto& [service, cost] : bill.by_service()) j["by_service"].push_back({{"service", service}, {"usd", dollars(cost)}});
  j["lines"] = nlohmann::json::array();
  for (const auto& l : bill.lines) {
    nlohmann::json line{{"component", l.component}, {"price", l.price_key}, {"service", l.service}, {"description", l.description},
                        {"unit", l.unit},           {"detail", l.detail},   {"quantity", l.quantity}, {"missing_price", l.missing_price}};
    if (!l.missing_price) {
      line["unit_price_usd"] = pricing::format_price(l.unit_price);
      line["free_quantity"] = l.free_quantity;
      line["free_tier_offers"] = l.free_offers;
      line["free_tier_saving_usd"] = dollars(l.free_tier_saving);
      line["usd"] = dollars(l.cost);
      line["source"] = l.source;
      if (l.on_demand_cost) line["on_demand_usd"] = dollars(*l.on_demand_cost);
      line["tiers"] = nlohmann::json::array();
      for (const auto& t : l.tiers) {
        // Above a bounded last tier there is no price: null, never 0.
        line["tiers"].push_back({{"quantity", t.quantity},
                                 {"unit_price_usd", t.priced ? nlohmann::json(pricing::format_price(t.unit_price)) : nlohmann::json()},
                                 {"usd", dollars(t.cost)}});
      }
    }
    j["lines"].push_back(std::move(line));
  }
  j["month_to_date_usd"] = nlohmann::json::array();
  for (const auto& d : bill.month_to_date) j["month_to_date_usd"].push_back(dollars(d));
  j["derived_usage"] = nlohmann::json::array();
  for (const auto& d : bill.derived) {
    j["derived_usage"].push_back({{"component", d.component}, {"meter", d.meter}, {"monthly", d.monthly}, {"derived_from", d.from}});
  }
  j["undeclared_usage"] = nlohmann::json::array();
  for (const auto& u : bill.undeclared) {
    j["undeclared_usage"].push_back({{"component", u.component}, {"meter", u.meter}, {"assumed", 0}, {"why", u.from}});
  }
  return j;
}

nlohmann::json budget_json(const pricing::BudgetCheck& b) {
  nlohmann::json j{{"limit_usd", dollars(b.limit)},
                   {"actual_usd", dollars(b.actual)},
                   {"status", to_string(b.status)},
                   {"over_day", b.over_day ? nlohmann::json(*b.over_day) : nlohmann::json(nullptr)},
                   {"fails_run", b.fails_run()},
                   {"forecast", pricing::to_string(b.forecast.kind)},
                   {"evaluation", "ACTUAL: month-to-date cost > threshold, checked at the end of each day; " + forecast_description(b.forecast)}};
  j["alerts"] = nlohmann::json::array();
  for (const auto& a : b.alerts) {
    j["alerts"].push_back({{"kind", a.alert.kind == model::BudgetAlertKind::Actual ? "actual" : "forecasted"},
                           {"threshold_percent", a.alert.threshold_percent},
                           {"threshold_usd", dollars(a.threshold)},
                           {"fires_on_day", a.day ? nlohmann::json(*a.day) : nlohmann::json(nullptr)},
                           {"fail_run", a.alert.fail_run}});
  }
  return j;
}

nlohmann::json claims_json(const std::vector<pricing::ClaimCheck>& claims) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& c : claims) {
    j.push_back({{"path", c.path}, {"quote", c.quote}, {"verdict", to_string(c.verdict)}, {"findings", c.findings}});
  }
  return j;
}

std::string render_price_text(const PriceReport& r) {
  std::string out = fmt::format("== prices: {} from declared usage, the rest derived from the workload (no simulation)\n", r.scenario);
  for (const auto& alt : r.alternatives) {
    out += fmt::format("\n== {} [{}]: {}\n", alt.id, to_string(alt.status), alt.title);
    out += render_bill_text(alt.bill, alt.budget);
  }
  const std::string claims = render_claims_text(r.claims);
  return claims.empty() ? out : out + "\n" + claims;
}

nlohmann::json price_json(const PriceReport& r, std::string_view version) {
  nlohmann::json doc{{"schema", "archsim.price/1"}, {"archsim_version", version}, {"file", r.file}, {"scenario", r.scenario}};
  doc["alternatives"] = nlohmann::json::array();
  for (const auto& alt : r.alternatives) {
    nlohmann::json a{{"id", alt.id}, {"title", alt.title}, {"status", to_string(alt.status)}, {"cost", bill_json(alt.bill)}};
    if (alt.budget) a["budget"] = budget_json(*alt.budget);
    doc["alternatives"].push_back(std::move(a));
  }
  doc["pricing_claims"] = claims_json(r.claims);
  return doc;
}

}  // namespace archsim::reports
