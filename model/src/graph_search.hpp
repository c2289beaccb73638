// Private to the model library: the breadth-first search that the graph queries share.
#pragma once

#include <deque>
#include <functional>
#include <vector>

#include "archsim/model/graph.hpp"

namespace archsim::model::detail {

struct Search {
  std::vector<Vertex> parent;  ///< null_vertex for the start and for unreached vertices
  std::vector<bool> seen;
  std::vector<Vertex> order;  ///< reached vertices in discovery order, start excluded

  /// Labels from the start to `v`, or empty when `v` was not reached.
  std::vector<Vertex> path_to(Vertex v) const {
    std::vector<Vertex> path;
    if (!seen[v]) return path;
    for (Vertex x = v; x != boost::graph_traits<Graph>::null_vertex(); x = parent[x]) path.insert(path.begin(), x);
    return path;
  }
};

/// Breadth first from `start` along links of `kind`: `enter(w)` says whether w may be reached,
/// `expand(w)` whether the search goes on from it. Discovery order is the out-edge order, so the
/// result is deterministic.
inline Search breadth_first(const ArchGraph& g, Vertex start, LinkKind kind, const std::function<bool(Vertex)>& enter,
                            const std::function<bool(Vertex)>& expand) {
  const std::size_t n = boost::num_vertices(g.graph);
  Search s{std::vector<Vertex>(n, boost::graph_traits<Graph>::null_vertex()), std::vector<bool>(n, false), {}};
  std::deque<Vertex> queue{start};
  s.seen[start] = true;
  while (!queue.empty()) {
    const Vertex v = queue.front();
    queue.pop_front();
    for (auto [e, end] = boost::out_edges(v, g.graph); e != end; ++e) {
      if (g.graph[*e].kind != kind) continue;
      const Vertex w = boost::target(*e, g.graph);
      if (s.seen[w] || !enter(w)) continue;
      s.seen[w] = true;
      s.parent[w] = v;
      s.order.push_back(w);
      if (expand(w)) queue.push_back(w);
    }
  }
  return s;
}

}  // namespace archsim::model::detail
