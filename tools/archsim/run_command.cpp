#include "run_command.hpp"

namespace archsim::cli {

void setup_run(CLI::App& app, ValidateOptions& options) {
  auto* cmd = app.add_subcommand("run", "Simulate a scenario and report (today: the static design review only)");
  cmd->add_option("file", options.file, "Scenario YAML file")->required();
  cmd->add_flag("--strict", options.strict, "Treat unknown keys as errors");
  cmd->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("-o,--output", options.output, "Write the result to this file (atomically) instead of stdout");
}

int run_run(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  err << "archsim run: the simulator and price book are not built yet; running the static design review "
         "(same as `archsim validate`)\n";
  return run_validate(options, out, err);
}

}  // namespace archsim::cli
