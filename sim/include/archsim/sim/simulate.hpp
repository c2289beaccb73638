// Simulating one alternative: the request walk over the topology graph, driven by the
// workload's traffic.
//
// `simulate` builds the run-time model from a topology (placements from the model's graph,
// tasks spread over their service's zones, behaviours from the defaults and the workload),
// replays the arrivals through it on the event engine, and returns what was recorded.
// Replications derive their seeds from the workload seed and the replication index, so a
// run is bit-identical whatever the thread count.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/fidelity.hpp"
#include "archsim/sim/result.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim {

struct Progress {
  Time reached;
  Duration horizon;
  std::uint64_t events = 0;
  int replication = 0;
};

/// Whether the replications so far are enough for `replications: {until: ...}`, and in words
/// which intervals are narrow enough or still too wide.
struct PrecisionCheck {
  bool enough = false;
  std::string detail;
};

struct SimOptions {
  std::optional<std::uint64_t> seed;      ///< overrides workload.seed
  std::optional<Duration> horizon;        ///< overrides workload.horizon
  int threads = 1;                        ///< replications run on this many threads
  /// The run is a slice of a larger one: its replications are numbered from here, so that
  /// replication k has the same seed and the same figures whichever slice runs it, and the
  /// slices' per-replication results merge into the whole run's (design-space search spreads
  /// one evaluation's replications over processes this way). A fixed count only: with
  /// workload.precision the batches are judged on the replications before them, which a
  /// slice does not have.
  int first_replication = 0;
  std::optional<Fidelity> fidelity;       ///< overrides workload.fidelity
  /// What choose_fidelity answered for this topology and workload, with the fidelity, horizon
  /// and replications above (`run` asks before simulating, to estimate the work): simulate
  /// runs at it instead of choosing again. Unset: simulate chooses.
  std::optional<FidelityChoice> fidelity_choice;
  std::function<void(const Progress&)> progress;  ///< called about once per simulated hour
  /// With workload.precision: judges the merged replications after each batch (it needs the
  /// bills, which the simulator does not make). Unset: every replication up to `max` runs.
  std::function<PrecisionCheck(const SimResult&)> precision;
};

/// Why a simulation could not run or finish: a workload that does not fit the topology, or
/// a limit reached. Carries a diagnostic to show the user.
struct SimError {
  model::Diagnostic diagnostic;
};

struct SimOutcome {
  std::optional<SimResult> result;
  std::optional<SimError> error;
};

/// Why `workload` cannot run on `topology` (an unknown CodeDeploy configuration, a route the
/// simulator cannot follow, ...), found by building the run-time model without simulating:
/// what `simulate` would refuse, for `validate` to report first. nullopt when it can run.
std::optional<model::Diagnostic> check_runnable(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                                const SimDefaults& defaults);

/// Simulates the replications of `workload` on `topology` and merges them in order: all of
/// them, or with workload.precision a first batch of `min` and then batches of
/// ReplicationTarget::kBatch until options.precision says enough or `max` have run.
SimOutcome simulate(const model::TopologySpec& topology, const WorkloadSpec& workload, const SimDefaults& defaults,
                    const SimOptions& options = {});

}  // namespace archsim::sim
