#include "archsim/cli.hpp"

#include <cstdio>
#include <exception>
#include <stdexcept>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "diff_command.hpp"
#include "graph_command.hpp"
#include "import_command.hpp"
#include "price_command.hpp"
#include "rules_command.hpp"
#include "run_command.hpp"
#include "validate_command.hpp"

namespace archsim::cli {

namespace {

// Progress lines are for people watching; logs and CI get only the results.
bool stderr_is_terminal() { return ::isatty(::fileno(stderr)) == 1; }

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"archsim: offline architecture simulator and cost/availability analyser for AWS designs"};
  app.set_version_flag("--version", std::string("archsim ") + ARCHSIM_VERSION);
  app.require_subcommand(1);
  ValidateOptions validate_options;
  RunOptions run_options;
  run_options.progress = stderr_is_terminal();
  GraphOptions graph_options;
  RulesOptions rules_options;
  PriceOptions price_options;
  DiffOptions diff_options;
  ImportOptions import_options;
  setup_run(app, run_options);
  setup_price(app, price_options);
  setup_validate(app, validate_options);
  setup_graph(app, graph_options);
  setup_rules(app, rules_options);
  setup_diff(app, diff_options);
  setup_import(app, import_options);

  std::vector<const char*> argv{"archsim"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Success& e) {  // --help, --help-all, --version
    app.exit(e, out, err);
    return kOk;
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return kBadInput;
  }
  try {
    if (app.got_subcommand("run")) return run_run(run_options, out, err);
    if (app.got_subcommand("price")) return run_price(price_options, out, err);
    if (app.got_subcommand("validate")) return run_validate(validate_options, out, err);
    if (app.got_subcommand("graph")) return run_graph(graph_options, out, err);
    if (app.got_subcommand("rules")) return run_rules(rules_options, out);
    if (app.got_subcommand("diff")) return run_diff(diff_options, out, err);
    if (app.got_subcommand("import")) return run_import(import_options, out, err);
  } catch (const std::overflow_error& e) {
    // A bill beyond what fixed-point money holds comes from the scenario's figures, not a bug.
    err << "archsim: error: " << e.what() << "; check that component's size and usage in the scenario\n";
    return kBadInput;
  } catch (const std::exception& e) {
    err << "archsim: internal error: " << e.what() << "\n";
    return kInternalError;
  }
  return kBadInput;
}

}  // namespace archsim::cli
