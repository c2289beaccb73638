// Which traffic engine runs an alternative: every request walked (exact, cost linear in the
// requests) or traffic as flows between state changes (cost linear in the state changes, held
// to an accuracy contract). `fidelity: auto` asks this module; `run` asks it too, before
// simulating, to estimate each alternative's work at the fidelity it will run at.
//
// auto walks requests where that is cheap, and where the flow model's accuracy contract is
// not known to hold: a queue near saturation at the peak rate, a busy queue with
// heavy-tailed service times, a DynamoDB table near its capacity. Elsewhere it runs flows.
// The thresholds are data (sim/data/behaviour.yaml, `fidelity_auto`); docs/simulation.md,
// "Choosing the fidelity", states them and why.
#pragma once

#include <optional>
#include <string>

#include "archsim/model/spec.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/expected_load.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim {

struct FidelityChoice {
  Fidelity fidelity = Fidelity::Request;  ///< Request or Flow, never Auto
  std::string reason;                     ///< why, in a sentence a report prints; empty when the user set it
  double request_hops = 0;                ///< estimated work of all replications at that fidelity
  bool contract_breaks = false;           ///< auto walks it because flows would leave their accuracy contract
  WorkEstimate work;                      ///< one replication's, which request_hops multiplies
};

/// The fidelity `workload` runs at on `topology`: `asked` (or workload.fidelity) when it is
/// Request or Flow, else auto's choice. nullopt (with `error`) when the simulator could not
/// run the workload there. `replications`: how many will run at most. The runtime model is
/// built once for the estimate and the checks; simulate() reuses a choice passed in
/// SimOptions::fidelity_choice instead of choosing again.
std::optional<FidelityChoice> choose_fidelity(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                              const SimDefaults& defaults, std::optional<Fidelity> asked,
                                              int replications, std::string& error);

}  // namespace archsim::sim
