// Rules about load balancers, health checks, services, databases, routes and deployments.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "archsim/model/capacity_providers.hpp"
#include "archsim/model/rules.hpp"
#include "rule_helpers.hpp"

namespace archsim::model::rules {

void lb_single_zone(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    const auto zones = detail::zones_of(in.topology, lb.subnets);
    const int minimum = lb.lb_type == LoadBalancerType::Application ? in.facts.alb_min_zones : in.facts.nlb_min_zones;
    if (static_cast<int>(zones.size()) < minimum) {
      sink.report(lb.path + ".subnets",
                  fmt::format("{} has subnets in {} zone(s) ({}); an Application Load Balancer needs subnets in at "
                              "least {} zones, so AWS rejects this design as written",
                              lb.id, zones.size(), fmt::join(zones, ", "), minimum));
    }
    if (zones.size() < lb.subnets.size()) {
      sink.report(lb.path + ".subnets", fmt::format("{} names two subnets in one zone; AWS allows one subnet per zone",
                                                    lb.id));
    }
  }
}

void lb_internet_facing_private_subnet(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    if (lb.scheme != LoadBalancerScheme::InternetFacing) continue;
    for (std::size_t i = 0; i < lb.subnets.size(); ++i) {
      const SubnetSpec* s = in.topology.subnet(lb.subnets[i]);
      if (s == nullptr || detail::routes_to_internet_gateway(in.topology, *s)) continue;
      sink.report(fmt::format("{}.subnets[{}]", lb.path, i),
                  fmt::format("internet-facing {} has a node in subnet {}, which has no route to an internet gateway: "
                              "clients cannot reach that node",
                              lb.id, s->id));
    }
  }
}

void lb_without_http_routing(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    if (lb.lb_type != LoadBalancerType::Network) continue;
    for (const auto& tg : lb.target_groups) {
      if (in.topology.ecs_service(tg.targets) == nullptr) continue;
      const bool tcp_check = tg.health_check.protocol == "TCP" || tg.health_check.protocol == "TLS" ||
                             tg.health_check.protocol == "UDP";
      sink.report(tg.path, fmt::format("network load balancer {} forwards to service {} by port only: no path or host "
                                       "routing{}",
                                       lb.id, tg.targets,
                                       tcp_check ? ", and its TCP health check passes as soon as the port accepts a "
                                                   "connection, even when the application fails"
                                                 : ""));
    }
  }
}

namespace {
const HealthCheckLimits& limits_for(const ReviewInput& in, const LoadBalancerSpec& lb) {
  return lb.lb_type == LoadBalancerType::Application ? in.facts.alb_health_check : in.facts.nlb_health_check;
}

std::string seconds(Duration d) { return format_duration(d); }
}  // namespace

void health_check_timing_invalid(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    const HealthCheckLimits& limits = limits_for(in, lb);
    for (const auto& tg : lb.target_groups) {
      const HealthCheckSpec& hc = tg.health_check;
      auto check = [&](std::string_view key, double value, const IntRange& range, std::string_view unit) {
        if (value >= range.min && value <= range.max) return;
        sink.report(hc.path + "." + std::string(key), fmt::format("{} {}{} is outside the allowed {}-{}{}", key, value,
                                                                  unit, range.min, range.max, unit));
      };
      check("interval", hc.interval.to_seconds(), limits.interval_s, "s");
      check("timeout", hc.timeout.to_seconds(), limits.timeout_s, "s");
      check("healthy_threshold", hc.healthy_threshold, limits.healthy_threshold, "");
      check("unhealthy_threshold", hc.unhealthy_threshold, limits.unhealthy_threshold, "");
      if (hc.timeout >= hc.interval) {
        sink.report(hc.path + ".timeout", fmt::format("timeout {} is not shorter than the interval {}",
                                                      seconds(hc.timeout), seconds(hc.interval)));
      }
    }
  }
}

void health_check_detection_slow(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      const HealthCheckSpec& hc = tg.health_check;
      // A target that fails just after a passing probe is marked unhealthy by the
      // unhealthy_threshold-th failing probe, each of which may wait the full timeout.
      const Duration detection = hc.interval * hc.unhealthy_threshold + hc.timeout;
      if (detection <= in.facts.max_detection_time) continue;
      const Duration recovery = hc.interval * hc.healthy_threshold;
      sink.report(hc.defaulted ? tg.path : hc.path + ".interval",
                  fmt::format("a failed target of {} keeps receiving requests for up to {} ({} x {} + {} timeout) "
                              "before it is marked unhealthy, and a replacement waits {} ({} x {}) to be marked "
                              "healthy; review policy allows {}",
                              tg.id, seconds(detection), hc.unhealthy_threshold, seconds(hc.interval),
                              seconds(hc.timeout), seconds(recovery), hc.healthy_threshold, seconds(hc.interval),
                              seconds(in.facts.max_detection_time)));
    }
  }
}

void health_check_heavy_path(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    for (const auto& tg : lb.target_groups) {
      const HealthCheckSpec& hc = tg.health_check;
      if (hc.protocol != "HTTP" && hc.protocol != "HTTPS") continue;
      for (const auto& heavy : in.facts.heavy_health_check_paths) {
        const std::string& p = hc.http_path;
        const bool match = p == heavy.path || (p.size() > heavy.path.size() && p.compare(0, heavy.path.size(), heavy.path) == 0 &&
                                               p[heavy.path.size()] == '/');
        if (!match) continue;
        sink.report(hc.path + ".path",
                    fmt::format("health check of {} probes {}, the path where {}; archsim does not know what this "
                                "service serves there: if it is that page, every probe renders it",
                                tg.id, p, heavy.convention));
        break;
      }
    }
  }
}

void rds_single_az(const ReviewInput& in, FindingSink& sink) {
  for (const auto& db : in.topology.databases) {
    const auto zones = detail::zones_of(in.topology, db.subnets);
    if (!db.multi_az) {
      sink.report(db.path + ".multi_az",
                  fmt::format("database {} runs in one zone: if that zone fails, {} is down until the zone returns",
                              db.id, db.id));
    } else if (zones.size() < 2) {
      sink.report_as(Severity::Error, db.path + ".subnets",
                     fmt::format("database {} asks for Multi-AZ but its subnets cover only {}: the standby has no "
                                 "second zone",
                                 db.id, fmt::join(zones, ", ")));
    }
  }
}

void single_zone_service(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.ecs_services) {
    const auto zones = detail::zones_of(in.topology, s.subnets);
    if (zones.size() != 1) continue;
    sink.report(s.path + ".subnets", fmt::format("every task of {} runs in {}: a zone failure stops the whole service",
                                                 s.id, *zones.begin()));
  }
}

void service_all_on_spot(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.ecs_services) {
    const auto strategy = model::effective_strategy(s, in.topology.fargate_spot);
    // The count it serves with: a service scaled to zero by schedule still starts from its minimum.
    const int tasks = std::max({s.desired_count, s.min_count, 1});
    if (!model::places_on_spot(strategy) || model::spot_tasks(strategy, tasks) < tasks) continue;
    const bool own = !s.capacity_provider_strategy.empty();
    sink.report(own ? s.capacity_provider_strategy_path : s.path,
                fmt::format("every task of {} runs on Fargate Spot{}: one reclaim can stop them all, and when Spot capacity is short "
                            "ECS keeps retrying on Spot (\"Fargate does not replace Spot capacity with on-demand capacity\")",
                            s.id, own ? "" : " (the alternative's pricing.fargate: spot)"));
  }
}

void cross_zone_hop(const ReviewInput& in, FindingSink& sink) {
  // Fires only when two consecutive tiers share no zone at all: then no request can stay in
  // its zone. A Multi-AZ database serving tasks in both its zones is the normal case, not this.
  const ArchGraph& g = in.graph;
  std::set<std::pair<std::string, std::string>> reported;
  for (const auto& route : in.topology.routes) {
    for (std::size_t i = 0; i + 1 < route.hops.size(); ++i) {
      const auto& from = route.hops[i].component;
      const auto& to = route.hops[i + 1].component;
      std::set<std::string> from_zones, to_zones;
      for (Vertex v : g.of(from)) {
        if (!g.graph[v].zone.empty()) from_zones.insert(g.graph[v].zone);
      }
      for (Vertex v : g.of(to)) {
        if (!g.graph[v].zone.empty()) to_zones.insert(g.graph[v].zone);
      }
      if (from_zones.empty() || to_zones.empty()) continue;
      std::vector<std::string> shared;
      std::set_intersection(from_zones.begin(), from_zones.end(), to_zones.begin(), to_zones.end(),
                            std::back_inserter(shared));
      if (!shared.empty() || !reported.insert({from, to}).second) continue;
      sink.report(route.hops[i + 1].path,
                  fmt::format("route {}: {} runs in {} and {} only in {}, so every request between them crosses "
                              "zones: inter-AZ data transfer is billed in both directions and adds latency",
                              route.id, from, fmt::join(from_zones, ", "), to, fmt::join(to_zones, ", ")));
    }
  }
}

void route_hop_not_connected(const ReviewInput& in, FindingSink& sink) {
  for (const auto& route : in.topology.routes) {
    const RouteAnalysis analysis = analyse_route(in.graph, in.topology, route);
    for (const auto& gap : analysis.gaps) {
      sink.report(route.path + ".hops",
                  fmt::format("route {}: nothing connects {} (no target group, origin, integration, gateway endpoint "
                              "or application call between them)",
                              route.id, gap));
    }
  }
}

void fargate_task_size_invalid(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.ecs_services) {
    const double mib = s.memory.to_mib();
    const auto size = std::find_if(in.facts.fargate_task_sizes.begin(), in.facts.fargate_task_sizes.end(),
                                   [&](const FargateTaskSize& f) { return std::abs(f.vcpu - s.vcpu) < 1e-9; });
    if (size == in.facts.fargate_task_sizes.end()) {
      std::vector<std::string> valid;
      for (const auto& f : in.facts.fargate_task_sizes) valid.push_back(fmt::format("{}", f.vcpu));
      sink.report(s.path + ".vcpu", fmt::format("{} vCPU is not a Fargate task size (valid: {})", s.vcpu, fmt::join(valid, ", ")));
      continue;
    }
    if (mib != std::floor(mib) || !size->allows(static_cast<int>(mib))) {
      sink.report(s.path + ".memory", fmt::format("{} with {} vCPU is not a Fargate combination; {} vCPU takes {}",
                                                  format_bytes(s.memory), s.vcpu, s.vcpu, size->describe()));
    }
  }
}

void blue_green_without_load_balancer(const ReviewInput& in, FindingSink& sink) {
  const auto& t = in.topology;
  for (const auto& s : t.ecs_services) {
    const DeploymentSpec& d = s.deployment;
    if (d.strategy != "blue_green") continue;
    if (!d.codedeploy) {
      sink.report(d.path + ".strategy", fmt::format("{} deploys blue/green but has no codedeploy block naming its load "
                                                    "balancer and target groups",
                                                    s.id));
      continue;
    }
    const CodeDeploySpec& cd = *d.codedeploy;
    const LoadBalancerSpec* lb = t.load_balancer(cd.load_balancer);
    if (lb == nullptr) {
      sink.report(cd.path + ".load_balancer", fmt::format("{}: CodeDeploy blue/green for ECS needs an Application or "
                                                          "Network Load Balancer",
                                                          s.id));
      continue;
    }
    if (cd.target_groups.size() != 2) {
      sink.report(cd.path + ".target_groups", fmt::format("{}: blue/green needs exactly two target groups (blue and "
                                                          "green), found {}",
                                                          s.id, cd.target_groups.size()));
      continue;
    }
    bool production_listener = false;
    for (const auto& l : lb->listeners) {
      production_listener = production_listener || l.target_group == cd.target_groups[0] ||
                            std::any_of(l.rules.begin(), l.rules.end(),
                                        [&](const ListenerRuleSpec& r) { return r.target_group == cd.target_groups[0]; });
    }
    if (!production_listener) {
      sink.report(cd.path + ".target_groups", fmt::format("{}: no listener of {} forwards to target group {}, so "
                                                          "CodeDeploy has no production traffic to shift",
                                                          s.id, lb->id, cd.target_groups[0]));
    }
    for (const auto& tg : lb->target_groups) {
      const bool listed = std::find(cd.target_groups.begin(), cd.target_groups.end(), tg.id) != cd.target_groups.end();
      if (listed && !tg.targets.empty() && tg.targets != s.id) {
        sink.report(tg.path + ".targets", fmt::format("target group {} used for {}'s blue/green deployment registers "
                                                      "{} instead",
                                                      tg.id, s.id, tg.targets));
      }
    }
  }
}

}  // namespace archsim::model::rules
