// `archsim run FILE`: the main use. Until the simulator (issue #3) and pricing (issue #4)
// land it performs the static review that `validate` performs, and says so on stderr.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "validate_command.hpp"

namespace archsim::cli {

void setup_run(CLI::App& app, ValidateOptions& options);
int run_run(const ValidateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
