// Private to the simulator: the run-time model of one alternative, built once from its
// topology and shared (read-only) by every replication.
//
// Components are numbered; each has nodes (its placements: a load balancer node per zone, an
// ECS service's subnets, a database primary) and, for ECS services, tasks spread over those
// nodes round-robin as ECS spreads them across zones. Routes become plans: the component at
// each hop, plus the backends a KrakenD hop fans out to.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archsim/model/capacity_providers.hpp"
#include "archsim/model/schedule.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/workload.hpp"
#include "index.hpp"

namespace archsim::sim::detail {

enum class Role { Users, Edge, Gateway, Balancer, Service, Function, Database, Table, Store, Passive };

using ComponentId = Index<struct ComponentTag>;  ///< into RuntimeModel::components
using NodeId = Index<struct NodeTag>;            ///< into RuntimeModel::nodes

inline constexpr int kInternet = -1;  ///< zone of the users
inline constexpr int kRegional = -2;  ///< zone of regional services (S3, DynamoDB, API Gateway)
inline constexpr int kEdge = -3;      ///< zone of CloudFront

/// How calls from a node to a regional AWS service travel: straight out (a public IP, a
/// regional caller), through the component carrying the bytes (a VPC endpoint or a NAT
/// gateway), or not at all.
struct Egress {
  bool reachable = true;
  std::optional<ComponentId> via;  ///< unset: direct, or no path when not reachable
};
inline const Egress kDirect{true, std::nullopt};
inline const Egress kNoPath{false, std::nullopt};

/// A placement a request can be at.
struct Node {
  ComponentId component;
  int zone = kRegional;  ///< index into RuntimeModel::zones, or one of the constants above
  std::string label;
  /// How calls from this node to a regional AWS service travel, by service (`dynamodb`,
  /// `s3`, `logs`).
  std::map<std::string, Egress, std::less<>> egress_via;
  /// ECS placements: why a task here cannot start (an image it cannot pull, a secret it
  /// cannot read: the static graph decides), or empty; and the NAT gateway its start needs
  /// go through (unset: none, the needs are met by VPC endpoints or a public IP).
  std::string start_blocker;
  std::optional<ComponentId> start_via_nat;
};

struct ComponentModel {
  std::string id;
  model::ComponentType type = model::ComponentType::InternetUsers;
  Role role = Role::Passive;
  std::string kind;
  std::string service;  ///< the AWS service name its callers need a path to (`dynamodb`, `s3`), or empty
  Behaviour behaviour;
  Distribution service_time;  ///< behaviour.service_time scaled by task size
  std::vector<NodeId> nodes;
  std::vector<NodeId> task_nodes;  ///< ECS: the node of each task; RDS: one entry, the primary
  int concurrency = 1;          ///< per task (ECS, RDS), per function (Lambda)
  bool account_pool = false;    ///< Lambda without reserved concurrency: draws on the account's unreserved pool
  int provisioned_concurrency = 0;  ///< Lambda: environments initialised ahead, never reclaimed, used first
  double vcpu = 0;
  double memory_gb = 0;
  int rules_evaluated = 0;  ///< ALB: listener rules evaluated per request
  bool authorizer = false;  ///< API Gateway with an authorizer
  std::optional<ComponentId> log_group;  ///< component receiving this one's logs
  double read_units_per_second = 0, write_units_per_second = 0;  ///< DynamoDB capacity
  bool bills_retrieval = false;  ///< S3: its storage class charges per GB read back
  // Faults and recovery (docs/faults.md)
  int desired_count = 0;           ///< ECS: tasks the service scheduler keeps running
  Duration image_pull{};           ///< ECS: image size x pull time per GB
  Duration health_check_grace{};   ///< ECS: load balancer health ignored this long after a start
  bool health_checked = false;     ///< ECS: a load balancer target group checks its tasks
  /// ECS: where its tasks are placed (model/capacity_providers.hpp); the ones on Fargate Spot
  /// are what spot_interruption faults hit.
  std::vector<model::CapacityProviderStrategyItem> capacity_providers;
  bool places_on_spot = false;     ///< ECS: some of its tasks can run on Fargate Spot
  std::string checks_blocked;      ///< ECS: why the checking load balancer's probes are dropped, or empty
  Duration check_interval{}, check_timeout{};
  int healthy_threshold = 0, unhealthy_threshold = 0;
  Duration deregistration_delay{};
  std::optional<NodeId> standby_node;  ///< RDS Multi-AZ: the standby's placement
  std::vector<ComponentId> balanced_services;  ///< load balancers: the ECS services in their target groups
  // ECS Service Auto Scaling
  int min_count = 0, max_count = 0;
  std::vector<model::TargetTrackingSpec> target_tracking;
  std::vector<model::StepScalingSpec> step_scaling;
  std::vector<model::ScheduledActionSpec> scheduled_actions;
  std::vector<model::CronSchedule> schedules;  ///< one per scheduled action
  bool cross_zone = true;              ///< load balancers: the load balancer's cross-zone setting
  // Deployments (docs/deployments.md)
  bool blue_green = false;             ///< CodeDeploy shifts traffic between two task sets; else rolling updates
  std::string deploy_blocker;          ///< why the service cannot deploy at all, or empty
  int minimum_healthy_percent = 100, maximum_percent = 200;  ///< rolling updates
  /// The most tasks the scheduler runs at once for `desired` (maximumPercent, rounded down):
  /// a rolling update's ceiling, and whether a Spot task's replacement can start at its notice.
  int maximum_tasks(int desired) const { return desired * maximum_percent / 100; }
  /// Blue/green: the share of production traffic on the replacement tasks after each shift,
  /// with the shift's time from the first one.
  std::vector<std::pair<Duration, double>> shift_steps;
  Duration test_traffic_wait{}, termination_wait{}, ready_timeout{};
  std::optional<model::RollbackAlarmSpec> alarm;
};

struct Hop {
  ComponentId component;
  std::vector<int> fanout;         ///< KrakenD: sub-plans, one per backend, called in parallel
  bool cross_zone = true;          ///< load balancer hops: the target group's setting
  bool least_outstanding = false;  ///< load balancer hops: the target group's algorithm
  /// Why the security groups drop the flow from the previous hop into this one
  /// (model::blocked_request_flows), or empty: the caller's connection attempt times out.
  std::string blocked;
  /// Why nothing connects the previous hop to this one (the review's route-hop-not-connected:
  /// no target group, origin, integration or call between them), or empty: requests fail at
  /// once as `unreachable`.
  std::string no_path;
};

struct RoutePlan {
  std::string id;
  double share = 0;
  std::vector<Hop> hops;
  Distribution request_size, response_size;
  std::string method, url_path;  ///< for matching ALB access-log requests to routes
  bool write = false;  ///< not GET/HEAD: S3 puts
  int stats = -1;      ///< index into the result's routes; -1 for KrakenD sub-plans
};

struct RuntimeModel {
  std::vector<std::string> zones;
  IndexedVector<NodeId, Node> nodes;
  IndexedVector<ComponentId, ComponentModel> components;
  std::vector<RoutePlan> plans;  ///< the topology's routes first, then sub-plans
  std::size_t route_count = 0;
  std::map<std::string, Distribution> network;
  double dynamodb_burst_seconds = 300;
  std::vector<std::uint32_t> trace_plans;  ///< the route plan of each trace record (trace replay only)
  /// The workload's faults that apply to this alternative, with their target resolved: a
  /// zone for zone outages, a component otherwise.
  struct Fault {
    const FaultSpec* spec = nullptr;
    int zone = -1;                     ///< zone outages: index into zones
    std::optional<ComponentId> component;  ///< every other effect
  };
  std::vector<Fault> faults;
  /// The workload's deployments of services this alternative has.
  struct Deployment {
    const DeploymentEventSpec* spec = nullptr;
    ComponentId service;
    std::optional<model::CronSchedule> schedule;  ///< unset: once, at spec->at
  };
  std::vector<Deployment> deployments;
  int lambda_unreserved_concurrency = 1000;  ///< the account's pool for functions without reserved concurrency
  double minute_error_threshold = 0.05;
};

/// A draw of a duration in whole nanoseconds, capped at the longest duration a model holds.
inline std::int64_t draw_ns(const Distribution& d, RandomStream& rng) {
  return d.sample_whole(rng, static_cast<double>(model::kMaxDuration.ns));
}

/// Whether an ECS task placed at `node` is running when the run starts: its subnet can start
/// it, or the scenario assumes it was deployed before that changed (initial_state: running).
/// The simulation and the analytic model both start from this.
inline bool runs_at_start(const RuntimeModel& m, const ComponentModel& c, NodeId node) {
  return m.nodes[node].start_blocker.empty() || !c.behaviour.assumed_running_because.empty();
}

inline constexpr std::size_t kMaxHops = 8;
/// A request's backend calls still pending (KrakenD fan-out). The loader caps backends per
/// endpoint far below this (model/data/quotas.yaml); build_runtime refuses more than it holds.
using FanoutCount = std::uint16_t;
/// A sampled request or response size is at most a pebibyte: a lognormal's tail cannot
/// overflow a byte count or the meters that sum them (docs/limits.md).
inline constexpr double kMaxSampledBytes = 1125899906842624.0;

/// Builds the run-time model, or reports why the workload cannot run on this topology.
std::optional<RuntimeModel> build_runtime(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, model::Diagnostic& error);

}  // namespace archsim::sim::detail
