#include "archsim/sim/simulate.hpp"

#include "archsim/sim/fidelity.hpp"

#include <exception>
#include <mutex>
#include <thread>

#include "runtime.hpp"
#include "replication.hpp"

namespace archsim::sim {

std::optional<model::Diagnostic> check_runnable(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                                const SimDefaults& defaults) {
  model::Diagnostic error;
  if (detail::build_runtime(topology, workload, defaults, error)) return std::nullopt;
  return error;
}

SimOutcome simulate(const model::TopologySpec& topology, const WorkloadSpec& workload, const SimDefaults& defaults,
                    const SimOptions& options) {
  SimOutcome outcome;
  model::Diagnostic error;
  const auto runtime = detail::build_runtime(topology, workload, defaults, error);
  if (!runtime) {
    outcome.error = SimError{error};
    return outcome;
  }
  const std::uint64_t seed = options.seed.value_or(workload.seed);
  const Duration horizon = options.horizon.value_or(workload.horizon);
  std::optional<WorkloadSpec> at_horizon;  // a copy only when the horizon is overridden
  if (horizon.ns != workload.horizon.ns) {
    at_horizon = workload;
    at_horizon->horizon = horizon;
  }
  std::string why;
  const auto choice = choose_fidelity(topology, at_horizon ? *at_horizon : workload, defaults, options.fidelity,
                                      workload.replications, why);
  if (!choice) {
    outcome.error = SimError{model::Diagnostic{model::Severity::Error, {}, workload.path, why}};
    return outcome;
  }
  const Fidelity fidelity = choice->fidelity;
  const auto n = static_cast<std::size_t>(workload.replications);
  std::vector<std::optional<SimResult>> results(n);
  std::vector<std::optional<model::Diagnostic>> errors(n);
  std::vector<std::exception_ptr> crashes(n);
  std::mutex progress_mutex;
  auto run_one = [&](std::size_t i) {
    try {
      // Each replication's streams derive from its own seed, so the thread that runs it
      // and the order replications finish in cannot change a single number.
      detail::Replication replication(*runtime, workload, horizon, derive_seed(seed, "replication", i), fidelity);
      std::function<void(const Progress&)> progress;
      if (options.progress) {
        progress = [&](const Progress& p) {
          const std::lock_guard lock(progress_mutex);
          options.progress(p);
        };
      }
      errors[i] = replication.run(progress, static_cast<int>(i));
      if (!errors[i]) results[i] = replication.take_result();
    } catch (...) {
      crashes[i] = std::current_exception();
    }
  };
  const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
  if (threads == 1 || n == 1) {
    for (std::size_t i = 0; i < n; ++i) run_one(i);
  } else {
    std::vector<std::thread> pool;
    std::size_t next = 0;
    std::mutex next_mutex;
    for (std::size_t t = 0; t < std::min(threads, n); ++t) {
      pool.emplace_back([&] {
        for (;;) {
          std::size_t i;
          {
            const std::lock_guard lock(next_mutex);
            if (next >= n) return;
            i = next++;
          }
          run_one(i);
        }
      });
    }
    for (auto& t : pool) t.join();
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (crashes[i]) std::rethrow_exception(crashes[i]);
    if (errors[i]) {
      outcome.error = SimError{*errors[i]};
      return outcome;
    }
  }
  SimResult merged;
  for (auto& r : results) merged.merge(*r);  // in replication order: the same bytes on any thread count
  merged.fidelity_reason = choice->reason;
  outcome.result = std::move(merged);
  return outcome;
}

}  // namespace archsim::sim
