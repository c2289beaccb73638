// The archsim command line: `run`, `validate`, `graph`, `rules`.
//
// `run_cli` is the whole program minus `main`, so tests drive the CLI in-process and compare
// its output with golden files. Exit codes (README, docs/cli.md): 0 ok; 1 findings at error
// severity, a failed criterion or an exceeded budget; 2 bad input or usage; 3 internal error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace archsim::cli {

enum ExitCode : int { kOk = 0, kFindings = 1, kBadInput = 2, kInternalError = 3 };

/// Runs the CLI with `args` (without the program name), writing to `out` and `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
