// `archsim run FILE [--seed N] [--horizon D] [--out DIR] [--threads N]`: the main use.
// Reviews the design statically (as `validate`), then simulates every alternative under the
// scenario's workload and prints a per-alternative summary; `--out` also writes results.json
// and one timeline CSV per alternative, each atomically.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct RunOptions {
  std::string file;
  bool allow_outside_paths = false;  ///< --allow-outside-paths (model::LoadOptions)
  bool strict = false;
  std::string format = "text";
  std::string output;  ///< -o: the --format output goes to this file instead of stdout
  std::string out_dir;
  std::optional<std::uint64_t> seed;
  std::string horizon;
  int threads = 0;  ///< 0: one per core
  bool progress = false;  ///< set when stderr is a terminal
};

void setup_run(CLI::App& app, RunOptions& options);
int run_run(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
