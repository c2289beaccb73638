#include "price_command.hpp"

#include "archsim/cli.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/reports/bill_report.hpp"
#include "archsim/pricing/usage_from_workload.hpp"
#include "archsim/reports/gates.hpp"
#include "archsim/sim/workload.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_price(CLI::App& app, PriceOptions& options) {
  auto* price = app.add_subcommand("price", "Price every alternative from the usage the scenario declares, without simulating");
  add_scenario_input(*price, options.file, options.allow_outside_paths);
  price->add_flag("--strict", options.strict, "Treat unknown keys as errors");
  price->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  price->add_option("-o,--output", options.output, "Write to this file (atomically) instead of stdout");
  add_price_book_option(*price, options.price_book_dir);
}

void add_price_book_option(CLI::App& command, std::string& dir) {
  command.add_option("--price-book", dir,
                     "A folder of price books (<region>.yaml, as `archsim prices import -o DIR` writes them) used instead of the shipped ones");
}

namespace {

void print(const model::Diagnostics& diagnostics, std::ostream& err) {
  print_diagnostics(err, diagnostics.all());
}

}  // namespace

std::optional<pricing::PricingContext> prepare_scenario_pricing(const model::ScenarioSpec& scenario, std::ostream& err,
                                                               const std::string& price_book_dir) {
  model::Diagnostics diagnostics;
  auto context = pricing::prepare_pricing(scenario, diagnostics, price_book_dir);
  if (!context) {
    print(diagnostics, err);
    return context;
  }
  for (const auto& warning : pricing::book_age_warnings(*context, scenario, pricing::pricing_today())) {
    err << model::format_diagnostic(model::Diagnostic{model::Severity::Warning, scenario.sources.locate("pricing.max_book_age"), "pricing.max_book_age", warning}) << "\n";
  }
  return context;
}

std::optional<pricing::Usage> declared_usage_or_report(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                                       std::ostream& err) {
  model::Diagnostics diagnostics;
  auto usage = pricing::declared_usage(scenario, topology, diagnostics);
  print(diagnostics, err);  // warnings too (`2B` on a bytes meter), as errors are
  return usage;
}

namespace {

/// The scenario's workload, for the usage its `usage` block leaves out; nullptr when it has none.
/// False on a decoding error (reported).
bool decode_workload_or_report(const model::ScenarioSpec& scenario, std::optional<sim::WorkloadSpec>& workload, std::ostream& err) {
  if (!scenario.workload) return true;
  model::Diagnostics diagnostics;
  workload = sim::decode_workload(scenario, diagnostics);
  // The bill derives traffic from the workload: one `run` could not simulate is no basis.
  if (workload) check_alternatives_runnable(scenario, *workload, diagnostics);
  print(diagnostics, err);  // warnings too, as validate shows them
  return workload.has_value() && !diagnostics.has_errors();
}

}  // namespace

int run_price(const PriceOptions& options, std::ostream& out, std::ostream& err) {
  const Loaded loaded = load(options.file, {options.strict, options.allow_outside_paths});
  const model::ScenarioSpec* usable = usable_scenario(loaded, err);
  if (usable == nullptr) return kBadInput;
  const model::ScenarioSpec& scenario = *usable;
  const auto context = prepare_scenario_pricing(scenario, err, options.price_book_dir);
  if (!context) return kBadInput;
  std::optional<sim::WorkloadSpec> workload;
  if (!decode_workload_or_report(scenario, workload, err)) return kBadInput;
  const sim::WorkloadSpec* traffic = workload ? &*workload : nullptr;
  reports::PriceReport report{model::escape_controls(options.file), scenario.name, {}, pipeline::scenario_claims(scenario, *context, traffic)};
  bool over_budget = false;
  for (const auto& alt : scenario.alternatives) {
    auto usage = declared_usage_or_report(scenario, alt.topology, err);
    if (!usage) return kBadInput;
    pricing::add_usage_from_workload(*usage, alt.topology, traffic, scenario.usage.has_value());
    reports::PricedAlternative priced{alt.id, alt.title, alt.status, pricing::bill_for(*context, alt.topology, *usage), std::nullopt};
    priced.budget = pipeline::budget_for(scenario, priced.bill);
    over_budget = over_budget || (priced.budget && reports::budget_gate(alt.id, alt.status, *priced.budget).fails_run());
    report.alternatives.push_back(std::move(priced));
  }
  const std::string text =
      options.format == "json" ? json_text(reports::price_json(report, ARCHSIM_VERSION)) : reports::render_price_text(report);
  if (!emit(text, options.output, out, err)) return kBadInput;
  return over_budget ? kFindings : kOk;
}

}  // namespace archsim::cli
