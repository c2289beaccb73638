// Private to the simulator: an RDS database, one primary instance that serves every query.
//
// Queries take a connection slot of the primary and queue behind it like an ECS task's
// requests (the task-slot mechanics are the traffic engines' own), but a dead or
// failing-over primary answers DependencyDown: to its caller it is a dependency, not a load
// balancer target. The platform moves the primary on failover; the traffic only ever sees
// slot 0.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Database : ComponentKind {
  static constexpr bool kHoldsTaskSlots = true;
  static constexpr Outcome kNodeDown = Outcome::DependencyDown;
  static constexpr Outcome kTaskGone = Outcome::DependencyDown;
  static constexpr bool kLogsRequests = true;

  template <class Add>
  static void add_meters(const RuntimeModel&, ComponentId, ComponentMeters& m, Add&& add) {
    m.instance_seconds = add(Meter::InstanceSeconds);
  }

  /// Both engines: whether a query can be sent to the primary (its slot is kPrimarySlot), or
  /// what the caller meets instead.
  static constexpr int kPrimarySlot = 0;
  static Outcome reach_primary(const ComponentControl& control) {
    if (control.tasks.empty()) return Outcome::NoHealthyTarget;
    if (control.tasks.front().state != TaskState::Running) return Outcome::DependencyDown;
    return Outcome::Ok;
  }
};

}  // namespace archsim::sim::detail
