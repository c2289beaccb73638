// A YAML document as a plain tree whose every node remembers its file, line and column.
//
// yaml-cpp's nodes know their line but not their file, and cannot be merged across files.
// archsim reads each file once into this tree, applies per-alternative overrides to it as a
// JSON Merge Patch (RFC 7396), and decodes scenario structs from the result, so a value that
// came from an override points at the override and a value from an included topology file
// points into that file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/input_limits.hpp"
#include "archsim/model/source.hpp"

namespace archsim::model {

struct YamlNode {
  enum class Kind { Null, Scalar, Sequence, Map };
  struct Entry;

  Kind kind = Kind::Null;
  std::string scalar;           ///< text of a scalar (also of `null`-looking plain scalars)
  bool quoted = false;          ///< scalar was written in quotes, so `"80"` is a string
  std::string tag;              ///< a local tag as written (`!Ref`: CloudFormation's short forms), else empty
  std::vector<YamlNode> items;  ///< sequence elements
  std::vector<Entry> entries;   ///< map entries in file order
  SourceLoc loc;

  bool is_map() const { return kind == Kind::Map; }
  bool is_sequence() const { return kind == Kind::Sequence; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }

  /// The value under `key` of a map node, or nullptr.
  const YamlNode* find(std::string_view key) const;
  YamlNode* find(std::string_view key);
};

struct YamlNode::Entry {
  std::string key;
  SourceLoc key_loc;
  YamlNode value;
};

/// Human name of a node's kind for "expected a map, found a sequence" messages.
std::string_view kind_name(YamlNode::Kind kind);

/// Limits that keep a hostile or mistaken file from exhausting the machine; the defaults are
/// the caps of input_limits.hpp (tests lower them).
struct YamlLimits {
  std::size_t max_file_bytes = limits::kMaxYamlFileBytes;
  int max_depth = limits::kMaxYamlDepth;
  std::size_t max_nodes = limits::kMaxYamlNodes;
  std::size_t max_key_bytes = limits::kMaxKeyBytes;
  std::size_t max_scalar_bytes = limits::kMaxScalarBytes;
};

/// Parses YAML text. Syntax errors, duplicate keys, non-scalar keys, a second document, bytes
/// that are not UTF-8 text (NUL, control characters) and limit breaches are reported to
/// `diagnostics` with the file name given; returns nullopt when no tree can be built.
std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file_name, Diagnostics& diagnostics,
                                   const YamlLimits& limits = {});

/// Reads and parses a file (a regular file only: open_regular_file); an unreadable or oversized
/// file is a diagnostic, not an exception.
std::optional<YamlNode> read_yaml_file(const std::filesystem::path& file, const std::string& display_name,
                                       Diagnostics& diagnostics, const YamlLimits& limits = {});

/// Applies `patch` to `target` with JSON Merge Patch semantics (RFC 7396): maps merge key by
/// key, a null value deletes the key, anything else (scalars, sequences) replaces.
void merge_patch(YamlNode& target, const YamlNode& patch);

}  // namespace archsim::model
