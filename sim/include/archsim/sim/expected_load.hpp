// The traffic a workload sends through one alternative, as expected values rather than a run:
// requests per hour from the arrival profile, and where each route's requests go (the route
// shares, the workload's size overrides, KrakenD fan-out and CloudFront cache hits exactly as
// the simulator builds them, from its own run-time model). `archsim price` derives the usage a
// scenario does not declare from it (pricing/src/usage_from_workload.cpp); a run never reads it.
#pragma once

#include <algorithm>
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

/// How the flow model samples latency: per route and segment one request-level sample per
/// kSampleEveryNs of the segment, at least kMinSamples and at most kMaxSamples; past
/// kRouteSamples in the horizon the interval widens so a route gets about that many whatever
/// the horizon. A day gives a route about 60,000 samples, which puts the standard error of its
/// p99 near 1 % (docs/simulation.md). traffic/flow_model.cpp samples by these, and the work
/// estimate counts by them, so the two cannot drift apart.
struct FlowSampling {
  static constexpr double kSampleEveryNs = 1.5e9;
  static constexpr double kRouteSamples = 400'000;
  static constexpr int kMinSamples = 4, kMaxSamples = 48;
  /// A segment starts every minute (the arrival profile's step), at platform state changes
  /// and at DNS re-evaluations: about this many a minute in the seeds.
  static constexpr double kSegmentsPerMinute = 2;

  static double sample_interval_ns(Duration horizon) {
    return std::max(kSampleEveryNs, static_cast<double>(horizon.ns) / kRouteSamples);
  }
};

/// The work one replication of `workload` on `topology` takes, estimated before running it:
/// the expected requests over the whole horizon (warm-up included; a trace's records within
/// it) and the components each visits on average (route shares, KrakenD fan-out). `archsim run`
/// multiplies by replications and alternatives and refuses a run beyond `--max-work`.
struct WorkEstimate {
  double requests = 0;
  double hops_per_request = 0;
  int routes = 1;
  double request_hops() const { return requests * hops_per_request; }

  /// At flow fidelity the work follows the segments, not the requests: each route's latency
  /// samples are walks of the path (FlowSampling), and each segment's propagation costs about
  /// one walk per route. docs/limits.md states it; bench/month_bench measures it.
  double flow_request_hops(Duration horizon) const {
    const double hops = requests > 0 ? hops_per_request : 1.0;
    const double minutes = static_cast<double>(horizon.ns) / 60e9;
    const double segments = minutes * FlowSampling::kSegmentsPerMinute;
    const double samples = std::max(std::min(static_cast<double>(horizon.ns) / FlowSampling::kSampleEveryNs, FlowSampling::kRouteSamples),
                                    segments * FlowSampling::kMinSamples);
    return hops * routes * (samples + segments);
  }
};

/// nullopt (with `error`) when the simulator could not run the workload on the topology.
std::optional<WorkEstimate> estimate_work(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, std::string& error);
/// The same estimate from an expected load already made for `workload`.
WorkEstimate estimate_work(const ExpectedLoad& load, const WorkloadSpec& workload);

}  // namespace archsim::sim
