#include "archsim/model/yaml_tree.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "archsim/model/input_file.hpp"
#include "archsim/model/text_check.hpp"

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

/// The position of byte `offset` of `text`, 1-based (columns count bytes, as yaml-cpp's do).
SourceLoc loc_at(std::string_view text, std::size_t offset, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return SourceLoc{file, line, column};
}

class Converter {
 public:
  Converter(const std::string& file, Diagnostics& diagnostics, const YamlLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits) {}

  YamlNode convert(const YAML::Node& node, int depth) {
    YamlNode out;
    out.loc = loc_of(node.Mark(), file_);
    if (stopped_) return out;
    // Aliases share their anchor's node, so a tree walk copies it at every alias: the count is
    // of nodes after expansion, which is what memory pays for.
    if (++nodes_ > limits_.max_nodes) {
      diagnostics_.error(out.loc, "",
                         fmt::format("more than {} YAML nodes once aliases are expanded (an alias copies every node of "
                                     "its anchor); the limit guards against alias bombs",
                                     limits_.max_nodes));
      stopped_ = true;
      return out;
    }
    if (depth > limits_.max_depth) {
      if (!depth_reported_) {
        diagnostics_.error(out.loc, "", fmt::format("nesting deeper than {} levels", limits_.max_depth));
        depth_reported_ = true;
      }
      return out;
    }
    for (const auto& ancestor : ancestors_) {
      if (ancestor.is(node)) {
        diagnostics_.error(out.loc, "", "an alias here refers to a node that contains it (a cycle); archsim reads trees");
        stopped_ = true;
        return out;
      }
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
        check_scalar(out);
        break;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::Sequence;
        ancestors_.push_back(node);
        for (const auto& item : node) {
          out.items.push_back(convert(item, depth + 1));
          if (stopped_) break;
        }
        ancestors_.pop_back();
        break;
      case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::Map;
        ancestors_.push_back(node);
        for (const auto& pair : node) {
          if (stopped_) break;
          const SourceLoc key_loc = loc_of(pair.first.Mark(), file_);
          if (!pair.first.IsScalar()) {
            diagnostics_.error(key_loc, "", "map keys must be plain strings");
            continue;
          }
          const std::string& key = pair.first.Scalar();
          if (!key_ok(key, key_loc)) continue;
          if (const YamlNode* earlier = out.find(key)) {
            (void)earlier;
            diagnostics_.error(key_loc, key, fmt::format("duplicate key '{}' (YAML keeps only one; merge them)", key));
            continue;
          }
          out.entries.push_back({key, key_loc, convert(pair.second, depth + 1)});
        }
        ancestors_.pop_back();
        break;
    }
    return out;
  }

 private:
  /// A key is an identifier or a schema word: short, one line, printable.
  bool key_ok(const std::string& key, const SourceLoc& key_loc) {
    if (key.size() > limits_.max_key_bytes) {
      diagnostics_.error(key_loc, "",
                         fmt::format("a key of {} bytes, over the {}-byte limit for keys and ids", key.size(),
                                     limits_.max_key_bytes));
      return false;
    }
    if (const auto problem = check_text(key, false)) {
      diagnostics_.error(key_loc, "", fmt::format("in a key: {}", problem->message));
      return false;
    }
    return true;
  }

  /// Values are UTF-8 text without control characters (an escape such as "\e" or "\x00" in a
  /// double-quoted scalar can make one after the file's own bytes passed check_yaml_stream).
  void check_scalar(YamlNode& out) {
    if (out.scalar.size() > limits_.max_scalar_bytes) {
      diagnostics_.error(out.loc, "",
                         fmt::format("a value of {} bytes, over the {}-byte limit for one value", out.scalar.size(),
                                     limits_.max_scalar_bytes));
      out.scalar.clear();
      return;
    }
    if (const auto problem = check_text(out.scalar, true)) {
      diagnostics_.error(out.loc, "", problem->message);
      out.scalar = escape_controls(out.scalar);
    }
  }

  const std::string& file_;
  Diagnostics& diagnostics_;
  const YamlLimits& limits_;
  std::vector<YAML::Node> ancestors_;
  std::size_t nodes_ = 0;
  bool stopped_ = false;
  bool depth_reported_ = false;
};

}  // namespace

std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file_name, Diagnostics& diagnostics,
                                   const YamlLimits& limits) {
  if (text.size() > limits.max_file_bytes) {
    diagnostics.error(SourceLoc{file_name, 0, 0}, "",
                      fmt::format("file is {} bytes, over the {}-byte limit", text.size(), limits.max_file_bytes));
    return std::nullopt;
  }
  // Bytes yaml-cpp would pass through (invalid UTF-8, NUL, control characters) are refused here,
  // where their line and column are still known.
  if (const auto problem = check_yaml_stream(text)) {
    diagnostics.error(loc_at(text, problem->offset, file_name), "", problem->message);
    return std::nullopt;
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    diagnostics.error(loc_of(e.mark, file_name), "", fmt::format("YAML syntax error: {}", e.msg));
    return std::nullopt;
  }
  if (documents.size() > 1) {
    // Every document after the first opens with a `---` line: the second document's is the one
    // before the rest. (yaml-cpp marks a document by its first node, or its end when empty.)
    std::vector<std::size_t> starts;
    for (std::size_t pos = 0; pos < text.size();) {
      if (text.substr(pos, 3) == "---") starts.push_back(pos);
      const std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) break;
      pos = eol + 1;
    }
    const std::size_t later = documents.size() - 1;
    const SourceLoc where = starts.size() >= later ? loc_at(text, starts[starts.size() - later], file_name)
                                                   : loc_of(documents[1].Mark(), file_name);
    diagnostics.error(where, "",
                      fmt::format("a second YAML document starts here (after '---'); archsim reads one document per "
                                  "file, so split it into {} files",
                                  documents.size()));
    return std::nullopt;
  }
  const YAML::Node root = documents.empty() ? YAML::Node() : documents.front();
  Converter converter(file_name, diagnostics, limits);
  YamlNode out = converter.convert(root, 0);
  if (!out.loc.known()) out.loc = SourceLoc{file_name, 1, 1};
  return out;
}

std::optional<YamlNode> read_yaml_file(const std::filesystem::path& file, const std::string& display_name,
                                       Diagnostics& diagnostics, const YamlLimits& limits) {
  FileProblem problem;
  const auto text = read_regular_file(file, limits.max_file_bytes, problem);
  if (!text) {
    diagnostics.error(SourceLoc{display_name, 0, 0}, "",
                      problem.missing ? std::string("no such file") : fmt::format("cannot read it: {}", problem.message));
    return std::nullopt;
  }
  return parse_yaml(*text, display_name, diagnostics, limits);
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
