#include "archsim/model/yaml_tree.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace archsim::model {

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

YamlNode* YamlNode::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::string_view kind_name(YamlNode::Kind kind) {
  switch (kind) {
    case YamlNode::Kind::Null: return "nothing (null)";
    case YamlNode::Kind::Scalar: return "a scalar";
    case YamlNode::Kind::Sequence: return "a list";
    case YamlNode::Kind::Map: return "a map";
  }
  return "a value";
}

namespace {

SourceLoc loc_of(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp marks are 0-based; archsim reports 1-based positions. A null mark has line -1.
  if (mark.line < 0) return SourceLoc{file, 0, 0};
  return SourceLoc{file, mark.line + 1, mark.column + 1};
}

class Converter {
 public:
  Converter(const std::string& file, Diagnostics& diagnostics, const YamlLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits) {}

  YamlNode convert(const YAML::Node& node, int depth) {
    YamlNode out;
    out.loc = loc_of(node.Mark(), file_);
    if (depth > limits_.max_depth) {
      if (!depth_reported_) {
        diagnostics_.error(out.loc, "", fmt::format("nesting deeper than {} levels", limits_.max_depth));
        depth_reported_ = true;
      }
      return out;
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = YamlNode::Kind::Null;
        break;
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::Scalar;
        out.scalar = node.Scalar();
        out.quoted = node.Tag() == "!";
        break;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::Sequence;
        for (const auto& item : node) out.items.push_back(convert(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::Map;
        for (const auto& pair : node) {
          const SourceLoc key_loc = loc_of(pair.first.Mark(), file_);
          if (!pair.first.IsScalar()) {
            diagnostics_.error(key_loc, "", "map keys must be plain strings");
            continue;
          }
          const std::string key = pair.first.Scalar();
          if (const YamlNode* earlier = out.find(key)) {
            (void)earlier;
            diagnostics_.error(key_loc, key, fmt::format("duplicate key '{}' (YAML keeps only one; merge them)", key));
            continue;
          }
          out.entries.push_back({key, key_loc, convert(pair.second, depth + 1)});
        }
        break;
    }
    return out;
  }

 private:
  const std::string& file_;
  Diagnostics& diagnostics_;
  const YamlLimits& limits_;
  bool depth_reported_ = false;
};

}  // namespace

std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file_name, Diagnostics& diagnostics,
                                   const YamlLimits& limits) {
  if (text.size() > limits.max_file_bytes) {
    diagnostics.error(SourceLoc{file_name, 0, 0}, "",
                      fmt::format("file is {} bytes, over the {} byte limit", text.size(), limits.max_file_bytes));
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diagnostics.error(loc_of(e.mark, file_name), "", fmt::format("YAML syntax error: {}", e.msg));
    return std::nullopt;
  }
  Converter converter(file_name, diagnostics, limits);
  YamlNode out = converter.convert(root, 0);
  if (!out.loc.known()) out.loc = SourceLoc{file_name, 1, 1};
  return out;
}

std::optional<YamlNode> read_yaml_file(const std::filesystem::path& file, const std::string& display_name,
                                       Diagnostics& diagnostics, const YamlLimits& limits) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    diagnostics.error(SourceLoc{display_name, 0, 0}, "", "no such file (or not a regular file)");
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > limits.max_file_bytes) {
    diagnostics.error(SourceLoc{display_name, 0, 0}, "",
                      ec ? "cannot read file size" : fmt::format("file is {} bytes, over the {} byte limit", size,
                                                                 limits.max_file_bytes));
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diagnostics.error(SourceLoc{display_name, 0, 0}, "", "cannot open file for reading");
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_yaml(buffer.str(), display_name, diagnostics, limits);
}

void merge_patch(YamlNode& target, const YamlNode& patch) {
  if (!patch.is_map()) {
    target = patch;
    return;
  }
  if (!target.is_map()) {
    target = YamlNode{};
    target.kind = YamlNode::Kind::Map;
    target.loc = patch.loc;
  }
  for (const auto& entry : patch.entries) {
    YamlNode* existing = target.find(entry.key);
    if (entry.value.is_null()) {
      std::erase_if(target.entries, [&](const YamlNode::Entry& e) { return e.key == entry.key; });
    } else if (existing != nullptr) {
      merge_patch(*existing, entry.value);
    } else {
      YamlNode fresh;
      merge_patch(fresh, entry.value);
      target.entries.push_back({entry.key, entry.key_loc, std::move(fresh)});
    }
  }
}

}  // namespace archsim::model
