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

/// The work `archsim run` takes on by default, in request-hops (a request's visit to one
/// component, over every replication and alternative): five times the largest documented run,
/// ADR-0005 over a billing month (`--horizon 730h`, 2.0e9), about forty minutes on two cores at
/// the walk's speed (its week, 4.6e8, took 111 s) (docs/limits.md). `--max-work` raises it.
inline constexpr double kDefaultMaxWork = 1e10;
/// The most `--max-work` accepts: a bound, not a figure anyone can run (about 8,000 years of the
/// walk on two cores); above it the flag is refused rather than read as "no limit".
inline constexpr double kMaxMaxWork = 1e18;

struct RunOptions {
  std::string file;
  bool allow_outside_paths = false;  ///< --allow-outside-paths (model::LoadOptions)
  bool strict = false;
  std::string format = "text";
  std::string output;  ///< -o: the --format output goes to this file instead of stdout
  std::string out_dir;
  std::string price_book_dir;  ///< --price-book
  std::optional<std::uint64_t> seed;
  std::string horizon;
  int threads = 0;  ///< 0: one per core
  bool progress = false;  ///< set when stderr is a terminal
  bool colour = false;    ///< set when stdout is a terminal and NO_COLOR is not
  double max_work = kDefaultMaxWork;  ///< --max-work: request-hops a run may take (docs/limits.md)
  std::string fidelity;  ///< --fidelity: overrides workload.fidelity; empty: the scenario's
  /// --comment-only-if: `always`, or `failing` (the Markdown comment only when a gate fails the
  /// run); `changed` needs a base run, so only `archsim diff` takes it.
  std::string comment_only_if = "always";
};

void setup_run(CLI::App& app, RunOptions& options);
int run_run(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
