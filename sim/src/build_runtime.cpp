#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/graph.hpp"
#include "archsim/model/security_groups.hpp"
#include "decode_faults.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

using model::ComponentType;

namespace {

Role role_of(ComponentType type) {
  switch (type) {
    case ComponentType::InternetUsers: return Role::Users;
    case ComponentType::CloudFront: return Role::Edge;
    case ComponentType::ApiGateway: return Role::Gateway;
    case ComponentType::LoadBalancer: return Role::Balancer;
    case ComponentType::EcsService: return Role::Service;
    case ComponentType::Lambda: return Role::Function;
    case ComponentType::Rds: return Role::Database;
    case ComponentType::DynamoDb: return Role::Table;
    case ComponentType::S3Bucket: return Role::Store;
    default: return Role::Passive;
  }
}

/// The AWS service a caller needs a network path to, as VPC endpoints name it.
std::string service_of(ComponentType type) {
  switch (type) {
    case ComponentType::DynamoDb: return "dynamodb";
    case ComponentType::S3Bucket: return "s3";
    case ComponentType::LogGroup: return "logs";
    default: return {};
  }
}

/// Whether a KrakenD url_pattern (`/users/*`, `/health`) matches a route's path.
bool pattern_matches(std::string_view pattern, std::string_view path) {
  if (!pattern.empty() && pattern.back() == '*') return path.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  return pattern == path;
}

model::Diagnostic error_at(const std::string& path, std::string message) {
  return model::Diagnostic{model::Severity::Error, model::SourceLoc{}, path, std::move(message)};
}

/// The route of every trace record, once per alternative (replications share it): by id for
/// CSV traces; for access-log requests, the route whose path is the longest prefix of the URL
/// (the first route when none matches).
bool map_trace(const TraceSpec& trace, RuntimeModel& m, model::Diagnostic& error) {
  m.trace_plans.reserve(trace.records.size());
  for (const auto& record : trace.records) {
    std::uint32_t plan = 0;
    bool found = false;
    if (!record.route.empty()) {
      for (std::size_t p = 0; p < m.route_count && !found; ++p) {
        if (m.plans[p].id == record.route) plan = static_cast<std::uint32_t>(p), found = true;
      }
      if (!found) {
        error = error_at(trace.path, fmt::format("trace route '{}' is not a route of this alternative", record.route));
        return false;
      }
    } else {
      std::size_t best = 0;
      for (std::size_t p = 0; p < m.route_count; ++p) {
        const auto& rp = m.plans[p];
        std::string_view prefix = rp.url_path;
        if (!prefix.empty() && prefix.back() == '*') prefix.remove_suffix(1);
        if (record.url_path.compare(0, prefix.size(), prefix) == 0 && (!found || prefix.size() > best) &&
            (rp.method == record.method || record.method.empty())) {
          plan = static_cast<std::uint32_t>(p);
          best = prefix.size();
          found = true;
        }
      }
    }
    m.trace_plans.push_back(plan);
  }
  return true;
}

/// The AWS facts the static review reads (model/data), loaded once.
const model::AwsFacts& aws_facts() {
  static const model::AwsFacts facts = model::builtin_aws_facts();
  return facts;
}

/// What an ECS task placed at `v` needs to start (image pull, secrets, log delivery) and
/// whether the graph gives it a way: privately through VPC endpoints, or over the internet
/// (through a NAT gateway, whose loss then stops launches there).
void start_needs(const model::ArchGraph& g, model::Vertex v, const std::map<std::string, ComponentId, std::less<>>& index, Node& node) {
  const model::AwsFacts& facts = aws_facts();
  const model::Egress egress = model::egress_of(g, v);
  for (const auto& need : model::needs_of(g, v)) {
    if (!model::can_reach(egress, facts, need)) {
      node.start_blocker = need == "ecr" ? "cannot pull its image: no NAT path and no ECR endpoints"
                                         : fmt::format("cannot reach {}: no NAT path and no VPC endpoint", need);
      return;
    }
    if (!model::missing_endpoints(egress, facts, need).empty()) {
      for (model::Vertex hop : egress.internet_vertices) {
        if (g.graph[hop].kind == model::VertexKind::Component && g.graph[hop].type == ComponentType::NatGateway) {
          node.start_via_nat = index.at(g.graph[hop].component);
        }
      }
    }
  }
}

/// The faults that apply to this alternative: zone outages of its zones, component faults
/// on components it has that the effect can hit (fault_can_hit).
void resolve_faults(const model::TopologySpec& t, const WorkloadSpec& w, const std::map<std::string, ComponentId, std::less<>>& index,
                    RuntimeModel& m) {
  for (const auto& f : w.faults) {
    RuntimeModel::Fault fault{&f, -1, std::nullopt};
    if (f.effect == FaultEffect::ZoneOutage) {
      const auto it = std::find(m.zones.begin(), m.zones.end(), f.target.zone);
      if (it != m.zones.end()) fault.zone = static_cast<int>(it - m.zones.begin());
    } else if (const auto it = index.find(f.target.component); it != index.end() && fault_can_hit(f.effect, t, f.target.component)) {
      fault.component = it->second;
    }
    if (fault.zone >= 0 || fault.component) m.faults.push_back(fault);
  }
}

/// How each ECS service deploys (topology) and which of the workload's deployments apply.
bool resolve_deployments(const model::TopologySpec& t, const WorkloadSpec& w, const SimDefaults& defaults,
                         const std::map<std::string, ComponentId, std::less<>>& index, RuntimeModel& m, model::Diagnostic& error) {
  for (const auto& s : t.ecs_services) {
    ComponentModel& c = m.components[index.at(s.id)];
    const model::DeploymentSpec& d = s.deployment;
    c.minimum_healthy_percent = d.minimum_healthy_percent;
    c.maximum_percent = d.maximum_percent;
    c.alarm = d.alarm;
    c.ready_timeout = defaults.deployments.ready_timeout;
    if (d.strategy != "blue_green") continue;
    c.blue_green = true;
    bool balanced = false;
    for (const auto& lb : m.components) {
      balanced = balanced || std::find(lb.balanced_services.begin(), lb.balanced_services.end(), index.at(s.id)) != lb.balanced_services.end();
    }
    if (!d.codedeploy || t.load_balancer(d.codedeploy->load_balancer) == nullptr || !balanced) {
      c.deploy_blocker = "CodeDeploy blue/green needs a load balancer with two target groups in front of the service, and "
                         "ECS refuses to create the service without one (rule blue-green-without-load-balancer)";
      continue;
    }
    const model::CodeDeploySpec& cd = *d.codedeploy;
    const auto config = defaults.deployments.codedeploy_configs.find(cd.config);
    if (config == defaults.deployments.codedeploy_configs.end()) {
      std::vector<std::string> names;
      for (const auto& [name, shift] : defaults.deployments.codedeploy_configs) names.push_back(name);
      error = error_at(cd.path + ".config", fmt::format("unknown CodeDeploy configuration '{}'{}; the predefined ECS ones are {}",
                                                        cd.config, model::did_you_mean(cd.config, names), fmt::join(names, ", ")));
      return false;
    }
    const TrafficShift& shift = config->second;
    const auto* lb = t.load_balancer(cd.load_balancer);
    if (lb->lb_type == model::LoadBalancerType::Network && shift.percent < 100) {
      error = error_at(cd.path + ".config", fmt::format("{} shifts traffic in steps, which CodeDeploy allows only behind an Application "
                                                        "Load Balancer; behind the Network Load Balancer {} only "
                                                        "CodeDeployDefault.ECSAllAtOnce works",
                                                        cd.config, lb->id));
      return false;
    }
    if (shift.canary) {
      c.shift_steps = {{Duration{}, shift.percent / 100}, {shift.interval, 1.0}};
    } else {
      const int steps = static_cast<int>(std::ceil(100 / shift.percent - 1e-9));
      for (int k = 1; k <= steps; ++k) {
        c.shift_steps.emplace_back(Duration{shift.interval.ns * (k - 1)}, std::min(1.0, k * shift.percent / 100));
      }
    }
    c.termination_wait = cd.termination_wait.value_or(defaults.deployments.termination_wait);
    c.test_traffic_wait = cd.test_traffic_wait.value_or(Duration{});
  }
  for (const auto& spec : w.deployments) {
    const auto it = index.find(spec.service);
    if (it == index.end()) continue;  // another alternative's service
    if (m.components[it->second].role != Role::Service) {
      error = error_at(spec.path + ".service", fmt::format("{} is a {}; deployments ship releases of ECS services and KrakenD", spec.service,
                                                           model::type_keyword(m.components[it->second].type)));
      return false;
    }
    RuntimeModel::Deployment d{&spec, it->second, std::nullopt};
    if (!spec.at) {
      std::string why;
      d.schedule = model::parse_cron(spec.schedule, spec.timezone, why);
      if (!d.schedule) continue;  // reported when the workload was decoded
    }
    m.deployments.push_back(std::move(d));
  }
  return true;
}

}  // namespace

std::optional<RuntimeModel> build_runtime(const model::TopologySpec& t, const WorkloadSpec& w, const SimDefaults& defaults,
                                          model::Diagnostic& error) {
  RuntimeModel m;
  m.zones = t.zones;
  m.network = defaults.network;
  m.dynamodb_burst_seconds = defaults.dynamodb_burst_seconds;
  m.minute_error_threshold = w.minute_error_threshold.value_or(defaults.minute_error_threshold);
  for (const auto& [relation, dist] : w.network.delays) m.network[relation] = dist;
  const model::ArchGraph g = model::build_graph(t);
  std::map<std::string, ComponentId, std::less<>> index;
  for (const auto& id : t.component_order) {
    index[id] = m.components.next_id();
    ComponentModel c;
    c.id = id;
    c.type = t.component(id)->type;
    c.role = role_of(c.type);
    c.kind = kind_key(t, id);
    c.service = service_of(c.type);
    const auto wc = w.components.find(id);
    c.behaviour = resolve_behaviour(defaults, c.kind, wc == w.components.end() ? nullptr : &wc->second);
    c.service_time = c.behaviour.service_time;
    c.concurrency = c.behaviour.concurrency;
    m.components.push_back(std::move(c));
  }
  auto zone_index = [&](const std::string& zone) {
    const auto it = std::find(m.zones.begin(), m.zones.end(), zone);
    if (it != m.zones.end()) return static_cast<int>(it - m.zones.begin());
    m.zones.push_back(zone);
    return static_cast<int>(m.zones.size() - 1);
  };
  for (auto& c : m.components) {
    const ComponentId ci = index[c.id];
    for (model::Vertex v : g.of(c.id)) {
      const model::Placement& p = g.graph[v];
      Node node;
      node.component = ci;
      node.label = p.label;
      if (c.role == Role::Users) node.zone = kInternet;
      else if (c.role == Role::Edge) node.zone = kEdge;
      else if (!p.zone.empty()) node.zone = zone_index(p.zone);
      if (node.zone >= 0) {
        const model::Egress egress = model::egress_of(g, v);
        Egress nat = kDirect;
        for (model::Vertex hop : egress.internet_vertices) {
          if (g.graph[hop].kind == model::VertexKind::Component && g.graph[hop].type == ComponentType::NatGateway) {
            nat = Egress{true, index[g.graph[hop].component]};
          }
        }
        for (const char* service : {"dynamodb", "s3", "logs"}) {
          if (const auto e = egress.endpoints.find(service); e != egress.endpoints.end()) {
            node.egress_via[service] = Egress{true, index[g.graph[e->second].component]};
          } else {
            node.egress_via[service] = egress.internet ? nat : kNoPath;
          }
        }
      }
      if (c.role == Role::Service) start_needs(g, v, index, node);
      // A Multi-AZ standby serves no requests until a failover, so it is no entry point.
      if (p.standby) {
        c.standby_node = m.nodes.next_id();
      } else {
        c.nodes.push_back(m.nodes.next_id());
      }
      m.nodes.push_back(std::move(node));
    }
    if (c.nodes.empty()) {
      // Components the graph does not place (log groups, secrets) still meter usage.
      Node node;
      node.component = ci;
      node.label = c.id;
      c.nodes.push_back(m.nodes.next_id());
      m.nodes.push_back(std::move(node));
    }
  }
  for (const auto& s : t.ecs_services) {
    ComponentModel& c = m.components[index[s.id]];
    c.vcpu = s.vcpu;
    c.memory_gb = static_cast<double>(s.memory.count) / (1024.0 * 1024.0 * 1024.0);
    if (c.behaviour.reference_vcpu > 0) c.service_time = c.behaviour.service_time.scaled(c.behaviour.reference_vcpu / s.vcpu);
    // ECS spreads a service's tasks evenly over its zones (the default spread placement).
    for (int k = 0; k < s.desired_count; ++k) c.task_nodes.push_back(c.nodes[static_cast<std::size_t>(k) % c.nodes.size()]);
    if (!s.log_group.empty()) c.log_group = index[s.log_group];
    c.desired_count = s.desired_count;
    c.min_count = s.min_count;
    c.max_count = s.max_count;
    if (s.autoscaling) {
      c.target_tracking = s.autoscaling->target_tracking;
      c.step_scaling = s.autoscaling->step_scaling;
      c.scheduled_actions = s.autoscaling->scheduled;
      for (const auto& action : c.scheduled_actions) {
        std::string why;
        c.schedules.push_back(model::parse_cron(action.schedule, action.timezone, why).value_or(model::CronSchedule{}));
      }
    }
    const double image_gb = static_cast<double>(s.image.size.value_or(c.behaviour.image_size).count) / 1e9;
    c.image_pull = Duration{static_cast<std::int64_t>(image_gb * static_cast<double>(c.behaviour.image_pull_time_per_gb.ns))};
    c.health_check_grace = s.health_check_grace.value_or(Duration{});
    c.capacity_providers = model::effective_strategy(s, t.fargate_spot);
    c.places_on_spot = model::places_on_spot(c.capacity_providers);
  }
  for (const auto& f : t.lambdas) {
    ComponentModel& c = m.components[index[f.id]];
    c.memory_gb = static_cast<double>(f.memory.count) / (1024.0 * 1024.0 * 1024.0);
    if (f.reserved_concurrency) c.concurrency = *f.reserved_concurrency;
    c.account_pool = !f.reserved_concurrency;
    c.provisioned_concurrency = f.provisioned_concurrency;
    // Cold starts by runtime and memory, unless the workload gives this function its own.
    const auto wc = w.components.find(f.id);
    if (wc == w.components.end() || !wc->second.cold_start) {
      for (const auto& [prefix, runtime] : defaults.lambda_runtimes) {
        if (!f.runtime.starts_with(prefix)) continue;
        // configuration-memory.html: 1,769 MB is one vCPU; Lambda's MB are MiB (its 10,240 MB maximum is 10 GiB).
        constexpr double kOneVcpuBytes = 1769.0 * 1024 * 1024;
        const double cpu_at = std::min(static_cast<double>(f.memory.count), kOneVcpuBytes);
        c.behaviour.cold_start = runtime.cold_start.scaled(static_cast<double>(runtime.memory.count) / cpu_at);
        break;
      }
    }
    if (f.timeout) c.behaviour.timeout = *f.timeout;
  }
  // Lambda: reserved concurrency is carved out of the account's limit; the functions without
  // it share what is left, less the provisioned environments those functions keep for
  // themselves (lambda-concurrency.html: provisioned concurrency counts toward the account's
  // concurrency as well).
  const int account = w.lambda_account_concurrency.value_or(defaults.lambda_account_concurrency);
  m.lambda_unreserved_concurrency = account;
  for (const auto& f : t.lambdas) {
    const int kept = f.reserved_concurrency.value_or(f.provisioned_concurrency);
    m.lambda_unreserved_concurrency -= kept;
    // AWS refuses the reservation (PutFunctionConcurrency) that would leave less than this.
    if (kept > 0 && m.lambda_unreserved_concurrency < defaults.lambda_unreserved_minimum) {
      error = error_at(f.path + (f.reserved_concurrency ? ".reserved_concurrency" : ".provisioned_concurrency"),
                       fmt::format("the functions' reserved and provisioned concurrency would leave {} of the account's {} unreserved; "
                                   "Lambda keeps at least {} for the other functions (raise workload.lambda_account_concurrency, "
                                   "as a quota increase would, or reserve less)",
                                   std::max(0, m.lambda_unreserved_concurrency), account, defaults.lambda_unreserved_minimum));
      return std::nullopt;
    }
  }
  for (const auto& db : t.databases) {
    ComponentModel& c = m.components[index[db.id]];
    c.task_nodes.push_back(c.nodes.front());
  }
  for (const auto& table : t.dynamodb_tables) {
    ComponentModel& c = m.components[index[table.id]];
    const bool provisioned = table.billing_mode == "provisioned";
    c.read_units_per_second = provisioned ? table.read_capacity : defaults.dynamodb_on_demand_units_per_second;
    c.write_units_per_second = provisioned ? table.write_capacity : defaults.dynamodb_on_demand_units_per_second;
  }
  for (const auto& bucket : t.s3_buckets) {
    m.components[index[bucket.id]].bills_retrieval = bucket.bills_retrieval();
  }
  for (const auto& api : t.api_gateways) {
    ComponentModel& c = m.components[index[api.id]];
    c.authorizer = api.authorizer.type != "none";
    if (api.integration_timeout) c.behaviour.timeout = std::min(c.behaviour.timeout, *api.integration_timeout);
  }
  for (const auto& lb : t.load_balancers) {
    ComponentModel& c = m.components[index[lb.id]];
    c.cross_zone = lb.cross_zone_enabled();
    // The first target group registering a service checks its tasks' health for every
    // load balancer in front of it.
    for (const auto& tg : lb.target_groups) {
      const auto it = index.find(tg.targets);
      if (it == index.end()) continue;
      ComponentModel& target = m.components[it->second];
      if (target.role != Role::Service) continue;
      c.balanced_services.push_back(it->second);
      if (target.health_checked) continue;
      target.health_checked = true;
      target.check_interval = tg.health_check.interval;
      target.check_timeout = tg.health_check.timeout;
      target.healthy_threshold = tg.health_check.healthy_threshold;
      target.unhealthy_threshold = tg.health_check.unhealthy_threshold;
      target.deregistration_delay = tg.deregistration_delay.value_or(c.behaviour.deregistration_delay);
    }
    if (lb.idle_timeout) c.behaviour.timeout = *lb.idle_timeout;
    for (const auto& l : lb.listeners) {
      if (l.default_action == "forward") c.rules_evaluated = std::max<int>(c.rules_evaluated, static_cast<int>(l.rules.size()) + 1);
    }
  }

  if (!resolve_deployments(t, w, defaults, index, m, error)) return std::nullopt;

  // Flows the security groups drop (the review's sg-blocks-request-flow): requests across
  // them time out, and a load balancer's health checks of the tasks behind one fail.
  const auto blocked = model::blocked_request_flows(g, t, aws_facts());
  auto blocked_reason = [&](const std::string& from, const std::string& to) -> std::string {
    for (const auto& f : blocked) {
      if (f.from == from && f.to == to) return f.reason;
    }
    return {};
  };
  for (const auto& lb : t.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      const auto it = index.find(tg.targets);
      if (it == index.end()) continue;
      ComponentModel& target = m.components[it->second];
      if (target.role == Role::Service && target.checks_blocked.empty()) target.checks_blocked = blocked_reason(lb.id, tg.targets);
    }
  }

  // Route plans.
  double total_share = 0;
  bool shares_overridden = false;
  std::vector<RoutePlan> subs;  // KrakenD fan-out calls; numbered after the routes
  for (const auto& r : t.routes) {
    RoutePlan plan;
    plan.id = r.id;
    plan.share = r.share;
    plan.request_size = Distribution::constant(static_cast<double>(r.request_size.count));
    plan.response_size = Distribution::constant(static_cast<double>(r.response_size.count));
    plan.write = r.method != "GET" && r.method != "HEAD";
    plan.method = r.method;
    plan.url_path = r.url_path;
    if (const auto it = w.routes.find(r.id); it != w.routes.end()) {
      if (it->second.share) plan.share = *it->second.share, shares_overridden = true;
      if (it->second.request_size) plan.request_size = *it->second.request_size;
      if (it->second.response_size) plan.response_size = *it->second.response_size;
    }
    if (r.hops.size() < 2) {
      // The loader refuses it too; the walk picks the next hop's target and needs one.
      error = error_at(r.path + ".hops", fmt::format("route '{}' has no component after its entry", r.id));
      return std::nullopt;
    }
    if (r.hops.size() > kMaxHops) {
      error = error_at(r.path, fmt::format("route '{}' has {} hops; the simulator follows at most {}", r.id, r.hops.size(), kMaxHops));
      return std::nullopt;
    }
    const auto gaps = model::analyse_route(g, t, r).gaps;
    for (std::size_t h = 0; h < r.hops.size(); ++h) {
      Hop hop;
      hop.component = index[r.hops[h].component];
      if (h > 0) {
        const std::string gap = r.hops[h - 1].component + " -> " + r.hops[h].component;
        if (std::find(gaps.begin(), gaps.end(), gap) != gaps.end()) {
          hop.no_path = fmt::format("route {}: nothing connects {} (no target group, origin, integration, gateway endpoint or "
                                    "application call between them)", r.id, gap);
        }
      }
      const ComponentModel& c = m.components[hop.component];
      if (c.role == Role::Balancer && h + 1 < r.hops.size()) {
        const auto* lb = t.load_balancer(c.id);
        hop.cross_zone = lb->cross_zone_enabled();
        for (const auto& tg : lb->target_groups) {
          if (tg.targets != r.hops[h + 1].component) continue;
          if (tg.cross_zone) hop.cross_zone = *tg.cross_zone;
          hop.least_outstanding = tg.algorithm == "least_outstanding_requests";
          break;
        }
      }
      if (h > 0) hop.blocked = blocked_reason(r.hops[h - 1].component, r.hops[h].component);
      plan.hops.push_back(hop);
      const auto* svc = t.ecs_service(c.id);
      if (svc != nullptr && svc->krakend) {
        // KrakenD calls every backend of the matching endpoint in parallel; with one backend
        // the route simply continues to it.
        for (const auto& e : svc->gateway_endpoints) {
          if (!pattern_matches(e.url_pattern, r.url_path) || e.method != r.method || e.backends.size() < 2) continue;
          for (const auto& backend : e.backends) {
            RoutePlan sub;
            sub.id = r.id + "/" + backend;
            sub.request_size = plan.request_size;
            sub.response_size = plan.response_size;
            sub.write = plan.write;
            sub.hops = {Hop{hop.component, {}, true, false}, Hop{index[backend], {}, true, false}};
            plan.hops.back().fanout.push_back(static_cast<int>(subs.size()));  // offset by the route count below
            subs.push_back(std::move(sub));
          }
          break;
        }
        // The walk counts a request's pending backend calls in Request::pending_children.
        if (plan.hops.back().fanout.size() > std::numeric_limits<FanoutCount>::max()) {
          error = error_at(r.path, fmt::format("route '{}' fans out to {} backends; the simulator follows at most {}", r.id,
                                               plan.hops.back().fanout.size(), std::numeric_limits<FanoutCount>::max()));
          return std::nullopt;
        }
        if (!plan.hops.back().fanout.empty()) break;  // the fan-out replaces the rest of the route
      }
    }
    total_share += plan.share;
    m.plans.push_back(std::move(plan));
  }
  // Routes first (their index is their stats slot), sub-plans after them.
  m.route_count = m.plans.size();
  for (std::size_t i = 0; i < m.route_count; ++i) {
    m.plans[i].stats = static_cast<int>(i);
    for (auto& hop : m.plans[i].hops) {
      for (int& f : hop.fanout) f += static_cast<int>(m.route_count);
    }
  }
  for (auto& sub : subs) m.plans.push_back(std::move(sub));
  if (m.route_count == 0 || total_share <= 0) {
    error = error_at(t.path + ".routes", "the topology has no route with a share above zero to send requests along");
    return std::nullopt;
  }
  // The topology's shares add up to 1 (the loader checks); the workload's overrides must too,
  // or the mix would be rescaled in silence.
  if (shares_overridden && std::abs(total_share - 1.0) > model::kRouteShareTolerance) {
    std::string parts;
    for (std::size_t i = 0; i < m.route_count; ++i) parts += fmt::format("{}{} {:g}", i ? " + " : "", m.plans[i].id, m.plans[i].share);
    error = error_at(w.path + ".routes", fmt::format("expected route shares (the topology's, with the workload's overrides) that add up to 1 "
                                                      "(within {:g}), found {:g} ({})",
                                                      model::kRouteShareTolerance, total_share, parts));
    return std::nullopt;
  }
  for (std::size_t i = 0; i < m.route_count; ++i) m.plans[i].share /= total_share;
  if (w.arrivals.trace && !map_trace(*w.arrivals.trace, m, error)) return std::nullopt;
  resolve_faults(t, w, index, m);
  return m;
}

}  // namespace archsim::sim::detail
