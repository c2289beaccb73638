// Private to the simulator: one replication of one alternative on the event engine.
//
// It owns the engine and the two halves that share it, the platform (platform/) and the
// traffic model (traffic/), with the recorder both write to, and runs them to the horizon an
// hour at a time, so progress can be reported and the work and memory limits checked.
#pragma once

#include <functional>
#include <optional>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/result.hpp"
#include "archsim/sim/simulate.hpp"
#include "platform/platform.hpp"
#include "recorder.hpp"
#include "runtime.hpp"
#include "traffic/flow_model.hpp"
#include "traffic/request_walk.hpp"

namespace archsim::sim::detail {

class Replication {
 public:
  /// `fidelity`: Request or Flow (simulate resolves Auto).
  Replication(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed, Fidelity fidelity);

  /// Runs to the horizon; returns an error diagnostic when a limit stops the run.
  std::optional<model::Diagnostic> run(const std::function<void(const Progress&)>& progress, int index);
  SimResult take_result();

 private:
  void summarise();  ///< the replication's headline metrics, once at the end

  const RuntimeModel& model_;
  const WorkloadSpec& workload_;
  Duration horizon_;
  Engine engine_;
  Recorder recorder_;
  Platform platform_;
  std::optional<RequestWalk> walk_;  ///< request fidelity
  std::optional<FlowModel> flow_;    ///< flow fidelity
  TrafficModel* traffic_ = nullptr;
};

}  // namespace archsim::sim::detail
