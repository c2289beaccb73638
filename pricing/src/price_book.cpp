#include "archsim/pricing/price_book.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/model/decode.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "book_fields.hpp"

namespace archsim::pricing {

namespace embedded_data {
std::string_view embedded(std::string_view name);
}

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

namespace detail {

bool is_iso_time(std::string_view s) {
  if (s.size() < 20 || !is_iso_date(s.substr(0, 10)) || s[10] != 'T') return false;
  const auto two = [&](std::size_t at, int max) {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
    return (s[at] - '0') * 10 + (s[at + 1] - '0') <= max;
  };
  if (!two(11, 23) || s[13] != ':' || !two(14, 59) || s[16] != ':' || !two(17, 59)) return false;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    const std::size_t digits = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == digits) return false;
  }
  if (at < s.size() && s[at] == 'Z') return at + 1 == s.size();
  return at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && two(at + 1, 14) && s[at + 3] == ':' && two(at + 4, 59);
}

void read_date(MapReader& r, std::string_view key, std::string& out, bool required) {
  const YamlNode* n = required ? r.take_required(key) : r.take(key);
  if (n == nullptr) return;
  if (!model::decoding::decode_value(*n, r.child(key), r.context(), out)) return;
  if (!is_iso_date(out)) r.context().error(*n, r.child(key), "expected an ISO date such as 2026-08-12, found '" + out + "'");
}

bool decode_usd(const YamlNode& node, const std::string& path, DecodeContext& ctx, Usd& out) {
  ctx.sources.record(path, node.loc);
  const auto v = node.is_scalar() ? parse_usd(node.scalar) : std::nullopt;
  if (!v) {
    ctx.error(node, path, "expected a price in USD as a plain decimal with at most ten decimals (0.0225), found '" + node.scalar + "'");
    return false;
  }
  out = *v;
  return true;
}

void read_sources(MapReader& r, std::map<std::string, Source>& sources) {
  if (const YamlNode* s = r.take_required("sources")) {
    model::decoding::for_each_named(*s, r.child("sources"), r.context(), [&](const std::string& id, const std::string&, MapReader& rs) {
      Source src{.id = id};
      rs.required("title", src.title);
      rs.required("url", src.url);
      sources[id] = src;
    });
  }
}

void check_source(MapReader& r, const std::map<std::string, Source>& sources, const std::string& source) {
  if (source.empty() || sources.count(source)) return;
  std::vector<std::string> known;
  for (const auto& [id, _] : sources) known.push_back(id);
  r.context().error(*r.node().find("source"), r.child("source"),
                    "unknown source '" + source + "'; declare it under `sources`" + model::did_you_mean(source, known));
}

}  // namespace detail

namespace {

using namespace detail;

/// Where a value comes from: `source` (a key of the file's sources), `as_of`, an optional `note`.
void read_provenance(MapReader& r, const std::map<std::string, Source>& sources, std::string& source, std::string& as_of,
                     std::string& note, bool required) {
  if (required) {
    r.required("source", source);
  } else {
    r.optional("source", source);
  }
  check_source(r, sources, source);
  read_date(r, "as_of", as_of, required);
  r.optional("note", note);
}

void read_tiers(MapReader& r, Price& price) {
  const YamlNode* flat = r.take("price");
  const YamlNode* tiers = r.take("tiers");
  if ((flat == nullptr) == (tiers == nullptr)) {
    r.context().error(r.node(), r.path(), "a price needs exactly one of `price` (flat) or `tiers`");
    return;
  }
  if (flat) {
    Tier t;
    r.optional("rate_code", t.rate_code);
    if (decode_usd(*flat, r.child("price"), r.context(), t.price)) price.tiers.push_back(t);
    return;
  }
  // `beyond_last_tier: missing` says the source stops at the last tier's `up_to`: usage above
  // it has no price (a missing price on the bill), rather than the last rate extended.
  std::string beyond = "priced";
  r.choice("beyond_last_tier", beyond, {"priced", "missing"});
  const bool bounded = beyond == "missing";
  if (tiers->is_sequence() && tiers->items.empty()) {
    // A price with no rate: every bill of it would read a tier that is not there.
    r.context().error(*tiers, r.child("tiers"), "expected at least one tier ({up_to, price}, the last without up_to)");
    return;
  }
  model::decoding::for_each_item(*tiers, r.child("tiers"), r.context(), [&](std::size_t i, const std::string& path, MapReader& rt) {
    Tier t;
    const bool last = i + 1 == tiers->items.size();
    if (const YamlNode* up = rt.take("up_to")) {
      double v = 0;
      if (model::decoding::decode_value(*up, rt.child("up_to"), r.context(), v)) {
        const double previous = price.tiers.empty() ? 0.0 : price.tiers.back().up_to;
        if (v <= previous) r.context().error(*up, rt.child("up_to"), fmt::format("tier bounds must increase; {} follows {}", v, previous));
        if (last && !bounded) {
          r.context().error(*up, rt.child("up_to"),
                            "the last tier is open-ended: drop its `up_to`, or set `beyond_last_tier: missing` when the source stops there");
        }
        t.up_to = v;
      }
    } else if (!last) {
      r.context().error(rt.node(), path, "every tier but the last needs `up_to`");
    } else if (bounded) {
      r.context().error(rt.node(), path, "with `beyond_last_tier: missing` the last tier needs `up_to`: where its source stops");
    }
    if (const YamlNode* p = rt.take_required("price")) decode_usd(*p, rt.child("price"), r.context(), t.price);
    rt.optional("rate_code", t.rate_code);
    price.tiers.push_back(t);
  });
}

}  // namespace

const Price* PriceBook::find(std::string_view key) const {
  const auto it = prices.find(std::string(key));
  if (it != prices.end()) return &it->second;
  return fallback ? fallback->find(key) : nullptr;
}

std::vector<const SavingsPlanRate*> PriceBook::savings_plan_rates(std::string_view type, std::string_view term, std::string_view payment) const {
  std::vector<const SavingsPlanRate*> out;
  for (const auto& rate : savings_plans) {
    if (rate.type == type && rate.term == term && rate.payment == payment) out.push_back(&rate);
  }
  return out;
}

std::vector<TierUse> split_tiers(const std::vector<Tier>& tiers, double already_used, double quantity) {
  std::vector<TierUse> uses;
  double from = std::max(0.0, already_used);
  double left = quantity;
  for (const Tier& t : tiers) {
    if (left <= 0) break;
    if (from >= t.up_to) continue;
    const double here = std::min(left, t.up_to - from);
    uses.push_back(TierUse{here, t.price, multiply(here, t.price)});
    left -= here;
    from += here;
  }
  if (left > 0) uses.push_back(TierUse{left, Usd{}, Usd{}, /*priced=*/false});  // above a bounded last tier
  return uses;
}

Usd total_cost(const std::vector<TierUse>& uses) {
  Usd sum;
  for (const auto& u : uses) sum += u.cost;
  return sum;
}

namespace {

std::optional<PriceBook> decode_price_book(const std::optional<YamlNode>& root, const std::string& file,
                                           model::Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  if (!root) return std::nullopt;
  model::SourceIndex index;
  DecodeContext ctx{diagnostics, index};
  PriceBook book;
  book.file = file;
  MapReader r(*root, "", ctx);
  if (!r.ok()) return std::nullopt;
  int version = 0;
  if (r.required("archsim_price_book", version) && version != 1) {
    ctx.error(*root->find("archsim_price_book"), "archsim_price_book", fmt::format("unsupported price book version {}; this archsim reads 1", version));
  }
  r.required("region", book.region);
  r.choice("currency", book.currency, {"USD"});
  read_sources(r, book.sources);
  if (const YamlNode* p = r.take_required("prices")) {
    model::decoding::for_each_named(*p, "prices", ctx, [&](const std::string& key, const std::string&, MapReader& rp) {
      Price price{.key = key};
      price.loc = rp.node().loc;
      rp.required("service", price.service);
      rp.required("description", price.description);
      rp.required("unit", price.unit);
      read_tiers(rp, price);
      read_provenance(rp, book.sources, price.source, price.as_of, price.note, true);
      rp.optional("sku", price.sku);
      if (const auto src = book.sources.find(price.source); src != book.sources.end()) price.source_url = src->second.url;
      book.prices[key] = std::move(price);
    });
  }
  if (const YamlNode* m = r.take("missing")) {
    model::decoding::for_each_named(*m, "missing", ctx, [&](const std::string& key, const std::string& path, MapReader& rm) {
      rm.required("reason", book.missing[key]);
      if (book.prices.count(key)) ctx.error(rm.node(), path, "'" + key + "' is both priced and missing; keep one");
    });
  }
  if (const YamlNode* sp = r.take("savings_plans")) {
    model::decoding::for_each_item(*sp, "savings_plans", ctx, [&](std::size_t, const std::string& path, MapReader& rs) {
      SavingsPlanRate rate;
      rate.loc = rs.node().loc;
      rs.required("type", rate.type);
      if (!rate.type.empty() && rate.type != "compute") ctx.error(*rs.node().find("type"), rs.child("type"), "expected 'compute', found '" + rate.type + "'");
      rs.required("term", rate.term);
      if (!rate.term.empty() && rate.term != "1yr" && rate.term != "3yr") {
        ctx.error(*rs.node().find("term"), rs.child("term"), "expected '1yr' or '3yr', found '" + rate.term + "'");
      }
      rs.required("payment", rate.payment);
      if (!rate.payment.empty() && rate.payment != "no_upfront" && rate.payment != "partial_upfront" && rate.payment != "all_upfront") {
        ctx.error(*rs.node().find("payment"), rs.child("payment"),
                  "expected 'no_upfront', 'partial_upfront' or 'all_upfront', found '" + rate.payment + "'");
      }
      if (rs.required("discount_percent", rate.discount_percent) && (rate.discount_percent < 1 || rate.discount_percent > 99)) {
        ctx.error(*rs.node().find("discount_percent"), rs.child("discount_percent"),
                  fmt::format("expected a whole discount from 1 to 99 (% off on-demand), found {}", rate.discount_percent));
      }
      if (rs.required("prices", rate.prices)) {
        for (const auto& key : rate.prices) {
          if (!book.prices.count(key)) {
            ctx.error(*rs.node().find("prices"), rs.child("prices"), "'" + key + "' is not a price of this book: a rate needs the on-demand price it discounts");
          }
        }
      }
      read_provenance(rs, book.sources, rate.source, rate.as_of, rate.note, true);
      if (const auto src = book.sources.find(rate.source); src != book.sources.end()) rate.source_url = src->second.url;
      for (const auto& other : book.savings_plans) {
        if (other.type != rate.type || other.term != rate.term || other.payment != rate.payment) continue;
        for (const auto& key : rate.prices) {
          if (std::find(other.prices.begin(), other.prices.end(), key) != other.prices.end()) {
            ctx.error(rs.node(), path, fmt::format("'{}' has two {} {} {} rates; keep one", key, rate.type, rate.term, rate.payment));
          }
        }
      }
      book.savings_plans.push_back(std::move(rate));
    });
  }
  r.finish();
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return book;
}

}  // namespace

std::optional<PriceBook> parse_price_book(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics) {
  return decode_price_book(model::parse_yaml(yaml, file, diagnostics), file, diagnostics);
}

std::optional<PriceBook> read_price_book(const std::string& path, model::Diagnostics& diagnostics) {
  auto book = decode_price_book(model::read_yaml_file(path, path, diagnostics), path, diagnostics);
  if (!book) return book;
  // The cost model counts each key's quantity in one unit (hours, GB-months, 1M requests): a
  // book that writes another (`unit: fortnight`) would print that unit on a bill of hours.
  for (const auto& [key, price] : book->prices) {
    const Price* shipped = builtin_global_price_book().find(key);
    for (const auto& region : builtin_regions()) {
      if (shipped == nullptr) shipped = builtin_price_book(region)->find(key);
    }
    if (shipped != nullptr && shipped->unit != price.unit) {
      diagnostics.error(price.loc, "prices." + key + ".unit",
                        fmt::format("unit '{}'; archsim bills {} per '{}', as its shipped books price it", price.unit, key, shipped->unit));
    }
  }
  return book;
}

namespace {

struct BuiltinBooks {
  PriceBook global;
  std::map<std::string, PriceBook, std::less<>> books;
  FreeTierCatalogue free_tier;
};

constexpr std::string_view kRegionFiles[] = {"us-east-1.yaml", "us-east-2.yaml", "eu-central-1.yaml", "eu-west-1.yaml", "us-west-2.yaml"};

void load_builtins(BuiltinBooks& b) {
  model::Diagnostics diags;
  const auto parse = [&](std::string_view name) {
    const std::string file = "pricing/data/" + std::string(name);
    auto book = parse_price_book(embedded_data::embedded(name), file, diags);
    if (!book) throw std::logic_error("built-in price book " + file + " is invalid: " + model::format_diagnostic(diags.all().front()));
    return std::move(*book);
  };
  b.global = parse("global.yaml");
  for (std::string_view name : kRegionFiles) {
    PriceBook book = parse(name);
    book.fallback = &b.global;  // filled in place in a static, so the address is stable
    b.books[book.region] = std::move(book);
  }
  auto ft = parse_free_tier(embedded_data::embedded("free_tier.yaml"), "pricing/data/free_tier.yaml", diags);
  if (!ft) throw std::logic_error("built-in pricing/data/free_tier.yaml is invalid: " + model::format_diagnostic(diags.all().front()));
  b.free_tier = std::move(*ft);
}

const BuiltinBooks& builtins() {
  static BuiltinBooks data;
  static std::once_flag once;
  std::call_once(once, [] { load_builtins(data); });
  return data;
}

}  // namespace

const PriceBook* builtin_price_book(std::string_view region) {
  const auto& books = builtins().books;
  const auto it = books.find(region);
  return it == books.end() ? nullptr : &it->second;
}

const PriceBook& builtin_global_price_book() { return builtins().global; }

std::vector<std::string> builtin_regions() {
  std::vector<std::string> out;
  for (const auto& [region, _] : builtins().books) out.push_back(region);
  return out;
}

void AsOfRange::include(const std::string& as_of) {
  if (oldest.empty() || as_of < oldest) oldest = as_of;
  if (as_of > newest) newest = as_of;
}

std::string AsOfRange::text() const {
  if (newest.empty()) return "none";
  if (oldest == newest) return newest;
  return fmt::format("{} (oldest {})", newest, oldest);
}

AsOfRange as_of_range(const PriceBook& book) {
  AsOfRange range;
  for (const auto& [key, price] : book.prices) range.include(price.as_of);
  return range;
}

// ---------------------------------------------------------------- Free Tier

const FreeTierPlan* FreeTierCatalogue::plan(std::string_view id) const {
  const auto it = plans.find(std::string(id));
  return it == plans.end() ? nullptr : &it->second;
}

std::optional<FreeTierCatalogue> parse_free_tier(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  auto root = model::parse_yaml(yaml, file, diagnostics);
  if (!root) return std::nullopt;
  model::SourceIndex index;
  DecodeContext ctx{diagnostics, index};
  FreeTierCatalogue cat;
  MapReader r(*root, "", ctx);
  if (!r.ok()) return std::nullopt;
  int version = 0;
  if (r.required("archsim_free_tier", version) && version != 1) {
    ctx.error(*root->find("archsim_free_tier"), "archsim_free_tier", fmt::format("unsupported Free Tier file version {}; this archsim reads 1", version));
  }
  read_sources(r, cat.sources);
  std::vector<std::string> programs;
  if (const YamlNode* p = r.take_required("plans")) {
    model::decoding::for_each_named(*p, "plans", ctx, [&](const std::string& id, const std::string&, MapReader& rp) {
      FreeTierPlan plan{.id = id};
      rp.required("programs", plan.programs);
      for (const auto& prog : plan.programs) {
        if (std::find(programs.begin(), programs.end(), prog) == programs.end()) programs.push_back(prog);
      }
      read_date(rp, "accounts_created_before", plan.accounts_created_before, false);
      read_date(rp, "accounts_created_from", plan.accounts_created_from, false);
      rp.optional("offers_months", plan.offers_months);
      rp.optional("credits_usd", plan.credits_usd);
      rp.optional("plan_months", plan.plan_months);
      rp.optional("credits_expire_months", plan.credits_expire_months);
      read_provenance(rp, cat.sources, plan.source, plan.as_of, plan.note, false);
      cat.plans[id] = std::move(plan);
    });
  }
  for (std::string_view needed : {"none", "always_free", "legacy_12_month", "credits"}) {
    if (!cat.plans.count(std::string(needed))) ctx.error(*root, "plans", "missing plan '" + std::string(needed) + "'");
  }
  if (const YamlNode* o = r.take_required("offers")) {
    model::decoding::for_each_item(*o, "offers", ctx, [&](std::size_t, const std::string& path, MapReader& ro) {
      FreeTierOffer offer;
      offer.loc = ro.node().loc;
      ro.required("id", offer.id);
      if (const YamlNode* prog = ro.take_required("program"); prog && model::decoding::decode_value(*prog, ro.child("program"), ctx, offer.program)) {
        if (std::find(programs.begin(), programs.end(), offer.program) == programs.end()) {
          ctx.error(*prog, ro.child("program"), "no plan includes program '" + offer.program + "'" + model::did_you_mean(offer.program, programs));
        }
      }
      ro.required("prices", offer.prices);
      if (ro.required("quantity", offer.quantity) && offer.quantity <= 0) {
        ctx.error(*ro.node().find("quantity"), ro.child("quantity"), "expected an allowance above 0");
      }
      ro.required("unit", offer.unit);
      ro.required("description", offer.description);
      read_provenance(ro, cat.sources, offer.source, offer.as_of, offer.note, true);
      for (const auto& other : cat.offers) {
        if (other.id == offer.id) ctx.error(ro.node(), path, "duplicate offer id '" + offer.id + "'");
      }
      cat.offers.push_back(std::move(offer));
    });
  }
  r.finish();
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return cat;
}

const FreeTierCatalogue& builtin_free_tier() { return builtins().free_tier; }

std::string_view plan_id(model::FreeTierPlan plan) {
  switch (plan) {
    case model::FreeTierPlan::None: return "none";
    case model::FreeTierPlan::AlwaysFree: return "always_free";
    case model::FreeTierPlan::Legacy12Month: return "legacy_12_month";
    case model::FreeTierPlan::Credits: return "credits";
  }
  return "none";
}

}  // namespace archsim::pricing
