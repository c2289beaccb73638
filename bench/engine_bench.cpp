// Engine benchmark: an M/M/4 queue at utilisation 0.8 for 20 million customers, written
// against the engine's own API (bench/mmc_model.hpp). Prints events per second and ns per event.
// Run: build/release/bench/engine_bench [customers]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "mmc_model.hpp"

int main(int argc, char** argv) {
  const std::uint64_t customers = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  archsim::sim::Engine engine;
  const double mu = 100.0;
  archsim::bench::MmcQueue queue(engine, 4, 0.8 * 4 * mu, mu, customers, 1);
  const auto start = std::chrono::steady_clock::now();
  const auto stats = engine.run(archsim::sim::Time{INT64_MAX}, UINT64_MAX);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("M/M/4 rho=0.8: %llu customers, %llu events in %.3f s\n", static_cast<unsigned long long>(queue.served()),
              static_cast<unsigned long long>(stats.events), seconds);
  std::printf("%.1f M events/s, %.1f ns/event, peak pending %zu, mean wait %.4f ms\n",
              static_cast<double>(stats.events) / seconds / 1e6, seconds * 1e9 / static_cast<double>(stats.events),
              stats.peak_pending, queue.mean_wait_seconds() * 1e3);
  return 0;
}
