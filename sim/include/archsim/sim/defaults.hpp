// The simulator's defaults: network delays between placements and how each kind of component
// treats a request, read from sim/data/behaviour.yaml, where every value cites its source
// (or says it is an assumption, where AWS publishes no figure).
//
// A component's behaviour is resolved in three layers: the defaults for its kind
// (`load_balancer.application`, `ecs_service`, ...), then the workload's settings for that
// component id. The resolved Behaviour is what the request walk reads.
#pragma once

#include <map>
#include <string>

#include "archsim/model/spec.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim {

/// A component's behaviour with every field resolved.
struct Behaviour {
  Distribution service_time;
  int concurrency = 1;
  int queue_length = 0;
  double reference_vcpu = 0;  ///< 0: service time does not scale with the task size
  double cache_hit_ratio = 0;
  Distribution cold_start;
  Duration idle_reclaim{};
  Duration timeout{};  ///< 0: none
  /// Giving up on a connection attempt nothing answers: the kind's documented connect
  /// timeout (ALB: 10 s), else its `timeout` (resolve_behaviour).
  Duration connect_timeout{};
  Distribution authorizer_time;
  double reads_per_request = 0;
  double writes_per_request = 0;
  model::Bytes item_size{1024};
  model::Bytes log_bytes_per_request{0};
  model::Bytes metering_increment{0};  ///< API Gateway: a request counts once per started increment of its size; 0: once
  Distribution launch_time;
  Duration image_pull_time_per_gb{};
  model::Bytes image_size{0};
  Duration stop_detection{};
  Duration lost_task_detection{};
  Duration stop_timeout{};  ///< ECS: from SIGTERM (a Spot notice) to the kill; the task serves until then
  Duration launch_retry = Duration::seconds(60);
  Distribution failover_time;
  Duration dns_ttl{};
  Duration node_failure_detection{};
  Duration deregistration_delay{};
  int scale_out_datapoints = 3;
  int scale_in_datapoints = 15;
  double scale_in_margin = 0;  ///< a share of the target; behaviour.yaml gives ECS its 10 %
  Duration scaling_cooldown = Duration::seconds(300);
  /// ECS `initial_state: running`: tasks whose subnets cannot start them still run at t = 0,
  /// for this stated reason (empty: they do not).
  std::string assumed_running_because;
};

/// A CodeDeploy traffic-shifting configuration: `percent` of production traffic moves to the
/// replacement tasks at each step, `interval` apart, until all of it has; a canary moves its
/// percent once, then the rest after the interval. All at once is one step of 100 %.
struct TrafficShift {
  double percent = 100;
  Duration interval{};
  bool canary = false;
};

/// Deployment facts: CodeDeploy's predefined configurations and waits (behaviour.yaml).
struct DeploymentDefaults {
  std::map<std::string, TrafficShift> codedeploy_configs;  ///< by name, e.g. CodeDeployDefault.ECSAllAtOnce
  Duration termination_wait = Duration::hours(1);  ///< blue tasks stay this long after the shift
  Duration ready_timeout = Duration::hours(1);     ///< replacement tasks must be healthy within this
};

/// Cold starts of a Lambda runtime family, measured at `memory`.
struct LambdaRuntime {
  Distribution cold_start;
  model::Bytes memory{256ll << 20};
};

/// Where `fidelity: auto` walks requests instead of running flows (sim/data/behaviour.yaml).
struct FidelityAutoRules {
  double exact_request_hops = 2e7;  ///< a run this small is walked: exact and quick
  double max_utilisation = 0.85;    ///< a queue or table busier than this at the peak is near saturation
  double max_service_cv2 = 4;       ///< heavy-tailed service times ...
  double busy_utilisation = 0.5;    ///< ... matter at a queue busier than this
  double max_hold_extra = 0.05;     ///< downstream calls may add this share to a slot's hold (flows queue and bill on the own time)
  double max_queue_full_share = 1e-4;  ///< a finite queue may refuse this share of its requests (flows refuse at saturation only)
};

struct SimDefaults {
  std::map<std::string, Distribution> network;         ///< one-way delay by relation
  std::map<std::string, BehaviourSpec> kinds;           ///< by kind key (see kind_key)
  double dynamodb_on_demand_units_per_second = 40000;   ///< per-table default throughput quota
  double dynamodb_burst_seconds = 300;                  ///< unused provisioned capacity kept for bursts
  double minute_error_threshold = 0.05;                 ///< time-based availability (see WorkloadSpec)
  int lambda_account_concurrency = 1000;                ///< per region, shared by functions without reserved concurrency
  int lambda_unreserved_minimum = 100;                  ///< what reservations must leave to the others
  DeploymentDefaults deployments;
  FidelityAutoRules fidelity_auto;
  std::map<std::string, LambdaRuntime> lambda_runtimes;  ///< by the runtime's prefix: `python`, `nodejs`, `java`
};

/// Parses defaults from YAML text; errors name `name` with line and column.
std::optional<SimDefaults> parse_sim_defaults(std::string_view yaml, const std::string& name, model::Diagnostics& diagnostics);

/// The defaults shipped in sim/data/behaviour.yaml (parsed once).
const SimDefaults& builtin_sim_defaults();

/// The kind key of a component: `load_balancer.application`, `api_gateway.http`, `krakend`, ...
std::string kind_key(const model::TopologySpec& topology, std::string_view component);

/// The behaviour of one component: its kind's defaults overlaid with the workload's settings.
Behaviour resolve_behaviour(const SimDefaults& defaults, const std::string& kind, const BehaviourSpec* workload);

}  // namespace archsim::sim
