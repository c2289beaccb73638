// `archsim prices import FILE... [--region R...] [-o DIR]`: AWS Price List offer files (the
// JSON the Price List Bulk API publishes per service and Region) become archsim price books,
// one `<region>.yaml` per Region, which `pricing.price_book` (and `--price-book`) can use
// without rebuilding archsim (docs/pricing.md, "Refreshing prices").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct PricesOptions {
  std::string action;  ///< import
  std::vector<std::string> files;
  std::vector<std::string> regions;
  std::string output_dir;
};

void setup_prices(CLI::App& app, PricesOptions& options);
int run_prices(const PricesOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
