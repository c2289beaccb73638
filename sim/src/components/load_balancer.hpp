// Private to the simulator: an Elastic Load Balancing load balancer (Application, Network,
// Classic).
//
// It is the kind that stands between clients and targets: clients find its nodes by DNS
// (with the TTL's lag after a change), it sends only to registered targets and healthy ones
// first, zone crossings with it at one end are billed on it, and it bills by processed
// bytes, connections and rule evaluations (LCUs).
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct LoadBalancer : ComponentKind {
  static constexpr Outcome kNodeDown = Outcome::LoadBalancerDown;
  static constexpr bool kNodesInDns = true;
  static constexpr bool kBillsCrossings = true;
  static constexpr bool kChecksTargets = true;
  static constexpr bool kRelaysAnswers = true;
};

}  // namespace archsim::sim::detail
