// Bills, Free Tier plans and budgets: prices applied to charges, in line order.
#include "archsim/pricing/bill.hpp"

#include <algorithm>
#include <numeric>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/capacity_providers.hpp"
#include "archsim/model/input_file.hpp"

namespace archsim::pricing {

namespace {

/// The charges as if every task ran on FARGATE: what the bill shows as on-demand.
std::vector<Charge> all_on_demand(std::vector<Charge> charges) {
  for (Charge& c : charges) {
    if (c.price_key.starts_with("fargate_spot.")) c.price_key = "fargate." + c.price_key.substr(std::string_view("fargate_spot.").size());
  }
  return charges;
}

/// Whether any charge is task time on Fargate Spot (the cost model keys it `fargate_spot.*`).
bool bills_spot(const std::vector<Charge>& charges) {
  return std::any_of(charges.begin(), charges.end(), [](const Charge& c) { return c.price_key.starts_with("fargate_spot."); });
}

struct YearMonth {
  int year = 0, month = 0;
  int index() const { return year * 12 + (month - 1); }
};

/// `2025-03-01` or `2025-03` → year and month; empty when malformed.
std::optional<YearMonth> parse_year_month(std::string_view text) {
  if (text.size() < 7 || text[4] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  YearMonth ym{std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(text.substr(5, 2)))};
  if (ym.month < 1 || ym.month > 12) return std::nullopt;
  if (text.size() != 7 && (text.size() != 10 || text[7] != '-')) return std::nullopt;
  return ym;
}

std::string add_months(const YearMonth& ym, int months) {
  const int i = ym.index() + months;
  return fmt::format("{:04}-{:02}", i / 12, i % 12 + 1);
}

std::string source_text(const Price& price) {
  // An imported price names the Price List product and rate it came from, so a line can be
  // traced to one row of AWS's offer file.
  std::string provenance = fmt::format("{}, {}", price.source, price.as_of);
  if (!price.sku.empty()) provenance += ", SKU " + price.sku;
  if (!price.tiers.empty() && !price.tiers.front().rate_code.empty()) provenance += ", rate code " + price.tiers.front().rate_code;
  return fmt::format("{} ({})", price.source_url, provenance);
}

}  // namespace

std::vector<std::pair<std::string, Usd>> Bill::by_service() const {
  std::map<std::string, Usd> sums;
  for (const auto& l : lines) {
    if (!l.missing_price) sums[l.service] += l.cost;
  }
  std::vector<std::pair<std::string, Usd>> out(sums.begin(), sums.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

PlanContext resolve_plan(const model::PricingOptionsSpec& options, const FreeTierCatalogue& catalogue) {
  PlanContext ctx;
  ctx.plan = std::string(plan_id(options.free_tier));
  const FreeTierPlan* plan = catalogue.plan(ctx.plan);
  if (plan == nullptr) return ctx;
  ctx.programs = plan->programs;
  const auto created = parse_year_month(options.account_created);
  const auto billing = parse_year_month(options.billing_month);
  const auto drop_to_always_free = [&] { ctx.programs = {"always_free"}; };

  if (!plan->accounts_created_before.empty()) {
    if (options.account_created.empty()) {
      ctx.notes.push_back(fmt::format("{}: assumes an account created before {} (set pricing.account_created)", ctx.plan,
                                      plan->accounts_created_before));
    } else if (options.account_created >= plan->accounts_created_before) {
      ctx.notes.push_back(fmt::format("{}: an account created on {} is not eligible (only accounts created before {}); it gets "
                                      "the credits plan, so only always-free offers are applied",
                                      ctx.plan, options.account_created, plan->accounts_created_before));
      drop_to_always_free();
    }
  }
  if (!plan->accounts_created_from.empty() && !options.account_created.empty() &&
      options.account_created < plan->accounts_created_from) {
    ctx.notes.push_back(fmt::format("{}: an account created on {} is in the legacy program (credits are for accounts created "
                                    "from {}); no credits are applied",
                                    ctx.plan, options.account_created, plan->accounts_created_from));
    return ctx;
  }
  if (plan->offers_months > 0 && ctx.programs.size() > 1) {
    if (created && billing) {
      const int age = billing->index() - created->index();
      if (age >= plan->offers_months || age < 0) {
        ctx.notes.push_back(fmt::format("{}: the 12-month offers ran from {} to {}; billing month {} is outside them, so only "
                                        "always-free offers are applied",
                                        ctx.plan, add_months(*created, 0), add_months(*created, plan->offers_months),
                                        options.billing_month));
        drop_to_always_free();
      }
    } else if (created) {
      ctx.notes.push_back(fmt::format("{}: the 12-month offers are applied as if the billing month were within {} to {} "
                                      "(set pricing.billing_month to price a later month)",
                                      ctx.plan, add_months(*created, 0), add_months(*created, plan->offers_months)));
    }
  }
  if (plan->credits_usd > 0) {
    double credits = options.credits_usd.value_or(plan->credits_usd);
    if (created && billing) {
      const int age = billing->index() - created->index();
      if (age >= plan->plan_months || age >= plan->credits_expire_months) {
        ctx.notes.push_back(fmt::format("{}: billing month {} is past the Free plan's {} months; no credits are applied", ctx.plan,
                                        options.billing_month, plan->plan_months));
        credits = 0;
      }
    }
    ctx.credits = Usd::dollars(credits);
    if (credits > 0) {
      ctx.notes.push_back(fmt::format("{}: {} USD of credits applied to this month's bill; {}", ctx.plan, format_cents(ctx.credits),
                                      plan->note));
    }
  }
  return ctx;
}

Bill make_bill(const std::vector<Charge>& charges, const PriceBook* book, const FreeTierCatalogue& catalogue,
               const PlanContext& plan, int until_hour, const RegionBooks& other_regions) {
  Bill bill;
  bill.plan = plan.plan;
  bill.notes = plan.notes;
  std::vector<double> remaining;  // per catalogue offer; 0 for offers the plan does not include
  for (const auto& offer : catalogue.offers) {
    const bool included = std::find(plan.programs.begin(), plan.programs.end(), offer.program) != plan.programs.end();
    remaining.push_back(included ? offer.quantity : 0.0);
  }
  std::map<std::string, double> tier_used;  // tiers count cumulatively over the account's month
  const int until = std::clamp(until_hour, 0, kHoursPerMonth);
  for (const Charge& c : charges) {
    BillLine line;
    line.component = c.component;
    line.price_key = c.price_key;
    line.detail = c.detail;
    if (!c.assumption.empty() && std::find(bill.assumptions.begin(), bill.assumptions.end(), c.assumption) == bill.assumptions.end()) {
      bill.assumptions.push_back(c.assumption);
    }
    if (c.upfront) {
      for (double v : c.hourly) line.quantity += until > 0 ? v : 0.0;
    } else {
      for (int h = 0; h < until && h < static_cast<int>(c.hourly.size()); ++h) line.quantity += c.hourly[static_cast<std::size_t>(h)];
    }
    // A charge of another Region is priced from that Region's book, its tiers counted there.
    const PriceBook* from = c.region.empty() ? book : (other_regions ? other_regions(c.region) : nullptr);
    const std::string tier_key = c.region.empty() ? c.price_key : c.region + " " + c.price_key;
    const Price* price = from ? from->find(c.price_key) : nullptr;
    if (price == nullptr) {
      line.missing_price = true;
      line.service = c.price_key.substr(0, c.price_key.find('.'));
      line.description = "no price for '" + c.price_key + "' in " +
                         (from ? from->file : c.region.empty() ? std::string("any price book") : "a price book for " + c.region);
      if (from) {
        if (const auto why = from->missing.find(c.price_key); why != from->missing.end()) line.description += ": " + why->second;
      }
      bill.missing_prices.push_back(c.price_key);
      bill.lines.push_back(std::move(line));
      continue;
    }
    line.service = price->service;
    line.description = price->description;
    line.unit = price->unit;
    line.unit_price = price->first_price();
    line.source = source_text(*price);
    line.as_of = price->as_of;
    bill.prices_as_of.include(price->as_of);
    for (std::size_t i = 0; i < catalogue.offers.size(); ++i) {
      const auto& offer = catalogue.offers[i];
      if (!c.free_tier || remaining[i] <= 0 || line.free_quantity >= line.quantity) continue;
      if (std::find(offer.prices.begin(), offer.prices.end(), c.price_key) == offer.prices.end()) continue;
      const double take = std::min(remaining[i], line.quantity - line.free_quantity);
      remaining[i] -= take;
      line.free_quantity += take;
      line.free_offers.push_back(offer.id);
    }
    const double billable = line.quantity - line.free_quantity;
    try {
      line.tiers = split_tiers(price->tiers, tier_used[tier_key], billable);
      line.free_tier_saving = multiply(line.free_quantity, price->first_price());
    } catch (const std::overflow_error& e) {
      throw std::overflow_error(fmt::format("{}: {} of {:.3g} {}: {}", c.component, c.price_key, line.quantity, price->unit, e.what()));
    }
    tier_used[tier_key] += billable;
    line.cost = total_cost(line.tiers);
    for (const auto& t : line.tiers) {
      if (t.priced) continue;
      // The book's source stops at its last tier: never bill the rest at 0 USD silently.
      bill.missing_prices.push_back(c.price_key);
      bill.notes.push_back(fmt::format("{}: {:.6g} {} of {} lie above the last tier {} sources ({:.6g}); they have no price and are not in the total",
                                       c.component, t.quantity, price->unit, c.price_key, from->file, price->tiers.back().up_to));
    }
    bill.total += line.cost;
    bill.free_tier_savings += line.free_tier_saving;
    bill.lines.push_back(std::move(line));
  }
  std::sort(bill.missing_prices.begin(), bill.missing_prices.end());
  bill.missing_prices.erase(std::unique(bill.missing_prices.begin(), bill.missing_prices.end()), bill.missing_prices.end());
  if (until == kHoursPerMonth) {
    bill.credits_applied = std::min(bill.total, plan.credits);
    for (int day = 1; day <= kDaysPerMonth; ++day) {
      const int hour = std::min(day * 24, kHoursPerMonth);
      bill.month_to_date.push_back(hour == kHoursPerMonth ? bill.total : make_bill(charges, book, catalogue, plan, hour, other_regions).total);
    }
  }
  return bill;
}

// ---------------------------------------------------------------- budget

std::string_view to_string(BudgetStatus status) {
  switch (status) {
    case BudgetStatus::Pass: return "pass";
    case BudgetStatus::Alert: return "alert";
    case BudgetStatus::Over: return "over";
    case BudgetStatus::Undecided: return "undecided";
  }
  return "pass";
}

bool BudgetCheck::fails_run() const {
  if (status == BudgetStatus::Over) return true;
  return std::any_of(alerts.begin(), alerts.end(), [](const AlertCheck& a) { return a.fails_run(); });
}

bool BudgetCheck::has_forecasted_alert() const {
  return std::any_of(alerts.begin(), alerts.end(), [](const AlertCheck& a) { return a.alert.kind == model::BudgetAlertKind::Forecasted; });
}

std::string_view to_string(model::BudgetForecast forecast) {
  switch (forecast) {
    case model::BudgetForecast::History: return "history";
    case model::BudgetForecast::None: return "none";
    case model::BudgetForecast::Linear: return "linear";
    case model::BudgetForecast::Auto: break;
  }
  return "auto";
}

ForecastBasis forecast_basis(const model::BudgetSpec& budget, const model::PricingOptionsSpec& pricing) {
  if (budget.forecast != model::BudgetForecast::Auto) return {budget.forecast, fmt::format("budget.forecast: {}", to_string(budget.forecast))};
  const auto created = parse_year_month(pricing.account_created);
  const auto billing = parse_year_month(pricing.billing_month);
  if (!created || !billing) {
    const char* missing = !created && !billing ? "pricing.account_created and pricing.billing_month" : !created ? "pricing.account_created" : "pricing.billing_month";
    return {model::BudgetForecast::History,
            fmt::format("assumes an account that has billed this design in earlier cycles ({} not given; or set budget.forecast)", missing)};
  }
  // The first full billing cycle is the month the account was created in only if it was
  // created on the 1st.
  const bool on_the_first = pricing.account_created.size() == 7 || pricing.account_created.ends_with("-01");
  const int first_full = created->index() + (on_the_first ? 0 : 1);
  if (billing->index() <= first_full) {
    return {model::BudgetForecast::None, fmt::format("an account created on {} has no full billing cycle before {}, so AWS gives no forecast",
                                                     pricing.account_created, pricing.billing_month)};
  }
  return {model::BudgetForecast::History,
          fmt::format("an account created on {} has billed full cycles before {}", pricing.account_created, pricing.billing_month)};
}

BudgetCheck check_budget(const model::BudgetSpec& budget, const Bill& bill, const ForecastBasis& forecast) {
  BudgetCheck check;
  check.forecast = forecast;
  check.limit = Usd::dollars(budget.monthly_limit_usd);
  check.actual = bill.total;
  const auto& mtd = bill.month_to_date;
  for (std::size_t d = 0; d < mtd.size(); ++d) {
    if (mtd[d] > check.limit) {
      check.over_day = static_cast<int>(d) + 1;
      break;
    }
  }
  for (const auto& alert : budget.alerts) {
    AlertCheck a{alert, Usd::dollars(budget.monthly_limit_usd * alert.threshold_percent / 100.0), std::nullopt};
    const bool forecasted = alert.kind == model::BudgetAlertKind::Forecasted;
    if (forecasted && forecast.kind == model::BudgetForecast::None) {
      check.alerts.push_back(a);
      continue;
    }
    for (std::size_t d = 0; d < mtd.size() && !a.day; ++d) {
      Usd value = mtd[d];
      if (forecasted && forecast.kind == model::BudgetForecast::History) {
        // Past cycles of the same design predict this one: the forecast is the month's cost.
        value = check.actual;
      } else if (forecasted) {
        const double hours = std::min<double>(24.0 * static_cast<double>(d + 1), kHoursPerMonth);
        value = multiply(kHoursPerMonth / hours, mtd[d]);
      }
      if (value > a.threshold) a.day = static_cast<int>(d) + 1;
    }
    check.alerts.push_back(a);
  }
  if (check.actual > check.limit) {
    check.status = BudgetStatus::Over;
  } else if (std::any_of(check.alerts.begin(), check.alerts.end(), [](const AlertCheck& a) { return a.day.has_value(); })) {
    check.status = BudgetStatus::Alert;
  } else if (!bill.missing_prices.empty()) {
    // Lines without a price are not in the total: it is a lower bound, which cannot pass.
    check.status = BudgetStatus::Undecided;
    check.undecided_because = fmt::format("prices missing ({})", fmt::join(bill.missing_prices, ", "));
  } else if (!bill.undeclared.empty()) {
    // The total assumes 0 for usage nobody declared: it is a lower bound, which cannot pass.
    check.status = BudgetStatus::Undecided;
    check.undecided_because = "usage not declared";
  }
  return check;
}

// ---------------------------------------------------------------- one scenario

const PriceBook* PricingContext::book_for(std::string_view region) const {
  if (scenario_book) return scenario_book->region == region ? &*scenario_book : nullptr;
  if (const auto it = folder_books.find(region); it != folder_books.end()) return &it->second;
  return builtin_price_book(region);
}

namespace {

/// `--price-book DIR`: each Region's `<region>.yaml` there, when it has one; a book whose
/// `region` is another Region is refused rather than used for the wrong prices.
void read_folder_books(const model::ScenarioSpec& scenario, const std::string& dir, PricingContext& ctx, model::Diagnostics& diagnostics) {
  // A folder that is not there would bill every Region from the shipped books in silence.
  std::error_code folder_ec;
  if (!std::filesystem::is_directory(dir, folder_ec)) {
    diagnostics.error(model::SourceLoc{dir, 0, 0}, "--price-book",
                      "no such folder; expected a folder of <region>.yaml price books (archsim prices import -o DIR)");
    return;
  }
  std::set<std::string> regions{scenario.region};
  for (const auto& alt : scenario.alternatives) {
    regions.insert(alt.topology.region);
    // A global table's replicated writes are priced in its replicas' Regions.
    for (const auto& table : alt.topology.dynamodb_tables) regions.insert(table.replicas.begin(), table.replicas.end());
  }
  std::vector<std::string> absent;
  for (const auto& region : regions) {
    const auto file = std::filesystem::path(dir) / (region + ".yaml");
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      absent.push_back(region);
      continue;
    }
    auto book = read_price_book(file.string(), diagnostics);
    if (!book) continue;
    if (book->region != region) {
      diagnostics.error(model::SourceLoc{file.string(), 0, 0}, "region", fmt::format("the book of {} is named {}", book->region, file.filename().string()));
      continue;
    }
    book->fallback = &builtin_global_price_book();
    ctx.folder_books.emplace(region, std::move(*book));
  }
  // A folder with none of the Regions' books would bill them all from the shipped ones in
  // silence (a misnamed `useast1.yaml`, an empty folder); one with some says which it lacks.
  if (absent.empty()) return;
  const std::string which = fmt::format("{}", fmt::join(absent, ", "));
  if (absent.size() == regions.size()) {
    diagnostics.error(model::SourceLoc{dir, 0, 0}, "--price-book",
                      fmt::format("holds no book of {}: expected <region>.yaml files (archsim prices import -o DIR writes them)", which));
  } else {
    diagnostics.warning(model::SourceLoc{dir, 0, 0}, "--price-book", fmt::format("holds no book of {}; billed from archsim's shipped books", which));
  }
}

/// A claim's price key that no book and no Free Tier offer knows is a typo (`elb.alb_hr`): its
/// verdict would be "partly" for a price that does not exist. A key only some Regions price (a
/// gap of one book) is known, and the claim says that book lacks it.
void check_claim_keys(const model::ScenarioSpec& scenario, const PricingContext& ctx, model::Diagnostics& diagnostics) {
  if (scenario.pricing.claims.empty()) return;
  std::set<std::string> known;
  const auto add = [&](const PriceBook& book) {
    for (const auto& [key, _] : book.prices) known.insert(key);
  };
  add(builtin_global_price_book());
  for (const auto& region : builtin_regions()) add(*builtin_price_book(region));
  if (ctx.scenario_book) add(*ctx.scenario_book);
  for (const auto& [_, book] : ctx.folder_books) add(book);
  for (const auto& offer : ctx.catalogue->offers) known.insert(offer.prices.begin(), offer.prices.end());
  const std::vector<std::string> candidates(known.begin(), known.end());
  for (const auto& claim : scenario.pricing.claims) {
    for (std::size_t i = 0; i < claim.prices.size(); ++i) {
      if (known.contains(claim.prices[i])) continue;
      const std::string path = fmt::format("{}.prices[{}]", claim.path, i);
      diagnostics.error(scenario.sources.locate(path), path,
                        fmt::format("unknown price key '{}'{}: no price book or Free Tier offer has it", claim.prices[i],
                                    model::did_you_mean(claim.prices[i], candidates)));
    }
  }
}

/// Every Region the scenario bills in has a book, or the run stops here, at the Region's key,
/// saying where one comes from.
void check_books(const model::ScenarioSpec& scenario, const PricingContext& ctx, model::Diagnostics& diagnostics) {
  if (ctx.scenario_book) return;  // its Region is checked where the bill says so
  std::set<std::string> have;
  for (const auto& r : builtin_regions()) have.insert(r);
  for (const auto& [r, _] : ctx.folder_books) have.insert(r);
  std::set<std::string> reported;
  for (const auto& alt : scenario.alternatives) {
    const std::string& region = alt.topology.region;
    if (ctx.book_for(region) != nullptr || !reported.insert(region).second) continue;
    const std::string path = alt.topology.path + ".region";
    const bool scenarios = region == scenario.region;
    diagnostics.error(scenario.sources.locate(scenarios ? "region" : path), scenarios ? "region" : path,
                      fmt::format("archsim has no price book for {} (it has {}); write one from AWS's Price List with `archsim prices import "
                                  "FILE... -o DIR` and give it with --price-book DIR or pricing.price_book (docs/pricing.md, \"Refreshing prices\")",
                                  region, fmt::join(have, ", ")));
  }
}

/// Days from ISO date `from` to `to` (both checked by the book's loader).
long days_between(const std::string& from, const std::string& to) {
  const auto day = [](const std::string& iso) {
    using namespace std::chrono;
    return sys_days{year{std::stoi(iso.substr(0, 4))} / month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))} /
                    static_cast<unsigned>(std::stoi(iso.substr(8, 2)))};
  };
  return (day(to) - day(from)).count();
}

}  // namespace

/// A purchase option the alternative's book cannot price is refused where it is written, naming
/// the books that can: a bill of missing Spot lines or of on-demand lines under a plan's name
/// would answer a question nobody asked.
void check_purchase_books(const model::ScenarioSpec& scenario, const PricingContext& ctx, model::Diagnostics& diagnostics) {
  std::vector<const PriceBook*> books;
  if (ctx.scenario_book) {
    books.push_back(&*ctx.scenario_book);
  } else {
    std::set<std::string> regions;
    for (const auto& r : builtin_regions()) regions.insert(r);
    for (const auto& [r, _] : ctx.folder_books) regions.insert(r);
    for (const auto& r : regions) books.push_back(ctx.book_for(r));
  }
  const auto regions_with = [&](const auto& has) {
    std::vector<std::string> out;
    for (const PriceBook* b : books) {
      if (b != nullptr && has(*b)) out.push_back(b->region);
    }
    return out.empty() ? std::string("none") : fmt::format("{}", fmt::join(out, ", "));
  };
  // Spot prices vCPU and memory per architecture: a book has them for an architecture when it
  // has both (ARM64 runs on Fargate Spot too, on platform version 1.4.0 or later).
  const auto has_spot_for = [](model::CpuArchitecture arch) {
    return [arch](const PriceBook& b) {
      const std::string suffix(model::architecture_keyword(arch));
      return b.prices.contains("fargate_spot.vcpu_hour." + suffix) && b.prices.contains("fargate_spot.gb_hour." + suffix);
    };
  };
  std::set<std::string> reported;
  const auto refuse = [&](const std::string& path, const PriceBook& book, const std::string& what, const std::string& have) {
    if (!reported.insert(path + " " + book.region).second) return;
    diagnostics.error(scenario.sources.locate(path), path,
                      fmt::format("price book {} has no {} for {} (books with them: {}); bill this alternative on demand, or give "
                                  "a book with them (pricing.price_book or --price-book DIR; docs/pricing.md, \"Purchase options\")",
                                  book.file, what, book.region, have));
  };
  for (const auto& alt : scenario.alternatives) {
    const PriceBook* book = ctx.book_for(alt.topology.region);
    if (book == nullptr) continue;  // check_books has said so
    const model::PurchaseOptionsSpec& options = alt.pricing ? *alt.pricing : scenario.pricing.purchase;
    // Each service whose tasks can land on Spot: by its own strategy, or by the alternative's
    // `pricing.fargate` when it has none (the path the error points at says which).
    for (const auto& s : alt.topology.ecs_services) {
      if (!model::places_on_spot(s, alt.topology.fargate_spot) || has_spot_for(s.architecture)(*book)) continue;
      // The x86_64 wording stays as it was: that is the case of almost every design.
      const std::string what = s.architecture == model::CpuArchitecture::X86_64
                                   ? std::string("Fargate Spot prices (fargate_spot.*)")
                                   : fmt::format("Fargate Spot prices for {} tasks (fargate_spot.*.{})", model::architecture_keyword(s.architecture),
                                                 model::architecture_keyword(s.architecture));
      refuse(s.capacity_provider_strategy.empty() ? options.path + ".fargate" : s.capacity_provider_strategy_path, *book, what,
             regions_with(has_spot_for(s.architecture)));
    }
    if (const auto& plan = options.savings_plan; plan && book->savings_plan_rates(plan->type, plan->term, plan->payment).empty()) {
      const auto has_plan = [&](const PriceBook& b) { return !b.savings_plan_rates(plan->type, plan->term, plan->payment).empty(); };
      refuse(options.path + ".savings_plan", *book,
             fmt::format("{} Savings Plan rates for {}, {}", plan->type, plan->term, plan->payment), regions_with(has_plan));
    }
  }
}

std::string pricing_today() {
  // SOURCE_DATE_EPOCH pins "today" for reproducible builds and tests, as it does for compilers.
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && seconds >= 0) now = static_cast<std::time_t>(seconds);
  }
  std::tm utc{};
  gmtime_r(&now, &utc);
  return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

std::vector<std::string> book_age_warnings(const PricingContext& context, const model::ScenarioSpec& scenario, const std::string& today) {
  std::vector<std::string> out;
  if (!context.max_book_age_days) return out;
  std::set<std::string> seen;
  for (const auto& alt : scenario.alternatives) {
    const PriceBook* book = context.book_for(alt.topology.region);
    if (book == nullptr) continue;
    AsOfRange range = as_of_range(*book);
    // A Savings Plan rate the alternative is billed at dates its lines as much as a price does.
    if (const auto& plan = context.purchase_for(alt.topology).savings_plan) {
      for (const SavingsPlanRate* rate : book->savings_plan_rates(plan->type, plan->term, plan->payment)) range.include(rate->as_of);
    }
    if (range.oldest.empty() || !seen.insert(book->file + range.oldest).second) continue;
    const long age = days_between(range.oldest, today);
    if (age <= *context.max_book_age_days) continue;
    out.push_back(fmt::format("price book {} ({}): its oldest price is from {}, {} days before {}, beyond pricing.max_book_age {}d; "
                              "refresh it (docs/pricing.md, \"Refreshing prices\")",
                              book->file, book->region, range.oldest, age, today, *context.max_book_age_days));
  }
  return out;
}

std::optional<PricingContext> prepare_pricing(const model::ScenarioSpec& scenario, model::Diagnostics& diagnostics,
                                              const std::string& price_book_dir) {
  PricingContext ctx;
  ctx.catalogue = &builtin_free_tier();
  const auto errors_before = diagnostics.error_count();
  // account_created and billing_month were checked where the scenario was loaded.
  if (!scenario.pricing.price_book.empty()) {
    // The scenario's own book is a file it names: confined to its folder like a topology. The
    // books shipped with archsim are built in and never read from disk.
    std::string refused;
    if (const auto path = model::resolve_scenario_path(model::ScenarioFiles{scenario.base_dir, scenario.allow_outside_paths},
                                                       scenario.pricing.price_book, refused)) {
      ctx.scenario_book = read_price_book(path->string(), diagnostics);
      if (ctx.scenario_book) ctx.scenario_book->fallback = &builtin_global_price_book();
    } else {
      diagnostics.error(scenario.sources.locate("pricing.price_book"), "pricing.price_book", fmt::format("price book {}", refused));
    }
  }
  if (!price_book_dir.empty()) read_folder_books(scenario, price_book_dir, ctx, diagnostics);
  check_claim_keys(scenario, ctx, diagnostics);
  if (diagnostics.error_count() == errors_before) check_books(scenario, ctx, diagnostics);
  if (diagnostics.error_count() == errors_before) check_purchase_books(scenario, ctx, diagnostics);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  ctx.plan = resolve_plan(scenario.pricing, *ctx.catalogue);
  set_purchase_options(ctx, scenario);
  ctx.max_book_age_days = scenario.pricing.max_book_age_days;
  return ctx;
}

void set_purchase_options(PricingContext& context, const model::ScenarioSpec& scenario) {
  context.purchase = scenario.pricing.purchase;
  for (const auto& alt : scenario.alternatives) context.purchase_by_topology[alt.topology.path] = alt.pricing.value_or(scenario.pricing.purchase);
}

PurchasedPricing apply_purchase_options(const model::PurchaseOptionsSpec& options, const std::vector<Charge>& charges, const PriceBook& book) {
  PurchasedPricing out{charges, book, {}, {}, {}};
  std::vector<std::string> parts;
  // The cost model charges the task time that ran on Fargate Spot at its prices already
  // (`pricing.fargate: spot`, or a service's capacity provider strategy).
  const bool any_on_demand = std::any_of(charges.begin(), charges.end(), [](const Charge& c) {
    return c.price_key.starts_with("fargate.vcpu_hour.") || c.price_key.starts_with("fargate.gb_hour.");
  });
  if (bills_spot(charges)) {
    parts.push_back(any_on_demand ? "Fargate Spot for part of the task time" : "Fargate Spot");
    out.notes.push_back("Fargate Spot: ECS task vCPU and memory at the book's fargate_spot prices (AWS sets them from spare capacity; "
                        "they move, so the book's date matters); tasks can be stopped with two minutes' notice");
  }
  if (options.savings_plan) {
    const auto& plan = *options.savings_plan;
    parts.push_back(fmt::format("{} Savings Plan, {}, {}", plan.type == "compute" ? "Compute" : plan.type, plan.term, plan.payment));
    const auto rates = book.savings_plan_rates(plan.type, plan.term, plan.payment);
    if (rates.empty()) {
      // Never the on-demand price passed off as the plan's: the plan is reported as unpriced.
      out.missing.push_back(fmt::format("savings_plan.{}.{}.{}", plan.type, plan.term, plan.payment));
      out.notes.push_back(fmt::format("{} has no {} Savings Plan rates for {}, {}: its lines are at on-demand prices", book.file, plan.type,
                                      plan.term, plan.payment));
    }
    for (const SavingsPlanRate* rate : rates) {
      for (const auto& key : rate->prices) {
        const auto it = out.book.prices.find(key);
        if (it == out.book.prices.end()) continue;
        Price& price = it->second;
        for (Tier& t : price.tiers) {
          // Rounded half up to the book's tenth decimal, once per rate.
          t.price = Usd::from_units((t.price.units * (100 - rate->discount_percent) + 50) / 100);
          t.rate_code.clear();
        }
        price.description += fmt::format(", at the Savings Plan rate ({} % off on-demand)", rate->discount_percent);
        price.source = rate->source;
        price.source_url = rate->source_url;
        price.as_of = rate->as_of;
        price.sku.clear();
      }
    }
    if (!rates.empty()) {
      out.notes.push_back(fmt::format("{} Savings Plan, {}, {}: the hourly commitment is taken to cover every hour's eligible usage "
                                      "(none of it unused, none above it at on-demand prices){}",
                                      plan.type == "compute" ? "Compute" : plan.type, plan.term, plan.payment,
                                      plan.payment == "no_upfront" ? "" : "; the upfront payment is spread over the term"));
    }
  }
  for (const auto& p : parts) out.description += (out.description.empty() ? "" : "; ") + p;
  return out;
}

namespace {

/// The usage with every autoscaled ECS service's task time at its running count in each hour
/// (its deployments' extra kept, so that only scaling differs), the one-minute top-ups gone;
/// nullopt when no service scales or that is what was measured.
std::optional<Usage> always_on_usage(const model::TopologySpec& topology, const Usage& usage) {
  Usage steady = usage;
  bool changed = false;
  for (const auto& svc : topology.ecs_services) {
    if (!svc.autoscaling) continue;
    // Always on is the count it serves with: its desired count, or for a service that starts
    // at zero and is brought up by schedule, the count the schedule brings it up to.
    int running = svc.desired_count;
    for (const auto& action : svc.autoscaling->scheduled) running = std::max(running, action.min_capacity.value_or(0));
    const MeterSeries* deployed = usage.find(svc.id, "deployment_task_seconds");
    // Running tasks split between the providers as the strategy places that many.
    const auto strategy = model::effective_strategy(svc, topology.fargate_spot);
    const double spot_share = running > 0 ? static_cast<double>(model::spot_tasks(strategy, running)) / running : 0.0;
    for (auto& m : steady.meters) {
      const bool spot = m.meter == "spot_task_seconds";
      if (m.component != svc.id || (m.meter != "task_seconds" && m.meter != "minimum_top_up_seconds" && !spot)) continue;
      for (std::size_t h = 0; h < m.hourly.size(); ++h) {
        // The last slot may cover part of an hour.
        const double extra = deployed != nullptr && h < deployed->hourly.size() ? deployed->hourly[h] : 0.0;
        double full = m.meter != "minimum_top_up_seconds" ? running * 3600.0 * std::min(1.0, usage.hours - static_cast<double>(h)) + extra : 0.0;
        if (spot) full *= spot_share;
        changed = changed || std::abs(m.hourly[h] - full) > 1e-6;
        m.hourly[h] = full;
      }
    }
  }
  if (!changed) return std::nullopt;
  return steady;
}

/// The usage without the task time deployments added; nullopt when no deployment ran.
std::optional<Usage> without_deployments(const model::TopologySpec& topology, const Usage& usage) {
  Usage without = usage;
  bool deployed = false;
  for (const auto& svc : topology.ecs_services) {
    const MeterSeries* extra = usage.find(svc.id, "deployment_task_seconds");
    if (extra == nullptr) continue;
    const MeterSeries* tasks = usage.find(svc.id, "task_seconds");
    const MeterSeries* top_up = usage.find(svc.id, "minimum_top_up_seconds");
    for (auto& m : without.meters) {
      if (m.component != svc.id || (m.meter != "task_seconds" && m.meter != "spot_task_seconds")) continue;
      for (std::size_t h = 0; h < m.hourly.size() && h < extra->hourly.size(); ++h) {
        deployed = deployed || extra->hourly[h] > 0;
        double removed = extra->hourly[h];
        if (m.meter == "spot_task_seconds") {
          // The deployment's extra tasks ran on Spot in the hour's proportion.
          const double all = (tasks != nullptr && h < tasks->hourly.size() ? tasks->hourly[h] : 0.0) +
                             (top_up != nullptr && h < top_up->hourly.size() ? top_up->hourly[h] : 0.0);
          removed = all > 0 ? removed * m.hourly[h] / all : 0.0;
        }
        m.hourly[h] = std::max(0.0, m.hourly[h] - removed);
      }
    }
  }
  if (!deployed) return std::nullopt;
  return without;
}

}  // namespace

const model::PurchaseOptionsSpec& PricingContext::purchase_for(const model::TopologySpec& topology) const {
  const auto it = purchase_by_topology.find(topology.path);
  return it == purchase_by_topology.end() ? purchase : it->second;
}

Bill bill_for(const PricingContext& context, const model::TopologySpec& topology, const Usage& usage) {
  const PriceBook* book = context.book_for(topology.region);
  const RegionBooks other_regions = [&context](std::string_view region) { return context.book_for(region); };
  const model::PurchaseOptionsSpec& options = context.purchase_for(topology);
  const std::vector<Charge> month = charges(topology, usage);
  // Bought otherwise than on demand when some task time is on Spot or a plan applies: an
  // alternative whose services all run on FARGATE (or that has none) under `fargate: spot` is
  // billed plainly, with no "bought as" that changes nothing.
  const bool purchased = (options.savings_plan.has_value() || bills_spot(month)) && book != nullptr;
  // Every figure of the bill (always on, deployments) is priced the way the design buys its
  // capacity; on-demand is priced beside it.
  const auto price = [&](const std::vector<Charge>& as_bought) {
    if (!purchased) return make_bill(as_bought, book, *context.catalogue, context.plan, kHoursPerMonth, other_regions);
    const PurchasedPricing p = apply_purchase_options(options, as_bought, *book);
    Bill b = make_bill(p.charges, &p.book, *context.catalogue, context.plan, kHoursPerMonth, other_regions);
    b.purchase = p.description;
    b.notes.insert(b.notes.end(), p.notes.begin(), p.notes.end());
    b.missing_prices.insert(b.missing_prices.end(), p.missing.begin(), p.missing.end());
    std::sort(b.missing_prices.begin(), b.missing_prices.end());
    b.missing_prices.erase(std::unique(b.missing_prices.begin(), b.missing_prices.end()), b.missing_prices.end());
    return b;
  };
  Bill bill = price(month);
  if (purchased) {
    const Bill on_demand = make_bill(all_on_demand(month), book, *context.catalogue, context.plan, kHoursPerMonth, other_regions);
    bill.on_demand = on_demand.total;
    // One line per charge in both bills, in the same order.
    for (std::size_t i = 0; i < bill.lines.size() && i < on_demand.lines.size(); ++i) {
      BillLine& line = bill.lines[i];
      const BillLine& od = on_demand.lines[i];
      if (line.price_key != od.price_key || line.cost != od.cost || line.missing_price != od.missing_price) line.on_demand_cost = od.cost;
    }
  }
  if (const auto steady = always_on_usage(topology, usage)) {
    bill.always_on = price(charges(topology, *steady)).total;
  }
  if (const auto without = without_deployments(topology, usage)) {
    bill.deployments = bill.total - price(charges(topology, *without)).total;
  }
  bill.region = topology.region;
  bill.derived = usage.derived;
  bill.undeclared = usage.undeclared;
  // A function that served requests for no time (declared requests on one no route reaches,
  // with no `gb_seconds`): its compute is unknown, not 0, so the total is a lower bound.
  const auto monthly = [&](const std::string& id, sim::Meter m) {
    const auto hourly = usage.month(id, m);
    return std::accumulate(hourly.begin(), hourly.end(), 0.0);
  };
  for (const auto& f : topology.lambdas) {
    const double requests = monthly(f.id, sim::Meter::Requests);
    if (requests <= 0 || monthly(f.id, sim::Meter::GbSeconds) > 0) continue;
    const std::string meter(sim::meter_name(sim::Meter::GbSeconds));
    if (std::any_of(bill.undeclared.begin(), bill.undeclared.end(), [&](const UsageOrigin& o) { return o.component == f.id && o.meter == meter; })) {
      continue;
    }
    bill.undeclared.push_back({f.id, meter, 0,
                               fmt::format("not declared, 0 assumed: its {:.0f} requests a month ran for some time; declare gb_seconds", requests)});
  }
  bill.price_book = book ? book->file : "none";
  if (usage.hours > kHoursPerMonth - 1 && usage.hours < kHoursPerMonth + 1) {
    bill.scaling = usage.basis + "; billed as measured";
  } else {
    bill.scaling = fmt::format("{}; repeated hour by hour to fill a {}-hour month (x{:.3f})", usage.basis, kHoursPerMonth,
                               kHoursPerMonth / usage.hours);
  }
  if (book == nullptr) {
    std::string regions;
    for (const auto& r : builtin_regions()) regions += (regions.empty() ? "" : ", ") + r;
    bill.notes.push_back(context.scenario_book
                             ? fmt::format("the scenario's price book is for {}, not {}; every line is missing",
                                           context.scenario_book->region, topology.region)
                             : fmt::format("archsim ships no price book for {} (it has {}); every line is missing", topology.region, regions));
  }
  return bill;
}

}  // namespace archsim::pricing
