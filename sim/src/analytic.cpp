#include "archsim/sim/analytic.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "archsim/model/scheduled_capacity.hpp"

#include "components/kinds.hpp"
#include "runtime.hpp"

namespace archsim::sim {

using detail::ComponentId;
using detail::ComponentModel;
using detail::IndexedVector;
using detail::NodeId;
using detail::cache_hit_ratio;
using detail::Database;
using detail::kind;
using detail::LoadBalancer;
using detail::Role;
using detail::RuntimeModel;
using detail::TaskService;
using detail::visit_kind;

std::vector<double> ctmc_steady_state(const std::vector<std::vector<double>>& rates) {
  const auto n = static_cast<Eigen::Index>(rates.size());
  // pi Q = 0 with sum(pi) = 1: the transposed generator with its last balance equation
  // replaced by the normalisation.
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      if (i == j) continue;
      const double r = rates[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      a(j, i) += r;
      a(i, i) -= r;
    }
  }
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  a.row(n - 1).setOnes();
  b(n - 1) = 1;
  const Eigen::VectorXd pi = a.colPivHouseholderQr().solve(b);
  return {pi.data(), pi.data() + n};
}

double multi_az_database_availability(double failure, double repair, double failover_seconds) {
  // States: 0 serving with a whole standby; 1 failing over, the failed instance in repair;
  // 2 failing over, the failed instance already repaired; 3 serving, the other in repair;
  // 4 down, both in repair.
  const double f = failover_seconds > 0 ? 1 / failover_seconds : 1e9;
  std::vector<std::vector<double>> q(5, std::vector<double>(5, 0.0));
  q[0][1] = failure;
  q[1][3] = f;
  q[1][2] = repair;
  q[2][0] = f;
  q[3][0] = repair;
  q[3][4] = failure;
  q[4][3] = repair;  // the instance that failed last is repaired first: it serves again
  q[4][1] = repair;  // the other one is: fail over to it
  const auto pi = ctmc_steady_state(q);
  return pi[0] + pi[3];
}

double k_out_of_n(int k, int n, double a) {
  double sum = 0;
  for (int i = k; i <= n; ++i) {
    sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0)) * std::pow(a, i) * std::pow(1 - a, n - i);
  }
  return std::min(1.0, sum);
}

namespace {

/// Availability of a two-state component that fails after `ttf` and is repaired after `ttr`
/// on average (the same chain, two states): MTTF / (MTTF + MTTR).
double two_state(double ttf, double ttr) {
  if (ttf <= 0) return 0;
  const auto pi = ctmc_steady_state({{0, 1 / ttf}, {ttr > 0 ? 1 / ttr : 1e9, 0}});
  return pi[0];
}

/// The measured part of a run: after the warm-up, up to the horizon.
struct Window {
  Duration from, to;
};

/// The share of time a fault is active: MTTR / (MTTF + MTTR) for a renewal fault, the
/// share of the measured window a scheduled one overlaps.
double duty(const FaultSpec& f, Window w) {
  if (f.when.stochastic()) {
    const double ttf = f.when.time_to_failure->mean(), ttr = f.when.time_to_repair ? f.when.time_to_repair->mean() : 0;
    return ttf + ttr > 0 ? ttr / (ttf + ttr) : 0;
  }
  if (!f.when.at || w.to.ns <= w.from.ns) return 0;
  const std::int64_t start = std::max(f.when.at->ns, w.from.ns), end = std::min(f.when.at->ns + f.when.duration.ns, w.to.ns);
  return end > start ? static_cast<double>(end - start) / static_cast<double>(w.to.ns - w.from.ns) : 0;
}

struct Context {
  const RuntimeModel& m;
  Window window;
  std::vector<bool> up;  ///< zone states being evaluated
  IndexedVector<ComponentId, double> at_zero;  ///< traffic-weighted share of time a schedule holds it at zero
  IndexedVector<ComponentId, int> scheduled_peak;  ///< ECS services: the most tasks its scheduled actions ask for (0: none)
  std::vector<char> active;  ///< per fault of the model: a scheduled fault active in the stretch of the timeline evaluated
};

bool scheduled(const FaultSpec& f) { return !f.when.stochastic() && f.when.at.has_value(); }

/// The traffic-weighted share of the measured window in which scheduled actions hold an ECS
/// service at no task, counting the launch after each return from zero (image pull plus the
/// mean start time) as still at zero. A service whose tasks cannot start anywhere (no image
/// path) never comes back from zero. Target tracking is left to the simulation.
struct ScheduledCapacity {
  double share_at_zero = 0;  ///< traffic-weighted
  int peak = 0;              ///< the largest desired count the schedule reaches
};

ScheduledCapacity scheduled_capacity(const RuntimeModel& m, const ComponentModel& c, const WorkloadSpec& w) {
  bool can_return = false;
  for (NodeId node : c.nodes) can_return = can_return || m.nodes[node].start_blocker.empty();
  bool gone = false;
  if (c.scheduled_actions.empty()) return {};
  model::ScheduleReplay replay({c.min_count, c.max_count, c.desired_count}, c.scheduled_actions, c.schedules,
                               w.arrivals.start_weekday);
  int peak = c.desired_count;
  const std::int64_t minute = Duration::minutes(1).ns;
  const double launch = static_cast<double>(c.image_pull.ns) + c.behaviour.launch_time.mean();
  double zero = 0, total = 0;
  std::int64_t back_at = INT64_MIN;  // when the service returns from zero, until its launch ends
  for (std::int64_t t = 0; t < w.horizon.ns; t += minute) {
    replay.minute(Duration{t}, [&](const model::ScalableCapacity& before, const model::ScalableCapacity& after) {
      peak = std::max(peak, after.desired);
      if (before.desired == 0 && after.desired > 0) back_at = t;
    });
    const int desired = replay.capacity().desired;
    if (t < w.warmup.ns) continue;
    const double rate = w.arrivals.trace ? 1.0 : w.arrivals.rate_at(Duration{t});
    gone = gone || (!can_return && desired == 0);
    double down = desired == 0 || gone ? 1.0 : 0.0;
    if (desired > 0 && back_at != INT64_MIN && static_cast<double>(t - back_at) < launch) {
      down = std::min(1.0, (launch - static_cast<double>(t - back_at)) / static_cast<double>(minute));
    }
    zero += rate * down;
    total += rate;
  }
  return {total > 0 ? zero / total : 0, peak};
}

int zone_of(const RuntimeModel& m, NodeId node) { return m.nodes[node].zone; }

bool node_up(const Context& ctx, NodeId node) {
  const int z = zone_of(ctx.m, node);
  return z < 0 || ctx.up[static_cast<std::size_t>(z)];
}

// The composition per component kind (the analytic model's own, beside the traffic engines'
// steps in components/): a load balancer's zone nodes in parallel, an ECS service's tasks
// 1-of-n, an RDS database's Markov chain, every other kind in series with its one node.
template <class K>
double kind_availability(K, const Context& ctx, ComponentId ci, double a, std::string& model) {
  const ComponentModel& c = ctx.m.components[ci];
  model = "series";
  for (NodeId node : c.nodes) {
    if (!node_up(ctx, node) && c.nodes.size() == 1) return 0;
  }
  return a;
}

double kind_availability(LoadBalancer, const Context& ctx, ComponentId ci, double a, std::string& model) {
  const ComponentModel& c = ctx.m.components[ci];
  bool any = false;
  for (NodeId node : c.nodes) any = any || node_up(ctx, node);
  model = fmt::format("parallel: 1 of {} zone nodes", c.nodes.size());
  return any ? a : 0;
}

double kind_availability(TaskService, const Context& ctx, ComponentId ci, double a, std::string& model) {
  const RuntimeModel& m = ctx.m;
  const ComponentModel& c = m.components[ci];
  // The scheduler keeps the desired count in the live zones it can start tasks in; if it
  // can start none anywhere, only the tasks running in live zones at the start remain.
  bool can_start = false;
  int initial_live = 0;
  for (NodeId node : c.nodes) {
    can_start = can_start || (node_up(ctx, node) && m.nodes[node].start_blocker.empty());
  }
  // A task placed where it cannot start never ran, unless the scenario assumes it did
  // (initial_state: running), as the simulation starts it.
  for (NodeId node : c.task_nodes) {
    initial_live += node_up(ctx, node) && detail::runs_at_start(m, c, node) ? 1 : 0;
  }
  // A service a schedule brings up from zero runs its scheduled count while up; the time
  // at zero is `zero` below.
  const int desired = c.desired_count > 0 ? c.desired_count : ctx.scheduled_peak[ci];
  const int n = can_start ? desired : initial_live;
  // A crashing task is out until ECS replaces it; the load balancer keeps sending it its
  // share of requests until ECS sees it stop.
  double task = 1, crash_dead = 0;
  for (const auto& f : m.faults) {
    if (f.component != ci || f.spec->effect != FaultEffect::TaskCrash || !f.spec->when.stochastic()) continue;
    const double ttf = f.spec->when.time_to_failure->mean() / 1e9;
    const double out = static_cast<double>(c.behaviour.stop_detection.ns + c.image_pull.ns) / 1e9 + c.behaviour.launch_time.mean() / 1e9;
    task *= two_state(ttf, out);
    crash_dead += (static_cast<double>(c.behaviour.stop_detection.ns) / 1e9) / (ttf + out);
  }
  // The requests a crashed task still gets are lost only while another task is up: with
  // every task down, 1 of n below already counts the time (a single task's stop-detection
  // window was counted twice, 0.26 points under the simulation's interval).
  double dead_share = n > 1 ? crash_dead * k_out_of_n(1, n - 1, task) : 0.0;
  // A Spot task serves until its stop timeout after the notice; its replacement, launched at
  // the notice when the maximum percent leaves room (else at the stop), serves once running,
  // as a crash's does (with no healthy target left, the load balancer sends requests to the
  // targets it has). The requests in flight at the kill fail. Only the tasks the capacity
  // provider strategy puts on Spot are reclaimed, and they take their share of the requests.
  const int on_spot = c.places_on_spot ? model::spot_tasks(c.capacity_providers, n) : 0;
  double spot_task = task;
  for (const auto& f : m.faults) {
    if (f.component != ci || f.spec->effect != FaultEffect::SpotInterruption || !f.spec->when.stochastic()) continue;
    const double ttf = f.spec->when.time_to_failure->mean() / 1e9;
    const double ready = static_cast<double>(c.image_pull.ns) / 1e9 + c.behaviour.launch_time.mean() / 1e9;
    const double grace = static_cast<double>(c.behaviour.stop_timeout.ns) / 1e9;
    const bool surge = n + 1 <= c.maximum_tasks(n);
    const double out = surge ? std::max(0.0, ready - grace) : ready;
    spot_task *= two_state(ttf, out);
    dead_share += (c.service_time.mean() / 1e9) / (ttf + out) * (n > 0 ? static_cast<double>(on_spot) / n : 0.0);
  }
  const double zero = ctx.at_zero.empty() ? 0 : ctx.at_zero[ci];
  model = fmt::format("1-of-{} tasks{}{}{}", n, on_spot > 0 && on_spot < n ? fmt::format(" ({} on Spot)", on_spot) : "",
                      can_start ? "" : " (no replacement: tasks cannot start)",
                      zero > 0 ? fmt::format(", at zero {:.2f}% of the traffic by schedule", 100 * zero) : "");
  // 1 of n when the tasks differ: all of them down at once is the product of each kind's.
  const double any_up = on_spot == 0   ? k_out_of_n(1, n, task)
                        : on_spot == n ? k_out_of_n(1, n, spot_task)
                                       : 1 - std::pow(1 - task, n - on_spot) * std::pow(1 - spot_task, on_spot);
  return a * any_up * (1 - std::min(1.0, dead_share)) * (1 - zero);
}

double kind_availability(Database, const Context& ctx, ComponentId ci, double a, std::string& model) {
  const RuntimeModel& m = ctx.m;
  const ComponentModel& c = m.components[ci];
  double failure = 0, repair = 0;
  for (const auto& f : m.faults) {
    if (f.component != ci || f.spec->effect != FaultEffect::DatabasePrimaryLoss || !f.spec->when.stochastic()) continue;
    failure += 1 / f.spec->when.time_to_failure->mean() * 1e9;
    repair = 1 / f.spec->when.time_to_repair->mean() * 1e9;
  }
  const bool primary_up = node_up(ctx, c.task_nodes.front());
  const bool standby_up = c.standby_node && node_up(ctx, *c.standby_node);
  // A scheduled primary loss takes a database with one instance down for its duration; a
  // Multi-AZ one fails over instead (a transient, subtracted per route).
  if (!(primary_up && standby_up)) {
    for (const auto& f : m.faults) {
      if (f.component == ci && f.spec->effect == FaultEffect::DatabasePrimaryLoss && scheduled(*f.spec) &&
          ctx.active[static_cast<std::size_t>(&f - m.faults.data())] != 0) {
        a = 0;
      }
    }
  }
  if (!primary_up && !standby_up) return 0;
  if (primary_up && standby_up) {
    model = "Markov: Multi-AZ RDS (5 states)";
    return failure > 0 ? a * multi_az_database_availability(failure, repair, c.behaviour.failover_time.mean() / 1e9) : a;
  }
  model = c.standby_node ? "two-state: one instance left" : "two-state: Single-AZ instance";
  return failure > 0 ? a * two_state(1 / failure, 1 / repair) : a;
}

/// A component on a route, given which zones are up; `model` describes the composition.
double component_availability(const Context& ctx, ComponentId ci, std::string& model) {
  const RuntimeModel& m = ctx.m;
  const ComponentModel& c = m.components[ci];
  double a = 1;
  // Errors a dependency returns while a dependency_errors fault is active.
  for (const auto& f : m.faults) {
    if (f.component != ci || f.spec->effect != FaultEffect::DependencyErrors) continue;
    const double on = scheduled(*f.spec) ? ctx.active[static_cast<std::size_t>(&f - m.faults.data())] : duty(*f.spec, ctx.window);
    a *= 1 - f.spec->error_rate * on;
  }
  return visit_kind(c.role, [&](auto k) { return kind_availability(k, ctx, ci, a, model); });
}

/// Outage events per second of a zone-outage fault, weighted by the traffic at the time:
/// a renewal fault's failure rate, or one scheduled event in the horizon, scaled by the
/// arrival rate at its start over the mean arrival rate.
double outage_events_per_second(const FaultSpec& f, const WorkloadSpec& w) {
  if (f.when.stochastic()) {
    const double cycle = (f.when.time_to_failure->mean() + (f.when.time_to_repair ? f.when.time_to_repair->mean() : 0)) / 1e9;
    return cycle > 0 ? 1 / cycle : 0;
  }
  if (!f.when.at || f.when.at->ns >= w.horizon.ns || f.when.at->ns < w.warmup.ns) return 0;
  const double measured = static_cast<double>(w.horizon.ns - w.warmup.ns) / 1e9;
  double mean = 0;
  int hours = 0;
  for (std::int64_t t = w.warmup.ns; t < w.horizon.ns; t += Duration::hours(1).ns, ++hours) mean += w.arrivals.rate_at(Duration{t});
  mean = hours > 0 ? mean / hours : 0;
  const double weight = mean > 0 && !w.arrivals.trace ? w.arrivals.rate_at(*f.when.at) / mean : 1;
  return weight / measured;
}

/// A share of a route's requests that fails from the outage's start: all of `share` until
/// `full_s`, then falling linearly to nothing at `fade_s`.
struct Pulse {
  double share = 0, full_s = 0, fade_s = 0;
  double at(double t) const {
    if (t < full_s) return share;
    if (t < fade_s) return share * (1 - (t - full_s) / (fade_s - full_s));
    return 0;
  }
};

/// The transients one outage of `zone` puts on one route (see the header), hop by hop.
void transient_pulses(const RuntimeModel& m, std::size_t plan, int zone, const IndexedVector<ComponentId, int>& primary_zone,
                      std::vector<ComponentId>& seen,
                      std::vector<Pulse>& out, double reach = 1) {
  const auto& hops = m.plans[plan].hops;
  auto tasks_in_zone = [&](const ComponentModel& c) {
    int n = 0;
    for (NodeId node : c.task_nodes) n += zone_of(m, node) == zone ? 1 : 0;
    return c.task_nodes.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(c.task_nodes.size());
  };
  for (std::size_t h = 0; h < hops.size(); ++h) {
    const ComponentModel& c = m.components[hops[h].component];
    if (std::find(seen.begin(), seen.end(), hops[h].component) != seen.end()) continue;
    seen.push_back(hops[h].component);
    // Requests CloudFront answers from its cache go no further.
    reach *= 1 - cache_hit_ratio(c);
    const std::size_t first = out.size();
    int in_zone = 0;
    for (NodeId node : c.nodes) in_zone += zone_of(m, node) == zone ? 1 : 0;
    if (kind(c.role).nodes_in_dns && in_zone > 0) {
      // Clients spread over the nodes DNS lists; the failed zone's node is dropped after the
      // detection delay, then cached answers expire evenly over the TTL.
      const double detect = static_cast<double>(c.behaviour.node_failure_detection.ns) / 1e9;
      out.push_back({static_cast<double>(in_zone) / static_cast<double>(c.nodes.size()), detect,
                     detect + static_cast<double>(c.behaviour.dns_ttl.ns) / 1e9});
      if (h + 1 < hops.size() && hops[h].cross_zone) {
        const ComponentModel& target = m.components[hops[h + 1].component];
        if (target.role == Role::Service && target.health_checked) {
          // Expected detection: timeout + (threshold - 1) intervals + half an interval of phase.
          const double lag = (static_cast<double>(target.check_timeout.ns) +
                              (target.unhealthy_threshold - 0.5) * static_cast<double>(target.check_interval.ns)) / 1e9;
          out.push_back({tasks_in_zone(target), lag, lag});
        }
      }
    }
    if (c.role == Role::Service && h > 0 && !kind(m.components[hops[h - 1].component].role).checks_targets) {
      const double lag = static_cast<double>(c.behaviour.lost_task_detection.ns) / 1e9;
      out.push_back({tasks_in_zone(c), lag, lag});
    }
    // A Multi-AZ database fails over when its primary's zone fails and its standby's did not
    // (the primary may have moved in an earlier outage: primary_zones).
    const int primary = primary_zone[hops[h].component];
    const bool multi_az = c.role == Role::Database && c.standby_node.has_value();
    const int standby = !multi_az ? -1 : primary == zone_of(m, c.task_nodes.front()) ? zone_of(m, *c.standby_node) : zone_of(m, c.task_nodes.front());
    if (multi_az && primary == zone && standby != zone) {
      const double failover = c.behaviour.failover_time.mean() / 1e9;
      out.push_back({1.0, failover, failover});
    }
    for (std::size_t i = first; i < out.size(); ++i) out[i].share *= reach;
    for (int sub : hops[h].fanout) transient_pulses(m, static_cast<std::size_t>(sub), zone, primary_zone, seen, out, reach);
  }
}

/// Request-seconds lost on one route to one outage of `zone`: the pulses in series (a
/// request fails if any hop fails it), integrated over time.
double transient_seconds(const RuntimeModel& m, std::size_t plan, int zone, const IndexedVector<ComponentId, int>& primary_zone) {
  std::vector<ComponentId> seen;
  std::vector<Pulse> pulses;
  transient_pulses(m, plan, zone, primary_zone, seen, pulses);
  double end = 0;
  for (const auto& p : pulses) end = std::max(end, p.fade_s);
  constexpr double kStep = 0.05;
  double lost = 0;
  for (double t = kStep / 2; t < end; t += kStep) {
    double ok = 1;
    for (const auto& p : pulses) ok *= 1 - p.at(t);
    lost += (1 - ok) * kStep;
  }
  return lost;
}

/// Per component, the zone of a Multi-AZ database's primary when each scheduled zone outage
/// begins (by fault), following the failovers of the outages before it: an outage of the
/// primary's zone moves the primary to the standby's zone when that zone is up. Components
/// other than databases keep -1; random outages see the initial primary.
std::vector<IndexedVector<ComponentId, int>> primary_zones(const RuntimeModel& m) {
  IndexedVector<ComponentId, int> primary(m.components.size(), -1);
  for (const ComponentId c : m.components.ids()) {
    if (m.components[c].role == Role::Database) primary[c] = zone_of(m, m.components[c].task_nodes.front());
  }
  std::vector<IndexedVector<ComponentId, int>> at_fault(m.faults.size(), primary);
  std::vector<std::size_t> order;
  for (std::size_t f = 0; f < m.faults.size(); ++f) {
    if (scheduled(*m.faults[f].spec) && m.faults[f].spec->effect == FaultEffect::ZoneOutage) order.push_back(f);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m.faults[a].spec->when.at->ns < m.faults[b].spec->when.at->ns; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& f = m.faults[order[i]];
    at_fault[order[i]] = primary;
    for (const ComponentId c : m.components.ids()) {
      const ComponentModel& db = m.components[c];
      if (db.role != Role::Database || !db.standby_node || primary[c] != f.zone) continue;
      const int a = zone_of(m, db.task_nodes.front()), b = zone_of(m, *db.standby_node);
      const int other = primary[c] == a ? b : a;
      // The standby's zone must be up when the primary's fails (no overlapping outage of it).
      bool other_down = false;
      for (std::size_t j = 0; j < order.size(); ++j) {
        const auto& g = *m.faults[order[j]].spec;
        other_down = other_down || (m.faults[order[j]].zone == other && g.when.at->ns <= f.spec->when.at->ns &&
                                    f.spec->when.at->ns < g.when.at->ns + g.when.duration.ns);
      }
      if (!other_down) primary[c] = other;
    }
  }
  return at_fault;
}

/// Every component a plan passes through, KrakenD fan-outs included (all backends needed).
void plan_components(const RuntimeModel& m, std::size_t plan, std::vector<ComponentId>& out) {
  for (const auto& hop : m.plans[plan].hops) {
    if (std::find(out.begin(), out.end(), hop.component) == out.end()) out.push_back(hop.component);
    for (int sub : hop.fanout) plan_components(m, static_cast<std::size_t>(sub), out);
  }
}

/// A stretch of the measured window in which the same scheduled faults are active.
struct Stretch {
  Duration from, to;
  std::vector<char> active;  ///< per fault of the model
  double traffic_share = 0;  ///< of the window's requests (of its time, for a trace)
  double time_share = 0;     ///< of the window's time
};

/// The measured window cut at every start and end of a scheduled fault, so that within a
/// stretch the scheduled faults are fixed and only the random ones need probabilities.
/// Requests weigh by the arrival rate, integrated minute by minute.
std::vector<Stretch> timeline_stretches(const RuntimeModel& m, const WorkloadSpec& w, Window window) {
  std::vector<std::int64_t> cuts{window.from.ns, window.to.ns};
  for (const auto& f : m.faults) {
    if (!scheduled(*f.spec)) continue;
    for (const std::int64_t t : {f.spec->when.at->ns, f.spec->when.at->ns + f.spec->when.duration.ns}) {
      if (t > window.from.ns && t < window.to.ns) cuts.push_back(t);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  auto traffic = [&](std::int64_t from, std::int64_t to) {
    return w.arrivals.trace ? static_cast<double>(to - from) : w.arrivals.expected_arrivals(Duration{from}, Duration{to});
  };
  std::vector<Stretch> out;
  double total_traffic = 0;
  const auto total_time = static_cast<double>(window.to.ns - window.from.ns);
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    Stretch st{Duration{cuts[i]}, Duration{cuts[i + 1]}, std::vector<char>(m.faults.size(), 0), 0, 0};
    for (std::size_t f = 0; f < m.faults.size(); ++f) {
      const auto& spec = *m.faults[f].spec;
      if (scheduled(spec)) st.active[f] = spec.when.at->ns <= cuts[i] && cuts[i] < spec.when.at->ns + spec.when.duration.ns ? 1 : 0;
    }
    st.traffic_share = traffic(cuts[i], cuts[i + 1]);
    st.time_share = total_time > 0 ? static_cast<double>(cuts[i + 1] - cuts[i]) / total_time : 0;
    total_traffic += st.traffic_share;
    out.push_back(std::move(st));
  }
  for (auto& st : out) st.traffic_share = total_traffic > 0 ? st.traffic_share / total_traffic : st.time_share;
  return out;
}

/// A route's availability with the scheduled faults of `ctx.active`, over every combination
/// of the zones' random outages (`zone`: each zone's probability of being up), and with
/// `down_zone` (when set) down as well. In series from the last hop back: what CloudFront
/// answers from its cache needs nothing behind it.
double route_availability(Context& ctx, const std::vector<ComponentId>& parts, const std::vector<double>& zone, std::optional<int> down_zone) {
  const RuntimeModel& m = ctx.m;
  std::vector<bool> scheduled_down(zone.size(), false);
  for (std::size_t f = 0; f < m.faults.size(); ++f) {
    if (ctx.active[f] != 0 && m.faults[f].spec->effect == FaultEffect::ZoneOutage) scheduled_down[static_cast<std::size_t>(m.faults[f].zone)] = true;
  }
  if (down_zone && *down_zone >= 0) scheduled_down[static_cast<std::size_t>(*down_zone)] = true;
  const std::size_t zones = std::min<std::size_t>(zone.size(), 12);
  double total = 0;
  for (std::uint32_t mask = 0; mask < (1u << zones); ++mask) {
    double weight = 1;
    for (std::size_t z = 0; z < zones; ++z) {
      const bool up = (mask >> z & 1u) == 0;
      ctx.up[z] = up && !scheduled_down[z];
      weight *= up ? zone[z] : 1 - zone[z];
    }
    if (weight == 0) continue;
    double a = 1;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      std::string model;
      const ComponentModel& c = m.components[*it];
      const double hit = cache_hit_ratio(c);
      a = component_availability(ctx, *it, model) * (hit + (1 - hit) * a);
    }
    total += weight * a;
  }
  return total;
}

}  // namespace

std::optional<AnalyticAvailability> analyse_availability(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                                         const SimDefaults& defaults, std::string& error) {
  model::Diagnostic d;
  const auto runtime = detail::build_runtime(topology, workload, defaults, d);
  if (!runtime) {
    error = d.message;
    return std::nullopt;
  }
  const RuntimeModel& m = *runtime;
  const Window window{workload.warmup, workload.horizon};
  // Random (rate-based) zone outages make each zone up with a probability; scheduled ones
  // happen at their times, so they are evaluated on the timeline (timeline_stretches).
  std::vector<double> zone(m.zones.size(), 1.0);
  for (const auto& f : m.faults) {
    if (f.spec->effect == FaultEffect::ZoneOutage && !scheduled(*f.spec)) zone[static_cast<std::size_t>(f.zone)] *= 1 - duty(*f.spec, window);
  }
  const auto stretches = timeline_stretches(m, workload, window);
  const auto primaries = primary_zones(m);
  AnalyticAvailability out;
  for (std::size_t z = 0; z < zone.size(); ++z) {
    // The share of the measured time the zone is up: scheduled outages by their overlap.
    double scheduled_down = 0;
    for (const auto& st : stretches) {
      for (std::size_t f = 0; f < m.faults.size(); ++f) {
        if (st.active[f] != 0 && m.faults[f].spec->effect == FaultEffect::ZoneOutage && m.faults[f].zone == static_cast<int>(z)) {
          scheduled_down += st.time_share;
          break;
        }
      }
    }
    const double up = zone[z] * (1 - scheduled_down);
    if (up < 1) out.zones.push_back(fmt::format("{}: {:.5f}%", m.zones[z], 100 * up));
  }
  Context ctx{m, window, std::vector<bool>(zone.size(), true), {}, {}, std::vector<char>(m.faults.size(), 0)};
  for (const auto& c : m.components) {
    const auto sc = c.role == Role::Service ? scheduled_capacity(m, c, workload) : ScheduledCapacity{};
    ctx.at_zero.push_back(sc.share_at_zero);
    ctx.scheduled_peak.push_back(sc.peak);
  }
  for (std::size_t p = 0; p < m.route_count; ++p) {
    RouteAvailability route{m.plans[p].id, m.plans[p].share, 0, {}};
    std::vector<ComponentId> parts;
    plan_components(m, p, parts);
    // With every zone up and no scheduled fault active, for the per-component table.
    std::fill(ctx.up.begin(), ctx.up.end(), true);
    std::fill(ctx.active.begin(), ctx.active.end(), 0);
    for (const ComponentId ci : parts) {
      std::string model;
      const double a = component_availability(ctx, ci, model);
      route.parts.push_back({m.components[ci].id, model, a});
    }
    // A hop whose security groups drop the flow into it, or that nothing connects to the one
    // before, fails every request on the route.
    const bool blocked = std::any_of(m.plans[p].hops.begin(), m.plans[p].hops.end(), [](const detail::Hop& h) { return !h.blocked.empty(); });
    const bool gap = std::any_of(m.plans[p].hops.begin(), m.plans[p].hops.end(), [](const detail::Hop& h) { return !h.no_path.empty(); });
    if (blocked || gap) {
      route.parts.push_back(blocked ? ComponentAvailability{"security groups", "a hop's flow is dropped (sg-blocks-request-flow)", 0}
                                    : ComponentAvailability{"route", "two hops have nothing between them (route-hop-not-connected)", 0});
      out.routes.push_back(std::move(route));
      continue;
    }
    // Each stretch of the timeline, weighted by its share of the traffic, with the zones'
    // random outages enumerated within it.
    for (const auto& st : stretches) {
      ctx.active = st.active;
      route.availability += st.traffic_share * route_availability(ctx, parts, zone, {});
    }
    route.steady_state = route.availability;
    // First-order transients of each outage, counted only on the requests the route would
    // have served just after it: a route the outage takes down entirely has no transient left
    // to lose (its loss is in the steady state already).
    for (std::size_t fi = 0; fi < m.faults.size(); ++fi) {
      const auto& f = m.faults[fi];
      const bool zone_outage = f.spec->effect == FaultEffect::ZoneOutage;
      const ComponentModel& target = m.components[f.component.value_or(ComponentId{})];
      const bool failover = f.spec->effect == FaultEffect::DatabasePrimaryLoss && scheduled(*f.spec) && target.standby_node &&
                            std::find(parts.begin(), parts.end(), *f.component) != parts.end();
      if (!zone_outage && !failover) continue;
      const double events = outage_events_per_second(*f.spec, workload);
      if (events <= 0) continue;
      // The state just after the outage begins: the stretch it starts (scheduled), or every
      // other zone up (a random outage, first order).
      std::fill(ctx.active.begin(), ctx.active.end(), 0);
      if (scheduled(*f.spec)) {
        for (const auto& st : stretches) {
          if (st.from.ns <= f.spec->when.at->ns && f.spec->when.at->ns < st.to.ns) ctx.active = st.active;
        }
      }
      const int down_zone = zone_outage ? f.zone : -1;
      const double after = zone_outage ? route_availability(ctx, parts, zone, down_zone) : route_availability(ctx, parts, zone, {});
      const double seconds = zone_outage ? transient_seconds(m, p, f.zone, primaries[fi]) : target.behaviour.failover_time.mean() / 1e9;
      route.transient_loss += events * seconds * after;
    }
    route.availability = std::max(0.0, route.steady_state - route.transient_loss);
    out.routes.push_back(std::move(route));
  }
  double weighted = 0, steady = 0;
  for (const auto& r : out.routes) {
    weighted += r.share * r.availability;
    steady += r.share * r.steady_state;
  }
  out.availability = weighted;
  out.steady_state = steady;
  bool zone_faults = false, blocked = false, nat = false, spot_short = false;
  for (const auto& f : m.faults) {
    zone_faults = zone_faults || f.spec->effect == FaultEffect::ZoneOutage;
    nat = nat || f.spec->effect == FaultEffect::NatGatewayLoss;
    spot_short = spot_short || f.spec->effect == FaultEffect::SpotCapacityUnavailable;
  }
  for (const auto& c : m.components) {
    for (NodeId node : c.nodes) blocked = blocked || (c.role == Role::Service && !m.nodes[node].start_blocker.empty());
  }
  if (zone_faults) {
    out.notes.push_back("zone outages: steady state minus first-order transients (detection, DNS TTL, database failover); "
                        "launch delays and queueing on the surviving capacity are left to the simulation");
  }
  if (blocked) {
    out.notes.push_back("some ECS tasks cannot start (no image path): tasks lost with a zone are never replaced, "
                        "which the analytic figure counts only for the zone states it enumerates");
  }
  if (nat) out.notes.push_back("NAT gateway losses are not in the analytic figure");
  if (spot_short) {
    out.notes.push_back("Spot capacity shortages are not in the analytic figure: alone they stop nothing that runs, and the "
                        "replacements they delay are left to the simulation");
  }
  return out;
}

}  // namespace archsim::sim
