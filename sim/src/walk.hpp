// Private to the simulator: one replication of one alternative on the event engine.
#pragma once

#include <deque>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/meters.hpp"
#include "archsim/sim/random.hpp"
#include "archsim/sim/result.hpp"
#include "archsim/sim/simulate.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

/// Everything that changes during a replication; the RuntimeModel it reads does not.
class Replication final : public EventHandler {
 public:
  Replication(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed);

  /// Runs to the horizon; returns an error diagnostic when a limit stops the run.
  std::optional<model::Diagnostic> run(const std::function<void(const Progress&)>& progress, int index);
  SimResult take_result();

  /// Memory one request in flight takes (in_flight_for_memory).
  static std::uint64_t bytes_per_request();

  void on_event(Engine& engine, const Event& event) override;

 private:
  enum Kind : std::uint32_t {
    kArrival, kReachHop, kWorkDone, kReachBack, kMinute, kConnectTimedOut,
    // Faults and recovery (faults.cpp)
    kFaultStart, kFaultEnd, kTaskCrash, kHealthCheck, kHealthCheckTimedOut, kTaskStopSeen, kTaskStarted,
    kReconcile, kDnsRemove, kDrainDone, kDbFailoverDone, kDbRepaired,
    // Service Auto Scaling (autoscaling.cpp)
    kScheduledAction,
    // Deployments (deployments.cpp)
    kDeploymentStart, kDeploymentStep, kDeploymentTimeout,
  };

  struct Request {
    std::uint32_t plan = 0;
    std::uint32_t parent = 0;  ///< KrakenD fan-out: the waiting request, else kNone
    std::int8_t hop = 0;
    Outcome outcome = Outcome::Ok;
    FanoutCount pending_children = 0;  ///< KrakenD fan-out: backend calls not yet answered
    std::uint8_t held = 0;  ///< bit h: the request holds a slot (task, environment, database) at hop h
    std::uint8_t reached = 0;  ///< bit h: it reached the ECS service at hop h (its rollback alarm counts it)
    std::uint8_t provisioned = 0;  ///< bit h: a Lambda function's provisioned environment serves it at hop h
    bool measured = false;  ///< arrived after the warm-up
    std::int64_t start_ns = 0;
    std::int64_t saved_ns = 0;  ///< time a timeout spared the client (it saw the 504 earlier)
    std::int64_t request_bytes = 0, response_bytes = 0;
    std::int32_t node[kMaxHops]{};
    std::int32_t slot[kMaxHops]{};  ///< task index (ECS, RDS) or environment (Lambda) at each hop
    std::uint32_t generation[kMaxHops]{};  ///< of the task at each hop: a lost task's requests are not its successor's
    std::int64_t sent_ns[kMaxHops]{};   ///< when hop h passed the request on (timeouts run from here)
    std::int64_t began_ns[kMaxHops]{};  ///< when hop h started work on it (Lambda billing)
  };
  static constexpr std::uint32_t kNone = 0xffffffffu;

  /// An ECS task (or the instance serving a database). `Lost` is dead without ECS knowing yet
  /// (a crash before the agent reports it, a task in a failed zone): still registered, so the
  /// load balancer keeps sending it requests until health checks or ECS take it out.
  enum class TaskState : std::uint8_t { Pending, Running, Lost, Stopped };

  struct Task {
    int node = 0;
    int busy = 0;
    int outstanding = 0;  ///< requests routed to it and not yet answered (least outstanding requests)
    std::deque<std::uint32_t> queue;
    TaskState state = TaskState::Running;
    bool registered = true;  ///< takes new requests (in its target group, not draining)
    bool healthy = true;     ///< as the load balancer's health checks see it
    bool draining = false;   ///< deregistered, finishing its in-flight requests before it stops
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

  struct ComponentState {
    RandomStream rng;     ///< the component's own draws (service times, cache hits, target picks)
    RandomStream network; ///< delays of hops into this component
    std::vector<Task> tasks;
    std::vector<std::uint32_t> round_robin;  ///< per zone-node cursor (load balancers)
    int in_use = 0;                          ///< Lambda: busy environments, provisioned ones included
    int provisioned_busy = 0;                ///< Lambda: busy provisioned environments
    std::vector<std::int64_t> idle_since;    ///< Lambda: idle environments, most recently used last
    double read_tokens = 0, write_tokens = 0;  ///< DynamoDB capacity buckets
    std::int64_t tokens_at_ns = 0;
    double connection_carry = 0;  ///< load balancers: fractional new connections
    // Faults and recovery
    RandomStream faults;          ///< draws of fault timings and effects on this component
    int down_faults = 0;          ///< active faults that take the whole component down (NAT loss)
    double error_rate = 0;        ///< active dependency_errors faults, summed
    std::vector<const Distribution*> slow;  ///< active dependency_slow faults
    std::vector<char> dns_listed, dns_previous;  ///< load balancers: nodes in the DNS answer, now and before the last change
    std::int64_t dns_changed_ns = -1;
    bool launch_blocked = false;  ///< ECS: the last launch attempt found no zone to start in
    bool retry_pending = false;   ///< ECS: a kReconcile retry is already scheduled
    // ECS Service Auto Scaling: the capacity range and desired count the scheduler works to,
    // and what the CloudWatch metrics see over the current minute.
    int desired = 0, min_capacity = 0, max_capacity = 0;
    int busy = 0, running = 0;      ///< slots serving, tasks running
    double busy_area = 0, capacity_area = 0;  ///< slot-nanoseconds in the current minute
    double zero_area = 0;                     ///< nanoseconds with no running task in the current minute
    std::int64_t from_zero_ns = -1;           ///< when the desired count last rose from zero, until a task runs
    std::int64_t service_at_ns = 0;
    std::uint64_t minute_requests = 0;
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
    /// lost without its knowing, and not being drained.
    static bool counted(const Task& t, int of_release) {
      return t.state != TaskState::Stopped && !t.draining && (of_release < 0 || t.release == of_release);
    }
    int counted_tasks(int of_release = -1) const {
      int n = 0;
      for (const Task& t : tasks) n += counted(t, of_release) ? 1 : 0;
      return n;
    }
    // Deployments
    std::uint16_t release = 0;  ///< the release the scheduler launches (blue/green: for the blue set)
    Rollout rollout;
    std::uint64_t alarm_requests = 0, alarm_errors = 0;  ///< the rollback alarm's current minute
    std::uint64_t alarm_responses = 0;                   ///< answered this minute, and their total time
    std::int64_t alarm_response_ns = 0;
    int alarm_breaches = 0, latency_breaches = 0;        ///< breaching minutes in a row, per alarm
    bool advancing = false, advance_again = false;       ///< advance_deployment is not re-entered
    double billed_area = 0;       ///< ECS: task-nanoseconds billed in the current minute
    double surplus_area = 0;      ///< ECS: of which beyond the desired count during a deployment
    int billed = 0;
    std::int64_t billed_at_ns = 0;
    int m_top_up = -1;
    // RDS: the instances (primary and, Multi-AZ, standby), which is primary, which are whole
    int db_node[2] = {-1, -1};
    int db_broken[2] = {0, 0};  ///< active failures of each instance (whole when 0)
    int db_primary = 0;
    bool db_failing_over = false;
    // Meter ids (-1: not metered)
    int m_requests = -1, m_bytes = -1, m_cross_zone = -1, m_data_out = -1, m_new_connections = -1,
        m_connection_seconds = -1, m_rule_evaluations = -1, m_task_seconds = -1, m_vcpu_seconds = -1,
        m_gb_seconds = -1, m_cold_starts = -1, m_init_seconds = -1, m_read_units = -1, m_write_units = -1, m_instance_seconds = -1,
        m_cache_hits = -1, m_log_bytes = -1, m_deployment_seconds = -1, m_zero_seconds = -1, m_from_zero = -1,
        m_from_zero_seconds = -1, m_provisioned_seconds = -1, m_provisioned_duration = -1, m_metered_requests = -1,
        m_put_requests = -1;  ///< S3: PUT, COPY, POST and LIST requests, billed apart from GETs
  };

  // The walk
  void arrive_at_hop(std::uint32_t id);
  void work_done(std::uint32_t id);
  void forward(std::uint32_t id);
  void respond(std::uint32_t id);
  void reach_back(std::uint32_t id);
  void fail(std::uint32_t id, Outcome cause);
  void complete(std::uint32_t id);
  void start_service(std::uint32_t id, int hop, const ComponentModel& c);
  Outcome pick_target(Request& r, int next_hop, int from_node);
  int pick_node(const ComponentModel& c, ComponentState& s);
  void release(Request& r, int hop);
  Duration network_delay(const Node& from, const Node& to, ComponentState& into);
  void log_request(const ComponentModel& c, int node);
  bool take_capacity(ComponentState& s, const ComponentModel& c, double read_units, double write_units);

  // Faults and recovery (faults.cpp)
  void schedule_faults();
  /// At t = 0: tasks that never started are reported, and the scheduler tries to place them.
  void start_services();
  void on_fault(std::uint32_t kind, std::uint64_t payload);
  void fault_starts(std::size_t fault);
  void fault_ends(std::size_t fault);
  void arm_fault_clock(std::size_t fault);
  void arm_crash_clocks(int component, int slot);
  void arm_database_clocks(int component);
  void zone_changed(int zone, bool down);
  bool node_down(int node) const;
  bool component_down(int component) const;
  void lose_task(int component, int slot, Outcome cause);
  void health_check(int component, int slot, bool timed_out);
  void ecs_stops(int component, int slot);
  void reconcile(int component);
  /// Keeps one task set (tasks of `release`, or all tasks when -1) at `desired`.
  void reconcile_set(int component, int release, int desired);
  /// Starts a task of `release` in the emptiest live zone that can start it; false (and a
  /// retry scheduled) when no zone can.
  bool launch_somewhere(int component, int release);
  void rebalance(int component);
  void launch(int component, int node, int retires, std::uint16_t release);
  void task_started(int component, int slot);
  void stop_billing(int component, Task& task);
  void account_billed(ComponentState& s);
  void finish_drain(int component, int slot);
  void retire(int component, Task& replacement);
  void drain(int component, int slot);
  void database_changed(int component);
  void set_dns(int component, int node, bool listed);
  void refresh_dns(int balancer);
  void health_changed(int service);
  /// Integrates the time the service spent below its desired count since the last change,
  /// then recounts; called after every change of a task's state, health or the desired count.
  void account_capacity(int component, std::int64_t at_ns = -1);
  void incident(std::string_view what, std::string subject);
  /// `api/2`, or with its zone `api/2 (us-east-1b)`, for incidents.
  std::string task_label(int component, int slot, bool with_zone) const;
  std::uint64_t task_payload(int component, int slot) const;

  // Service Auto Scaling (autoscaling.cpp)
  /// Schedules `kind` at the cron schedule's next firing after now (or from the run's start).
  void schedule_firing(const model::CronSchedule& cron, bool from_start, std::uint32_t kind, std::uint64_t payload);
  void schedule_scaling();
  void scheduled_action(int component, std::size_t action, bool reschedule);
  void track_targets(int component);
  void scale_to(int component, int desired, const std::string& why);
  void account_service(int component);

  // Deployments (deployments.cpp)
  void schedule_deployments();
  void start_deployment(std::size_t deployment);
  void advance_deployment(int component);
  void advance_rolling(int component);
  void advance_blue_green(int component);
  void deployment_step(int component);
  void deployment_timed_out(int component);
  void end_rolling(int component);
  void shift_traffic(int component);
  void finish_blue_green(int component);
  void roll_back(int component, const std::string& why);
  void stop_release(int component, int release);
  void evaluate_alarm(int component);
  void schedule_rollout_timer(int component, Duration in, std::uint32_t kind);
  /// The task sets a service keeps at its desired count: all its tasks (-1), or blue and green.
  std::vector<int> task_sets(int component) const;
  // Traffic
  void schedule_next_arrival();
  void admit(Time at, std::uint32_t plan, std::int64_t request_bytes, std::int64_t response_bytes);
  std::uint32_t pick_plan();
  std::uint32_t allocate();
  void free(std::uint32_t id);

  // Recording
  int add_meter(int component, Meter meter);
  /// Adds to a meter in the hour containing `at_ns` (default: now); nothing during the warm-up.
  void meter(int id, double amount, std::int64_t at_ns = -1);
  /// Meters `bytes` that cross from `from`'s zone into `to`'s (nothing when the zones match or
  /// either end has none): on the load balancer when one end is one, else on the sender.
  void meter_cross_zone(const Node& from, const Node& to, double bytes);
  void on_minute();
  void account_busy();
  void summarise();  ///< the replication's headline metrics, once at the end

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  Engine engine_;
  HandlerId self_ = 0;
  const Distribution* delays_[kRelationNames.size()] = {};  ///< by Relation
  RandomStream arrivals_rng_, mix_rng_;
  std::vector<RandomStream> size_rng_;  ///< per route plan
  std::vector<ComponentState> state_;
  /// Every task slot of every service, (component, slot), in creation order: a task's timer
  /// events carry the index here (32 bits) and its incarnation (32 bits), so the payload has
  /// room for any slot a service can have, not 16 bits of it.
  std::vector<std::pair<int, int>> task_refs_;
  std::uint32_t add_task_ref(int component, std::size_t slot);
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_;
  std::size_t in_flight_ = 0;
  std::uint64_t max_in_flight_ = 0;  ///< workload.limits.max_in_flight, or what the memory budget holds
  std::uint64_t candidates_ = 0;     ///< arrival candidates drawn, kept or thinned: work the event count misses
  std::uint64_t events_ = 0;         ///< events delivered before the current hour
  bool overworked_ = false;          ///< candidates and events together reached max_events
  std::size_t trace_next_ = 0;
  bool overloaded_ = false;
  std::vector<int> zone_down_;  ///< active outages per zone
  std::vector<std::int64_t> fault_generation_;  ///< per fault: cancels stale clock events
  std::uint64_t seed_ = 0;  ///< this replication's: per-fault streams (a distributed start) derive from it
  std::vector<const ReleaseSpec*> releases_{nullptr};  ///< per release; nullptr: a good one (release 0 is the initial)
  int lambda_pool_in_use_ = 0;  ///< environments busy on the account's unreserved concurrency
  std::vector<char> fault_exercised_;     ///< per fault: active at some time after the warm-up
  std::vector<char> deployment_exercised_;  ///< per deployment: started after the warm-up

  SimResult result_;
  LatencyHistogram minute_latency_;
  std::int64_t minute_ = 0;
  std::int64_t busy_slots_ = 0, total_slots_ = 0;  ///< over every service: tasks x concurrency can pass 2^31
  std::int64_t busy_since_ns_ = 0;
  double busy_area_ = 0;  ///< slot-nanoseconds in the current minute
};

}  // namespace archsim::sim::detail
