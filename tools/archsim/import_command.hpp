// `archsim import terraform FILE [-o FILE]`: the JSON that `terraform show -json` prints (a
// saved plan, or state) becomes a topology file in archsim's format, each entity commented with
// the resource it came from and every assumption the import made (docs/import.md).
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct ImportOptions {
  std::string kind;  ///< terraform
  std::string file;
  std::string output;
};

void setup_import(CLI::App& app, ImportOptions& options);
int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
