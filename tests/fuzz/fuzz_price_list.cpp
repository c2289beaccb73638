// libFuzzer target: an AWS Price List offer file as `archsim prices import` reads it (JSON
// check, located tree, products and on-demand terms), joined with the mapping into books, and
// each book written read back as a price book.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "archsim/pricing/price_book.hpp"
#include "archsim/pricing/price_list_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto imported = archsim::pricing::import_price_list({{"fuzz-offer.json", text}}, {});
  for (const auto& book : imported.books) {
    archsim::model::Diagnostics diagnostics;
    // What the importer writes must read back: a book it cannot read again is a bug.
    if (!archsim::pricing::parse_price_book(book.yaml, "fuzz-book.yaml", diagnostics)) {
      throw std::logic_error("imported book does not read back: " + archsim::model::format_diagnostic(diagnostics.all().front()));
    }
  }
  return 0;
}
