// Private to the simulator: the platform half of one replication.
//
// Everything AWS does whatever the traffic: faults and their detection, ECS task lifecycles,
// load balancer health checks and DNS, the ECS service scheduler and AZ rebalancing, RDS
// Multi-AZ failover, Service Auto Scaling, deployments with their rollback alarms, and billing
// by time. Its files: faults.cpp (faults, zones, DNS, RDS), tasks.cpp (tasks, health checks,
// the scheduler, billing), autoscaling.cpp, deployments.cpp. It drives any traffic model
// through traffic/traffic_model.hpp, and a traffic model reads its state through the const
// accessors below. docs/faults.md, docs/autoscaling.md and docs/deployments.md explain the
// mechanisms and their sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/random.hpp"
#include "archsim/sim/result.hpp"
#include "recorder.hpp"
#include "runtime.hpp"
#include "traffic/traffic_model.hpp"

namespace archsim::sim::detail {

/// An ECS task (or the instance serving a database). `Lost` is dead without ECS knowing yet
/// (a crash before the agent reports it, a task in a failed zone): still registered, so the
/// load balancer keeps sending it requests until health checks or ECS take it out.
enum class TaskState : std::uint8_t { Pending, Running, Lost, Stopped };

/// A task's lifecycle; the requests on it are the traffic model's (on_task_lost).
struct Task {
  NodeId node;
  TaskState state = TaskState::Running;
  bool registered = true;  ///< takes new requests (in its target group, not draining)
  bool healthy = true;     ///< as the load balancer's health checks see it
  bool draining = false;   ///< deregistered, finishing its in-flight requests before it stops
  bool spot = false;          ///< runs on FARGATE_SPOT (its capacity provider strategy placed it there)
  bool spot_noticed = false;  ///< has its Fargate Spot termination notice: it stops at its stop timeout
  bool superseded = false;    ///< ECS launched its replacement at the notice: no longer counted as desired
  bool checked = false;    ///< has had a health check since it registered
  std::uint8_t passes = 0, fails = 0;  ///< consecutive health-check results
  std::uint32_t generation = 0;        ///< bumped when the task dies: its in-flight requests fail
  std::uint32_t incarnation = 0;       ///< bumped when ECS stops it or reuses the slot: its timers lapse
  std::int64_t billed_since_ns = -1;   ///< Fargate bills from the image pull; -1: not billed
  std::int64_t running_since_ns = 0;
  int retires = -1;  ///< rebalancing: the task slot this one replaces once it is healthy...
  std::uint32_t retires_incarnation = 0;  ///< ...if that slot still holds the same task
  std::uint16_t release = 0;  ///< the release it runs (index into releases_)
  std::uint32_t ref = 0;      ///< its slot's index in task_refs_, which its timers' payloads carry
};

/// A deployment in progress on a service. Rolling: the scheduler replaces tasks of other
/// releases with `to`'s within the minimum healthy and maximum percent. Blue/green: `from`
/// (blue) and `to` (green) are two task sets, each kept at the desired count, and the
/// listener sends `green_share` of production traffic to `to`.
struct Rollout {
  /// Rolling, then Baking while a deployment alarm is watched; blue/green: Provisioning the
  /// replacement set, Testing it on the test listener, Shifting traffic, Waiting to stop blue.
  enum class Phase : std::uint8_t { None, Rolling, Baking, Provisioning, Testing, Shifting, Waiting };
  Phase phase = Phase::None;
  std::uint16_t from = 0, to = 0;
  std::uint32_t generation = 0;  ///< bumped when a deployment starts or ends: its timers lapse
  std::size_t step = 0;          ///< blue/green: the shift reached
  double green_share = 0;
  bool rolling_back = false;
  std::string id;                ///< the workload's deployment, for incidents

  bool two_sets() const { return phase >= Phase::Provisioning; }
};

/// What the platform keeps per component.
struct ComponentControl {
  ComponentMeters ids;  ///< its meters in the recorder
  std::vector<Task> tasks;
  // Faults and recovery
  RandomStream faults;          ///< draws of fault timings and effects on this component (lent to traffic for per-request fault effects)
  int down_faults = 0;          ///< active faults that take the whole component down (NAT loss)
  double error_rate = 0;        ///< active dependency_errors faults, summed
  std::vector<const Distribution*> slow;  ///< active dependency_slow faults
  std::vector<char> dns_listed, dns_previous;  ///< load balancers: nodes in the DNS answer, now and before the last change
  std::int64_t dns_changed_ns = -1;
  bool launch_blocked = false;  ///< ECS: the last launch attempt found no zone to start in
  int spot_unavailable = 0;     ///< ECS: active spot_capacity_unavailable faults: no task launches on Spot
  bool retry_pending = false;   ///< ECS: a kReconcile retry is already scheduled
  // ECS Service Auto Scaling: the capacity range and desired count the scheduler works to,
  // and what the CloudWatch metrics see over the current minute.
  int desired = 0, min_capacity = 0, max_capacity = 0;
  int running = 0;                          ///< tasks running
  double capacity_area = 0;                 ///< slot-nanoseconds running in the current minute
  double zero_area = 0;                     ///< nanoseconds with no running task in the current minute
  std::int64_t from_zero_ns = -1;           ///< when the desired count last rose from zero, until a task runs
  std::int64_t service_at_ns = 0;
  std::vector<std::vector<double>> datapoints;  ///< per target-tracking policy, oldest first
  std::int64_t last_scale_out_ns = INT64_MIN / 2, last_scale_in_ns = INT64_MIN / 2;
  int capacity_before_scale_out = 0;  ///< the desired count before the scale-out that began the cooldown
  // Recovery: tasks in service (running, registered, healthy as the load balancer sees them)
  // against the desired count, as of the last change (account_capacity).
  int in_service = 0, counted_desired = 0;
  std::int64_t capacity_at_ns = 0;
  std::int64_t below_since_ns = -1;  ///< since when it has been below the desired count, or -1
  double below_ns = 0;               ///< time below the desired count after the warm-up
  std::int64_t longest_below_ns = 0; ///< the longest stretch below it after the warm-up

  /// Tasks the service scheduler counts towards the desired count: launching, running, or
  /// lost without its knowing, and not being drained or replaced after a Spot notice.
  static bool counted(const Task& t, int of_release) {
    return t.state != TaskState::Stopped && !t.draining && !t.superseded && (of_release < 0 || t.release == of_release);
  }
  int counted_tasks(int of_release = -1) const {
    int n = 0;
    for (const Task& t : tasks) n += counted(t, of_release) ? 1 : 0;
    return n;
  }
  // Deployments
  std::uint16_t release = 0;  ///< the release the scheduler launches (blue/green: for the blue set)
  Rollout rollout;
  int alarm_breaches = 0, latency_breaches = 0;        ///< breaching minutes in a row, per alarm
  bool advancing = false, advance_again = false;       ///< advance_deployment is not re-entered
  double billed_area = 0;       ///< ECS: task-nanoseconds billed in the current minute
  double spot_billed_area = 0;  ///< ECS: of which on Fargate Spot
  int billed_spot = 0;          ///< ECS: billed tasks on Fargate Spot
  double surplus_area = 0;      ///< ECS: of which beyond the desired count during a deployment
  int billed = 0;
  std::int64_t billed_at_ns = 0;
  // RDS: the instances (primary and, Multi-AZ, standby), which is primary, which are whole
  std::optional<NodeId> db_node[2];
  int db_broken[2] = {0, 0};  ///< active failures of each instance (whole when 0)
  int db_primary = 0;
  bool db_failing_over = false;
};

class Platform final : public EventHandler {
 public:
  Platform(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Engine& engine,
           Recorder& recorder);
  /// The traffic model it drives; set once, before start.
  void drive(TrafficModel& traffic) { traffic_ = &traffic; }

  /// At t = 0, after the traffic model's start: scaling, faults, deployments, the services'
  /// first launches, and the minute clock.
  void start();
  void on_event(Engine& engine, const Event& event) override;
  /// The replication's end: each service's time below its desired count, its capacity at
  /// the end, and which faults and deployments it exercised.
  void finish(ReplicationMetrics& metrics);

  // What a traffic model reads.
  const ComponentControl& control(ComponentId component) const { return state_[component]; }
  const Task& task(ComponentId component, int slot) const { return control(component).tasks[static_cast<std::size_t>(slot)]; }
  bool node_down(NodeId node) const;
  bool component_down(ComponentId component) const;
  /// A release's fault (added latency, error rate), or nullptr for a good release.
  const ReleaseSpec* release(std::uint16_t release) const { return releases_[release]; }
  /// The component's fault stream: per-request fault effects draw from it too, so that the
  /// faults a component meets are one reproducible sequence.
  RandomStream& fault_stream(ComponentId component) { return state_[component].faults; }
  // What a traffic model tells it.
  /// A draining task's last in-flight request ended.
  void finish_drain(ComponentId component, int slot);

 private:
  enum Kind : std::uint32_t {
    kMinute,
    // Faults and recovery (faults.cpp, tasks.cpp)
    kFaultStart, kFaultEnd, kTaskCrash, kHealthCheck, kHealthCheckTimedOut, kTaskStopSeen, kTaskStarted,
    kReconcile, kDnsRemove, kDrainDone, kDbFailoverDone, kDbRepaired,
    // Fargate Spot interruptions (spot_interruptions.cpp)
    kSpotNotice, kSpotStop,
    // Service Auto Scaling (autoscaling.cpp)
    kScheduledAction,
    // Deployments (deployments.cpp)
    kDeploymentStart, kDeploymentStep, kDeploymentTimeout,
  };

  void handle(std::uint32_t kind, std::uint64_t payload);

  // Faults and recovery (faults.cpp)
  void schedule_faults();
  /// At t = 0: tasks that never started are reported, and the scheduler tries to place them.
  void start_services();
  void fault_starts(std::size_t fault);
  void fault_ends(std::size_t fault);
  void arm_fault_clock(std::size_t fault);
  /// Per task, the faults that strike tasks one at a time on their own clocks: crashes, and
  /// on Fargate Spot, interruption notices.
  void arm_task_clocks(ComponentId component, int slot);
  /// A stochastic per-task fault struck `component` after the warm-up: its `effect` faults there are exercised.
  void task_fault_exercised(ComponentId component, FaultEffect effect);
  void arm_database_clocks(ComponentId component);
  /// Whether the task ECS launches next for `release` goes on Fargate Spot, by the service's
  /// capacity provider strategy over the tasks of that release it counts.
  bool next_on_spot(ComponentId component, int release) const;
  /// AWS reclaims a Spot task: two-minute notice, SIGTERM, a replacement if the service's
  /// maximum percent allows one, and the stop at the task's stop timeout.
  void spot_notice(ComponentId component, int slot);
  /// Spot services the workload gives no interruption rate: what their figures assume.
  void state_spot_assumptions();
  void zone_changed(int zone, bool down);
  void database_changed(ComponentId component);
  void set_dns(ComponentId component, NodeId node, bool listed);
  void refresh_dns(ComponentId balancer);

  // Tasks, health checks, the scheduler, billing (tasks.cpp)
  void lose_task(ComponentId component, int slot, Outcome cause);
  void health_check(ComponentId component, int slot, bool timed_out);
  void ecs_stops(ComponentId component, int slot);
  void reconcile(ComponentId component);
  /// Keeps one task set (tasks of `release`, or all tasks when -1) at `desired`.
  void reconcile_set(ComponentId component, int release, int desired);
  /// Starts a task of `release` in the emptiest live zone that can start it; false (and a
  /// retry scheduled) when no zone can.
  bool launch_somewhere(ComponentId component, int release);
  void rebalance(ComponentId component);
  void launch(ComponentId component, NodeId node, int retires, std::uint16_t release);
  void task_started(ComponentId component, int slot);
  void stop_billing(ComponentId component, Task& task);
  void account_billed(ComponentControl& s);
  void retire(ComponentId component, Task& replacement);
  void drain(ComponentId component, int slot);
  void health_changed(ComponentId service);
  /// Integrates the time the service spent below its desired count since the last change,
  /// then recounts; called after every change of a task's state, health or the desired count.
  void account_capacity(ComponentId component, std::int64_t at_ns = -1);
  /// Once a minute: each service's task time by the minute, each database's and provisioned
  /// function's time, with the scaling policies and rollback alarms read first.
  void on_minute();
  /// `api/2`, or with its zone `api/2 (us-east-1b)`, for incidents.
  std::string task_label(ComponentId component, int slot, bool with_zone) const;
  std::uint64_t task_payload(ComponentId component, int slot) const;
  std::uint32_t add_task_ref(ComponentId component, std::size_t slot);

  // Service Auto Scaling (autoscaling.cpp)
  /// Schedules `kind` at the cron schedule's next firing after now (or from the run's start).
  void schedule_firing(const model::CronSchedule& cron, bool from_start, std::uint32_t kind, std::uint64_t payload);
  void schedule_scaling();
  void scheduled_action(ComponentId component, std::size_t action, bool reschedule);
  void track_targets(ComponentId component);
  void scale_to(ComponentId component, int desired, const std::string& why);
  /// Integrates the service's running capacity (and time at zero) up to now.
  void account_service(ComponentId component);

  // Deployments (deployments.cpp)
  void schedule_deployments();
  void start_deployment(std::size_t deployment);
  void advance_deployment(ComponentId component);
  void advance_rolling(ComponentId component);
  void advance_blue_green(ComponentId component);
  void deployment_step(ComponentId component);
  void deployment_timed_out(ComponentId component);
  void end_rolling(ComponentId component);
  void shift_traffic(ComponentId component);
  void finish_blue_green(ComponentId component);
  void roll_back(ComponentId component, const std::string& why);
  void stop_release(ComponentId component, int release);
  void evaluate_alarm(ComponentId component);
  void schedule_rollout_timer(ComponentId component, Duration in, std::uint32_t kind);
  /// The task sets a service keeps at its desired count: all its tasks (-1), or blue and green.
  std::vector<int> task_sets(ComponentId component) const;

  void meter(int id, double amount, std::int64_t at_ns = -1) { recorder_.meter(id, amount, at_ns); }
  void incident(std::string_view what, std::string subject) { recorder_.incident(what, std::move(subject)); }

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  Engine& engine_;
  Recorder& recorder_;
  SimResult& result_;
  TrafficModel* traffic_ = nullptr;
  HandlerId self_ = 0;
  std::uint64_t seed_ = 0;  ///< this replication's: per-fault streams (a distributed start) derive from it
  IndexedVector<ComponentId, ComponentControl> state_;
  /// Every task slot of every service, (component, slot), in creation order: a task's timer
  /// events carry the index here (32 bits) and its incarnation (32 bits), so the payload has
  /// room for any slot a service can have, not 16 bits of it.
  std::vector<std::pair<ComponentId, int>> task_refs_;
  std::vector<int> zone_down_;  ///< active outages per zone
  std::vector<std::int64_t> fault_generation_;  ///< per fault: cancels stale clock events
  std::vector<const ReleaseSpec*> releases_{nullptr};  ///< per release; nullptr: a good one (release 0 is the initial)
  std::vector<char> fault_exercised_;     ///< per fault: active at some time after the warm-up
  std::vector<char> deployment_exercised_;  ///< per deployment: started after the warm-up
  std::int64_t total_slots_ = 0;  ///< over every service: tasks running x concurrency (can pass 2^31)
  std::int64_t minute_ = 0;
};

}  // namespace archsim::sim::detail
