// Private to the simulator: the request walk, the exact traffic model.
//
// Every request is followed hop by hop along its route plan: the network delay into each
// component, the target a load balancer picks (round robin or least outstanding requests,
// healthy targets first, DNS and cross-zone rules), the task's concurrency slots and queue,
// Lambda environments and concurrency, DynamoDB token buckets, timeouts and KrakenD fan-out,
// and the answer's way back. Its cost grows with the number of requests; it is the reference
// every other traffic model is held to (docs/simulation.md). It reads the platform's state
// (platform/platform.hpp) and meters what each request uses.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/histogram.hpp"
#include "archsim/sim/random.hpp"
#include "components/kinds.hpp"
#include "platform/platform.hpp"
#include "recorder.hpp"
#include "runtime.hpp"
#include "traffic/routing.hpp"
#include "traffic/traffic_model.hpp"

namespace archsim::sim::detail {

class RequestWalk final : public TrafficModel, public EventHandler {
 public:
  RequestWalk(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Engine& engine,
              Recorder& recorder, Platform& platform);

  /// Memory one request in flight takes (in_flight_for_memory).
  static std::uint64_t bytes_per_request();

  // TrafficModel
  void start() override;
  void on_task_added(ComponentId component) override;
  void on_task_lost(ComponentId component, int slot, Outcome cause) override;
  int outstanding(ComponentId component, int slot) const override;
  ServiceLoad& service_load(ComponentId component) override;
  void end_minute(MinuteSample* sample, std::int64_t total_slots) override;

  void on_event(Engine& engine, const Event& event) override;

  /// The walk stopped the engine: more requests in flight than the limit allows...
  bool overloaded() const { return overloaded_; }
  std::uint64_t max_in_flight() const { return max_in_flight_; }
  /// ...or arrival candidates and events together reached max_events.
  bool overworked() const { return overworked_; }
  /// Events delivered before the current hour (the run loop keeps it, for the work limit).
  void set_events_so_far(std::uint64_t events) { events_ = events; }
  std::uint64_t candidates() const { return candidates_; }

 private:
  enum Kind : std::uint32_t { kArrival, kReachHop, kWorkDone, kReachBack, kConnectTimedOut };

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
    NodeId node[kMaxHops]{};
    std::int32_t slot[kMaxHops]{};  ///< task index (ECS, RDS) or environment (Lambda) at each hop
    std::uint32_t generation[kMaxHops]{};  ///< of the task at each hop: a lost task's requests are not its successor's
    std::int64_t sent_ns[kMaxHops]{};   ///< when hop h passed the request on (timeouts run from here)
    std::int64_t began_ns[kMaxHops]{};  ///< when hop h started work on it (Lambda billing)
  };
  static constexpr std::uint32_t kNone = 0xffffffffu;

  /// The requests on one task (or database instance).
  struct TaskLoad {
    int busy = 0;
    int outstanding = 0;  ///< requests routed to it and not yet answered (least outstanding requests)
    std::deque<std::uint32_t> queue;
  };

  /// What the walk keeps per component.
  struct ComponentLoad {
    ComponentMeters ids;  ///< its meters in the recorder
    RandomStream rng;     ///< the component's own draws (service times, cache hits, target picks)
    RandomStream network; ///< delays of hops into this component
    std::vector<TaskLoad> tasks;             ///< parallel to the platform's tasks
    std::vector<std::uint32_t> round_robin;  ///< per zone-node cursor (load balancers)
    FunctionPool::Environments environments;  ///< Lambda
    TokenBucketTable::Buckets buckets;        ///< DynamoDB capacity
    double connection_carry = 0;  ///< load balancers: fractional new connections
    int busy = 0;                 ///< ECS: slots serving
    std::int64_t busy_at_ns = 0;  ///< ECS: when `load.busy_slot_ns` was last brought up to date
    ServiceLoad load;             ///< ECS: what its metrics see this minute
  };

  void arrive_at_hop(std::uint32_t id);
  void work_done(std::uint32_t id);
  void forward(std::uint32_t id);
  void respond(std::uint32_t id);
  void reach_back(std::uint32_t id);
  void fail(std::uint32_t id, Outcome cause);
  void complete(std::uint32_t id);
  void start_service(std::uint32_t id, int hop, const ComponentModel& c);
  Outcome pick_target(Request& r, int next_hop, NodeId from_node);
  void release(Request& r, int hop);
  // Per component kind, overloads on its type (components/kinds.hpp's visit_kind picks one;
  // kinds without a step of their own take the template): where a request goes on the next
  // hop, what it meets arriving there, and what it gives back when its answer leaves a slot
  // it held (a task's, a Lambda environment).
  Outcome target_in(TaskService, Request& r, int next, NodeId from_node);
  Outcome target_in(Database, Request& r, int next, NodeId from_node);
  template <class K>
  Outcome target_in(K, Request& r, int next, NodeId from_node);
  template <class K>
  void admit_at_hop(K, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  template <class K>
    requires K::kHoldsTaskSlots
  void admit_at_hop(K, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  void admit_at_hop(LoadBalancer, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  void admit_at_hop(FunctionPool, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  void admit_at_hop(TokenBucketTable, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  template <class K>
  void release_held(K, Request& r, int hop, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  template <class K>
    requires K::kHoldsTaskSlots
  void release_held(K, Request& r, int hop, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  void release_held(FunctionPool, Request& r, int hop, ComponentId ci, const ComponentModel& c, ComponentLoad& s);
  Duration network_delay(const Node& from, const Node& to, ComponentLoad& into);
  void log_request(const ComponentModel& c, NodeId node);
  /// Meters `bytes` that cross from `from`'s zone into `to`'s (nothing when the zones match or
  /// either end has none): on the load balancer when one end is one, else on the sender.
  void meter_cross_zone(const Node& from, const Node& to, double bytes);
  void account_busy();
  void flush_busy(ComponentId component);

  void schedule_next_arrival();
  void admit(Time at, std::uint32_t plan, std::int64_t request_bytes, std::int64_t response_bytes);
  std::uint32_t pick_plan();
  std::uint32_t allocate();
  void free(std::uint32_t id);

  void meter(int id, double amount) { recorder_.meter(id, amount); }

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  Engine& engine_;
  Recorder& recorder_;
  SimResult& result_;
  Platform& platform_;
  HandlerId self_ = 0;
  NetworkDelays delays_;
  RandomStream arrivals_rng_, mix_rng_;
  std::vector<RandomStream> size_rng_;  ///< per route plan
  IndexedVector<ComponentId, ComponentLoad> state_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_;
  std::size_t in_flight_ = 0;
  std::uint64_t max_in_flight_ = 0;  ///< workload.limits.max_in_flight, or what the memory budget holds
  std::uint64_t candidates_ = 0;     ///< arrival candidates drawn, kept or thinned: work the event count misses
  std::uint64_t events_ = 0;         ///< events delivered before the current hour
  bool overworked_ = false;          ///< candidates and events together reached max_events
  std::size_t trace_next_ = 0;
  bool overloaded_ = false;
  int lambda_pool_in_use_ = 0;  ///< environments busy on the account's unreserved concurrency

  LatencyHistogram minute_latency_;
  std::int64_t busy_slots_ = 0;  ///< over every service: can pass 2^31
  std::int64_t busy_since_ns_ = 0;
  double busy_area_ = 0;  ///< slot-nanoseconds in the current minute
};

}  // namespace archsim::sim::detail
