#include "run_command.hpp"

namespace archsim::cli {

void setup_run(CLI::App& app, ValidateOptions& options) {
  add_review_options(*app.add_subcommand("run", "Simulate a scenario and report (today: the static design review only)"),
                     options);
}

int run_run(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  err << "archsim run: the simulator and price book are not built yet; running the static design review "
         "(same as `archsim validate`)\n";
  return run_validate(options, out, err);
}

}  // namespace archsim::cli
