// Rules about what a design pays for: resources billed every hour that nothing uses.
//
// The model knows no prices (stages depend only downward): a finding names the resource
// (FindingSink::report_resource) and the pricing stage states what it costs a month
// (pricing::state_idle_costs), so every output shows the figure the price book gives.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "archsim/model/rules.hpp"
#include "rule_helpers.hpp"

namespace archsim::model::rules {

namespace {

/// Subnets holding something that opens connections of its own: ECS tasks, Lambda functions
/// attached to a VPC, and what the scenario says runs there beyond its language (EC2 instances).
/// Load balancers, databases and endpoints only answer.
std::set<std::string> originating_subnets(const TopologySpec& t) {
  std::set<std::string> out;
  for (const auto& s : t.ecs_services) out.insert(s.subnets.begin(), s.subnets.end());
  for (const auto& f : t.lambdas) out.insert(f.subnets.begin(), f.subnets.end());
  for (const auto& s : t.subnets) {
    if (!s.other_workloads.empty()) out.insert(s.id);
  }
  return out;
}

/// Subnets whose traffic the topology cannot trace: what runs there is code archsim does not see.
std::set<std::string> untraced_subnets(const TopologySpec& t) {
  std::set<std::string> out;
  for (const auto& f : t.lambdas) out.insert(f.subnets.begin(), f.subnets.end());
  for (const auto& s : t.subnets) {
    if (!s.other_workloads.empty()) out.insert(s.id);
  }
  return out;
}

void unused_nat_gateways(const TopologySpec& t, FindingSink& sink) {
  const auto originating = originating_subnets(t);
  for (const auto& nat : t.nat_gateways) {
    // Any route to it counts, not only 0.0.0.0/0: a private NAT gateway carries narrower routes.
    std::vector<std::string> tables, idle_subnets;
    bool used = false;
    for (const auto& table : t.route_tables) {
      const bool routes_here = std::any_of(table.routes.begin(), table.routes.end(), [&](const RouteSpec& r) {
        return r.target == RouteTarget::NatGateway && r.target_id == nat.id;
      });
      if (!routes_here) continue;
      tables.push_back(table.id);
      for (const auto& s : t.subnets) {
        if (t.route_table_of(s) != &table) continue;
        if (originating.contains(s.id)) used = true;
        else idle_subnets.push_back(s.id);
      }
    }
    if (used) continue;
    std::string why;
    if (tables.empty()) {
      why = "no route table routes to it";
    } else if (idle_subnets.empty()) {
      why = fmt::format("route table {} routes to it but no subnet uses that table", fmt::join(tables, ", "));
    } else {
      const bool one = idle_subnets.size() == 1;
      why = fmt::format("only subnet{} {} route{} to it (route table {}), and no task, VPC-attached function or "
                        "other workload runs there",
                        one ? "" : "s", fmt::join(idle_subnets, ", "), one ? "s" : "", fmt::join(tables, ", "));
    }
    sink.report_resource(nat.id, nat.path,
                         fmt::format("NAT gateway {} carries no traffic: {}; {} billed every hour it exists", nat.id, why,
                                     nat.connectivity == "public" ? "it and its Elastic IP (a public IPv4 address) are"
                                                                  : "it is"));
  }
}

void unused_interface_endpoints(const ReviewInput& in, FindingSink& sink) {
  const auto& t = in.topology;
  const ArchGraph& g = in.graph;
  std::set<std::string> used;
  // Tasks use an endpoint when they reach it and one of their needs goes through its service.
  for (const auto& service : t.ecs_services) {
    for (Vertex v : g.of(service.id)) {
      const Egress egress = egress_of(g, v);
      for (const auto& need : outbound_needs(g, v)) {
        const auto it = in.facts.private_access.find(need);
        if (it == in.facts.private_access.end()) continue;
        for (const auto& s : it->second) {
          if (const auto e = egress.endpoints.find(s); e != egress.endpoints.end()) used.insert(g.graph[e->second].component);
        }
      }
    }
  }
  // What a VPC-attached function's code (or an EC2 instance) calls is not in the topology:
  // every interface endpoint of its VPC may serve it.
  for (const auto& id : untraced_subnets(t)) {
    const SubnetSpec* s = t.subnet(id);
    if (s == nullptr) continue;
    for (const auto& e : t.vpc_endpoints) {
      if (e.vpc == s->vpc) used.insert(e.id);
    }
  }
  // Only services whose users the topology shows (private_access): who calls sqs or kms is not modelled.
  std::set<std::string> traced;
  for (const auto& [need, services] : in.facts.private_access) traced.insert(services.begin(), services.end());
  for (const auto& e : t.vpc_endpoints) {
    // Gateway endpoints (s3, dynamodb) have no hourly charge: an unused one costs nothing.
    if (e.endpoint_type != EndpointType::Interface || !traced.contains(e.service) || used.contains(e.id)) continue;
    std::vector<std::string> needs;
    for (const auto& [need, services] : in.facts.private_access) {
      if (std::find(services.begin(), services.end(), e.service) != services.end()) needs.push_back(need);
    }
    const auto zones = detail::zones_of(t, e.subnets);
    sink.report_resource(e.id, e.path,
                         fmt::format("interface endpoint {} ({}) serves nothing: no task in VPC {} that reaches it "
                                     "needs {}; its network interfaces in {} zone(s) are billed every hour",
                                     e.id, e.service, e.vpc, fmt::join(needs, " or "), zones.size()));
  }
}

void unused_load_balancers(const TopologySpec& t, FindingSink& sink) {
  // With no request route declared, the topology does not say what traffic goes where.
  if (t.routes.empty()) return;
  std::vector<std::string> route_ids;
  for (const auto& r : t.routes) route_ids.push_back(r.id);
  for (const auto& lb : t.load_balancers) {
    const bool on_route = std::any_of(t.routes.begin(), t.routes.end(), [&](const RequestRouteSpec& r) {
      return std::any_of(r.hops.begin(), r.hops.end(), [&](const RouteHop& h) { return h.component == lb.id; });
    });
    if (on_route) continue;
    const bool public_ips = lb.scheme == LoadBalancerScheme::InternetFacing;
    sink.report_resource(lb.id, lb.path,
                         fmt::format("load balancer {} is on no request route (routes: {}), so it serves no traffic; "
                                     "{} billed every hour it exists",
                                     lb.id, fmt::join(route_ids, ", "),
                                     public_ips ? "it and its public IPv4 addresses (one per zone) are" : "it is"));
  }
}

}  // namespace

void unused_resource(const ReviewInput& in, FindingSink& sink) {
  unused_nat_gateways(in.topology, sink);
  unused_interface_endpoints(in, sink);
  unused_load_balancers(in.topology, sink);
}

}  // namespace archsim::model::rules
