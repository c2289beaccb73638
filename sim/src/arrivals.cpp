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
  return rate_per_second * m * max_burst_product();
}

double ArrivalSpec::max_burst_product() const {
  // The product is largest at some burst's start: there, take every burst that can be on at
  // the same time (a daily one at that time of day; an absolute one that covers that time, or
  // for a daily start, that covers that time of day on some day). Dips (below 1) only lower
  // it, so they count as 1: a bound, exact when every multiplier is at least 1. Quadratic in
  // the bursts, which the decoder caps (WorkloadLimits::max_bursts).
  const std::int64_t day = Duration::days(1).ns;
  const auto covers = [&](const BurstSpec& b, std::int64_t at, bool at_is_time_of_day) {
    if (b.daily || !at_is_time_of_day) {
      const std::int64_t t = b.daily && !at_is_time_of_day ? at % day : at;
      return t >= b.start.ns && t < b.start.ns + b.duration.ns;
    }
    // An absolute burst covers time of day `at` on some day.
    if (b.duration.ns >= day) return true;
    const std::int64_t from = b.start.ns % day, to = from + b.duration.ns;
    return (at >= from && at < to) || (at + day >= from && at + day < to);
  };
  double most = 1;
  for (const auto& point : bursts) {
    double m = 1;
    for (const auto& b : bursts) {
      if (covers(b, point.start.ns, point.daily)) m *= std::max(b.multiplier, 1.0);
    }
    most = std::max(most, m);
  }
  return most;
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
