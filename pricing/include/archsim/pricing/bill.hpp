// From usage to the bill AWS would send, and the budget and Free Tier verdicts on it.
//
// The pipeline is: usage meters (measured by the simulator, or declared in the scenario for
// `archsim price`) → a month of usage, hour by hour (a shorter run is repeated, as stated in
// the bill) → charges, one per priced quantity, by the cost model of each component type
// (docs/pricing.md gives every formula) → a bill: Free Tier allowances applied in line order,
// tiered prices split by `split_tiers`, missing prices reported, credits applied → a budget
// check from the month-to-date cost of each day, evaluated as AWS Budgets does. A design bought
// with purchase options (Fargate Spot, a Compute Savings Plan) is billed that way, the same
// month at on-demand prices beside it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archsim/model/spec.hpp"
#include "archsim/pricing/money.hpp"
#include "archsim/pricing/price_book.hpp"
#include "archsim/sim/meters.hpp"
#include "archsim/sim/result.hpp"

namespace archsim::pricing {

/// The billing month: 730 hours (8,760 / 12), as the AWS Pricing Calculator uses.
inline constexpr int kHoursPerMonth = 730;
/// Days with usage in a 730-hour month (the 31st has 10 hours).
inline constexpr int kDaysPerMonth = (kHoursPerMonth + 23) / 24;

// ---------------------------------------------------------------- usage

/// One meter of one component, hour by hour (names as in docs/simulation.md; `account` is
/// the pseudo-component for account-wide meters such as alarm metrics).
struct MeterSeries {
  std::string component, meter;
  std::vector<double> hourly;
};

/// A meter `archsim price` did not find in the scenario's `usage` block: derived from the
/// workload (`monthly` and how), or neither declared nor derivable (0 assumed, and why).
struct UsageOrigin {
  std::string component, meter;
  double monthly = 0;  ///< the derived monthly total in the meter's unit; 0 when undeclared
  std::string from;    ///< the derivation, or why none was possible
};

struct Usage {
  double hours = 0;  ///< hours `hourly` covers (the last slot may be partial)
  std::vector<MeterSeries> meters;
  std::string basis;  ///< how the usage was obtained, for the bill
  std::vector<UsageOrigin> derived;     ///< meters derived from the workload (usage_from_workload.hpp)
  std::vector<UsageOrigin> undeclared;  ///< meters of components carrying traffic, neither declared nor derivable: 0 assumed

  const MeterSeries* find(std::string_view component, std::string_view meter) const;
  const MeterSeries* find(std::string_view component, sim::Meter meter) const { return find(component, sim::meter_name(meter)); }
  /// The meter stretched over the billing month: slot i of the month is slot (i mod n) of the
  /// measurement, with a partial last slot scaled up to a full hour. Zeros when absent.
  std::vector<double> month(std::string_view component, std::string_view meter) const;
  std::vector<double> month(std::string_view component, sim::Meter meter) const { return month(component, sim::meter_name(meter)); }
};

/// One replication's worth of a simulated alternative (the result sums replications).
Usage usage_from_simulation(const sim::SimResult& result);
/// One replication's usage alone (for the spread of the monthly cost across replications).
Usage usage_from_replication(const sim::SimResult& result, std::size_t index);

/// Meters a scenario's `usage` block may declare for a component of this type: the ones the
/// simulation measures, plus those it cannot (storage, monthly active users, queries).
std::vector<sim::Meter> declarable_meters(model::ComponentType type);
/// Meters the `usage` block may declare for `account` (account-wide CloudWatch quantities).
std::vector<sim::Meter> account_meters();

/// The scenario's `usage` block, monthly totals per component meter, for the components of
/// `topology` (others are ignored; a component in no alternative is an error). Running
/// resources the block does not mention run all month (`desired_count` tasks, one database
/// instance), except an ECS service with scheduled actions: it runs what its schedule gives it
/// (listed in `derived`). Empty on an error, reported with file:line:col.
std::optional<Usage> declared_usage(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                    model::Diagnostics& diagnostics);

/// Adds the declared meters `measured` lacks (storage, monthly active users, alarms): what a
/// simulation cannot measure comes from the scenario. `off_route`: components that callers
/// outside the workload's routes use (a bucket only a batch job reads). A run measures nothing
/// on them by construction, so where it measured nothing a declared meter stands instead, as
/// `archsim price` bills it.
void add_unmeasured(Usage& measured, const Usage& declared, const std::set<std::string>& off_route = {});

// ---------------------------------------------------------------- charges

/// One priced quantity of one component: the cost model's output, before prices.
struct Charge {
  std::string component;
  std::string price_key;
  std::string detail;          ///< how the quantity arises (`2 tasks x 0.25 vCPU`)
  std::vector<double> hourly;  ///< kHoursPerMonth slots, in the price's unit
  bool upfront = false;        ///< due in full in the month's first hour, not prorated (Route 53 zones)
  bool free_tier = true;       ///< false: no Free Tier offer covers it (a Lambda function with provisioned concurrency)
  /// What the quantity takes for granted that the scenario did not state (`viewers not stated:
  /// ...`); the bill lists each once, as an assumption.
  std::string assumption;
  /// Priced from this Region's book rather than the bill's: a global table's replicated
  /// writes, which AWS bills in the replica's Region. Empty: the bill's own Region.
  std::string region;
};

/// The cost model: every charge of every component of `topology` under `usage`.
std::vector<Charge> charges(const model::TopologySpec& topology, const Usage& usage);

/// A meter the cost model reads for a component (`account` for account-wide meters).
struct MeterRead {
  std::string component;
  sim::Meter meter;
};
/// Every meter `charges` reads for this topology and usage: what a test checks against the
/// meters the simulation produces and the `usage:` block accepts, so the bill never prices
/// a meter nothing can fill.
std::vector<MeterRead> meters_priced(const model::TopologySpec& topology, const Usage& usage);

// ---------------------------------------------------------------- bill

/// The Free Tier plan a scenario chose, resolved against its account dates.
struct PlanContext {
  std::string plan;                   ///< none, always_free, legacy_12_month, credits
  std::vector<std::string> programs;  ///< whose offers apply
  Usd credits;                        ///< credits available for this month
  std::vector<std::string> notes;     ///< why an offer does or does not apply
};
PlanContext resolve_plan(const model::PricingOptionsSpec& options, const FreeTierCatalogue& catalogue);

struct BillLine {
  std::string component;
  std::string service, description, price_key, unit, detail;
  std::string source;  ///< address and date of the price
  std::string as_of;   ///< ISO date the price was read or published (empty when missing)
  double quantity = 0;       ///< in the month, in `unit`
  double free_quantity = 0;  ///< covered by Free Tier allowances
  std::vector<std::string> free_offers;
  Usd unit_price;              ///< the price's first tier
  std::vector<TierUse> tiers;  ///< how the billable quantity split over the price's tiers
  Usd cost;
  Usd free_tier_saving;
  bool missing_price = false;  ///< the book has no such price: the line is not in the total
  /// Under purchase options (Bill::purchase): the line's cost at on-demand prices, when it
  /// differs (a Fargate Spot or Savings Plan line); unset on a line the options leave alone.
  std::optional<Usd> on_demand_cost;
};

struct Bill {
  std::string region;
  std::string price_book;  ///< file of the price book
  /// The price book's date: the oldest and newest `as_of` of the prices on the bill's lines
  /// (empty when no line has a price).
  AsOfRange prices_as_of;
  std::string plan;
  std::string scaling;     ///< how the measured usage became a month
  std::vector<BillLine> lines;
  Usd total;              ///< after Free Tier allowances, before credits
  Usd free_tier_savings;
  Usd credits_applied;
  std::vector<std::string> missing_prices;  ///< price keys, sorted, unique
  std::vector<std::string> notes;
  /// What the charges take for granted that the scenario did not state (Charge::assumption),
  /// each once, in line order.
  std::vector<std::string> assumptions;
  std::vector<Usd> month_to_date;  ///< cost (before credits) at the end of each day, kDaysPerMonth values
  std::vector<UsageOrigin> derived;     ///< from Usage: meters derived from the workload
  std::vector<UsageOrigin> undeclared;  ///< from Usage: meters billed as 0 that are not known to be 0
  /// Set by bill_for when the ECS task time differs from the desired counts (scaling, scale to
  /// zero, tasks never replaced): the same month re-priced with every ECS service running its
  /// desired count all month, every other line as measured.
  std::optional<Usd> always_on;
  /// Set by bill_for when deployments ran: the part of `total` their extra task time costs
  /// (the usage meter `deployment_task_seconds`).
  std::optional<Usd> deployments;
  /// The purchase options the bill is priced under (`Fargate Spot`, `Compute Savings Plan, 1yr,
  /// no_upfront`), empty for on-demand; then `on_demand` is the same month at on-demand prices,
  /// so that a decision can weigh them.
  std::string purchase;
  std::optional<Usd> on_demand;

  Usd net() const { return total - credits_applied; }
  /// The prices' date for a reader: `2026-12-06 (oldest 2026-08-11)`, `2026-08-12`, or `none`.
  std::string as_of() const { return prices_as_of.text(); }
  /// Totals per service, largest first (ties by name).
  std::vector<std::pair<std::string, Usd>> by_service() const;
};

/// The book for another Region (nullptr when there is none).
using RegionBooks = std::function<const PriceBook*(std::string_view region)>;

/// Prices `charges` with `book` (nullptr: every line is missing), and a charge of another
/// Region with `other_regions`' book for it (none given: missing). `until_hour` <
/// kHoursPerMonth prices the month to date.
Bill make_bill(const std::vector<Charge>& charges, const PriceBook* book, const FreeTierCatalogue& catalogue,
               const PlanContext& plan, int until_hour = kHoursPerMonth, const RegionBooks& other_regions = {});

// ---------------------------------------------------------------- budget

/// Undecided: within the limit, but the bill assumes 0 for usage it does not know (a lower
/// bound cannot pass a budget). Over stays over: more usage only adds.
enum class BudgetStatus { Pass, Alert, Over, Undecided };
std::string_view to_string(BudgetStatus status);
std::string_view to_string(model::BudgetForecast forecast);  ///< `history`, `none`, `linear` (`auto` unresolved)

struct AlertCheck {
  model::BudgetAlertSpec alert;
  Usd threshold;
  std::optional<int> day;  ///< first day of the month (1-based) on which it fires
  bool fails_run() const { return alert.fail_run && day.has_value(); }
};

/// The forecast FORECASTED alerts were checked against, and why that one.
struct ForecastBasis {
  model::BudgetForecast kind = model::BudgetForecast::History;  ///< never Auto
  std::string why;
};

/// Resolves `budget.forecast` against the account's age: an account whose first full billing
/// cycle is `pricing.billing_month` (or later) has no forecast yet; one with a full cycle before
/// it, or whose dates are not given, forecasts from history.
ForecastBasis forecast_basis(const model::BudgetSpec& budget, const model::PricingOptionsSpec& pricing);

struct BudgetCheck {
  Usd limit;
  Usd actual;              ///< the month's cost
  std::optional<int> over_day;  ///< first day the month-to-date cost exceeds the limit
  BudgetStatus status = BudgetStatus::Pass;
  ForecastBasis forecast;
  std::vector<AlertCheck> alerts;
  /// Why an Undecided check is undecided: the total is a lower bound (usage not declared,
  /// prices missing), which can fail a budget and never pass one.
  std::string undecided_because;

  bool fails_run() const;  ///< over, or a `fail_run` alert fired
  bool has_forecasted_alert() const;
};

/// ACTUAL alerts compare the month-to-date cost with the threshold (GREATER_THAN) at the end of
/// each day. FORECASTED ones compare the forecast: from history, the month's cost (so the alert
/// fires on day 1 or not at all); with no history, none (never fires); linear, the month to date
/// extrapolated to the month's end.
BudgetCheck check_budget(const model::BudgetSpec& budget, const Bill& bill, const ForecastBasis& forecast);

// ---------------------------------------------------------------- claims

enum class ClaimVerdict { Holds, Partly, Wrong };
std::string_view to_string(ClaimVerdict verdict);

struct ClaimCheck {
  std::string path;   ///< the claim's dotted path in the scenario
  std::string quote;  ///< the document's words
  ClaimVerdict verdict = ClaimVerdict::Holds;
  std::vector<std::string> findings;  ///< what the price book and Free Tier catalogue say
};

/// Checks the document's pricing claims (`pricing.claims`) against `book` and the catalogue.
/// With the chosen design's charges, an allowance the design cannot use is said so.
std::vector<ClaimCheck> check_claims(const model::ScenarioSpec& scenario, const PriceBook* book,
                                     const FreeTierCatalogue& catalogue, const PlanContext& plan,
                                     const std::vector<Charge>* chosen_design_charges = nullptr);

// ---------------------------------------------------------------- one scenario

/// What pricing needs once per scenario: the book override, the plan, the catalogue.
struct PricingContext {
  std::optional<PriceBook> scenario_book;  ///< `pricing.price_book`, when given
  const FreeTierCatalogue* catalogue = nullptr;
  PlanContext plan;
  /// Books of `--price-book DIR` (`<region>.yaml`, as `archsim prices import -o DIR` writes
  /// them) for the scenario's Regions, by Region.
  std::map<std::string, PriceBook, std::less<>> folder_books;
  /// Purchase options by the path of the topology they bill (`alternatives.X.topology`): the
  /// alternative's `pricing`, else the scenario's. A topology not listed gets `purchase`.
  std::map<std::string, model::PurchaseOptionsSpec, std::less<>> purchase_by_topology;
  model::PurchaseOptionsSpec purchase;
  /// `pricing.max_book_age`, in days.
  std::optional<int> max_book_age_days;

  /// The scenario's own book, else the folder's book for `region`, else the shipped one
  /// (nullptr when none).
  const PriceBook* book_for(std::string_view region) const;
  const model::PurchaseOptionsSpec& purchase_for(const model::TopologySpec& topology) const;
};
/// Empty on an error (an unreadable or invalid price book, a Region no book prices), reported
/// with file:line:col. `price_book_dir` (`--price-book`), when not empty, is a folder of books
/// that take the place of the shipped ones for the Regions they cover.
std::optional<PricingContext> prepare_pricing(const model::ScenarioSpec& scenario, model::Diagnostics& diagnostics,
                                              const std::string& price_book_dir = {});

/// Refuses, where it is written, a purchase option (Fargate Spot, a Savings Plan) that an
/// alternative's book cannot price, naming the books that can (prepare_pricing does it;
/// design-space search for each option of a `pricing.` dimension).
void check_purchase_books(const model::ScenarioSpec& scenario, const PricingContext& context, model::Diagnostics& diagnostics);

/// Sets `context`'s purchase options for every alternative of `scenario`: its `pricing`, else
/// the scenario's (prepare_pricing does it; design-space search again for each variant).
void set_purchase_options(PricingContext& context, const model::ScenarioSpec& scenario);

/// Today as an ISO date, in UTC: SOURCE_DATE_EPOCH when set (reproducible runs), else the clock.
std::string pricing_today();
/// For `pricing.max_book_age`: one warning per book an alternative bills from whose oldest price
/// (or Savings Plan rate it uses) is older than that on `today`. For stderr, never for a report,
/// so that outputs stay the same from one day to the next.
std::vector<std::string> book_age_warnings(const PricingContext& context, const model::ScenarioSpec& scenario, const std::string& today);

/// `charges` and `book` as the purchase options price them: with Fargate Spot, Fargate task
/// time is charged at the book's `fargate_spot.*` prices; with a Savings Plan, the prices the
/// book's matching `savings_plans` rates cover are discounted (every tier). `notes` says what
/// was applied and what the book lacks.
struct PurchasedPricing {
  std::vector<Charge> charges;
  PriceBook book;
  std::string description;  ///< for the bill: `Fargate Spot; Compute Savings Plan, 1yr, no_upfront`
  std::vector<std::string> notes;
  std::vector<std::string> missing;  ///< plans the book has no rate for (`savings_plan.compute.1yr.no_upfront`)
};
PurchasedPricing apply_purchase_options(const model::PurchaseOptionsSpec& options, const std::vector<Charge>& charges, const PriceBook& book);

/// The bill of one alternative, month to date included.
Bill bill_for(const PricingContext& context, const model::TopologySpec& topology, const Usage& usage);

}  // namespace archsim::pricing
