// The capacity an ECS service's scheduled actions give it, without traffic.
//
// Application Auto Scaling moves a service's minimum and maximum capacity at each scheduled
// action and its desired count into the new range; target tracking and step scaling then act
// on load inside that range. The simulator applies the same rule event by event, the analytic
// model and the price (for a month nobody declared task-hours for) replay the schedule alone,
// so the rule lives here once.
#pragma once

#include <vector>

#include "archsim/model/spec.hpp"

namespace archsim::model {

struct ScalableCapacity {
  int min = 0, max = 0, desired = 0;
};

/// A scheduled action fires: the range becomes the action's min and max (each only when it
/// sets one; a min above the max is lowered to it) and the desired count moves into the range.
ScalableCapacity apply_scheduled_action(ScalableCapacity capacity, const ScheduledActionSpec& action);

/// The service's desired count under its scheduled actions alone, hour by hour over `hours`
/// hours of run time (which starts at UTC midnight of `start_weekday`, 0 = Monday): each
/// hour's mean over its minutes. The run starts in the state the most recent action left; a
/// service without scheduled actions keeps `desired_count`.
std::vector<double> scheduled_desired_by_hour(const EcsServiceSpec& service, int hours, int start_weekday);

}  // namespace archsim::model
