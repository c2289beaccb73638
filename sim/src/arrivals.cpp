#include <algorithm>

#include "archsim/sim/workload.hpp"

namespace archsim::sim {

double ArrivalSpec::rate_at(Duration t) const {
  const std::int64_t day = t.ns / Duration::days(1).ns;
  const Duration time_of_day{t.ns % Duration::days(1).ns};
  const auto hour = static_cast<std::size_t>(time_of_day.ns / Duration::hours(1).ns);
  const bool weekend = (start_weekday + day) % 7 >= 5;
  double m = 1;
  if (weekend && !weekend_profile.empty()) m = weekend_profile[hour];
  else if (!daily_profile.empty()) m = daily_profile[hour];
  for (const auto& b : bursts) {
    const Duration at = b.daily ? time_of_day : t;
    if (at >= b.start && at < b.start + b.duration) m *= b.multiplier;
  }
  return rate_per_second * m;
}

double ArrivalSpec::max_rate() const {
  double m = 1;
  if (!daily_profile.empty() || !weekend_profile.empty()) {
    m = 0;
    for (double x : daily_profile) m = std::max(m, x);
    for (double x : weekend_profile) m = std::max(m, x);
    if (daily_profile.empty()) m = std::max(m, 1.0);  // weekdays run flat
  }
  for (const auto& b : bursts) m *= std::max(b.multiplier, 1.0);
  return rate_per_second * m;
}

double ArrivalSpec::expected_arrivals(Duration from, Duration to) const {
  const std::int64_t minute = Duration::minutes(1).ns;
  double sum = 0;
  for (std::int64_t t = from.ns; t < to.ns;) {
    const std::int64_t next = std::min(to.ns, (t / minute + 1) * minute);
    sum += rate_at(Duration{t}) * static_cast<double>(next - t) / 1e9;
    t = next;
  }
  return sum;
}

}  // namespace archsim::sim
