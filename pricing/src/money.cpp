#include "archsim/pricing/money.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace archsim::pricing {

namespace {

constexpr int kDecimals = 10;

std::int64_t round_units(long double value) { return static_cast<std::int64_t>(std::llroundl(value)); }

}  // namespace

Usd Usd::dollars(double d) { return Usd{round_units(static_cast<long double>(d) * kUnitsPerDollar)}; }

std::int64_t Usd::rounded_cents() const {
  constexpr std::int64_t per_cent = kUnitsPerDollar / 100;
  const std::int64_t half = per_cent / 2;
  return units >= 0 ? (units + half) / per_cent : -((-units + half) / per_cent);
}

std::optional<Usd> parse_usd(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  int decimals = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (seen_point) {
      if (++decimals > kDecimals) return std::nullopt;
      fraction = fraction * 10 + (c - '0');
    } else {
      if (whole > 90'000'000) return std::nullopt;  // keeps units within 64 bits
      whole = whole * 10 + (c - '0');
    }
  }
  if (!seen_digit) return std::nullopt;
  for (int i = decimals; i < kDecimals; ++i) fraction *= 10;
  return Usd{whole * Usd::kUnitsPerDollar + fraction};
}

Usd multiply(double quantity, Usd unit_price) {
  return Usd{round_units(static_cast<long double>(quantity) * static_cast<long double>(unit_price.units))};
}

std::string format_cents(Usd amount) {
  const std::int64_t c = amount.rounded_cents();
  const std::int64_t a = std::llabs(c);
  return fmt::format("{}{}.{:02}", c < 0 ? "-" : "", a / 100, a % 100);
}

std::string format_price(Usd amount) {
  const std::int64_t a = std::llabs(amount.units);
  std::string frac = fmt::format("{:010}", a % Usd::kUnitsPerDollar);
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  return fmt::format("{}{}.{}", amount.units < 0 ? "-" : "", a / Usd::kUnitsPerDollar, frac);
}

}  // namespace archsim::pricing
