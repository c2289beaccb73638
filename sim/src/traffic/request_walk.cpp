#include "traffic/request_walk.hpp"

#include "traffic/routing.hpp"

#include "components/kinds.hpp"

#include "archsim/sim/expected_load.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace archsim::sim::detail {

std::uint64_t RequestWalk::bytes_per_request() {
  // The request table (a vector: while it doubles, the old and the new copy both live), the
  // free list's index and the request's next event in the queue.
  return 3 * sizeof(Request) + sizeof(std::uint32_t) + sizeof(Event);
}

RequestWalk::RequestWalk(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed,
                         Engine& engine, Recorder& recorder, Platform& platform)
    : model_(model),
      workload_(workload),
      horizon_(horizon),
      engine_(engine),
      recorder_(recorder),
      result_(recorder.result()),
      platform_(platform),
      delays_(model),
      arrivals_rng_(derive_seed(seed, "arrivals")),
      mix_rng_(derive_seed(seed, "mix")) {
  max_in_flight_ = workload.max_in_flight.value_or(in_flight_for_memory(WorkloadLimits{}.in_flight_memory));
  self_ = engine_.add_handler(*this);
  for (const auto& plan : model_.plans) size_rng_.emplace_back(derive_seed(seed, "route:" + plan.id));
  state_.resize(model_.components.size());
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentLoad& s = state_[ci];
    s.ids = recorder_.meters(ci);
    s.rng = RandomStream(derive_seed(seed, "component:" + c.id));
    s.network = RandomStream(derive_seed(seed, "network:" + c.id));
    s.tasks.resize(platform_.control(ci).tasks.size());
    s.round_robin.assign(c.nodes.size() + 1, 0);
    s.buckets = TokenBucketTable::full_buckets(c, model_.dynamodb_burst_seconds);
  }
}

void RequestWalk::start() { schedule_next_arrival(); }

void RequestWalk::on_task_added(ComponentId component) { state_[component].tasks.emplace_back(); }

void RequestWalk::on_task_lost(ComponentId component, int slot, Outcome cause) {
  ComponentLoad& s = state_[component];
  TaskLoad& t = s.tasks[static_cast<std::size_t>(slot)];
  if (kind(model_.components[component].role).feeds_service_load) {
    account_busy();
    flush_busy(component);
    busy_slots_ -= t.busy;
    s.busy -= t.busy;
  }
  t.busy = 0;
  t.outstanding = 0;
  // Requests it was serving see their task's generation changed when their next event comes;
  // those waiting in its queue have no event coming, so they fail now.
  std::deque<std::uint32_t> queued;
  queued.swap(t.queue);
  for (std::uint32_t id : queued) fail(id, cause);
}

int RequestWalk::outstanding(ComponentId component, int slot) const {
  return state_[component].tasks[static_cast<std::size_t>(slot)].outstanding;
}

ServiceLoad& RequestWalk::service_load(ComponentId component) {
  flush_busy(component);
  return state_[component].load;
}

void RequestWalk::flush_busy(ComponentId component) {
  ComponentLoad& s = state_[component];
  const std::int64_t now = engine_.now().ns;
  s.load.busy_slot_ns += static_cast<double>(s.busy) * static_cast<double>(now - s.busy_at_ns);
  s.busy_at_ns = now;
}

void RequestWalk::on_event(Engine&, const Event& event) {
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
    case kConnectTimedOut: fail(id, Outcome::SecurityGroupBlocked); break;
    default: break;
  }
}

// ---------------------------------------------------------------- traffic

void RequestWalk::schedule_next_arrival() {
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

std::uint32_t RequestWalk::pick_plan() {
  if (model_.route_count == 1) return 0;
  double u = mix_rng_.uniform();
  for (std::size_t p = 0; p + 1 < model_.route_count; ++p) {
    u -= model_.plans[p].share;
    if (u < 0) return static_cast<std::uint32_t>(p);
  }
  return static_cast<std::uint32_t>(model_.route_count - 1);
}

std::uint32_t RequestWalk::allocate() {
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

void RequestWalk::free(std::uint32_t id) {
  --in_flight_;
  free_.push_back(id);
}

void RequestWalk::admit(Time at, std::uint32_t plan, std::int64_t request_bytes, std::int64_t response_bytes) {
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
  const ComponentModel& first = model_.components[p.hops[0].component];
  r.node[0] = first.nodes.front();
  r.hop = 0;
  auto& minute = result_.timeline[std::min(static_cast<std::size_t>(at.ns / kMinuteNs), result_.timeline.size() - 1)];
  ++minute.arrivals;
  forward(id);
}

// ---------------------------------------------------------------- the walk

void RequestWalk::meter_cross_zone(const Node& from, const Node& to, double bytes) {
  if (from.zone < 0 || to.zone < 0 || from.zone == to.zone) return;
  // AWS bills a crossing with a load balancer at one end by the load balancer's type (free
  // for Application and Classic, EC2 data transfer for Network: docs/pricing.md), so such a
  // crossing, both directions, is metered on the load balancer; any other on the sender.
  const bool to_balancer = kind(model_.components[to.component].role).bills_crossings;
  const ComponentId on = to_balancer ? to.component : from.component;
  meter(state_[on].ids.cross_zone, bytes);
}

Duration RequestWalk::network_delay(const Node& from, const Node& to, ComponentLoad& into) {
  return Duration{draw_ns(delays_.between(from, to), into.network)};
}

Outcome RequestWalk::pick_target(Request& r, int next, NodeId from_node) {
  r.slot[next] = -1;
  const ComponentId ci = model_.plans[r.plan].hops[static_cast<std::size_t>(next)].component;
  return visit_kind(model_.components[ci].role, [&](auto k) { return target_in(k, r, next, from_node); });
}

Outcome RequestWalk::target_in(TaskService, Request& r, int next, NodeId from_node) {
  const RoutePlan& plan = model_.plans[r.plan];
  const Hop& here = plan.hops[static_cast<std::size_t>(r.hop)];
  const ComponentId ci = plan.hops[static_cast<std::size_t>(next)].component;
  const ComponentModel& c = model_.components[ci];
  ComponentLoad& s = state_[ci];
  const ComponentControl& control = platform_.control(ci);
  ++s.load.requests;  // sent to the service, target or not (ALB RequestCountPerTarget)
  const ComponentModel& caller = model_.components[here.component];
  const bool balanced = kind(caller.role).checks_targets;
  const int zone = model_.nodes[from_node].zone;
  const int only_release = TaskService::listener_release_request(control, balanced, s.rng);
  // The round-robin cursor is the load balancer node's, or the service's own without one.
  ComponentLoad& picker = balanced ? state_[here.component] : s;
  const ComponentModel& picker_model = balanced ? caller : c;
  std::size_t cursor_slot = 0;
  if (balanced) {
    const auto it = std::find(picker_model.nodes.begin(), picker_model.nodes.end(), from_node);
    cursor_slot = static_cast<std::size_t>(it - picker_model.nodes.begin());
  }
  std::uint32_t& cursor = picker.round_robin[std::min(cursor_slot, picker.round_robin.size() - 1)];
  const int chosen = TaskService::pick_task_request(model_, control, balanced, here.cross_zone, here.least_outstanding, zone, only_release,
                                                    cursor, [&](std::size_t i) { return s.tasks[i].outstanding; });
  if (chosen < 0) return Outcome::NoHealthyTarget;
  const Task& task = control.tasks[static_cast<std::size_t>(chosen)];
  ++s.tasks[static_cast<std::size_t>(chosen)].outstanding;
  r.node[next] = task.node;
  r.slot[next] = chosen;
  r.generation[next] = task.generation;
  return Outcome::Ok;
}

Outcome RequestWalk::target_in(Database, Request& r, int next, NodeId) {
  const ComponentId ci = model_.plans[r.plan].hops[static_cast<std::size_t>(next)].component;
  const ComponentControl& control = platform_.control(ci);
  if (const Outcome reached = Database::reach_primary(control); reached != Outcome::Ok) return reached;
  const Task& task = control.tasks[Database::kPrimarySlot];
  r.node[next] = task.node;
  r.slot[next] = Database::kPrimarySlot;
  r.generation[next] = task.generation;
  return Outcome::Ok;
}

template <class K>
Outcome RequestWalk::target_in(K, Request& r, int next, NodeId) {
  // A component with several placements: the kind says which one (DNS for a load balancer).
  const ComponentId ci = model_.plans[r.plan].hops[static_cast<std::size_t>(next)].component;
  const ComponentModel& c = model_.components[ci];
  if (c.nodes.empty()) return Outcome::NoHealthyTarget;
  r.node[next] = c.nodes.size() == 1 ? c.nodes.front()
                                     : K::pick_node_request(c, platform_.control(ci), platform_, engine_.now().ns, state_[ci].rng);
  return Outcome::Ok;
}

void RequestWalk::forward(std::uint32_t id) {
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
    const ComponentModel& caller = model_.components[hop.component];
    engine_.schedule_in(caller.behaviour.connect_timeout, self_, kConnectTimedOut, id);
    return;
  }
  if (const Outcome picked = pick_target(r, next, r.node[h]); picked != Outcome::Ok) {
    fail(id, picked);
    return;
  }
  const Node& from = model_.nodes[r.node[h]];
  const Node& to = model_.nodes[r.node[next]];
  const ComponentModel& target = model_.components[to.component];
  ComponentLoad& into = state_[to.component];
  Duration delay = network_delay(from, to, into);
  for (const Distribution* slow : platform_.control(to.component).slow) delay = delay + Duration{draw_ns(*slow, platform_.fault_stream(to.component))};
  meter_cross_zone(from, to, static_cast<double>(r.request_bytes));
  if (!target.service.empty() && from.zone >= 0) {
    const Egress path = egress_path(from, target.service);
    if (!egress_open(path, platform_)) {
      fail(id, Outcome::Unreachable);
      return;
    }
    if (path.via) {
      meter(state_[*path.via].ids.bytes, static_cast<double>(r.request_bytes));
      delay = delay + Duration{draw_ns(model_.components[*path.via].service_time, state_[*path.via].rng)};
    }
  }
  r.hop = static_cast<std::int8_t>(next);
  engine_.schedule_in(delay, self_, kReachHop, id);
}

void RequestWalk::arrive_at_hop(std::uint32_t id) {
  Request& r = requests_[id];
  const int h = r.hop;
  const ComponentId ci = model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component;
  const ComponentModel& c = model_.components[ci];
  ComponentLoad& s = state_[ci];
  meter(visit_kind(c.role, [&](auto k) { return decltype(k)::arrival_meter(s.ids, model_.plans[r.plan]); }), 1);
  if (s.ids.metered_requests >= 0) {
    const std::int64_t increment = c.behaviour.metering_increment.count;
    meter(s.ids.metered_requests, static_cast<double>(std::max<std::int64_t>(1, (r.request_bytes + increment - 1) / increment)));
  }
  if (kind(c.role).feeds_service_load) {
    ++s.load.reached;
    r.reached |= static_cast<std::uint8_t>(1u << h);
  }
  r.began_ns[h] = engine_.now().ns;
  if (platform_.node_down(r.node[h])) {
    fail(id, kind(c.role).node_down);
    return;
  }
  if (const double error_rate = platform_.control(ci).error_rate; error_rate > 0 && platform_.fault_stream(ci).uniform() < error_rate) {
    meter(visit_kind(c.role, [&](auto k) { return decltype(k)::ran_meter(s.ids); }), 1);
    fail(id, Outcome::DependencyError);
    return;
  }
  visit_kind(c.role, [&](auto k) { admit_at_hop(k, id, h, ci, c, s); });
}

template <class K>
void RequestWalk::admit_at_hop(K, std::uint32_t id, int, ComponentId, const ComponentModel& c, ComponentLoad& s) {
  engine_.schedule_in(Duration{K::draw_work_ns(c, s.rng)}, self_, kWorkDone, id);
}

void RequestWalk::admit_at_hop(LoadBalancer, std::uint32_t id, int, ComponentId, const ComponentModel& c, ComponentLoad& s) {
  const Request& r = requests_[id];
  LoadBalancer::meter_request(c, s.ids, workload_.connections, static_cast<double>(r.request_bytes + r.response_bytes),
                              s.connection_carry, [&](int meter_id, double amount) { meter(meter_id, amount); });
  engine_.schedule_in(Duration{draw_ns(c.service_time, s.rng)}, self_, kWorkDone, id);
}

template <class K>
  requires K::kHoldsTaskSlots
void RequestWalk::admit_at_hop(K, std::uint32_t id, int h, ComponentId ci, const ComponentModel& c, ComponentLoad& s) {
  const Request& r = requests_[id];
  const Task& task = platform_.task(ci, r.slot[h]);
  if (task.generation != r.generation[h] || task.state != TaskState::Running) {
    // It died while the request was on its way: refused (502), or the database is down.
    fail(id, K::kTaskGone);
    return;
  }
  TaskLoad& load = s.tasks[static_cast<std::size_t>(r.slot[h])];
  if (load.busy < c.concurrency) {
    start_service(id, h, c);
  } else if (static_cast<int>(load.queue.size()) < c.behaviour.queue_length) {
    load.queue.push_back(id);
  } else {
    fail(id, Outcome::QueueFull);
  }
}

void RequestWalk::admit_at_hop(FunctionPool, std::uint32_t id, int h, ComponentId, const ComponentModel& c, ComponentLoad& s) {
  Request& r = requests_[id];
  const FunctionPool::Admission a =
      FunctionPool::admit_request(c, s.ids, s.environments, lambda_pool_in_use_, model_.lambda_unreserved_concurrency,
                                  engine_.now().ns, s.rng, [&](int meter_id, double amount) { meter(meter_id, amount); });
  if (a.throttled) {
    fail(id, Outcome::Throttled);
    return;
  }
  r.held |= static_cast<std::uint8_t>(1u << h);
  if (a.provisioned) r.provisioned |= static_cast<std::uint8_t>(1u << h);
  r.began_ns[h] = engine_.now().ns;  // billed from the start of INIT (release_request)
  const FunctionPool::Run run = FunctionPool::draw_run(c, s.rng);
  if (run.timed_out) r.outcome = Outcome::Timeout;
  log_request(c, r.node[h]);
  engine_.schedule_in(Duration{a.init_ns + run.ns}, self_, kWorkDone, id);
}

void RequestWalk::admit_at_hop(TokenBucketTable, std::uint32_t id, int, ComponentId, const ComponentModel& c, ComponentLoad& s) {
  if (!TokenBucketTable::admit_request(c, s.buckets, model_.dynamodb_burst_seconds, engine_.now().ns)) {
    fail(id, Outcome::Throttled);
    return;
  }
  TokenBucketTable::meter_served(c, s.ids, 1, [&](int meter_id, double amount) { meter(meter_id, amount); });
  engine_.schedule_in(Duration{draw_ns(c.service_time, s.rng)}, self_, kWorkDone, id);
}

void RequestWalk::start_service(std::uint32_t id, int hop, const ComponentModel& c) {
  Request& r = requests_[id];
  const ComponentId ci = model_.nodes[r.node[hop]].component;
  ComponentLoad& s = state_[ci];
  ++s.tasks[static_cast<std::size_t>(r.slot[hop])].busy;
  if (kind(c.role).feeds_service_load) {
    account_busy();
    flush_busy(ci);
    ++busy_slots_;
    ++s.busy;
  }
  r.held |= static_cast<std::uint8_t>(1u << hop);
  // A task's TargetResponseTime runs from the request leaving the load balancer to the
  // response ("the time elapsed after the request leaves the load balancer until a response
  // from the target is received", ALB CloudWatch metrics, docs.aws.amazon.com/elasticloadbalancing/
  // latest/application/load-balancer-cloudwatch-metrics.html): the wait for a free slot inside
  // the task counts, so a service keeps the arrival time it was given in arrive_at_hop.
  if (!kind(c.role).feeds_service_load) r.began_ns[hop] = engine_.now().ns;
  log_request(c, r.node[hop]);
  std::int64_t work = draw_ns(c.service_time, s.rng);
  if (const ReleaseSpec* release = platform_.release(platform_.task(ci, r.slot[hop]).release); release != nullptr && release->added_latency) {
    work += draw_ns(*release->added_latency, platform_.fault_stream(ci));
  }
  engine_.schedule_in(Duration{work}, self_, kWorkDone, id);
}

void RequestWalk::log_request(const ComponentModel& c, NodeId node) {
  if (!c.log_group || c.behaviour.log_bytes_per_request.count <= 0) return;
  const auto bytes = static_cast<double>(c.behaviour.log_bytes_per_request.count);
  const Egress path = egress_path(model_.nodes[node], "logs");
  if (!egress_open(path, platform_)) return;  // the awslogs driver cannot deliver
  if (path.via) meter(state_[*path.via].ids.bytes, bytes);
  meter(state_[*c.log_group].ids.log_bytes, bytes);
}

void RequestWalk::work_done(std::uint32_t id) {
  Request& r = requests_[id];
  const RoutePlan& plan = model_.plans[r.plan];
  const int h = r.hop;
  const Hop& hop = plan.hops[static_cast<std::size_t>(h)];
  const ComponentModel& c = model_.components[hop.component];
  ComponentLoad& s = state_[hop.component];
  if (kind(c.role).holds_task_slots && r.slot[h] >= 0) {
    if (platform_.task(hop.component, r.slot[h]).generation != r.generation[h]) {
      // The task (or database instance) died while serving it: the connection breaks.
      fail(id, kind(c.role).task_gone);
      return;
    }
    // A bad release (only ECS services deploy them) answers a share of its requests with a
    // 5xx once it has worked on them.
    const ReleaseSpec* release = platform_.release(platform_.task(hop.component, r.slot[h]).release);
    if (release != nullptr && release->error_rate > 0 && platform_.fault_stream(hop.component).uniform() < release->error_rate) {
      fail(id, Outcome::ReleaseError);
      return;
    }
  }
  if (kind(c.role).answers_from_cache && s.rng.uniform() < cache_hit_ratio(c)) {
    meter(s.ids.cache_hits, 1);
    respond(id);
    return;
  }
  if (r.outcome == Outcome::Ok && (static_cast<std::size_t>(h) + 1 < plan.hops.size() || !hop.fanout.empty())) {
    forward(id);
  } else {
    respond(id);
  }
}

void RequestWalk::fail(std::uint32_t id, Outcome cause) {
  Request& r = requests_[id];
  if (r.outcome == Outcome::Ok) r.outcome = cause;
  respond(id);
}

void RequestWalk::release(Request& r, int hop) {
  const auto bit = static_cast<std::uint8_t>(1u << hop);
  const ComponentId ci = model_.nodes[r.node[hop]].component;
  const ComponentModel& c = model_.components[ci];
  ComponentLoad& s = state_[ci];
  const bool tasked = kind(c.role).holds_task_slots && r.slot[hop] >= 0;
  if (tasked && platform_.task(ci, r.slot[hop]).generation != r.generation[hop]) {
    // The task it was on died while it waited downstream: the answer has nowhere to go back
    // to (its counters were reset when it died).
    r.held = static_cast<std::uint8_t>(r.held & ~bit);
    if (r.outcome == Outcome::Ok) r.outcome = kind(c.role).task_gone;
    return;
  }
  if (tasked) {
    const int outstanding = --s.tasks[static_cast<std::size_t>(r.slot[hop])].outstanding;
    if (platform_.task(ci, r.slot[hop]).draining && outstanding == 0 && (r.held & bit) == 0) platform_.finish_drain(ci, r.slot[hop]);
  }
  if ((r.held & bit) == 0) return;
  r.held = static_cast<std::uint8_t>(r.held & ~bit);
  visit_kind(c.role, [&](auto k) { release_held(k, r, hop, ci, c, s); });
}

void RequestWalk::release_held(FunctionPool, Request& r, int hop, ComponentId, const ComponentModel& c, ComponentLoad& s) {
  const auto bit = static_cast<std::uint8_t>(1u << hop);
  FunctionPool::release_request(c, s.ids, s.environments, lambda_pool_in_use_, (r.provisioned & bit) != 0, r.began_ns[hop],
                                engine_.now().ns, [&](int meter_id, double amount) { meter(meter_id, amount); });
  r.provisioned = static_cast<std::uint8_t>(r.provisioned & ~bit);
}

template <class K>
void RequestWalk::release_held(K, Request&, int, ComponentId, const ComponentModel&, ComponentLoad&) {}  // nothing else holds

template <class K>
  requires K::kHoldsTaskSlots
void RequestWalk::release_held(K, Request& r, int hop, ComponentId ci, const ComponentModel& c, ComponentLoad& s) {
  TaskLoad& task = s.tasks[static_cast<std::size_t>(r.slot[hop])];
  --task.busy;
  if constexpr (K::kFeedsServiceLoad) {
    account_busy();
    flush_busy(ci);
    --busy_slots_;
    --s.busy;
  }
  if (!task.queue.empty()) {
    const std::uint32_t next = task.queue.front();
    task.queue.pop_front();
    start_service(next, requests_[next].hop, c);
  } else if (platform_.task(ci, r.slot[hop]).draining && task.outstanding == 0) {
    platform_.finish_drain(ci, r.slot[hop]);
  }
}

void RequestWalk::respond(std::uint32_t id) {
  Request& r = requests_[id];
  const int h = r.hop;
  release(r, h);
  // A service answers a request that failed at it or below it with a 5xx: a target error, what
  // its rollback alarm counts.
  if ((r.reached & (1u << h)) != 0) {
    ServiceLoad& service = state_[model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component].load;
    if (r.outcome != Outcome::Ok) ++service.errors;
    // TargetResponseTime: from the request reaching the target to its response leaving it.
    ++service.responses;
    service.response_ns += engine_.now().ns - r.began_ns[h];
  }
  if (h == 0) {
    complete(id);
    return;
  }
  const int prev = h - 1;
  const Node& from = model_.nodes[r.node[h]];
  const Node& to = model_.nodes[r.node[prev]];
  ComponentLoad& s = state_[from.component];
  Duration delay = network_delay(from, to, state_[to.component]);
  meter_cross_zone(from, to, static_cast<double>(r.response_bytes));
  if (to.zone == kInternet) meter(s.ids.data_out, static_cast<double>(r.response_bytes));
  if (s.ids.retrieved >= 0 && !model_.plans[r.plan].write) meter(s.ids.retrieved, static_cast<double>(r.response_bytes));
  const ComponentModel& c = model_.components[from.component];
  if (!c.service.empty() && to.zone >= 0) {
    if (const Egress path = egress_path(to, c.service); path.via) {
      meter(state_[*path.via].ids.bytes, static_cast<double>(r.response_bytes));
      delay = delay + Duration{draw_ns(model_.components[*path.via].service_time, state_[*path.via].rng)};
    }
  }
  r.hop = static_cast<std::int8_t>(prev);
  engine_.schedule_in(delay, self_, kReachBack, id);
}

void RequestWalk::reach_back(std::uint32_t id) {
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
  const ComponentModel& c = model_.components[model_.plans[r.plan].hops[static_cast<std::size_t>(h)].component];
  // A load balancer node that died while the request was downstream cannot pass the answer on.
  if (kind(c.role).relays_answers && r.outcome == Outcome::Ok && platform_.node_down(r.node[h])) r.outcome = Outcome::LoadBalancerDown;
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

void RequestWalk::complete(std::uint32_t id) {
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

void RequestWalk::account_busy() {
  const std::int64_t now = engine_.now().ns;
  busy_area_ += static_cast<double>(busy_slots_) * static_cast<double>(now - busy_since_ns_);
  busy_since_ns_ = now;
}

void RequestWalk::end_minute(MinuteSample* sample, std::int64_t total_slots) {
  account_busy();
  if (sample != nullptr) {
    // No measured success, no latency: a warm-up minute or a total outage is not a 0 ms one.
    if (minute_latency_.count() > 0) sample->p99_ns = minute_latency_.quantile(0.99);
    sample->busy_capacity = total_slots > 0 ? busy_area_ / (static_cast<double>(kMinuteNs) * static_cast<double>(total_slots)) : 0.0;
  }
  minute_latency_.clear();
  busy_area_ = 0;
}

}  // namespace archsim::sim::detail
