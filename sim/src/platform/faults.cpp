// Faults and recovery in one replication: when faults start and end, what they take down,
// and how AWS brings the system back (load balancer health checks and DNS, the ECS service
// scheduler, RDS Multi-AZ failover). docs/faults.md explains each mechanism and its sources.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "platform/platform.hpp"

namespace archsim::sim::detail {

namespace {

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

// ---------------------------------------------------------------- when

void Platform::schedule_faults() {
  fault_exercised_.assign(model_.faults.size(), 0);
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (spec.effect == FaultEffect::TaskCrash && spec.when.stochastic()) continue;  // per-task clocks below
    if (spec.effect == FaultEffect::SpotInterruption && spec.when.stochastic()) continue;  // likewise
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
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentControl& s = state_[ci];
    if (c.role == Role::Service) {
      for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
        if (s.tasks[slot].state != TaskState::Running) continue;  // never started
        arm_task_clocks(ci, static_cast<int>(slot));
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
void Platform::arm_fault_clock(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  ComponentControl& rng_owner = spec.effect == FaultEffect::ZoneOutage ? state_.front() : state_[*model_.faults[f].component];
  const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, rng_owner.faults);
  if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kFaultStart, fault_payload(f, fault_generation_[f]));
}

void Platform::arm_task_clocks(ComponentId component, int slot) {
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (!spec.when.stochastic() || model_.faults[f].component != component) continue;
    std::uint32_t kind = 0;
    if (spec.effect == FaultEffect::TaskCrash) kind = kTaskCrash;
    else if (spec.effect == FaultEffect::SpotInterruption && state_[component].tasks[static_cast<std::size_t>(slot)].spot) kind = kSpotNotice;
    else continue;
    const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, state_[component].faults);
    if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kind, task_payload(component, slot));
  }
}

void Platform::task_fault_exercised(ComponentId component, FaultEffect effect) {
  if (engine_.now().ns < workload_.warmup.ns) return;
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const auto& fault = model_.faults[f];
    if (fault.spec->effect == effect && fault.spec->when.stochastic() && fault.component == component) fault_exercised_[f] = 1;
  }
}

/// A database's primary fails after a time-to-failure draw counted while it is serving: the
/// clock is re-armed each time the database comes back up (the model of docs/faults.md).
void Platform::arm_database_clocks(ComponentId component) {
  const Task& serving = state_[component].tasks.front();
  if (serving.state != TaskState::Running) return;
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    const FaultSpec& spec = *model_.faults[f].spec;
    if (spec.effect != FaultEffect::DatabasePrimaryLoss || !spec.when.stochastic() || model_.faults[f].component != component) continue;
    const std::int64_t at = engine_.now().ns + draw_ns(*spec.when.time_to_failure, state_[component].faults);
    if (at <= horizon_.ns) engine_.schedule_at(Time{at}, self_, kFaultStart, fault_payload(f, serving.generation));
  }
}

// ---------------------------------------------------------------- what, on whom

void Platform::fault_starts(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  const int zone = model_.faults[f].zone;
  const ComponentId target = model_.faults[f].component.value_or(ComponentId{});
  ComponentControl* s = spec.effect == FaultEffect::ZoneOutage ? nullptr : &state_[target];
  const std::string subject = spec.effect == FaultEffect::ZoneOutage ? model_.zones[static_cast<std::size_t>(zone)]
                                                                      : model_.components[target].id;
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
    case FaultEffect::ZoneOutage: zone_changed(zone, true); break;
    case FaultEffect::NatGatewayLoss: ++s->down_faults; break;
    case FaultEffect::SpotCapacityUnavailable: ++s->spot_unavailable; break;
    case FaultEffect::DependencyErrors: s->error_rate += spec.error_rate; break;
    case FaultEffect::DependencySlow: s->slow.push_back(&spec.added_latency); break;
    case FaultEffect::TaskCrash: {
      int left = spec.target.tasks;
      const auto& c = model_.components[target];
      for (std::size_t slot = 0; slot < s->tasks.size() && left > 0; ++slot) {
        if (s->tasks[slot].state != TaskState::Running) continue;
        lose_task(target, static_cast<int>(slot), Outcome::TargetDown);
        incident("task_crash", task_label(target, static_cast<int>(slot), false));
        engine_.schedule_in(c.behaviour.stop_detection, self_, kTaskStopSeen, task_payload(target, static_cast<int>(slot)));
        --left;
      }
      return;  // instantaneous: ECS replaces, nothing ends
    }
    case FaultEffect::SpotInterruption: {
      int left = spec.target.tasks;
      for (std::size_t slot = 0; slot < s->tasks.size() && left > 0; ++slot) {
        const Task& t = s->tasks[slot];
        if (t.state != TaskState::Running || !t.spot || t.spot_noticed) continue;
        spot_notice(target, static_cast<int>(slot));
        --left;
      }
      return;  // instantaneous, as a crash
    }
    case FaultEffect::DatabasePrimaryLoss: {
      // The failed instance is repaired (or replaced) after the fault's duration; Multi-AZ
      // fails over to the standby meanwhile if it has a whole one.
      // The instance serving (or about to serve, mid-failover) is the one that fails.
      const int instance = s->db_failing_over ? 1 - s->db_primary : s->db_primary;
      ++s->db_broken[instance];
      engine_.schedule_in(Duration{lasts}, self_, kDbRepaired,
                          (static_cast<std::uint64_t>(target.value()) << 32) | static_cast<std::uint64_t>(instance));
      database_changed(target);
      if (spec.when.stochastic()) return;  // the next failure is armed when the database is up again
      return;
    }
  }
  const std::int64_t end = engine_.now().ns + lasts;
  if (end <= horizon_.ns) engine_.schedule_at(Time{end}, self_, kFaultEnd, fault_payload(f, 0));
}

void Platform::fault_ends(std::size_t f) {
  const FaultSpec& spec = *model_.faults[f].spec;
  const int zone = model_.faults[f].zone;
  const ComponentId target = model_.faults[f].component.value_or(ComponentId{});
  ComponentControl* s = spec.effect == FaultEffect::ZoneOutage ? nullptr : &state_[target];
  incident(fmt::format("fault_end:{}", spec.id), spec.effect == FaultEffect::ZoneOutage
                                                      ? model_.zones[static_cast<std::size_t>(zone)]
                                                      : model_.components[target].id);
  switch (spec.effect) {
    case FaultEffect::ZoneOutage: zone_changed(zone, false); break;
    case FaultEffect::NatGatewayLoss:
      --s->down_faults;
      // Launches that waited for the NAT path can go ahead, and the zones even out again.
      for (const ComponentId ci : model_.components.ids()) {
        if (model_.components[ci].role == Role::Service) rebalance(ci);
      }
      break;
    case FaultEffect::DependencyErrors: s->error_rate = std::max(0.0, s->error_rate - spec.error_rate); break;
    // ECS's own retries (launch_retry apart) launch what waited once Spot capacity is back.
    case FaultEffect::SpotCapacityUnavailable: --s->spot_unavailable; break;
    case FaultEffect::DependencySlow: {
      const auto it = std::find(s->slow.begin(), s->slow.end(), &spec.added_latency);
      if (it != s->slow.end()) s->slow.erase(it);
      break;
    }
    case FaultEffect::TaskCrash:
    case FaultEffect::SpotInterruption:
    case FaultEffect::DatabasePrimaryLoss: break;
  }
  if (spec.when.stochastic()) {
    ++fault_generation_[f];
    arm_fault_clock(f);
  }
}

bool Platform::node_down(NodeId node) const {
  const Node& n = model_.nodes[node];
  if (n.zone >= 0 && zone_down_[static_cast<std::size_t>(n.zone)] > 0) return true;
  return state_[n.component].down_faults > 0;
}

bool Platform::component_down(ComponentId component) const {
  const ComponentModel& c = model_.components[component];
  if (state_[component].down_faults > 0) return true;
  // A NAT gateway lives in one zone; an endpoint's callers use their own zone's interface.
  return c.type == model::ComponentType::NatGateway && node_down(c.nodes.front());
}

void Platform::zone_changed(int zone, bool down) {
  const auto z = static_cast<std::size_t>(zone);
  const bool was_down = zone_down_[z] > 0;
  zone_down_[z] += down ? 1 : -1;
  if (was_down == (zone_down_[z] > 0)) return;
  incident(down ? "zone_down" : "zone_up", model_.zones[z]);
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentControl& s = state_[ci];
    switch (c.role) {
      case Role::Service:
        if (down) {
          for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
            Task& t = s.tasks[slot];
            if (model_.nodes[t.node].zone != zone) continue;
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
        for (NodeId node : c.nodes) {
          if (model_.nodes[node].zone != zone) continue;
          if (down) engine_.schedule_in(c.behaviour.node_failure_detection, self_, kDnsRemove, static_cast<std::uint64_t>(node.value()));
        }
        if (!down) {
          // With ECS targets, the zone's node returns once the zone counts as healthy again;
          // with other targets (Lambda, an ALB), when the zone does.
          if (c.balanced_services.empty()) {
            for (NodeId node : c.nodes) {
              if (model_.nodes[node].zone == zone) set_dns(ci, node, true);
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

void Platform::start_services() {
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
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    if (c.role != Role::Service) continue;
    const ComponentControl& s = state_[ci];
    bool missing = false;
    for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
      const Task& t = s.tasks[slot];
      // Never started: stopped in its first incarnation where its subnet cannot start it (a
      // task a scheduled action already stopped at t = 0 has moved on).
      if (t.state != TaskState::Stopped || t.incarnation != 0 || model_.nodes[t.node].start_blocker.empty()) continue;
      missing = true;
      incident("task_never_started", fmt::format("{}: {}", task_label(ci, static_cast<int>(slot), true),
                                                 model_.nodes[t.node].start_blocker));
    }
    // The scheduler places what it can elsewhere, or reports the launch blocked and retries.
    if (missing) reconcile(ci);
  }
}

// ---------------------------------------------------------------- load balancer DNS

/// ELB keeps a live zone's node in DNS only while the zone is healthy: at least one healthy
/// target in the zone, or, with cross-zone load balancing, in any zone (re:Post,
/// elb-dns-cross-zone-balance-configuration). Nodes of failed zones leave by kDnsRemove.
void Platform::refresh_dns(ComponentId balancer) {
  const ComponentModel& lb = model_.components[balancer];
  if (lb.balanced_services.empty()) return;
  auto healthy_in = [&](int zone) {
    for (ComponentId service : lb.balanced_services) {
      for (const Task& t : state_[service].tasks) {
        if (t.registered && t.healthy && (lb.cross_zone || model_.nodes[t.node].zone == zone)) return true;
      }
    }
    return false;
  };
  for (NodeId node : lb.nodes) {
    const int zone = model_.nodes[node].zone;
    if (zone < 0 || node_down(node)) continue;
    set_dns(balancer, node, healthy_in(zone));
  }
}

void Platform::set_dns(ComponentId component, NodeId node, bool listed) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  const auto it = std::find(c.nodes.begin(), c.nodes.end(), node);
  if (it == c.nodes.end()) return;
  const auto i = static_cast<std::size_t>(it - c.nodes.begin());
  if ((s.dns_listed[i] != 0) == listed) return;
  s.dns_previous = s.dns_listed;
  s.dns_listed[i] = listed ? 1 : 0;
  s.dns_changed_ns = engine_.now().ns;
  incident(listed ? "dns_node_added" : "dns_node_removed", model_.nodes[node].label);
}

// ---------------------------------------------------------------- RDS

/// Which instance serves after any change: the primary if it is whole and its zone is up;
/// otherwise a Multi-AZ database fails over to a whole standby in a live zone (down for the
/// failover time), and a database with neither is down until an instance comes back.
void Platform::database_changed(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  if (s.db_failing_over) return;  // kDbFailoverDone decides
  auto usable = [&](int instance) {
    return s.db_node[instance] && s.db_broken[instance] == 0 && !node_down(*s.db_node[instance]);
  };
  Task& serving = s.tasks.front();
  const bool up = serving.state == TaskState::Running;
  if (usable(s.db_primary)) {
    if (!up) {
      serving.state = TaskState::Running;
      serving.node = *s.db_node[s.db_primary];
      ++serving.generation;
      incident("db_up", fmt::format("{} ({})", c.id, model_.nodes[serving.node].label));
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
                        static_cast<std::uint64_t>(component.value()));
  }
}

}  // namespace archsim::sim::detail
