// libFuzzer target: the scalar parsers every decoder leans on: durations, sizes, rates, CIDR
// blocks, cron schedules with their time zones, ISO 8601 timestamps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "archsim/model/cidr.hpp"
#include "archsim/model/schedule.hpp"
#include "archsim/model/units.hpp"
#include "archsim/sim/workload.hpp"
#include "trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)archsim::model::parse_duration(text);
  (void)archsim::model::parse_duration_seconds(text);
  (void)archsim::model::parse_bytes(text);
  (void)archsim::model::parse_byte_amount(text);
  (void)archsim::model::parse_cidr(text);
  (void)archsim::sim::parse_rate(text);
  (void)archsim::sim::detail::parse_iso8601_ns(text);
  // A cron expression and a time zone, split at the first newline.
  const auto newline = text.find('\n');
  std::string why;
  if (const auto cron = archsim::model::parse_cron(text.substr(0, newline),
                                                   newline == std::string_view::npos ? "UTC" : text.substr(newline + 1), why)) {
    for (int weekday = 0; weekday < 7; ++weekday) (void)cron->next_after(archsim::model::Duration{0}, weekday);
  }
  return 0;
}
