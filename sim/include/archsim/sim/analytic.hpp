// Analytic availability, beside the simulation: what the graph and the fault rates say in
// steady state, with no randomness, so a reviewer can check the simulated figure against
// arithmetic (docs/faults.md, "Analytic availability").
//
// The model enumerates every up/down combination of the zones (zones fail independently),
// and for each combination composes the components along every route in series; a load
// balancer is up while one of its zones is; an ECS service is k-out-of-n over its tasks,
// with n the tasks the scheduler can keep in live zones; a Multi-AZ RDS instance is a Markov
// chain (up with standby, failing over, up without standby, down) solved with Eigen. Fault
// rates come from the workload's stochastic faults (mean time to failure and to repair);
// scheduled faults are taken on the run's timeline, stretch by stretch, weighted by traffic.
//
// On top of that steady state, each zone outage costs a first-order transient: the requests
// that reach the failed zone's load balancer node until DNS drops it and the clients' TTL runs
// out, those sent to its targets until health checks mark them unhealthy, and the database's
// failover when its primary was there. A transient counts only on requests the route would
// have served after the outage began, so a route the outage takes down loses none on top.
// Scheduled outages weigh by the arrival rate at their start. Launch delays and queueing on
// the surviving capacity are left to the simulation.
#pragma once

#include <string>
#include <vector>

#include "archsim/model/spec.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim {

struct ComponentAvailability {
  std::string component;
  std::string model;   ///< `series`, `1-of-2 tasks`, `Markov: Multi-AZ RDS (5 states)`, ...
  double availability = 1;  ///< with every zone up
};

struct RouteAvailability {
  std::string route;
  double share = 0;
  double availability = 1;    ///< steady state minus the transients
  double steady_state = 1;    ///< over every combination of zone states
  double transient_loss = 0;  ///< share of requests lost to detection, DNS and failover transients
  std::vector<ComponentAvailability> parts;
};

struct AnalyticAvailability {
  double availability = 1;  ///< routes weighted by their share of requests, transients included
  double steady_state = 1;  ///< the same without transients
  std::vector<RouteAvailability> routes;
  std::vector<std::string> zones;  ///< zone: availability, for the zones with outages
  std::vector<std::string> notes;  ///< what the steady-state model leaves out for this design
};

/// The analytic availability of one alternative under the workload's faults; nullopt (with
/// `error`) when the workload cannot run on the topology.
std::optional<AnalyticAvailability> analyse_availability(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                                         const SimDefaults& defaults, std::string& error);

/// Steady-state probabilities of a continuous-time Markov chain given its transition rates
/// (`rates[i][j]`: from state i to state j, per second; the diagonal is ignored).
std::vector<double> ctmc_steady_state(const std::vector<std::vector<double>>& rates);

/// Availability of a Multi-AZ RDS instance whose primary fails at rate `failure` (per second)
/// while serving, whose failed instances are repaired at rate `repair` each, and whose
/// failover takes `failover_seconds` on average (docs/faults.md draws the chain).
double multi_az_database_availability(double failure, double repair, double failover_seconds);

/// P(at least k of n independent components are up), each up with probability a.
double k_out_of_n(int k, int n, double a);

}  // namespace archsim::sim
