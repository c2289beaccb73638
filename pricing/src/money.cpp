#include "archsim/pricing/money.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace archsim::pricing {

namespace {

constexpr int kDecimals = 10;

UsdUnits round_units(long double value) {
  const long double rounded = std::round(value);
  if (!std::isfinite(rounded) || std::fabs(rounded) > static_cast<long double>(Usd::kMaxUnits)) {
    throw std::overflow_error(fmt::format("an amount of {:.3Lg} USD is beyond what archsim bills (1e24 USD)",
                                          value / static_cast<long double>(Usd::kUnitsPerDollar)));
  }
  return static_cast<UsdUnits>(rounded);
}

UsdUnits absolute(UsdUnits v) { return v < 0 ? -v : v; }

/// Decimal digits of a non-negative 128-bit value.
std::string digits(UsdUnits v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

}  // namespace

Usd Usd::dollars(double d) { return Usd{round_units(static_cast<long double>(d) * kUnitsPerDollar)}; }

UsdUnits Usd::rounded_cents() const {
  constexpr UsdUnits per_cent = kUnitsPerDollar / 100;
  const UsdUnits half = per_cent / 2;
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
  return Usd{static_cast<UsdUnits>(whole) * Usd::kUnitsPerDollar + fraction};
}

Usd multiply(double quantity, Usd unit_price) {
  return Usd{round_units(static_cast<long double>(quantity) * static_cast<long double>(unit_price.units))};
}

std::string format_cents(Usd amount) {
  const UsdUnits c = amount.rounded_cents();
  const UsdUnits a = absolute(c);
  return fmt::format("{}{}.{:02}", c < 0 ? "-" : "", digits(a / 100), static_cast<int>(a % 100));
}

std::string format_price(Usd amount) {
  const UsdUnits a = absolute(amount.units);
  std::string frac = fmt::format("{:010}", static_cast<std::int64_t>(a % Usd::kUnitsPerDollar));
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  return fmt::format("{}{}.{}", amount.units < 0 ? "-" : "", digits(a / Usd::kUnitsPerDollar), frac);
}

}  // namespace archsim::pricing
