// Month benchmark: ADR-0005 with its shipped workload (profiles, burst, zone outage) scaled to
// a given peak rate, every alternative, a 730-hour billing month, at flow or request fidelity,
// through the whole pipeline `archsim run` uses (pipeline::run_scenario: simulated, billed per
// replication, judged). Prints the wall time, the flow model's segments and the peak resident
// memory. The issue's
// targets (docs/performance.md): 5 alternatives x 10 replications at a 2,000 req/s peak under
// 60 s with --fidelity flow, and less than 1.5x the time when the peak grows 100x.
// Run from the repository root:
//   build/release/bench/month_bench [peak_per_second=2000] [hours=730] [replications=10] [flow|request] [alternatives=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <sys/resource.h>

#include "archsim/model/load.hpp"
#include "archsim/model/rules.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/reports/review.hpp"
#include "archsim/sim/simulate.hpp"

int main(int argc, char** argv) {
  using namespace archsim;
  const double peak = argc > 1 ? std::atof(argv[1]) : 2000.0;
  const int hours = argc > 2 ? std::atoi(argv[2]) : 730;
  const int replications = argc > 3 ? std::atoi(argv[3]) : 10;
  const std::string fidelity = argc > 4 ? argv[4] : "flow";
  const std::size_t alternatives = argc > 5 ? static_cast<std::size_t>(std::atoi(argv[5])) : 5;
  if (peak <= 0 || hours <= 0 || replications <= 0 || (fidelity != "flow" && fidelity != "request")) {
    std::fprintf(stderr, "usage: month_bench [peak_per_second] [hours] [replications] [flow|request] [alternatives]\n");
    return 2;
  }
  const auto loaded = model::load_scenario("scenarios/adr0005.yaml", model::builtin_aws_facts());
  model::Diagnostics d;
  auto workload = loaded.ok() ? sim::decode_workload(*loaded.scenario, d) : std::nullopt;
  if (!workload) {
    std::fprintf(stderr, "month_bench: run from the repository root (scenarios/adr0005.yaml must load)\n");
    return 2;
  }
  // The shipped profile peaks at its base rate x its largest multiplier (the burst).
  workload->arrivals.rate_per_second *= peak / workload->arrivals.max_rate();
  workload->horizon = sim::Duration::hours(hours);
  workload->replications = replications;
  sim::SimOptions options;
  options.fidelity = fidelity == "flow" ? sim::Fidelity::Flow : sim::Fidelity::Request;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const model::ScenarioSpec& scenario = *loaded.scenario;
  const auto n = std::min(alternatives, scenario.alternatives.size());
  const auto pricing_context = pricing::prepare_pricing(scenario, d);
  if (!pricing_context) {
    std::fprintf(stderr, "month_bench: the scenario's price books do not load\n");
    return 2;
  }
  const auto review = reports::make_review_report("scenarios/adr0005.yaml", &scenario, {},
                                                  model::review_scenario(scenario, model::builtin_aws_facts()), model::builtin_aws_facts());
  const pipeline::RunRequest request{scenario, review, *workload, *pricing_context, options, {}, {}, false};
  std::uint64_t requests = 0, events = 0;
  const auto start = std::chrono::steady_clock::now();
  // The first n alternatives, each as `archsim run` runs it (pipeline::run_alternative).
  for (std::size_t a = 0; a < n; ++a) {
    const auto declared = pricing::declared_usage(scenario, scenario.alternatives[a].topology, d);
    if (!declared) {
      std::fprintf(stderr, "month_bench: the scenario's usage block does not load\n");
      return 2;
    }
    const auto alt = pipeline::run_alternative(request, scenario.alternatives[a], *declared);
    if (alt.error) {
      std::fprintf(stderr, "month_bench: %s: %s\n", alt.id.c_str(), alt.error->message.c_str());
      return 1;
    }
    requests += alt.result->overall.total();
    events += alt.result->events;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("ADR-0005, %zu alternatives x %d replications, %d h, peak %.0f/s, %s fidelity, %d threads: %.2f s\n", n, replications,
              hours, peak, fidelity.c_str(), options.threads, seconds);
  std::printf("%.3g simulated requests, %.3g events and segments, peak RSS %.1f MiB\n", static_cast<double>(requests),
              static_cast<double>(events), static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
