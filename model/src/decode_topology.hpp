// Private to the model library: decoding a topology and checking its references.
#pragma once

#include <string>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/decode.hpp"

namespace archsim::model::detail {

using decoding::DecodeContext;

/// Decodes a topology map (already merged with overrides) rooted at `path`.
void decode_topology(const YamlNode& node, const std::string& path, DecodeContext& ctx, TopologySpec& out);

/// Reports references to ids that do not exist, or exist with the wrong type.
void check_references(const TopologySpec& topology, DecodeContext& ctx);

/// Reports values beyond AWS's limits (model/data/quotas.yaml, Fargate task sizes), route
/// hops with nothing after the entry and route shares that do not add up to one.
void check_limits(const TopologySpec& topology, const AwsFacts& facts, DecodeContext& ctx);

}  // namespace archsim::model::detail
