// Drawings of one alternative's placement graph: Mermaid (renders in GitHub PR comments and
// Markdown) and Graphviz DOT. Zones and subnets are drawn as nested groups inside their VPC;
// request flow is a solid arrow, network egress dashed, dependencies dotted.
#pragma once

#include <string>

#include "archsim/model/graph.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::reports {

std::string render_mermaid(const model::TopologySpec& topology, const model::ArchGraph& graph);
std::string render_dot(const model::TopologySpec& topology, const model::ArchGraph& graph, const std::string& title);

}  // namespace archsim::reports
