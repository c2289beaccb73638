// The Price List import proper: offer files and the mapping table in, one price book per
// Region out, in the YAML format parse_price_book reads (docs/pricing.md, "Price books").
//
// Tiers are carried exactly as published: each price dimension of a product's on-demand term
// is a tier, bounded by its endRange (scaled to archsim's unit); a last dimension that stops
// short of `Inf` gives `beyond_last_tier: missing`, as a hand-written book says it.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "archsim/model/input_file.hpp"
#include "archsim/pricing/price_list_import.hpp"
#include "price_list.hpp"

namespace archsim::pricing {

namespace {

using price_list::Dimension;
using price_list::MappedPrice;
using price_list::MappedRegion;
using price_list::Mapping;
using price_list::Offer;
using price_list::Product;

/// A YAML scalar for any text: a JSON string is a YAML double-quoted scalar.
std::string yaml_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string where(const model::SourceLoc& loc) { return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column); }

/// The Region a product is sold in: its regionCode, else its location as the mapping names
/// Regions; `any` for account-wide rows (location `Any`); empty when neither is known.
std::string product_region(const Product& p, const Mapping& mapping) {
  if (const auto* code = p.attribute("regionCode"); code && !code->empty()) return *code;
  if (const auto* location = p.attribute("location")) {
    if (*location == "Any") return "any";
    for (const auto& r : mapping.regions) {
      if (r.location == *location) return r.code;
    }
  }
  return {};
}

/// One Region's book as it is being written.
struct Book {
  std::string region;
  std::map<std::string, Source> sources;
  std::string prices;  ///< YAML of the `prices` entries
  std::map<std::string, std::string> missing;
  std::size_t priced = 0;
  std::string published;
};

class Importer {
 public:
  Importer(const std::vector<Offer>& offers, const Mapping& mapping, model::Diagnostics& d) : offers_(offers), mapping_(mapping), d_(d) {
    for (const auto& o : offers_) {
      std::set<std::string> regions;
      for (const auto& p : o.products) {
        regions.insert(product_region(p, mapping_));
        check_region_agrees(p);
      }
      covered_.push_back(std::move(regions));
    }
  }

  /// A product's regionCode decides its book; a location naming another Region would put the
  /// price in a book it was not published for, so the file is refused rather than trusted.
  void check_region_agrees(const Product& p) {
    const auto* code = p.attribute("regionCode");
    const auto* location = p.attribute("location");
    if (code == nullptr || code->empty() || location == nullptr) return;
    for (const auto& r : mapping_.regions) {
      if (r.location == *location && r.code != *code) {
        d_.error(p.loc, "products." + p.sku,
                 fmt::format("regionCode {} contradicts location '{}', which is {}; expected the two to name one Region", *code, *location, r.code));
      }
    }
  }

  /// Every mapped Region some file has a product in.
  std::vector<std::string> regions_covered() const {
    std::vector<std::string> out;
    for (const auto& r : mapping_.regions) {
      if (std::any_of(covered_.begin(), covered_.end(), [&](const auto& c) { return c.count(r.code) > 0; })) out.push_back(r.code);
    }
    return out;
  }

  /// Two files of the same service for one Region would make each price depend on the order
  /// of the command line: refused.
  void check_one_offer_per_service(const std::string& region) {
    std::map<std::string, const Offer*> first;
    for (std::size_t i = 0; i < offers_.size(); ++i) {
      if (!covered_[i].count(region)) continue;
      const auto [it, inserted] = first.emplace(offers_[i].offer_code, &offers_[i]);
      if (!inserted) {
        d_.error(offers_[i].loc, "offerCode",
                 fmt::format("a second {} offer file for {} (the first is {}); import one version of each service at a time",
                             offers_[i].offer_code, region, it->second->file));
      }
    }
  }

  Book book(const MappedRegion& region) {
    Book b{.region = region.code};
    check_one_offer_per_service(region.code);
    for (const auto& mp : mapping_.prices) {
      if (mp.constant) {
        constant(b, mp);
      } else {
        priced(b, region, mp);
      }
    }
    return b;
  }

 private:
  const std::vector<Offer>& offers_;
  const Mapping& mapping_;
  model::Diagnostics& d_;
  std::vector<std::set<std::string>> covered_;  ///< per offer, the Regions of its products

  void constant(Book& b, const MappedPrice& mp) {
    b.sources[mp.source] = mapping_.sources.at(mp.source);
    b.prices += entry_head(mp) + fmt::format("    price: {}\n    source: {}\n    as_of: {}\n", mp.constant_price, mp.source, mp.constant_as_of);
    if (!mp.constant_note.empty()) b.prices += "    note: " + yaml_quoted(mp.constant_note) + "\n";
    ++b.priced;
  }

  static std::string entry_head(const MappedPrice& mp) {
    return fmt::format("  {}:\n    service: {}\n    description: {}\n    unit: {}\n", mp.key, yaml_quoted(mp.service), yaml_quoted(mp.description), yaml_quoted(mp.unit));
  }

  /// What a product must hold beyond its usage type and Region: the mapping's other matchers.
  /// Reports a product that lacks an attribute the mapping matches on (nullopt).
  std::optional<bool> attributes_match(const Product& p, const MappedPrice& mp) {
    for (const auto& [name, want] : mp.match) {
      if (name == "servicecode" || name == "usagetype") continue;
      const std::string* have = name == "productFamily" ? (p.family.empty() ? nullptr : &p.family) : p.attribute(name);
      if (have == nullptr) {
        d_.error(p.loc, "products." + p.sku,
                 fmt::format("product {} has no `{}`, which the mapping of '{}' matches on ({})", p.sku, name, mp.key, mapping_.file));
        return std::nullopt;
      }
      if (*have != want) return false;
    }
    return true;
  }

  std::string wanted(const MappedPrice& mp, const MappedRegion& region) const {
    std::string out = "usagetype " + (mp.any_region ? "" : region.usagetype_prefix + "-") + mp.match.at("usagetype");
    for (const auto& [name, value] : mp.match) {
      if (name != "servicecode" && name != "usagetype") out += fmt::format(", {} {}", name, value);
    }
    return out;
  }

  void priced(Book& b, const MappedRegion& region, const MappedPrice& mp) {
    const std::string& service = mp.match.at("servicecode");
    const Offer* offer = nullptr;
    const Product* found = nullptr;
    for (std::size_t i = 0; i < offers_.size() && offer == nullptr; ++i) {
      const bool covers = covered_[i].count(region.code) || (mp.any_region && covered_[i].count("any"));
      if (offers_[i].offer_code == service && covers) offer = &offers_[i];
    }
    if (offer == nullptr) {
      b.missing[mp.key] = fmt::format("no {} offer file among those imported covers {}", service, region.code);
      return;
    }
    const std::string& usagetype = mp.match.at("usagetype");
    for (const auto& p : offer->products) {
      const std::string at = product_region(p, mapping_);
      if (at != region.code && !(mp.any_region && at == "any")) continue;
      const std::string* ut = p.attribute("usagetype");
      if (ut == nullptr) {
        d_.error(p.loc, "products." + p.sku, fmt::format("product {} has no `usagetype`, which the mapping matches every product on ({})", p.sku, mapping_.file));
        continue;
      }
      if (*ut != usagetype && (mp.any_region || *ut != region.usagetype_prefix + "-" + usagetype)) continue;
      const auto matches = attributes_match(p, mp);
      if (!matches || !*matches) continue;
      if (found != nullptr) {
        d_.error(p.loc, "products." + p.sku,
                 fmt::format("products {} ({}) and {} both match price key '{}' in {}; the mapping ({}) needs a further attribute to tell them apart",
                             found->sku, where(found->loc), p.sku, mp.key, region.code, mapping_.file));
        return;
      }
      found = &p;
    }
    if (found == nullptr) {
      b.missing[mp.key] = fmt::format("the {} offer (version {}, published {}) has no product with {} in {}", service, offer->version,
                                      offer->published, wanted(mp, region), region.code);
      return;
    }
    if (found->on_demand.empty()) {
      b.missing[mp.key] = fmt::format("{} product {} has no on-demand price in the offer (version {})", service, found->sku, offer->version);
      return;
    }
    if (found->on_demand.size() > 1) {
      d_.error(found->on_demand[1].loc, "terms.OnDemand." + found->sku,
               fmt::format("product {} has {} on-demand terms; archsim takes a price from exactly one", found->sku, found->on_demand.size()));
      return;
    }
    write_tiers(b, region, mp, *offer, *found);
  }

  void write_tiers(Book& b, const MappedRegion& region, const MappedPrice& mp, const Offer& offer, const Product& product) {
    const auto& term = product.on_demand.front();
    const double per = std::pow(10.0, mp.per_exponent);
    std::string tiers;
    double previous_end = 0;
    double previous_up_to = 0;
    for (std::size_t i = 0; i < term.dimensions.size(); ++i) {
      const Dimension& dim = term.dimensions[i];
      const std::string path = fmt::format("terms.OnDemand.{}.{}.priceDimensions.{}", product.sku, term.code, dim.rate_code);
      if (dim.unit != mp.price_list_unit) {
        d_.error(dim.loc, path, fmt::format("unit '{}', but the mapping of '{}' expects '{}' ({}); has the offer changed its unit?", dim.unit, mp.key,
                                           mp.price_list_unit, mapping_.file));
        return;
      }
      if (dim.begin != previous_end) {
        d_.error(dim.loc, path, fmt::format("this tier begins at {} {} but the one before ends at {}: tiers must follow each other", dim.begin,
                                           dim.unit, previous_end));
        return;
      }
      previous_end = dim.end;
      const auto price = price_list::scaled_decimal(dim.usd, mp.per_exponent);
      if (!price || !parse_usd(*price)) {
        d_.error(dim.loc, path + ".pricePerUnit.USD",
                 fmt::format("{} USD per {} is {} USD per {}, more than the ten decimals archsim holds", dim.usd, dim.unit, price.value_or("?"), mp.unit));
        return;
      }
      tiers += "      - {";
      if (dim.end != std::numeric_limits<double>::infinity()) {
        // Bounds a Price List unit apart can meet once scaled (1e22 and 1e22 + 1 requests, per million).
        if (dim.end / per <= previous_up_to) {
          d_.error(dim.loc, path, fmt::format("endRange {} is no bound above the tier before once scaled to {}", dim.end, mp.unit));
          return;
        }
        previous_up_to = dim.end / per;
        tiers += fmt::format("up_to: {}, ", previous_up_to);
      }
      tiers += fmt::format("price: {}, rate_code: {}}}\n", *price, yaml_quoted(dim.rate_code));
    }
    b.sources[offer.offer_code] = Source{offer.offer_code,
                                         fmt::format("AWS Price List {} offer, version {}, published {}", offer.offer_code, offer.version, offer.publication_date),
                                         fmt::format("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/{}/{}/{}/index.json", offer.offer_code,
                                                     offer.version, region.code)};
    b.prices += entry_head(mp) + "    tiers:\n" + tiers;
    if (term.dimensions.back().end != std::numeric_limits<double>::infinity()) b.prices += "    beyond_last_tier: missing\n";
    const std::string& usagetype = *product.attribute("usagetype");
    b.prices += fmt::format("    source: {}\n    as_of: {}\n    sku: {}\n    note: {}\n", offer.offer_code, offer.published, yaml_quoted(product.sku),
                            yaml_quoted(fmt::format("usagetype {}{}, from {}", usagetype,
                                               term.effective_date.empty() ? "" : ", effective " + term.effective_date.substr(0, 10), offer.file)));
    b.published = std::max(b.published, offer.published);
    ++b.priced;
  }
};

std::string book_yaml(const Book& b, const Mapping& mapping) {
  std::string out = fmt::format(
      "# archsim price book: {}, on-demand, USD, written by `archsim prices import` from AWS Price List offer\n"
      "# files with the mapping {}. Import again to refresh it rather than editing by hand.\n"
      "archsim_price_book: 1\nregion: {}\ncurrency: USD\n\nsources:\n",
      b.region, mapping.file, b.region);
  for (const auto& [id, s] : b.sources) out += fmt::format("  {}:\n    title: {}\n    url: {}\n", id, yaml_quoted(s.title), yaml_quoted(s.url));
  out += "\nprices:\n" + b.prices;
  if (!b.missing.empty()) {
    out += "\n# Keys the offer files do not price in this Region: bills show them as missing lines.\nmissing:\n";
    for (const auto& [key, why] : b.missing) out += fmt::format("  {}:\n    reason: {}\n", key, yaml_quoted(why));
  }
  return out;
}

}  // namespace

std::vector<std::string> price_list_regions() {
  std::vector<std::string> out;
  for (const auto& r : price_list::builtin_mapping().regions) out.push_back(r.code);
  return out;
}

PriceListImport import_price_list(const std::vector<OfferText>& texts, const std::vector<std::string>& regions) {
  PriceListImport result;
  const Mapping& mapping = price_list::builtin_mapping();
  std::vector<Offer> offers;
  for (const auto& t : texts) {
    if (auto offer = price_list::read_offer(t.text, t.file, result.diagnostics)) offers.push_back(std::move(*offer));
  }
  if (!result.ok()) return result;
  Importer importer(offers, mapping, result.diagnostics);
  const std::string known = fmt::format("{}", fmt::join(price_list_regions(), ", "));
  std::vector<std::string> wanted = regions;
  if (wanted.empty()) {
    wanted = importer.regions_covered();
    if (wanted.empty()) {
      result.diagnostics.error(offers.empty() ? model::SourceLoc{} : offers.front().loc, "",
                               fmt::format("no product of these offer files is in a Region archsim maps ({})", known));
    }
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  for (const auto& code : wanted) {
    const MappedRegion* region = mapping.region(code);
    if (region == nullptr) {
      result.diagnostics.error(model::SourceLoc{"--region", 0, 0}, "",
                               fmt::format("no Price List mapping for Region '{}'; {} maps {}", code, mapping.file, known));
      continue;
    }
    const auto covered = importer.regions_covered();
    if (std::find(covered.begin(), covered.end(), code) == covered.end()) {
      result.diagnostics.error(model::SourceLoc{"--region", 0, 0}, "",
                               fmt::format("no product of these offer files is in {} (they cover {}); download that Region's offer files",
                                           code, covered.empty() ? "no Region archsim maps" : fmt::format("{}", fmt::join(covered, ", "))));
      continue;
    }
    Book b = importer.book(*region);
    result.books.push_back(ImportedBook{b.region, book_yaml(b, mapping), b.priced, {}, b.published});
    for (const auto& [key, _] : b.missing) result.books.back().missing.push_back(key);
  }
  if (!result.ok()) result.books.clear();
  return result;
}

PriceListImport import_price_list_files(const std::vector<std::string>& files, const std::vector<std::string>& regions) {
  std::vector<OfferText> texts;
  model::Diagnostics unreadable;
  for (const auto& file : files) {
    model::FileProblem problem;
    auto text = model::read_regular_file(file, model::limits::kMaxImportFileBytes, problem);
    if (!text) {
      unreadable.error(model::SourceLoc{file, 0, 0}, "", "cannot read it: " + problem.message);
      continue;
    }
    texts.push_back(OfferText{file, std::move(*text)});
  }
  if (unreadable.has_errors()) return PriceListImport{{}, std::move(unreadable)};
  return import_price_list(texts, regions);
}

}  // namespace archsim::pricing
