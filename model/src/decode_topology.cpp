// Decodes the `topology` part of a scenario: network, components and request routes.
// The key names here are the scenario language; docs/scenario-format.md and
// docs/scenario.schema.json describe the same keys for people and editors.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "decode_topology.hpp"

#include "archsim/model/schedule.hpp"

namespace archsim::model::detail {

using namespace decoding;

namespace {

void decode_vpc(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  VpcSpec v{.id = id, .path = path};
  r.required("cidr", v.cidr);
  r.optional("secondary_cidrs", v.secondary_cidrs);
  r.optional("internet_gateway", v.internet_gateway);
  t.vpcs.push_back(std::move(v));
}

void decode_subnet(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  SubnetSpec s{.id = id, .path = path};
  r.required("vpc", s.vpc);
  r.required("zone", s.zone);
  r.required("cidr", s.cidr);
  r.optional("public", s.is_public);
  r.optional("route_table", s.route_table);
  r.optional("other_workloads", s.other_workloads);
  t.subnets.push_back(std::move(s));
}

void decode_route(const std::string& path, MapReader& r, RouteTableSpec& table) {
  RouteSpec route{.path = path};
  r.required("destination", route.destination);
  int targets = 0;
  bool flag = false;
  if (r.optional("internet_gateway", flag) && flag) {
    route.target = RouteTarget::InternetGateway;
    ++targets;
  }
  if (r.optional("nat_gateway", route.target_id)) {
    route.target = RouteTarget::NatGateway;
    ++targets;
  }
  std::string endpoint;
  if (r.optional("vpc_endpoint", endpoint)) {
    route.target = RouteTarget::VpcEndpoint;
    route.target_id = endpoint;
    ++targets;
  }
  if (r.optional("local", flag) && flag) {
    route.target = RouteTarget::Local;
    ++targets;
  }
  if (targets != 1) {
    r.context().error(r.node(), path,
                      fmt::format("a route needs exactly one target (internet_gateway: true, nat_gateway: ID, "
                                  "vpc_endpoint: ID or local: true), found {}",
                                  targets));
  }
  table.routes.push_back(std::move(route));
}

void decode_route_table(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  RouteTableSpec table{.id = id, .path = path};
  r.required("vpc", table.vpc);
  r.optional("main", table.main);
  if (const YamlNode* routes = r.take("routes")) {
    for_each_item(*routes, r.child("routes"), r.context(),
                  [&](std::size_t, const std::string& item_path, MapReader& rr) { decode_route(item_path, rr, table); });
  }
  t.route_tables.push_back(std::move(table));
}

bool parse_port_range(const std::string& text, int& from, int& to) {
  const auto dash = text.find('-');
  auto number = [](std::string_view s, int& out) {
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size() && out >= 0 && out <= 65535;
  };
  if (dash == std::string::npos) {
    if (!number(text, from)) return false;
    to = from;
    return true;
  }
  return number(std::string_view(text).substr(0, dash), from) && number(std::string_view(text).substr(dash + 1), to) &&
         from <= to;
}

void decode_sg_rule(const std::string& path, MapReader& r, std::vector<SecurityGroupRuleSpec>& out) {
  SecurityGroupRuleSpec rule{.path = path};
  r.keyword("protocol", rule.protocol,
            {{"tcp", IpProtocol::Tcp}, {"udp", IpProtocol::Udp}, {"icmp", IpProtocol::Icmp}, {"all", IpProtocol::All}});
  if (const YamlNode* ports = r.take("ports")) {
    std::string text;
    if (decode_value(*ports, r.child("ports"), r.context(), text) &&
        !parse_port_range(text, rule.from_port, rule.to_port)) {
      r.context().error(*ports, r.child("ports"),
                        fmt::format("expected a port (443) or a range (8000-8100) within 0-65535, found '{}'", text));
    }
  } else if (rule.protocol == IpProtocol::Tcp || rule.protocol == IpProtocol::Udp) {
    r.context().error(r.node(), path, "missing required key 'ports' (a port such as 443 or a range such as 8000-8100)");
  }
  r.optional("cidr", rule.cidr);
  r.optional("group", rule.group);
  r.optional("description", rule.description);
  if (rule.cidr.has_value() == !rule.group.empty()) {
    r.context().error(r.node(), path, "a security group rule names exactly one peer: 'cidr' or 'group'");
  }
  out.push_back(std::move(rule));
}

void decode_security_group(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  SecurityGroupSpec sg{.id = id, .path = path};
  r.required("vpc", sg.vpc);
  std::string description;
  r.optional("description", description);
  for (const auto* direction : {"ingress", "egress"}) {
    auto& rules = std::string_view(direction) == "ingress" ? sg.ingress : sg.egress;
    if (const YamlNode* list = r.take(direction)) {
      for_each_item(*list, r.child(direction), r.context(),
                    [&](std::size_t, const std::string& item_path, MapReader& rr) { decode_sg_rule(item_path, rr, rules); });
    } else if (std::string_view(direction) == "egress") {
      // AWS gives every new security group an allow-all egress rule.
      rules.push_back({.path = path, .protocol = IpProtocol::All, .cidr = CidrText{"0.0.0.0/0", path}});
    }
  }
  t.security_groups.push_back(std::move(sg));
}

// ---------------------------------------------------------------- components

void decode_health_check(const YamlNode* node, const std::string& path, DecodeContext& ctx, HealthCheckSpec& hc) {
  hc.path = path;
  if (node == nullptr) {
    hc.defaulted = true;
    return;
  }
  MapReader r(*node, path, ctx);
  r.choice("protocol", hc.protocol, {"HTTP", "HTTPS", "TCP", "TLS", "UDP"});
  r.optional("path", hc.http_path);
  r.optional_in("port", hc.port, 1, 65535, "a port");
  r.optional("interval", hc.interval);
  r.optional("timeout", hc.timeout);
  r.optional("healthy_threshold", hc.healthy_threshold);
  r.optional("unhealthy_threshold", hc.unhealthy_threshold);
  r.optional("matcher", hc.matcher);
  r.finish();
}

void decode_target_group(const std::string& id, const std::string& path, MapReader& r, LoadBalancerSpec& lb) {
  TargetGroupSpec tg{.id = id, .path = path};
  r.choice("protocol", tg.protocol, {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"});
  r.optional_in("port", tg.port, 1, 65535, "a port");
  r.choice("target_type", tg.target_type, {"ip", "instance", "lambda", "alb"});
  r.optional("targets", tg.targets);
  decode_health_check(r.take("health_check"), r.child("health_check"), r.context(), tg.health_check);
  if (tg.health_check.defaulted) tg.health_check.path = path;
  r.optional("deregistration_delay", tg.deregistration_delay);
  r.choice("algorithm", tg.algorithm, {"round_robin", "least_outstanding_requests"});
  r.optional("cross_zone", tg.cross_zone);
  lb.target_groups.push_back(std::move(tg));
}

void decode_listener(const std::string& path, MapReader& r, LoadBalancerSpec& lb) {
  ListenerSpec l{.path = path};
  if (r.required("port", l.port) && (l.port < 1 || l.port > 65535)) {
    r.context().error(*r.node().find("port"), r.child("port"), range_message("a port", "1", "65535", std::to_string(l.port)));
  }
  r.choice("protocol", l.protocol, {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"});
  r.optional("certificate", l.certificate);
  l.mutual_tls = false;
  r.optional("mutual_tls", l.mutual_tls);
  r.choice("default_action", l.default_action, {"forward", "redirect_https", "fixed_response"});
  r.optional("target_group", l.target_group);
  if (const YamlNode* rules = r.take("rules")) {
    for_each_item(*rules, r.child("rules"), r.context(), [&](std::size_t, const std::string& rule_path, MapReader& rr) {
      ListenerRuleSpec rule{.path = rule_path};
      rr.optional("priority", rule.priority);
      rr.optional("path_pattern", rule.path_pattern);
      rr.optional("host", rule.host);
      rr.required("target_group", rule.target_group);
      l.rules.push_back(std::move(rule));
    });
  }
  if (l.default_action == "forward" && l.target_group.empty()) {
    r.context().error(r.node(), path, "a listener whose default_action is forward needs 'target_group'");
  }
  lb.listeners.push_back(std::move(l));
}

void decode_load_balancer(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  LoadBalancerSpec lb{.id = id, .path = path};
  r.keyword("lb_type", lb.lb_type,
            {{"application", LoadBalancerType::Application}, {"network", LoadBalancerType::Network}});
  r.keyword("scheme", lb.scheme,
            {{"internet-facing", LoadBalancerScheme::InternetFacing}, {"internal", LoadBalancerScheme::Internal}});
  r.required("subnets", lb.subnets);
  r.optional("security_groups", lb.security_groups);
  r.optional("cross_zone", lb.cross_zone);
  r.optional("idle_timeout", lb.idle_timeout);
  if (const YamlNode* tgs = r.take("target_groups")) {
    for_each_named(*tgs, r.child("target_groups"), r.context(),
                   [&](const std::string& tg_id, const std::string& tg_path, MapReader& rr) {
                     decode_target_group(tg_id, tg_path, rr, lb);
                   });
  }
  if (const YamlNode* listeners = r.take_required("listeners")) {
    for_each_item(*listeners, r.child("listeners"), r.context(),
                  [&](std::size_t, const std::string& item_path, MapReader& rr) { decode_listener(item_path, rr, lb); });
  }
  t.load_balancers.push_back(std::move(lb));
}

void decode_architecture(MapReader& r, CpuArchitecture& out) {
  r.keyword("architecture", out, {{"x86_64", CpuArchitecture::X86_64}, {"arm64", CpuArchitecture::Arm64}});
}

void decode_deployment(const YamlNode& node, const std::string& path, DecodeContext& ctx, DeploymentSpec& d) {
  d.path = path;
  MapReader r(node, path, ctx);
  r.choice("strategy", d.strategy, {"rolling", "blue_green"});
  if (r.optional("minimum_healthy_percent", d.minimum_healthy_percent) &&
      (d.minimum_healthy_percent < 0 || d.minimum_healthy_percent > 100)) {
    ctx.error(*node.find("minimum_healthy_percent"), r.child("minimum_healthy_percent"), "expected 0 to 100 (% of the desired count)");
  }
  if (r.optional("maximum_percent", d.maximum_percent) && d.maximum_percent < 100) {
    ctx.error(*node.find("maximum_percent"), r.child("maximum_percent"), "expected at least 100 (% of the desired count)");
  }
  if (const YamlNode* cd = r.take("codedeploy")) {
    CodeDeploySpec spec{.path = r.child("codedeploy")};
    MapReader rr(*cd, spec.path, ctx);
    rr.optional("config", spec.config);
    rr.required("load_balancer", spec.load_balancer);
    rr.required("target_groups", spec.target_groups);
    // CodeDeploy's BlueInstanceTerminationOption allows up to 2,880 minutes.
    if (rr.optional("termination_wait", spec.termination_wait) &&
        (spec.termination_wait->ns < 0 || *spec.termination_wait > Duration::minutes(2880))) {
      ctx.error(*cd->find("termination_wait"), rr.child("termination_wait"), "expected 0 to 2880m (CodeDeploy's limit, two days)");
    }
    if (rr.optional("test_traffic_wait", spec.test_traffic_wait) && spec.test_traffic_wait->ns <= 0) {
      ctx.error(*cd->find("test_traffic_wait"), rr.child("test_traffic_wait"), "expected a duration above 0");
    }
    rr.optional("auto_rollback", spec.auto_rollback);
    rr.finish();
    d.codedeploy = std::move(spec);
  }
  if (const YamlNode* a = r.take("alarm")) {
    RollbackAlarmSpec alarm{.path = r.child("alarm")};
    MapReader ra(*a, alarm.path, ctx);
    if (ra.optional("error_rate", alarm.error_rate) && !(*alarm.error_rate > 0 && *alarm.error_rate < 1)) {
      ctx.error(*a->find("error_rate"), ra.child("error_rate"), "expected a share of requests above 0 and below 1 (e.g. 0.01)");
    }
    if (ra.optional("response_time", alarm.response_time) && alarm.response_time->ns <= 0) {
      ctx.error(*a->find("response_time"), ra.child("response_time"), "expected an average response time above 0 (e.g. 500ms)");
    }
    if (!a->find("error_rate") && !a->find("response_time")) {
      ctx.error(*a, alarm.path, "a rollback alarm needs `error_rate` (a share of failed requests) or `response_time` (an average), or both");
    }
    if (ra.optional("datapoints", alarm.datapoints) && (alarm.datapoints < 1 || alarm.datapoints > 60)) {
      ctx.error(*a->find("datapoints"), ra.child("datapoints"), "expected 1 to 60 one-minute periods");
    }
    ra.finish();
    d.alarm = std::move(alarm);
  }
  r.finish();
}

void decode_autoscaling(const YamlNode& node, const std::string& path, DecodeContext& ctx, EcsServiceSpec& s) {
  MapReader r(node, path, ctx);
  if (!r.ok()) return;
  AutoscalingSpec a{.path = path};
  if (const YamlNode* tt = r.take("target_tracking")) {
    for_each_item(*tt, r.child("target_tracking"), ctx, [&](std::size_t, const std::string& item, MapReader& rt) {
      TargetTrackingSpec t{.path = item};
      rt.choice("metric", t.metric, {"cpu", "alb_requests_per_target"});
      if (rt.required("target", t.target) && !(t.target > 0)) ctx.error(*rt.node().find("target"), rt.child("target"), "expected a target above 0");
      rt.optional("scale_out_cooldown", t.scale_out_cooldown);
      rt.optional("scale_in_cooldown", t.scale_in_cooldown);
      rt.optional("disable_scale_in", t.disable_scale_in);
      a.target_tracking.push_back(std::move(t));
    });
  }
  if (const YamlNode* steps = r.take("step_scaling")) {
    for_each_item(*steps, r.child("step_scaling"), ctx, [&](std::size_t, const std::string& item, MapReader& rp) {
      StepScalingSpec p{.path = item};
      rp.choice("metric", p.metric, {"cpu", "alb_requests_per_target"});
      rp.choice("comparison", p.comparison, {"above", "below"});
      rp.required("threshold", p.threshold);
      if (rp.optional("datapoints", p.datapoints) && p.datapoints < 1) {
        ctx.error(*rp.node().find("datapoints"), rp.child("datapoints"), "expected at least 1 datapoint");
      }
      rp.optional("cooldown", p.cooldown);
      if (const YamlNode* list = rp.take_required("steps")) {
        for_each_item(*list, rp.child("steps"), ctx, [&](std::size_t, const std::string& step_path, MapReader& rs) {
          ScalingStepSpec step{.path = step_path};
          rs.optional("lower", step.lower);
          rs.optional("upper", step.upper);
          rs.required("change", step.change);
          if (step.lower && step.upper && *step.lower >= *step.upper) ctx.error(rs.node(), step_path, "expected lower below upper");
          p.steps.push_back(step);
        });
      }
      a.step_scaling.push_back(std::move(p));
    });
  }
  if (const YamlNode* sched = r.take("scheduled")) {
    for_each_named(*sched, r.child("scheduled"), ctx, [&](const std::string& id, const std::string& item, MapReader& rs) {
      ScheduledActionSpec action{.id = id, .path = item};
      const bool has_schedule = rs.required("schedule", action.schedule);
      rs.optional("timezone", action.timezone);
      rs.optional("min_capacity", action.min_capacity);
      rs.optional("max_capacity", action.max_capacity);
      std::string why;
      if (has_schedule && !parse_cron(action.schedule, action.timezone, why)) ctx.error(*rs.node().find("schedule"), rs.child("schedule"), why);
      if (!action.min_capacity && !action.max_capacity) ctx.error(rs.node(), item, "a scheduled action sets min_capacity, max_capacity or both");
      if (action.min_capacity && action.max_capacity && *action.min_capacity > *action.max_capacity) {
        ctx.error(rs.node(), item, "min_capacity is above max_capacity");
      }
      a.scheduled.push_back(std::move(action));
    });
  }
  r.finish();
  s.autoscaling = std::move(a);
}

/// A service's capacity provider strategy, with the rules CreateService holds it to (the ECS
/// API reference, CapacityProviderStrategyItem): each provider once, at most one base, and a
/// weight above 0 somewhere when there are several. Base and weight ranges are quotas
/// (check_limits.cpp).
void decode_capacity_provider_strategy(const YamlNode& node, const std::string& path, DecodeContext& ctx, EcsServiceSpec& s) {
  s.capacity_provider_strategy_path = path;
  for_each_item(node, path, ctx, [&](std::size_t, const std::string& item_path, MapReader& ri) {
    CapacityProviderStrategyItem item{.path = item_path};
    bool known = true;
    if (const YamlNode* p = ri.take_required("capacity_provider")) {
      // An Auto Scaling group's provider is EC2 capacity, which archsim does not model.
      known = decode_keyword(*p, ri.child("capacity_provider"), ctx, item.provider,
                             {{"FARGATE", CapacityProvider::Fargate}, {"FARGATE_SPOT", CapacityProvider::FargateSpot}});
    }
    // Read even beside a refused provider, so they are checked and not reported as unknown keys.
    ri.optional("base", item.base);
    ri.optional("weight", item.weight);
    if (!known) return;
    for (const auto& other : s.capacity_provider_strategy) {
      const std::string where = "item " + other.path.substr(other.path.rfind('['));
      if (other.provider == item.provider) {
        ctx.error(ri.node(), item_path,
                  fmt::format("{} is already {} of this strategy: each capacity provider appears once",
                              item.provider == CapacityProvider::Fargate ? "FARGATE" : "FARGATE_SPOT", where));
        return;
      }
      if (other.base > 0 && item.base > 0) {
        ctx.error(*ri.node().find("base"), ri.child("base"),
                  fmt::format("{} already has a base: only one capacity provider in a strategy can have one", where));
      }
    }
    s.capacity_provider_strategy.push_back(item);
  });
  if (node.is_sequence() && node.items.empty()) {
    ctx.error(node, path, "expected at least one capacity provider (FARGATE or FARGATE_SPOT); leave the key out for the alternative's `pricing.fargate`");
  }
  const auto& items = s.capacity_provider_strategy;
  if (items.size() > 1 && std::none_of(items.begin(), items.end(), [](const auto& i) { return i.weight > 0; })) {
    ctx.error(node, path, "every capacity provider has weight 0: with several, at least one needs a weight above 0, or ECS cannot place a task");
  }
}

void decode_ecs_service(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t, bool krakend) {
  EcsServiceSpec s{.id = id, .path = path, .krakend = krakend};
  r.optional("vcpu", s.vcpu);
  r.optional("memory", s.memory);
  decode_architecture(r, s.architecture);
  r.optional("desired_count", s.desired_count);
  s.min_count = s.desired_count;
  s.max_count = s.desired_count;
  r.optional("min_count", s.min_count);
  r.optional("max_count", s.max_count);
  r.required("subnets", s.subnets);
  r.optional("assign_public_ip", s.assign_public_ip);
  r.optional("security_groups", s.security_groups);
  r.optional_in("container_port", s.container_port, 1, 65535, "a port");
  r.optional("log_group", s.log_group);
  r.optional("secrets", s.secrets);
  if (const YamlNode* image = r.take("image")) {
    s.image.path = r.child("image");
    MapReader rr(*image, s.image.path, r.context());
    rr.required("repository", s.image.repository);
    rr.optional("size", s.image.size);
    rr.finish();
  }
  r.optional("ephemeral_storage", s.ephemeral_storage);
  r.optional("service_discovery", s.service_discovery);
  r.optional("health_check_grace", s.health_check_grace);
  s.deployment.path = r.child("deployment");
  if (const YamlNode* d = r.take("deployment")) decode_deployment(*d, r.child("deployment"), r.context(), s.deployment);
  if (const YamlNode* a = r.take("autoscaling")) decode_autoscaling(*a, r.child("autoscaling"), r.context(), s);
  if (const YamlNode* c = r.take("capacity_provider_strategy")) {
    decode_capacity_provider_strategy(*c, r.child("capacity_provider_strategy"), r.context(), s);
  }
  if (krakend) {
    if (const YamlNode* endpoints = r.take_required("endpoints")) {
      for_each_item(*endpoints, r.child("endpoints"), r.context(),
                    [&](std::size_t, const std::string& item_path, MapReader& rr) {
                      GatewayEndpointSpec e{.path = item_path};
                      rr.required("url_pattern", e.url_pattern);
                      rr.optional("method", e.method);
                      rr.required("backends", e.backends);
                      rr.optional("timeout", e.timeout);
                      s.gateway_endpoints.push_back(std::move(e));
                    });
    }
  }
  t.ecs_services.push_back(std::move(s));
}

/// io1 and io2 bill the IOPS they are created with (CreateDBInstance `Iops`), so a database on
/// them states its IOPS; gp3 may state IOPS and throughput (`StorageThroughput`), billed above
/// its baseline (their ranges are checked with the other limits, check_limits.cpp); gp2's come
/// with its size, and Aurora's storage belongs to the cluster, so `iops` there would bill what
/// AWS does not.
void decode_storage_performance(MapReader& r, RdsSpec& d) {
  const bool provisioned = d.storage_type == "io1" || d.storage_type == "io2";
  const bool gp3 = d.storage_type == "gp3";
  const bool aurora = d.engine.starts_with("aurora-");
  const auto refuse = [&](const char* key) {
    const YamlNode& at = *r.node().find(key);
    if (aurora) {
      r.context().error(at, r.child(key), fmt::format("engine {} keeps its storage in the Aurora cluster: a database has no `{}`", d.engine, key));
    } else if (std::string_view(key) == "iops") {
      r.context().error(at, r.child(key),
                        fmt::format("storage_type {} has no provisioned IOPS to bill; `iops` takes io1, io2 or gp3 storage", d.storage_type));
    } else {
      r.context().error(at, r.child(key), fmt::format("storage_type {} has no provisioned throughput; `{}` takes gp3 storage", d.storage_type, key));
    }
  };
  if (r.optional("iops", d.iops)) {
    if (aurora || !(provisioned || gp3)) refuse("iops");
  } else if (provisioned && !aurora) {
    const YamlNode* at = r.node().find("storage_type");
    r.context().error(at != nullptr ? *at : r.node(), r.child("storage_type"),
                      fmt::format("storage_type {} needs `iops`: the provisioned IOPS it is created with and billed for "
                                  "(1,000 to 256,000)",
                                  d.storage_type));
  }
  if (r.optional("storage_throughput", d.storage_throughput_mibps) && (aurora || !gp3)) refuse("storage_throughput");
}

/// `viewers: {north_america: 0.7, europe: 0.3}`: shares from 0 to 1 (their sum and the group
/// names are checked with the other limits, check_limits.cpp).
void decode_viewers(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::vector<ViewerShareSpec>& out) {
  ctx.sources.record(path, node.loc);
  if (!node.is_map() || node.entries.empty()) {
    ctx.error(node, path, "expected a map of edge region groups to viewer shares (`{north_america: 0.7, europe: 0.3}`), found " +
                              std::string(node.is_map() ? "an empty map" : kind_name(node.kind)));
    return;
  }
  for (const auto& entry : node.entries) {
    const std::string share_path = decoding::join_path(path, entry.key);
    ViewerShareSpec v{.group = entry.key};
    if (!decoding::decode_value(entry.value, share_path, ctx, v.share)) continue;
    if (!(v.share >= 0 && v.share <= 1)) {
      ctx.error(entry.value, share_path, decoding::range_message("a share of the viewers", "0", "1", decoding::describe(v.share)));
      continue;
    }
    out.push_back(std::move(v));
  }
}

void decode_component(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  ComponentType type{};
  std::string description;
  r.optional("description", description);
  const YamlNode* type_node = r.take_required("type");
  if (type_node == nullptr) return;
  std::string keyword;
  if (!decode_value(*type_node, r.child("type"), r.context(), keyword)) return;
  bool known = false;
  std::vector<std::string> keywords;
  for (int i = 0; i <= static_cast<int>(ComponentType::Route53Zone); ++i) {
    const auto candidate = static_cast<ComponentType>(i);
    keywords.emplace_back(type_keyword(candidate));
    if (keyword == type_keyword(candidate)) {
      type = candidate;
      known = true;
    }
  }
  keywords.emplace_back("krakend");
  const bool krakend = keyword == "krakend";
  if (krakend) {
    type = ComponentType::EcsService;
    known = true;
  }
  if (!known) {
    r.context().error(*type_node, r.child("type"),
                      fmt::format("unknown component type '{}'{}; known types: {}", keyword,
                                  did_you_mean(keyword, keywords), fmt::join(keywords, ", ")));
    // Accept every key so that a typo in `type` gives one error, not a warning per key.
    for (const auto& entry : r.node().entries) r.take(entry.key);
    return;
  }
  t.component_order.push_back(id);
  switch (type) {
    case ComponentType::InternetUsers:
      t.internet_users.push_back({id, path});
      break;
    case ComponentType::CloudFront: {
      CloudFrontSpec cf{.id = id, .path = path};
      if (const YamlNode* origins = r.take_required("origins")) {
        for_each_named(*origins, r.child("origins"), r.context(),
                       [&](const std::string& oid, const std::string& opath, MapReader& rr) {
                         CloudFrontOriginSpec o{.id = oid, .path = opath};
                         rr.required("component", o.component);
                         rr.choice("protocol", o.protocol, {"https-only", "http-only", "match-viewer"});
                         rr.choice("access_control", o.access_control, {"oac", "oai", "none"});
                         cf.origins.push_back(std::move(o));
                       });
      }
      if (const YamlNode* behaviors = r.take_required("behaviors")) {
        for_each_item(*behaviors, r.child("behaviors"), r.context(),
                      [&](std::size_t, const std::string& bpath, MapReader& rr) {
                        CacheBehaviorSpec b{.path = bpath};
                        rr.required("path_pattern", b.path_pattern);
                        rr.required("origin", b.origin);
                        rr.choice("viewer_protocol", b.viewer_protocol, {"allow-all", "redirect-to-https", "https-only"});
                        cf.behaviors.push_back(std::move(b));
                      });
      }
      r.choice("price_class", cf.price_class, {"PriceClass_All", "PriceClass_200", "PriceClass_100"});
      if (const YamlNode* viewers = r.take("viewers")) decode_viewers(*viewers, r.child("viewers"), r.context(), cf.viewers);
      t.cloudfronts.push_back(std::move(cf));
      break;
    }
    case ComponentType::S3Bucket: {
      S3BucketSpec b{.id = id, .path = path};
      r.optional("block_public_access", b.block_public_access);
      r.optional("storage", b.storage);
      r.choice("storage_class", b.storage_class, {"STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "INTELLIGENT_TIERING"});
      t.s3_buckets.push_back(std::move(b));
      break;
    }
    case ComponentType::ApiGateway: {
      ApiGatewaySpec a{.id = id, .path = path};
      r.keyword("api_type", a.api_type, {{"http", ApiType::Http}, {"rest", ApiType::Rest}, {"websocket", ApiType::WebSocket}});
      r.choice("endpoint", a.endpoint, {"regional", "edge", "private"});
      a.authorizer.path = r.child("authorizer");
      if (const YamlNode* auth = r.take("authorizer")) {
        MapReader rr(*auth, a.authorizer.path, r.context());
        rr.choice("type", a.authorizer.type, {"none", "jwt", "cognito", "lambda"});
        rr.optional("user_pool", a.authorizer.user_pool);
        rr.finish();
      }
      if (const YamlNode* link = r.take("vpc_link")) {
        VpcLinkSpec l{.path = r.child("vpc_link")};
        MapReader rr(*link, l.path, r.context());
        rr.required("subnets", l.subnets);
        rr.optional("security_groups", l.security_groups);
        rr.finish();
        a.vpc_link = std::move(l);
      }
      r.required("integration", a.integration);
      r.optional("integration_timeout", a.integration_timeout);
      t.api_gateways.push_back(std::move(a));
      break;
    }
    case ComponentType::CognitoUserPool: {
      CognitoUserPoolSpec p{.id = id, .path = path};
      r.choice("tier", p.tier, {"lite", "essentials", "plus"});
      t.user_pools.push_back(std::move(p));
      break;
    }
    case ComponentType::LoadBalancer:
      decode_load_balancer(id, path, r, t);
      break;
    case ComponentType::EcsService:
      decode_ecs_service(id, path, r, t, krakend);
      break;
    case ComponentType::Lambda: {
      LambdaSpec l{.id = id, .path = path};
      r.optional("memory", l.memory);
      decode_architecture(r, l.architecture);
      r.optional("timeout", l.timeout);
      r.optional("reserved_concurrency", l.reserved_concurrency);
      if (r.optional("provisioned_concurrency", l.provisioned_concurrency)) {
        // lambda-concurrency.html: provisioned concurrency counts toward the function's reserved
        // concurrency, and Lambda refuses more of it than is reserved.
        const YamlNode& pc = *r.node().find("provisioned_concurrency");
        if (l.provisioned_concurrency < 0) {
          r.context().error(pc, r.child("provisioned_concurrency"), "expected 0 or more execution environments");
        } else if (l.reserved_concurrency && l.provisioned_concurrency > *l.reserved_concurrency) {
          r.context().error(pc, r.child("provisioned_concurrency"),
                            fmt::format("expected at most the function's reserved_concurrency ({}): provisioned concurrency "
                                        "counts toward it, and Lambda refuses more",
                                        *l.reserved_concurrency));
        }
      }
      r.optional("subnets", l.subnets);
      r.optional("security_groups", l.security_groups);
      r.optional("runtime", l.runtime);
      t.lambdas.push_back(std::move(l));
      break;
    }
    case ComponentType::Rds: {
      RdsSpec d{.id = id, .path = path};
      r.choice("engine", d.engine, {"postgres", "mysql", "mariadb", "aurora-postgresql", "aurora-mysql"});
      r.optional("instance_class", d.instance_class);
      r.optional("multi_az", d.multi_az);
      r.required("subnets", d.subnets);
      r.optional("security_groups", d.security_groups);
      r.optional("storage", d.storage);
      r.choice("storage_type", d.storage_type, {"gp2", "gp3", "io1", "io2"});
      decode_storage_performance(r, d);
      r.optional("publicly_accessible", d.publicly_accessible);
      r.optional("primary_zone", d.primary_zone);
      t.databases.push_back(std::move(d));
      break;
    }
    case ComponentType::DynamoDb: {
      DynamoDbSpec d{.id = id, .path = path};
      r.choice("billing_mode", d.billing_mode, {"on_demand", "provisioned"});
      r.optional("read_capacity", d.read_capacity);
      r.optional("write_capacity", d.write_capacity);
      r.optional("storage", d.storage);
      r.choice("table_class", d.table_class, {"STANDARD", "STANDARD_INFREQUENT_ACCESS"});
      r.optional("point_in_time_recovery", d.point_in_time_recovery);
      r.optional("stream_enabled", d.stream_enabled);
      r.optional("replicas", d.replicas);
      t.dynamodb_tables.push_back(std::move(d));
      break;
    }
    case ComponentType::NatGateway: {
      NatGatewaySpec n{.id = id, .path = path};
      r.required("subnet", n.subnet);
      r.choice("connectivity", n.connectivity, {"public", "private"});
      t.nat_gateways.push_back(std::move(n));
      break;
    }
    case ComponentType::VpcEndpoint: {
      VpcEndpointSpec e{.id = id, .path = path};
      r.keyword("endpoint_type", e.endpoint_type,
                {{"interface", EndpointType::Interface}, {"gateway", EndpointType::Gateway}});
      r.required("service", e.service);
      r.required("vpc", e.vpc);
      r.optional("subnets", e.subnets);
      r.optional("security_groups", e.security_groups);
      r.optional("route_tables", e.route_tables);
      r.optional("private_dns", e.private_dns);
      t.vpc_endpoints.push_back(std::move(e));
      break;
    }
    case ComponentType::LogGroup: {
      LogGroupSpec g{.id = id, .path = path};
      r.optional("retention", g.retention);
      t.log_groups.push_back(std::move(g));
      break;
    }
    case ComponentType::SecretsManager: {
      SecretsManagerSpec s{.id = id, .path = path};
      r.optional("secrets", s.secrets);
      t.secrets_managers.push_back(std::move(s));
      break;
    }
    case ComponentType::ParameterStore: {
      ParameterStoreSpec p{.id = id, .path = path};
      r.optional("parameters", p.parameters);
      r.choice("tier", p.tier, {"standard", "advanced"});
      t.parameter_stores.push_back(std::move(p));
      break;
    }
    case ComponentType::EcrRepository: {
      EcrRepositorySpec e{.id = id, .path = path};
      r.optional("storage", e.storage);
      r.optional("scan_on_push", e.scan_on_push);
      t.ecr_repositories.push_back(std::move(e));
      break;
    }
    case ComponentType::Route53Zone: {
      Route53ZoneSpec z{.id = id, .path = path};
      r.optional("private_zone", z.private_zone);
      t.route53_zones.push_back(std::move(z));
      break;
    }
  }
}

void decode_request_route(const std::string& id, const std::string& path, MapReader& r, TopologySpec& t) {
  RequestRouteSpec route{.id = id, .path = path};
  r.optional("share", route.share);
  if (const YamlNode* hops = r.take_required("hops")) {
    std::vector<std::string> ids;
    if (decode_value(*hops, r.child("hops"), r.context(), ids)) {
      for (std::size_t i = 0; i < ids.size(); ++i) route.hops.push_back({index_path(r.child("hops"), i), ids[i]});
    }
  }
  r.optional("url_path", route.url_path);
  r.choice("method", route.method, {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"});
  r.optional("request_size", route.request_size);
  r.optional("response_size", route.response_size);
  if (route.share < 0 || route.share > 1) {
    r.context().error(*r.take("share"), r.child("share"), fmt::format("share must be within 0..1, found {}", route.share));
  }
  t.routes.push_back(std::move(route));
}

}  // namespace

void decode_topology(const YamlNode& node, const std::string& path, DecodeContext& ctx, TopologySpec& t) {
  t.path = path;
  MapReader r(node, path, ctx);
  if (!r.ok()) return;
  r.optional("region", t.region);
  r.required("zones", t.zones);
  r.optional("description", t.description);
  r.optional("elastic_ips", t.elastic_ips);
  auto named = [&](std::string_view key, auto&& decode_one, bool required) {
    const YamlNode* n = required ? r.take_required(key) : r.take(key);
    if (n == nullptr) return;
    for_each_named(*n, r.child(key), ctx, [&](const std::string& id, const std::string& entry_path, MapReader& rr) {
      decode_one(id, entry_path, rr, t);
    });
  };
  named("vpcs", decode_vpc, false);
  named("subnets", decode_subnet, false);
  named("route_tables", decode_route_table, false);
  named("security_groups", decode_security_group, false);
  named("components", decode_component, true);
  named("routes", decode_request_route, false);
  r.finish();
}

}  // namespace archsim::model::detail
