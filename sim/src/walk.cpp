#include "walk.hpp"

#include "archsim/sim/expected_load.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace archsim::sim::detail {

std::uint64_t Replication::bytes_per_request() {
  // The request table (a vector: while it doubles, the old and the new copy both live), the
  // free list's index and the request's next event in the queue.
  return 3 * sizeof(Request) + sizeof(std::uint32_t) + sizeof(Event);
}

namespace {

Relation relation(const Node& a, const Node& b) {
  if (a.zone == kInternet || b.zone == kInternet) {
    const Node& other = a.zone == kInternet ? b : a;
    return other.zone == kEdge ? Relation::InternetToEdge : Relation::InternetToRegion;
  }
  if (a.zone == kEdge || b.zone == kEdge) return Relation::EdgeToRegion;
  if (a.zone >= 0 && b.zone >= 0) return a.zone == b.zone ? Relation::SameZone : Relation::CrossZone;
  return Relation::ZoneToRegional;
}

std::int64_t sample_ns(const Distribution& d, RandomStream& rng) { return d.sample_whole(rng, static_cast<double>(model::kMaxDuration.ns)); }

constexpr std::int64_t kMinuteNs = 60'000'000'000;
constexpr std::int64_t kHourNs = 3'600'000'000'000;

}  // namespace

Replication::Replication(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed)
    : model_(model),
      workload_(workload),
      horizon_(horizon),
      arrivals_rng_(derive_seed(seed, "arrivals")),
      mix_rng_(derive_seed(seed, "mix")) {
  max_in_flight_ = workload.max_in_flight.value_or(in_flight_for_memory(WorkloadLimits{}.in_flight_memory));
  self_ = engine_.add_handler(*this);
  seed_ = seed;
  for (std::size_t rel = 0; rel < kRelationNames.size(); ++rel) {
    const auto it = model_.network.find(std::string(kRelationNames[rel]));
    static const Distribution zero = Distribution::constant(0);
    delays_[rel] = it == model_.network.end() ? &zero : &it->second;
  }
  for (const auto& plan : model_.plans) size_rng_.emplace_back(derive_seed(seed, "route:" + plan.id));

  result_.replications = 1;
  result_.horizon = horizon_;
  result_.warmup = workload_.warmup;
  result_.timeline.resize(static_cast<std::size_t>((horizon_.ns + kMinuteNs - 1) / kMinuteNs));
  // The minutes that start before the warm-up ends: those time_availability skips (summarise).
  for (std::size_t i = 0; i < result_.timeline.size(); ++i) {
    result_.timeline[i].warmup = static_cast<std::int64_t>(i) * kMinuteNs < workload_.warmup.ns;
  }
  for (std::size_t i = 0; i < model_.route_count; ++i) result_.routes.push_back(RouteStats{model_.plans[i].id, {}, {}});
  result_.overall.route = "all";

  state_.resize(model_.components.size());
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const ComponentModel& c = model_.components[i];
    ComponentState& s = state_[i];
    s.rng = RandomStream(derive_seed(seed, "component:" + c.id));
    s.network = RandomStream(derive_seed(seed, "network:" + c.id));
    const int ci = static_cast<int>(i);
    s.faults = RandomStream(derive_seed(seed, "faults:" + c.id));
    for (int node : c.task_nodes) {
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
      int assumed = 0;
      for (const Task& t : s.tasks) {
        if (t.state != TaskState::Running) continue;
        total_slots_ += c.concurrency;
        ++s.billed;
        assumed += model_.nodes[static_cast<std::size_t>(t.node)].start_blocker.empty() ? 0 : 1;
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
    s.round_robin.assign(c.nodes.size() + 1, 0);
    if (c.role != Role::Users && c.role != Role::Passive) s.m_requests = add_meter(ci, Meter::Requests);
    bool zoned = false;
    for (int n : c.nodes) zoned = zoned || model_.nodes[static_cast<std::size_t>(n)].zone >= 0;
    if (zoned) s.m_cross_zone = add_meter(ci, Meter::CrossZoneBytes);
    switch (c.role) {
      case Role::Balancer:
        s.m_bytes = add_meter(ci, Meter::ProcessedBytes);
        s.m_new_connections = add_meter(ci, Meter::NewConnections);
        s.m_connection_seconds = add_meter(ci, Meter::ConnectionSeconds);
        if (c.kind == "load_balancer.application") s.m_rule_evaluations = add_meter(ci, Meter::RuleEvaluations);
        s.m_data_out = add_meter(ci, Meter::InternetOutBytes);
        break;
      case Role::Service:
        s.m_task_seconds = add_meter(ci, Meter::TaskSeconds);
        s.m_vcpu_seconds = add_meter(ci, Meter::VcpuSeconds);
        s.m_gb_seconds = add_meter(ci, Meter::GbSeconds);
        s.m_data_out = add_meter(ci, Meter::InternetOutBytes);
        s.m_top_up = add_meter(ci, Meter::MinimumTopUpSeconds);
        if (!c.target_tracking.empty() || !c.step_scaling.empty() || !c.scheduled_actions.empty()) {
          // Scaling that can reach zero: the time at zero, and how long each return from it took.
          s.m_zero_seconds = add_meter(ci, Meter::SecondsAtZero);
          s.m_from_zero = add_meter(ci, Meter::ScaleOutsFromZero);
          s.m_from_zero_seconds = add_meter(ci, Meter::SecondsToFirstTask);
        }
        break;
      case Role::Function:
        s.m_gb_seconds = add_meter(ci, Meter::GbSeconds);
        s.m_cold_starts = add_meter(ci, Meter::ColdStarts);
        s.m_init_seconds = add_meter(ci, Meter::InitSeconds);
        if (c.provisioned_concurrency > 0) {
          // Provisioned concurrency is billed for the environments kept ready (GB-s of memory
          // configured, whether used or not) and, at its own rate, for the invocations they serve.
          s.m_provisioned_seconds = add_meter(ci, Meter::ProvisionedGbSeconds);
          s.m_provisioned_duration = add_meter(ci, Meter::ProvisionedDurationGbSeconds);
        }
        break;
      case Role::Table:
        s.m_read_units = add_meter(ci, Meter::ReadUnits);
        s.m_write_units = add_meter(ci, Meter::WriteUnits);
        break;
      case Role::Database: s.m_instance_seconds = add_meter(ci, Meter::InstanceSeconds); break;
      case Role::Edge:
        s.m_cache_hits = add_meter(ci, Meter::CacheHits);
        s.m_data_out = add_meter(ci, Meter::InternetOutBytes);
        break;
      case Role::Gateway:
        // HTTP APIs count a request once per started size increment (behaviour.yaml).
        if (c.behaviour.metering_increment.count > 0) s.m_metered_requests = add_meter(ci, Meter::MeteredRequests);
        s.m_data_out = add_meter(ci, Meter::InternetOutBytes);
        break;
      case Role::Store: {
        s.m_data_out = add_meter(ci, Meter::InternetOutBytes);
        // S3 bills writes at another rate than reads (`requests` are the GETs); the meter
        // exists only where a route writes, so a read-only bucket's bill is unchanged.
        bool written = false;
        for (const auto& plan : model_.plans) {
          for (const auto& hop : plan.hops) written = written || (plan.write && hop.component == ci);
        }
        if (written) s.m_put_requests = add_meter(ci, Meter::PutRequests);
        break;
      }
      case Role::Users: break;
      case Role::Passive:
        if (c.type == model::ComponentType::NatGateway || c.type == model::ComponentType::VpcEndpoint) {
          s.m_bytes = add_meter(ci, Meter::ProcessedBytes);
        }
        if (c.type == model::ComponentType::LogGroup) s.m_log_bytes = add_meter(ci, Meter::IngestedBytes);
        break;
    }
    if (c.role == Role::Table) {
      s.read_tokens = c.read_units_per_second * model_.dynamodb_burst_seconds;
      s.write_tokens = c.write_units_per_second * model_.dynamodb_burst_seconds;
    }
  }
  for (const auto& d : model_.deployments) {
    ComponentState& s = state_[static_cast<std::size_t>(d.service)];
    if (s.m_deployment_seconds < 0) s.m_deployment_seconds = add_meter(d.service, Meter::DeploymentTaskSeconds);
  }
  zone_down_.assign(model_.zones.size(), 0);
  fault_generation_.assign(model_.faults.size(), 0);
  result_.minute_error_threshold = model_.minute_error_threshold;
}

int Replication::add_meter(int component, Meter meter) {
  const Duration measured{horizon_.ns - workload_.warmup.ns};
  UsageMeter m;
  m.component = model_.components[static_cast<std::size_t>(component)].id;
  m.meter = std::string(meter_name(meter));
  m.unit = std::string(meter_info(meter).unit);
  m.hourly.assign(static_cast<std::size_t>((measured.ns + kHourNs - 1) / kHourNs), 0.0);
  result_.usage.push_back(std::move(m));
  return static_cast<int>(result_.usage.size() - 1);
}

void Replication::meter(int id, double amount, std::int64_t at_ns) {
  if (id < 0) return;
  const std::int64_t since = (at_ns < 0 ? engine_.now().ns : at_ns) - workload_.warmup.ns;
  if (since < 0) return;
  auto& hourly = result_.usage[static_cast<std::size_t>(id)].hourly;
  if (hourly.empty()) return;
  const auto hour = std::min(static_cast<std::size_t>(since / kHourNs), hourly.size() - 1);
  hourly[hour] += amount;
}

// ---------------------------------------------------------------- running

}  // namespace archsim::sim::detail

namespace archsim::sim {

std::uint64_t in_flight_for_memory(std::uint64_t bytes) {
  return std::max<std::uint64_t>(1, bytes / detail::Replication::bytes_per_request());
}

}  // namespace archsim::sim

namespace archsim::sim::detail {

std::optional<model::Diagnostic> Replication::run(const std::function<void(const Progress&)>& progress, int index) {
  schedule_next_arrival();
  schedule_scaling();
  schedule_faults();
  schedule_deployments();
  start_services();
  if (kMinuteNs <= horizon_.ns) engine_.schedule_at(Time{kMinuteNs}, self_, kMinute);
  std::uint64_t events = 0;
  RunStats stats;
  // Run an hour at a time so progress can be reported and the in-flight limit checked.
  for (std::int64_t until = kHourNs;; until += kHourNs) {
    const Time stop{std::min(until, horizon_.ns)};
    events_ = events;
    stats = engine_.run(stop, workload_.max_events - std::min(workload_.max_events, events + candidates_));
    events += stats.events;
    if (progress) progress(Progress{stop, horizon_, events, index});
    // Whole seconds: where in the run it stopped, not the nanosecond of the last event.
    const std::string stopped_at = model::format_duration(Duration{engine_.now().ns / 1'000'000'000 * 1'000'000'000});
    if (overloaded_) {
      return model::Diagnostic{
          model::Severity::Error, {}, workload_.path + ".limits.max_in_flight",
          fmt::format("more than {} requests in flight at {}: the design cannot keep up with this workload "
                      "(queues are growing without bound); lower the rate, bound the queues, or raise the limit",
                      max_in_flight_, stopped_at)};
    }
    if (stats.reason == StopReason::EventLimit || overworked_) {
      return model::Diagnostic{model::Severity::Error, {}, workload_.path + ".limits.max_events",
                               fmt::format("the run reached its work limit ({} events and arrival candidates) at {} of {}; raise "
                                           "workload.limits.max_events or shorten the horizon",
                                           workload_.max_events, stopped_at, model::format_duration(horizon_))};
    }
    if (stop.ns >= horizon_.ns || stats.reason == StopReason::QueueEmpty) break;
  }
  result_.events = events;
  summarise();
  return std::nullopt;
}

void Replication::summarise() {
  ReplicationMetrics m;
  m.outcomes = result_.overall.outcomes;
  m.availability = result_.availability();
  m.p50_ns = result_.overall.latency.quantile(0.50);
  m.p95_ns = result_.overall.latency.quantile(0.95);
  m.p99_ns = result_.overall.latency.quantile(0.99);
  // Minutes after the warm-up whose error rate stayed at or under the threshold; a minute
  // without requests counts as available.
  const auto first = static_cast<std::size_t>((workload_.warmup.ns + kMinuteNs - 1) / kMinuteNs);
  std::size_t minutes = 0, good = 0;
  for (std::size_t i = first; i < result_.timeline.size(); ++i) {
    const MinuteSample& sample = result_.timeline[i];
    ++minutes;
    if (sample.arrivals == 0 ||
        static_cast<double>(sample.errors) <= model_.minute_error_threshold * static_cast<double>(sample.arrivals)) {
      ++good;
    }
  }
  m.time_availability = minutes == 0 ? 1.0 : static_cast<double>(good) / static_cast<double>(minutes);
  m.usage = result_.usage;
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    if (model_.components[i].role != Role::Service) continue;
    account_capacity(static_cast<int>(i), horizon_.ns);
    ComponentState& s = state_[i];
    // A stretch below the desired count still open at the end lasts (at least) to the horizon.
    if (s.below_since_ns >= 0) s.longest_below_ns = std::max(s.longest_below_ns, horizon_.ns - std::max(s.below_since_ns, workload_.warmup.ns));
    m.seconds_below_desired += s.below_ns / 1e9;
    m.longest_below_desired_seconds = std::max(m.longest_below_desired_seconds, static_cast<double>(s.longest_below_ns) / 1e9);
    m.capacity_at_end.push_back({model_.components[i].id, s.in_service, s.desired});
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
  result_.per_replication.push_back(std::move(m));
}

SimResult Replication::take_result() { return std::move(result_); }

void Replication::on_event(Engine&, const Event& event) {
  const auto id = static_cast<std::uint32_t>(event.payload);
  switch (event.kind) {
    case kArrival:
      if (workload_.arrivals.trace) {
        const auto& record = workload_.arrivals.trace->records[event.payload];
        admit(engine_.now(), model_.trace_plans[event.payload], record.request_bytes, record.response_bytes);
      } else {
        admit(engine_.now(), pick_plan(), -1, -1);
      }
      schedule_next_arrival();
      break;
    case kReachHop: arrive_at_hop(id); break;
    case kWorkDone: work_done(id); break;
    case kReachBack: reach_back(id); break;
    case kMinute: on_minute(); break;
    case kConnectTimedOut: fail(id, Outcome::SecurityGroupBlocked); break;
    default: on_fault(event.kind, event.payload); break;
  }
}

// ---------------------------------------------------------------- traffic

void Replication::schedule_next_arrival() {
  const ArrivalSpec& a = workload_.arrivals;
  if (a.trace) {
    if (trace_next_ >= a.trace->records.size()) return;
    const std::int64_t at = a.trace->records[trace_next_].time_ns;
    if (at > horizon_.ns) return;
    engine_.schedule_at(Time{at}, self_, kArrival, trace_next_++);
    return;
  }
  // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with probability
  // rate(t) / peak, give exactly the non-homogeneous Poisson process.
  const double peak = a.max_rate();
  if (peak <= 0) return;
  const double mean_gap_ns = 1e9 / peak;
  double t = static_cast<double>(engine_.now().ns);
  for (;;) {
    // Every candidate is work, kept or not: counted against max_events, so a rate profile
    // that thins nearly every candidate away still ends (the events alone would not grow).
    if (++candidates_ + events_ >= workload_.max_events) {
      overworked_ = true;
      engine_.stop();
      return;
    }
    t += arrivals_rng_.exponential(mean_gap_ns);
    if (t > static_cast<double>(horizon_.ns)) return;
    const Time at{static_cast<std::int64_t>(t)};
    if (!a.time_varying() || arrivals_rng_.uniform() * peak < a.rate_at(at)) {
      engine_.schedule_at(at, self_, kArrival);
      return;
    }
  }
}

std::uint32_t Replication::pick_plan() {
  if (model_.route_count == 1) return 0;
  double u = mix_rng_.uniform();
  for (std::size_t p = 0; p + 1 < model_.route_count; ++p) {
    u -= model_.plans[p].share;
    if (u < 0) return static_cast<std::uint32_t>(p);
  }
  return static_cast<std::uint32_t>(model_.route_count - 1);
}

std::uint32_t Replication::allocate() {
  ++in_flight_;
  if (in_flight_ > max_in_flight_) {
    overloaded_ = true;
    engine_.stop();
  }
  if (!free_.empty()) {
    const std::uint32_t id = free_.back();
    free_.pop_back();
    requests_[id] = Request{};
    return id;
  }
  requests_.emplace_back();
  return static_cast<std::uint32_t>(requests_.size() - 1);
}

void Replication::free(std::uint32_t id) {
  --in_flight_;
  free_.push_back(id);
}

void Replication::admit(Time at, std::uint32_t plan, std::int64_t request_bytes, std::int64_t response_bytes) {
  const RoutePlan& p = model_.plans[plan];
  const std::uint32_t id = allocate();
  Request& r = requests_[id];
  r.plan = plan;
  r.parent = kNone;
  r.start_ns = at.ns;
  r.measured = at.ns >= workload_.warmup.ns;
  RandomStream& rng = size_rng_[plan];
  r.request_bytes = request_bytes >= 0 ? request_bytes : p.request_size.sample_whole(rng, kMaxSampledBytes);
  r.response_bytes = response_bytes >= 0 ? response_bytes : p.response_size.sample_whole(rng, kMaxSampledBytes);
  const ComponentModel& first = model_.components[static_cast<std::size_t>(p.hops[0].component)];
  r.node[0] = first.nodes.front();
  r.hop = 0;
  auto& minute = result_.timeline[std::min(static_cast<std::size_t>(at.ns / kMinuteNs), result_.timeline.size() - 1)];
  ++minute.arrivals;
  forward(id);
}

// ---------------------------------------------------------------- the walk

void Replication::meter_cross_zone(const Node& from, const Node& to, double bytes) {
  if (from.zone < 0 || to.zone < 0 || from.zone == to.zone) return;
  // AWS bills a crossing with a load balancer at one end by the load balancer's type (free
  // for Application and Classic, EC2 data transfer for Network: docs/pricing.md), so such a
  // crossing, both directions, is metered on the load balancer; any other on the sender.
  const bool to_balancer = model_.components[static_cast<std::size_t>(to.component)].role == Role::Balancer;
  const int on = to_balancer ? to.component : from.component;
  meter(state_[static_cast<std::size_t>(on)].m_cross_zone, bytes);
}

Duration Replication::network_delay(const Node& from, const Node& to, ComponentState& into) {
  return Duration{sample_ns(*delays_[static_cast<std::size_t>(relation(from, to))], into.network)};
}

Outcome Replication::pick_target(Request& r, int next, int from_node) {
  const RoutePlan& plan = model_.plans[r.plan];
  const Hop& here = plan.hops[static_cast<std::size_t>(r.hop)];
  const int ci = plan.hops[static_cast<std::size_t>(next)].component;
  const ComponentModel& c = model_.components[static_cast<std::size_t>(ci)];
  ComponentState& s = state_[static_cast<std::size_t>(ci)];
  r.slot[next] = -1;
  if (c.role == Role::Service) {
    ++s.minute_requests;  // sent to the service, target or not (ALB RequestCountPerTarget)
    const ComponentModel& caller = model_.components[static_cast<std::size_t>(here.component)];
    const bool balanced = caller.role == Role::Balancer;
    const int zone = model_.nodes[static_cast<std::size_t>(from_node)].zone;
    // Mid blue/green, the listener's weights pick a target group (task set) first.
    int only_release = -1;
    if (balanced && s.rollout.two_sets()) {
      const double green = s.rollout.green_share;
      only_release = green >= 1 || (green > 0 && s.rng.uniform() < green) ? s.rollout.to : s.rollout.from;
    }
    // A load balancer node without cross-zone balancing sends only to targets in its zone.
    auto eligible = [&](const Task& t) {
      return t.registered && (only_release < 0 || t.release == only_release) &&
             (!balanced || here.cross_zone || model_.nodes[static_cast<std::size_t>(t.node)].zone == zone);
    };
    // Load balancers send to healthy targets; when none is healthy they fail open and send
    // to every registered target (ELB documents both). Callers without a load balancer
    // (service discovery, public task IPs) know no health.
    bool any_healthy = false;
    for (const Task& t : s.tasks) any_healthy = any_healthy || (eligible(t) && t.healthy);
    const bool need_healthy = balanced && any_healthy;
    ComponentState& picker = balanced ? state_[static_cast<std::size_t>(here.component)] : s;
    const ComponentModel& picker_model = balanced ? caller : c;
    std::size_t cursor_slot = 0;
    if (balanced) {
      const auto it = std::find(picker_model.nodes.begin(), picker_model.nodes.end(), from_node);
      cursor_slot = static_cast<std::size_t>(it - picker_model.nodes.begin());
    }
    std::uint32_t& cursor = picker.round_robin[std::min(cursor_slot, picker.round_robin.size() - 1)];
    const std::size_t n = s.tasks.size();
    int chosen = -1;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (cursor + k) % n;
      if (!eligible(s.tasks[i]) || (need_healthy && !s.tasks[i].healthy)) continue;
      if (chosen < 0 || (here.least_outstanding && s.tasks[i].outstanding < s.tasks[static_cast<std::size_t>(chosen)].outstanding)) {
        chosen = static_cast<int>(i);
        if (!here.least_outstanding) break;
      }
    }
    if (chosen < 0) return Outcome::NoHealthyTarget;  // nothing registered: the 503 ELB documents
    cursor = static_cast<std::uint32_t>((static_cast<std::size_t>(chosen) + 1) % n);
    Task& task = s.tasks[static_cast<std::size_t>(chosen)];
    ++task.outstanding;
    r.node[next] = task.node;
    r.slot[next] = chosen;
    r.generation[next] = task.generation;
    return Outcome::Ok;
  }
  if (c.role == Role::Database) {
    if (s.tasks.empty()) return Outcome::NoHealthyTarget;
    const Task& task = s.tasks.front();
    if (task.state != TaskState::Running) return Outcome::DependencyDown;
    r.node[next] = task.node;
    r.slot[next] = 0;
    r.generation[next] = task.generation;
    return Outcome::Ok;
  }
  const int node = pick_node(c, s);
  if (node < 0) return Outcome::NoHealthyTarget;
  r.node[next] = node;
  return Outcome::Ok;
}

int Replication::pick_node(const ComponentModel& c, ComponentState& s) {
  if (c.nodes.empty()) return -1;
  if (c.nodes.size() == 1) return c.nodes.front();
  if (c.role != Role::Balancer) {
    // Zonal placements of other components (VPC-attached functions, endpoints): any live one.
    const std::size_t start = s.rng.below(c.nodes.size());
    for (std::size_t k = 0; k < c.nodes.size(); ++k) {
      const int node = c.nodes[(start + k) % c.nodes.size()];
      if (!node_down(node)) return node;
    }
    return c.nodes[start];
  }
  // DNS answers with the address of every listed node and clients spread over them evenly.
  // After a change, clients still use the previous answer until their cached copy expires:
  // caches expire uniformly over the TTL, so the share on the old answer falls linearly.
  const std::vector<char>* answer = &s.dns_listed;
  if (s.dns_changed_ns >= 0 && c.behaviour.dns_ttl.ns > 0) {
    const double age = static_cast<double>(engine_.now().ns - s.dns_changed_ns) / static_cast<double>(c.behaviour.dns_ttl.ns);
    if (age < 1 && s.rng.uniform() >= age) answer = &s.dns_previous;
  }
  int listed = 0;
  for (char l : *answer) listed += l;
  if (listed == 0) return c.nodes[s.rng.below(c.nodes.size())];
  auto k = static_cast<int>(s.rng.below(static_cast<std::size_t>(listed)));
  for (std::size_t i = 0; i < answer->size(); ++i) {
    if ((*answer)[i] && k-- == 0) return c.nodes[i];
  }
  return c.nodes.front();
}

void Replication::forward(std::uint32_t id) {
  Request& r = requests_[id];
  const RoutePlan& plan = model_.plans[r.plan];
  const int h = r.hop;
  const Hop& hop = plan.hops[static_cast<std::size_t>(h)];
  r.sent_ns[h] = engine_.now().ns;
  if (!hop.fanout.empty()) {
    // KrakenD: every backend at once; the answer waits for the slowest (reach_back).
    r.pending_children = static_cast<FanoutCount>(hop.fanout.size());
    const Request parent = r;
    for (int sub : hop.fanout) {
      const std::uint32_t child = allocate();
      Request& c = requests_[child];
      c.plan = static_cast<std::uint32_t>(sub);
      c.parent = id;
      c.start_ns = parent.start_ns;
      c.measured = parent.measured;
      c.request_bytes = parent.request_bytes;
      c.response_bytes = parent.response_bytes;
      c.node[0] = parent.node[h];
      c.hop = 0;
      forward(child);
    }
    return;
  }
  const int next = h + 1;
  if (!plan.hops[static_cast<std::size_t>(next)].no_path.empty()) {
    fail(id, Outcome::Unreachable);  // nothing to connect to: the caller answers at once
    return;
  }
  if (!plan.hops[static_cast<std::size_t>(next)].blocked.empty()) {
    // The security groups drop the connection attempt: the caller gives up after its connect
    // timeout (an ALB answers 504 after 10 s) and the next hop never sees the request.
    const ComponentModel& caller = model_.components[static_cast<std::size_t>(hop.component)];
    engine_.schedule_in(caller.behaviour.connect_timeout, self_, kConnectTimedOut, id);
    return;
  }
  if (const Outcome picked = pick_target(r, next, r.node[h]); picked != Outcome::Ok) {
    fail(id, picked);
    return;
  }
  const Node& from = model_.nodes[static_cast<std::size_t>(r.node[h])];
  const Node& to = model_.nodes[static_cast<std::size_t>(r.node[next])];
  const ComponentModel& target = model_.components[static_cast<std::size_t>(to.component)];
  ComponentState& into = state_[static_cast<std::size_t>(to.component)];
  Duration delay = network_delay(from, to, into);
  for (const Distribution* slow : into.slow) delay = delay + Duration{sample_ns(*slow, into.faults)};
  meter_cross_zone(from, to, static_cast<double>(r.request_bytes));
  if (!target.service.empty() && from.zone >= 0) {
    const auto via = from.egress_via.find(target.service);
    const int path = via == from.egress_via.end() ? kDirect : via->second;
    if (path == kNoPath || (path >= 0 && component_down(path))) {
      fail(id, Outcome::Unreachable);
      return;
    }
    if (path >= 0) {
      meter(state_[static_cast<std::size_t>(path)].m_bytes, static_cast<double>(r.request_bytes));
      delay = delay + Duration{sample_ns(model_.components[static_cast<std::size_t>(path)].service_time,
                                         state_[static_cast<std::size_t>(path)].rng)};
    }
  }
  r.hop = static_cast<std::int8_t>(next);
  engine_.schedule_in(delay, self_, kReachHop, id);
}

void Replication::arrive_at_hop(std::uint32_t id) {
  Request& r = requests_[id];
  const int h = r.hop;
  const int ci = model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component;
  const ComponentModel& c = model_.components[static_cast<std::size_t>(ci)];
  ComponentState& s = state_[static_cast<std::size_t>(ci)];
  // Lambda bills the invocations it runs (a function error included), not those it throttles;
  // S3 bills a write apart from a read.
  if (c.role == Role::Store && model_.plans[r.plan].write) meter(s.m_put_requests, 1);
  else if (c.role != Role::Function) meter(s.m_requests, 1);
  if (s.m_metered_requests >= 0) {
    const std::int64_t increment = c.behaviour.metering_increment.count;
    meter(s.m_metered_requests, static_cast<double>(std::max<std::int64_t>(1, (r.request_bytes + increment - 1) / increment)));
  }
  if (c.role == Role::Service) {
    ++s.alarm_requests;
    r.reached |= static_cast<std::uint8_t>(1u << h);
  }
  r.began_ns[h] = engine_.now().ns;
  if (node_down(r.node[h])) {
    fail(id, c.role == Role::Balancer   ? Outcome::LoadBalancerDown
             : c.role == Role::Service  ? Outcome::TargetDown
             : c.role == Role::Database ? Outcome::DependencyDown
                                        : Outcome::Unreachable);
    return;
  }
  if (s.error_rate > 0 && s.faults.uniform() < s.error_rate) {
    if (c.role == Role::Function) meter(s.m_requests, 1);
    fail(id, Outcome::DependencyError);
    return;
  }
  switch (c.role) {
    case Role::Balancer: {
      meter(s.m_bytes, static_cast<double>(r.request_bytes + r.response_bytes));
      s.connection_carry += 1.0 / workload_.connections.requests_per_connection;
      if (s.connection_carry >= 1.0) {
        const double whole = std::floor(s.connection_carry);
        s.connection_carry -= whole;
        meter(s.m_new_connections, whole);
        meter(s.m_connection_seconds, whole * workload_.connections.duration.to_seconds());
      }
      meter(s.m_rule_evaluations, c.rules_evaluated);
      engine_.schedule_in(Duration{sample_ns(c.service_time, s.rng)}, self_, kWorkDone, id);
      return;
    }
    case Role::Gateway: {
      std::int64_t t = sample_ns(c.service_time, s.rng);
      if (c.authorizer) t += sample_ns(c.behaviour.authorizer_time, s.rng);
      engine_.schedule_in(Duration{t}, self_, kWorkDone, id);
      return;
    }
    case Role::Service:
    case Role::Database: {
      Task& task = s.tasks[static_cast<std::size_t>(r.slot[h])];
      if (task.generation != r.generation[h] || task.state != TaskState::Running) {
        // It died while the request was on its way: refused (502), or the database is down.
        fail(id, c.role == Role::Service ? Outcome::TargetDown : Outcome::DependencyDown);
        return;
      }
      if (task.busy < c.concurrency) {
        start_service(id, h, c);
      } else if (static_cast<int>(task.queue.size()) < c.behaviour.queue_length) {
        task.queue.push_back(id);
      } else {
        fail(id, Outcome::QueueFull);
      }
      return;
    }
    case Role::Function: {
      // Environments idle longer than the reclaim period are gone; the rest are reused
      // most recently used first.
      const std::int64_t reclaim = c.behaviour.idle_reclaim.ns;
      while (!s.idle_since.empty() && reclaim > 0 && engine_.now().ns - s.idle_since.front() > reclaim) {
        s.idle_since.erase(s.idle_since.begin());
      }
      // Provisioned environments are initialised ahead and kept: they take requests first, and
      // only the concurrency beyond them starts on-demand environments (lambda-concurrency.html).
      const bool provisioned = s.provisioned_busy < c.provisioned_concurrency;
      // A free provisioned environment always serves. Beyond them, reserved concurrency is the
      // function's own (provisioned environments included); the others share the account's rest.
      const bool from_pool = c.account_pool && !provisioned;
      if (!provisioned && (from_pool ? lambda_pool_in_use_ >= model_.lambda_unreserved_concurrency : s.in_use >= c.concurrency)) {
        fail(id, Outcome::Throttled);
        return;
      }
      meter(s.m_requests, 1);
      ++s.in_use;
      if (from_pool) ++lambda_pool_in_use_;
      r.held |= static_cast<std::uint8_t>(1u << h);
      std::int64_t init = 0;
      if (provisioned) {
        ++s.provisioned_busy;
        r.provisioned |= static_cast<std::uint8_t>(1u << h);
      } else if (s.idle_since.empty()) {
        init = sample_ns(c.behaviour.cold_start, s.rng);
        meter(s.m_cold_starts, 1);
        meter(s.m_init_seconds, static_cast<double>(init) / 1e9);
      } else {
        s.idle_since.pop_back();
      }
      // Billed from the start of INIT: since 1 August 2025 Lambda bills the INIT phase of
      // on-demand invocations for every runtime and package type (AWS Compute Blog, "AWS
      // Lambda standardizes billing for INIT Phase", 2025-04-29).
      r.began_ns[h] = engine_.now().ns;
      std::int64_t run = sample_ns(c.service_time, s.rng);
      if (c.behaviour.timeout.ns > 0 && run > c.behaviour.timeout.ns) {
        run = c.behaviour.timeout.ns;
        r.outcome = Outcome::Timeout;
      }
      log_request(c, r.node[h]);
      engine_.schedule_in(Duration{init + run}, self_, kWorkDone, id);
      return;
    }
    case Role::Table: {
      const auto [reads, writes] = table_units_per_request(c.behaviour);
      if (!take_capacity(s, c, reads, writes)) {
        fail(id, Outcome::Throttled);
        return;
      }
      meter(s.m_read_units, reads);
      meter(s.m_write_units, writes);
      engine_.schedule_in(Duration{sample_ns(c.service_time, s.rng)}, self_, kWorkDone, id);
      return;
    }
    case Role::Edge:
    case Role::Store:
    case Role::Passive:
    case Role::Users: engine_.schedule_in(Duration{sample_ns(c.service_time, s.rng)}, self_, kWorkDone, id); return;
  }
}

bool Replication::take_capacity(ComponentState& s, const ComponentModel& c, double reads, double writes) {
  // Token buckets refilled at the table's capacity per second, holding at most the burst
  // allowance; a request that finds too few tokens is throttled.
  const double elapsed = static_cast<double>(engine_.now().ns - s.tokens_at_ns) / 1e9;
  s.tokens_at_ns = engine_.now().ns;
  s.read_tokens = std::min(s.read_tokens + elapsed * c.read_units_per_second, c.read_units_per_second * model_.dynamodb_burst_seconds);
  s.write_tokens = std::min(s.write_tokens + elapsed * c.write_units_per_second, c.write_units_per_second * model_.dynamodb_burst_seconds);
  if (s.read_tokens < reads || s.write_tokens < writes) return false;
  s.read_tokens -= reads;
  s.write_tokens -= writes;
  return true;
}

void Replication::start_service(std::uint32_t id, int hop, const ComponentModel& c) {
  Request& r = requests_[id];
  ComponentState& s = state_[static_cast<std::size_t>(model_.nodes[static_cast<std::size_t>(r.node[hop])].component)];
  Task& task = s.tasks[static_cast<std::size_t>(r.slot[hop])];
  ++task.busy;
  if (c.role == Role::Service) {
    account_busy();
    account_service(model_.nodes[static_cast<std::size_t>(r.node[hop])].component);
    ++busy_slots_;
    ++s.busy;
  }
  r.held |= static_cast<std::uint8_t>(1u << hop);
  r.began_ns[hop] = engine_.now().ns;
  log_request(c, r.node[hop]);
  std::int64_t work = sample_ns(c.service_time, s.rng);
  if (const ReleaseSpec* release = releases_[task.release]; release != nullptr && release->added_latency) {
    work += sample_ns(*release->added_latency, s.faults);
  }
  engine_.schedule_in(Duration{work}, self_, kWorkDone, id);
}

void Replication::log_request(const ComponentModel& c, int node) {
  if (c.log_group < 0 || c.behaviour.log_bytes_per_request.count <= 0) return;
  const auto bytes = static_cast<double>(c.behaviour.log_bytes_per_request.count);
  const Node& n = model_.nodes[static_cast<std::size_t>(node)];
  const auto via = n.egress_via.find("logs");
  const int path = via == n.egress_via.end() ? kDirect : via->second;
  if (path == kNoPath || (path >= 0 && component_down(path))) return;  // the awslogs driver cannot deliver
  if (path >= 0) meter(state_[static_cast<std::size_t>(path)].m_bytes, bytes);
  meter(state_[static_cast<std::size_t>(c.log_group)].m_log_bytes, bytes);
}

void Replication::work_done(std::uint32_t id) {
  Request& r = requests_[id];
  const RoutePlan& plan = model_.plans[r.plan];
  const int h = r.hop;
  const Hop& hop = plan.hops[static_cast<std::size_t>(h)];
  const ComponentModel& c = model_.components[static_cast<std::size_t>(hop.component)];
  ComponentState& s = state_[static_cast<std::size_t>(hop.component)];
  if ((c.role == Role::Service || c.role == Role::Database) && r.slot[h] >= 0 &&
      s.tasks[static_cast<std::size_t>(r.slot[h])].generation != r.generation[h]) {
    // The task (or database instance) died while serving it: the connection breaks.
    fail(id, c.role == Role::Service ? Outcome::TargetDown : Outcome::DependencyDown);
    return;
  }
  if (c.role == Role::Service && r.slot[h] >= 0) {
    // A bad release answers a share of its requests with a 5xx once it has worked on them.
    const ReleaseSpec* release = releases_[s.tasks[static_cast<std::size_t>(r.slot[h])].release];
    if (release != nullptr && release->error_rate > 0 && s.faults.uniform() < release->error_rate) {
      fail(id, Outcome::ReleaseError);
      return;
    }
  }
  if (c.role == Role::Edge && s.rng.uniform() < c.behaviour.cache_hit_ratio) {
    meter(s.m_cache_hits, 1);
    respond(id);
    return;
  }
  if (r.outcome == Outcome::Ok && (static_cast<std::size_t>(h) + 1 < plan.hops.size() || !hop.fanout.empty())) {
    forward(id);
  } else {
    respond(id);
  }
}

void Replication::fail(std::uint32_t id, Outcome cause) {
  Request& r = requests_[id];
  if (r.outcome == Outcome::Ok) r.outcome = cause;
  respond(id);
}

void Replication::release(Request& r, int hop) {
  const auto bit = static_cast<std::uint8_t>(1u << hop);
  const int ci = model_.nodes[static_cast<std::size_t>(r.node[hop])].component;
  const ComponentModel& c = model_.components[static_cast<std::size_t>(ci)];
  ComponentState& s = state_[static_cast<std::size_t>(ci)];
  const bool tasked = (c.role == Role::Service || c.role == Role::Database) && r.slot[hop] >= 0;
  if (tasked && s.tasks[static_cast<std::size_t>(r.slot[hop])].generation != r.generation[hop]) {
    // The task it was on died while it waited downstream: the answer has nowhere to go back
    // to (its counters were reset when it died).
    r.held = static_cast<std::uint8_t>(r.held & ~bit);
    if (r.outcome == Outcome::Ok) r.outcome = c.role == Role::Service ? Outcome::TargetDown : Outcome::DependencyDown;
    return;
  }
  if (tasked) {
    Task& task = s.tasks[static_cast<std::size_t>(r.slot[hop])];
    --task.outstanding;
    if (task.draining && task.outstanding == 0 && (r.held & bit) == 0) finish_drain(ci, r.slot[hop]);
  }
  if ((r.held & bit) == 0) return;
  r.held = static_cast<std::uint8_t>(r.held & ~bit);
  if (c.role == Role::Function) {
    --s.in_use;
    if (c.account_pool && (r.provisioned & bit) == 0) --lambda_pool_in_use_;
    // Billed duration rounds up to the millisecond.
    const double ms = std::ceil(static_cast<double>(engine_.now().ns - r.began_ns[hop]) / 1e6);
    if ((r.provisioned & bit) != 0) {
      r.provisioned = static_cast<std::uint8_t>(r.provisioned & ~bit);
      --s.provisioned_busy;
      meter(s.m_provisioned_duration, ms / 1000.0 * c.memory_gb);
    } else {
      s.idle_since.push_back(engine_.now().ns);
      meter(s.m_gb_seconds, ms / 1000.0 * c.memory_gb);
    }
    return;
  }
  Task& task = s.tasks[static_cast<std::size_t>(r.slot[hop])];
  --task.busy;
  if (c.role == Role::Service) {
    account_busy();
    account_service(ci);
    --busy_slots_;
    --s.busy;
  }
  if (!task.queue.empty()) {
    const std::uint32_t next = task.queue.front();
    task.queue.pop_front();
    start_service(next, requests_[next].hop, c);
  } else if (task.draining && task.outstanding == 0) {
    finish_drain(ci, r.slot[hop]);
  }
}

void Replication::respond(std::uint32_t id) {
  Request& r = requests_[id];
  const int h = r.hop;
  release(r, h);
  // A service answers a request that failed at it or below it with a 5xx: a target error, what
  // its rollback alarm counts.
  if ((r.reached & (1u << h)) != 0) {
    ComponentState& service = state_[static_cast<std::size_t>(model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component)];
    if (r.outcome != Outcome::Ok) ++service.alarm_errors;
    // TargetResponseTime: from the request reaching the target to its response leaving it.
    ++service.alarm_responses;
    service.alarm_response_ns += engine_.now().ns - r.began_ns[h];
  }
  if (h == 0) {
    complete(id);
    return;
  }
  const int prev = h - 1;
  const Node& from = model_.nodes[static_cast<std::size_t>(r.node[h])];
  const Node& to = model_.nodes[static_cast<std::size_t>(r.node[prev])];
  ComponentState& s = state_[static_cast<std::size_t>(from.component)];
  Duration delay = network_delay(from, to, state_[static_cast<std::size_t>(to.component)]);
  meter_cross_zone(from, to, static_cast<double>(r.response_bytes));
  if (to.zone == kInternet) meter(s.m_data_out, static_cast<double>(r.response_bytes));
  const ComponentModel& c = model_.components[static_cast<std::size_t>(from.component)];
  if (!c.service.empty() && to.zone >= 0) {
    const auto via = to.egress_via.find(c.service);
    if (via != to.egress_via.end() && via->second >= 0) {
      meter(state_[static_cast<std::size_t>(via->second)].m_bytes, static_cast<double>(r.response_bytes));
      delay = delay + Duration{sample_ns(model_.components[static_cast<std::size_t>(via->second)].service_time,
                                         state_[static_cast<std::size_t>(via->second)].rng)};
    }
  }
  r.hop = static_cast<std::int8_t>(prev);
  engine_.schedule_in(delay, self_, kReachBack, id);
}

void Replication::reach_back(std::uint32_t id) {
  Request& r = requests_[id];
  const int h = r.hop;
  if (h == 0 && r.parent != kNone) {
    const std::uint32_t parent_id = r.parent;
    const Outcome child = r.outcome;
    free(id);
    Request& parent = requests_[parent_id];
    if (child != Outcome::Ok && parent.outcome == Outcome::Ok) parent.outcome = Outcome::BackendError;
    if (--parent.pending_children == 0) reach_back(parent_id);
    return;
  }
  if (h == 0) {
    complete(id);
    return;
  }
  const ComponentModel& c = model_.components[static_cast<std::size_t>(model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component)];
  // A load balancer node that died while the request was downstream cannot pass the answer on.
  if (c.role == Role::Balancer && r.outcome == Outcome::Ok && node_down(r.node[h])) r.outcome = Outcome::LoadBalancerDown;
  // Timeouts are settled when the late answer arrives: the client saw the 504 when the
  // timeout fired, so the time past it is taken off the latency it observes.
  const std::int64_t timeout = c.behaviour.timeout.ns;
  const std::int64_t waited = engine_.now().ns - r.sent_ns[h];
  if (timeout > 0 && waited > timeout && r.outcome == Outcome::Ok) {
    r.outcome = Outcome::Timeout;
    r.saved_ns += waited - timeout;
  }
  respond(id);
}

void Replication::complete(std::uint32_t id) {
  const Request& r = requests_[id];
  const std::int64_t now = engine_.now().ns;
  if (r.measured) {
    const auto o = static_cast<std::size_t>(r.outcome);
    RouteStats& route = result_.routes[static_cast<std::size_t>(model_.plans[r.plan].stats)];
    ++route.outcomes[o];
    ++result_.overall.outcomes[o];
    auto& minute = result_.timeline[std::min(static_cast<std::size_t>(now / kMinuteNs), result_.timeline.size() - 1)];
    if (r.outcome == Outcome::Ok) {
      const std::int64_t latency = now - r.start_ns - r.saved_ns;
      route.latency.record(latency);
      result_.overall.latency.record(latency);
      minute_latency_.record(latency);
    } else {
      ++minute.errors;
    }
  }
  free(id);
}

// ---------------------------------------------------------------- time-based accounting

void Replication::account_busy() {
  const std::int64_t now = engine_.now().ns;
  busy_area_ += static_cast<double>(busy_slots_) * static_cast<double>(now - busy_since_ns_);
  busy_since_ns_ = now;
}

void Replication::on_minute() {
  account_busy();
  if (static_cast<std::size_t>(minute_) < result_.timeline.size()) {
    MinuteSample& m = result_.timeline[static_cast<std::size_t>(minute_)];
    // No measured success, no latency: a warm-up minute or a total outage is not a 0 ms one.
    if (minute_latency_.count() > 0) m.p99_ns = minute_latency_.quantile(0.99);
    m.busy_capacity = total_slots_ > 0 ? busy_area_ / (static_cast<double>(kMinuteNs) * static_cast<double>(total_slots_)) : 0.0;
  }
  minute_latency_.clear();
  busy_area_ = 0;
  ++minute_;
  // Running capacity is billed by time, so it is metered by the minute (the one just ended).
  const std::int64_t last_ns = engine_.now().ns - 1;
  for (std::size_t i = 0; i < model_.components.size(); ++i) {
    const ComponentModel& c = model_.components[i];
    ComponentState& s = state_[i];
    if (c.role == Role::Service) {
      track_targets(static_cast<int>(i));
      evaluate_alarm(static_cast<int>(i));
      account_billed(s);
      const double task_seconds = s.billed_area / 1e9;
      s.billed_area = 0;
      meter(s.m_deployment_seconds, s.surplus_area / 1e9, last_ns);
      s.surplus_area = 0;
      meter(s.m_zero_seconds, s.zero_area / 1e9, last_ns);
      s.zero_area = 0;
      meter(s.m_task_seconds, task_seconds, last_ns);
      meter(s.m_vcpu_seconds, task_seconds * c.vcpu, last_ns);
      meter(s.m_gb_seconds, task_seconds * c.memory_gb, last_ns);
    } else if (c.role == Role::Database) {
      meter(s.m_instance_seconds, 60.0, last_ns);
    } else if (c.role == Role::Function && c.provisioned_concurrency > 0) {
      meter(s.m_provisioned_seconds, 60.0 * c.provisioned_concurrency * c.memory_gb, last_ns);
    }
  }
  const std::int64_t next = (minute_ + 1) * kMinuteNs;
  if (next <= horizon_.ns) engine_.schedule_at(Time{next}, self_, kMinute);
}

}  // namespace archsim::sim::detail
