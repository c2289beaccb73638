// Loading a scenario file: YAML in, a ScenarioSpec and every problem found out.
//
// The loader reads the scenario, includes each alternative's topology file (relative to the
// scenario, and inside its folder unless LoadOptions::allow_outside_paths), applies the alternative's overrides, decodes everything into spec structs and
// checks that every id refers to something of the right kind. It never throws on bad input
// and never stops at the first problem: callers print `diagnostics` and decide the exit code.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::model {

struct ImportedTopology;  // archsim/model/import.hpp

struct LoadOptions {
  bool strict = false;  ///< unknown keys are errors instead of warnings
  /// Files the scenario names (topologies, traces, price books) may lie outside its folder's
  /// tree. Off by default: a scenario from an untrusted pull request must not read the CI
  /// runner's files (docs/scenario-format.md, "Files a scenario names").
  bool allow_outside_paths = false;
  /// Parameter values (and AWS::Region) for a CloudFormation template named where a scenario
  /// is expected (`archsim validate template.yaml --parameter Key=Value`).
  std::map<std::string, std::string> template_parameters;
};

struct LoadResult {
  std::optional<ScenarioSpec> scenario;  ///< set unless the file could not be decoded at all
  Diagnostics diagnostics;

  /// True when the scenario decoded without error-severity diagnostics.
  bool ok() const { return scenario.has_value() && !diagnostics.has_errors(); }
};

/// Loads a scenario file; values it leaves out take AWS's defaults from `facts`
/// (health-check timings). Paths appear in messages as given.
LoadResult load_scenario(const std::filesystem::path& file, const AwsFacts& facts, const LoadOptions& options = {});

/// Loads scenario text as if read from `display_name`; includes resolve against `base_dir`.
LoadResult load_scenario_text(std::string_view text, const std::string& display_name,
                              const std::filesystem::path& base_dir, const AwsFacts& facts,
                              const LoadOptions& options = {});

/// Loads a topology imported from a Terraform plan or CloudFormation template (`cloudformation`)
/// as a one-alternative scenario, as `archsim validate plan.json` does: the import's warnings
/// become notes, a topology without a region is an error, and every problem the loader finds is
/// located in the code. `archsim import` checks what it writes with it, without reading the
/// file again.
LoadResult load_imported_topology(ImportedTopology&& imported, const std::filesystem::path& file, bool cloudformation,
                                  const AwsFacts& facts, const LoadOptions& options = {});

/// Loads a scenario already parsed (read_yaml_file), as if read from `display_name`: how
/// design-space search loads the variants it derives from a scenario's tree. Values keep the
/// locations of the nodes they came from, so a problem in a variant points at what made it.
LoadResult load_scenario_tree(YamlNode root, const std::string& display_name, const std::filesystem::path& base_dir,
                              const AwsFacts& facts, const LoadOptions& options = {});

}  // namespace archsim::model
