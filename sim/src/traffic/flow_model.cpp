#include "traffic/flow_model.hpp"

#include <algorithm>
#include <cmath>

#include "archsim/sim/expected_load.hpp"
#include "components/kinds.hpp"
#include "traffic/routing.hpp"

namespace archsim::sim::detail {

namespace {

/// A sample is of a successful request: a draw that fails on the way is drawn again, and
/// given up after this many (a route that fails nearly always then gets fewer samples).
constexpr int kSampleAttempts = 64;

/// A saturated task's queue stays full: a request waits for the queue ahead of it.
double saturated_wait_ns(const ComponentModel& c) {
  return c.behaviour.queue_length * c.service_time.mean() / std::max(1, c.concurrency);
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // splitmix64-style: any change of any input changes the digest.
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t bits_of(double v) {
  std::uint64_t b = 0;
  static_assert(sizeof b == sizeof v);
  __builtin_memcpy(&b, &v, sizeof b);
  return b;
}

}  // namespace

FlowModel::FlowModel(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Engine& engine,
                     Recorder& recorder, Platform& platform)
    : model_(model),
      workload_(workload),
      horizon_(horizon),
      engine_(engine),
      recorder_(recorder),
      result_(recorder.result()),
      platform_(platform),
      delays_(model),
      counts_rng_(derive_seed(seed, "flow:counts")),
      latency_rng_(derive_seed(seed, "flow:latency")) {
  self_ = engine_.add_handler(*this);
  const std::size_t n = model_.components.size();
  loads_.resize(n);
  busy_at_ns_.assign(n, 0);
  busy_slots_now_.assign(n, 0.0);
  mean_sizes();
}

void FlowModel::mean_sizes() {
  // A trace's records carry their own sizes (ALB logs always, CSV where given); the walk bills
  // each record's, so the flows meter each route by the mean of its records' sizes: the same
  // bytes over the run, spread by the segments' counts. A record without a size counts at the
  // route's distribution mean, as the walk draws it.
  const std::size_t plans = model_.plans.size();
  request_bytes_.resize(plans);
  response_bytes_.resize(plans);
  for (std::size_t p = 0; p < plans; ++p) {
    request_bytes_[p] = std::min(model_.plans[p].request_size.mean(), kMaxSampledBytes);
    response_bytes_[p] = std::min(model_.plans[p].response_size.mean(), kMaxSampledBytes);
  }
  if (!workload_.arrivals.trace) return;
  std::vector<double> request_sum(plans, 0.0), response_sum(plans, 0.0), records(plans, 0.0);
  const auto& trace = workload_.arrivals.trace->records;
  for (std::size_t i = 0; i < trace.size() && i < model_.trace_plans.size(); ++i) {
    if (trace[i].time_ns > horizon_.ns) break;
    const std::size_t p = model_.trace_plans[i];
    records[p] += 1;
    request_sum[p] += trace[i].request_bytes >= 0 ? static_cast<double>(trace[i].request_bytes) : request_bytes_[p];
    response_sum[p] += trace[i].response_bytes >= 0 ? static_cast<double>(trace[i].response_bytes) : response_bytes_[p];
  }
  for (std::size_t p = 0; p < plans; ++p) {
    if (records[p] == 0) continue;
    request_bytes_[p] = std::min(request_sum[p] / records[p], kMaxSampledBytes);
    response_bytes_[p] = std::min(response_sum[p] / records[p], kMaxSampledBytes);
  }
}

void FlowModel::start() {
  segment_start_ns_ = 0;
  evaluate();
}

// ---------------------------------------------------------------- segments

void FlowModel::after_platform_event() {
  const std::uint64_t digest = platform_digest();
  if (digest == digest_) return;
  close_segment(engine_.now().ns);
  evaluate();
}

void FlowModel::end_minute(MinuteSample* sample, std::int64_t total_slots) {
  // The arrival profile steps by the minute: a new segment starts with the new rate.
  close_segment(engine_.now().ns);
  if (sample != nullptr) {
    if (minute_latency_.count() > 0) sample->p99_ns = minute_latency_.quantile(0.99);
    sample->busy_capacity = total_slots > 0 ? busy_area_ / (static_cast<double>(kMinuteNs) * static_cast<double>(total_slots)) : 0.0;
  }
  minute_latency_.clear();
  busy_area_ = 0;
  evaluate();
}

void FlowModel::finish() { close_segment(horizon_.ns); }

void FlowModel::on_event(Engine&, const Event&) {
  tick_at_ns_ = -1;
  close_segment(engine_.now().ns);
  evaluate();
}

ServiceLoad& FlowModel::service_load(ComponentId component) {
  const std::int64_t now = engine_.now().ns;
  loads_[component].busy_slot_ns += busy_slots_now_[component] * static_cast<double>(now - busy_at_ns_[component]);
  busy_at_ns_[component] = now;
  return loads_[component];
}

std::uint64_t FlowModel::platform_digest() const {
  std::uint64_t h = 0;
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentControl& s = platform_.control(ci);
    for (const Task& t : s.tasks) {
      h = mix(h, static_cast<std::uint64_t>(t.state) | (t.registered ? 8u : 0u) | (t.healthy ? 16u : 0u) | (t.draining ? 32u : 0u) |
                     (static_cast<std::uint64_t>(t.release) << 8) | (static_cast<std::uint64_t>(t.node.value()) << 24));
      h = mix(h, t.generation);
    }
    for (char l : s.dns_listed) h = mix(h, static_cast<std::uint64_t>(l));
    h = mix(h, static_cast<std::uint64_t>(s.dns_changed_ns));
    h = mix(h, static_cast<std::uint64_t>(s.down_faults));
    h = mix(h, bits_of(s.error_rate));
    h = mix(h, s.slow.size());
    h = mix(h, bits_of(s.rollout.green_share) ^ static_cast<std::uint64_t>(s.rollout.phase));
  }
  for (const NodeId n : model_.nodes.ids()) h = mix(h, platform_.node_down(n) ? 1 : 0);
  return h;
}

void FlowModel::evaluate() {
  ++segments_;
  segment_start_ns_ = engine_.now().ns;
  digest_ = platform_digest();
  const ArrivalSpec& a = workload_.arrivals;
  if (a.trace) {
    // A trace's rate here is what it holds over the next minute (its records are sorted).
    std::size_t n = 0;
    for (std::size_t r = trace_next_; r < a.trace->records.size() && a.trace->records[r].time_ns < segment_start_ns_ + kMinuteNs; ++r) ++n;
    rate_per_ns_ = static_cast<double>(n) / static_cast<double>(kMinuteNs);
  } else {
    rate_per_ns_ = a.rate_at(Duration{segment_start_ns_}) / 1e9;
  }
  const std::size_t n = model_.components.size();
  steps_.assign(model_.plans.size(), {});
  for (std::size_t p = 0; p < model_.plans.size(); ++p) steps_[p].resize(model_.plans[p].hops.size() * model_.nodes.size());
  visits_.assign(n, {});
  slot_share_.assign(n, {});
  queues_.clear();
  queues_.resize(n);
  arrival_share_.assign(n, 0.0);
  services_.assign(n, ServiceFlow{});
  for (const ComponentId ci : model_.components.ids()) {
    // A visit is kept per task slot (ECS, RDS) and per placement (every other kind).
    const std::size_t slots = platform_.control(ci).tasks.size();
    visits_[ci].resize(slots + model_.components[ci].nodes.size());
    slot_share_[ci].assign(slots, 0.0);
  }
  // First pass: where the traffic goes (arrival shares at each task and function), with no
  // queue yet; then the queues; then the second pass with them.
  routes_.assign(model_.plans.size(), RouteFlow{});
  for (std::size_t p = 0; p < model_.route_count; ++p) {
    RouteFlow scratch;
    const RoutePlan& plan = model_.plans[p];
    const NodeId first = model_.components[plan.hops[0].component].nodes.front();
    propagate(static_cast<int>(p), 0, Place{first, -1}, plan.share, true, scratch);
  }
  const double rate = rate_per_ns_;
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    if (!kind(c.role).holds_task_slots) continue;
    queues_[ci].resize(slot_share_[ci].size());
    for (std::size_t slot = 0; slot < slot_share_[ci].size(); ++slot) {
      queues_[ci][slot] = std::make_unique<QueueWait>(rate * slot_share_[ci][slot], c.service_time, c.concurrency);
    }
  }
  visits_.assign(n, {});
  for (const ComponentId ci : model_.components.ids()) visits_[ci].resize(slot_share_[ci].size() + model_.components[ci].nodes.size());
  for (std::size_t p = 0; p < model_.route_count; ++p) {
    const RoutePlan& plan = model_.plans[p];
    const NodeId first = model_.components[plan.hops[0].component].nodes.front();
    RouteFlow& flow = routes_[p];
    const double ok = propagate(static_cast<int>(p), 0, Place{first, -1}, 1.0, false, flow);
    flow.outcome[static_cast<std::size_t>(Outcome::Ok)] = ok;
  }
  // While a balancer's clients move to a new DNS answer, re-evaluate 16 times over the TTL.
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    const std::int64_t changed = platform_.control(ci).dns_changed_ns;
    if (!kind(c.role).nodes_in_dns || changed < 0 || c.behaviour.dns_ttl.ns <= 0) continue;
    if (segment_start_ns_ - changed >= c.behaviour.dns_ttl.ns) continue;
    const std::int64_t at = segment_start_ns_ + std::max<std::int64_t>(1'000'000'000, c.behaviour.dns_ttl.ns / 16);
    if (at <= horizon_.ns && (tick_at_ns_ < 0 || at < tick_at_ns_)) {
      tick_at_ns_ = at;
      engine_.schedule_at(Time{at}, self_, 0);
    }
  }
  // Busy slots per service: each task serves what it is sent, up to its slots.
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    if (!kind(c.role).feeds_service_load) continue;
    service_load(ci);  // bring the busy time up to now at the old level
    double busy = 0;
    for (std::size_t slot = 0; slot < queues_[ci].size(); ++slot) {
      if (!queues_[ci][slot]) continue;
      busy += std::min(1.0, queues_[ci][slot]->utilisation()) * c.concurrency;
    }
    busy_slots_now_[ci] = busy;
  }
}

void FlowModel::close_segment(std::int64_t end_ns) {
  const std::int64_t start = segment_start_ns_;
  if (end_ns <= start) return;
  segment_start_ns_ = end_ns;
  const double dt = static_cast<double>(end_ns - start);
  for (const ComponentId ci : model_.components.ids()) busy_area_ += busy_slots_now_[ci] * dt;
  const ArrivalSpec& a = workload_.arrivals;
  const std::int64_t warm = workload_.warmup.ns;
  // The share of the segment after the warm-up: its requests are measured.
  const double measured = end_ns <= warm ? 0.0 : start >= warm ? 1.0 : static_cast<double>(end_ns - warm) / dt;
  MinuteSample& minute = recorder_.minute_at(start);
  // A trace's own records in the segment, per route: one pass of a cursor over the sorted records.
  std::vector<std::uint64_t> traced(a.trace ? model_.route_count : 0, 0);
  std::uint64_t traced_total = 0;
  if (a.trace) {
    const auto& records = a.trace->records;
    while (trace_next_ < records.size() && records[trace_next_].time_ns < end_ns) {
      if (records[trace_next_].time_ns >= start && model_.trace_plans[trace_next_] < traced.size()) {
        ++traced[model_.trace_plans[trace_next_]];
        ++traced_total;
      }
      ++trace_next_;
    }
  }
  for (std::size_t p = 0; p < model_.route_count; ++p) {
    const RoutePlan& plan = model_.plans[p];
    std::uint64_t arrivals = 0;
    if (a.trace) {
      arrivals = traced[p];
    } else {
      arrivals = counts_rng_.poisson(a.expected_arrivals(Duration{start}, Duration{end_ns}) * plan.share);
    }
    if (arrivals == 0) continue;
    minute.arrivals += arrivals;
    const RouteFlow& flow = routes_[p];
    for (const auto& [id, amount] : flow.meters) recorder_.meter(id, amount * static_cast<double>(arrivals), start);
    const std::uint64_t counted = counts_rng_.binomial(arrivals, measured);
    if (counted == 0) continue;
    RouteStats& route = result_.routes[static_cast<std::size_t>(plan.stats)];
    // Outcomes: one binomial split after another, in the order of the causes.
    std::uint64_t left = counted;
    double rest = 1.0;
    std::uint64_t ok = 0;
    for (std::size_t o = 1; o < kOutcomeCount && left > 0; ++o) {
      const double share = flow.outcome[o];
      if (share <= 0) continue;
      const std::uint64_t k = counts_rng_.binomial(left, std::min(1.0, share / std::max(rest, 1e-300)));
      rest -= share;
      left -= k;
      route.outcomes[o] += k;
      result_.overall.outcomes[o] += k;
      minute.errors += k;
    }
    ok = left;
    if (ok == 0) continue;
    // Latency, and the timeouts the samples find: a few request-level samples of the path,
    // each standing for its share of the successful requests.
    // Latency samples by FlowSampling (expected_load.hpp), which the work estimate counts by.
    const int wanted = std::clamp(static_cast<int>(dt / FlowSampling::sample_interval_ns(horizon_)), FlowSampling::kMinSamples,
                                  FlowSampling::kMaxSamples);
    const int samples = static_cast<int>(std::min<std::uint64_t>(ok, static_cast<std::uint64_t>(wanted)));
    std::vector<std::int64_t> latencies;
    int timed_out = 0;
    for (int s = 0; s < samples; ++s) {
      const auto l = sample_request(static_cast<int>(p));
      if (!l) continue;  // gave up: no sample
      if (*l < 0) ++timed_out;
      else latencies.push_back(*l);
    }
    const auto drawn = static_cast<int>(latencies.size()) + timed_out;
    const std::uint64_t timeouts = drawn > 0 ? counts_rng_.binomial(ok, static_cast<double>(timed_out) / drawn) : 0;
    if (timeouts > 0) {
      const auto o = static_cast<std::size_t>(Outcome::Timeout);
      route.outcomes[o] += timeouts;
      result_.overall.outcomes[o] += timeouts;
      minute.errors += timeouts;
      ok -= timeouts;
    }
    route.outcomes[0] += ok;
    result_.overall.outcomes[0] += ok;
    if (latencies.empty() || ok == 0) continue;
    for (std::size_t s = 0; s < latencies.size(); ++s) {
      // An even split of the successes over the samples, the remainder to the first ones.
      const std::uint64_t count = ok / latencies.size() + (s < ok % latencies.size() ? 1 : 0);
      if (count == 0) continue;
      route.latency.record(latencies[s], count);
      result_.overall.latency.record(latencies[s], count);
      minute_latency_.record(latencies[s], count);
    }
  }
  // Each service's metrics over the segment.
  const double requests = a.trace ? static_cast<double>(traced_total) : a.expected_arrivals(Duration{start}, Duration{end_ns});
  for (const ComponentId ci : model_.components.ids()) {
    const ServiceFlow& f = services_[ci];
    if (f.requests <= 0 && f.reached <= 0) continue;
    ServiceLoad& load = loads_[ci];
    load.requests += static_cast<std::uint64_t>(std::llround(f.requests * requests));
    const auto reached = static_cast<std::uint64_t>(std::llround(f.reached * requests));
    load.reached += reached;
    load.errors += static_cast<std::uint64_t>(std::llround(f.errors * requests));
    load.responses += reached;
    // The wait averaged over the task slots by the share of the arrivals each gets: a task
    // that takes more of the traffic (a zone's survivor) weighs more.
    double waited = 0, weight = 0;
    for (std::size_t s = 0; s < queues_[ci].size(); ++s) {
      if (!queues_[ci][s]) continue;
      const double share = slot_share_[ci][s];
      waited += share * (queues_[ci][s]->stable() ? queues_[ci][s]->mean_wait_ns() : saturated_wait_ns(model_.components[ci]));
      weight += share;
    }
    const double response = model_.components[ci].service_time.mean() + (weight > 0 ? waited / weight : 0.0);
    load.response_ns += static_cast<std::int64_t>(static_cast<double>(reached) * response);
  }
}

void FlowModel::on_task_lost(ComponentId component, int slot, Outcome cause) {
  // The requests on the task when it died (Little: arrival rate x time in the task) fail.
  if (component.position() >= queues_.size()) return;
  const auto& queues = queues_[component];
  const auto at = static_cast<std::size_t>(slot);
  if (at >= queues.size() || !queues[at]) return;
  const QueueWait& q = *queues[at];
  const double rate = rate_per_ns_ * slot_share_[component][at];
  const ComponentModel& service = model_.components[component];
  const double in_task = q.stable() ? rate * (service.service_time.mean() + q.mean_wait_ns())
                                    : static_cast<double>(service.concurrency + service.behaviour.queue_length);
  const std::uint64_t lost = counts_rng_.poisson(in_task);
  if (lost == 0 || engine_.now().ns < workload_.warmup.ns) return;
  // Attributed to the first route that reaches the service.
  for (std::size_t p = 0; p < model_.route_count; ++p) {
    bool through = false;
    for (const Hop& h : model_.plans[p].hops) through = through || h.component == component;
    if (!through) continue;
    const auto o = static_cast<std::size_t>(cause);
    result_.routes[static_cast<std::size_t>(model_.plans[p].stats)].outcomes[o] += lost;
    result_.overall.outcomes[o] += lost;
    recorder_.minute_at(engine_.now().ns).errors += lost;
    loads_[component].errors += lost;
    break;
  }
}

// ---------------------------------------------------------------- one segment's state

const FlowModel::Step& FlowModel::step(int plan, int hop, NodeId from_node) {
  auto& cached = steps_[static_cast<std::size_t>(plan)][static_cast<std::size_t>(hop) * model_.nodes.size() + from_node.position()];
  if (!cached) cached = make_step(plan, hop, from_node);
  return *cached;
}

FlowModel::Step FlowModel::make_step(int plan_index, int h, NodeId from_node) {
  // The walk's forward and pick_target, as shares.
  const RoutePlan& plan = model_.plans[static_cast<std::size_t>(plan_index)];
  const Hop& here = plan.hops[static_cast<std::size_t>(h)];
  const Hop& next = plan.hops[static_cast<std::size_t>(h + 1)];
  Step step;
  if (!next.no_path.empty()) {
    step.fail[static_cast<std::size_t>(Outcome::Unreachable)] = 1;
    return step;
  }
  if (!next.blocked.empty()) {
    step.blocked = true;
    step.fail[static_cast<std::size_t>(Outcome::SecurityGroupBlocked)] = 1;
    return step;
  }
  const ComponentId ci = next.component;
  const ComponentModel& c = model_.components[ci];
  const Node& from = model_.nodes[from_node];
  std::vector<std::pair<Place, double>> to;
  visit_kind(c.role, [&](auto k) { targets_in(k, step, to, here, next, from); });
  // The egress path to a regional AWS service.
  if (!c.service.empty() && from.zone >= 0) {
    if (!egress_open(egress_path(from, c.service), platform_)) {
      double reach = 0;
      for (const auto& [place, share] : to) reach += share;
      step.fail[static_cast<std::size_t>(Outcome::Unreachable)] += reach;
      to.clear();
    }
  }
  step.to = std::move(to);
  return step;
}

const FlowModel::Visit& FlowModel::visit(const Place& place) {
  const ComponentId ci = model_.nodes[place.node].component;
  auto& slots = visits_[ci];
  const ComponentModel& placed = model_.components[ci];
  const std::size_t tasks = slot_share_[ci].size();
  const std::size_t key = place.slot >= 0 ? static_cast<std::size_t>(place.slot)
                                          : tasks + static_cast<std::size_t>(std::find(placed.nodes.begin(), placed.nodes.end(), place.node) -
                                                                             placed.nodes.begin());
  auto& cached = slots[key];
  if (cached) return *cached;
  const ComponentModel& c = model_.components[ci];
  const ComponentControl& control = platform_.control(ci);
  Visit v;
  if (platform_.node_down(place.node)) {
    v.add_failure(kind(c.role).node_down, 1);
  } else {
    if (control.error_rate > 0) v.add_failure(Outcome::DependencyError, std::min(1.0, control.error_rate));
    v.cache_hit = cache_hit_ratio(c);
    visit_kind(c.role, [&](auto k) { admit_at(k, v, place, ci); });
  }
  cached = v;
  return *cached;
}

void FlowModel::targets_in(TaskService, Step& step, std::vector<std::pair<Place, double>>& to, const Hop& here, const Hop& next,
                           const Node& from) {
  const ComponentControl& control = platform_.control(next.component);
  const bool balanced = kind(model_.components[here.component].role).checks_targets;
  step.fail[static_cast<std::size_t>(Outcome::NoHealthyTarget)] +=
      TaskService::task_shares_flow(model_, control, balanced, here.cross_zone, from.zone, [&](int t, double share) {
        to.push_back({Place{control.tasks[static_cast<std::size_t>(t)].node, t}, share});
      });
}

void FlowModel::targets_in(Database, Step& step, std::vector<std::pair<Place, double>>& to, const Hop&, const Hop& next, const Node&) {
  const ComponentControl& control = platform_.control(next.component);
  if (const Outcome reached = Database::reach_primary(control); reached != Outcome::Ok) {
    step.fail[static_cast<std::size_t>(reached)] = 1;
  } else {
    to.push_back({Place{control.tasks[Database::kPrimarySlot].node, Database::kPrimarySlot}, 1.0});
  }
}

template <class K>
void FlowModel::targets_in(K, Step&, std::vector<std::pair<Place, double>>& to, const Hop&, const Hop& next, const Node&) {
  const ComponentModel& c = model_.components[next.component];
  if (c.nodes.size() == 1) {
    to.push_back({Place{c.nodes.front(), -1}, 1.0});
    return;
  }
  K::node_shares_flow(c, platform_.control(next.component), platform_, engine_.now().ns,
                      [&](NodeId node, double share) { to.push_back({Place{node, -1}, share}); });
}

template <class K>
  requires K::kHoldsTaskSlots
void FlowModel::admit_at(K, Visit& v, const Place& place, ComponentId ci) {
  const Task& task = platform_.control(ci).tasks[static_cast<std::size_t>(place.slot)];
  if (task.state != TaskState::Running) {
    v.add_failure(K::kTaskGone, 1);
    return;
  }
  const auto& queues = queues_[ci];
  if (static_cast<std::size_t>(place.slot) < queues.size() && queues[static_cast<std::size_t>(place.slot)]) {
    v.wait = queues[static_cast<std::size_t>(place.slot)].get();
    // Saturated: the task serves its slots' worth and its queue turns the rest away.
    if (!v.wait->stable()) {
      v.served_share = 1 / std::max(1.0, v.wait->utilisation());
      v.add_failure(Outcome::QueueFull, 1 - v.served_share);
    }
  }
  if (const ReleaseSpec* release = platform_.release(task.release); release != nullptr && release->error_rate > 0) {
    v.add_failure(Outcome::ReleaseError, release->error_rate);
  }
}

void FlowModel::admit_at(FunctionPool, Visit& v, const Place&, ComponentId ci) {
  const ComponentModel& c = model_.components[ci];
  const FunctionPool::FlowAdmission a = FunctionPool::admit_flow(c, rate_per_ns_ * arrival_share_[ci], model_.lambda_unreserved_concurrency);
  v.add_failure(Outcome::Throttled, a.throttled);
  v.provisioned = a.provisioned;
  v.cold_start = a.cold_start;
  if (c.behaviour.timeout.ns > 0) v.add_failure(Outcome::Timeout, a.timed_out);
}

void FlowModel::admit_at(TokenBucketTable, Visit& v, const Place&, ComponentId ci) {
  v.add_failure(Outcome::Throttled, TokenBucketTable::throttled_flow(model_.components[ci], rate_per_ns_ * 1e9 * arrival_share_[ci]));
}

template <class K>
void FlowModel::admit_at(K, Visit&, const Place&, ComponentId) {}

void FlowModel::meter_per_request(RouteFlow& flow, int id, double amount) const {
  if (id < 0 || amount == 0) return;
  for (auto& [m, a] : flow.meters) {
    if (m == id) {
      a += amount;
      return;
    }
  }
  flow.meters.emplace_back(id, amount);
}

double FlowModel::propagate(int plan_index, int h, const Place& at, double weight, bool first_pass, RouteFlow& flow) {
  // `weight` of the route's requests is at hop h, at `at`; returns the share of the route's
  // requests that comes back successful through here. Failures add to flow.outcome. The first
  // pass only records where the traffic arrives (queues are not known yet): every arrival
  // goes on, and only the structural failures (no target, no path) stop it.
  const RoutePlan& plan = model_.plans[static_cast<std::size_t>(plan_index)];
  const Hop& hop = plan.hops[static_cast<std::size_t>(h)];
  const ComponentId ci = hop.component;
  const ComponentModel& c = model_.components[ci];
  const ComponentMeters& ids = recorder_.meters(ci);
  const double req = request_bytes_[static_cast<std::size_t>(plan_index)], resp = response_bytes_[static_cast<std::size_t>(plan_index)];
  double ok = weight;
  double answered_here = 0;  // CloudFront hits: answered without going on
  if (h > 0 && first_pass) {
    if (at.slot >= 0) slot_share_[ci][static_cast<std::size_t>(at.slot)] += weight;
    arrival_share_[ci] += weight;
  } else if (h > 0) {
    meter_per_request(flow, visit_kind(c.role, [&](auto k) { return decltype(k)::arrival_meter(ids, plan); }), weight);
    if (ids.metered_requests >= 0) {
      const double increment = static_cast<double>(c.behaviour.metering_increment.count);
      meter_per_request(flow, ids.metered_requests, weight * std::max(1.0, std::ceil(req / increment)));
    }
    if (kind(c.role).feeds_service_load) services_[ci].reached += weight;
    const Visit& v = visit(at);
    double failed = 0;
    for (std::size_t o = 1; o < kOutcomeCount; ++o) {
      if (v.fail[o] <= 0) continue;
      flow.outcome[o] += weight * v.fail[o];
      failed += v.fail[o];
    }
    ok = weight * std::max(0.0, 1 - failed);
    visit_kind(c.role, [&](auto k) { meter_at(k, flow, c, ids, v, weight, ok, req + resp); });
    if (kind(c.role).answers_from_cache) {
      meter_per_request(flow, ids.cache_hits, ok * v.cache_hit);
      answered_here = ok * v.cache_hit;
      ok -= answered_here;
    }
    if (kind(c.role).logs_requests && c.log_group &&
        c.behaviour.log_bytes_per_request.count > 0) {
      const Egress path = egress_path(model_.nodes[at.node], "logs");
      if (egress_open(path, platform_)) {
        const auto bytes = static_cast<double>(c.behaviour.log_bytes_per_request.count);
        if (path.via) meter_per_request(flow, recorder_.meters(*path.via).bytes, ok * bytes);
        meter_per_request(flow, recorder_.meters(*c.log_group).log_bytes, ok * bytes);
      }
    }
  }
  double back = answered_here;
  if (ok > 0 && !hop.fanout.empty()) {
    // KrakenD: every backend at once; the request succeeds when they all do.
    double all_ok = 1;
    for (int sub : hop.fanout) {
      RouteFlow child;
      const double child_ok = propagate(sub, 0, at, 1.0, first_pass, child);
      all_ok *= child_ok;
      for (const auto& [id, amount] : child.meters) meter_per_request(flow, id, ok * amount);
    }
    flow.outcome[static_cast<std::size_t>(Outcome::BackendError)] += ok * (1 - all_ok);
    back += ok * all_ok;
  } else if (ok > 0 && static_cast<std::size_t>(h) + 1 < plan.hops.size()) {
    const Step& st = step(plan_index, h, at.node);
    for (std::size_t o = 1; o < kOutcomeCount; ++o) flow.outcome[o] += ok * st.fail[o];
    const ComponentId next_ci = plan.hops[static_cast<std::size_t>(h + 1)].component;
    const ComponentModel& next = model_.components[next_ci];
    if (kind(next.role).feeds_service_load && !first_pass) {
      double sent = 0;
      for (const auto& [place, share] : st.to) sent += share;
      services_[next_ci].requests += ok * (sent + st.fail[static_cast<std::size_t>(Outcome::NoHealthyTarget)]);
    }
    const Node& from = model_.nodes[at.node];
    for (const auto& [place, share] : st.to) {
      const double w = ok * share;
      if (w <= 0) continue;
      const Node& to = model_.nodes[place.node];
      if (!first_pass) {
        // The walk's meter_cross_zone, forward and back, and the egress paths' bytes.
        if (from.zone >= 0 && to.zone >= 0 && from.zone != to.zone) {
          const bool balancer_end = kind(model_.components[to.component].role).bills_crossings;
          meter_per_request(flow, recorder_.meters(balancer_end ? to.component : from.component).cross_zone, w * req);
          const bool back_to_balancer = kind(model_.components[from.component].role).bills_crossings;
          meter_per_request(flow, recorder_.meters(back_to_balancer ? from.component : to.component).cross_zone, w * resp);
        }
        if (!next.service.empty() && from.zone >= 0) {
          const Egress path = egress_path(from, next.service);
          if (path.via) meter_per_request(flow, recorder_.meters(*path.via).bytes, w * (req + resp));
        }
        if (from.zone == kInternet) meter_per_request(flow, recorder_.meters(to.component).data_out, w * resp);
        const int retrieved = recorder_.meters(to.component).retrieved;
        if (retrieved >= 0 && !model_.plans[plan_index].write) meter_per_request(flow, retrieved, w * resp);
      }
      const double returned = propagate(plan_index, h + 1, place, w, first_pass, flow);
      if (kind(next.role).feeds_service_load && !first_pass) services_[next_ci].errors += w - returned;
      back += returned;
    }
  } else {
    back += ok;
  }
  return back;
}

// ---------------------------------------------------------------- latency samples

namespace {

struct Sampled {
  std::int64_t ns = 0;
  bool failed = false;     ///< a failure the outcome shares already count: draw again
  bool timed_out = false;  ///< a caller's timeout ran out: a success that becomes a 504
};

}  // namespace

template <class K>
void FlowModel::meter_at(K, RouteFlow&, const ComponentModel&, const ComponentMeters&, const Visit&, double, double, double) {}

void FlowModel::meter_at(LoadBalancer, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit&, double weight,
                         double, double bytes) {
  LoadBalancer::meter_flow(c, ids, workload_.connections, bytes, weight, [&](int id, double amount) { meter_per_request(flow, id, amount); });
}

void FlowModel::meter_at(FunctionPool, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit& v, double weight,
                         double, double) {
  FunctionPool::meter_flow(c, ids, weight * (1 - v.fail[static_cast<std::size_t>(Outcome::Throttled)]), v.cold_start, v.provisioned,
                           [&](int id, double amount) { meter_per_request(flow, id, amount); });
}

void FlowModel::meter_at(TokenBucketTable, RouteFlow& flow, const ComponentModel& c, const ComponentMeters& ids, const Visit&, double,
                         double ok, double) {
  TokenBucketTable::meter_served(c, ids, ok, [&](int id, double amount) { meter_per_request(flow, id, amount); });
}

template <class K>
std::int64_t FlowModel::sample_work(K, const Visit&, ComponentId ci, int, RandomStream& rng) {
  return K::draw_work_ns(model_.components[ci], rng);
}

template <class K>
  requires K::kHoldsTaskSlots
std::int64_t FlowModel::sample_work(K, const Visit& v, ComponentId ci, int slot, RandomStream& rng) {
  const ComponentModel& c = model_.components[ci];
  std::int64_t t = 0;
  if (v.wait != nullptr) {
    if (v.wait->stable()) {
      t += static_cast<std::int64_t>(v.wait->sample_ns(rng));
    } else {
      // Saturated: the queue stays full, so a request waits for the queue ahead of it.
      t += static_cast<std::int64_t>(saturated_wait_ns(c));
    }
  }
  t += draw_ns(c.service_time, rng);
  const Task& task = platform_.task(ci, slot);
  if (const ReleaseSpec* release = platform_.release(task.release); release != nullptr && release->added_latency) {
    t += draw_ns(*release->added_latency, rng);
  }
  return t;
}

std::int64_t FlowModel::sample_work(FunctionPool, const Visit& v, ComponentId ci, int, RandomStream& rng) {
  return FunctionPool::sample_flow_ns(model_.components[ci], v.provisioned, v.cold_start, rng);
}

std::optional<std::int64_t> FlowModel::sample_request(int plan) {
  const RoutePlan& p = model_.plans[static_cast<std::size_t>(plan)];
  const NodeId first = model_.components[p.hops[0].component].nodes.front();
  for (int attempt = 0; attempt < kSampleAttempts; ++attempt) {
    const auto s = sample_from(plan, 0, Place{first, -1});
    if (s) return s;  // a latency, or -1: timed out
  }
  return std::nullopt;
}

std::optional<std::int64_t> FlowModel::sample_from(int plan_index, int h, const Place& at) {
  // Time from the request reaching hop h to its answer leaving hop h; nothing when it fails
  // (drawn from the same shares as the outcomes), -1 when a caller's timeout runs out.
  RandomStream& rng = latency_rng_;
  const RoutePlan& plan = model_.plans[static_cast<std::size_t>(plan_index)];
  const Hop& hop = plan.hops[static_cast<std::size_t>(h)];
  const ComponentModel& c = model_.components[hop.component];
  std::int64_t t = 0;
  if (h > 0) {
    const Visit& v = visit(at);
    double u = rng.uniform();
    for (std::size_t o = 1; o < kOutcomeCount; ++o) {
      u -= v.fail[o];
      if (u < 0) return std::nullopt;
    }
    t += visit_kind(c.role, [&](auto k) { return sample_work(k, v, hop.component, at.slot, rng); });
    if (kind(c.role).answers_from_cache && rng.uniform() < v.cache_hit) return t;
  }
  if (!hop.fanout.empty()) {
    std::int64_t slowest = 0;
    for (int sub : hop.fanout) {
      const auto s = sample_from(sub, 0, at);
      if (!s) return std::nullopt;
      if (*s < 0) return -1;
      slowest = std::max(slowest, *s);
    }
    return t + slowest;
  }
  if (static_cast<std::size_t>(h) + 1 >= plan.hops.size()) return t;
  const Step& st = step(plan_index, h, at.node);
  double u = rng.uniform();
  for (std::size_t o = 1; o < kOutcomeCount; ++o) {
    u -= st.fail[o];
    if (u < 0) return std::nullopt;
  }
  if (st.to.empty()) return std::nullopt;
  const Place* place = &st.to.back().first;
  for (const auto& [p, share] : st.to) {
    u -= share;
    if (u < 0) {
      place = &p;
      break;
    }
  }
  const Node& from = model_.nodes[at.node];
  const Node& to = model_.nodes[place->node];
  const ComponentModel& next = model_.components[to.component];
  const Distribution& delay = delays_.between(from, to);
  std::int64_t wait = draw_ns(delay, rng);
  for (const Distribution* slow : platform_.control(to.component).slow) wait += draw_ns(*slow, rng);
  if (!next.service.empty() && from.zone >= 0) {
    const Egress path = egress_path(from, next.service);
    if (path.via) wait += 2 * draw_ns(model_.components[*path.via].service_time, rng);
  }
  const auto below = sample_from(plan_index, h + 1, *place);
  if (!below) return std::nullopt;
  if (*below < 0) return -1;
  wait += *below + draw_ns(delays_.between(to, from), rng);
  if (c.behaviour.timeout.ns > 0 && wait > c.behaviour.timeout.ns) return -1;
  return t + wait;
}

}  // namespace archsim::sim::detail
