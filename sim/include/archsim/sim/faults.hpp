// The scenario's `workload.faults`: what goes wrong during a run, written as three separate
// answers, as SimGrid's failure profiles and AWS Fault Injection Service experiments split
// them: when a fault happens (a time and a duration, or time-to-failure and time-to-repair
// distributions), whom it hits (a zone, a component, some of a service's tasks) and what it
// does (an effect with AWS semantics).
//
// One fault list serves every alternative of a scenario, so that alternatives are compared
// under the same faults: a fault on a component id applies to the alternatives that have it,
// a zone outage to every alternative with that zone. The simulator (walk) applies the effects;
// docs/faults.md explains each effect and where its timings come from.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archsim/model/units.hpp"
#include "archsim/sim/distribution.hpp"

namespace archsim::sim {

using model::Duration;

/// What a fault does.
enum class FaultEffect {
  ZoneOutage,           ///< every placement in the zone is down, NAT gateways included (FIS: AZ power interruption)
  TaskCrash,            ///< ECS tasks stop; the service scheduler replaces them
  NatGatewayLoss,       ///< the NAT gateway forwards nothing; subnets routed through it lose that path
  DatabasePrimaryLoss,  ///< the RDS primary fails: Multi-AZ fails over, Single-AZ is down until repaired
  DependencySlow,       ///< a component answers later than usual
  DependencyErrors,     ///< a component answers a share of its requests with errors
  /// AWS reclaims Fargate Spot capacity: a task of a service bought on Spot gets its two-minute
  /// notice and stops at its stop timeout; ECS launches a replacement at the notice
  SpotInterruption,
  /// Fargate Spot capacity runs short: a service's tasks bound for Spot cannot launch, and ECS
  /// retries until capacity returns ("Fargate does not replace Spot capacity with on-demand
  /// capacity"); running tasks are not touched
  SpotCapacityUnavailable,
};

std::string_view fault_effect_name(FaultEffect effect);

/// When a fault happens: once at a time (for a duration), or as a renewal process of
/// time-to-failure and time-to-repair draws (a task crash needs no repair time: ECS replaces).
/// A scheduled fault's time may itself be a distribution (`at: {uniform: {min: 1d, max: 6d}}`),
/// drawn once per replication from the fault's own stream, so that the replications' spread
/// includes when the fault strikes and not only the request noise.
struct FaultTiming {
  /// Scheduled faults: the start from the beginning of the run. When `at_distribution` is set
  /// this holds its mean (what mean_start() returns); the simulator draws from the distribution.
  std::optional<Duration> at;
  std::optional<Distribution> at_distribution;  ///< `at` written as a distribution (durations, ns)
  Duration duration{};  ///< scheduled faults; 0 for an instantaneous task crash
  std::optional<Distribution> time_to_failure;
  std::optional<Distribution> time_to_repair;

  bool stochastic() const { return time_to_failure.has_value(); }
  bool scheduled() const { return at.has_value(); }
  /// A scheduled fault's start as a deterministic model reads it (the analytic availability):
  /// the fixed `at`, or the mean of its distribution. 0 for a stochastic fault.
  Duration mean_start() const;
};

/// Whom a fault hits.
struct FaultTarget {
  std::string zone;       ///< zone outages
  std::string component;  ///< everything else
  int tasks = 1;          ///< scheduled task crashes and Spot interruptions: how many of the service's running tasks
};

struct FaultSpec {
  std::string id, path;
  FaultEffect effect = FaultEffect::ZoneOutage;
  std::string fis_scenario;  ///< the FIS scenario the fault was written as, if any
  FaultTarget target;
  FaultTiming when;
  Distribution added_latency = Distribution::constant(0);  ///< DependencySlow
  double error_rate = 0;                                    ///< DependencyErrors: share of requests
};

/// When a scheduled fault starts in the replication whose seed is `replication_seed`: the
/// fixed `at`, or a draw of `at_distribution` (below 0 taken as 0) from the fault's own stream,
/// derived from that seed and the fault's id, so the draw depends on neither the thread count
/// nor any other component's draws. Nullopt for a stochastic fault.
std::optional<Duration> scheduled_start(const FaultSpec& spec, std::uint64_t replication_seed);

/// The FIS scenario names archsim understands, and the effect each stands for.
struct FisScenario {
  std::string_view key;    ///< as written in `fis_scenario:`
  std::string_view title;  ///< as the FIS scenario library names it
  FaultEffect effect;
};
std::span<const FisScenario> fis_scenarios();

}  // namespace archsim::sim
