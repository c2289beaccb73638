// Private to the simulator: what the public entry points compute from a run-time model
// already built (runtime.hpp), so that one build serves the expected load, the work estimate
// and the choice of fidelity, and simulate() builds its model once for both.
#pragma once

#include <optional>

#include "archsim/sim/expected_load.hpp"
#include "archsim/sim/fidelity.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

/// sim::expected_load on a model built from `workload` (its horizon and warm-up may differ:
/// the model does not depend on them).
ExpectedLoad expected_load(const RuntimeModel& runtime, const WorkloadSpec& workload);

/// sim::choose_fidelity on a model built from `workload`.
FidelityChoice choose_fidelity(const RuntimeModel& runtime, const WorkloadSpec& workload, const SimDefaults& defaults,
                               std::optional<Fidelity> asked, int replications);

}  // namespace archsim::sim::detail
