// Simulation fixtures: the rule tests' reference topology, simulated under a workload given as
// YAML text, with the network and the load balancer made instantaneous where a test needs
// exact arithmetic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "archsim/sim/simulate.hpp"

namespace archsim::test {

/// Decodes `workload_yaml` (fails the test on a diagnostic).
sim::WorkloadSpec workload(const std::string& workload_yaml);

/// The diagnostics of decoding `workload_yaml` as the file `w.yaml`, one formatted line each.
std::string workload_errors(const std::string& workload_yaml);

/// Simulates the reference topology (tests/support/good_topology.yaml) with `overrides`.
sim::SimOutcome simulate_good(const std::string& overrides, const sim::WorkloadSpec& workload,
                              const sim::SimOptions& options = {}, const sim::SimDefaults& defaults = sim::builtin_sim_defaults());

/// simulate_good that fails the test on a simulation error and returns the result.
sim::SimResult run_good(const std::string& overrides, const std::string& workload_yaml);

/// Seconds from the start of the run to the first incident `what` at or after `from_s` whose
/// subject starts with `subject`.
std::optional<double> first_incident(const sim::SimResult& r, std::string_view what, std::string_view subject = "",
                                     double from_s = 0);

/// Whether some incident `what` has `fragment` in its subject.
bool has_incident(const sim::SimResult& r, std::string_view what, std::string_view fragment);

/// A usage meter's total over the run (0 when the component has no such meter).
double meter_total(const sim::SimResult& r, std::string_view component, std::string_view meter);

/// Network delays of zero on every relation, as workload YAML (indented for `workload:`).
std::string zero_network_yaml();

/// One ECS task with `concurrency` slots and an unbounded queue behind an instantaneous ALB,
/// Poisson arrivals at `rate` per second: an M/G/c queue reached through the request walk.
sim::SimResult simulate_single_service(int concurrency, double rate, const std::string& service_time, sim::Duration horizon,
                                       sim::Fidelity fidelity = sim::Fidelity::Request);

}  // namespace archsim::test
