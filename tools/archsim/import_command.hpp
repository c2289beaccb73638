// `archsim import terraform|cloudformation FILE [-o FILE] [--parameter K=V]`: the JSON that
// `terraform show -json` prints (a saved plan, or state), or a CloudFormation template (what
// `cdk synth` prints), becomes a topology file in archsim's format, each entity commented with
// the resource it came from and every assumption the import made (docs/import.md).
#pragma once

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
};

void setup_import(CLI::App& app, ImportOptions& options);
int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
