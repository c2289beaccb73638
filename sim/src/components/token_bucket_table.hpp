// Private to the simulator: a DynamoDB table.
//
// Reads and writes draw on two token buckets refilled at the table's capacity per second
// (provisioned, or the on-demand throughput the defaults give) and holding the burst
// allowance; a request that finds too few tokens is throttled. The walk keeps the buckets;
// the flow model treats them as a fluid: a stretch asking more than the capacity has the
// excess throttled.
#pragma once

#include <algorithm>
#include <cstdint>

#include "archsim/sim/expected_load.hpp"
#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct TokenBucketTable : ComponentKind {
  template <class Add>
  static void add_meters(const RuntimeModel&, ComponentId, ComponentMeters& m, Add&& add) {
    m.read_units = add(Meter::ReadUnits);
    m.write_units = add(Meter::WriteUnits);
  }

  /// The capacity units `share` of its requests consume, both engines (only served ones).
  template <class MeterFn>
  static void meter_served(const ComponentModel& c, const ComponentMeters& ids, double share, MeterFn&& meter) {
    const auto [reads, writes] = table_units_per_request(c.behaviour);
    meter(ids.read_units, share * reads);
    meter(ids.write_units, share * writes);
  }

  // ------------------------------------------------------------ request walk

  struct Buckets {
    double read_tokens = 0, write_tokens = 0;
    std::int64_t at_ns = 0;  ///< when they were last refilled
  };
  /// Full buckets, as at the start of a run (every other kind has no capacity: empty ones).
  static Buckets full_buckets(const ComponentModel& c, double burst_seconds) {
    return {c.read_units_per_second * burst_seconds, c.write_units_per_second * burst_seconds, 0};
  }
  /// Takes one request's units at `now_ns`, or says it is throttled.
  static bool admit_request(const ComponentModel& c, Buckets& b, double burst_seconds, std::int64_t now_ns) {
    const auto [reads, writes] = table_units_per_request(c.behaviour);
    const double elapsed = static_cast<double>(now_ns - b.at_ns) / 1e9;
    b.at_ns = now_ns;
    b.read_tokens = std::min(b.read_tokens + elapsed * c.read_units_per_second, c.read_units_per_second * burst_seconds);
    b.write_tokens = std::min(b.write_tokens + elapsed * c.write_units_per_second, c.write_units_per_second * burst_seconds);
    if (b.read_tokens < reads || b.write_tokens < writes) return false;
    b.read_tokens -= reads;
    b.write_tokens -= writes;
    return true;
  }

  // ------------------------------------------------------------ flow model

  /// The share of a stationary stretch's requests throttled at `rate_per_second`.
  static double throttled_flow(const ComponentModel& c, double rate_per_second) {
    const auto [reads, writes] = table_units_per_request(c.behaviour);
    double throttled = 0;
    if (reads > 0 && rate_per_second * reads > c.read_units_per_second) {
      throttled = std::max(throttled, 1 - c.read_units_per_second / (rate_per_second * reads));
    }
    if (writes > 0 && rate_per_second * writes > c.write_units_per_second) {
      throttled = std::max(throttled, 1 - c.write_units_per_second / (rate_per_second * writes));
    }
    return throttled;
  }
};

}  // namespace archsim::sim::detail
