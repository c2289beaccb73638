#include "variants.hpp"

#include <optional>

#include <fmt/format.h>

#include "archsim/explore/explore.hpp"

namespace archsim::explore {

using model::YamlNode;

const YamlNode* alternative_overrides(const YamlNode& tree, std::string_view id) {
  const YamlNode* alternatives = tree.find("alternatives");
  const YamlNode* alt = alternatives != nullptr && alternatives->is_map() ? alternatives->find(id) : nullptr;
  return alt != nullptr && alt->is_map() ? alt->find("overrides") : nullptr;
}

namespace {

/// The purchase options a variant starts from: the base alternative's `pricing:`, else the
/// scenario's `fargate` and `savings_plan` (its other keys are the scenario's alone).
YamlNode starting_purchase_options(const YamlNode& tree, const YamlNode& alt) {
  if (const YamlNode* own = alt.find("pricing")) return *own;
  YamlNode out;
  out.kind = YamlNode::Kind::Map;
  out.loc = alt.loc;
  if (const YamlNode* scenario = tree.find("pricing"); scenario != nullptr && scenario->is_map()) {
    for (const auto& e : scenario->entries) {
      if (e.key == "fargate" || e.key == "savings_plan") out.entries.push_back(e);
    }
  }
  return out;
}

}  // namespace

YamlNode variant_tree_with(const YamlNode& tree, const std::string& base, const std::string& variant_id,
                           const std::vector<const DimensionOption*>& options) {
  YamlNode out;
  out.kind = tree.kind;
  out.loc = tree.loc;
  for (const auto& entry : tree.entries) {
    if (entry.key != "alternatives") {
      out.entries.push_back(entry);
      continue;
    }
    YamlNode alternatives = entry.value;
    const YamlNode* written = entry.value.find(base);
    YamlNode alt = written != nullptr ? *written : YamlNode{};
    // The variant is considered, whatever the base's status: it is not the document's choice.
    if (YamlNode* status = alt.find("status")) status->scalar = "considered";
    YamlNode list;
    list.kind = YamlNode::Kind::Sequence;
    list.loc = alt.loc;
    std::vector<const YamlNode*> patches;
    std::optional<YamlNode> purchase;
    for (const DimensionOption* o : options) {
      if (!o->purchase) {
        patches.push_back(&o->patch);
        continue;
      }
      if (!purchase) purchase = starting_purchase_options(tree, alt);
      model::merge_patch(*purchase, o->patch);
    }
    bool had_overrides = false;
    for (auto& e : alt.entries) {
      if (e.key != "overrides") continue;
      had_overrides = true;
      list.loc = e.value.loc;
      if (e.value.is_sequence()) list.items = e.value.items;
      else list.items.push_back(e.value);
      for (const YamlNode* p : patches) list.items.push_back(*p);
      e.value = list;
    }
    if (!had_overrides && !patches.empty()) {
      for (const YamlNode* p : patches) list.items.push_back(*p);
      alt.entries.push_back({"overrides", alt.loc, list});
    }
    if (purchase) {
      if (YamlNode* own = alt.find("pricing")) *own = std::move(*purchase);
      else alt.entries.push_back({"pricing", alt.loc, std::move(*purchase)});
    }
    alternatives.entries.push_back({variant_id, entry.key_loc, std::move(alt)});
    out.entries.push_back({entry.key, entry.key_loc, std::move(alternatives)});
  }
  return out;
}

void collect_locations(const YamlNode& node, std::set<std::pair<int, int>>& out) {
  out.insert({node.loc.line, node.loc.column});
  for (const auto& item : node.items) collect_locations(item, out);
  for (const auto& e : node.entries) {
    out.insert({e.key_loc.line, e.key_loc.column});
    collect_locations(e.value, out);
  }
}

namespace {

bool plain_safe(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/' || c == '*')) return false;
  }
  return true;
}

std::string scalar_text(const YamlNode& n) {
  if (n.is_null()) return "null";
  if (!n.quoted && plain_safe(n.scalar)) return n.scalar;
  std::string out = "\"";
  for (char c : n.scalar) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

bool flat(const YamlNode& n) {
  if (n.is_scalar() || n.is_null()) return true;
  for (const auto& i : n.items) {
    if (!(i.is_scalar() || i.is_null())) return false;
  }
  for (const auto& e : n.entries) {
    if (!(e.value.is_scalar() || e.value.is_null())) return false;
  }
  return true;
}

std::string flow(const YamlNode& n) {
  if (n.is_scalar() || n.is_null()) return scalar_text(n);
  std::string out;
  for (const auto& i : n.items) out += (out.empty() ? "" : ", ") + flow(i);
  for (const auto& e : n.entries) out += (out.empty() ? "" : ", ") + e.key + ": " + flow(e.value);
  return n.is_sequence() ? "[" + out + "]" : "{" + out + "}";
}

}  // namespace

std::string to_yaml(const YamlNode& node, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out;
  if (node.is_map()) {
    for (const auto& e : node.entries) {
      if (flat(e.value) && flow(e.value).size() < 80) out += pad + e.key + ": " + flow(e.value) + "\n";
      else out += pad + e.key + ":\n" + to_yaml(e.value, indent + 2);
    }
  } else if (node.is_sequence()) {
    for (const auto& i : node.items) {
      if (flat(i) && flow(i).size() < 80) {
        out += pad + "- " + flow(i) + "\n";
      } else {
        std::string inner = to_yaml(i, indent + 2);
        inner.replace(static_cast<std::size_t>(indent), 2, "- ");
        out += inner;
      }
    }
  } else {
    out += pad + scalar_text(node) + "\n";
  }
  return out;
}

std::vector<std::size_t> choices_at(const ExploreSpec& spec, std::uint64_t index) {
  std::vector<std::size_t> choices(spec.dimensions.size());
  for (std::size_t i = spec.dimensions.size(); i-- > 0;) {
    const auto n = spec.dimensions[i].options.size();
    choices[i] = static_cast<std::size_t>(index % n);
    index /= n;
  }
  return choices;
}

std::string variant_id(const ExploreSpec& spec, std::uint64_t index) { return fmt::format("{}-v{}", spec.base, index); }

namespace {

std::vector<const DimensionOption*> options_at(const ExploreInputs& inputs, std::uint64_t index) {
  std::vector<const DimensionOption*> options;
  const auto choices = choices_at(inputs.spec, index);
  for (std::size_t i = 0; i < choices.size(); ++i) options.push_back(&inputs.spec.dimensions[i].options[choices[i]]);
  return options;
}

}  // namespace

YamlNode variant_tree(const ExploreInputs& inputs, std::uint64_t index) {
  return variant_tree_with(inputs.tree, inputs.spec.base, variant_id(inputs.spec, index), options_at(inputs, index));
}

std::string variant_alternative_yaml(const ExploreInputs& inputs, std::uint64_t index) {
  const YamlNode tree = variant_tree(inputs, index);
  const YamlNode& alternatives = *tree.find("alternatives");
  YamlNode alt = alternatives.entries.back().value;
  const auto choices = choices_at(inputs.spec, index);
  std::string title;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    title += fmt::format("{}{} = {}", i ? "; " : "", inputs.spec.dimensions[i].name, inputs.spec.dimensions[i].options[choices[i]].label);
  }
  for (auto& e : alt.entries) {
    if (e.key == "title") e.value.scalar = fmt::format("{} (variant {})", e.value.scalar, index);
    if (e.key == "rationale") e.value.scalar = "Found by archsim explore: " + title + ".";
  }
  YamlNode wrapper;
  wrapper.kind = YamlNode::Kind::Map;
  wrapper.entries.push_back({variant_id(inputs.spec, index), {}, std::move(alt)});
  return to_yaml(wrapper, 0);
}

}  // namespace archsim::explore
