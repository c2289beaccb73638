// Private to the simulator: how traffic meets the platform.
//
// A replication has two halves. The platform (platform/) is everything AWS does whatever the
// traffic: faults, task lifecycles, health checks, DNS, the ECS scheduler, RDS failover,
// Service Auto Scaling, deployments and billing by time. A traffic model moves the requests
// through it: the request walk (request_walk.hpp) follows each request hop by hop. The
// platform knows a traffic model only through this interface, so one set of platform
// mechanisms serves every traffic model, in the way SimGrid's resources cancel the actions on
// them without knowing which model made them.
//
// The platform tells the traffic model about the state changes that touch requests in
// flight (a task added or lost) and reads back, once a minute, what the CloudWatch metrics of
// each ECS service would see (ServiceLoad). Everything else the traffic model reads from the
// platform directly: which tasks are registered and healthy, which nodes DNS lists, which
// faults are active.
#pragma once

#include <cstdint>

#include "archsim/sim/result.hpp"

namespace archsim::sim::detail {

/// What an ECS service's metrics saw since the platform last read (and zeroed) them.
struct ServiceLoad {
  std::uint64_t requests = 0;  ///< sent to the service, target or not (ALB RequestCountPerTarget)
  // The rollback alarm's minute: requests reaching the service, failed there or below it,
  // answered, and their total response time (TargetResponseTime).
  std::uint64_t reached = 0, errors = 0, responses = 0;
  std::int64_t response_ns = 0;
  double busy_slot_ns = 0;  ///< slot-nanoseconds serving (the CPU metric's numerator)
};

class TrafficModel {
 public:
  virtual ~TrafficModel() = default;

  /// Schedules the first arrivals; called once at t = 0, before the platform starts.
  virtual void start() = 0;
  /// The service has a new task slot at the end of its task list.
  virtual void on_task_added(ComponentId component) = 0;
  /// The task (or database instance) died: requests it was serving or holding in its queue
  /// fail with `cause`, and its load is dropped.
  virtual void on_task_lost(ComponentId component, int slot, Outcome cause) = 0;
  /// Requests routed to the task and not yet answered (a draining task stops at 0).
  virtual int outstanding(ComponentId component, int slot) const = 0;
  /// The service's metrics so far this minute, brought up to now; the platform zeroes what
  /// it has read.
  virtual ServiceLoad& service_load(ComponentId component) = 0;
  /// The minute ends: its traffic figures go into `sample` (`total_slots`: task slots running).
  virtual void end_minute(MinuteSample* sample, std::int64_t total_slots) = 0;
  /// The platform handled one of its events (its state may have changed).
  virtual void after_platform_event() {}
  /// The run reached its horizon.
  virtual void finish() {}
};

}  // namespace archsim::sim::detail
