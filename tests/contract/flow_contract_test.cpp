// The flow model's accuracy contract (docs/simulation.md, "Flow fidelity"; its checks are
// reports::check_flow_contract, which `archsim run --fidelity compare` prints): for every seed
// scenario and alternative, the flow model against the request walk with the same seed and
// workload, over a horizon that reaches each seed's zone outage (2d10h) and KrakenD's bad
// release (3d16h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "archsim/pricing/bill.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/reports/fidelity_contract.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

struct Runs {
  sim::SimResult request, flow;
};

Runs run_both(const model::TopologySpec& topology, sim::WorkloadSpec workload) {
  Runs out;
  for (const auto fidelity : {sim::Fidelity::Request, sim::Fidelity::Flow}) {
    sim::SimOptions options;
    options.fidelity = fidelity;
    options.threads = 2;
    auto outcome = sim::simulate(topology, workload, sim::builtin_sim_defaults(), options);
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    (fidelity == sim::Fidelity::Request ? out.request : out.flow) = std::move(*outcome.result);
  }
  return out;
}

void check_contract(const model::AlternativeSpec& alt, const sim::WorkloadSpec& workload, const pricing::PricingContext& pricing_context) {
  const Runs runs = run_both(alt.topology, workload);
  CHECK(runs.flow.fidelity == sim::Fidelity::Flow);
  const auto bill_r = pricing::bill_for(pricing_context, alt.topology, pricing::usage_from_simulation(runs.request));
  const auto bill_f = pricing::bill_for(pricing_context, alt.topology, pricing::usage_from_simulation(runs.flow));
  for (const auto& c : reports::check_flow_contract(runs.request, runs.flow, bill_r, bill_f)) {
    CAPTURE(c.what);
    CAPTURE(c.request);
    CAPTURE(c.flow);
    CAPTURE(c.bound);
    CHECK(c.holds);
  }
}

}  // namespace

TEST_CASE("flow fidelity meets its accuracy contract on every seed scenario and alternative") {
  const auto dir = std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    auto loaded = model::load_scenario(file, testing::facts());
    REQUIRE_MESSAGE(loaded.scenario, testing::diagnostics_text(loaded));
    model::Diagnostics diagnostics;
    auto workload = sim::decode_workload(*loaded.scenario, diagnostics);
    REQUIRE(workload);
    auto context = pricing::prepare_pricing(*loaded.scenario, diagnostics);
    REQUIRE(context);
    // Past the zone outage (2d10h) and KrakenD's bad release (3d16h); two replications.
    workload->horizon = sim::Duration::hours(file.stem() == "krakend-blue-green" ? 90 : 60);
    workload->replications = 2;
    for (const auto& alt : loaded.scenario->alternatives) {
      CAPTURE(file.filename().string());
      CAPTURE(alt.id);
      check_contract(alt, *workload, *context);
    }
  }
}
