#include "archsim/reports/diagram.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace archsim::reports {

namespace {

using model::ArchGraph;
using model::LinkKind;
using model::Placement;
using model::TopologySpec;
using model::Vertex;
using model::VertexKind;

/// Placements grouped as VPC -> zone -> subnet; the rest (internet, regional services) apart.
struct Layout {
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<Vertex>>>> in_vpc;
  std::map<std::string, std::vector<Vertex>> vpc_level;  // internet gateways, gateway endpoints
  std::vector<Vertex> outside;                            // internet, users
  std::vector<Vertex> regional;                           // managed regional and global services
};

Layout lay_out(const TopologySpec& t, const ArchGraph& g) {
  Layout layout;
  for (auto [v, end] = boost::vertices(g.graph); v != end; ++v) {
    const Placement& p = g.graph[*v];
    if (p.kind == VertexKind::Internet || p.type == model::ComponentType::InternetUsers) {
      layout.outside.push_back(*v);
    } else if (p.kind == VertexKind::InternetGateway) {
      layout.vpc_level[p.component].push_back(*v);
    } else if (const model::SubnetSpec* s = t.subnet(p.subnet)) {
      layout.in_vpc[s->vpc][s->zone][s->id].push_back(*v);
    } else if (const model::VpcEndpointSpec* e = t.vpc_endpoint(p.component)) {
      layout.vpc_level[e->vpc].push_back(*v);
    } else {
      layout.regional.push_back(*v);
    }
  }
  return layout;
}

std::string quote_mermaid(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '"' ? std::string("#quot;") : std::string(1, c);
  return out;
}

std::string node_label(const TopologySpec& t, const Placement& p) {
  if (p.kind != VertexKind::Component) return p.label;
  return fmt::format("{}<br/>{}", p.label, model::type_keyword(p.type));
  (void)t;
}

std::string vpc_title(const TopologySpec& t, const std::string& id) {
  const model::VpcSpec* vpc = t.vpc(id);
  if (vpc == nullptr) return "VPC " + id;
  std::string blocks = vpc->cidr.text;
  for (const auto& c : vpc->secondary_cidrs) blocks += ", " + c.text;
  return fmt::format("VPC {} ({})", id, blocks);
}

std::string subnet_title(const TopologySpec& t, const std::string& id) {
  const model::SubnetSpec* s = t.subnet(id);
  return s == nullptr ? id : fmt::format("{} {} {}", s->is_public ? "public" : "private", id, s->cidr.text);
}

std::string safe_id(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace

std::string render_mermaid(const TopologySpec& t, const ArchGraph& g) {
  std::string out = "flowchart LR\n";
  const Layout layout = lay_out(t, g);
  auto node = [&](Vertex v, const std::string& indent) {
    out += fmt::format("{}v{}[\"{}\"]\n", indent, v, quote_mermaid(node_label(t, g.graph[v])));
  };
  for (Vertex v : layout.outside) node(v, "  ");
  if (!layout.regional.empty()) {
    out += fmt::format("  subgraph regional[\"{} regional and global services\"]\n", t.region);
    for (Vertex v : layout.regional) node(v, "    ");
    out += "  end\n";
  }
  std::set<std::string> vpcs;
  for (const auto& [vpc, zones] : layout.in_vpc) vpcs.insert(vpc);
  for (const auto& [vpc, vs] : layout.vpc_level) vpcs.insert(vpc);
  for (const auto& vpc : vpcs) {
    out += fmt::format("  subgraph vpc_{}[\"{}\"]\n", safe_id(vpc), quote_mermaid(vpc_title(t, vpc)));
    if (const auto it = layout.vpc_level.find(vpc); it != layout.vpc_level.end()) {
      for (Vertex v : it->second) node(v, "    ");
    }
    if (const auto it = layout.in_vpc.find(vpc); it != layout.in_vpc.end()) {
      for (const auto& [zone, subnets] : it->second) {
        out += fmt::format("    subgraph zone_{}[\"{}\"]\n", safe_id(vpc + "_" + zone), zone);
        for (const auto& [subnet, vs] : subnets) {
          out += fmt::format("      subgraph subnet_{}[\"{}\"]\n", safe_id(subnet), quote_mermaid(subnet_title(t, subnet)));
          for (Vertex v : vs) node(v, "        ");
          out += "      end\n";
        }
        out += "    end\n";
      }
    }
    out += "  end\n";
  }
  std::set<std::tuple<Vertex, Vertex, int>> drawn;
  for (auto [e, end] = boost::edges(g.graph); e != end; ++e) {
    const Vertex a = boost::source(*e, g.graph);
    const Vertex b = boost::target(*e, g.graph);
    const auto& link = g.graph[*e];
    if (!drawn.insert({a, b, static_cast<int>(link.kind)}).second) continue;
    switch (link.kind) {
      case LinkKind::Request: out += fmt::format("  v{} --> v{}\n", a, b); break;
      case LinkKind::Network: out += fmt::format("  v{} -.->|egress| v{}\n", a, b); break;
      case LinkKind::Dependency: out += fmt::format("  v{} -.->|needs {}| v{}\n", a, link.need, b); break;
    }
  }
  return out;
}

std::string render_dot(const TopologySpec& t, const ArchGraph& g, const std::string& title) {
  std::string out = fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", title);
  const Layout layout = lay_out(t, g);
  auto node = [&](Vertex v, const std::string& indent) {
    const Placement& p = g.graph[v];
    const std::string label = p.kind == VertexKind::Component
                                  ? fmt::format("{}\\n{}", p.label, model::type_keyword(p.type))
                                  : p.label;
    out += fmt::format("{}v{} [label=\"{}\"];\n", indent, v, label);
  };
  for (Vertex v : layout.outside) node(v, "  ");
  if (!layout.regional.empty()) {
    out += fmt::format("  subgraph cluster_regional {{\n    label=\"{} regional and global services\";\n", t.region);
    for (Vertex v : layout.regional) node(v, "    ");
    out += "  }\n";
  }
  std::set<std::string> vpcs;
  for (const auto& [vpc, zones] : layout.in_vpc) vpcs.insert(vpc);
  for (const auto& [vpc, vs] : layout.vpc_level) vpcs.insert(vpc);
  for (const auto& vpc : vpcs) {
    out += fmt::format("  subgraph cluster_vpc_{} {{\n    label=\"{}\";\n", safe_id(vpc), vpc_title(t, vpc));
    if (const auto it = layout.vpc_level.find(vpc); it != layout.vpc_level.end()) {
      for (Vertex v : it->second) node(v, "    ");
    }
    if (const auto it = layout.in_vpc.find(vpc); it != layout.in_vpc.end()) {
      for (const auto& [zone, subnets] : it->second) {
        out += fmt::format("    subgraph cluster_zone_{} {{\n      label=\"{}\";\n", safe_id(vpc + "_" + zone), zone);
        for (const auto& [subnet, vs] : subnets) {
          out += fmt::format("      subgraph cluster_subnet_{} {{\n        label=\"{}\";\n", safe_id(subnet),
                             subnet_title(t, subnet));
          for (Vertex v : vs) node(v, "        ");
          out += "      }\n";
        }
        out += "    }\n";
      }
    }
    out += "  }\n";
  }
  std::set<std::tuple<Vertex, Vertex, int>> drawn;
  for (auto [e, end] = boost::edges(g.graph); e != end; ++e) {
    const Vertex a = boost::source(*e, g.graph);
    const Vertex b = boost::target(*e, g.graph);
    const auto& link = g.graph[*e];
    if (!drawn.insert({a, b, static_cast<int>(link.kind)}).second) continue;
    switch (link.kind) {
      case LinkKind::Request: out += fmt::format("  v{} -> v{};\n", a, b); break;
      case LinkKind::Network: out += fmt::format("  v{} -> v{} [style=dashed, label=\"egress\"];\n", a, b); break;
      case LinkKind::Dependency:
        out += fmt::format("  v{} -> v{} [style=dotted, label=\"needs {}\"];\n", a, b, link.need);
        break;
    }
  }
  out += "}\n";
  return out;
}

}  // namespace archsim::reports
