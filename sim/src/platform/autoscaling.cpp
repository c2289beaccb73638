// ECS Service Auto Scaling in one replication: scheduled actions that move the capacity
// range, target-tracking policies that follow the simulated CPU or request count, and the
// scale-in that drains tasks. docs/autoscaling.md explains the mechanisms and their sources.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "archsim/model/scheduled_capacity.hpp"
#include "platform/platform.hpp"

namespace archsim::sim::detail {

void Platform::schedule_firing(const model::CronSchedule& cron, bool from_start, std::uint32_t kind, std::uint64_t payload) {
  // From the start, a firing at 00:00 of the first day counts.
  const auto next = cron.next_after(from_start ? Duration::minutes(-1) : engine_.now(), workload_.arrivals.start_weekday);
  if (next && next->ns <= horizon_.ns) engine_.schedule_at(*next, self_, kind, payload);
}

void Platform::schedule_scaling() {
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    if (c.role != Role::Service) continue;
    ComponentControl& s = state_[ci];
    s.desired = c.desired_count;
    s.min_capacity = c.min_count;
    s.max_capacity = c.max_count;
    s.running = static_cast<int>(std::count_if(s.tasks.begin(), s.tasks.end(), [](const Task& t) { return t.state == TaskState::Running; }));
    account_capacity(ci);
    s.datapoints.assign(c.target_tracking.size() + c.step_scaling.size(), {});
    if (c.scheduled_actions.empty()) continue;
    for (std::size_t a = 0; a < c.schedules.size(); ++a) {
      schedule_firing(c.schedules[a], true, kScheduledAction, (static_cast<std::uint64_t>(ci.value()) << 32) | a);
    }
    // The run starts in the state the most recent action left.
    if (const auto latest = model::last_fired_before_start(c.schedules, workload_.arrivals.start_weekday)) {
      scheduled_action(ci, *latest, false);
    }
  }
}

/// A scheduled action fires: the capacity range becomes its min and max, and the desired
/// count moves into it (Application Auto Scaling's documented behaviour).
void Platform::scheduled_action(ComponentId component, std::size_t action, bool reschedule) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  const auto& spec = c.scheduled_actions[action];
  if (reschedule) schedule_firing(c.schedules[action], false, kScheduledAction, (static_cast<std::uint64_t>(component.value()) << 32) | action);
  const model::ScalableCapacity moved = model::apply_scheduled_action({s.min_capacity, s.max_capacity, s.desired}, spec);
  s.min_capacity = moved.min;
  s.max_capacity = moved.max;
  const int desired = moved.desired;
  incident("scheduled_action", fmt::format("{}: {} (min {}, max {})", c.id, spec.id, s.min_capacity, s.max_capacity));
  if (desired != s.desired) scale_to(component, desired, fmt::format("scheduled action {}", spec.id));
}

void Platform::account_service(ComponentId component) {
  ComponentControl& s = state_[component];
  const std::int64_t now = engine_.now().ns;
  const double dt = static_cast<double>(now - s.service_at_ns);
  s.capacity_area += static_cast<double>(s.running) * model_.components[component].concurrency * dt;
  if (s.running == 0) s.zero_area += dt;
  s.service_at_ns = now;
}

/// Once a minute (the ECS metric period): each policy gets a datapoint. A target-tracking
/// policy is ready to scale out after `scale_out_datapoints` in a row above target, and in
/// after `scale_in_datapoints` in a row more than `scale_in_margin` below it, each after its cooldown; its
/// count is the one that brings the metric back to target. A step policy is ready when its
/// alarm has breached for its datapoints. With several policies, target tracking and step
/// alike, the service scales on the proposal that gives the largest capacity: out when any is
/// ready, in only when every target-tracking policy with scale-in enabled is ready too
/// (Application Auto Scaling user guide, "Multiple scaling policies").
void Platform::track_targets(ComponentId component) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  account_service(component);
  ServiceLoad& seen = traffic_->service_load(component);
  const double busy = seen.busy_slot_ns, capacity = s.capacity_area;
  const auto requests = static_cast<double>(seen.requests);
  seen.busy_slot_ns = s.capacity_area = 0;
  seen.requests = 0;
  if (c.target_tracking.empty() && c.step_scaling.empty()) return;
  int targets = 0;
  for (const Task& t : s.tasks) targets += (t.registered && t.state == TaskState::Running) ? 1 : 0;
  const std::int64_t now = engine_.now().ns;
  // CPU averages over running tasks (no task, no datapoint); the request count per target
  // counts requests arriving with no target as sent to one, so a service at zero can scale
  // out on its first datapoint.
  auto metric = [&](const std::string& name) -> std::optional<double> {
    if (name == "cpu") return capacity > 0 ? std::optional<double>(100 * busy / capacity) : std::nullopt;
    return requests / std::max(1, targets);
  };
  struct Proposal {
    int desired;
    std::string why;
  };
  std::optional<Proposal> out, in;
  bool every_in_ready = true;
  for (std::size_t p = 0; p < c.target_tracking.size(); ++p) {
    const auto& policy = c.target_tracking[p];
    auto& points = s.datapoints[p];
    const auto measured = metric(policy.metric);
    if (!measured) {
      every_in_ready = every_in_ready && policy.disable_scale_in;  // no data: its alarm cannot say "scale in"
      continue;
    }
    const double value = *measured;
    points.push_back(value);
    const std::size_t keep = static_cast<std::size_t>(std::max(c.behaviour.scale_out_datapoints, c.behaviour.scale_in_datapoints));
    if (points.size() > keep) points.erase(points.begin());
    auto last_all = [&](int n, auto&& pred) {
      if (points.size() < static_cast<std::size_t>(n)) return false;
      return std::all_of(points.end() - n, points.end(), pred);
    };
    const int running = std::max(1, s.running);
    const double load = policy.metric == "cpu" ? running * value : requests;
    const int needed = static_cast<int>(std::ceil(load / policy.target - 1e-9));
    const Duration out_cooldown = policy.scale_out_cooldown.value_or(c.behaviour.scaling_cooldown);
    const Duration in_cooldown = policy.scale_in_cooldown.value_or(c.behaviour.scaling_cooldown);
    const bool out_cooling = now - s.last_scale_out_ns < out_cooldown.ns;
    const bool from_zero = s.desired == 0 && value > 0;
    if (from_zero || last_all(c.behaviour.scale_out_datapoints, [&](double v) { return v > policy.target; })) {
      // During the scale-out cooldown the capacity the last scale-out added counts as part of
      // the next: only a count above the present one scales out further (Application Auto
      // Scaling, target tracking cooldowns).
      const int desired = std::clamp(out_cooling ? needed : std::max(needed, s.desired + 1), s.min_capacity, s.max_capacity);
      if (desired > s.desired && (!out || desired > out->desired)) {
        out = Proposal{desired, fmt::format("{} {:.3g} above target {:.3g}", policy.metric, value, policy.target)};
      }
    }
    if (policy.disable_scale_in) continue;
    const bool in_ready = s.desired > 0 && last_all(c.behaviour.scale_in_datapoints, [&](double v) { return v < (1 - c.behaviour.scale_in_margin) * policy.target; }) &&
                          now - s.last_scale_in_ns >= in_cooldown.ns && !out_cooling;
    if (!in_ready) {
      every_in_ready = false;
      continue;
    }
    const int desired = std::clamp(std::min(needed, s.desired - 1), s.min_capacity, s.max_capacity);
    if (!in || desired > in->desired) in = Proposal{desired, fmt::format("{} {:.3g} below target {:.3g}", policy.metric, value, policy.target)};
  }
  // Step scaling: an alarm on `datapoints` breaching minutes in a row; the step whose interval
  // (relative to the threshold) holds the latest datapoint sets the change. Its proposal joins
  // the target-tracking ones, so the largest capacity wins here too.
  for (std::size_t p = 0; p < c.step_scaling.size(); ++p) {
    const auto& policy = c.step_scaling[p];
    auto& points = s.datapoints[c.target_tracking.size() + p];
    const auto measured = metric(policy.metric);
    if (!measured) continue;
    points.push_back(*measured);
    if (points.size() > static_cast<std::size_t>(policy.datapoints)) points.erase(points.begin());
    const bool above = policy.comparison == "above";
    const bool alarm = points.size() == static_cast<std::size_t>(policy.datapoints) &&
                       std::all_of(points.begin(), points.end(), [&](double v) { return above ? v > policy.threshold : v < policy.threshold; });
    if (!alarm) continue;
    const Duration cooldown = policy.cooldown.value_or(c.behaviour.scaling_cooldown);
    const bool cooling = now - (above ? s.last_scale_out_ns : s.last_scale_in_ns) < cooldown.ns;
    // A scale-in waits out its cooldown. A scale-out during its cooldown counts the capacity the
    // last one added as part of this one (StepScalingPolicyConfiguration, Cooldown).
    if (cooling && !above) continue;
    const double offset = *measured - policy.threshold;
    // Above the threshold an interval is [lower, upper); below it, (lower, upper] (StepAdjustment).
    const auto step = std::find_if(policy.steps.begin(), policy.steps.end(), [&](const auto& st) {
      return offset >= 0 ? (!st.lower || offset >= *st.lower) && (!st.upper || offset < *st.upper)
                         : (!st.lower || offset > *st.lower) && (!st.upper || offset <= *st.upper);
    });
    if (step == policy.steps.end()) continue;
    const int from = cooling ? s.capacity_before_scale_out : s.desired;
    const int desired = std::clamp(from + step->change, s.min_capacity, s.max_capacity);
    // Counted from before the last scale-out, a smaller step than that one adds nothing: it
    // must not turn into a scale-in.
    if (cooling && desired <= s.desired) continue;
    const std::string why = fmt::format("step scaling: {} {:.3g} {} {:.3g}", policy.metric, *measured, above ? "above" : "below", policy.threshold);
    auto& slot = desired > s.desired ? out : in;
    if (desired != s.desired && (!slot || desired > slot->desired)) slot = Proposal{desired, why};
  }
  // The alarms keep their datapoints: one still in ALARM invokes its policy again each minute,
  // which the cooldowns pace (step-scaling-policy-overview.html: "the adjustments can continue
  // for additional alarm breaches until the alarm state returns to OK").
  if (out) {
    if (now - s.last_scale_out_ns >= c.behaviour.scaling_cooldown.ns) s.capacity_before_scale_out = s.desired;
    s.last_scale_out_ns = now;
    s.last_scale_in_ns = INT64_MIN / 2;  // a scale-out ends a scale-in's cooldown
    scale_to(component, out->desired, out->why);
  } else if (in && every_in_ready && in->desired < s.desired) {
    s.last_scale_in_ns = now;
    scale_to(component, in->desired, in->why);
  }
}

/// Moves the service to `desired` tasks (in each task set, mid blue/green): the scheduler
/// launches the missing ones, or deregisters and drains the surplus, from the zones with the
/// most tasks first.
void Platform::scale_to(ComponentId component, int desired, const std::string& why) {
  const ComponentModel& c = model_.components[component];
  ComponentControl& s = state_[component];
  incident(desired > s.desired ? "scale_out" : "scale_in", fmt::format("{}: {} -> {} ({})", c.id, s.desired, desired, why));
  account_billed(s);  // a deployment's surplus is counted against the desired count it had
  if (s.desired == 0 && desired > 0 && s.running == 0) s.from_zero_ns = engine_.now().ns;
  s.desired = desired;
  account_capacity(component);
  for (int set : task_sets(component)) {
    auto member = [&](const Task& t) { return ComponentControl::counted(t, set); };
    if (s.counted_tasks(set) < desired) {
      reconcile_set(component, set, desired);
      continue;
    }
    // Recounted each time: stopping a task can move a rolling update on, which stops others.
    while (s.counted_tasks(set) > desired) {
      // Pending launches go first; then a running task in the zone with the most.
      int victim = -1, victim_zone_count = -1;
      for (std::size_t slot = 0; slot < s.tasks.size(); ++slot) {
        const Task& t = s.tasks[slot];
        if (!member(t)) continue;
        int in_zone = 0;
        for (const Task& other : s.tasks) {
          in_zone += (member(other) && model_.nodes[other.node].zone == model_.nodes[t.node].zone) ? 1 : 0;
        }
        const int score = (t.state == TaskState::Pending ? 1000 : 0) + in_zone;
        if (score > victim_zone_count) victim = static_cast<int>(slot), victim_zone_count = score;
      }
      if (victim < 0) break;
      if (s.tasks[static_cast<std::size_t>(victim)].state == TaskState::Running) drain(component, victim);
      else ecs_stops(component, victim);
    }
  }
}

}  // namespace archsim::sim::detail
