// libFuzzer target: a scenario file, read as `validate`, `run`, `price` and `explore` read it. The input
// is the scenario's text; everything a scenario names (topology files, traces, price books)
// resolves in an empty folder, so only the text itself is under test. Each stage runs only on
// what the one before accepted, as the CLI does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/explore/explore.hpp"
#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"
#include "archsim/model/rules.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/sim/workload.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const archsim::model::AwsFacts facts = archsim::model::builtin_aws_facts();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = archsim::model::load_scenario_text(text, "fuzz.yaml", archsim::fuzz::empty_folder(), facts);
  if (!loaded.ok()) return 0;
  const auto& scenario = *loaded.scenario;
  (void)archsim::model::review_scenario(scenario, facts);
  archsim::model::Diagnostics diagnostics;
  (void)archsim::sim::decode_workload(scenario, diagnostics);
  for (const auto& alt : scenario.alternatives) {
    archsim::model::Diagnostics usage_diagnostics;
    (void)archsim::pricing::declared_usage(scenario, alt.topology, usage_diagnostics);
  }
  // The explore block, decoded against the same text's tree: its paths, values and options
  // (each option alone is loaded as a variant, and a purchase option checked against the books).
  if (scenario.explore) {
    archsim::model::Diagnostics explore_diagnostics;
    const auto pricing = archsim::pricing::prepare_pricing(scenario, explore_diagnostics);
    if (const auto tree = archsim::model::parse_yaml(text, "fuzz.yaml", explore_diagnostics)) {
      (void)archsim::explore::decode_explore(scenario, *tree, facts, {}, pricing ? &*pricing : nullptr, explore_diagnostics);
    }
  }
  return 0;
}
