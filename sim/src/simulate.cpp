#include "archsim/sim/simulate.hpp"

#include <exception>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "from_runtime.hpp"
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
  // The model does not depend on the horizon: the one built above serves the choice too.
  const FidelityChoice choice = options.fidelity_choice ? *options.fidelity_choice
                                                        : detail::choose_fidelity(*runtime, at_horizon ? *at_horizon : workload, defaults,
                                                                                  options.fidelity, workload.replications);
  const Fidelity fidelity = choice.fidelity;
  if (options.first_replication < 0 || (options.first_replication > 0 && workload.precision)) {
    outcome.error = SimError{model::Diagnostic{model::Severity::Error, {}, "workload.replications", "a slice of replications (first_replication) needs a fixed count, not replications: {until: ...}"}};
    return outcome;
  }
  const auto first = static_cast<std::size_t>(options.first_replication);
  const auto n = static_cast<std::size_t>(workload.replications);
  std::vector<std::optional<SimResult>> results(n);
  std::vector<std::optional<model::Diagnostic>> errors(n);
  std::vector<std::exception_ptr> crashes(n);
  std::mutex progress_mutex;
  auto run_one = [&](std::size_t i) {
    try {
      // Each replication's streams derive from its own seed, so the thread that runs it
      // and the order replications finish in cannot change a single number.
      const std::size_t number = first + i;  // in the whole run, of which this may be a slice
      detail::Replication replication(*runtime, workload, horizon, derive_seed(seed, "replication", number), fidelity);
      std::function<void(const Progress&)> progress;
      if (options.progress) {
        progress = [&](const Progress& p) {
          const std::lock_guard lock(progress_mutex);
          options.progress(p);
        };
      }
      errors[i] = replication.run(progress, static_cast<int>(number));
      if (!errors[i]) results[i] = replication.take_result();
    } catch (...) {
      crashes[i] = std::current_exception();
    }
  };
  // Replications [begin, end) on the pool.
  const auto threads = static_cast<std::size_t>(std::max(1, options.threads));
  auto run_range = [&](std::size_t begin, std::size_t end) {
    if (threads == 1 || end - begin == 1) {
      for (std::size_t i = begin; i < end; ++i) run_one(i);
      return;
    }
    std::vector<std::thread> pool;
    std::size_t next = begin;
    std::mutex next_mutex;
    for (std::size_t t = 0; t < std::min(threads, end - begin); ++t) {
      pool.emplace_back([&] {
        for (;;) {
          std::size_t i;
          {
            const std::lock_guard lock(next_mutex);
            if (next >= end) return;
            i = next++;
          }
          run_one(i);
        }
      });
    }
    for (auto& t : pool) t.join();
  };
  // The batches are fixed by the workload alone (min, then kBatch at a time), and each is
  // judged on the replications before it in order: the count reached is the seed's, never
  // the thread count's.
  const bool until = workload.precision.has_value() && options.precision;
  SimResult merged;
  std::string stopped;
  for (std::size_t done = 0; done < n;) {
    const std::size_t batch = until ? static_cast<std::size_t>(done == 0 ? workload.precision->min : ReplicationTarget::kBatch) : n;
    const std::size_t end = std::min(n, done + batch);
    run_range(done, end);
    for (std::size_t i = done; i < end; ++i) {
      if (crashes[i]) std::rethrow_exception(crashes[i]);
      if (errors[i]) {
        outcome.error = SimError{*errors[i]};
        return outcome;
      }
      merged.merge(*results[i]);  // in replication order: the same bytes on any thread count
      results[i].reset();
    }
    done = end;
    if (!until) continue;
    const PrecisionCheck check = options.precision(merged);
    if (check.enough) {
      stopped = fmt::format("stopped after {} replications, every interval narrow enough: {}", done, check.detail);
      break;
    }
    if (done >= n) stopped = fmt::format("reached the most replications, {}, with intervals still too wide: {}", n, check.detail);
  }
  merged.replications_reason = stopped;
  merged.fidelity_reason = choice.reason;
  outcome.result = std::move(merged);
  return outcome;
}

}  // namespace archsim::sim
