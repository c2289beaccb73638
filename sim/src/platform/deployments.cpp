// Deployments in one replication: the workload's releases reach a service by an ECS rolling
// update or a CodeDeploy blue/green deployment, and a rollback alarm on the service's error
// rate can send them back. docs/deployments.md explains the mechanisms and their sources.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "platform/platform.hpp"

namespace archsim::sim::detail {

void Platform::schedule_deployments() {
  deployment_exercised_.assign(model_.deployments.size(), 0);
  for (std::size_t d = 0; d < model_.deployments.size(); ++d) {
    const auto& deployment = model_.deployments[d];
    if (deployment.schedule) {
      schedule_firing(*deployment.schedule, true, kDeploymentStart, d);
    } else if (deployment.spec->at->ns <= horizon_.ns) {
      engine_.schedule_at(*deployment.spec->at, self_, kDeploymentStart, d);
    }
  }
}

std::vector<int> Platform::task_sets(ComponentId component) const {
  const Rollout& rollout = state_[component].rollout;
  if (rollout.two_sets()) return {rollout.from, rollout.to};
  return {-1};
}

void Platform::schedule_rollout_timer(ComponentId component, Duration in, std::uint32_t kind) {
  const Rollout& rollout = state_[component].rollout;
  engine_.schedule_in(in, self_, kind, (static_cast<std::uint64_t>(component.value()) << 32) | rollout.generation);
}

void Platform::start_deployment(std::size_t d) {
  const auto& deployment = model_.deployments[d];
  if (deployment.schedule) schedule_firing(*deployment.schedule, false, kDeploymentStart, d);
  const ComponentId component = deployment.service;
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  const std::string what = fmt::format("{}: {}", c.id, deployment.spec->id);
  if (engine_.now().ns >= workload_.warmup.ns) deployment_exercised_[d] = 1;
  if (!c.deploy_blocker.empty()) {
    incident("deployment_refused", fmt::format("{}: {}", what, c.deploy_blocker));
    ++result_.deployments.refused;
    return;
  }
  // One deployment at a time per service (deployment group).
  if (rollout.phase != Rollout::Phase::None) {
    incident("deployment_skipped", fmt::format("{}: deployment {} is still in progress", what, rollout.id));
    ++result_.deployments.skipped;
    return;
  }
  if (releases_.size() > 0xffff) {
    incident("deployment_skipped", fmt::format("{}: more than 65,535 releases in one run", what));
    ++result_.deployments.skipped;
    return;
  }
  ++result_.deployments.started;
  account_billed(s);  // the surplus over the desired count is metered from here
  s.launch_blocked = false;  // a blocked launch is reported afresh for each deployment
  releases_.push_back(deployment.spec->release.bad() ? &deployment.spec->release : nullptr);
  rollout.from = s.release;
  rollout.to = static_cast<std::uint16_t>(releases_.size() - 1);
  ++rollout.generation;
  rollout.step = 0;
  rollout.green_share = 0;
  rollout.rolling_back = false;
  rollout.id = deployment.spec->id;
  incident("deployment_start", fmt::format("{} ({}{})", what, c.blue_green ? "blue/green" : "rolling update",
                                           deployment.spec->release.bad() ? ", a bad release" : ""));
  if (c.blue_green) {
    // CodeDeploy creates the replacement task set at the service's desired count and waits
    // for it to be healthy, for at most the ready timeout.
    rollout.phase = Rollout::Phase::Provisioning;
    schedule_rollout_timer(component, c.ready_timeout, kDeploymentTimeout);
    reconcile(component);
  } else {
    rollout.phase = Rollout::Phase::Rolling;
    s.release = rollout.to;
  }
  advance_deployment(component);
}

/// Moves a deployment on after any change to the service's tasks. Nested calls (stopping a
/// task reconciles, which can land here again) are folded into the outer one.
void Platform::advance_deployment(ComponentId component) {
  ComponentControl& s = state_[component];
  if (s.rollout.phase == Rollout::Phase::None) return;
  if (s.advancing) {
    s.advance_again = true;
    return;
  }
  s.advancing = true;
  do {
    s.advance_again = false;
    if (s.rollout.phase == Rollout::Phase::Rolling) advance_rolling(component);
    else if (s.rollout.phase == Rollout::Phase::Provisioning) advance_blue_green(component);
  } while (s.advance_again && s.rollout.phase != Rollout::Phase::None);
  s.advancing = false;
}

/// ECS rolling update: start tasks of the new release while the service stays within
/// `maximum_percent` of the desired count (rounded down), and stop old ones while the healthy
/// tasks stay at or above `minimum_healthy_percent` of it (rounded up); old tasks that are not
/// healthy go first.
void Platform::advance_rolling(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  for (;;) {
    const int desired = s.desired;
    const int max_total = c.maximum_tasks(desired);
    const int min_healthy = (desired * c.minimum_healthy_percent + 99) / 100;
    int total = 0, current = 0, stale = 0, healthy = 0, victim = -1;
    bool victim_healthy = true;
    for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
      const Task& t = s.tasks[slot];
      // A draining task is DEACTIVATING, not RUNNING or PENDING: it no longer counts against the
      // maximum (DeploymentConfiguration, maximumPercent), though it is billed until it stops.
      if (t.state == TaskState::Stopped || t.draining) continue;
      ++total;
      const bool ok = t.state == TaskState::Running && t.registered && t.healthy;
      healthy += ok ? 1 : 0;
      if (t.release == rollout.to) {
        ++current;
        continue;
      }
      ++stale;
      if (victim < 0 || (victim_healthy && !ok)) victim = static_cast<int>(slot), victim_healthy = ok;
    }
    if (stale == 0) {
      // With deployment alarms, ECS watches them for a bake time after the old tasks are gone.
      if (c.alarm && !rollout.rolling_back) {
        rollout.phase = Rollout::Phase::Baking;
        schedule_rollout_timer(component, Duration::minutes(c.alarm->datapoints), kDeploymentStep);
        return;
      }
      end_rolling(component);
      return;
    }
    if (victim >= 0 && (!victim_healthy || healthy - 1 >= min_healthy)) {
      if (s.tasks[static_cast<std::size_t>(victim)].state == TaskState::Running) drain(component, victim);
      else ecs_stops(component, victim);
      continue;
    }
    if (current < desired && total < max_total && launch_somewhere(component, rollout.to)) continue;
    return;
  }
}

/// CodeDeploy, before the shift: once every replacement task runs and passes its health
/// checks, test traffic (when there is a test listener) and then production traffic move.
void Platform::advance_blue_green(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  int green = 0, ready = 0;
  for (const Task& t : s.tasks) {
    if (t.state == TaskState::Stopped || t.draining || t.release != rollout.to) continue;
    ++green;
    ready += (t.state == TaskState::Running && t.registered && t.healthy) ? 1 : 0;
  }
  if (green < s.desired || ready < green) return;
  incident("replacement_ready", fmt::format("{}: {} ({} tasks)", c.id, rollout.id, green));
  if (c.test_traffic_wait.ns > 0) {
    rollout.phase = Rollout::Phase::Testing;
    schedule_rollout_timer(component, c.test_traffic_wait, kDeploymentStep);
    return;
  }
  rollout.step = 0;
  shift_traffic(component);
}

/// The listener's weights move to the step's share of traffic on the replacement tasks; after
/// the last step, the original tasks wait out the termination wait.
void Platform::shift_traffic(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  Rollout& rollout = state_[component].rollout;
  const auto& steps = c.shift_steps;
  rollout.phase = Rollout::Phase::Shifting;
  rollout.green_share = steps[rollout.step].second;
  incident("traffic_shift", fmt::format("{}: {:.0f} % on {}", c.id, 100 * rollout.green_share, rollout.id));
  if (rollout.step + 1 < steps.size()) {
    schedule_rollout_timer(component, Duration{steps[rollout.step + 1].first.ns - steps[rollout.step].first.ns}, kDeploymentStep);
    return;
  }
  rollout.phase = Rollout::Phase::Waiting;
  schedule_rollout_timer(component, c.termination_wait, kDeploymentStep);
}

void Platform::end_rolling(ComponentId component) {
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  incident(rollout.rolling_back ? "rollback_complete" : "deployment_complete",
           fmt::format("{}: {}", model_.components[component].id, rollout.id));
  if (!rollout.rolling_back) ++result_.deployments.completed;
  account_billed(s);
  rollout.phase = Rollout::Phase::None;
  ++rollout.generation;
  rebalance(component);  // held back while the deployment moved tasks
}

void Platform::deployment_step(ComponentId component) {
  Rollout& rollout = state_[component].rollout;
  switch (rollout.phase) {
    case Rollout::Phase::Testing:
      rollout.step = 0;
      shift_traffic(component);
      return;
    case Rollout::Phase::Shifting:
      ++rollout.step;
      shift_traffic(component);
      return;
    case Rollout::Phase::Waiting: finish_blue_green(component); return;
    case Rollout::Phase::Baking: end_rolling(component); return;
    default: return;
  }
}

void Platform::deployment_timed_out(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  const Rollout& rollout = state_[component].rollout;
  if (rollout.phase != Rollout::Phase::Provisioning) return;  // ready in time: testing and shifting have no such limit
  roll_back(component, fmt::format("the replacement tasks were not all healthy within {}", model::format_duration(c.ready_timeout)));
}

/// The termination wait is over: the original task set deregisters, drains and stops.
void Platform::finish_blue_green(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  incident("deployment_complete", fmt::format("{}: {}", c.id, rollout.id));
  ++result_.deployments.completed;
  account_billed(s);  // the surplus ends with the deployment
  s.release = rollout.to;
  const int original = rollout.from;
  rollout.phase = Rollout::Phase::None;
  rollout.green_share = 0;
  ++rollout.generation;
  stop_release(component, original);
  rebalance(component);
}

/// Stops a deployment and returns to the release before it. Blue/green: production traffic
/// goes back to the original tasks at once and the replacement set is removed. Rolling: a
/// rolling update back to the previous release.
void Platform::roll_back(ComponentId component, const std::string& why) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  Rollout& rollout = s.rollout;
  if (rollout.phase == Rollout::Phase::None || rollout.rolling_back) return;
  incident("rollback", fmt::format("{}: {}: {}", c.id, rollout.id, why));
  ++result_.deployments.rolled_back;
  ++rollout.generation;
  if (rollout.phase == Rollout::Phase::Rolling || rollout.phase == Rollout::Phase::Baking) {
    rollout.phase = Rollout::Phase::Rolling;
    rollout.rolling_back = true;
    std::swap(rollout.from, rollout.to);
    s.release = rollout.to;
    advance_deployment(component);
    return;
  }
  const int replacement = rollout.to;
  account_billed(s);
  rollout.phase = Rollout::Phase::None;
  rollout.green_share = 0;
  stop_release(component, replacement);
  rebalance(component);
}

void Platform::stop_release(ComponentId component, int release) {
  ComponentControl& s = state_[component];
  for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {  // stopping may launch: re-read the size
    const Task& t = s.tasks[slot];
    if (t.release != release || t.state == TaskState::Stopped || t.draining) continue;
    if (t.state == TaskState::Running && t.registered) drain(component, static_cast<int>(slot));
    else ecs_stops(component, static_cast<int>(slot));
  }
}

/// The rollback alarms, once a minute: a breaching minute has more than the error rate of the
/// requests reaching the service failed there, or an average response time above the bound;
/// minutes without requests breach neither (CloudWatch's missing data, not breaching).
void Platform::evaluate_alarm(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  ServiceLoad& load = traffic_->service_load(component);
  const auto requests = static_cast<double>(load.reached), errors = static_cast<double>(load.errors);
  const auto responses = static_cast<double>(load.responses);
  const double average_ms = responses > 0 ? static_cast<double>(load.response_ns) / responses / 1e6 : 0.0;
  load.reached = load.errors = load.responses = 0;
  load.response_ns = 0;
  if (!c.alarm) return;
  const auto& alarm = *c.alarm;
  const bool errors_breach = alarm.error_rate && requests > 0 && errors > *alarm.error_rate * requests;
  const bool latency_breach = alarm.response_time && responses > 0 && average_ms > alarm.response_time->to_seconds() * 1e3;
  s.alarm_breaches = errors_breach ? s.alarm_breaches + 1 : 0;
  s.latency_breaches = latency_breach ? s.latency_breaches + 1 : 0;
  if (s.rollout.phase == Rollout::Phase::None || s.rollout.rolling_back) return;
  if (s.alarm_breaches >= alarm.datapoints) {
    roll_back(component, fmt::format("alarm: {:.1f} % of requests failed in the last minute, over {:.1f} % for {} minutes in a row",
                                     100 * errors / requests, 100 * *alarm.error_rate, alarm.datapoints));
  } else if (s.latency_breaches >= alarm.datapoints) {
    roll_back(component, fmt::format("alarm: {:.0f} ms average response time in the last minute, over {} for {} minutes in a row",
                                     average_ms, model::format_duration(*alarm.response_time), alarm.datapoints));
  }
}

}  // namespace archsim::sim::detail
