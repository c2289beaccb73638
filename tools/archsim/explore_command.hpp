// `archsim explore FILE`: the design-space search of the scenario's `explore:` block
// (tools/explore). Prints the Pareto front and the best variant meeting every constraint;
// `--out DIR` also writes explore.json, explore.md and explore.html, atomically. Exit 0 when a
// variant meets every constraint, 1 when none does, 2 on bad input (docs/explore.md).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "archsim/explore/mpi_runner.hpp"

namespace archsim::cli {

struct ExploreOptions {
  std::string file;
  bool allow_outside_paths = false;
  bool strict = false;
  std::string format = "text";
  std::string output;
  std::string out_dir;
  std::string price_book_dir;
  std::optional<std::uint64_t> seed;
  std::string horizon;
  int threads = 0;  ///< 0: one per core
  std::optional<std::uint64_t> max_variants;  ///< overrides explore.search.max_variants
  bool progress = false;  ///< set when stderr is a terminal
};

/// The process's MPI session (main() creates it before anything reads argv); without one, or
/// with one rank, explore evaluates on threads.
void use_mpi_session(explore::MpiSession* session);

void setup_explore(CLI::App& app, ExploreOptions& options);
int run_explore(const ExploreOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
