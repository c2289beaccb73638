// Private to design-space search: variants as scenario trees.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archsim/explore/explore.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::explore {

/// The `overrides:` node of alternative `id` in the scenario's tree, or nullptr.
const model::YamlNode* alternative_overrides(const model::YamlNode& tree, std::string_view id);

/// The scenario tree with one more alternative, `variant_id`: `base`'s entry with each option's
/// patch applied after its own overrides (an `overrides:` list), or, for a purchase option, to
/// its `pricing:` (starting from the base's, else the scenario's `fargate` and `savings_plan`,
/// since an alternative's `pricing:` replaces the scenario's); considered rather than chosen.
/// The other alternatives stay, so that what names them (usage of their components, the
/// document's claims) still loads; only the variant is simulated.
model::YamlNode variant_tree_with(const model::YamlNode& tree, const std::string& base, const std::string& variant_id,
                                  const std::vector<const DimensionOption*>& options);

/// Every line and column a node (and its keys) was written at.
void collect_locations(const model::YamlNode& node, std::set<std::pair<int, int>>& out);

/// A node as YAML text (flow style for short maps and lists), for a variant to paste.
std::string to_yaml(const model::YamlNode& node, int indent);

}  // namespace archsim::explore
