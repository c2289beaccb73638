#include "prices_command.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/cli.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/pricing/price_list_import.hpp"
#include "archsim/reports/atomic_file.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_prices(CLI::App& app, PricesOptions& options) {
  auto* prices = app.add_subcommand("prices", "Refresh price books: turn AWS Price List offer files into archsim price books");
  prices->add_option("action", options.action, "What to do: import (offer files to one price book per Region)")
      ->required()
      ->check(CLI::IsMember({"import"}));
  prices->add_option("files", options.files, "AWS Price List offer files (JSON), one or more services and Regions")->required();
  prices->add_option("--region", options.regions, "Write the book of this Region only (repeatable; default: every Region the files cover)");
  prices->add_option("-o,--output", options.output_dir,
                     "Write <region>.yaml into this folder (each file atomically); without it, a single Region's book goes to stdout");
}

int run_prices(const PricesOptions& options, std::ostream& out, std::ostream& err) {
  const auto imported = pricing::import_price_list_files(options.files, options.regions);
  print_diagnostics(err, imported.diagnostics.all());
  if (!imported.ok()) return kBadInput;
  if (options.output_dir.empty() && imported.books.size() != 1) {
    err << fmt::format("archsim prices import: error: the files cover {} Regions; give -o DIR to write one book each, or --region R\n",
                       imported.books.size());
    return kBadInput;
  }
  for (const auto& book : imported.books) {
    err << fmt::format("archsim prices import: {}: {} prices, {} missing{}{}\n", book.region, book.priced, book.missing.size(),
                       book.missing.empty() ? "" : ": ", fmt::join(book.missing, ", "));
  }
  if (options.output_dir.empty()) {
    out << imported.books.front().yaml;
    return kOk;
  }
  // Every target is checked before the first is written, so a refused one leaves no mix.
  const std::filesystem::path dir(options.output_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "archsim prices import: error: cannot create " << model::escape_controls(options.output_dir) << ": " << ec.message() << "\n";
    return kBadInput;
  }
  for (const auto& book : imported.books) {
    if (const auto problem = reports::file_target_problem(dir / (book.region + ".yaml")); !problem.empty()) {
      err << "archsim prices import: error: " << problem << "\n";
      return kBadInput;
    }
  }
  for (const auto& book : imported.books) {
    const auto target = dir / (book.region + ".yaml");
    if (const auto problem = reports::write_file_atomically(target, book.yaml); !problem.empty()) {
      err << "archsim prices import: error: " << problem << "\n";
      return kBadInput;
    }
    err << "archsim prices import: wrote " << model::escape_controls(target.string()) << "\n";
  }
  return kOk;
}

}  // namespace archsim::cli
