// The capacity an ECS service's scheduled actions give it, without traffic.
//
// Application Auto Scaling moves a service's minimum and maximum capacity at each scheduled
// action and its desired count into the new range; target tracking and step scaling then act
// on load inside that range. The simulator applies the same rule event by event, the analytic
// model and the price (for a month nobody declared task-hours for) replay the schedule alone,
// so the rule lives here once.
#pragma once

#include <optional>
#include <vector>

#include "archsim/model/schedule.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::model {

struct ScalableCapacity {
  int min = 0, max = 0, desired = 0;
};

/// A scheduled action fires: the range becomes the action's min and max (each only when it
/// sets one; a min above the max is lowered to it) and the desired count moves into the range.
ScalableCapacity apply_scheduled_action(ScalableCapacity capacity, const ScheduledActionSpec& action);

/// A service's scheduled actions replayed minute by minute on the run clock (which starts at
/// UTC midnight of `start_weekday`): the run starts in the state the most recent action left,
/// and each action applies in the minute it fires, in the order the actions are written. The
/// analytic model and the price walk the same replay; `actions` and `schedules` (one per
/// action) must outlive it.
class ScheduleReplay {
 public:
  ScheduleReplay(ScalableCapacity start, const std::vector<ScheduledActionSpec>& actions,
                 const std::vector<CronSchedule>& schedules, int start_weekday);

  /// Applies the actions that fire at minute `t` (whole minutes, asked in increasing order),
  /// calling `on_action(before, after)` after each one.
  template <class OnAction>
  void minute(Duration t, OnAction&& on_action) {
    for (std::size_t a = 0; a < schedules_.size(); ++a) {
      if (!next_[a] || next_[a]->ns != t.ns) continue;
      const ScalableCapacity before = capacity_;
      capacity_ = apply_scheduled_action(capacity_, actions_[a]);
      on_action(before, capacity_);
      next_[a] = schedules_[a].next_after(t, start_weekday_);
    }
  }

  const ScalableCapacity& capacity() const { return capacity_; }

 private:
  const std::vector<ScheduledActionSpec>& actions_;
  const std::vector<CronSchedule>& schedules_;
  int start_weekday_;
  ScalableCapacity capacity_;
  std::vector<std::optional<Duration>> next_;  ///< each schedule's next firing
};

/// The service's desired count under its scheduled actions alone, hour by hour over `hours`
/// hours of run time (which starts at UTC midnight of `start_weekday`, 0 = Monday): each
/// hour's mean over its minutes. The run starts in the state the most recent action left; a
/// service without scheduled actions keeps `desired_count`.
std::vector<double> scheduled_desired_by_hour(const EcsServiceSpec& service, int hours, int start_weekday);

}  // namespace archsim::model
