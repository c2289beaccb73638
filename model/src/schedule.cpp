#include "archsim/model/schedule.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace archsim::model {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      if (i > start) out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::optional<int> value(std::string_view text, int min, int max, bool weekday) {
  if (weekday) {
    static constexpr std::array<std::string_view, 7> names{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (text == names[i]) return static_cast<int>(i);
    }
  }
  int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < min || v > max) return std::nullopt;
  // AWS numbers weekdays 1-7 from Sunday.
  if (weekday) return (v + 5) % 7;
  return v;
}

/// One field: `*`, `?`, `5`, `1,15`, `8-17`, `0/15`, `MON-FRI`.
template <std::size_t N>
bool field(std::string_view text, int min, int max, bool weekday, std::bitset<N>& out) {
  if (text == "*" || text == "?") {
    out.set();
    return true;
  }
  for (std::string_view part : split(text, ',')) {
    int step = 1;
    const auto slash = part.find('/');
    if (slash != std::string_view::npos) {
      // Day-of-week steps count in AWS's Sunday-first numbers; nobody schedules that way.
      if (weekday) return false;
      const auto s = value(part.substr(slash + 1), 1, max, false);
      if (!s) return false;
      step = *s;
      part = part.substr(0, slash);
    }
    int from = 0, to = 0;
    if (part == "*") {
      from = min, to = max;
    } else if (const auto dash = part.find('-'); dash != std::string_view::npos) {
      const auto a = value(part.substr(0, dash), min, max, weekday), b = value(part.substr(dash + 1), min, max, weekday);
      if (!a || !b) return false;
      from = *a, to = *b;
    } else {
      const auto a = value(part, min, max, weekday);
      if (!a) return false;
      // `0/15` starts at 0 and repeats to the field's end, as `0-59/15` does.
      from = *a;
      to = slash == std::string_view::npos ? *a : max;
    }
    if (weekday && part != "*") {
      // Ranges of named days run Monday-first (MON-FRI); a wrap (SAT-MON) is allowed.
      for (int d = from;; d = (d + 1) % 7) {
        out.set(static_cast<std::size_t>(d));
        if (d == to) break;
      }
      continue;
    }
    if (weekday) from = 0, to = 6;
    if (from > to) return false;
    for (int v = from; v <= to; v += step) out.set(static_cast<std::size_t>(weekday ? v : v - min));
  }
  return true;
}

}  // namespace

std::optional<CronSchedule> parse_cron(std::string_view expression, std::string_view timezone, std::string& why) {
  CronSchedule c;
  if (timezone != "UTC") {
    // UTC+hh:mm or UTC-hh:mm
    int h = 0, m = 0;
    const bool ok = timezone.size() == 9 && timezone.substr(0, 3) == "UTC" && (timezone[3] == '+' || timezone[3] == '-') &&
                    timezone[6] == ':' && std::from_chars(timezone.data() + 4, timezone.data() + 6, h).ec == std::errc{} &&
                    std::from_chars(timezone.data() + 7, timezone.data() + 9, m).ec == std::errc{} && h <= 14 && m < 60;
    if (!ok) {
      why = "expected a time zone as a fixed offset: UTC, UTC+02:00 or UTC-05:00 (a simulated run has no date, so "
            "daylight-saving zones cannot be placed)";
      return std::nullopt;
    }
    c.utc_offset = Duration::minutes((timezone[3] == '-' ? -1 : 1) * (h * 60 + m));
  }
  if (!expression.starts_with("cron(") || !expression.ends_with(")")) {
    why = "expected cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 20 ? * MON-FRI *)";
    return std::nullopt;
  }
  const auto fields = split(expression.substr(5, expression.size() - 6), ' ');
  if (fields.size() != 6) {
    why = "expected six cron fields: minutes hours day-of-month month day-of-week year";
    return std::nullopt;
  }
  for (std::size_t i : {2u, 3u, 5u}) {
    if (fields[i] != "*" && fields[i] != "?") {
      why = "day of month, month and year must be * or ?: a simulated run has times and weekdays but no dates";
      return std::nullopt;
    }
  }
  if (!field(fields[0], 0, 59, false, c.minutes) || !field(fields[1], 0, 23, false, c.hours) ||
      !field(fields[4], 1, 7, true, c.weekdays)) {
    why = "expected minutes 0-59 and hours 0-23 (as *, lists, ranges or steps such as 0/15) and days of week 1-7 or SUN-SAT "
          "(as *, lists or ranges)";
    return std::nullopt;
  }
  return c;
}

std::optional<std::size_t> last_fired_before_start(const std::vector<CronSchedule>& schedules, int start_weekday) {
  std::optional<std::size_t> latest_schedule;
  std::int64_t latest = INT64_MIN;
  for (std::size_t a = 0; a < schedules.size(); ++a) {
    Duration t = Duration::days(-7) - Duration::minutes(1);
    while (const auto next = schedules[a].next_after(t, start_weekday)) {
      if (next->ns >= 0) break;
      t = *next;
      if (next->ns > latest) latest = next->ns, latest_schedule = a;
    }
  }
  return latest_schedule;
}

std::optional<Duration> CronSchedule::next_after(Duration after, int start_weekday) const {
  // Minute by minute over at most a week: a run is at most 400 days and schedules fire at
  // most once a minute, so this stays cheap.
  const std::int64_t minute_ns = Duration::minutes(1).ns;
  // Shifted by two weeks (a whole number of weeks) so the arithmetic stays on positive
  // numbers for times a week before the start and offsets down to UTC-14:00.
  const std::int64_t shift = Duration::days(14).ns;
  std::int64_t t = ((after.ns + shift) / minute_ns + 1) * minute_ns - shift;
  for (int i = 0; i < 7 * 24 * 60 + 1; ++i, t += minute_ns) {
    const std::int64_t local = t + utc_offset.ns + shift;
    const std::int64_t minute_of_day = (local / minute_ns) % (24 * 60);
    const std::int64_t day = local / Duration::days(1).ns;
    const auto weekday = static_cast<std::size_t>((start_weekday + day) % 7);
    if (minutes.test(static_cast<std::size_t>(minute_of_day % 60)) && hours.test(static_cast<std::size_t>(minute_of_day / 60)) &&
        weekdays.test(weekday)) {
      return Duration{t};
    }
  }
  return std::nullopt;
}

}  // namespace archsim::model
