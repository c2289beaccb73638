// Bills, budget verdicts and pricing-claim checks as text and JSON, shared by `archsim run`
// (a bill per simulated alternative) and `archsim price` (bills from declared usage,
// schema `archsim.price/1`).
//
// Every figure is read from the pricing structs; amounts print in whole cents, unit prices with
// every decimal the price book gives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"

namespace archsim::reports {

/// The cost section of one alternative: total, by service, every line, Free Tier savings,
/// missing prices, notes; then the budget verdict with the day each alert fires.
std::string render_bill_text(const pricing::Bill& bill, const std::optional<pricing::BudgetCheck>& budget);
std::string render_claims_text(const std::vector<pricing::ClaimCheck>& claims);

/// `actual 80%`, `forecasted 100%`: how reports name a budget alert.
std::string budget_alert_name(const model::BudgetAlertSpec& alert);
/// `fires on day 3`, `does not fire`, or for a FORECASTED alert with no forecast, why it cannot.
std::string budget_alert_outcome(const pricing::AlertCheck& alert, const pricing::BudgetCheck& budget);
/// What FORECASTED alerts compare, in one line: the forecast's kind and why it is that one.
std::string forecast_description(const pricing::ForecastBasis& forecast);

nlohmann::json bill_json(const pricing::Bill& bill);
nlohmann::json budget_json(const pricing::BudgetCheck& budget);
nlohmann::json claims_json(const std::vector<pricing::ClaimCheck>& claims);

struct PricedAlternative {
  std::string id, title;
  model::DecisionStatus status = model::DecisionStatus::Considered;
  pricing::Bill bill;
  std::optional<pricing::BudgetCheck> budget;
};

struct PriceReport {
  std::string file, scenario;
  std::vector<PricedAlternative> alternatives;
  std::vector<pricing::ClaimCheck> claims;
};

std::string render_price_text(const PriceReport& report);
nlohmann::json price_json(const PriceReport& report, std::string_view version);

}  // namespace archsim::reports
