// Price books from AWS's Price List: the bulk offer files AWS publishes per service (and per
// Region) become archsim price books, so a user refreshes prices without waiting for a release.
//
// An offer file is JSON (formatVersion, offerCode, version, publicationDate, products by SKU
// with their attributes, terms.OnDemand by SKU with price dimensions and their ranges); it is
// read as a located tree (JSON check, then the YAML reader with the import caps of
// docs/limits.md), so every error names file:line:col. Which product prices which archsim key
// is data, pricing/data/price_list_mapping.yaml. The book written keeps each price's origin
// (the offer's version and publication date, the SKU and the rate code of each tier), and says
// `missing` for every mapped key the files do not price in that Region, so its bills show
// missing lines rather than guessed ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/source.hpp"

namespace archsim::pricing {

/// One offer file's text and the name errors give it.
struct OfferText {
  std::string file;
  std::string text;
};

/// One Region's book, as YAML in the format parse_price_book reads.
struct ImportedBook {
  std::string region;
  std::string yaml;
  std::size_t priced = 0;            ///< keys with a price
  std::vector<std::string> missing;  ///< mapped keys the offer files do not price here
  std::string published;             ///< newest publication date among the offers used (ISO date)
};

struct PriceListImport {
  std::vector<ImportedBook> books;  ///< one per Region, sorted by Region
  model::Diagnostics diagnostics;

  bool ok() const { return !diagnostics.has_errors(); }
};

/// Books for `regions` (every Region the mapping knows that the files cover, when empty) from
/// the offer files' texts.
PriceListImport import_price_list(const std::vector<OfferText>& offers, const std::vector<std::string>& regions);

/// The same from files on disk: regular files, at most limits::kMaxImportFileBytes each.
PriceListImport import_price_list_files(const std::vector<std::string>& files, const std::vector<std::string>& regions);

/// Regions the mapping knows (the ones a book can be imported for), sorted.
std::vector<std::string> price_list_regions();

}  // namespace archsim::pricing
