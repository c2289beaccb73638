// The pipeline as one library call: every alternative of a loaded and reviewed scenario
// simulated (sim), billed month by month and replication by replication (pricing), and judged
// against the document's criteria and budget (reports), into the RunReport that every output
// renders. `archsim run` is this call between parsing its arguments and writing its outputs;
// `--fidelity compare`, the benches and later verbs (design-space search) call it too, so no
// caller re-assembles the stages on its own.
//
// It lives in tools/, the driver of the stages, below the verbs: it only composes the stages'
// own calls.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/reports/review.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/sim/fidelity.hpp"
#include "archsim/sim/simulate.hpp"

namespace archsim::pipeline {

struct RunRequest {
  const model::ScenarioSpec& scenario;
  const reports::ReviewReport& review;     ///< the static review the run begins with
  const sim::WorkloadSpec& workload;       ///< decoded from the scenario (sim::decode_workload)
  const pricing::PricingContext& pricing;  ///< the scenario's books, catalogue and plan
  sim::SimOptions options;                 ///< seed, horizon, threads, fidelity; progress per alternative
  /// Called before each alternative is simulated (a progress bar's label).
  std::function<void(const model::AlternativeSpec&)> on_alternative;
  /// Called after each alternative (simulated or not).
  std::function<void(const reports::AlternativeRun&)> after_alternative;
  /// Record each simulation's wall time (JUnit prints it); false where outputs must not depend
  /// on the machine (SOURCE_DATE_EPOCH).
  bool measure_wall_time = true;
  /// What sim::choose_fidelity answered for an alternative, by id, when the caller asked
  /// before the run (`run` does, to estimate the work): it is simulated at that choice rather
  /// than choosing again. An alternative not listed is chosen for by the simulator.
  std::map<std::string, sim::FidelityChoice, std::less<>> fidelity_choices;
};

struct RunResult {
  /// Alternatives, claims and judged criteria; `file` and `started_at` are the caller's.
  reports::RunReport report;
  /// The usage blocks' diagnostics, warnings included, for the caller to print.
  model::Diagnostics diagnostics;
  /// False when a usage block is bad input: the run stopped there.
  bool usage_ok = true;
};

/// The static review a run begins with: the rules run on a scenario that loaded cleanly (on a
/// broken one they would mostly repeat the load errors in other words), and findings about idle
/// resources priced from the scenario's book. `file` is the name the report shows.
reports::ReviewReport review_scenario(const model::LoadResult& loaded, const model::AwsFacts& facts, const std::string& file);

/// Simulates, prices and judges every alternative of `request.scenario` in order. An
/// alternative the simulator refuses carries its error in AlternativeRun::error, and the others
/// still run.
RunResult run_scenario(const RunRequest& request);

/// One alternative: simulated (replications until the workload's precision, if it sets one,
/// judged on the same metrics as the criteria), billed, its budget checked, its availability
/// analysed and its criterion metrics measured. `declared`: its `usage:` block.
reports::AlternativeRun run_alternative(const RunRequest& request, const model::AlternativeSpec& alternative,
                                        const pricing::Usage& declared);

/// What run_alternative does after simulating: `result` (however it was simulated: in one
/// call, or as slices of replications merged in order) billed, its budget checked, its
/// availability analysed and its criterion metrics measured, into `run`.
void assess_alternative(const RunRequest& request, const model::AlternativeSpec& alternative, const pricing::Usage& declared,
                        sim::SimResult result, reports::AlternativeRun& run);

/// The budget verdict when the scenario sets a budget.
std::optional<pricing::BudgetCheck> budget_for(const model::ScenarioSpec& scenario, const pricing::Bill& bill);

/// The document's pricing claims, checked against the book of the scenario's region. With a
/// workload (`archsim price`), the chosen design's usage includes what is derived from it.
std::vector<pricing::ClaimCheck> scenario_claims(const model::ScenarioSpec& scenario, const pricing::PricingContext& context,
                                                const sim::WorkloadSpec* workload = nullptr);

}  // namespace archsim::pipeline
