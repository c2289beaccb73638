// `archsim import terraform|cloudformation FILE [-o FILE] [--parameter K=V]`: the JSON that
// `terraform show -json` prints (a saved plan, or state), or a CloudFormation template (what
// `cdk synth` prints), becomes a topology file in archsim's format, each entity commented with
// the resource it came from and every assumption the import made (docs/import.md). With
// `--against scenario.yaml` it prints what differs from the scenario's chosen topology (a drift
// check for CI: exit 1 when anything does).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct ImportOptions {
  std::string kind;  ///< terraform or cloudformation
  std::vector<std::string> parameters;  ///< cloudformation: Key=Value
  std::string file;
  std::string output;
  std::string against;  ///< a scenario whose chosen alternative's topology is compared (drift check)
};

void setup_import(CLI::App& app, ImportOptions& options);
/// What differs between the chosen alternative's topology of `scenario_file` and an imported
/// topology (YAML as write_topology_yaml gives it), one line each; nullopt after printing the
/// errors when either cannot be loaded.
std::optional<std::string> topology_drift(const std::string& scenario_file, const std::string& imported_yaml, std::ostream& err);

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
