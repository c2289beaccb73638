// The reviewer's questions, answered on the placement graph: what the internet reaches,
// what a route cannot lose, what a zone failure takes down and cuts off.
#include <algorithm>
#include <deque>
#include <set>

#include <boost/graph/dominator_tree.hpp>
#include <fmt/format.h>

#include "archsim/model/graph.hpp"
#include "archsim/model/security_groups.hpp"
#include "graph_search.hpp"

namespace archsim::model {

namespace {

bool alive_or_all(const Alive& alive, Vertex v) { return !alive || alive(v); }

bool is_front_door(ComponentType type) {
  return type == ComponentType::LoadBalancer || type == ComponentType::CloudFront || type == ComponentType::ApiGateway;
}

const std::vector<std::string>* security_groups_of(const TopologySpec& t, const std::string& id) {
  if (const auto* s = t.ecs_service(id)) return &s->security_groups;
  if (const auto* d = t.database(id)) return &d->security_groups;
  return nullptr;
}

/// The small layered graph of one route: source, one layer per hop, sink.
struct RouteGraph {
  using Small = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
  Small graph;
  std::vector<Vertex> big;  // small vertex -> ArchGraph vertex (unused for source/sink)
  std::size_t source = 0, sink = 0;
  std::vector<std::string> gaps;
};

RouteGraph expand_route(const ArchGraph& g, const RequestRouteSpec& route, const Alive& alive) {
  RouteGraph r;
  r.source = boost::add_vertex(r.graph);
  r.big.push_back(0);
  std::vector<std::vector<std::size_t>> layers;
  for (const auto& hop : route.hops) {
    std::vector<std::size_t> layer;
    for (Vertex v : g.of(hop.component)) {
      if (!alive_or_all(alive, v)) continue;
      layer.push_back(boost::add_vertex(r.graph));
      r.big.push_back(v);
    }
    layers.push_back(std::move(layer));
  }
  r.sink = boost::add_vertex(r.graph);
  r.big.push_back(0);
  if (layers.empty()) return r;
  for (std::size_t s : layers.front()) boost::add_edge(r.source, s, r.graph);
  for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
    bool any = false;
    for (std::size_t a : layers[i]) {
      for (std::size_t b : layers[i + 1]) {
        for (auto [e, end] = boost::out_edges(r.big[a], g.graph); e != end; ++e) {
          if (g.graph[*e].kind == LinkKind::Request && boost::target(*e, g.graph) == r.big[b]) {
            boost::add_edge(a, b, r.graph);
            any = true;
            break;
          }
        }
      }
    }
    if (!any) r.gaps.push_back(fmt::format("{} -> {}", route.hops[i].component, route.hops[i + 1].component));
  }
  for (std::size_t s : layers.back()) boost::add_edge(s, r.sink, r.graph);
  return r;
}

bool reaches_sink(const RouteGraph& r, const std::function<bool(std::size_t)>& keep) {
  std::vector<bool> seen(boost::num_vertices(r.graph), false);
  std::deque<std::size_t> queue{r.source};
  seen[r.source] = true;
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    if (v == r.sink) return true;
    for (auto [e, end] = boost::out_edges(v, r.graph); e != end; ++e) {
      const std::size_t w = boost::target(*e, r.graph);
      if (seen[w] || (w != r.sink && !keep(w))) continue;
      seen[w] = true;
      queue.push_back(w);
    }
  }
  return false;
}

}  // namespace

std::vector<Exposure> internet_exposure(const ArchGraph& g, const TopologySpec& t) {
  std::vector<Exposure> out;
  std::set<std::string> reported;
  // Along request links from every internet_users placement, breadth first (shortest path).
  for (const auto& users : t.internet_users) {
    for (Vertex start : g.of(users.id)) {
      const auto everything = [](Vertex) { return true; };
      const detail::Search search = detail::breadth_first(g, start, LinkKind::Request, everything, everything);
      for (Vertex w : search.order) {
        const Placement& p = g.graph[w];
        if (!reported.insert(p.component).second) continue;
        std::vector<std::string> path;
        for (Vertex x : search.path_to(w)) path.push_back(g.graph[x].component);
        const bool direct = search.parent[w] == start && !is_front_door(p.type) && p.type != ComponentType::S3Bucket;
        out.push_back({p.component, direct, fmt::format("request path {}", fmt::join(path, " -> "))});
      }
    }
  }
  // Directly: a public IP in a subnet routed to an internet gateway, with a world-open group.
  for (const auto& [id, vertices] : g.placements) {
    const auto* groups = security_groups_of(t, id);
    if (groups == nullptr) continue;
    for (Vertex v : vertices) {
      bool to_igw = false;
      for (auto [e, end] = boost::out_edges(v, g.graph); e != end; ++e) {
        if (g.graph[*e].kind == LinkKind::Network && g.graph[boost::target(*e, g.graph)].kind == VertexKind::InternetGateway) {
          to_igw = true;
        }
      }
      const auto open = world_open_ingress(t, *groups);
      if (!to_igw || open.empty()) continue;
      std::vector<std::string> ports;
      for (const auto* rule : open) ports.push_back(describe_ports(*rule));
      out.push_back({id, true,
                     fmt::format("public IP in subnet {} routed to an internet gateway; security groups admit 0.0.0.0/0 on {}",
                                 g.graph[v].subnet, fmt::join(ports, ", "))});
      break;
    }
  }
  return out;
}

RouteAnalysis analyse_route(const ArchGraph& g, const TopologySpec& t, const RequestRouteSpec& route,
                            const Alive& alive) {
  (void)t;
  RouteAnalysis out;
  out.route = route.id;
  const RouteGraph r = expand_route(g, route, alive);
  out.gaps = r.gaps;
  out.connected = reaches_sink(r, [](std::size_t) { return true; });
  std::set<std::string> regional;
  std::set<std::string> zones;
  for (std::size_t v = 1; v + 1 < r.big.size(); ++v) {
    const Placement& p = g.graph[r.big[v]];
    if (p.zone.empty() && p.type != ComponentType::InternetUsers) regional.insert(p.component);
    if (!p.zone.empty()) zones.insert(p.zone);
  }
  out.regional.assign(regional.begin(), regional.end());
  if (!out.connected) return out;

  using Small = RouteGraph::Small;
  std::vector<std::size_t> idom(boost::num_vertices(r.graph), boost::graph_traits<Small>::null_vertex());
  boost::lengauer_tarjan_dominator_tree(
      r.graph, r.source, boost::make_iterator_property_map(idom.begin(), boost::get(boost::vertex_index, r.graph)));
  for (std::size_t v = idom[r.sink]; v != r.source && v != boost::graph_traits<Small>::null_vertex(); v = idom[v]) {
    const Placement& p = g.graph[r.big[v]];
    if (!p.zone.empty()) out.single_points.insert(out.single_points.begin(), p.label);
  }
  for (const auto& zone : zones) {
    const bool survives = reaches_sink(r, [&](std::size_t v) { return g.graph[r.big[v]].zone != zone; });
    if (!survives) out.single_zones.push_back(zone);
  }
  return out;
}

ZoneFailureImpact zone_failure(const ArchGraph& g, const TopologySpec& t, const AwsFacts& facts,
                               const std::string& zone) {
  ZoneFailureImpact out;
  out.zone = zone;
  const Alive alive = without_zone(g, zone);
  for (auto [v, end] = boost::vertices(g.graph); v != end; ++v) {
    const Placement& p = g.graph[*v];
    if (p.kind != VertexKind::Component) continue;
    if (p.zone == zone) {
      out.down.push_back(p.label);
      continue;
    }
    const auto needs = needs_of(g, *v);
    if (needs.empty()) continue;
    const Egress before = egress_of(g, *v);
    const Egress after = egress_of(g, *v, alive);
    for (const auto& need : needs) {
      if (can_reach(before, facts, need) && !can_reach(after, facts, need)) {
        const std::string how = before.internet ? fmt::format("via {}", fmt::join(before.internet_path, " -> "))
                                                : std::string("via VPC endpoints");
        out.cut_off.push_back({p.label, need, how});
      }
    }
  }
  for (const auto& route : t.routes) {
    if (!analyse_route(g, t, route, alive).connected) out.routes_broken.push_back(route.id);
  }
  return out;
}

}  // namespace archsim::model
