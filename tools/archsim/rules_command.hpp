// `archsim rules [--format text|markdown]`: the design-review rule catalogue.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct RulesOptions {
  std::string format = "text";
};

void setup_rules(CLI::App& app, RulesOptions& options);
int run_rules(const RulesOptions& options, std::ostream& out);

}  // namespace archsim::cli
