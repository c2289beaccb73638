#include "archsim/sim/random.hpp"

#include <algorithm>
#include <cmath>

namespace archsim::sim {

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t derive_seed(std::uint64_t parent, std::string_view name) {
  // FNV-1a of the name, mixed with the parent through splitmix64: stable across platforms.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  std::uint64_t state = parent ^ rotl(h, 17);
  splitmix64(state);
  return splitmix64(state);
}

std::uint64_t derive_seed(std::uint64_t parent, std::string_view name, std::uint64_t index) {
  std::uint64_t state = derive_seed(parent, name) + index * 0x9e3779b97f4a7c15ULL;
  return splitmix64(state);
}

RandomStream::RandomStream(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::exponential(double mean) { return -mean * std::log(uniform_open0()); }

double RandomStream::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double m = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * m;
  has_spare_ = true;
  return u * m;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  if (n <= 1) return 0;
  __extension__ using u128 = unsigned __int128;
  std::uint64_t x = next_u64();
  u128 m = static_cast<u128>(x) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = next_u64();
      m = static_cast<u128>(x) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::uint64_t RandomStream::poisson(double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const double limit = std::exp(-mean);
    std::uint64_t k = 0;
    for (double p = uniform(); p > limit; p *= uniform()) ++k;
    return k;
  }
  const double x = std::round(mean + std::sqrt(mean) * normal());
  return x <= 0 ? 0 : static_cast<std::uint64_t>(std::min(x, 1.8e19));
}

std::uint64_t RandomStream::binomial(std::uint64_t n, double p) {
  if (n == 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (n < 40) {
    std::uint64_t k = 0;
    for (std::uint64_t i = 0; i < n; ++i) k += uniform() < p ? 1 : 0;
    return k;
  }
  const auto nd = static_cast<double>(n);
  if (nd * p < 30) return std::min(n, poisson(nd * p));
  if (nd * (1 - p) < 30) return n - std::min(n, poisson(nd * (1 - p)));
  const double x = std::round(nd * p + std::sqrt(nd * p * (1 - p)) * normal());
  return x <= 0 ? 0 : std::min(n, static_cast<std::uint64_t>(x));
}

}  // namespace archsim::sim
