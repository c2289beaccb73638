// Tasks in one replication: ECS task lifecycles, load balancer health checks, the service
// scheduler with AZ rebalancing, and Fargate billing by time. docs/faults.md explains each
// mechanism and its sources.
#include <algorithm>

#include <fmt/format.h>

#include "platform/platform.hpp"

namespace archsim::sim::detail {

std::uint32_t Platform::add_task_ref(ComponentId component, std::size_t slot) {
  task_refs_.emplace_back(component, static_cast<int>(slot));
  return static_cast<std::uint32_t>(task_refs_.size() - 1);
}

std::uint64_t Platform::task_payload(ComponentId component, int slot) const {
  const Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  return (static_cast<std::uint64_t>(t.ref) << 32) | t.incarnation;
}

std::string Platform::task_label(ComponentId component, int slot, bool with_zone) const {
  const std::string& id = model_.components[component].id;
  if (!with_zone) return fmt::format("{}/{}", id, slot);
  const Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  const int zone = model_.nodes[t.node].zone;
  return fmt::format("{}/{} ({})", id, slot, zone >= 0 ? model_.zones[static_cast<std::size_t>(zone)] : "regional");
}

// ---------------------------------------------------------------- tasks

void Platform::lose_task(ComponentId component, int slot, Outcome cause) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Task& t = s.tasks[static_cast<std::size_t>(slot)];
  const bool was_running = t.state == TaskState::Running;
  // Requests it was serving or holding in its queue get a broken connection: bumping the
  // generation makes their pending events fail them, and the traffic model drops their load.
  ++t.generation;
  if (c.role == Role::Service) {
    account_service(component);
    if (was_running) {
      total_slots_ -= c.concurrency;
      --s.running;
    }
    stop_billing(component, t);
  }
  t.state = TaskState::Lost;
  if (c.role == Role::Service) account_capacity(component);
  traffic_->on_task_lost(component, slot, cause);
}

void Platform::health_check(ComponentId component, int slot, bool timed_out) {
  const ComponentModel& c = model_.components[component];
  Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  if (!t.registered && !t.draining) return;  // no longer in the target group: checks stop
  if (!timed_out) {
    engine_.schedule_in(c.check_interval, self_, kHealthCheck, task_payload(component, slot));
    // A probe the security groups drop gets no answer, as from a dead task.
    if (t.state != TaskState::Running || !c.checks_blocked.empty()) {
      // No answer: the check fails when its timeout runs out.
      engine_.schedule_in(c.check_timeout, self_, kHealthCheckTimedOut, task_payload(component, slot));
      return;
    }
    t.fails = 0;
    t.passes = static_cast<std::uint8_t>(std::min(255, t.passes + 1));
    // A newly registered target needs one passing check; an unhealthy one the healthy threshold.
    if (!t.healthy && (!t.checked || t.passes >= c.healthy_threshold)) {
      t.healthy = true;
      t.checked = true;
      incident("target_healthy", task_label(component, slot, true));
      health_changed(component);
      retire(component, t);  // may launch tasks: `t` is not used after it
      advance_deployment(component);
      return;
    }
    t.checked = true;
    return;
  }
  t.passes = 0;
  t.fails = static_cast<std::uint8_t>(std::min(255, t.fails + 1));
  t.checked = true;
  if (t.healthy && t.fails >= c.unhealthy_threshold) {
    t.healthy = false;
    incident("target_unhealthy", task_label(component, slot, true));
    health_changed(component);
  }
  // ECS replaces tasks that fail their load balancer health checks, once past the grace period.
  if (t.fails >= c.unhealthy_threshold && engine_.now().ns - t.running_since_ns >= c.health_check_grace.ns) {
    ecs_stops(component, slot);
  }
}

void Platform::ecs_stops(ComponentId component, int slot) {
  Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  if (t.state == TaskState::Stopped) return;
  if (t.state != TaskState::Lost) lose_task(component, slot, Outcome::TargetDown);
  t.state = TaskState::Stopped;
  t.registered = false;
  t.healthy = false;
  t.draining = false;
  ++t.incarnation;  // ends its health checks and timers
  incident("task_stopped", task_label(component, slot, false));
  health_changed(component);
  reconcile(component);
  advance_deployment(component);
}

/// The service scheduler: as many tasks as desired in each task set, counting those it
/// believes run (lost ones until it learns of them), each placed in the live zone with the fewest.
void Platform::reconcile(ComponentId component) {
  for (int set : task_sets(component)) reconcile_set(component, set, state_[component].desired);
}

void Platform::reconcile_set(ComponentId component, int release, int desired) {
  ComponentControl& s = state_[component];
  const auto launches = static_cast<std::uint16_t>(release < 0 ? s.release : release);
  for (int counted = s.counted_tasks(release); counted < desired; ++counted) {
    if (!launch_somewhere(component, launches)) return;
  }
}

bool Platform::launch_somewhere(ComponentId component, int release) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  std::string blocker;
  std::optional<NodeId> best;
  int best_count = 0;
  // A task bound for Spot waits while Spot capacity is short: ECS does not move it on demand.
  const bool no_spot = s.spot_unavailable > 0 && next_on_spot(component, release);
  if (no_spot) blocker = "Fargate Spot capacity unavailable";
  const std::vector<NodeId> none;
  for (NodeId node : no_spot ? none : c.nodes) {
    const Node& n = model_.nodes[node];
    if (node_down(node)) continue;
    if (!n.start_blocker.empty()) {
      blocker = n.start_blocker;
      continue;
    }
    if (n.start_via_nat && component_down(*n.start_via_nat)) {
      blocker = fmt::format("cannot pull its image: NAT gateway {} is down", model_.components[*n.start_via_nat].id);
      continue;
    }
    // A task with a Spot notice is leaving: its replacement belongs in the zone it vacates.
    int in_zone = 0;
    for (const Task& t : s.tasks) {
      in_zone += (t.state != TaskState::Stopped && !t.spot_noticed && model_.nodes[t.node].zone == n.zone) ? 1 : 0;
    }
    if (!best || in_zone < best_count) best = node, best_count = in_zone;
  }
  if (!best) {
    if (!s.launch_blocked) incident("launch_blocked", fmt::format("{}: {}", c.id, blocker.empty() ? "no live zone" : blocker));
    s.launch_blocked = true;
    if (!s.retry_pending) {
      s.retry_pending = true;
      engine_.schedule_in(c.behaviour.launch_retry, self_, kReconcile, static_cast<std::uint64_t>(component.value()));
    }
    return false;
  }
  s.launch_blocked = false;
  launch(component, *best, -1, static_cast<std::uint16_t>(release));
  return true;
}

/// AZ rebalancing (on by default for new services since 2025): when a zone returns, start
/// tasks in the emptiest zone and stop one in the fullest once the new one is healthy.
void Platform::rebalance(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  reconcile(component);
  // A deployment is moving tasks already; evening out the zones waits for the next change.
  if (s.rollout.phase != Rollout::Phase::None) return;
  // A task stays if it is not stopping and no new task is on its way to replace it.
  auto staying = [&](std::size_t slot) {
    const Task& t = s.tasks[slot];
    if (t.state == TaskState::Stopped || t.draining || t.spot_noticed) return false;
    for (const Task& other : s.tasks) {
      if (other.retires == static_cast<int>(slot) && other.retires_incarnation == t.incarnation && other.state != TaskState::Stopped) {
        return false;
      }
    }
    return true;
  };
  for (int round = 0; round < s.desired; ++round) {
    std::optional<NodeId> low, high;
    int low_count = 0, high_count = 0;
    for (NodeId node : c.nodes) {
      const Node& n = model_.nodes[node];
      if (node_down(node) || !n.start_blocker.empty() || (n.start_via_nat && component_down(*n.start_via_nat))) continue;
      int in_zone = 0;
      for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
        in_zone += (staying(slot) && model_.nodes[s.tasks[slot].node].zone == n.zone) ? 1 : 0;
      }
      if (!low || in_zone < low_count) low = node, low_count = in_zone;
      if (!high || in_zone > high_count) high = node, high_count = in_zone;
    }
    if (!low || high_count - low_count <= 1) return;
    const int high_zone = model_.nodes[*high].zone;
    int retiring = -1;
    for (std::size_t slot = 0; slot < s.tasks.size() && retiring < 0; ++slot) {
      const Task& t = s.tasks[slot];
      if (t.state == TaskState::Running && t.registered && staying(slot) &&
          model_.nodes[t.node].zone == high_zone) {
        retiring = static_cast<int>(slot);
      }
    }
    // Evening out the zones moves a Spot task only while Spot has capacity for its replacement.
    if (retiring < 0 || (s.spot_unavailable > 0 && s.tasks[static_cast<std::size_t>(retiring)].spot)) return;
    incident("rebalance", fmt::format("{}: {} -> {}", c.id, model_.zones[static_cast<std::size_t>(high_zone)],
                                      model_.zones[static_cast<std::size_t>(model_.nodes[*low].zone)]));
    launch(component, *low, retiring, s.release);
  }
}

bool Platform::next_on_spot(ComponentId component, int release) const {
  const ComponentModel& c = model_.components[component];
  if (!c.places_on_spot) return false;
  const ComponentControl& s = state_[component];
  int on_fargate = 0, on_spot = 0;
  for (const Task& t : s.tasks) {
    if (ComponentControl::counted(t, release)) ++(t.spot ? on_spot : on_fargate);
  }
  return model::next_provider(c.capacity_providers, on_fargate, on_spot) == model::CapacityProvider::FargateSpot;
}

void Platform::launch(ComponentId component, NodeId node, int retires, std::uint16_t release) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  // A rebalancing task takes the place of the one it retires, on the same provider; any other
  // goes where the strategy puts the next task of its release.
  const bool spot = retires >= 0 ? s.tasks[static_cast<std::size_t>(retires)].spot : next_on_spot(component, release);
  std::size_t slot = s.tasks.size();
  for (std::size_t i = 0; i < s.tasks.size(); ++i) {
    if (s.tasks[i].state == TaskState::Stopped) {
      slot = i;
      break;
    }
  }
  if (slot == s.tasks.size()) {
    s.tasks.emplace_back();
    s.tasks.back().ref = add_task_ref(component, slot);
    traffic_->on_task_added(component);
  }
  Task& t = s.tasks[slot];
  const std::uint32_t generation = t.generation + 1, incarnation = t.incarnation + 1, ref = t.ref;
  t = Task{};
  t.ref = ref;
  t.generation = generation;
  t.incarnation = incarnation;
  t.node = node;
  t.state = TaskState::Pending;
  t.registered = false;
  t.healthy = false;
  t.retires = retires;
  t.release = release;
  t.spot = spot;
  if (retires >= 0) t.retires_incarnation = s.tasks[static_cast<std::size_t>(retires)].incarnation;
  // Fargate bills from the start of the image pull.
  account_billed(s);
  ++s.billed;
  s.billed_spot += spot ? 1 : 0;
  t.billed_since_ns = engine_.now().ns;
  const Duration delay{c.image_pull.ns + draw_ns(c.behaviour.launch_time, s.faults)};
  incident("task_launch", task_label(component, static_cast<int>(slot), true));
  engine_.schedule_in(delay, self_, kTaskStarted, task_payload(component, static_cast<int>(slot)));
}

void Platform::task_started(ComponentId component, int slot) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Task& t = s.tasks[static_cast<std::size_t>(slot)];
  if (t.state != TaskState::Pending) return;
  const Node& n = model_.nodes[t.node];
  if (node_down(t.node) || (n.start_via_nat && component_down(*n.start_via_nat))) {
    // Its zone or its image path failed during the launch: the task stops before running.
    lose_task(component, slot, Outcome::TargetDown);
    ecs_stops(component, slot);
    return;
  }
  t.state = TaskState::Running;
  t.registered = true;
  t.healthy = !c.health_checked;
  t.running_since_ns = engine_.now().ns;
  if (t.healthy) health_changed(component);
  account_service(component);
  total_slots_ += c.concurrency;
  if (s.running == 0 && s.from_zero_ns >= 0) {
    // Scaled out from zero: the first task now serves.
    meter(s.ids.from_zero, 1);
    meter(s.ids.from_zero_seconds, static_cast<double>(engine_.now().ns - s.from_zero_ns) / 1e9);
    s.from_zero_ns = -1;
  }
  ++s.running;
  incident("task_running", task_label(component, slot, true));
  arm_task_clocks(component, slot);
  if (c.health_checked) {
    // The target group starts checking a newly registered target; the first check falls
    // somewhere in the first interval.
    engine_.schedule_in(Duration{static_cast<std::int64_t>(s.faults.uniform() * static_cast<double>(c.check_interval.ns))}, self_,
                        kHealthCheck, task_payload(component, slot));
  } else {
    retire(component, t);
    advance_deployment(component);
  }
}

/// A rebalancing task is in service: the task it replaces (if that slot still holds it)
/// is deregistered and drains.
void Platform::retire(ComponentId component, Task& replacement) {
  if (replacement.retires < 0) return;
  const int old = replacement.retires;
  const std::uint32_t incarnation = replacement.retires_incarnation;
  replacement.retires = -1;
  const Task& retiring = state_[component].tasks[static_cast<std::size_t>(old)];
  if (retiring.incarnation != incarnation || retiring.state != TaskState::Running || !retiring.registered) return;
  drain(component, old);
}

/// ECS stops a running task on purpose: deregistered at once (no new requests), it stops
/// when its last in-flight request ends or after the deregistration delay.
void Platform::drain(ComponentId component, int slot) {
  const ComponentModel& c = model_.components[component];
  Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  t.registered = false;
  t.draining = true;
  incident("task_draining", task_label(component, slot, false));
  health_changed(component);
  if (traffic_->outstanding(component, slot) == 0) finish_drain(component, slot);
  else engine_.schedule_in(c.deregistration_delay, self_, kDrainDone, task_payload(component, slot));
}

void Platform::finish_drain(ComponentId component, int slot) {
  Task& t = state_[component].tasks[static_cast<std::size_t>(slot)];
  if (!t.draining) return;
  t.draining = false;
  ecs_stops(component, slot);
}

void Platform::account_billed(ComponentControl& s) {
  const std::int64_t now = engine_.now().ns;
  const auto dt = static_cast<double>(now - s.billed_at_ns);
  s.billed_area += static_cast<double>(s.billed) * dt;
  s.spot_billed_area += static_cast<double>(s.billed_spot) * dt;
  // While a deployment runs, what is billed beyond the desired count is its extra capacity.
  if (s.rollout.phase != Rollout::Phase::None) s.surplus_area += static_cast<double>(std::max(0, s.billed - s.desired)) * dt;
  s.billed_at_ns = now;
}

void Platform::stop_billing(ComponentId component, Task& task) {
  if (task.billed_since_ns < 0) return;
  ComponentControl& s = state_[component];
  account_billed(s);
  --s.billed;
  s.billed_spot -= task.spot ? 1 : 0;
  // Fargate's one-minute minimum: a task that ran shorter is billed the minute.
  const double ran = static_cast<double>(engine_.now().ns - task.billed_since_ns) / 1e9;
  if (ran < 60 && task.billed_since_ns > 0) {
    meter(s.ids.top_up, 60 - ran);
    if (task.spot) meter(s.ids.spot_seconds, 60 - ran);
  }
  task.billed_since_ns = -1;
}

void Platform::account_capacity(ComponentId component, std::int64_t at_ns) {
  ComponentControl& s = state_[component];
  const std::int64_t now = at_ns < 0 ? engine_.now().ns : at_ns;
  const std::int64_t warm = workload_.warmup.ns;
  if (s.in_service < s.counted_desired) s.below_ns += static_cast<double>(std::max<std::int64_t>(0, now - std::max(s.capacity_at_ns, warm)));
  s.capacity_at_ns = now;
  int in_service = 0;
  for (const Task& t : s.tasks) in_service += (t.state == TaskState::Running && t.registered && t.healthy && !t.draining) ? 1 : 0;
  s.in_service = in_service;
  s.counted_desired = s.desired;
  const bool below = s.in_service < s.counted_desired;
  if (below && s.below_since_ns < 0) s.below_since_ns = now;
  if (!below && s.below_since_ns >= 0) {
    s.longest_below_ns = std::max(s.longest_below_ns, now - std::max(s.below_since_ns, warm));
    s.below_since_ns = -1;
  }
}

void Platform::health_changed(ComponentId service) {
  account_capacity(service);
  for (const ComponentId ci : model_.components.ids()) {
    const auto& targets = model_.components[ci].balanced_services;
    if (std::find(targets.begin(), targets.end(), service) != targets.end()) refresh_dns(ci);
  }
}

}  // namespace archsim::sim::detail
