// Drawings of one alternative's placement graph: Mermaid (renders in GitHub PR comments and
// Markdown) and Graphviz DOT. Zones and subnets are drawn as nested groups inside their VPC;
// request flow is a solid arrow, network egress dashed, dependencies dotted. The HTML page draws
// the DOT with Graphviz's library into inline SVG, each component annotated with its figures.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "archsim/model/graph.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::reports {

/// Per component id, lines (separated by '\n') added under its name in a drawing (a run's
/// simulated figures).
using ComponentNotes = std::map<std::string, std::string, std::less<>>;

std::string render_mermaid(const model::TopologySpec& topology, const model::ArchGraph& graph);
std::string render_dot(const model::TopologySpec& topology, const model::ArchGraph& graph, const std::string& title,
                       const ComponentNotes& notes = {});

/// `dot` laid out by Graphviz's own library (gvc, the `dot` layout) and rendered as an `<svg>`
/// element for an HTML page (no XML prolog); empty, with `error` set, when Graphviz cannot.
/// Each drawing is laid out in a child process of its own: Graphviz 2.42 keeps state between
/// layouts in one process, so a second layout of the same DOT came out different (and one with
/// edge labels double-freed). The DOT is read with object ids by order of appearance: cgraph's
/// default ids are heap addresses, which ordered the clusters differently after other work in
/// the same process. The same DOT gives the same bytes every time.
std::string layout_svg(const std::string& dot, std::string& error);

}  // namespace archsim::reports
