// Simulation fixtures: the rule tests' reference topology, simulated under a workload given as
// YAML text, with the network and the load balancer made instantaneous where a test needs
// exact arithmetic.
#pragma once

#include <string>

#include "archsim/sim/simulate.hpp"

namespace archsim::test {

/// Decodes `workload_yaml` (fails the test on a diagnostic).
sim::WorkloadSpec workload(const std::string& workload_yaml);

/// Simulates the reference topology (tests/support/good_topology.yaml) with `overrides`.
sim::SimOutcome simulate_good(const std::string& overrides, const sim::WorkloadSpec& workload,
                              const sim::SimOptions& options = {});

/// Network delays of zero on every relation, as workload YAML (indented for `workload:`).
std::string zero_network_yaml();

/// One ECS task with `concurrency` slots and an unbounded queue behind an instantaneous ALB,
/// Poisson arrivals at `rate` per second: an M/G/c queue reached through the request walk.
sim::SimResult simulate_single_service(int concurrency, double rate, const std::string& service_time, sim::Duration horizon);

}  // namespace archsim::test
