#include "archsim/reports/diagram.hpp"

#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <string_view>

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

std::string node_label(const Placement& p, std::string_view line_break) {
  if (p.kind != VertexKind::Component) return p.label;
  return fmt::format("{}{}{}", p.label, line_break, model::type_keyword(p.type));
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

/// Text inside a DOT double-quoted string: a quote or a backslash in a name must not end the
/// string or start an escape (a label could otherwise add attributes such as a link's URL).
std::string dot_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string safe_id(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}


/// What differs between Mermaid and DOT: how a node, a group and an edge are written.
struct Syntax {
  std::function<std::string(Vertex, const Placement&)> node;
  std::function<std::string(const std::string& id, const std::string& title)> open_group;
  std::string close_group;
  std::function<std::string(Vertex, Vertex, const model::Link&)> edge;
};

/// Walks the layout once (outside, regional group, VPC > zone > subnet groups, then edges);
/// both formats share this walk so that they always draw the same picture.
std::string draw(const TopologySpec& t, const ArchGraph& g, const Syntax& syntax) {
  std::string out;
  const Layout layout = lay_out(t, g);
  auto nodes = [&](const std::vector<Vertex>& vs, int depth) {
    for (Vertex v : vs) out += std::string(static_cast<std::size_t>(2 * depth), ' ') + syntax.node(v, g.graph[v]);
  };
  auto open = [&](int depth, const std::string& id, const std::string& title) {
    out += std::string(static_cast<std::size_t>(2 * depth), ' ') + syntax.open_group(id, title);
  };
  auto close = [&](int depth) { out += std::string(static_cast<std::size_t>(2 * depth), ' ') + syntax.close_group; };
  nodes(layout.outside, 1);
  if (!layout.regional.empty()) {
    open(1, "regional", fmt::format("{} regional and global services", t.region));
    nodes(layout.regional, 2);
    close(1);
  }
  std::set<std::string> vpcs;
  for (const auto& [vpc, zones] : layout.in_vpc) vpcs.insert(vpc);
  for (const auto& [vpc, vs] : layout.vpc_level) vpcs.insert(vpc);
  for (const auto& vpc : vpcs) {
    open(1, "vpc_" + safe_id(vpc), vpc_title(t, vpc));
    if (const auto it = layout.vpc_level.find(vpc); it != layout.vpc_level.end()) nodes(it->second, 2);
    if (const auto it = layout.in_vpc.find(vpc); it != layout.in_vpc.end()) {
      for (const auto& [zone, subnets] : it->second) {
        open(2, "zone_" + safe_id(vpc + "_" + zone), zone);
        for (const auto& [subnet, vs] : subnets) {
          open(3, "subnet_" + safe_id(subnet), subnet_title(t, subnet));
          nodes(vs, 4);
          close(3);
        }
        close(2);
      }
    }
    close(1);
  }
  std::set<std::tuple<Vertex, Vertex, int>> drawn;
  for (auto [e, end] = boost::edges(g.graph); e != end; ++e) {
    const Vertex a = boost::source(*e, g.graph);
    const Vertex b = boost::target(*e, g.graph);
    const auto& link = g.graph[*e];
    if (drawn.insert({a, b, static_cast<int>(link.kind)}).second) out += "  " + syntax.edge(a, b, link);
  }
  return out;
}

}  // namespace

std::string render_mermaid(const TopologySpec& t, const ArchGraph& g) {
  const Syntax mermaid{
      [](Vertex v, const Placement& p) { return fmt::format("v{}[\"{}\"]\n", v, quote_mermaid(node_label(p, "<br/>"))); },
      [](const std::string& id, const std::string& title) {
        return fmt::format("subgraph {}[\"{}\"]\n", id, quote_mermaid(title));
      },
      "end\n",
      [](Vertex a, Vertex b, const model::Link& link) {
        switch (link.kind) {
          case LinkKind::Request: return fmt::format("v{} --> v{}\n", a, b);
          case LinkKind::Network: return fmt::format("v{} -.->|egress| v{}\n", a, b);
          case LinkKind::Dependency: return fmt::format("v{} -.->|needs {}| v{}\n", a, link.need, b);
        }
        return std::string();
      }};
  return "flowchart LR\n" + draw(t, g, mermaid);
}

std::string render_dot(const TopologySpec& t, const ArchGraph& g, const std::string& title, const ComponentNotes& notes) {
  const Syntax dot{
      [&notes](Vertex v, const Placement& p) {
        std::string label = dot_text(p.label);
        if (p.kind == VertexKind::Component) label += "\\n" + dot_text(std::string(model::type_keyword(p.type)));
        if (const auto it = notes.find(p.component); it != notes.end() && p.kind == VertexKind::Component) {
          for (std::size_t start = 0; start <= it->second.size();) {  // a line of the label per line of the note
            const std::size_t end = std::min(it->second.find('\n', start), it->second.size());
            label += "\\n" + dot_text(it->second.substr(start, end - start));
            start = end + 1;
          }
        }
        return fmt::format("v{} [label=\"{}\"];\n", v, label);
      },
      [](const std::string& id, const std::string& group_title) {
        return fmt::format("subgraph cluster_{} {{ label=\"{}\";\n", id, dot_text(group_title));
      },
      "}\n",
      [](Vertex a, Vertex b, const model::Link& link) {
        switch (link.kind) {
          case LinkKind::Request: return fmt::format("v{} -> v{};\n", a, b);
          case LinkKind::Network: return fmt::format("v{} -> v{} [style=dashed, label=\"egress\"];\n", a, b);
          case LinkKind::Dependency:
            return fmt::format("v{} -> v{} [style=dotted, label=\"needs {}\"];\n", a, b, dot_text(link.need));
        }
        return std::string();
      }};
  // One face for boxes, clusters and edge labels (Graphviz sets clusters in Times by default).
  return fmt::format("digraph \"{}\" {{\n  rankdir=LR;\n  graph [fontname=\"Helvetica\"];\n  node [shape=box, fontname=\"Helvetica\"];\n"
                     "  edge [fontname=\"Helvetica\"];\n",
                     dot_text(title)) +
         draw(t, g, dot) + "}\n";
}

namespace {

/// Object ids for cgraph by order of appearance. Its default discipline makes a named object's
/// id the address of its interned name, and orders subgraphs by id: the clusters' order, and so
/// the layout, then follows the heap (a report rendered after other work drew the same DOT
/// differently). Names in the order the DOT gives them draw the same picture every time.
struct NameIds {
  std::map<std::string, IDTYPE, std::less<>> ids;
  std::deque<std::string> names;  // a deque: the c_str() cgraph keeps stays valid
  IDTYPE next_anonymous = 1;      // odd ids are anonymous, as in cgraph's own discipline
};

void* ids_open(Agraph_t*, Agdisc_t*) { return new NameIds; }
long ids_map(void* state, int, char* name, IDTYPE* id, int create) {
  auto* ids = static_cast<NameIds*>(state);
  if (name == nullptr) {
    *id = ids->next_anonymous;
    ids->next_anonymous += 2;
    return 1;
  }
  if (const auto it = ids->ids.find(std::string_view(name)); it != ids->ids.end()) {
    *id = it->second;
    return 1;
  }
  if (create == 0) return 0;
  ids->names.emplace_back(name);
  *id = 2 * static_cast<IDTYPE>(ids->names.size());
  ids->ids.emplace(ids->names.back(), *id);
  return 1;
}
long ids_alloc(void*, int, IDTYPE) { return 0; }
void ids_free(void*, int, IDTYPE) {}
char* ids_print(void* state, int, IDTYPE id) {
  auto* ids = static_cast<NameIds*>(state);
  if (id % 2 != 0 || id == 0 || id / 2 > ids->names.size()) return nullptr;
  return ids->names[static_cast<std::size_t>(id / 2 - 1)].data();
}
void ids_close(void* state) { delete static_cast<NameIds*>(state); }
void ids_register(void*, int, void*) {}

/// The DOT text as cgraph's input channel.
struct TextChannel {
  std::string_view text;
  std::size_t at = 0;
};
int text_read(void* channel, char* buffer, int size) {
  auto* c = static_cast<TextChannel*>(channel);
  const std::size_t n = std::min(c->text.size() - c->at, static_cast<std::size_t>(std::max(size, 0)));
  std::memcpy(buffer, c->text.data() + c->at, n);
  c->at += n;
  return static_cast<int>(n);
}

/// The layout itself, in the child: SVG on success, else the reason, with the exit status.
int lay_out_in_child(const std::string& dot, int fd) {
  GVC_t* gvc = gvContext();
  Agiddisc_t id_discipline{ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
  Agiodisc_t io_discipline{text_read, AgIoDisc.putstr, AgIoDisc.flush};
  Agdisc_t discipline{&AgMemDisc, &id_discipline, &io_discipline};
  TextChannel channel{dot};
  std::string svg, why;
  if (gvc == nullptr) {
    why = "Graphviz could not start (gvContext)";
  } else if (Agraph_t* graph = agread(&channel, &discipline); graph == nullptr) {
    why = "Graphviz could not read the DOT drawing";
  } else if (gvLayout(gvc, graph, "dot") != 0) {
    why = "Graphviz's dot layout failed";
  } else {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(gvc, graph, "svg", &data, &length) == 0 && data != nullptr) svg.assign(data, length);
    else why = "Graphviz could not render SVG";
  }
  const std::string& message = why.empty() ? svg : why;
  for (std::size_t sent = 0; sent < message.size();) {
    const ssize_t n = ::write(fd, message.data() + sent, message.size() - sent);
    if (n <= 0) return 2;
    sent += static_cast<std::size_t>(n);
  }
  return why.empty() ? 0 : 1;
}

}  // namespace

std::string layout_svg(const std::string& dot, std::string& error) {
  int fds[2];
  if (::pipe(fds) != 0) {
    error = std::string("cannot start the layout: ") + std::strerror(errno);
    return {};
  }
  const pid_t child = ::fork();
  if (child < 0) {
    error = std::string("cannot start the layout: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (child == 0) {
    ::close(fds[0]);
    // _exit: the child must not flush the parent's buffers or run its exit handlers.
    ::_exit(lay_out_in_child(dot, fds[1]));
  }
  ::close(fds[1]);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = WIFEXITED(status) && WEXITSTATUS(status) == 1 ? text : "Graphviz's layout stopped abnormally";
    return {};
  }
  // The page is HTML: the XML prolog and doctype before <svg> have no place in it.
  if (const auto start = text.find("<svg"); start != std::string::npos) return text.substr(start);
  error = "Graphviz's SVG has no <svg> element";
  return {};
}

}  // namespace archsim::reports
