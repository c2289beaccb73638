#include "rules_command.hpp"

#include "archsim/cli.hpp"
#include "archsim/reports/rule_docs.hpp"

namespace archsim::cli {

void setup_rules(CLI::App& app, RulesOptions& options) {
  auto* cmd = app.add_subcommand("rules", "List the design-review rules");
  cmd->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "markdown"}));
}

int run_rules(const RulesOptions& options, std::ostream& out) {
  out << (options.format == "markdown" ? reports::render_rules_markdown() : reports::render_rules_text());
  return kOk;
}

}  // namespace archsim::cli
