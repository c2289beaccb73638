// The platform's life cycle: its state at t = 0, the events it handles, its minute clock
// and what it reports at the end of a replication.
#include "platform/platform.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace archsim::sim::detail {

Platform::Platform(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Engine& engine,
                   Recorder& recorder)
    : model_(model), workload_(workload), horizon_(horizon), engine_(engine), recorder_(recorder), result_(recorder.result()),
      seed_(seed) {
  self_ = engine_.add_handler(*this);
  state_.resize(model_.components.size());
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentControl& s = state_[ci];
    s.ids = recorder_.meters(ci);
    s.faults = RandomStream(derive_seed(seed, "faults:" + c.id));
    for (NodeId node : c.task_nodes) {
      Task task;
      task.node = node;
      task.billed_since_ns = 0;
      // A task whose subnet cannot start it (no image path, no secrets path: the static
      // review's task-no-egress-path) never started, unless the scenario says it was deployed
      // before that changed (initial_state: running, with its reason).
      if (c.role == Role::Service && !runs_at_start(model_, c, node)) {
        task.state = TaskState::Stopped;
        task.registered = task.healthy = false;
        task.billed_since_ns = -1;
      }
      task.ref = add_task_ref(ci, s.tasks.size());
      s.tasks.push_back(std::move(task));
    }
    if (c.role == Role::Service) {
      int assumed = 0, on_fargate = 0, on_spot = 0;
      for (Task& t : s.tasks) {
        if (t.state != TaskState::Running) continue;
        // The tasks running at the start were placed by the strategy like any others.
        t.spot = model::next_provider(c.capacity_providers, on_fargate, on_spot) == model::CapacityProvider::FargateSpot;
        ++(t.spot ? on_spot : on_fargate);
        s.billed_spot += t.spot ? 1 : 0;
        total_slots_ += c.concurrency;
        ++s.billed;
        assumed += model_.nodes[t.node].start_blocker.empty() ? 0 : 1;
      }
      if (assumed > 0) {
        result_.assumptions.push_back(fmt::format("{}: {} task{} assumed running from the start though {} subnets cannot start {} "
                                                  "(initial_state: running): {}",
                                                  c.id, assumed, assumed == 1 ? "" : "s", assumed == 1 ? "its" : "their",
                                                  assumed == 1 ? "it" : "them", c.behaviour.assumed_running_because));
      }
    }
    if (c.role == Role::Database) {
      s.db_node[0] = c.task_nodes.front();
      s.db_node[1] = c.standby_node;
    }
    if (c.role == Role::Balancer) {
      s.dns_listed.assign(c.nodes.size(), 1);
      s.dns_previous = s.dns_listed;
    }
  }
  zone_down_.assign(model_.zones.size(), 0);
  fault_generation_.assign(model_.faults.size(), 0);
}

void Platform::start() {
  state_spot_assumptions();
  schedule_scaling();
  schedule_faults();
  schedule_deployments();
  start_services();
  if (kMinuteNs <= horizon_.ns) engine_.schedule_at(Time{kMinuteNs}, self_, kMinute);
}

void Platform::on_event(Engine&, const Event& event) {
  handle(event.kind, event.payload);
  traffic_->after_platform_event();
}

void Platform::handle(std::uint32_t kind, std::uint64_t payload) {
  if (kind == kMinute) {
    on_minute();
    return;
  }
  // Task timers carry (task_refs_ index, incarnation); other kinds read the payload their own way.
  const auto ref = static_cast<std::size_t>(payload >> 32);
  const bool task_timer = ref < task_refs_.size();
  const ComponentId component = task_timer ? task_refs_[ref].first : ComponentId{};
  const auto slot = task_timer ? task_refs_[ref].second : -1;
  const auto generation = static_cast<std::uint32_t>(payload & 0xffffffffu);
  auto current = [&] {
    if (!task_timer) return false;
    const auto& tasks = state_[component].tasks;
    return static_cast<std::size_t>(slot) < tasks.size() && tasks[static_cast<std::size_t>(slot)].incarnation == generation;
  };
  const auto fault = static_cast<std::size_t>(payload >> 32);
  switch (kind) {
    case kFaultStart: {
      const FaultSpec& spec = *model_.faults[fault].spec;
      if (spec.effect == FaultEffect::DatabasePrimaryLoss && spec.when.stochastic()) {
        // A stale clock (the database went down and came back since it was armed) is ignored.
        const Task& serving = state_[*model_.faults[fault].component].tasks.front();
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
      Task& task = state_[component].tasks[static_cast<std::size_t>(slot)];
      if (task.state != TaskState::Running) return;
      lose_task(component, slot, Outcome::TargetDown);
      incident("task_crash", task_label(component, slot, false));
      task_fault_exercised(component, FaultEffect::TaskCrash);
      // The agent reports the stopped container; ECS deregisters the task and replaces it.
      engine_.schedule_in(model_.components[component].behaviour.stop_detection, self_, kTaskStopSeen,
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
    case kScheduledAction: scheduled_action(ComponentId{payload >> 32}, payload & 0xffffffffu, true); return;
    case kReconcile: {
      const ComponentId service{payload};
      state_[service].retry_pending = false;
      reconcile(service);
      advance_deployment(service);
      return;
    }
    case kDeploymentStart: start_deployment(static_cast<std::size_t>(payload)); return;
    case kDeploymentStep:
    case kDeploymentTimeout: {
      const ComponentId service{payload >> 32};
      if (state_[service].rollout.generation != static_cast<std::uint32_t>(payload)) return;  // stale
      if (kind == kDeploymentStep) deployment_step(service);
      else deployment_timed_out(service);
      return;
    }
    case kDnsRemove: {
      const NodeId node{payload};
      if (node_down(node)) set_dns(model_.nodes[node].component, node, false);
      return;
    }
    case kDrainDone:
      if (current()) finish_drain(component, slot);
      return;
    case kSpotNotice:
      if (current()) spot_notice(component, slot);
      return;
    case kSpotStop:
      // The stop timeout ran out: the container is killed and ECS deregisters the stopped task.
      if (current()) {
        incident("spot_task_stopped", task_label(component, slot, false));
        ecs_stops(component, slot);
      }
      return;
    case kDbFailoverDone: {
      const ComponentId db{payload};
      ComponentControl& s = state_[db];
      s.db_failing_over = false;
      s.db_primary = 1 - s.db_primary;
      database_changed(db);
      return;
    }
    case kDbRepaired: {
      const ComponentId db{payload >> 32};
      --state_[db].db_broken[payload & 1];
      incident("db_instance_repaired", model_.components[db].id);
      database_changed(db);
      return;
    }
    default: return;
  }
}


void Platform::on_minute() {
  const auto index = static_cast<std::size_t>(minute_);
  traffic_->end_minute(index < result_.timeline.size() ? &result_.timeline[index] : nullptr, total_slots_);
  ++minute_;
  // Running capacity is billed by time, so it is metered by the minute (the one just ended).
  const std::int64_t last_ns = engine_.now().ns - 1;
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentControl& s = state_[ci];
    if (c.role == Role::Service) {
      track_targets(ci);
      evaluate_alarm(ci);
      account_billed(s);
      const double task_seconds = s.billed_area / 1e9;
      s.billed_area = 0;
      meter(s.ids.spot_seconds, s.spot_billed_area / 1e9, last_ns);
      s.spot_billed_area = 0;
      meter(s.ids.deployment_seconds, s.surplus_area / 1e9, last_ns);
      s.surplus_area = 0;
      meter(s.ids.zero_seconds, s.zero_area / 1e9, last_ns);
      s.zero_area = 0;
      meter(s.ids.task_seconds, task_seconds, last_ns);
      meter(s.ids.vcpu_seconds, task_seconds * c.vcpu, last_ns);
      meter(s.ids.gb_seconds, task_seconds * c.memory_gb, last_ns);
    } else if (c.role == Role::Database) {
      meter(s.ids.instance_seconds, 60.0, last_ns);
    } else if (c.role == Role::Function && c.provisioned_concurrency > 0) {
      meter(s.ids.provisioned_seconds, 60.0 * c.provisioned_concurrency * c.memory_gb, last_ns);
    }
  }
  const std::int64_t next = (minute_ + 1) * kMinuteNs;
  if (next <= horizon_.ns) engine_.schedule_at(Time{next}, self_, kMinute);
}

void Platform::finish(ReplicationMetrics& m) {
  for (const ComponentId ci : model_.components.ids()) {
    if (model_.components[ci].role != Role::Service) continue;
    account_capacity(ci, horizon_.ns);
    ComponentControl& s = state_[ci];
    // A stretch below the desired count still open at the end lasts (at least) to the horizon.
    if (s.below_since_ns >= 0) s.longest_below_ns = std::max(s.longest_below_ns, horizon_.ns - std::max(s.below_since_ns, workload_.warmup.ns));
    m.seconds_below_desired += s.below_ns / 1e9;
    m.longest_below_desired_seconds = std::max(m.longest_below_desired_seconds, static_cast<double>(s.longest_below_ns) / 1e9);
    m.capacity_at_end.push_back({model_.components[ci].id, s.in_service, s.desired});
  }
  // One replication counts once per id, however many targets or schedules the id has here.
  std::map<std::string, int> exercised;
  for (std::size_t f = 0; f < model_.faults.size(); ++f) {
    int& seen = exercised[model_.faults[f].spec->id];
    seen = std::max(seen, f < fault_exercised_.size() ? static_cast<int>(fault_exercised_[f]) : 0);
  }
  for (std::size_t d = 0; d < model_.deployments.size(); ++d) {
    int& seen = exercised[model_.deployments[d].spec->id];
    seen = std::max(seen, d < deployment_exercised_.size() ? static_cast<int>(deployment_exercised_[d]) : 0);
  }
  for (const auto& [id, seen] : exercised) result_.exercised[id] += seen;
}

}  // namespace archsim::sim::detail
