#include "archsim/model/graph.hpp"

#include <algorithm>
#include <deque>

#include <boost/graph/dominator_tree.hpp>
#include <fmt/format.h>

#include "archsim/model/cidr.hpp"
#include "graph_search.hpp"

namespace archsim::model {

const std::vector<Vertex>& ArchGraph::of(std::string_view component) const {
  static const std::vector<Vertex> none;
  const auto it = placements.find(component);
  return it == placements.end() ? none : it->second;
}

namespace {

bool is_default_route(const RouteSpec& route) {
  const auto parsed = parse_cidr(route.destination.text);
  return parsed.cidr && parsed.cidr->prefix == 0;
}

bool is_compute(ComponentType type) { return type == ComponentType::EcsService || type == ComponentType::Lambda; }

class GraphBuilder {
 public:
  explicit GraphBuilder(const TopologySpec& t) : t_(t) {}

  ArchGraph build() {
    g_.internet = boost::add_vertex(Placement{.kind = VertexKind::Internet, .label = "internet"}, g_.graph);
    for (const auto& vpc : t_.vpcs) {
      if (!vpc.internet_gateway) continue;
      const Vertex igw = boost::add_vertex(
          Placement{.kind = VertexKind::InternetGateway, .component = vpc.id, .label = "igw:" + vpc.id}, g_.graph);
      g_.internet_gateways[vpc.id] = igw;
      link(igw, g_.internet, LinkKind::Network, "internet gateway");
    }
    for (const auto& id : t_.component_order) add_placements(id);
    for (const auto& id : t_.component_order) add_network_links(id);
    add_request_links();
    add_dependency_links();
    return std::move(g_);
  }

 private:
  void link(Vertex from, Vertex to, LinkKind kind, std::string why, std::string need = {}) {
    boost::add_edge(from, to, Link{kind, std::move(why), std::move(need)}, g_.graph);
  }

  bool has_request_link(Vertex from, Vertex to) const {
    for (auto [e, end] = boost::out_edges(from, g_.graph); e != end; ++e) {
      if (boost::target(*e, g_.graph) == to && g_.graph[*e].kind == LinkKind::Request) return true;
    }
    return false;
  }

  Vertex add(const std::string& id, ComponentType type, const std::string& zone, const std::string& subnet,
             bool standby = false) {
    std::string label = zone.empty() ? id : id + "@" + zone;
    for (Vertex other : g_.of(id)) {
      if (g_.graph[other].label == label) label = id + "@" + subnet;  // two subnets in one zone
    }
    if (standby) label += " (standby)";
    std::string service;
    if (const VpcEndpointSpec* e = t_.vpc_endpoint(id)) service = e->service;
    const Vertex v = boost::add_vertex(
        Placement{VertexKind::Component, id, type, zone, subnet, standby, label, service}, g_.graph);
    g_.placements[id].push_back(v);
    return v;
  }

  std::string zone_of(const std::string& subnet) const {
    const SubnetSpec* s = t_.subnet(subnet);
    return s ? s->zone : std::string();
  }

  void add_zonal(const std::string& id, ComponentType type, const std::vector<std::string>& subnets) {
    for (const auto& s : subnets) add(id, type, zone_of(s), s);
  }

  void add_placements(const std::string& id) {
    const auto ref = t_.component(id);
    if (!ref) return;
    switch (ref->type) {
      case ComponentType::LoadBalancer:
        add_zonal(id, ref->type, t_.load_balancers[ref->index].subnets);
        break;
      case ComponentType::EcsService:
        add_zonal(id, ref->type, t_.ecs_services[ref->index].subnets);
        break;
      case ComponentType::NatGateway:
        add_zonal(id, ref->type, {t_.nat_gateways[ref->index].subnet});
        break;
      case ComponentType::VpcEndpoint: {
        const auto& e = t_.vpc_endpoints[ref->index];
        if (e.endpoint_type == EndpointType::Interface) {
          add_zonal(id, ref->type, e.subnets);
        } else {
          add(id, ref->type, "", "");
        }
        break;
      }
      case ComponentType::Rds: {
        const auto& db = t_.databases[ref->index];
        if (db.subnets.empty()) break;
        std::string primary_subnet = db.subnets.front();
        for (const auto& s : db.subnets) {
          if (!db.primary_zone.empty() && zone_of(s) == db.primary_zone) {
            primary_subnet = s;
            break;
          }
        }
        add(id, ref->type, zone_of(primary_subnet), primary_subnet);
        if (db.multi_az) {
          for (const auto& s : db.subnets) {
            if (zone_of(s) != zone_of(primary_subnet)) {
              add(id, ref->type, zone_of(s), s, /*standby=*/true);
              break;
            }
          }
        }
        break;
      }
      default:
        add(id, ref->type, "", "");
        break;
    }
  }

  /// Whether a placement holds a public IPv4 address of its own.
  bool has_public_ip(const std::string& id) const {
    const auto ref = t_.component(id);
    if (!ref) return false;
    switch (ref->type) {
      case ComponentType::LoadBalancer:
        return t_.load_balancers[ref->index].scheme == LoadBalancerScheme::InternetFacing;
      case ComponentType::EcsService:
        return t_.ecs_services[ref->index].assign_public_ip;
      case ComponentType::NatGateway:
        return t_.nat_gateways[ref->index].connectivity == "public";
      case ComponentType::Rds:
        return t_.databases[ref->index].publicly_accessible;
      default:
        return false;
    }
  }

  void add_network_links(const std::string& id) {
    const auto ref = t_.component(id);
    if (!ref || ref->type == ComponentType::VpcEndpoint) return;  // endpoint ENIs only receive
    for (Vertex v : g_.of(id)) {
      const SubnetSpec* subnet = t_.subnet(g_.graph[v].subnet);
      if (subnet == nullptr) continue;
      const RouteTableSpec* table = t_.route_table_of(*subnet);
      if (table != nullptr) {
        // Only the first route per destination counts: AWS refuses a second one
        // (route-table-duplicate-destination reports it), so it never carries traffic.
        std::vector<std::string> destinations;
        for (const auto& route : table->routes) {
          if (std::find(destinations.begin(), destinations.end(), route.destination.text) != destinations.end()) continue;
          destinations.push_back(route.destination.text);
          add_route_link(v, id, *subnet, *table, route);
        }
        for (const auto& e : t_.vpc_endpoints) {
          if (e.endpoint_type != EndpointType::Gateway) continue;
          if (std::find(e.route_tables.begin(), e.route_tables.end(), table->id) == e.route_tables.end()) continue;
          for (Vertex ep : g_.of(e.id)) link(v, ep, LinkKind::Network, fmt::format("gateway endpoint in {}", table->id));
        }
      }
      for (const auto& e : t_.vpc_endpoints) {
        if (e.endpoint_type != EndpointType::Interface || e.vpc != subnet->vpc) continue;
        for (Vertex ep : g_.of(e.id)) link(v, ep, LinkKind::Network, "interface endpoint");
      }
    }
  }

  void add_route_link(Vertex v, const std::string& id, const SubnetSpec& subnet, const RouteTableSpec& table,
                      const RouteSpec& route) {
    switch (route.target) {
      case RouteTarget::InternetGateway:
        if (is_default_route(route) && has_public_ip(id)) {
          if (const auto it = g_.internet_gateways.find(subnet.vpc); it != g_.internet_gateways.end()) {
            link(v, it->second, LinkKind::Network, fmt::format("{}: {} -> internet gateway", table.id, route.destination.text));
          }
        }
        break;
      case RouteTarget::NatGateway:
        if (is_default_route(route) && route.target_id != id) {
          for (Vertex nat : g_.of(route.target_id)) {
            link(v, nat, LinkKind::Network, fmt::format("{}: {} -> {}", table.id, route.destination.text, route.target_id));
          }
        }
        break;
      case RouteTarget::VpcEndpoint:
        for (Vertex ep : g_.of(route.target_id)) link(v, ep, LinkKind::Network, fmt::format("{}: -> {}", table.id, route.target_id));
        break;
      case RouteTarget::Local:
        break;
    }
  }

  void link_all(const std::string& from, const std::string& to, std::string why) {
    for (Vertex a : g_.of(from)) {
      for (Vertex b : g_.of(to)) link(a, b, LinkKind::Request, why);
    }
  }

  void add_request_links() {
    for (const auto& cf : t_.cloudfronts) {
      for (const auto& o : cf.origins) link_all(cf.id, o.component, "origin " + o.id);
    }
    for (const auto& api : t_.api_gateways) {
      link_all(api.id, api.integration, api.vpc_link ? "VPC link" : "integration");
    }
    for (const auto& lb : t_.load_balancers) {
      for (const auto& tg : lb.target_groups) {
        const bool cross_zone = tg.cross_zone.value_or(lb.cross_zone_enabled());
        for (Vertex node : g_.of(lb.id)) {
          for (Vertex target : g_.of(tg.targets)) {
            const bool same_zone = g_.graph[node].zone == g_.graph[target].zone || g_.graph[target].zone.empty();
            if (cross_zone || same_zone) link(node, target, LinkKind::Request, "target group " + tg.id);
          }
        }
      }
    }
    for (const auto& s : t_.ecs_services) {
      for (const auto& e : s.gateway_endpoints) {
        for (const auto& backend : e.backends) link_all(s.id, backend, "endpoint " + e.url_pattern);
      }
    }
    // Calls a route declares that no configuration above implies: users to the entry point,
    // and application code (ECS, Lambda) to what it calls.
    for (const auto& route : t_.routes) {
      for (std::size_t i = 0; i + 1 < route.hops.size(); ++i) {
        const auto from = t_.component(route.hops[i].component);
        const auto& to_id = route.hops[i + 1].component;
        if (!from || !(from->type == ComponentType::InternetUsers || is_compute(from->type))) continue;
        for (Vertex a : g_.of(route.hops[i].component)) {
          for (Vertex b : g_.of(to_id)) {
            if (!has_request_link(a, b)) link(a, b, LinkKind::Request, "route " + route.id);
          }
        }
      }
    }
  }

  void add_dependency_links() {
    for (const auto& s : t_.ecs_services) {
      for (Vertex v : g_.of(s.id)) {
        if (t_.component(s.image.repository)) {
          for (Vertex repo : g_.of(s.image.repository)) link(v, repo, LinkKind::Dependency, "image pull", "ecr");
        } else if (!s.image.repository.empty()) {
          link(v, g_.internet, LinkKind::Dependency, "image pull from " + s.image.repository, "internet");
        }
        for (Vertex logs : g_.of(s.log_group)) link(v, logs, LinkKind::Dependency, "awslogs driver", "logs");
        for (const auto& secret : s.secrets) {
          const auto ref = t_.component(secret);
          const std::string need = ref && ref->type == ComponentType::ParameterStore ? "ssm" : "secretsmanager";
          for (Vertex sv : g_.of(secret)) link(v, sv, LinkKind::Dependency, "secret at task start", need);
        }
      }
    }
  }

  const TopologySpec& t_;
  ArchGraph g_;
};

bool alive_or_all(const Alive& alive, Vertex v) { return !alive || alive(v); }

}  // namespace

ArchGraph build_graph(const TopologySpec& topology) { return GraphBuilder(topology).build(); }

Alive without_zone(const ArchGraph& g, std::string zone) {
  return [&g, zone = std::move(zone)](Vertex v) { return g.graph[v].zone != zone; };
}

Egress egress_of(const ArchGraph& g, Vertex from, const Alive& alive) {
  Egress out;
  // An endpoint's service is what the packets reach; endpoints forward nothing further.
  auto is_endpoint = [&](Vertex w) {
    return g.graph[w].kind == VertexKind::Component && g.graph[w].type == ComponentType::VpcEndpoint;
  };
  const detail::Search search = detail::breadth_first(
      g, from, LinkKind::Network, [&](Vertex w) { return alive_or_all(alive, w); },
      [&](Vertex w) { return !is_endpoint(w); });
  for (Vertex w : search.order) {
    if (is_endpoint(w)) {
      out.endpoint_services.insert(g.graph[w].service);
      out.endpoints.emplace(g.graph[w].service, w);
    }
  }
  if (search.seen[g.internet]) {
    out.internet = true;
    out.internet_vertices = search.path_to(g.internet);
    for (Vertex v : out.internet_vertices) out.internet_path.push_back(g.graph[v].label);
  }
  return out;
}

bool can_reach(const Egress& egress, const AwsFacts& facts, std::string_view need) {
  if (egress.internet) return true;
  if (need == "internet") return false;
  return missing_endpoints(egress, facts, need).empty();
}

std::vector<std::string> missing_endpoints(const Egress& egress, const AwsFacts& facts, std::string_view need) {
  std::vector<std::string> missing;
  const auto it = facts.private_access.find(std::string(need));
  if (it == facts.private_access.end()) return {std::string(need)};
  for (const auto& service : it->second) {
    if (!egress.endpoint_services.contains(service)) missing.push_back(service);
  }
  return missing;
}

std::vector<std::string> needs_of(const ArchGraph& g, Vertex v) {
  std::vector<std::string> needs;
  for (auto [e, end] = boost::out_edges(v, g.graph); e != end; ++e) {
    const Link& l = g.graph[*e];
    if (l.kind == LinkKind::Dependency && std::find(needs.begin(), needs.end(), l.need) == needs.end()) {
      needs.push_back(l.need);
    }
  }
  return needs;
}

std::vector<std::string> outbound_needs(const ArchGraph& g, Vertex v) {
  std::vector<std::string> needs = needs_of(g, v);
  // Calls to regional AWS APIs on a route also need a way out of the subnet.
  for (auto [e, end] = boost::out_edges(v, g.graph); e != end; ++e) {
    if (g.graph[*e].kind != LinkKind::Request) continue;
    const auto type = g.graph[boost::target(*e, g.graph)].type;
    if (type == ComponentType::DynamoDb) needs.push_back("dynamodb");
    if (type == ComponentType::S3Bucket) needs.push_back("s3");
  }
  return needs;
}

}  // namespace archsim::model
