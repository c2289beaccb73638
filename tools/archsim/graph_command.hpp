// `archsim graph FILE [--alternative ID] [--format mermaid|dot] [--output FILE]`:
// draw one alternative's topology (default: the chosen one, else the first).
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct GraphOptions {
  std::string file;
  bool allow_outside_paths = false;  ///< --allow-outside-paths (model::LoadOptions)
  std::string alternative;
  std::string format = "mermaid";
  std::string output;
};

void setup_graph(CLI::App& app, GraphOptions& options);
int run_graph(const GraphOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
