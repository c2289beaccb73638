// The traffic a workload sends through one alternative, as expected values rather than a run:
// requests per hour from the arrival profile, and where each route's requests go (the route
// shares, the workload's size overrides, KrakenD fan-out and CloudFront cache hits exactly as
// the simulator builds them, from its own run-time model). `archsim price` derives the usage a
// scenario does not declare from it (pricing/src/usage_from_workload.cpp); a run never reads it.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/spec.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim {

/// DynamoDB capacity units one request takes, strongly consistent: one read unit per 4 KB of
/// item read, one write unit per 1 KB written (the request walk meters these too).
struct TableUnits {
  double reads = 0, writes = 0;
};
inline TableUnits table_units_per_request(const Behaviour& b) {
  const double item = static_cast<double>(b.item_size.count);
  return {b.reads_per_request * std::ceil(item / 4096.0), b.writes_per_request * std::ceil(item / 1024.0)};
}

/// One component a route's requests reach.
struct ExpectedVisit {
  std::string component;
  double reach = 1;               ///< share of the route's requests that get here (CloudFront hits stop earlier)
  bool from_internet = false;     ///< the hop after the users: its responses leave AWS
  double downstream_seconds = 0;  ///< mean service time of this hop and every later one (a synchronous call waits for them)
  /// The share of the calls from the previous hop into this one that cross zones, and the
  /// components the walk meters the request and the response crossing on (empty: none).
  double cross_zone = 0;
  std::string request_crossing_on, response_crossing_on;
};

struct ExpectedRoute {
  std::string id;
  double share = 0;                              ///< of all requests, normalised as the simulator does
  double request_bytes = 0, response_bytes = 0;  ///< means
  bool write = false;                            ///< not GET/HEAD (S3 PUTs)
  std::vector<ExpectedVisit> visits;             ///< in hop order, KrakenD backends after their gateway
};

/// What the simulator knows of one component that bills by traffic.
struct ExpectedComponent {
  std::string id;
  model::ComponentType type = model::ComponentType::InternetUsers;
  Behaviour behaviour;          ///< resolved: kind defaults, then the workload's settings
  double service_seconds = 0;   ///< mean service time, scaled by task size
  double memory_gb = 0;         ///< Lambda and ECS memory (GiB)
  int rules_evaluated = 0;      ///< ALB listener rules per request
  int provisioned_concurrency = 0;
  std::string log_group;                ///< receives this component's logs, or empty
  std::vector<std::string> egress_via;  ///< NAT gateways and VPC endpoints its placements send AWS API traffic through
};

struct ExpectedLoad {
  double hours = 0;                       ///< the measured window (horizon after warm-up), as a run's meters cover
  std::vector<double> arrivals_per_hour;  ///< expected arrivals in each hour of it (the last may be partial)
  std::string arrivals_basis;             ///< how they were obtained, in words
  double requests_per_connection = 1;
  double connection_seconds = 60;
  std::vector<ExpectedRoute> routes;
  std::vector<ExpectedComponent> components;  ///< in topology order

  const ExpectedComponent* component(std::string_view id) const;
};

/// The expected traffic of `workload` on `topology`; nullopt (with `error`) when the simulator
/// could not run it there either.
std::optional<ExpectedLoad> expected_load(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, std::string& error);

/// The work one replication of `workload` on `topology` takes, estimated before running it:
/// the expected requests over the whole horizon (warm-up included; a trace's records within
/// it) and the components each visits on average (route shares, KrakenD fan-out). `archsim run`
/// multiplies by replications and alternatives and refuses a run beyond `--max-work`.
struct WorkEstimate {
  double requests = 0;
  double hops_per_request = 0;
  double request_hops() const { return requests * hops_per_request; }

  /// At flow fidelity the work follows the segments, not the requests: a segment's latency
  /// samples and propagation cost about as much as kFlowRequestsPerSegment requests, and a
  /// minute holds a few segments (its own, the state changes, DNS re-evaluations).
  /// docs/limits.md states both.
  static constexpr double kFlowRequestsPerSegment = 60;
  static constexpr double kFlowSegmentsPerMinute = 4;
  double flow_request_hops(Duration horizon) const {
    const double hops = requests > 0 ? hops_per_request : 1.0;
    return hops * (static_cast<double>(horizon.ns) / 60e9) * kFlowSegmentsPerMinute * kFlowRequestsPerSegment;
  }
};

/// nullopt (with `error`) when the simulator could not run the workload on the topology.
std::optional<WorkEstimate> estimate_work(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, std::string& error);

}  // namespace archsim::sim
