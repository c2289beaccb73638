#include "validate_command.hpp"

#include "archsim/explore/explore.hpp"
#include "archsim/pipeline/run_scenario.hpp"

#include "archsim/cli.hpp"
#include "archsim/model/rules.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/pricing/idle_cost.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/sim/workload.hpp"
#include "archsim/reports/review.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"
#include "price_command.hpp"

namespace archsim::cli {

void add_review_options(CLI::App& command, ValidateOptions& options) {
  add_scenario_input(command, options.file, options.allow_outside_paths);
  command.add_flag("--strict", options.strict, "Treat unknown keys as errors");
  command.add_option("--format", options.format, "Output format (markdown: a pull-request comment)")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown"}));
  command.add_option("-o,--output", options.output, "Write the result to this file (atomically) instead of stdout");
  command.add_option("--parameter", options.parameters,
                     "A CloudFormation template named as the file: a parameter's value, Key=Value (repeatable; AWS::Region=<region> gives the region)");
}

void setup_validate(CLI::App& app, ValidateOptions& options) {
  auto* validate = app.add_subcommand("validate", "Check a scenario file and review every alternative's design");
  add_review_options(*validate, options);
  add_price_book_option(*validate, options.price_book_dir);
}

reports::ReviewReport review(const Loaded& loaded, const std::string& file) {
  return pipeline::review_scenario(loaded.result, loaded.facts, file);
}

namespace {

/// What `run` and `price` read beyond the review: the workload, the price book and Free Tier
/// plan, and each alternative's declared usage. Validate reads them too, so a file it passes
/// is one they accept. `pricing_context`: the scenario's pricing when its books are usable, for the
/// explore block's purchase options.
model::Diagnostics check_run_inputs(const model::ScenarioSpec& scenario, const std::string& price_book_dir,
                                    std::optional<pricing::PricingContext>& pricing_context) {
  model::Diagnostics diagnostics;
  if (scenario.workload) {
    if (const auto workload = sim::decode_workload(scenario, diagnostics)) check_alternatives_runnable(scenario, *workload, diagnostics);
  }
  pricing_context = pricing::prepare_pricing(scenario, diagnostics, price_book_dir);
  for (const auto& alt : scenario.alternatives) pricing::declared_usage(scenario, alt.topology, diagnostics);
  return diagnostics;
}

}  // namespace

int run_validate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  model::LoadOptions load_options{options.strict, options.allow_outside_paths, {}};
  if (!template_parameters(options.parameters, "validate", load_options.template_parameters, err)) return kBadInput;
  const Loaded loaded = load(options.file, load_options);
  // The file name as given may come from a glob over a pull request's files: shown escaped.
  auto report = review(loaded, model::escape_controls(options.file));
  if (report.input_ok() && loaded.result.scenario) {
    std::optional<pricing::PricingContext> pricing_context;
    auto inputs = check_run_inputs(*loaded.result.scenario, options.price_book_dir, pricing_context);
    // The explore block too: a file validate passes is one `explore` accepts.
    if (loaded.result.scenario->explore) {
      if (auto tree = model::read_yaml_file(options.file, options.file, inputs)) {
        explore::decode_explore(*loaded.result.scenario, *tree, loaded.facts, load_options, pricing_context ? &*pricing_context : nullptr, inputs);
      }
    }
    if (inputs.error_count() > 0) {
      print_diagnostics(err, inputs.all());
      return kBadInput;
    }
    // Their warnings (a fault that never fires) go in the report with the loader's: a CI job
    // reads the JSON or SARIF, not stderr.
    for (const auto& d : inputs.all()) report.diagnostics.push_back(d);
  }
  std::string content;
  if (options.format == "json") {
    content = json_text(reports::review_json(report, ARCHSIM_VERSION));
  } else if (options.format == "sarif") {
    content = json_text(reports::review_sarif(report, loaded.facts.security, ARCHSIM_VERSION, ARCHSIM_INFORMATION_URI));
  } else if (options.format == "markdown") {
    content = reports::render_review_markdown(report, ARCHSIM_VERSION);
  } else {
    content = reports::render_review_text(report);
  }
  if (!report.input_ok()) {
    // Bad input: the diagnostics go to stderr whatever the format, so a person sees them.
    if (options.format != "text") {
      print_diagnostics(err, report.diagnostics);
      emit(content, options.output, out, err);
    } else {
      err << content;
    }
    return kBadInput;
  }
  if (!emit(content, options.output, out, err)) return kBadInput;
  return report.has_gating_errors() ? kFindings : kOk;
}

}  // namespace archsim::cli
