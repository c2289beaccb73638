// Request-walk benchmark: the ADR-0005 chosen design (internet -> ALB in two zones -> ECS
// tasks in two zones) under Poisson traffic, through the full walk with its meters.
// Prints simulated requests per second of wall time and the peak resident memory.
// Run from the repository root: build/release/bench/walk_bench [hours] [rate_per_second]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/resource.h>

#include "archsim/model/load.hpp"
#include "archsim/sim/simulate.hpp"

int main(int argc, char** argv) {
  using namespace archsim;
  const int hours = argc > 1 ? std::atoi(argv[1]) : 24;
  const double rate = argc > 2 ? std::atof(argv[2]) : 200.0;
  const auto& facts = model::builtin_aws_facts();
  const auto loaded = model::load_scenario("scenarios/adr0005.yaml", facts);
  if (!loaded.ok()) {
    std::fprintf(stderr, "walk_bench: run from the repository root (scenarios/adr0005.yaml must load)\n");
    return 2;
  }
  model::Diagnostics d;
  const std::string yaml = "horizon: " + std::to_string(hours) + "h\nseed: 1\narrivals: {rate: " + std::to_string(rate) +
                           "/s}\ncomponents:\n  api: {service_time: {lognormal: {median: 25ms, p99: 200ms}}, concurrency: 64}\n";
  const auto workload = sim::decode_workload_text(yaml, "bench", ".", d);
  const auto& topology = loaded.scenario->alternatives.front().topology;
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = sim::simulate(topology, *workload, sim::builtin_sim_defaults());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (outcome.error) {
    std::fprintf(stderr, "walk_bench: %s\n", outcome.error->diagnostic.message.c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto requests = outcome.result->overall.total();
  std::printf("ADR-0005 chosen design, %d h at %.0f/s: %llu requests, %llu events in %.2f s\n", hours, rate,
              static_cast<unsigned long long>(requests), static_cast<unsigned long long>(outcome.result->events), seconds);
  std::printf("%.2f M simulated requests/s, %.1f M events/s, peak RSS %.1f MiB\n", static_cast<double>(requests) / seconds / 1e6,
              static_cast<double>(outcome.result->events) / seconds / 1e6, static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
