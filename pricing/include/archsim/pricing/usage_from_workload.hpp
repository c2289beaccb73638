// `archsim price`'s usage: what the scenario's `usage` block declares, and for every component
// that carries the workload's traffic, the meters the block leaves out derived from the
// workload (expected requests from the rate profile, bytes from the routes' sizes, Lambda
// GB-seconds from service times and memory, ...; docs/pricing.md, "Usage derived from the
// workload"). A meter that is neither declared nor derivable is listed as undeclared, billed
// as 0 and never lets a budget pass. The traffic itself comes from the simulator's run-time
// model (sim::expected_load), so routes, shares, sizes and cache hits mean what a run means.
#pragma once

#include <optional>

#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::pricing {

/// Adds to `declared` (hours = 730, from declared_usage) every traffic meter it lacks, derived
/// from `workload` on `topology` (nullptr: the scenario has none), and lists in
/// `declared.undeclared` those that cannot be derived. Sets `declared.basis` to say which.
void add_usage_from_workload(Usage& declared, const model::TopologySpec& topology, const sim::WorkloadSpec* workload,
                             bool has_usage_block);

/// declared_usage, then add_usage_from_workload: the usage `archsim price` bills.
std::optional<Usage> usage_for_pricing(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                       const sim::WorkloadSpec* workload, model::Diagnostics& diagnostics);

}  // namespace archsim::pricing
