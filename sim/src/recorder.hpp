// Private to the simulator: what one replication records, for both of its halves.
//
// The platform (platform/) and the traffic engine (traffic/) each add to the same usage
// meters, incidents and per-minute timeline; the Recorder holds them so that neither owns
// the other's outputs. Meters are registered once per component, in one function, because
// their order is the order of `usage` in results.json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/meters.hpp"
#include "archsim/sim/result.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

inline constexpr std::int64_t kMinuteNs = 60'000'000'000;
inline constexpr std::int64_t kHourNs = 3'600'000'000'000;

/// A component's meter ids in the replication's usage table (-1: not metered).
struct ComponentMeters {
  int requests = -1, bytes = -1, cross_zone = -1, data_out = -1, new_connections = -1, connection_seconds = -1,
      rule_evaluations = -1, task_seconds = -1, vcpu_seconds = -1, gb_seconds = -1, cold_starts = -1, init_seconds = -1,
      read_units = -1, write_units = -1, instance_seconds = -1, cache_hits = -1, log_bytes = -1, deployment_seconds = -1,
      zero_seconds = -1, from_zero = -1, from_zero_seconds = -1, provisioned_seconds = -1, provisioned_duration = -1,
      metered_requests = -1, top_up = -1,
      spot_seconds = -1,  ///< ECS with Fargate Spot in its strategy: task time billed on Spot
      put_requests = -1,  ///< S3: PUT, COPY, POST and LIST requests, billed apart from GETs
      retrieved = -1;     ///< S3 infrequent-access classes: bytes read back by GETs
};

class Recorder {
 public:
  Recorder(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, const Engine& engine);

  const ComponentMeters& meters(ComponentId component) const { return meters_[component]; }
  /// Adds to a meter in the hour containing `at_ns` (default: now); nothing during the warm-up.
  void meter(int id, double amount, std::int64_t at_ns = -1);
  void incident(std::string_view what, std::string subject);

  /// The minute of the timeline containing `ns` (the last one for the horizon itself).
  MinuteSample& minute_at(std::int64_t ns);
  SimResult& result() { return result_; }

 private:
  /// The meters of every component (what its kind is billed for), then of every deployment.
  void register_meters();
  int add_meter(ComponentId component, Meter meter);

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  const Engine& engine_;
  IndexedVector<ComponentId, ComponentMeters> meters_;
  SimResult result_;
};

}  // namespace archsim::sim::detail
