// Quantities with their unit in the type: durations, byte sizes.
//
// Scenario files always write the unit (`30s`, `250ms`, `30d`, `512MiB`, `1.5GB`); a bare
// number where a duration or size is expected is an error rather than a guess at the unit.
// Simulated time is integer nanoseconds so that runs are exact and reproducible.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archsim::model {

/// A span of time in integer nanoseconds.
struct Duration {
  std::int64_t ns = 0;

  static constexpr Duration nanoseconds(std::int64_t n) { return Duration{n}; }
  static constexpr Duration milliseconds(std::int64_t n) { return Duration{n * 1'000'000}; }
  static constexpr Duration seconds(std::int64_t n) { return Duration{n * 1'000'000'000}; }
  static constexpr Duration minutes(std::int64_t n) { return seconds(n * 60); }
  static constexpr Duration hours(std::int64_t n) { return minutes(n * 60); }
  static constexpr Duration days(std::int64_t n) { return hours(n * 24); }

  constexpr double to_seconds() const { return static_cast<double>(ns) / 1e9; }
  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration other) const { return Duration{ns + other.ns}; }
  constexpr Duration operator-(Duration other) const { return Duration{ns - other.ns}; }
  constexpr Duration operator*(std::int64_t k) const { return Duration{ns * k}; }
};

namespace literals {
constexpr Duration operator""_ms(unsigned long long n) { return Duration::milliseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_s(unsigned long long n) { return Duration::seconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_min(unsigned long long n) { return Duration::minutes(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_h(unsigned long long n) { return Duration::hours(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_d(unsigned long long n) { return Duration::days(static_cast<std::int64_t>(n)); }
}  // namespace literals

/// Parses `250ms`, `30s`, `5m`, `1h30m`, `30d`, `1.5s` (units ns, us, ms, s, m, h, d; parts
/// may be chained, largest first). Returns nullopt for anything else, including a bare number,
/// a negative value or a value past about 292 years.
std::optional<Duration> parse_duration(std::string_view text);

/// A finite decimal number with nothing around it but spaces (`2`, ` 0.5 `, `1e-3`); nullopt
/// for anything else.
std::optional<double> parse_finite_number(std::string_view text);

/// A duration in seconds, as a double: the syntax of parse_duration without its 292-year range,
/// for quantities that add many durations up (a month of connection-seconds is billions).
std::optional<double> parse_duration_seconds(std::string_view text);

/// Shortest exact rendering: `30s`, `250ms`, `1h30m`, `0s`.
std::string format_duration(Duration d);

/// The longest duration a scenario may write, and a sampled duration may take: ten years and
/// a day, CloudWatch Logs' longest retention (3653 days). Simulated time adds a few of these
/// to a clock of at most 400 days, far inside the 292 years 64-bit nanoseconds hold
/// (docs/limits.md).
inline constexpr Duration kMaxDuration = Duration::days(3653);

/// A size in bytes.
struct Bytes {
  std::int64_t count = 0;

  constexpr auto operator<=>(const Bytes&) const = default;
  constexpr double to_gib() const { return static_cast<double>(count) / (1024.0 * 1024.0 * 1024.0); }
  constexpr double to_mib() const { return static_cast<double>(count) / (1024.0 * 1024.0); }
  constexpr double to_gb() const { return static_cast<double>(count) / 1e9; }
};

/// Parses `512MiB`, `4KiB`, `900MB`, `1.5GB`, `20GiB`, `300B` (decimal KB/MB/GB/TB and binary
/// KiB/MiB/GiB/TiB). Returns nullopt for a bare number or an unknown unit.
std::optional<Bytes> parse_bytes(std::string_view text);
/// The syntax of parse_bytes as a double number of bytes, without the 2^63-byte range (usage totals).
std::optional<double> parse_byte_amount(std::string_view text);
/// The byte units parse_bytes takes, for messages: `B, KB, MB, GB, TB, KiB, MiB, GiB, TiB`.
std::string_view byte_unit_names();

/// Rendering in the largest binary unit that keeps the value exact (`512MiB`, `1.5GiB` is `1536MiB`).
std::string format_bytes(Bytes b);

}  // namespace archsim::model
