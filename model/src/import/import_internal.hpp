// What the importers share (model/src/import/): the resource-type mappings of
// model/data/import_mappings.yaml, a located JSON reader, and the builder of a topology tree
// whose values point at the infrastructure code they came from.
#pragma once

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archsim/model/import.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::model::import_detail {

/// How a `component` mapping turns one attribute's value into archsim's (import_mappings.yaml,
/// `convert`): a unit appended, words translated, the first item of a list, references.
struct Conversion {
  std::string unit;                              ///< appended: `MiB`, `s`, `GB`, `d`
  std::map<std::string, std::string> words;      ///< the code's word -> archsim's
  std::vector<std::string> skip;                 ///< values that mean "not set" (`-1`)
  bool first = false;                            ///< the first item of a list
  bool present = false;                          ///< true when the attribute holds anything (a block, a list)
  std::string refs;                              ///< names resources of this entity: their ids
  std::string through;                           ///< ... found in this attribute of the resource referred to
  std::string each;                              ///< a list of blocks: this field of each (`region_name`)
};

/// One resource type: the archsim entity it becomes and the attributes it reads, by the archsim
/// word they fill.
struct TypeMapping {
  std::string type;
  std::string entity;  ///< a builder name, or `absorbed` (read into another entity)
  std::string source;  ///< the page documenting the type
  std::string note;    ///< why an absorbed type makes no entity of its own
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::pair<std::string, std::string>> assumptions;
  std::vector<std::pair<std::string, std::string>> defaults;  ///< the values an assumption writes, by name
  std::string component_type;                 ///< entity `component`: the archsim component type
  std::map<std::string, Conversion> convert;  ///< entity `component`: by archsim key

  /// The resource's attribute name for archsim key `key` (the key itself when unmapped, so a
  /// missing row shows as an unread attribute, not a crash).
  std::string attribute(std::string_view key) const;
  bool has(std::string_view key) const {
    return std::any_of(attributes.begin(), attributes.end(), [&](const auto& a) { return a.first == key; });
  }
  /// The assumption note for `key`, or "".
  std::string assumption(std::string_view key) const;
  /// The value an assumption writes for `key`, or "".
  std::string default_value(std::string_view key) const;
};

struct SkipRule {
  std::string prefix;
  std::string reason;
};

/// What a format leaves out: on purpose (`skipped`), or because archsim has no entity for it
/// (`unsupported`, with the reason the list shows).
struct LeftOutRules {
  std::vector<SkipRule> skipped;
  std::vector<SkipRule> unsupported;
};

struct ImportMappings {
  std::vector<std::string> terraform_format_majors;
  LeftOutRules terraform_left_out;
  std::map<std::string, TypeMapping, std::less<>> terraform;
  LeftOutRules cloudformation_left_out;
  std::map<std::string, TypeMapping, std::less<>> cloudformation;
};

/// The built-in mappings (model/data/import_mappings.yaml), read once.
const ImportMappings& builtin_import_mappings();

/// Limits of the files an importer reads (docs/limits.md): JSON and YAML alike are read into
/// the located tree of yaml_tree.hpp, with its node budget and depth cap.
YamlLimits import_limits();

/// Reads an imported file (a regular file within the import size cap) and hands its text to
/// `import`; an unreadable file is a diagnostic naming it.
ImportedTopology import_file(const std::filesystem::path& file, const std::string& display_name,
                             const std::function<ImportedTopology(std::string_view)>& import);

/// Parses JSON text into a located tree. The text must be JSON (checked first, so YAML-only
/// syntax is not accepted by accident): a syntax error or nesting beyond the depth cap is a
/// located error and nullopt.
std::optional<YamlNode> parse_json_tree(std::string_view text, const std::string& file, Diagnostics& diagnostics);

// Tree construction. Scalars keep the location they were read from.
YamlNode text_node(std::string value, const SourceLoc& loc);   ///< a string (quoted when written)
YamlNode plain_node(std::string value, const SourceLoc& loc);  ///< a number, boolean, size or duration
YamlNode bool_node(bool value, const SourceLoc& loc);
YamlNode map_node(const SourceLoc& loc);
YamlNode list_node(const SourceLoc& loc);
/// Sets `key` of map `map` (replacing an existing value) and returns the stored value.
YamlNode& put(YamlNode& map, std::string_view key, YamlNode value);

/// The topology under construction: sections in archsim's order, notes by dotted path.
class TopologyBuilder {
 public:
  explicit TopologyBuilder(ImportedTopology& out) : out_(out) {}

  /// The map of section `name` (`vpcs`, `components`, ...), created on first use.
  YamlNode& section(std::string_view name);
  /// Entity `id` of `section`, created (an empty map at `loc`) on first use.
  YamlNode& entity(std::string_view section, const std::string& id, const SourceLoc& loc);
  YamlNode* find_entity(std::string_view section, const std::string& id);
  bool has_entity(std::string_view section, const std::string& id);

  /// The entity's source comment (`aws_lb.public (module.network)`) and its address for findings.
  void source(const std::string& path, const std::string& comment, const std::string& address);
  /// A `# ASSUMPTION:` comment above `path` and a warning at `loc`.
  void assume(const std::string& path, const SourceLoc& loc, const std::string& note);
  void comment(const std::string& path, const std::string& line);
  void error(const SourceLoc& loc, const std::string& path, const std::string& message);
  void warning(const SourceLoc& loc, const std::string& path, const std::string& message);

  /// Calls `f` with each single value written so far and its dotted path, for checks of the
  /// whole output before it is finished.
  void visit_values(const std::function<void(const std::string& path, const YamlNode& value)>& f) const;
  /// Moves the sections into `out.topology` in archsim's order, entities sorted by id.
  void finish(YamlNode root);

 private:
  ImportedTopology& out_;
  std::map<std::string, YamlNode, std::less<>> sections_;
};

/// An id for archsim from a resource name and instance key: whitespace and control characters
/// become '_' (ids are 1-128 bytes without whitespace), a key is appended with '-'.
std::string entity_id(std::string_view prefix, std::string_view name, std::string_view key);

}  // namespace archsim::model::import_detail
