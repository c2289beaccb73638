// Money in fixed point, so that a bill adds up to the cent the same way on every machine.
//
// Prices in AWS's books go down to ten decimal places (Lambda's 0.0000166667 USD per GB-second),
// so amounts are kept as whole units of 1e-10 USD in 128 bits (up to about 1.7e28 USD): 64 bits
// would stop at about 920 million USD, which a large declared usage can exceed in one line.
// Prices are parsed from their decimal text, never through a double; only the product of a
// measured quantity (a double) and a price rounds, once, to the nearest unit. Bills show cents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archsim::pricing {

/// Whole 1e-10 USD units (a GCC/Clang extension type, named once here).
__extension__ typedef __int128 UsdUnits;

struct Usd {
  static constexpr UsdUnits kUnitsPerDollar = 10'000'000'000;  ///< 1e10: ten decimal places
  /// The largest amount multiply() produces (1e34 units, 1e24 USD): far beyond any bill, and
  /// low enough that sums of 10,000 such amounts (a bill's hours and lines) stay within 128 bits.
  static constexpr UsdUnits kMaxUnits = static_cast<UsdUnits>(1'000'000'000'000'000'000) * 10'000'000'000'000'000;

  UsdUnits units = 0;

  static constexpr Usd from_units(UsdUnits u) { return Usd{u}; }
  /// Whole cents, for limits and test oracles written as `Usd::cents(2645)`.
  static constexpr Usd cents(std::int64_t c) { return Usd{c * (kUnitsPerDollar / 100)}; }
  /// A dollar amount given as a double (budget limits from YAML); rounded to the nearest unit.
  static Usd dollars(double d);

  double to_double() const { return static_cast<double>(units) / static_cast<double>(kUnitsPerDollar); }
  /// Rounded half away from zero to whole cents, as a bill line shows it.
  UsdUnits rounded_cents() const;

  constexpr Usd& operator+=(Usd o) { units += o.units; return *this; }
  constexpr Usd& operator-=(Usd o) { units -= o.units; return *this; }
  friend constexpr Usd operator+(Usd a, Usd b) { return Usd{a.units + b.units}; }
  friend constexpr Usd operator-(Usd a, Usd b) { return Usd{a.units - b.units}; }
  friend constexpr bool operator==(Usd a, Usd b) = default;
  friend constexpr auto operator<=>(Usd a, Usd b) = default;
};

/// Parses a decimal price (`0.0225`, `3.5`, `1`) exactly. Empty when the text is not a plain
/// non-negative decimal or has more than ten decimal places.
std::optional<Usd> parse_usd(std::string_view text);

/// quantity x unit price, rounded once to the nearest 1e-10 USD. Throws std::overflow_error
/// when the product is not finite or exceeds Usd::kMaxUnits (never a wrapped amount).
Usd multiply(double quantity, Usd unit_price);

/// `26.45` (two decimals, for totals and lines).
std::string format_cents(Usd amount);
/// `0.0000166667` (every significant decimal, for unit prices).
std::string format_price(Usd amount);

}  // namespace archsim::pricing
