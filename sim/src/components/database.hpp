// Private to the simulator: an RDS database, one primary instance that serves every query.
//
// Queries take a connection slot of the primary and queue behind it like an ECS task's
// requests, but a dead or failing-over primary answers DependencyDown: to its caller it is a
// dependency, not a load balancer target.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Database : ComponentKind {
  static constexpr bool kHoldsTaskSlots = true;
  static constexpr Outcome kNodeDown = Outcome::DependencyDown;
  static constexpr Outcome kTaskGone = Outcome::DependencyDown;
  static constexpr bool kLogsRequests = true;
};

}  // namespace archsim::sim::detail
