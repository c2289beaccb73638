// `archsim price FILE`: every alternative's monthly bill from the usage the scenario declares
// (its `usage` block; running resources run all month), without simulating. For quick
// estimates and for comparing with other calculators. Also home of the pricing steps `run`
// shares: preparing a scenario's pricing and billing one alternative.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::cli {

struct PriceOptions {
  std::string file;
  bool allow_outside_paths = false;  ///< --allow-outside-paths (model::LoadOptions)
  bool strict = false;
  std::string format = "text";
  std::string output;
  std::string price_book_dir;  ///< --price-book
};

/// `--price-book DIR` of the verbs that bill: a folder of `<region>.yaml` books (`archsim prices
/// import -o DIR`) used instead of the shipped ones for the Regions it has.
void add_price_book_option(CLI::App& command, std::string& dir);

void setup_price(CLI::App& app, PriceOptions& options);
int run_price(const PriceOptions& options, std::ostream& out, std::ostream& err);

/// The scenario's pricing context, or nullopt after printing its errors (file:line:col).
std::optional<pricing::PricingContext> prepare_scenario_pricing(const model::ScenarioSpec& scenario, std::ostream& err,
                                                               const std::string& price_book_dir = {});

/// One alternative's declared usage, or nullopt after printing its errors.
std::optional<pricing::Usage> declared_usage_or_report(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                                       std::ostream& err);


}  // namespace archsim::cli
