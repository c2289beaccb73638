// Schedules of Application Auto Scaling scheduled actions: `cron(...)` expressions and fixed
// time-zone offsets, evaluated on the simulator's clock.
//
// AWS's cron has six fields (minutes, hours, day of month, month, day of week, year;
// https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html).
// A simulated run has times of day and weekdays but no calendar date, so archsim evaluates
// minutes, hours and day of week, and requires day of month, month and year to be `*` or
// `?`. Time zones are `UTC`, fixed offsets (`UTC+02:00`) or IANA names without daylight saving
// (`Asia/Tokyo`, model/data/time_zones.yaml): the run has no date, so a zone with daylight
// saving is refused with its two offsets named.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/units.hpp"

namespace archsim::model {

struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<7> weekdays;  ///< 0 = Monday
  Duration utc_offset{};    ///< local time = UTC + offset

  /// The first time strictly after `after` (run time, which starts at UTC midnight of
  /// `start_weekday`) at which the schedule fires, if it fires within the following week.
  std::optional<Duration> next_after(Duration after, int start_weekday) const;
};

/// Which of `schedules` fired last in the week before the run starts (the state a run starts
/// in), or nullopt when none fires in that week.
std::optional<std::size_t> last_fired_before_start(const std::vector<CronSchedule>& schedules, int start_weekday);

/// Parses `cron(0 20 ? * MON-FRI *)` with a time zone (`UTC`, `UTC+02:00`, `UTC-05:00`,
/// `Asia/Tokyo`); nullopt with `why` set when it cannot.
std::optional<CronSchedule> parse_cron(std::string_view expression, std::string_view timezone, std::string& why);

}  // namespace archsim::model
