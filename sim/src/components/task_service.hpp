// Private to the simulator: an ECS service, the kind whose tasks the platform runs.
//
// Its requests go to one of its tasks (round robin, or least outstanding requests, behind a
// load balancer healthy ones first; mid blue/green the listener's weights pick a task set
// first), take a concurrency slot of that task (queueing when all are busy), die with the
// task, and count in the CloudWatch metrics its autoscaling and rollback alarms read. The
// walk picks one task per request; the flow model spreads the traffic over the same tasks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "components/component_kind.hpp"
#include "traffic/routing.hpp"

namespace archsim::sim::detail {

struct TaskService : ComponentKind {
  static constexpr bool kHoldsTaskSlots = true;
  static constexpr Outcome kNodeDown = Outcome::TargetDown;
  static constexpr Outcome kTaskGone = Outcome::TargetDown;
  static constexpr bool kFeedsServiceLoad = true;
  static constexpr bool kLogsRequests = true;

  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    const ComponentModel& c = model.components[ci];
    m.task_seconds = add(Meter::TaskSeconds);
    m.vcpu_seconds = add(Meter::VcpuSeconds);
    m.gb_seconds = add(Meter::GbSeconds);
    m.data_out = add(Meter::InternetOutBytes);
    m.top_up = add(Meter::MinimumTopUpSeconds);
    if (c.places_on_spot) m.spot_seconds = add(Meter::SpotTaskSeconds);
    if (!c.target_tracking.empty() || !c.step_scaling.empty() || !c.scheduled_actions.empty()) {
      // Scaling that can reach zero: the time at zero, and how long each return from it took.
      m.zero_seconds = add(Meter::SecondsAtZero);
      m.from_zero = add(Meter::ScaleOutsFromZero);
      m.from_zero_seconds = add(Meter::SecondsToFirstTask);
    }
  }

  // ------------------------------------------------------------ request walk

  /// Mid blue/green, the listener's weights pick a target group (task set) first: the
  /// release a request may go to, -1 for any.
  static int listener_release_request(const ComponentControl& control, bool balanced, RandomStream& rng) {
    if (!balanced || !control.rollout.two_sets()) return -1;
    const double green = control.rollout.green_share;
    return green >= 1 || (green > 0 && rng.uniform() < green) ? control.rollout.to : control.rollout.from;
  }
  /// The task a request goes to, or -1 when none may take it (the 503 ELB documents): from
  /// `cursor` round robin (which it moves on), or the least outstanding requests. A load
  /// balancer sends to healthy targets and, when none is healthy, fails open to every
  /// registered one (ELB documents both); callers without one (service discovery, public task
  /// IPs) know no health.
  template <class Outstanding>
  static int pick_task_request(const RuntimeModel& model, const ComponentControl& control, bool balanced, bool cross_zone,
                               bool least_outstanding, int zone, int only_release, std::uint32_t& cursor, Outstanding&& outstanding) {
    auto eligible = [&](const Task& t) { return may_send_to(model, t, balanced, cross_zone, zone, only_release); };
    bool any_healthy = false;
    for (const Task& t : control.tasks) any_healthy = any_healthy || (eligible(t) && t.healthy);
    const bool need_healthy = balanced && any_healthy;
    const std::size_t n = control.tasks.size();
    int chosen = -1;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (cursor + k) % n;
      if (!eligible(control.tasks[i]) || (need_healthy && !control.tasks[i].healthy)) continue;
      if (chosen < 0 || (least_outstanding && outstanding(i) < outstanding(static_cast<std::size_t>(chosen)))) {
        chosen = static_cast<int>(i);
        if (!least_outstanding) break;
      }
    }
    if (chosen >= 0) cursor = static_cast<std::uint32_t>((static_cast<std::size_t>(chosen) + 1) % n);
    return chosen;
  }

  // ------------------------------------------------------------ flow model

  /// The same choice as shares: `share(slot, fraction)` for each task, evenly over the tasks
  /// a request may go to (round robin, and least outstanding requests over equal tasks, spread
  /// evenly). Returns the share that finds no task.
  template <class Share>
  static double task_shares_flow(const RuntimeModel& model, const ComponentControl& control, bool balanced, bool cross_zone, int zone,
                                 Share&& share) {
    std::vector<std::pair<int, double>> sets{{-1, 1.0}};
    if (balanced && control.rollout.two_sets()) {
      const double green = std::clamp(control.rollout.green_share, 0.0, 1.0);
      sets = {{control.rollout.to, green}, {control.rollout.from, 1 - green}};
    }
    double no_target = 0;
    for (const auto& [release, set_share] : sets) {
      if (set_share <= 0) continue;
      std::vector<int> eligible;
      bool any_healthy = false;
      for (std::size_t t = 0; t < control.tasks.size(); ++t) {
        const Task& task = control.tasks[t];
        if (!may_send_to(model, task, balanced, cross_zone, zone, release)) continue;
        eligible.push_back(static_cast<int>(t));
        any_healthy = any_healthy || task.healthy;
      }
      std::vector<int> chosen;
      for (int t : eligible) {
        if (!(balanced && any_healthy) || control.tasks[static_cast<std::size_t>(t)].healthy) chosen.push_back(t);
      }
      if (chosen.empty()) {
        no_target += set_share;
        continue;
      }
      for (int t : chosen) share(t, set_share / static_cast<double>(chosen.size()));
    }
    return no_target;
  }
};

}  // namespace archsim::sim::detail
