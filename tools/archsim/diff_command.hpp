// `archsim diff BASE HEAD [--format markdown|json] [-o FILE]`: two `archsim run` results
// (results.json files, or the --out folders holding them) side by side, for the pull request
// that changes a design. Exits 1 when the change makes a gate fail that passed on the base.
// `--comment-only-if failing|changed` writes the comment only when head fails a gate, or when
// the change counts for something (RunDiff::changed).
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct DiffOptions {
  std::string base, head;
  std::string format = "markdown";
  std::string output;
  std::string comment_only_if = "always";  ///< --comment-only-if
};

void setup_diff(CLI::App& app, DiffOptions& options);
int run_diff(const DiffOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
