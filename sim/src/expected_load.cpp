// Expected traffic from the simulator's own run-time model: the same route plans, shares and
// behaviours a run walks, read as averages instead of sampled.
#include "archsim/sim/expected_load.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "from_runtime.hpp"
#include "components/kinds.hpp"
#include "runtime.hpp"

namespace archsim::sim {

const ExpectedComponent* ExpectedLoad::component(std::string_view id) const {
  for (const auto& c : components) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

namespace {

/// Expected arrivals in each hour of [warmup, horizon) (ArrivalSpec::expected_arrivals), or
/// the trace's records counted.
std::vector<double> hourly_arrivals(const WorkloadSpec& w, std::string& basis) {
  const std::int64_t hour = Duration::hours(1).ns;
  const std::int64_t begin = w.warmup.ns, end = w.horizon.ns;
  std::vector<double> out(static_cast<std::size_t>(std::max<std::int64_t>(1, (end - begin + hour - 1) / hour)), 0.0);
  if (w.arrivals.trace) {
    for (const auto& r : w.arrivals.trace->records) {
      if (r.time_ns >= begin && r.time_ns < end) out[static_cast<std::size_t>((r.time_ns - begin) / hour)] += 1;
    }
    basis = fmt::format("{} trace records in the measured {:.2f} h", w.arrivals.trace->records.size(),
                        static_cast<double>(end - begin) / static_cast<double>(hour));
    return out;
  }
  double total = 0;
  for (std::size_t h = 0; h < out.size(); ++h) {
    const std::int64_t from = begin + static_cast<std::int64_t>(h) * hour;
    out[h] = w.arrivals.expected_arrivals(Duration{from}, Duration{std::min(end, from + hour)});
    total += out[h];
  }
  const double hours = static_cast<double>(end - begin) / static_cast<double>(hour);
  basis = fmt::format("rate {:g}/s x mean profile multiplier {:.4f} (daily and weekend profiles and bursts over the {:.2f} h after warm-up)",
                      w.arrivals.rate_per_second, w.arrivals.rate_per_second > 0 ? total / (hours * 3600 * w.arrivals.rate_per_second) : 0.0,
                      hours);
  return out;
}

/// Each zone's share of a component's placements a call leaves from or arrives at: a load
/// balancer's nodes (clients spread over them), an ECS service's tasks, a database's primary.
std::map<int, double> zone_shares(const detail::RuntimeModel& m, const detail::ComponentModel& c) {
  const detail::KindFacts& k = detail::kind(c.role);
  std::map<int, double> out;
  if (!k.nodes_in_dns && !k.holds_task_slots) return out;
  // task_nodes: an ECS service's tasks, a database's primary alone.
  const std::vector<detail::NodeId>& nodes = k.nodes_in_dns ? c.nodes : c.task_nodes;
  for (const detail::NodeId n : nodes) {
    const int z = m.nodes[n].zone;
    if (z >= 0) out[z] += 1.0 / static_cast<double>(nodes.size());
  }
  return out;
}

/// The share of calls from hop `from` into hop `into` that cross zones, as the walk places them
/// (a load balancer without cross-zone balancing keeps them in its zone), and where the walk
/// meters each direction (RequestWalk::meter_cross_zone: on a load balancer end, else on the
/// sender).
void crossing(const detail::RuntimeModel& m, const detail::Hop& from, const detail::Hop& into, ExpectedVisit& v) {
  const auto& a = m.components[from.component];
  const auto& b = m.components[into.component];
  if (detail::kind(a.role).checks_targets && !from.cross_zone) return;
  const auto pa = zone_shares(m, a), pb = zone_shares(m, b);
  if (pa.empty() || pb.empty()) return;
  double same = 0;
  for (const auto& [z, share] : pa) same += pb.contains(z) ? share * pb.at(z) : 0.0;
  v.cross_zone = std::max(0.0, 1 - same);
  v.request_crossing_on = detail::kind(b.role).bills_crossings ? b.id : a.id;
  v.response_crossing_on = detail::kind(a.role).bills_crossings ? a.id : b.id;
}

}  // namespace

std::optional<ExpectedLoad> expected_load(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, std::string& error) {
  model::Diagnostic problem;
  const auto runtime = detail::build_runtime(topology, workload, defaults, problem);
  if (!runtime) {
    error = problem.message;
    return std::nullopt;
  }
  return detail::expected_load(*runtime, workload);
}

std::optional<WorkEstimate> estimate_work(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                          const SimDefaults& defaults, std::string& error) {
  const auto load = expected_load(topology, workload, defaults, error);
  if (!load) return std::nullopt;
  return estimate_work(*load, workload);
}

WorkEstimate estimate_work(const ExpectedLoad& load, const WorkloadSpec& workload) {
  WorkEstimate e;
  if (workload.arrivals.trace) {
    for (const auto& r : workload.arrivals.trace->records) e.requests += r.time_ns <= workload.horizon.ns ? 1 : 0;
  } else {
    e.requests = workload.arrivals.expected_arrivals(Duration{}, workload.horizon);
  }
  // Each route's entry and every component it visits (KrakenD's backends included).
  for (const auto& r : load.routes) e.hops_per_request += r.share * static_cast<double>(1 + r.visits.size());
  e.routes = static_cast<int>(std::max<std::size_t>(1, load.routes.size()));
  return e;
}

}  // namespace archsim::sim

namespace archsim::sim::detail {

ExpectedLoad expected_load(const RuntimeModel& m, const WorkloadSpec& workload) {
  ExpectedLoad load;
  load.hours = static_cast<double>(workload.horizon.ns - workload.warmup.ns) / 3.6e12;
  load.arrivals_per_hour = hourly_arrivals(workload, load.arrivals_basis);
  load.requests_per_connection = workload.connections.requests_per_connection;
  load.connection_seconds = workload.connections.duration.to_seconds();
  for (const auto& c : m.components) {
    ExpectedComponent e{c.id, c.type, c.behaviour, c.service_time.mean() / 1e9, c.memory_gb, c.rules_evaluated,
                        c.provisioned_concurrency, {}, {}};
    if (c.log_group) e.log_group = m.components[*c.log_group].id;
    for (const detail::NodeId n : c.nodes) {
      for (const auto& [service, path] : m.nodes[n].egress_via) {
        if (!path.via) continue;
        const std::string& id = m.components[*path.via].id;
        if (std::find(e.egress_via.begin(), e.egress_via.end(), id) == e.egress_via.end()) e.egress_via.push_back(id);
      }
    }
    load.components.push_back(std::move(e));
  }
  // A plan's visits: each hop reached by the share its cache hits leave, KrakenD's backends
  // after it; a synchronous hop waits for every later one.
  const auto visits_of = [&](const detail::RoutePlan& plan, double reach, auto&& self) -> std::vector<ExpectedVisit> {
    std::vector<ExpectedVisit> out;
    for (std::size_t h = 1; h < plan.hops.size(); ++h) {
      const auto& c = m.components[plan.hops[h].component];
      out.push_back({c.id, reach, h == 1 && m.components[plan.hops[0].component].role == detail::Role::Users,
                     0, 0, {}, {}});
      crossing(m, plan.hops[h - 1], plan.hops[h], out.back());
      for (int f : plan.hops[h].fanout) {
        for (auto& v : self(m.plans[static_cast<std::size_t>(f)], reach, self)) out.push_back(std::move(v));
      }
      reach *= 1 - detail::cache_hit_ratio(c);
    }
    double after = 0;
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      after += load.component(it->component)->service_seconds;
      it->downstream_seconds = after;
    }
    return out;
  };
  for (std::size_t i = 0; i < m.route_count; ++i) {
    const auto& plan = m.plans[i];
    load.routes.push_back({plan.id, plan.share, plan.request_size.mean(), plan.response_size.mean(), plan.write,
                           visits_of(plan, 1.0, visits_of)});
  }
  return load;
}

}  // namespace archsim::sim::detail
