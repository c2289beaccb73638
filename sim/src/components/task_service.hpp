// Private to the simulator: an ECS service, the kind whose tasks the platform runs.
//
// Its requests take a concurrency slot of one task (queueing when all are busy), die with
// the task, count in the CloudWatch metrics its autoscaling and rollback alarms read, and
// may meet a bad release's errors and latency.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct TaskService : ComponentKind {
  static constexpr bool kHoldsTaskSlots = true;
  static constexpr Outcome kNodeDown = Outcome::TargetDown;
  static constexpr Outcome kTaskGone = Outcome::TargetDown;
  static constexpr bool kFeedsServiceLoad = true;
  static constexpr bool kLogsRequests = true;
};

}  // namespace archsim::sim::detail
