#include "archsim/model/scheduled_capacity.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "archsim/model/schedule.hpp"

namespace archsim::model {

ScalableCapacity apply_scheduled_action(ScalableCapacity capacity, const ScheduledActionSpec& action) {
  if (action.min_capacity) capacity.min = *action.min_capacity;
  if (action.max_capacity) capacity.max = *action.max_capacity;
  capacity.min = std::min(capacity.min, capacity.max);
  capacity.desired = std::clamp(capacity.desired, capacity.min, capacity.max);
  return capacity;
}

ScheduleReplay::ScheduleReplay(ScalableCapacity start, const std::vector<ScheduledActionSpec>& actions,
                               const std::vector<CronSchedule>& schedules, int start_weekday)
    : actions_(actions), schedules_(schedules), start_weekday_(start_weekday), capacity_(start) {
  if (const auto latest = last_fired_before_start(schedules, start_weekday)) {
    capacity_ = apply_scheduled_action(capacity_, actions[*latest]);
  }
  for (const auto& s : schedules) next_.push_back(s.next_after(Duration{-1}, start_weekday));
}

std::vector<double> scheduled_desired_by_hour(const EcsServiceSpec& service, int hours, int start_weekday) {
  std::vector<double> by_hour(static_cast<std::size_t>(std::max(hours, 0)), static_cast<double>(service.desired_count));
  if (!service.autoscaling || service.autoscaling->scheduled.empty()) return by_hour;
  const auto& actions = service.autoscaling->scheduled;
  std::vector<CronSchedule> schedules;
  for (const auto& action : actions) {
    std::string why;  // refused at load when it does not parse
    schedules.push_back(parse_cron(action.schedule, action.timezone, why).value_or(CronSchedule{}));
  }
  ScheduleReplay replay({service.min_count, service.max_count, service.desired_count}, actions, schedules, start_weekday);
  const std::int64_t minute = Duration::minutes(1).ns;
  for (std::size_t h = 0; h < by_hour.size(); ++h) {
    double sum = 0;
    for (int m = 0; m < 60; ++m) {
      replay.minute(Duration{(static_cast<std::int64_t>(h) * 60 + m) * minute}, [](const ScalableCapacity&, const ScalableCapacity&) {});
      sum += replay.capacity().desired;
    }
    by_hour[h] = sum / 60.0;
  }
  return by_hour;
}

}  // namespace archsim::model
