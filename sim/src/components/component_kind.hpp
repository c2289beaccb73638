// Private to the simulator: what a component kind is unless its own type says otherwise.
//
// Each kind of component (task_service.hpp, load_balancer.hpp, ...) is a struct of static
// members: the facts both traffic engines branch on (constexpr) and the kind's own steps.
// Where the request walk and the flow model do the same thing they call the same member;
// where they legitimately differ the kind has one member per engine, named by it
// (`admit_request` for the walk, `admit_flow` for the flow model). A kind that leaves a member
// out gets the default here: a component that takes its service time and nothing else.
// kinds.hpp turns a Role into its kind with one switch, so a request pays a jump, not a
// virtual call.
#pragma once

#include <cstdint>

#include "archsim/sim/random.hpp"
#include "archsim/sim/result.hpp"
#include "platform/platform.hpp"
#include "recorder.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

struct ComponentKind {
  /// Requests take a concurrency slot of a task the platform runs (an ECS task, the RDS
  /// primary), and fail when that task dies under them.
  static constexpr bool kHoldsTaskSlots = false;
  /// What a request meets at a node of this component that is down.
  static constexpr Outcome kNodeDown = Outcome::Unreachable;
  /// What a request meets when the task it was sent to (kHoldsTaskSlots) died meanwhile.
  static constexpr Outcome kTaskGone = Outcome::Unreachable;
  /// Its CloudWatch metrics (ServiceLoad: requests, target errors, response time, CPU) feed
  /// autoscaling and rollback alarms.
  static constexpr bool kFeedsServiceLoad = false;
  /// It bills every request that reaches it (`requests`, or the meter arrival_meter names).
  static constexpr bool kCountsRequests = true;
  /// It answers a share of its requests itself (cache_hit_ratio) without going on.
  static constexpr bool kAnswersFromCache = false;
  /// It ships a log line per request it serves to its log group.
  static constexpr bool kLogsRequests = false;
  /// Load balancer facts: clients find its nodes through DNS; a zone crossing with it at one
  /// end is billed on it; its calls to a service go to registered targets only, healthy ones
  /// first; and a node of it that died cannot pass an answer back.
  static constexpr bool kNodesInDns = false;
  static constexpr bool kBillsCrossings = false;
  static constexpr bool kChecksTargets = false;
  static constexpr bool kRelaysAnswers = false;

  /// The meters the kind is billed for besides `requests` and `cross_zone`, registered with
  /// `add(Meter)` in the order results.json lists them (Recorder::register_meters).
  template <class Add>
  static void add_meters(const RuntimeModel&, ComponentId, ComponentMeters&, Add&&) {}

  static double cache_hit_ratio(const ComponentModel&) { return 0; }

  /// The meter a request's arrival counts on (-1: none), and the one a request counts on when
  /// it failed after the component ran it (-1: none; Lambda bills a function error).
  static int arrival_meter(const ComponentMeters& ids, const RoutePlan&) { return ids.requests; }
  static int ran_meter(const ComponentMeters&) { return -1; }

  /// The time it works on a request, both engines: a draw of its service time.
  static std::int64_t draw_work_ns(const ComponentModel& c, RandomStream& rng) { return draw_ns(c.service_time, rng); }

  /// Request walk: which of its several placements a request goes to. Zonal placements
  /// (VPC-attached functions, interface endpoints): any live one; with none live, any.
  static NodeId pick_node_request(const ComponentModel& c, const ComponentControl&, const Platform& platform, std::int64_t,
                                  RandomStream& rng) {
    const std::size_t start = rng.below(c.nodes.size());
    for (std::size_t k = 0; k < c.nodes.size(); ++k) {
      const NodeId node = c.nodes[(start + k) % c.nodes.size()];
      if (!platform.node_down(node)) return node;
    }
    return c.nodes[start];
  }
  /// Flow model: the share of the requests at each of its several placements, by
  /// `share(node, fraction)`: what pick_node_request does, as shares.
  template <class Share>
  static void node_shares_flow(const ComponentModel& c, const ComponentControl&, const Platform& platform, std::int64_t, Share&& share) {
    std::size_t live = 0;
    for (NodeId node : c.nodes) live += platform.node_down(node) ? 0 : 1;
    for (NodeId node : c.nodes) {
      if (live == 0) share(node, 1.0 / static_cast<double>(c.nodes.size()));
      else if (!platform.node_down(node)) share(node, 1.0 / static_cast<double>(live));
    }
  }
};

}  // namespace archsim::sim::detail
