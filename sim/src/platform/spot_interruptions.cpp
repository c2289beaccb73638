// Fargate Spot interruptions in one replication. AWS reclaims Spot capacity with a two-minute
// notice: the task gets SIGTERM, the service scheduler launches a replacement when the
// service's maximum percent leaves room for one, and the container is killed at its stop
// timeout (at most 120 s, so within the notice). The task stays in its target group until it
// has stopped. AWS publishes no interruption rate, so interruptions happen only as the
// workload's spot_interruption faults say; docs/faults.md explains the model and its sources.
#include <algorithm>

#include <fmt/format.h>

#include "platform/platform.hpp"

namespace archsim::sim::detail {

void Platform::spot_notice(ComponentId component, int slot) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Task& t = s.tasks[static_cast<std::size_t>(slot)];
  if (t.state != TaskState::Running || !t.spot || t.spot_noticed) return;
  t.spot_noticed = true;
  incident("spot_interruption_notice", task_label(component, slot, true));
  task_fault_exercised(component, FaultEffect::SpotInterruption);
  // "Tasks that run as FARGATE_SPOT might not be deregistered from the load balancer target
  // group until the task transitions to the STOPPED state": it keeps its share of requests and
  // serves them until the kill, when the ones in flight fail.
  engine_.schedule_in(c.behaviour.stop_timeout, self_, kSpotStop, task_payload(component, slot));
  // "The service scheduler uses the minimumHealthyPercent and maximumPercent values" to decide
  // whether it can launch the replacement now; otherwise it replaces the task once stopped.
  int total = 0;
  for (const Task& other : s.tasks) total += (other.state != TaskState::Stopped && !other.draining) ? 1 : 0;
  if (total + 1 > c.maximum_tasks(s.desired)) return;
  t.superseded = true;
  reconcile(component);  // may add task slots: `t` is not used after it
}

void Platform::state_spot_assumptions() {
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    if (c.role != Role::Service || !c.places_on_spot) continue;
    bool interrupted = false;
    for (const auto& f : model_.faults) {
      interrupted = interrupted || (f.component == ci && f.spec->effect == FaultEffect::SpotInterruption);
    }
    if (interrupted) continue;
    // A strategy with a FARGATE share runs only part of the service on Spot.
    const int tasks = std::max(c.desired_count, 1);
    const bool part = model::spot_tasks(c.capacity_providers, tasks) < tasks;
    result_.assumptions.push_back(fmt::format("{}: runs {}on Fargate Spot, but the workload has no spot_interruption fault on it, so no "
                                              "task is ever reclaimed; AWS publishes no interruption rate: give one "
                                              "(docs/faults.md, \"Fargate Spot interruptions\")",
                                              c.id, part ? "partly " : ""));
  }
}

}  // namespace archsim::sim::detail
