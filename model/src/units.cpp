#include "archsim/model/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace archsim::model {

namespace {

struct Unit {
  std::string_view suffix;
  double scale;  // in the base unit (ns or bytes)
};

// Splits `1.5GB` into a non-negative number and its suffix; false when either is missing.
bool split_number(std::string_view text, std::size_t& pos, double& number) {
  const std::size_t start = pos;
  while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.')) ++pos;
  if (pos == start) return false;
  const auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + pos, number);
  return ec == std::errc() && ptr == text.data() + pos && std::isfinite(number);
}

template <std::size_t N>
std::optional<double> parse_quantity(std::string_view text, const std::array<Unit, N>& units, bool chained) {
  std::size_t pos = 0;
  double total = 0;
  double previous_scale = std::numeric_limits<double>::infinity();
  bool any = false;
  while (pos < text.size()) {
    double number = 0;
    if (!split_number(text, pos, number)) return std::nullopt;
    std::size_t end = pos;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view suffix = text.substr(pos, end - pos);
    const Unit* unit = nullptr;
    for (const auto& u : units) {
      if (u.suffix == suffix) unit = &u;
    }
    if (unit == nullptr || unit->scale >= previous_scale) return std::nullopt;
    previous_scale = unit->scale;
    total += number * unit->scale;
    any = true;
    pos = end;
    if (!chained && pos != text.size()) return std::nullopt;
  }
  if (!any) return std::nullopt;
  return total;
}

constexpr std::array<Unit, 7> kDurationUnits{{{"ns", 1.0},
                                              {"us", 1e3},
                                              {"ms", 1e6},
                                              {"s", 1e9},
                                              {"m", 60e9},
                                              {"h", 3600e9},
                                              {"d", 86400e9}}};

constexpr std::array<Unit, 9> kByteUnits{{{"B", 1.0},
                                          {"KB", 1e3},
                                          {"MB", 1e6},
                                          {"GB", 1e9},
                                          {"TB", 1e12},
                                          {"KiB", 1024.0},
                                          {"MiB", 1024.0 * 1024},
                                          {"GiB", 1024.0 * 1024 * 1024},
                                          {"TiB", 1024.0 * 1024 * 1024 * 1024}}};

std::optional<std::int64_t> to_count(double value) {
  const double rounded = std::round(value);
  if (!(rounded >= 0) || rounded > 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(rounded);
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  const auto ns = parse_quantity(text, kDurationUnits, /*chained=*/true);
  if (!ns) return std::nullopt;
  const auto count = to_count(*ns);
  if (!count) return std::nullopt;
  return Duration{*count};
}

std::optional<double> parse_finite_number(std::string_view t) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  double v = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || p != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_duration_seconds(std::string_view text) {
  const auto ns = parse_quantity(text, kDurationUnits, /*chained=*/true);
  if (!ns || !std::isfinite(*ns)) return std::nullopt;
  return *ns / 1e9;
}

std::string format_duration(Duration d) {
  if (d.ns == 0) return "0s";
  std::string out;
  std::int64_t rest = d.ns;
  if (rest < 0) {
    out = "-";
    rest = -rest;
  }
  // Whole-unit parts from days down to seconds, then one sub-second part.
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 4> parts{
      {{86'400'000'000'000, "d"}, {3'600'000'000'000, "h"}, {60'000'000'000, "m"}, {1'000'000'000, "s"}}};
  for (const auto& [scale, suffix] : parts) {
    if (rest >= scale) {
      out += std::to_string(rest / scale);
      out += suffix;
      rest %= scale;
    }
  }
  if (rest > 0) {
    if (rest % 1'000'000 == 0) {
      out += std::to_string(rest / 1'000'000) + "ms";
    } else if (rest % 1'000 == 0) {
      out += std::to_string(rest / 1'000) + "us";
    } else {
      out += std::to_string(rest) + "ns";
    }
  }
  return out;
}

std::optional<Bytes> parse_bytes(std::string_view text) {
  const auto count = parse_quantity(text, kByteUnits, /*chained=*/false);
  if (!count) return std::nullopt;
  const auto whole = to_count(*count);
  if (!whole) return std::nullopt;
  return Bytes{*whole};
}

std::optional<double> parse_byte_amount(std::string_view text) {
  const auto count = parse_quantity(text, kByteUnits, /*chained=*/false);
  if (!count || !std::isfinite(*count)) return std::nullopt;
  return *count;
}

std::string_view byte_unit_names() { return "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB"; }

std::string format_bytes(Bytes b) {
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 4> units{
      {{1ll << 40, "TiB"}, {1ll << 30, "GiB"}, {1ll << 20, "MiB"}, {1ll << 10, "KiB"}}};
  for (const auto& [scale, suffix] : units) {
    if (b.count >= scale && b.count % scale == 0) return std::to_string(b.count / scale) + std::string(suffix);
  }
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 4> decimal{
      {{1'000'000'000'000, "TB"}, {1'000'000'000, "GB"}, {1'000'000, "MB"}, {1'000, "KB"}}};
  for (const auto& [scale, suffix] : decimal) {
    if (b.count >= scale && b.count % scale == 0) return std::to_string(b.count / scale) + std::string(suffix);
  }
  return std::to_string(b.count) + "B";
}

}  // namespace archsim::model
