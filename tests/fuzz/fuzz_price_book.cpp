// libFuzzer target: a price book (`pricing.price_book:` or pricing/data/*.yaml) and a Free
// Tier catalogue, the two pricing files archsim reads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/pricing/price_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  archsim::model::Diagnostics book_diagnostics, tier_diagnostics;
  (void)archsim::pricing::parse_price_book(text, "fuzz-book.yaml", book_diagnostics);
  (void)archsim::pricing::parse_free_tier(text, "fuzz-free-tier.yaml", tier_diagnostics);
  return 0;
}
