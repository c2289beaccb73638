// The price book and the Free Tier catalogue: AWS's prices and allowances as sourced data.
//
// One YAML file per region under pricing/data/ (`us-east-1.yaml`, ...) holds every price with
// its unit, tiers, source address and as-of date; `free_tier.yaml` holds the Free Tier plans and
// the offers each plan includes. Both are embedded in the binary and validated on load like
// scenario files (file:line:col errors); a scenario can point `pricing.price_book` at its own
// file. Nothing here computes a bill: bill.hpp does, with `split_tiers` as the one place tiered
// prices are applied.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/pricing/money.hpp"

namespace archsim::pricing {

struct Source {
  std::string id, title, url;
};

/// One step of a tiered price: `price` per unit for usage up to `up_to` units in the month
/// (cumulative over the account); the last tier is unbounded unless the book's source stops
/// there (`beyond_last_tier: missing`), when usage above it has no price.
struct Tier {
  double up_to = std::numeric_limits<double>::infinity();
  Usd price;
  std::string rate_code;  ///< the Price List rate code it was imported from (`SKU.JRTCKXETXF.6YS6EN2CT7`), else empty
};

struct Price {
  std::string key;          ///< `fargate.vcpu_hour.x86_64`, `elb.alb_lcu_hour`, ...
  std::string service;      ///< the bill's service name (`Elastic Load Balancing`)
  std::string description;  ///< what one unit is, as a bill line says it
  std::string unit;         ///< `hour`, `LCU-hour`, `GB`, `GB-month`, `1M requests`, ...
  std::vector<Tier> tiers;  ///< one tier for a flat price
  std::string source;       ///< a key of PriceBook::sources
  std::string source_url;   ///< that source's address
  std::string as_of;        ///< ISO date
  std::string note;
  std::string sku;  ///< the Price List product it was imported from (`archsim prices import`), else empty
  model::SourceLoc loc;

  Usd first_price() const { return tiers.empty() ? Usd{} : tiers.front().price; }
};

/// A Savings Plan's rate for some of a Region's prices: `discount_percent` off each of their
/// on-demand tiers, for one plan type, term and payment option. An upfront payment is spread
/// over the term, so the rate is the plan's effective hourly rate.
struct SavingsPlanRate {
  std::string type;     ///< `compute`
  std::string term;     ///< `1yr`, `3yr`
  std::string payment;  ///< `no_upfront`, `partial_upfront`, `all_upfront`
  int discount_percent = 0;
  std::vector<std::string> prices;  ///< the price keys it covers
  std::string source, source_url, as_of, note;
  model::SourceLoc loc;
};

struct PriceBook {
  std::string file;    ///< where it was read from (`pricing/data/us-east-1.yaml` for built-ins)
  std::string region;
  std::string currency = "USD";
  std::map<std::string, Source> sources;
  std::map<std::string, Price> prices;
  /// Keys the book's source lacks, with why (`archsim prices import` writes one for each key the
  /// offer files do not price in this Region): a bill still shows them as missing lines.
  std::map<std::string, std::string> missing;
  const PriceBook* fallback = nullptr;  ///< global services (global.yaml), for keys this book lacks
  std::vector<SavingsPlanRate> savings_plans;  ///< `savings_plans`: the Region's Savings Plan rates

  const Price* find(std::string_view key) const;
  /// The rates of one plan (type, term, payment) in this book; empty when it has none.
  std::vector<const SavingsPlanRate*> savings_plan_rates(std::string_view type, std::string_view term, std::string_view payment) const;
};

/// The tier helper every tiered price goes through: the cost of `quantity` units when
/// `already_used` units of the same price were billed earlier in the month.
struct TierUse {
  double quantity = 0;
  Usd unit_price;
  Usd cost;
  bool priced = true;  ///< false: above a bounded last tier, no price (cost 0, reported as missing)
};
std::vector<TierUse> split_tiers(const std::vector<Tier>& tiers, double already_used, double quantity);
Usd total_cost(const std::vector<TierUse>& uses);

std::optional<PriceBook> parse_price_book(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics);
std::optional<PriceBook> read_price_book(const std::string& path, model::Diagnostics& diagnostics);
/// The book shipped for `region` (with the global book as its fallback), or nullptr when
/// archsim has none. Parsed once, on first use.
const PriceBook* builtin_price_book(std::string_view region);
/// The shipped book of global services (CloudFront, Route 53).
const PriceBook& builtin_global_price_book();
/// Regions with a shipped book, sorted (`global` is not a Region).
std::vector<std::string> builtin_regions();

/// When a set of prices was read or published: the oldest and newest `as_of` among them (ISO
/// dates, so text order is date order); both empty until a price is included.
struct AsOfRange {
  std::string oldest, newest;

  void include(const std::string& as_of);
  /// For a reader: `2026-12-06 (oldest 2026-08-11)`, `2026-08-12`, or `none`.
  std::string text() const;
};
/// The dates of the prices `book` itself holds (not its fallback's).
AsOfRange as_of_range(const PriceBook& book);

// ---------------------------------------------------------------- Free Tier

/// One allowance: `quantity` units a month, free, of any of `prices` (pooled across them and
/// across every line of the account), in the price's unit.
struct FreeTierOffer {
  std::string id;
  std::string program;  ///< `always_free` or `legacy_12_month`
  std::vector<std::string> prices;
  double quantity = 0;
  std::string unit;
  std::string description;
  std::string source, as_of, note;
  model::SourceLoc loc;
};

/// A plan a scenario can choose (`pricing.free_tier`): which programs' offers it includes,
/// which accounts it is for, and the credits it grants.
struct FreeTierPlan {
  std::string id;  ///< none, always_free, legacy_12_month, credits
  std::vector<std::string> programs;
  std::string accounts_created_before;  ///< ISO date; empty: any
  std::string accounts_created_from;    ///< ISO date; empty: any
  int offers_months = 0;                ///< 12-month offers end this many months after account creation
  double credits_usd = 0;
  int plan_months = 0;                  ///< the Free plan ends after this many months (or when credits run out)
  int credits_expire_months = 0;
  std::string source, as_of, note;
};

struct FreeTierCatalogue {
  std::map<std::string, Source> sources;
  std::map<std::string, FreeTierPlan> plans;
  std::vector<FreeTierOffer> offers;

  const FreeTierPlan* plan(std::string_view id) const;
};

std::optional<FreeTierCatalogue> parse_free_tier(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics);
const FreeTierCatalogue& builtin_free_tier();

/// `pricing.free_tier` as the catalogue names it.
std::string_view plan_id(model::FreeTierPlan plan);

}  // namespace archsim::pricing
