// Importing infrastructure code: the JSON that `terraform show -json` prints for a saved plan
// or for state, or a CloudFormation template (what `cdk synth` prints), becomes an archsim
// topology.
//
// The importer builds the topology as a located YAML tree whose values point at the JSON they
// came from (file:line:col), so a scenario can name the plan itself (`topology: {terraform:
// plan.json}`) and its errors and findings lead back to the resource. The same tree is written
// as a topology file, commented with each entity's resource address and every assumption. How
// each resource type maps to an archsim entity is data (model/data/import_mappings.yaml,
// docs/import.md); a type it does not know is listed as unsupported, never dropped in silence.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/source.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::model {

/// Resource types left out of a topology, with how many resources of each, and why.
struct LeftOut {
  std::string type;
  std::size_t count = 0;
  std::string reason;
};

struct ImportedTopology {
  /// The topology (the keys of docs/scenario-format.md, "topology"), set unless the input
  /// could not be read as a plan or state at all.
  std::optional<YamlNode> topology;
  /// Comment lines written above an entry, by its dotted path in the topology
  /// (`components.alb`): the resource address it came from and its `ASSUMPTION:`s.
  std::map<std::string, std::vector<std::string>> comments;
  std::vector<LeftOut> unsupported;  ///< types no mapping covers
  std::vector<LeftOut> skipped;      ///< data sources and types with no bearing on a simulation
  /// Where each entity came from, by dotted path: the resource address (`aws_lb.public`),
  /// so findings about it can name it.
  std::map<std::string, std::string> addresses;
  /// Errors (the input is unusable) and warnings (what the import assumed).
  Diagnostics diagnostics;

  bool ok() const { return topology.has_value() && !diagnostics.has_errors(); }
};

/// Imports the text of `terraform show -json` (a plan or state), naming it `display_name` in
/// messages. Never throws on bad input: an unreadable file, an unsupported format_version or a
/// reference to a resource that is not in the file is a located error.
ImportedTopology import_terraform(std::string_view json_text, const std::string& display_name);

/// The same for a file (a regular file within the import size cap, docs/limits.md).
ImportedTopology import_terraform_file(const std::filesystem::path& file, const std::string& display_name);

/// Imports a CloudFormation template (JSON or YAML; `cdk synth` output too). `parameters`
/// override the template's Parameters (and give AWS::Region); nested stacks are read from
/// `dir`, where CDK writes them. An intrinsic that only the deployed stack can resolve is a
/// located error.
ImportedTopology import_cloudformation(std::string_view text, const std::string& display_name,
                                       const std::map<std::string, std::string>& parameters, const std::filesystem::path& dir);

/// The same for a file; nested stacks are read from its folder.
ImportedTopology import_cloudformation_file(const std::filesystem::path& file, const std::string& display_name,
                                            const std::map<std::string, std::string>& parameters);

/// The topology as a YAML file: stable order, each entity under a comment naming its source,
/// assumptions as `# ASSUMPTION:` lines, and a header listing what was left out.
std::string write_topology_yaml(const ImportedTopology& imported, std::string_view source_name);

}  // namespace archsim::model
