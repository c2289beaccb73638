// Random numbers: one independent, seeded stream per source of randomness.
//
// A run's streams all derive from the scenario seed and a stable name (`source:main`,
// `component:api`, `replication:3`), so adding a component gives it a fresh stream without
// shifting the numbers any other component draws, and the same seed gives the same numbers on
// every machine. The generator is xoshiro256** seeded through splitmix64; the variates are
// computed by our own code (not <random>'s distributions, whose algorithms differ between
// standard libraries) so output is bit-identical across platforms.
#pragma once

#include <cstdint>
#include <string_view>

namespace archsim::sim {

/// A 64-bit seed for the stream called `name` under `parent`.
std::uint64_t derive_seed(std::uint64_t parent, std::string_view name);
std::uint64_t derive_seed(std::uint64_t parent, std::string_view name, std::uint64_t index);

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 0);

  std::uint64_t next_u64();
  /// Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_open0() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }
  /// Exponential with the given mean.
  double exponential(double mean);
  /// Standard normal (Marsaglia's polar method; the spare value is kept for the next call).
  double normal();
  /// Uniform integer in [0, n) without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n);
  /// Poisson with the given mean: exact (Knuth's product of uniforms) below a mean of 30, the
  /// normal approximation with continuity rounding above (relative error under 1/sqrt(mean)
  /// in the tails, nothing a count of requests notices).
  std::uint64_t poisson(double mean);
  /// Binomial(n, p): Bernoulli draws for small n, Poisson for rare (or near-certain) events,
  /// the normal approximation otherwise; always within [0, n].
  std::uint64_t binomial(std::uint64_t n, double p);

 private:
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace archsim::sim
