// The Price List importer's parts, shared by its three files: the offer file as read
// (offer_reader.cpp), the mapping table (mapping.cpp), and the import that joins them into
// books (book_writer.cpp).
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/source.hpp"
#include "archsim/pricing/price_book.hpp"

namespace archsim::pricing::price_list {

/// One price dimension of an on-demand term: a tier of the product's price.
struct Dimension {
  std::string rate_code, unit, usd, description;
  double begin = 0;  ///< in the Price List's unit
  double end = std::numeric_limits<double>::infinity();
  model::SourceLoc loc;
};

struct Term {
  std::string code, effective_date;
  std::vector<Dimension> dimensions;  ///< sorted by `begin`
  model::SourceLoc loc;
};

struct Product {
  std::string sku, family;
  std::map<std::string, std::string> attributes;
  std::vector<Term> on_demand;
  model::SourceLoc loc;

  /// An attribute's value, nullptr when the product has no such attribute.
  const std::string* attribute(std::string_view name) const;
};

struct Offer {
  std::string file, offer_code, version, publication_date;
  std::string published;  ///< the ISO date of publication_date
  std::vector<Product> products;
  model::SourceLoc loc;
};

/// Reads one offer file; nullopt (after reporting every problem at its line and column) when
/// the text is not a usable offer file.
std::optional<Offer> read_offer(std::string_view text, const std::string& file, model::Diagnostics& diagnostics);

struct MappedRegion {
  std::string code, location, usagetype_prefix;
};

/// One archsim price key and the product row that prices it.
struct MappedPrice {
  std::string key, service, description, unit;
  std::map<std::string, std::string> match;  ///< servicecode, usagetype, productFamily, attributes
  bool any_region = false;
  std::string price_list_unit;
  int per_exponent = 0;  ///< one archsim unit is 10^per_exponent Price List units
  std::string source;
  /// A price the Price List has no row for (a free gateway endpoint): written as given.
  bool constant = false;
  std::string constant_price, constant_as_of, constant_note;
};

struct Mapping {
  std::string file;
  std::map<std::string, Source> sources;
  std::vector<MappedRegion> regions;
  std::vector<MappedPrice> prices;  ///< sorted by key

  const MappedRegion* region(std::string_view code) const;
};

/// pricing/data/price_list_mapping.yaml, read and checked once.
const Mapping& builtin_mapping();
std::optional<Mapping> parse_mapping(std::string_view yaml, const std::string& file, model::Diagnostics& diagnostics);

/// `text` (a plain decimal) times 10^exponent, exactly, as the shortest decimal
/// (`0.0000002000` x 10^6 = `0.2`); nullopt when `text` is not a plain non-negative decimal.
std::optional<std::string> scaled_decimal(std::string_view text, int exponent);

}  // namespace archsim::pricing::price_list
