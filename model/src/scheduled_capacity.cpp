#include "archsim/model/scheduled_capacity.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
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

std::vector<double> scheduled_desired_by_hour(const EcsServiceSpec& service, int hours, int start_weekday) {
  std::vector<double> by_hour(static_cast<std::size_t>(std::max(hours, 0)), static_cast<double>(service.desired_count));
  if (!service.autoscaling || service.autoscaling->scheduled.empty()) return by_hour;
  const auto& actions = service.autoscaling->scheduled;
  std::vector<CronSchedule> schedules;
  for (const auto& action : actions) {
    std::string why;  // refused at load when it does not parse
    schedules.push_back(parse_cron(action.schedule, action.timezone, why).value_or(CronSchedule{}));
  }
  ScalableCapacity capacity{service.min_count, service.max_count, service.desired_count};
  if (const auto latest = last_fired_before_start(schedules, start_weekday)) {
    capacity = apply_scheduled_action(capacity, actions[*latest]);
  }
  const std::int64_t minute = Duration::minutes(1).ns;
  std::vector<std::optional<Duration>> next;  // each schedule's next firing (whole minutes)
  for (const auto& s : schedules) next.push_back(s.next_after(Duration{-1}, start_weekday));
  for (std::size_t h = 0; h < by_hour.size(); ++h) {
    double sum = 0;
    for (int m = 0; m < 60; ++m) {
      const std::int64_t t = (static_cast<std::int64_t>(h) * 60 + m) * minute;
      // Actions firing in the same minute apply in the order they are written.
      for (std::size_t a = 0; a < schedules.size(); ++a) {
        if (!next[a] || next[a]->ns != t) continue;
        capacity = apply_scheduled_action(capacity, actions[a]);
        next[a] = schedules[a].next_after(Duration{t}, start_weekday);
      }
      sum += capacity.desired;
    }
    by_hour[h] = sum / 60.0;
  }
  return by_hour;
}

}  // namespace archsim::model
