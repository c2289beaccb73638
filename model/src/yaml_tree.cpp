#include "archsim/model/yaml_tree.hpp"

#include <map>
#include <unordered_set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
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


/// `!Ref`, `!GetAtt`, ...: a local tag. yaml-cpp reports "?" for none and "!" for a quoted
/// scalar's non-specific tag; neither is one.
std::string local_tag(const std::string& tag) { return tag.size() > 1 && tag[0] == '!' && tag[1] != '!' ? tag : std::string(); }

/// Thrown by the builder to stop the parser at a limit; the diagnostic is already reported.
struct StopParsing {};

/// Builds the tree from yaml-cpp's parser events rather than from its node graph, so archsim,
/// not yaml-cpp, owns every node: the budget counts nodes as they are made (an alias counts
/// every node it copies), and reaching it stops the parser at once, before memory is spent.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diagnostics, const YamlLimits& limits)
      : file_(file), diagnostics_(diagnostics), limits_(limits) {}

  std::optional<YamlNode>& root() { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode node;
    node.loc = loc_of(mark, file_);
    spend(1, node.loc);
    add(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const SourceLoc here = loc_of(mark, file_);
    for (const auto& frame : stack_) {
      if (frame.anchor == anchor) fatal(here, "an alias here refers to a node that contains it (a cycle); archsim reads trees");
    }
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fatal(here, "an alias here names no anchor before it");
    aliased_ = true;
    spend(it->second.size, here);
    add(YamlNode(it->second.node), YAML::NullAnchor, it->second.size);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    YamlNode node;
    node.loc = loc_of(mark, file_);
    spend(1, node.loc);
    node.kind = YamlNode::Kind::Scalar;
    node.scalar = value;
    node.quoted = tag == "!";  // yaml-cpp tags quoted scalars "!": `"80"` is a string
    node.tag = local_tag(tag);
    add(std::move(node), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor, YamlNode::Kind::Sequence);
    stack_.back().node.tag = local_tag(tag);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor, YamlNode::Kind::Map);
    stack_.back().node.tag = local_tag(tag);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes_before = 0;  ///< the budget spent when it opened: its size is the difference
    bool has_key = false;          ///< a map's key is read, its value is next
    bool skip_value = false;       ///< the key was refused (reported): drop its value
    std::string key;
    SourceLoc key_loc;
    std::unordered_set<std::string> keys;  ///< a map's keys so far: a duplicate is found in O(1), not by a scan
  };
  struct Anchored {
    YamlNode node;
    std::size_t size = 0;
  };

  [[noreturn]] void fatal(const SourceLoc& where, std::string message) {
    diagnostics_.error(where, "", std::move(message));
    throw StopParsing{};
  }

  /// Nodes after aliases are expanded are what memory pays for.
  void spend(std::size_t nodes, const SourceLoc& where) {
    nodes_ += nodes;
    if (nodes_ > limits_.max_nodes) {
      // Aliases are said only where the file has them: a Terraform plan (JSON) has none.
      fatal(where, aliased_ ? fmt::format("more than {} YAML nodes (maps, lists and values; an alias counts every node it copies): "
                                          "archsim's limit against alias bombs and runaway files",
                                          limits_.max_nodes)
                            : fmt::format("more than {} nodes (maps, lists and values): archsim's limit against runaway files", limits_.max_nodes));
    }
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, YamlNode::Kind kind) {
    Frame frame;
    frame.node.loc = loc_of(mark, file_);
    frame.node.kind = kind;
    frame.anchor = anchor;
    spend(1, frame.node.loc);
    frame.nodes_before = nodes_ - 1;
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      fatal(frame.node.loc, fmt::format("nesting deeper than {} levels", limits_.max_depth));
    }
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(frame.node), frame.anchor, nodes_ - frame.nodes_before);
  }

  /// A finished node: the root, a list item, a map key or a map value.
  void add(YamlNode node, YAML::anchor_t anchor, std::size_t size) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = Anchored{node, size};
    if (node.is_scalar()) check_scalar(node);
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_sequence()) {
      top.node.items.push_back(std::move(node));
      return;
    }
    if (!top.has_key) {
      top.has_key = true;
      top.skip_value = !key_ok(node);
      top.key = node.scalar;
      top.key_loc = node.loc;
      return;
    }
    top.has_key = false;
    if (top.skip_value) return;
    if (!top.keys.insert(top.key).second) {
      diagnostics_.error(top.key_loc, top.key, fmt::format("duplicate key '{}' (YAML keeps only one; merge them)", top.key));
      return;
    }
    top.node.entries.push_back({std::move(top.key), top.key_loc, std::move(node)});
  }

  /// A key is an identifier or a schema word: a short, printable scalar.
  bool key_ok(const YamlNode& key) {
    if (!key.is_scalar()) {
      diagnostics_.error(key.loc, "", "map keys must be plain strings");
      return false;
    }
    if (key.scalar.size() > limits_.max_key_bytes) {
      diagnostics_.error(key.loc, "",
                         fmt::format("a key of {} bytes, over the {}-byte limit for keys and ids", key.scalar.size(),
                                     limits_.max_key_bytes));
      return false;
    }
    if (const auto problem = check_text(key.scalar, false)) {
      diagnostics_.error(key.loc, "", fmt::format("in a key: {}", problem->message));
      return false;
    }
    return true;
  }

  /// Values are UTF-8 text without control characters (an escape such as "\e" or "\x00" in a
  /// double-quoted scalar can make one after the file's own bytes passed check_yaml_stream).
  void check_scalar(YamlNode& node) {
    if (node.scalar.size() > limits_.max_scalar_bytes) {
      diagnostics_.error(node.loc, "",
                         fmt::format("a value of {} bytes, over the {}-byte limit for one value", node.scalar.size(),
                                     limits_.max_scalar_bytes));
      node.scalar.clear();
      return;
    }
    if (const auto problem = check_text(node.scalar, true)) {
      diagnostics_.error(node.loc, "", problem->message);
      node.scalar = escape_controls(node.scalar);
    }
  }

  const std::string& file_;
  Diagnostics& diagnostics_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::optional<YamlNode> root_;
  std::size_t nodes_ = 0;
  bool aliased_ = false;  ///< an alias was read: the node limit names them
};

/// Stops at the start of a document: the parser has found a second one.
class SecondDocument : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override { throw StopParsing{}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { throw StopParsing{}; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { throw StopParsing{}; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { throw StopParsing{}; }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { throw StopParsing{}; }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { throw StopParsing{}; }
  void OnMapEnd() override {}
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
    diagnostics.error(locate_offset(text, problem->offset, file_name), "", problem->message);
    return std::nullopt;
  }
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  TreeBuilder builder(file_name, diagnostics, limits);
  bool second_document = false;
  try {
    parser.HandleNextDocument(builder);
    SecondDocument probe;
    second_document = parser.HandleNextDocument(probe);
  } catch (const StopParsing&) {
    if (!builder.root()) return std::nullopt;  // a limit, already reported
    second_document = true;                    // the probe stopped at the second document
  } catch (const YAML::Exception& e) {
    diagnostics.error(loc_of(e.mark, file_name), "", fmt::format("YAML syntax error: {}", e.msg));
    return std::nullopt;
  }
  if (second_document) {
    // Every document after the first opens with a `---` line (the second one's is the one
    // after the first document's content).
    std::vector<std::size_t> starts;
    for (std::size_t pos = 0; pos < text.size();) {
      if (text.substr(pos, 3) == "---") starts.push_back(pos);
      const std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) break;
      pos = eol + 1;
    }
    const int first_content = builder.root() && builder.root()->loc.known() ? builder.root()->loc.line : 1;
    SourceLoc where{file_name, 0, 0};
    for (std::size_t start : starts) {
      const SourceLoc at = locate_offset(text, start, file_name);
      if (at.line > first_content) {
        where = at;
        break;
      }
    }
    diagnostics.error(where, "",
                      "a second YAML document starts here (after '---'); archsim reads one document per file, so split "
                      "it into files");
    return std::nullopt;
  }
  YamlNode out = builder.root() ? std::move(*builder.root()) : YamlNode{};
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
