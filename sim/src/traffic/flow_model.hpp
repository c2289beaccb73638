// Private to the simulator: the flow model, a traffic model whose cost follows the design's
// state changes, not its request count.
//
// Between two changes of the platform's state (a task lost or started, a health check that
// flips, a DNS change, a fault, a deployment's traffic shift) and within one minute (the
// arrival profile's step), the traffic is stationary. The flow model evaluates each such
// segment once: it propagates each route's traffic as shares over the same placements, target
// choices, egress paths and failure rules the request walk applies (traffic/routing.hpp),
// puts each task's arrival rate through its M/G/c queue (sim/queueing.hpp), Lambda's
// concurrency through Erlang B and DynamoDB's capacity through a fluid bucket, and gets for
// every route the share of each outcome, the meters per request and each service's load.
// When the segment ends, the number of requests is drawn from the arrival rate, split by
// outcome, metered, and a few request-level samples of the path (network delays, service
// times, queue waits) give the latency distribution. The platform's mechanisms run
// unchanged: it reads ServiceLoad once a minute, as from the walk. docs/simulation.md
// ("Flow fidelity") states the model, its accuracy contract and where it departs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/histogram.hpp"
#include "archsim/sim/queueing.hpp"
#include "archsim/sim/random.hpp"
#include "components/kinds.hpp"
#include "platform/platform.hpp"
#include "recorder.hpp"
#include "runtime.hpp"
#include "traffic/routing.hpp"
#include "traffic/traffic_model.hpp"

namespace archsim::sim::detail {

class FlowModel final : public TrafficModel, public EventHandler {
 public:
  FlowModel(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Engine& engine,
            Recorder& recorder, Platform& platform);

  void start() override;
  void on_task_added(ComponentId) override {}
  void on_task_lost(ComponentId component, int slot, Outcome cause) override;
  /// A flow has no individual requests to wait for: a draining task stops at once (the walk
  /// waits at most its in-flight requests' remaining service time, milliseconds).
  int outstanding(ComponentId, int) const override { return 0; }
  ServiceLoad& service_load(ComponentId component) override;
  void end_minute(MinuteSample* sample, std::int64_t total_slots) override;
  void after_platform_event() override;
  void finish() override;
  /// Its own re-evaluations: while clients move off a changed DNS answer (the share on the
  /// old answer falls over the TTL), the state changes without a platform event.
  void on_event(Engine& engine, const Event& event) override;

  /// Segments evaluated (state changes and minutes): the flow model's work.
  std::uint64_t segments() const { return segments_; }

 private:
  /// One place a request can be at a hop: a node, and for ECS and RDS the task slot.
  struct Place {
    NodeId node;
    int slot = -1;
  };
  /// Where a request at `from` goes next on a hop: each place with its probability, and the
  /// probabilities of failing before reaching any (no target, no path, blocked).
  struct Step {
    std::vector<std::pair<Place, double>> to;
    std::array<double, kOutcomeCount> fail{};
    bool blocked = false;  ///< security groups drop it: the caller's connect timeout runs out
  };
  /// What happens on arrival at a place: the probability of each failure and, for a Lambda
  /// function, of a cold start.
  struct Visit {
    std::array<double, kOutcomeCount> fail{};  ///< Ok: unused
    double cache_hit = 0;     ///< CloudFront: answered at the edge
    double cold_start = 0;    ///< Lambda
    double provisioned = 0;   ///< Lambda: served by a provisioned environment
    const QueueWait* wait = nullptr;  ///< ECS, RDS: the task's queue
    double served_share = 1;  ///< of arrivals not failed at the node, the share a saturated queue serves
    /// `share` of the requests still open fail with `o`.
    void add_failure(Outcome o, double share) {
      double open = 1;
      for (std::size_t k = 1; k < kOutcomeCount; ++k) open -= fail[k];
      fail[static_cast<std::size_t>(o)] += open * share;
    }
  };
  /// A route's state in the current segment, per request of the route.
  struct RouteFlow {
    std::array<double, kOutcomeCount> outcome{};  ///< shares; Ok includes later timeouts (sampled)
    std::vector<std::pair<int, double>> meters;   ///< (meter id, amount per request)
  };
  struct ServiceFlow {
    double requests = 0, reached = 0, errors = 0;  ///< per request of all routes
  };

  /// Evaluates the platform's current state: routes, queues, meters, loads.
  void evaluate();
  /// Ends the current segment at now: draws and records its requests.
  void close_segment(std::int64_t end_ns);
  /// A 64-bit digest of everything routing reads from the platform.
  std::uint64_t platform_digest() const;

  const Step& step(int plan, int hop, NodeId from_node);
  Step make_step(int plan, int hop, NodeId from_node);
  const Visit& visit(const Place& place);
  /// Propagates `weight` of plan `plan` from hop `hop` at `at`; returns the share that comes
  /// back successful. `first_pass`: only record each place's share of the arrivals.
  double propagate(int plan, int hop, const Place& at, double weight, bool first_pass, RouteFlow& flow);
  /// One request-level sample of plan `plan` from hop `hop` at `at`: the time (ns) from the
  /// request reaching hop `hop` to its answer leaving it, -1 when a caller's timeout runs out,
  /// nothing when it fails on the way (the outcome shares count that).
  std::optional<std::int64_t> sample_from(int plan, int hop, const Place& at);
  /// A successful request's latency (ns), -1 when it times out, nothing when no draw succeeds.
  std::optional<std::int64_t> sample_request(int plan);

  void meter_per_request(RouteFlow& flow, int id, double amount) const;

  // Per component kind, overloads on its type (components/kinds.hpp's visit_kind picks one;
  // kinds without a step of their own take the template): the places a hop's traffic goes
  // to, what it meets arriving there, the meters it runs per request, and one request-level
  // sample of the time it spends there.
  void targets_in(TaskService, Step& step, std::vector<std::pair<Place, double>>& to, const Hop& here, const Hop& next, const Node& from);
  void targets_in(Database, Step& step, std::vector<std::pair<Place, double>>& to, const Hop& here, const Hop& next, const Node& from);
  template <class K>
  void targets_in(K, Step& step, std::vector<std::pair<Place, double>>& to, const Hop& here, const Hop& next, const Node& from);
  template <class K>
  void admit_at(K, Visit& v, const Place& place, ComponentId ci);
  template <class K>
    requires K::kHoldsTaskSlots
  void admit_at(K, Visit& v, const Place& place, ComponentId ci);
  void admit_at(FunctionPool, Visit& v, const Place& place, ComponentId ci);
  void admit_at(TokenBucketTable, Visit& v, const Place& place, ComponentId ci);
  /// `weight` of the route's requests arrived, `ok` of them were served; `bytes` per request
  /// in and out.
  template <class K>
  void meter_at(K, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit& v, double weight, double ok, double bytes);
  void meter_at(LoadBalancer, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit& v, double weight, double ok,
                double bytes);
  void meter_at(FunctionPool, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit& v, double weight, double ok,
                double bytes);
  void meter_at(TokenBucketTable, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit& v, double weight,
                double ok, double bytes);
  template <class K>
  std::int64_t sample_work(K, const Visit& v, ComponentId ci, int slot, RandomStream& rng);
  template <class K>
    requires K::kHoldsTaskSlots
  std::int64_t sample_work(K, const Visit& v, ComponentId ci, int slot, RandomStream& rng);
  std::int64_t sample_work(FunctionPool, const Visit& v, ComponentId ci, int slot, RandomStream& rng);
  /// Fills request_bytes_ and response_bytes_.
  void mean_sizes();

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  Engine& engine_;
  Recorder& recorder_;
  SimResult& result_;
  Platform& platform_;
  HandlerId self_ = 0;
  std::int64_t tick_at_ns_ = -1;  ///< the re-evaluation scheduled, or -1
  NetworkDelays delays_;
  RandomStream counts_rng_, latency_rng_;

  // The current segment
  std::int64_t segment_start_ns_ = 0;
  std::size_t trace_next_ = 0;  ///< the first trace record not yet counted
  std::uint64_t digest_ = 0;
  double rate_per_ns_ = 0;
  std::vector<RouteFlow> routes_;            ///< per plan
  IndexedVector<ComponentId, ServiceFlow> services_;
  /// Per component: arrival rate (per request of the workload) at each task slot.
  IndexedVector<ComponentId, std::vector<double>> slot_share_;
  IndexedVector<ComponentId, std::vector<std::unique_ptr<QueueWait>>> queues_;  ///< per slot
  std::vector<std::vector<std::optional<Step>>> steps_;  ///< per plan x hop, per node (cache)
  IndexedVector<ComponentId, std::vector<std::optional<Visit>>> visits_;  ///< per slot (or node)
  IndexedVector<ComponentId, double> arrival_share_;  ///< its share of the arrivals (Lambda concurrency, DynamoDB capacity)
  /// Per plan: the mean request and response bytes a flow meters by: the size distributions'
  /// means, or a trace's own sizes averaged over its records on the route (mean_sizes()).
  std::vector<double> request_bytes_, response_bytes_;

  IndexedVector<ComponentId, ServiceLoad> loads_;
  IndexedVector<ComponentId, std::int64_t> busy_at_ns_;
  IndexedVector<ComponentId, double> busy_slots_now_;
  double busy_area_ = 0;
  LatencyHistogram minute_latency_;
  std::uint64_t segments_ = 0;
};

}  // namespace archsim::sim::detail
