// What a simulation run records: latency histograms, outcomes by cause, per-minute timelines
// and usage meters for pricing.
//
// Everything here is mergeable: two replications' results combine exactly by adding counts
// and histograms (merge), so replications can run in any order or on any thread and still
// produce the same bytes. State is bounded by the horizon (one timeline slot per minute, one
// usage slot per hour), never by the number of requests.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/histogram.hpp"

namespace archsim::sim {

inline constexpr std::size_t kMaxIncidents = 10000;

/// Why a request ended. Everything but Ok is an error the client sees.
enum class Outcome : std::uint8_t {
  Ok,
  QueueFull,        ///< a task's queue was full: the load balancer answers 502/503
  Timeout,          ///< an integration or idle timeout fired: 504
  NoHealthyTarget,  ///< no target could take the request: 503
  Throttled,        ///< Lambda concurrency or DynamoDB capacity exhausted: 429
  BackendError,     ///< a fanned-out backend failed (KrakenD)
  Unreachable,      ///< no network path to a dependency (no NAT gateway, no VPC endpoint)
  TargetDown,       ///< the chosen target had died (crash, zone outage) and was still registered: 502
  LoadBalancerDown, ///< the client reached a load balancer node in a failed zone (stale DNS)
  DependencyDown,   ///< a database was down or failing over
  DependencyError,  ///< a dependency answered with an error (an injected dependency_errors fault)
  ReleaseError,     ///< a task of a bad release answered with a 5xx (workload.deployments)
  SecurityGroupBlocked,  ///< the caller's connection to the next hop timed out: security groups drop the flow (504)
};
inline constexpr std::size_t kOutcomeCount = 13;

std::string_view outcome_name(Outcome outcome);

using OutcomeCounts = std::array<std::uint64_t, kOutcomeCount>;

struct RouteStats {
  std::string route;
  LatencyHistogram latency;  ///< successful requests, client-observed, end to end
  OutcomeCounts outcomes{};

  std::uint64_t total() const;
  std::uint64_t errors() const;
};

/// One minute of a run, for timelines in reports.
struct MinuteSample {
  std::uint64_t arrivals = 0;     ///< every request that arrived, warm-up included
  std::uint64_t errors = 0;       ///< of measured requests (those that arrived after the warm-up)
  /// Of measured requests completed successfully in the minute; none when no measured request
  /// succeeded (a warm-up minute, a minute of total outage): never a 0 ms latency.
  std::optional<std::int64_t> p99_ns;
  double busy_capacity = 0;       ///< ECS task slots in use, averaged over the minute, as a share
  /// The minute starts before the warm-up ends (the minutes time_availability skips): its
  /// errors and latency describe only the requests that arrived after it, if any.
  bool warmup = false;
};

/// A usage meter: one quantity for one component, per hour of the run.
struct UsageMeter {
  std::string component;
  std::string meter;  ///< e.g. `vcpu_seconds`, `nat_bytes`, `requests` (docs/simulation.md lists them)
  std::string unit;   ///< `s`, `bytes`, `count`, `vcpu-s`, `GB-s`, `units`
  std::vector<double> hourly;

  double total() const;
};

/// Something that happened to the system during a run (a fault, a health-check verdict, a
/// task replaced), for incident timelines in reports and for tests of detection lags.
struct Incident {
  std::int64_t at_ns = 0;
  std::string what;     ///< `zone_down`, `target_unhealthy`, `task_running`, `db_failover_start`, ...
  std::string subject;  ///< `us-east-1a`, `api/2 (us-east-1b)`, `db`, ...
};

/// What became of the workload's deployments, summed over replications (docs/deployments.md).
struct DeploymentCounts {
  std::uint64_t started = 0;      ///< began (a rolling update, or CodeDeploy creating the replacement tasks)
  std::uint64_t completed = 0;    ///< the new release serves and the old tasks are gone
  std::uint64_t rolled_back = 0;  ///< stopped by the rollback alarm or by replacement tasks never healthy
  std::uint64_t skipped = 0;      ///< another deployment of the service was still in progress
  std::uint64_t refused = 0;      ///< the service cannot deploy this way (blue/green without a load balancer)

  std::uint64_t total() const { return started + skipped + refused; }
};

/// An ECS service's tasks in service (running, and healthy where a load balancer checks them)
/// against its desired count.
struct ServiceCapacity {
  std::string service;
  int in_service = 0;
  int desired = 0;
};

/// The headline figures of one replication: replications are independent, so their spread
/// gives the confidence intervals (statistics.hpp).
struct ReplicationMetrics {
  OutcomeCounts outcomes{};
  std::int64_t p50_ns = 0, p95_ns = 0, p99_ns = 0;
  double availability = 1;         ///< successful / all requests
  double time_availability = 1;    ///< share of minutes with an error rate at or under the threshold
  std::vector<UsageMeter> usage;   ///< this replication's meters alone (for its own bill)
  /// Recovery, after the warm-up: seconds any ECS service spent below its desired count of
  /// tasks in service (summed over services), and the longest such stretch (one still open
  /// at the end of the run counts to the horizon).
  double seconds_below_desired = 0;
  double longest_below_desired_seconds = 0;
  std::vector<ServiceCapacity> capacity_at_end;  ///< per ECS service, in topology order
};

/// How traffic is simulated (docs/simulation.md): every request walked hop by hop
/// (`request`, exact, cost grows with the request count), as flows between state changes
/// (`flow`, cost grows with the state changes), or `auto`: flow where its accuracy contract is
/// known to hold, request elsewhere.
enum class Fidelity { Auto, Request, Flow };
std::string_view fidelity_name(Fidelity f);

struct SimResult {
  int replications = 0;
  Duration horizon{};
  Duration warmup{};
  std::uint64_t events = 0;
  std::vector<RouteStats> routes;   ///< in topology order
  RouteStats overall;
  std::vector<MinuteSample> timeline;  ///< of the first replication (timelines do not average meaningfully)
  std::vector<UsageMeter> usage;       ///< summed over replications; divide by `replications` for one run
  std::vector<ReplicationMetrics> per_replication;  ///< in replication order
  std::vector<Incident> incidents;     ///< of the first replication, in time order (at most kMaxIncidents)
  double minute_error_threshold = 0.05;  ///< the definition behind time_availability
  DeploymentCounts deployments;
  /// Per fault and deployment of the workload that applies to this alternative, by id: in how
  /// many replications it happened after the warm-up (a fault active, a deployment started).
  /// A criterion judged on one (`exercised_by`) is not exercised unless it happened in all.
  std::map<std::string, int> exercised;
  /// What the run assumed against the static review, to be printed next to its figures
  /// (`initial_state: running` on a service whose tasks cannot start, with the reason).
  std::vector<std::string> assumptions;
  /// The traffic model that produced it (never Auto) and, when `auto` chose, why.
  Fidelity fidelity = Fidelity::Request;
  std::string fidelity_reason;
  /// With `replications: {until: ...}`: why the run stopped at `replications` (every interval
  /// narrow enough, or `max` reached with the ones still too wide); empty for a fixed count.
  std::string replications_reason;

  double availability() const;  ///< successful / total requests
  double time_availability() const;  ///< share of available minutes, over all replications
  /// Merges another replication of the same alternative and workload.
  void merge(const SimResult& other);
};

}  // namespace archsim::sim
