// The whole command line as one CLI11 definition: every verb with its options and help text.
//
// `run_cli` parses with it, and the man page and shell completions are generated from it at
// build time (shell_docs.hpp, tools/archsim_docs.cpp), so what the documentation offers is
// what the parser accepts.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "diff_command.hpp"
#include "graph_command.hpp"
#include "import_command.hpp"
#include "price_command.hpp"
#include "prices_command.hpp"
#include "explore_command.hpp"
#include "rules_command.hpp"
#include "run_command.hpp"
#include "validate_command.hpp"

namespace archsim::cli {

/// Where each verb's parsed options land.
struct CliOptions {
  ValidateOptions validate;
  RunOptions run;
  GraphOptions graph;
  RulesOptions rules;
  PriceOptions price;
  DiffOptions diff;
  ImportOptions import;
  PricesOptions prices;
  ExploreOptions explore;
};

/// Defines `app`: its description, `--version`, the exit codes as its footer, and every verb
/// bound to `options`.
void setup_cli(CLI::App& app, CliOptions& options);

/// What `archsim --version` prints: the version, the commit the binary was built from
/// (`unknown` when the build had no git checkout) and the dates of the bundled price books.
std::string version_text();

}  // namespace archsim::cli
