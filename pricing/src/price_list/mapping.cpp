// The mapping table of the Price List import (pricing/data/price_list_mapping.yaml): which
// product row of which offer prices each archsim key, read with the checks every pricing data
// file gets (file:line:col errors, unknown keys, unknown sources).
#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "../book_fields.hpp"
#include "archsim/model/decode.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "price_list.hpp"

namespace archsim::pricing {
namespace embedded_data {
std::string_view embedded(std::string_view name);
}
}  // namespace archsim::pricing

namespace archsim::pricing::price_list {

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

const MappedRegion* Mapping::region(std::string_view code) const {
  const auto it = std::find_if(regions.begin(), regions.end(), [&](const MappedRegion& r) { return r.code == code; });
  return it == regions.end() ? nullptr : &*it;
}

namespace {

/// `per: 1000000` as the power of ten it must be, so prices and bounds scale exactly.
std::optional<int> power_of_ten(double per) {
  double v = 1;
  for (int e = 0; e <= 9; ++e, v *= 10) {
    if (per == v) return e;
  }
  return std::nullopt;
}

void read_price(MapReader& r, Mapping& mapping, MappedPrice& price) {
  r.required("service", price.service);
  r.required("description", price.description);
  r.required("unit", price.unit);
  const YamlNode* constant = r.take("constant");
  const YamlNode* match = r.take("match");
  if ((constant == nullptr) == (match == nullptr)) {
    r.context().error(r.node(), r.path(), "a mapped price needs exactly one of `match` (a Price List row) or `constant`");
    return;
  }
  if (constant) {
    price.constant = true;
    MapReader rc(*constant, r.child("constant"), r.context());
    if (!rc.ok()) return;
    Usd ignored;
    if (const YamlNode* p = rc.take_required("price"); p && detail::decode_usd(*p, rc.child("price"), r.context(), ignored)) {
      price.constant_price = p->scalar;
    }
    rc.required("source", price.source);
    detail::check_source(rc, mapping.sources, price.source);
    detail::read_date(rc, "as_of", price.constant_as_of, true);
    rc.optional("note", price.constant_note);
    rc.finish();
    return;
  }
  if (!match->is_map()) {
    r.context().error(*match, r.child("match"), "expected a map of product attributes, found " + std::string(model::kind_name(match->kind)));
    return;
  }
  for (const auto& e : match->entries) {
    model::decoding::decode_value(e.value, r.child("match") + "." + e.key, r.context(), price.match[e.key]);
  }
  for (std::string_view needed : {"servicecode", "usagetype"}) {
    if (!price.match.count(std::string(needed))) r.context().error(*match, r.child("match"), fmt::format("missing `{}`", needed));
  }
  r.optional("any_region", price.any_region);
  r.required("price_list_unit", price.price_list_unit);
  double per = 1;
  if (r.required("per", per)) {
    if (const auto e = power_of_ten(per)) {
      price.per_exponent = *e;
    } else {
      r.context().error(*r.node().find("per"), r.child("per"), fmt::format("expected a power of ten from 1 to 1000000000, found {}", per));
    }
  }
  r.required("source", price.source);
  detail::check_source(r, mapping.sources, price.source);
}

}  // namespace

std::optional<Mapping> parse_mapping(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  const auto root = model::parse_yaml(yaml, file, diagnostics);
  if (!root) return std::nullopt;
  model::SourceIndex index;
  DecodeContext ctx{diagnostics, index};
  Mapping mapping{.file = file};
  MapReader r(*root, "", ctx);
  if (!r.ok()) return std::nullopt;
  int version = 0;
  if (r.required("archsim_price_list_mapping", version) && version != 1) {
    ctx.error(*root->find("archsim_price_list_mapping"), "archsim_price_list_mapping",
              fmt::format("unsupported mapping version {}; this archsim reads 1", version));
  }
  detail::read_sources(r, mapping.sources);
  if (const YamlNode* regions = r.take_required("regions")) {
    model::decoding::for_each_named(*regions, "regions", ctx, [&](const std::string& code, const std::string&, MapReader& rr) {
      MappedRegion region{.code = code};
      rr.required("location", region.location);
      rr.required("usagetype_prefix", region.usagetype_prefix);
      mapping.regions.push_back(std::move(region));
    });
  }
  if (const YamlNode* prices = r.take_required("prices")) {
    model::decoding::for_each_named(*prices, "prices", ctx, [&](const std::string& key, const std::string&, MapReader& rp) {
      MappedPrice price{.key = key};
      read_price(rp, mapping, price);
      mapping.prices.push_back(std::move(price));
    });
  }
  r.finish();
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  std::sort(mapping.regions.begin(), mapping.regions.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  std::sort(mapping.prices.begin(), mapping.prices.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return mapping;
}

const Mapping& builtin_mapping() {
  static Mapping mapping;
  static std::once_flag once;
  std::call_once(once, [] {
    model::Diagnostics diags;
    const std::string file = "pricing/data/price_list_mapping.yaml";
    auto parsed = parse_mapping(embedded_data::embedded("price_list_mapping.yaml"), file, diags);
    if (!parsed) throw std::logic_error("built-in " + file + " is invalid: " + model::format_diagnostic(diags.all().front()));
    mapping = std::move(*parsed);
  });
  return mapping;
}

}  // namespace archsim::pricing::price_list
