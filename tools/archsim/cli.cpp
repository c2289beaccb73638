#include "archsim/cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "archsim/pricing/price_book.hpp"
#include "build_commit.hpp"
#include "cli_app.hpp"

namespace archsim::cli {

namespace {

// Progress lines are for people watching; logs and CI get only the results.
bool stderr_is_terminal() { return ::isatty(::fileno(stderr)) == 1; }

// Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org).
bool stdout_wants_colour() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(::fileno(stdout)) == 1 && (no_color == nullptr || *no_color == '\0');
}

}  // namespace

std::string version_text() {
  std::string text = fmt::format("archsim {}\ncommit: {}\n", ARCHSIM_VERSION, build_commit());
  // The dates say how old the shipped prices are, so a reader knows when to distrust a bill.
  text += fmt::format("price book global: {}\n", pricing::as_of_range(pricing::builtin_global_price_book()).text());
  for (const auto& region : pricing::builtin_regions()) {
    text += fmt::format("price book {}: {}\n", region, pricing::as_of_range(*pricing::builtin_price_book(region)).text());
  }
  text.pop_back();  // CLI11 ends the version with its own newline
  return text;
}

void setup_cli(CLI::App& app, CliOptions& options) {
  app.name("archsim");
  app.description("Offline architecture simulator and cost/availability analyser for AWS designs");
  app.set_version_flag("--version", version_text, "Print the version, the commit it was built from and the price books' dates");
  app.footer(
      "Exit codes: 0 ok; 1 a gate fails (an error finding, a failed criterion, a budget over or, for diff, a gate the change "
      "breaks); 2 bad input or usage; 3 internal error.");
  app.require_subcommand(1);
  setup_run(app, options.run);
  setup_price(app, options.price);
  setup_validate(app, options.validate);
  setup_graph(app, options.graph);
  setup_rules(app, options.rules);
  setup_diff(app, options.diff);
  setup_import(app, options.import);
  setup_prices(app, options.prices);
  setup_explore(app, options.explore);
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app;
  CliOptions options;
  options.run.progress = stderr_is_terminal();
  options.run.colour = stdout_wants_colour();
  options.explore.progress = options.run.progress;
  setup_cli(app, options);

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
    if (app.got_subcommand("run")) return run_run(options.run, out, err);
    if (app.got_subcommand("price")) return run_price(options.price, out, err);
    if (app.got_subcommand("validate")) return run_validate(options.validate, out, err);
    if (app.got_subcommand("graph")) return run_graph(options.graph, out, err);
    if (app.got_subcommand("rules")) return run_rules(options.rules, out);
    if (app.got_subcommand("diff")) return run_diff(options.diff, out, err);
    if (app.got_subcommand("import")) return run_import(options.import, out, err);
    if (app.got_subcommand("prices")) return run_prices(options.prices, out, err);
    if (app.got_subcommand("explore")) return run_explore(options.explore, out, err);
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
