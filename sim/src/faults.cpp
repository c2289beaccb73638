// Faults and recovery in one replication: when faults start and end, what they take down,
// and how AWS brings the system back (load balancer health checks and DNS, the ECS service
// scheduler, RDS Multi-AZ failover). docs/faults.md explains each mechanism and its sources.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "walk.hpp"

namespace archsim::sim::detail {

namespace {

std::int64_t draw_ns(const Distribution& d, RandomStream& rng) { return d.sample_whole(rng, static_cast<double>(model::kMaxDuration.ns)); }

std::uint64_t fault_payload(std::size_t fault, std::int64_t generation) {
  return (static_cast<std::uint64_t>(fault) << 32) | static_cast<std::uint32_t>(generation);
}

}  // namespace

}  // namespace archsim::sim::detail

namespace archsim::sim {

std::optional<Duration> scheduled_start(const FaultSpec& spec, std::uint64_t replication_seed) {
  if (!spec.when.at) return std::nullopt;
  if (!spec.when.at_distribution) return *spec.when.at;
  RandomStream rng(derive_seed(replication_seed, "fault-start:" + spec.id));
  return Duration{detail::draw_ns(*spec.when.at_distribution, rng)};
}

}  // namespace archsim::sim

namespace archsim::sim::detail {

std::uint32_t Replication::add_task_ref(int component, std::size_t slot) {
  task_refs_.emplace_back(component, static_cast<int>(slot));
  return static_cast<std::uint32_t>(task_refs_.size() - 1);
}

std::uint64_t Replication::task_payload(int component, int slot) const {
  const Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
  return (static_cast<std::uint64_t>(t.ref) << 32) | t.incarnation;
}

std::string Replication::task_label(int component, int slot, bool with_zone) const {
  const std::string& id = model_.components[static_cast<std::size_t>(component)].id;
  if (!with_zone) return fmt::format("{}/{}", id, slot);
  const Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
  const int zone = model_.nodes[static_cast<std::size_t>(t.node)].zone;
  return fmt::format("{}/{} ({})", id, slot, zone >= 0 ? model_.zones[static_cast<std::size_t>(zone)] : "regional");
}

void Replication::incident(std::string_view what, std::string subject) {
  if (result_.incidents.size() >= kMaxIncidents) return;
  result_.incidents.push_back(Incident{engine_.now().ns, std::string(what), std::move(subject)});
}

// ---------------------------------------------------------------- when

void Replication::schedule_faults() {
  fault_exercised_.assign(model_.faults.size(), 0);
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (spec.effect == FaultEffect::TaskCrash && spec.when.stochastic()) continue;  // per-task clocks below
    if (spec.effect == FaultEffect::DatabasePrimaryLoss && spec.when.stochastic()) continue;  // while the database is up
    if (spec.when.at) {
      // A distributed start is drawn from the fault's own stream, named by its id: the same
      // time for every alternative in this replication (they meet the same faults).
      const Duration at = *scheduled_start(spec, seed_);
      if (at.ns <= horizon_.ns) engine_.schedule_at(at, self_, kFaultStart, fault_payload(f, 0));
    } else {
      arm_fault_clock(f);
    }
  }
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const ComponentModel& c = model_.components[i];
    ComponentState& s = state_[i];
    const int ci = static_cast<int>(i);
    if (c.role == Role::Service) {
      for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
        if (s.tasks[slot].state != TaskState::Running) continue;  // never started
        arm_crash_clocks(ci, static_cast<int>(slot));
        // Health checks of the tasks running at the start begin at a random phase.
        if (c.health_checked) {
          engine_.schedule_in(Duration{static_cast<std::int64_t>(s.faults.uniform() * static_cast<double>(c.check_interval.ns))},
                              self_, kHealthCheck, task_payload(ci, static_cast<int>(slot)));
        }
      }
    }
    if (c.role == Role::Database) arm_database_clocks(ci);
  }
}

/// The next failure of a renewal fault: up for a time-to-failure draw, then down for a
/// time-to-repair draw (fault_starts schedules the end), and so on.
void Replication::arm_fault_clock(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  ComponentState& rng_owner = state_[spec.effect == FaultEffect::ZoneOutage ? 0 : static_cast<std::size_t>(model_.faults[f].target)];
  const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, rng_owner.faults);
  if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kFaultStart, fault_payload(f, fault_generation_[f]));
}

void Replication::arm_crash_clocks(int component, int slot) {
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (spec.effect != FaultEffect::TaskCrash || !spec.when.stochastic() || model_.faults[f].target != component) continue;
    const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, state_[static_cast<std::size_t>(component)].faults);
    if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kTaskCrash, task_payload(component, slot));
  }
}

/// A database's primary fails after a time-to-failure draw counted while it is serving: the
/// clock is re-armed each time the database comes back up (the model of docs/faults.md).
void Replication::arm_database_clocks(int component) {
  const Task& serving = state_[static_cast<std::size_t>(component)].tasks.front();
  if (serving.state != TaskState::Running) return;
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (spec.effect != FaultEffect::DatabasePrimaryLoss || !spec.when.stochastic() || model_.faults[f].target != component) continue;
    const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, state_[static_cast<std::size_t>(component)].faults);
    if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kFaultStart, fault_payload(f, serving.generation));
  }
}

void Replication::on_fault(std::uint32_t kind, std::uint64_t payload) {
  // Task timers carry (task_refs_ index, incarnation); other kinds read the payload their own way.
  const auto ref = static_cast<std::size_t>(payload >> 32);
  const auto component = ref < task_refs_.size() ? task_refs_[ref].first : -1;
  const auto slot = ref < task_refs_.size() ? task_refs_[ref].second : -1;
  const auto generation = static_cast<std::uint32_t>(payload & 0xffffffffu);
  auto current = [&] {
    if (component < 0) return false;
    const auto& tasks = state_[static_cast<std::size_t>(component)].tasks;
    return static_cast<std::size_t>(slot) < tasks.size() && tasks[static_cast<std::size_t>(slot)].incarnation == generation;
  };
  const auto fault = static_cast<std::size_t>(payload >> 32);
  switch (kind) {
    case kFaultStart: {
      const FaultSpec& spec = *model_.faults[fault].spec;
      if (spec.effect == FaultEffect::DatabasePrimaryLoss && spec.when.stochastic()) {
        // A stale clock (the database went down and came back since it was armed) is ignored.
        const Task& serving = state_[static_cast<std::size_t>(model_.faults[fault].target)].tasks.front();
        if (serving.generation != generation || serving.state != TaskState::Running) return;
      } else if (spec.when.stochastic() && generation != static_cast<std::uint32_t>(fault_generation_[fault])) {
        return;
      }
      fault_starts(fault);
      return;
    }
    case kFaultEnd: fault_ends(fault); return;
    case kTaskCrash: {
      if (!current()) return;
      Task& task = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
      if (task.state != TaskState::Running) return;
      lose_task(component, slot, Outcome::TargetDown);
      incident("task_crash", task_label(component, slot, false));
      if (engine_.now().ns >= workload_.warmup.ns) {
        for (std::size_t f = 0; f < model_.faults.size(); ++f) {
          const auto& crash = model_.faults[f];
          if (crash.spec->effect == FaultEffect::TaskCrash && crash.spec->when.stochastic() && crash.target == component) fault_exercised_[f] = 1;
        }
      }
      // The agent reports the stopped container; ECS deregisters the task and replaces it.
      engine_.schedule_in(model_.components[static_cast<std::size_t>(component)].behaviour.stop_detection, self_, kTaskStopSeen,
                          task_payload(component, slot));
      return;
    }
    case kHealthCheck:
    case kHealthCheckTimedOut:
      if (current()) health_check(component, slot, kind == kHealthCheckTimedOut);
      return;
    case kTaskStopSeen:
      if (current()) ecs_stops(component, slot);
      return;
    case kTaskStarted:
      if (current()) task_started(component, slot);
      return;
    case kScheduledAction: scheduled_action(static_cast<int>(payload >> 32), payload & 0xffffffffu, true); return;
    case kReconcile:
      state_[static_cast<std::size_t>(payload)].retry_pending = false;
      reconcile(static_cast<int>(payload));
      advance_deployment(static_cast<int>(payload));
      return;
    case kDeploymentStart: start_deployment(static_cast<std::size_t>(payload)); return;
    case kDeploymentStep:
    case kDeploymentTimeout: {
      const auto service = static_cast<int>(payload >> 32);
      if (state_[static_cast<std::size_t>(service)].rollout.generation != static_cast<std::uint32_t>(payload)) return;  // stale
      if (kind == kDeploymentStep) deployment_step(service);
      else deployment_timed_out(service);
      return;
    }
    case kDnsRemove: {
      const int node = static_cast<int>(payload);
      if (node_down(node)) set_dns(model_.nodes[static_cast<std::size_t>(node)].component, node, false);
      return;
    }
    case kDrainDone:
      if (current()) finish_drain(component, slot);
      return;
    case kDbFailoverDone: {
      ComponentState& s = state_[static_cast<std::size_t>(payload)];
      s.db_failing_over = false;
      s.db_primary = 1 - s.db_primary;
      database_changed(static_cast<int>(payload));
      return;
    }
    case kDbRepaired: {
      const auto db = static_cast<std::size_t>(payload >> 32);
      --state_[db].db_broken[payload & 1];
      incident("db_instance_repaired", model_.components[db].id);
      database_changed(static_cast<int>(db));
      return;
    }
    default: return;
  }
}

// ---------------------------------------------------------------- what, on whom

void Replication::fault_starts(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  const int target = model_.faults[f].target;
  ComponentState* s = spec.effect == FaultEffect::ZoneOutage ? nullptr : &state_[static_cast<std::size_t>(target)];
  const std::string subject = spec.effect == FaultEffect::ZoneOutage ? model_.zones[static_cast<std::size_t>(target)]
                                                                      : model_.components[static_cast<std::size_t>(target)].id;
  incident(fmt::format("fault_start:{}", spec.id), subject);
  // How long it lasts: the scheduled duration, or a time-to-repair draw.
  std::int64_t lasts = spec.when.duration.ns;
  if (spec.when.time_to_repair) {
    RandomStream& rng = s != nullptr ? s->faults : state_.front().faults;
    lasts = draw_ns(*spec.when.time_to_repair, rng);
  }
  // Active at some time after the warm-up: a criterion judged on this fault is exercised.
  if (engine_.now().ns + lasts > workload_.warmup.ns || engine_.now().ns >= workload_.warmup.ns) fault_exercised_[f] = 1;
  switch (spec.effect) {
    case FaultEffect::ZoneOutage: zone_changed(target, true); break;
    case FaultEffect::NatGatewayLoss: ++s->down_faults; break;
    case FaultEffect::DependencyErrors: s->error_rate += spec.error_rate; break;
    case FaultEffect::DependencySlow: s->slow.push_back(&spec.added_latency); break;
    case FaultEffect::TaskCrash: {
      int left = spec.target.tasks;
      const auto& c = model_.components[static_cast<std::size_t>(target)];
      for (std::size_t slot = 0; slot < s->tasks.size() && left > 0; ++slot) {
        if (s->tasks[slot].state != TaskState::Running) continue;
        lose_task(target, static_cast<int>(slot), Outcome::TargetDown);
        incident("task_crash", task_label(target, static_cast<int>(slot), false));
        engine_.schedule_in(c.behaviour.stop_detection, self_, kTaskStopSeen, task_payload(target, static_cast<int>(slot)));
        --left;
      }
      return;  // instantaneous: ECS replaces, nothing ends
    }
    case FaultEffect::DatabasePrimaryLoss: {
      // The failed instance is repaired (or replaced) after the fault's duration; Multi-AZ
      // fails over to the standby meanwhile if it has a whole one.
      // The instance serving (or about to serve, mid-failover) is the one that fails.
      const int instance = s->db_failing_over ? 1 - s->db_primary : s->db_primary;
      ++s->db_broken[instance];
      engine_.schedule_in(Duration{lasts}, self_, kDbRepaired,
                          (static_cast<std::uint64_t>(target) << 32) | static_cast<std::uint64_t>(instance));
      database_changed(target);
      if (spec.when.stochastic()) return;  // the next failure is armed when the database is up again
      return;
    }
  }
  const std::int64_t end = engine_.now().ns + lasts;
  if (end <= horizon_.ns) engine_.schedule_at(Time{end}, self_, kFaultEnd, fault_payload(f, 0));
}

void Replication::fault_ends(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  const int target = model_.faults[f].target;
  ComponentState* s = spec.effect == FaultEffect::ZoneOutage ? nullptr : &state_[static_cast<std::size_t>(target)];
  incident(fmt::format("fault_end:{}", spec.id), spec.effect == FaultEffect::ZoneOutage
                                                      ? model_.zones[static_cast<std::size_t>(target)]
                                                      : model_.components[static_cast<std::size_t>(target)].id);
  switch (spec.effect) {
    case FaultEffect::ZoneOutage: zone_changed(target, false); break;
    case FaultEffect::NatGatewayLoss:
      --s->down_faults;
      // Launches that waited for the NAT path can go ahead, and the zones even out again.
      for (std::size_t i = 0; i < model_.components.size(); ++i) {
        if (model_.components[i].role == Role::Service) rebalance(static_cast<int>(i));
      }
      break;
    case FaultEffect::DependencyErrors: s->error_rate = std::max(0.0, s->error_rate - spec.error_rate); break;
    case FaultEffect::DependencySlow: {
      const auto it = std::find(s->slow.begin(), s->slow.end(), &spec.added_latency);
      if (it != s->slow.end()) s->slow.erase(it);
      break;
    }
    case FaultEffect::TaskCrash:
    case FaultEffect::DatabasePrimaryLoss: break;
  }
  if (spec.when.stochastic()) {
    ++fault_generation_[f];
    arm_fault_clock(f);
  }
}

bool Replication::node_down(int node) const {
  const Node& n = model_.nodes[static_cast<std::size_t>(node)];
  if (n.zone >= 0 && zone_down_[static_cast<std::size_t>(n.zone)] > 0) return true;
  return state_[static_cast<std::size_t>(n.component)].down_faults > 0;
}

bool Replication::component_down(int component) const {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  if (state_[static_cast<std::size_t>(component)].down_faults > 0) return true;
  // A NAT gateway lives in one zone; an endpoint's callers use their own zone's interface.
  return c.type == model::ComponentType::NatGateway && node_down(c.nodes.front());
}

void Replication::zone_changed(int zone, bool down) {
  const auto z = static_cast<std::size_t>(zone);
  const bool was_down = zone_down_[z] > 0;
  zone_down_[z] += down ? 1 : -1;
  if (was_down == (zone_down_[z] > 0)) return;
  incident(down ? "zone_down" : "zone_up", model_.zones[z]);
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const ComponentModel& c = model_.components[i];
    ComponentState& s = state_[i];
    const int ci = static_cast<int>(i);
    switch (c.role) {
      case Role::Service:
        if (down) {
          for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
            Task& t = s.tasks[slot];
            if (model_.nodes[static_cast<std::size_t>(t.node)].zone != zone) continue;
            if (t.state != TaskState::Running && t.state != TaskState::Pending) continue;
            const bool pending = t.state == TaskState::Pending;
            lose_task(ci, static_cast<int>(slot), Outcome::TargetDown);
            // A load balancer's health checks find running tasks; without them (or for a task
            // still starting) ECS learns of the loss from the platform.
            if (pending || !c.health_checked) {
              engine_.schedule_in(c.behaviour.lost_task_detection, self_, kTaskStopSeen, task_payload(ci, static_cast<int>(slot)));
            }
          }
        } else {
          rebalance(ci);
        }
        break;
      case Role::Balancer:
        for (int node : c.nodes) {
          if (model_.nodes[static_cast<std::size_t>(node)].zone != zone) continue;
          if (down) engine_.schedule_in(c.behaviour.node_failure_detection, self_, kDnsRemove, static_cast<std::uint64_t>(node));
        }
        if (!down) {
          // With ECS targets, the zone's node returns once the zone counts as healthy again;
          // with other targets (Lambda, an ALB), when the zone does.
          if (c.balanced_services.empty()) {
            for (int node : c.nodes) {
              if (model_.nodes[static_cast<std::size_t>(node)].zone == zone) set_dns(ci, node, true);
            }
          }
          refresh_dns(ci);
        }
        break;
      case Role::Database: database_changed(ci); break;
      default: break;
    }
  }
}

void Replication::start_services() {
  // What the review found blocked is named once, where the timeline starts.
  std::vector<const std::string*> named;
  for (const auto& plan : model_.plans) {
    for (const auto& hop : plan.hops) {
      for (const auto& [what, why] : {std::pair{"flow_blocked", &hop.blocked}, std::pair{"no_path", &hop.no_path}}) {
        const std::string* reason = why;  // clang 14 cannot capture a structured binding
        if (reason->empty() || std::any_of(named.begin(), named.end(), [&](const std::string* n) { return *n == *reason; })) continue;
        named.push_back(reason);
        incident(what, *reason);
      }
    }
  }
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const ComponentModel& c = model_.components[i];
    if (c.role != Role::Service) continue;
    const ComponentState& s = state_[i];
    bool missing = false;
    for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
      const Task& t = s.tasks[slot];
      // Never started: stopped in its first incarnation where its subnet cannot start it (a
      // task a scheduled action already stopped at t = 0 has moved on).
      if (t.state != TaskState::Stopped || t.incarnation != 0 || model_.nodes[static_cast<std::size_t>(t.node)].start_blocker.empty()) continue;
      missing = true;
      incident("task_never_started", fmt::format("{}: {}", task_label(static_cast<int>(i), static_cast<int>(slot), true),
                                                 model_.nodes[static_cast<std::size_t>(t.node)].start_blocker));
    }
    // The scheduler places what it can elsewhere, or reports the launch blocked and retries.
    if (missing) reconcile(static_cast<int>(i));
  }
}

// ---------------------------------------------------------------- tasks

void Replication::lose_task(int component, int slot, Outcome cause) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  Task& t = s.tasks[static_cast<std::size_t>(slot)];
  const bool was_running = t.state == TaskState::Running;
  // Requests it was serving or holding in its queue get a broken connection: bumping the
  // generation makes their pending events fail them, and their counters are dropped here.
  ++t.generation;
  if (c.role == Role::Service) {
    account_busy();
    account_service(component);
    busy_slots_ -= t.busy;
    state_[static_cast<std::size_t>(component)].busy -= t.busy;
    if (was_running) {
      total_slots_ -= c.concurrency;
      --state_[static_cast<std::size_t>(component)].running;
    }
    stop_billing(component, t);
  }
  t.busy = 0;
  t.outstanding = 0;
  t.state = TaskState::Lost;
  if (c.role == Role::Service) account_capacity(component);
  std::deque<std::uint32_t> queued;
  queued.swap(t.queue);
  for (std::uint32_t id : queued) fail(id, cause);
}

void Replication::health_check(int component, int slot, bool timed_out) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
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

void Replication::ecs_stops(int component, int slot) {
  Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
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
void Replication::reconcile(int component) {
  for (int set : task_sets(component)) reconcile_set(component, set, state_[static_cast<std::size_t>(component)].desired);
}

void Replication::reconcile_set(int component, int release, int desired) {
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  const auto launches = static_cast<std::uint16_t>(release < 0 ? s.release : release);
  for (int counted = s.counted_tasks(release); counted < desired; ++counted) {
    if (!launch_somewhere(component, launches)) return;
  }
}

bool Replication::launch_somewhere(int component, int release) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  std::string blocker;
  int best = -1, best_count = 0;
  for (int node : c.nodes) {
    const Node& n = model_.nodes[static_cast<std::size_t>(node)];
    if (node_down(node)) continue;
    if (!n.start_blocker.empty()) {
      blocker = n.start_blocker;
      continue;
    }
    if (n.start_via_nat >= 0 && component_down(n.start_via_nat)) {
      blocker = fmt::format("cannot pull its image: NAT gateway {} is down", model_.components[static_cast<std::size_t>(n.start_via_nat)].id);
      continue;
    }
    int in_zone = 0;
    for (const Task& t : s.tasks) {
      in_zone += (t.state != TaskState::Stopped && model_.nodes[static_cast<std::size_t>(t.node)].zone == n.zone) ? 1 : 0;
    }
    if (best < 0 || in_zone < best_count) best = node, best_count = in_zone;
  }
  if (best < 0) {
    if (!s.launch_blocked) incident("launch_blocked", fmt::format("{}: {}", c.id, blocker.empty() ? "no live zone" : blocker));
    s.launch_blocked = true;
    if (!s.retry_pending) {
      s.retry_pending = true;
      engine_.schedule_in(c.behaviour.launch_retry, self_, kReconcile, static_cast<std::uint64_t>(component));
    }
    return false;
  }
  s.launch_blocked = false;
  launch(component, best, -1, static_cast<std::uint16_t>(release));
  return true;
}

/// AZ rebalancing (on by default for new services since 2025): when a zone returns, start
/// tasks in the emptiest zone and stop one in the fullest once the new one is healthy.
void Replication::rebalance(int component) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  reconcile(component);
  // A deployment is moving tasks already; evening out the zones waits for the next change.
  if (s.rollout.phase != Rollout::Phase::None) return;
  // A task stays if it is not stopping and no new task is on its way to replace it.
  auto staying = [&](std::size_t slot) {
    const Task& t = s.tasks[slot];
    if (t.state == TaskState::Stopped || t.draining) return false;
    for (const Task& other : s.tasks) {
      if (other.retires == static_cast<int>(slot) && other.retires_incarnation == t.incarnation && other.state != TaskState::Stopped) {
        return false;
      }
    }
    return true;
  };
  for (int round = 0; round < s.desired; ++round) {
    int low = -1, high = -1, low_count = 0, high_count = 0;
    for (int node : c.nodes) {
      const Node& n = model_.nodes[static_cast<std::size_t>(node)];
      if (node_down(node) || !n.start_blocker.empty() || (n.start_via_nat >= 0 && component_down(n.start_via_nat))) continue;
      int in_zone = 0;
      for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
        in_zone += (staying(slot) && model_.nodes[static_cast<std::size_t>(s.tasks[slot].node)].zone == n.zone) ? 1 : 0;
      }
      if (low < 0 || in_zone < low_count) low = node, low_count = in_zone;
      if (high < 0 || in_zone > high_count) high = node, high_count = in_zone;
    }
    if (low < 0 || high_count - low_count <= 1) return;
    const int high_zone = model_.nodes[static_cast<std::size_t>(high)].zone;
    int retiring = -1;
    for (std::size_t slot = 0; slot < s.tasks.size() && retiring < 0; ++slot) {
      const Task& t = s.tasks[slot];
      if (t.state == TaskState::Running && t.registered && staying(slot) &&
          model_.nodes[static_cast<std::size_t>(t.node)].zone == high_zone) {
        retiring = static_cast<int>(slot);
      }
    }
    if (retiring < 0) return;
    incident("rebalance", fmt::format("{}: {} -> {}", c.id, model_.zones[static_cast<std::size_t>(high_zone)],
                                      model_.zones[static_cast<std::size_t>(model_.nodes[static_cast<std::size_t>(low)].zone)]));
    launch(component, low, retiring, s.release);
  }
}

void Replication::launch(int component, int node, int retires, std::uint16_t release) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
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
  if (retires >= 0) t.retires_incarnation = s.tasks[static_cast<std::size_t>(retires)].incarnation;
  // Fargate bills from the start of the image pull.
  account_billed(s);
  ++s.billed;
  t.billed_since_ns = engine_.now().ns;
  const Duration delay{c.image_pull.ns + draw_ns(c.behaviour.launch_time, s.faults)};
  incident("task_launch", task_label(component, static_cast<int>(slot), true));
  engine_.schedule_in(delay, self_, kTaskStarted, task_payload(component, static_cast<int>(slot)));
}

void Replication::task_started(int component, int slot) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  Task& t = s.tasks[static_cast<std::size_t>(slot)];
  if (t.state != TaskState::Pending) return;
  const Node& n = model_.nodes[static_cast<std::size_t>(t.node)];
  if (node_down(t.node) || (n.start_via_nat >= 0 && component_down(n.start_via_nat))) {
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
  account_busy();
  account_service(component);
  total_slots_ += c.concurrency;
  if (s.running == 0 && s.from_zero_ns >= 0) {
    // Scaled out from zero: the first task now serves.
    meter(s.m_from_zero, 1);
    meter(s.m_from_zero_seconds, static_cast<double>(engine_.now().ns - s.from_zero_ns) / 1e9);
    s.from_zero_ns = -1;
  }
  ++s.running;
  incident("task_running", task_label(component, slot, true));
  arm_crash_clocks(component, slot);
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
void Replication::retire(int component, Task& replacement) {
  if (replacement.retires < 0) return;
  const int old = replacement.retires;
  const std::uint32_t incarnation = replacement.retires_incarnation;
  replacement.retires = -1;
  const Task& retiring = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(old)];
  if (retiring.incarnation != incarnation || retiring.state != TaskState::Running || !retiring.registered) return;
  drain(component, old);
}

/// ECS stops a running task on purpose: deregistered at once (no new requests), it stops
/// when its last in-flight request ends or after the deregistration delay.
void Replication::drain(int component, int slot) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
  t.registered = false;
  t.draining = true;
  incident("task_draining", task_label(component, slot, false));
  health_changed(component);
  if (t.outstanding == 0) finish_drain(component, slot);
  else engine_.schedule_in(c.deregistration_delay, self_, kDrainDone, task_payload(component, slot));
}

void Replication::finish_drain(int component, int slot) {
  Task& t = state_[static_cast<std::size_t>(component)].tasks[static_cast<std::size_t>(slot)];
  if (!t.draining) return;
  t.draining = false;
  ecs_stops(component, slot);
}

void Replication::account_billed(ComponentState& s) {
  const std::int64_t now = engine_.now().ns;
  const auto dt = static_cast<double>(now - s.billed_at_ns);
  s.billed_area += static_cast<double>(s.billed) * dt;
  // While a deployment runs, what is billed beyond the desired count is its extra capacity.
  if (s.rollout.phase != Rollout::Phase::None) s.surplus_area += static_cast<double>(std::max(0, s.billed - s.desired)) * dt;
  s.billed_at_ns = now;
}

void Replication::stop_billing(int component, Task& task) {
  if (task.billed_since_ns < 0) return;
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  account_billed(s);
  --s.billed;
  // Fargate's one-minute minimum: a task that ran shorter is billed the minute.
  const double ran = static_cast<double>(engine_.now().ns - task.billed_since_ns) / 1e9;
  if (ran < 60 && task.billed_since_ns > 0) meter(s.m_top_up, 60 - ran);
  task.billed_since_ns = -1;
}

// ---------------------------------------------------------------- load balancer DNS

/// ELB keeps a live zone's node in DNS only while the zone is healthy: at least one healthy
/// target in the zone, or, with cross-zone load balancing, in any zone (re:Post,
/// elb-dns-cross-zone-balance-configuration). Nodes of failed zones leave by kDnsRemove.
void Replication::refresh_dns(int balancer) {
  const ComponentModel& lb = model_.components[static_cast<std::size_t>(balancer)];
  if (lb.balanced_services.empty()) return;
  auto healthy_in = [&](int zone) {
    for (int service : lb.balanced_services) {
      for (const Task& t : state_[static_cast<std::size_t>(service)].tasks) {
        if (t.registered && t.healthy && (lb.cross_zone || model_.nodes[static_cast<std::size_t>(t.node)].zone == zone)) return true;
      }
    }
    return false;
  };
  for (int node : lb.nodes) {
    const int zone = model_.nodes[static_cast<std::size_t>(node)].zone;
    if (zone < 0 || node_down(node)) continue;
    set_dns(balancer, node, healthy_in(zone));
  }
}

void Replication::account_capacity(int component, std::int64_t at_ns) {
  ComponentState& s = state_[static_cast<std::size_t>(component)];
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

void Replication::health_changed(int service) {
  account_capacity(service);
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const auto& targets = model_.components[i].balanced_services;
    if (std::find(targets.begin(), targets.end(), service) != targets.end()) refresh_dns(static_cast<int>(i));
  }
}

void Replication::set_dns(int component, int node, bool listed) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  const auto it = std::find(c.nodes.begin(), c.nodes.end(), node);
  if (it == c.nodes.end()) return;
  const auto i = static_cast<std::size_t>(it - c.nodes.begin());
  if ((s.dns_listed[i] != 0) == listed) return;
  s.dns_previous = s.dns_listed;
  s.dns_listed[i] = listed ? 1 : 0;
  s.dns_changed_ns = engine_.now().ns;
  incident(listed ? "dns_node_added" : "dns_node_removed", model_.nodes[static_cast<std::size_t>(node)].label);
}

// ---------------------------------------------------------------- RDS

/// Which instance serves after any change: the primary if it is whole and its zone is up;
/// otherwise a Multi-AZ database fails over to a whole standby in a live zone (down for the
/// failover time), and a database with neither is down until an instance comes back.
void Replication::database_changed(int component) {
  const ComponentModel& c = model_.components[static_cast<std::size_t>(component)];
  ComponentState& s = state_[static_cast<std::size_t>(component)];
  if (s.db_failing_over) return;  // kDbFailoverDone decides
  auto usable = [&](int instance) {
    return s.db_node[instance] >= 0 && s.db_broken[instance] == 0 && !node_down(s.db_node[instance]);
  };
  Task& serving = s.tasks.front();
  const bool up = serving.state == TaskState::Running;
  if (usable(s.db_primary)) {
    if (!up) {
      serving.state = TaskState::Running;
      serving.node = s.db_node[s.db_primary];
      ++serving.generation;
      incident("db_up", fmt::format("{} ({})", c.id, model_.nodes[static_cast<std::size_t>(serving.node)].label));
      arm_database_clocks(component);
    }
    return;
  }
  if (up) {
    lose_task(component, 0, Outcome::DependencyDown);
    incident("db_down", c.id);
  }
  const int other = 1 - s.db_primary;
  if (usable(other)) {
    s.db_failing_over = true;
    incident("db_failover_start", c.id);
    engine_.schedule_in(Duration{draw_ns(c.behaviour.failover_time, s.faults)}, self_, kDbFailoverDone,
                        static_cast<std::uint64_t>(component));
  }
}

}  // namespace archsim::sim::detail
