// Checks a design document's pricing claims against the price book and the Free Tier catalogue.
#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "archsim/pricing/bill.hpp"

namespace archsim::pricing {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// `GB-hours` and `GB-hour` are the same unit.
bool same_unit(std::string_view a, std::string_view b) {
  std::string x = lower(a), y = lower(b);
  if (!x.empty() && x.back() == 's') x.pop_back();
  if (!y.empty() && y.back() == 's') y.pop_back();
  return x == y;
}

std::string number(double v) { return fmt::format("{}", v); }

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

void check_free_quantity(const model::PricingClaimSpec& claim, const PriceBook* book, const FreeTierCatalogue& catalogue,
                         const PlanContext& plan, ClaimCheck& out) {
  const double claimed = *claim.free_quantity;
  std::vector<const FreeTierOffer*> offers;
  for (const auto& o : catalogue.offers) {
    if (std::any_of(claim.prices.begin(), claim.prices.end(), [&](const auto& p) { return has(o.prices, p); })) offers.push_back(&o);
  }
  const auto same_size_elsewhere = [&] {
    for (const auto& o : catalogue.offers) {
      if (std::find(offers.begin(), offers.end(), &o) == offers.end() && same_unit(o.unit, claim.unit) &&
          std::abs(o.quantity - claimed) < 1e-9) {
        out.findings.push_back(fmt::format("an allowance of {} {} does exist, for something else: {} ({})", number(o.quantity),
                                           o.unit, o.description, o.program));
      }
    }
  };
  if (offers.empty()) {
    for (const auto& key : claim.prices) {
      const Price* price = book ? book->find(key) : nullptr;
      if (price && price->first_price() == Usd{}) {
        out.verdict = std::max(out.verdict, ClaimVerdict::Partly);
        out.findings.push_back(fmt::format("not a Free Tier allowance: {} cost nothing at any quantity ({} USD per {}); "
                                           "the figure is not an allowance",
                                           price->description, format_price(price->first_price()), price->unit));
      } else if (price) {
        out.verdict = ClaimVerdict::Wrong;
        out.findings.push_back(fmt::format("AWS has no Free Tier offer for {}: it costs {} USD per {} in {}{}", price->description,
                                           format_price(price->first_price()), price->unit, book->region,
                                           price->note.empty() ? "" : " (" + price->note + ")"));
      } else {
        out.verdict = ClaimVerdict::Wrong;
        out.findings.push_back(fmt::format("AWS has no Free Tier offer for '{}' in archsim's catalogue", key));
      }
    }
    same_size_elsewhere();
    return;
  }
  bool matched = false;
  for (const FreeTierOffer* o : offers) {
    const bool unit_ok = same_unit(o->unit, claim.unit);
    const bool size_ok = unit_ok && std::abs(o->quantity - claimed) < 1e-9;
    const bool in_plan = has(plan.programs, o->program);
    std::string text = fmt::format("AWS's offer: {} {} a month, {} ({}; {})", number(o->quantity), o->unit, o->description,
                                   o->program, o->source);
    if (!o->note.empty()) text += "; " + o->note;
    out.findings.push_back(text);
    if (!size_ok) {
      out.findings.push_back(fmt::format("the document claims {} {}, AWS offers {} {}", number(claimed), claim.unit,
                                         number(o->quantity), o->unit));
      continue;
    }
    matched = true;
    if (!in_plan) {
      out.verdict = std::max(out.verdict, ClaimVerdict::Partly);
      out.findings.push_back(fmt::format("the offer is in the {} program, which this scenario's plan ({}) does not include",
                                         o->program, plan.plan));
    }
  }
  if (!matched) {
    out.verdict = ClaimVerdict::Wrong;
    same_size_elsewhere();
  }
}

void check_monthly(const model::PricingClaimSpec& claim, const PriceBook* book, ClaimCheck& out) {
  Usd computed;
  std::string parts;
  for (const auto& key : claim.prices) {
    const Price* price = book ? book->find(key) : nullptr;
    if (price == nullptr || !same_unit(price->unit, "hour")) {
      out.verdict = std::max(out.verdict, ClaimVerdict::Partly);
      out.findings.push_back(fmt::format("cannot check a monthly figure for '{}': {}", key,
                                         price ? "it is not priced by the hour" : "the price book has no such price"));
      continue;
    }
    const Usd month = multiply(kHoursPerMonth, price->first_price());
    computed += month;
    parts += fmt::format("{}{} ({} USD/hour x {} h = {})", parts.empty() ? "" : " + ", price->description,
                         format_price(price->first_price()), kHoursPerMonth, format_cents(month));
  }
  if (parts.empty()) return;
  const Usd claimed = Usd::dollars(*claim.monthly_usd);
  const double off = std::abs(claimed.to_double() - computed.to_double());
  const bool holds = off <= 0.01 * std::max(computed.to_double(), 0.01);
  if (!holds) out.verdict = ClaimVerdict::Wrong;
  out.findings.push_back(fmt::format("the document says {} USD a month; the {} price book gives {} USD: {}", format_cents(claimed),
                                     book->region, format_cents(computed), parts));
}

}  // namespace

std::string_view to_string(ClaimVerdict verdict) {
  switch (verdict) {
    case ClaimVerdict::Holds: return "holds";
    case ClaimVerdict::Partly: return "partly";
    case ClaimVerdict::Wrong: return "wrong";
  }
  return "holds";
}

std::vector<ClaimCheck> check_claims(const model::ScenarioSpec& scenario, const PriceBook* book,
                                     const FreeTierCatalogue& catalogue, const PlanContext& plan,
                                     const std::vector<Charge>* chosen_design_charges) {
  std::vector<ClaimCheck> out;
  for (const auto& claim : scenario.pricing.claims) {
    ClaimCheck check{claim.path, claim.quote, ClaimVerdict::Holds, {}};
    if (claim.free_quantity) check_free_quantity(claim, book, catalogue, plan, check);
    if (claim.free_quantity && chosen_design_charges) {
      const bool used = std::any_of(chosen_design_charges->begin(), chosen_design_charges->end(),
                                    [&](const Charge& c) { return has(claim.prices, c.price_key); });
      if (!used) {
        std::string keys;
        for (const auto& k : claim.prices) keys += (keys.empty() ? "" : ", ") + k;
        // True of AWS, but not of this design: the document counts on a saving it will not get.
        check.verdict = std::max(check.verdict, ClaimVerdict::Partly);
        check.findings.push_back("the chosen design is not charged for " + keys + ", so this allowance saves it nothing");
      }
    }
    if (claim.monthly_usd) check_monthly(claim, book, check);
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace archsim::pricing
