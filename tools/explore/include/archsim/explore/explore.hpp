// Design-space search: the scenario's `explore:` block names a base alternative and dimensions
// (values on a path of its topology, or named merge patches), and the search finds the variants
// on the Pareto front of the objectives and the best one that meets every constraint.
//
// A variant is the base alternative with one option of each dimension applied after its own
// overrides (model's `overrides:` list), loaded and reviewed as any alternative is, so every
// check a hand-written alternative gets, a variant gets. Variants the review rejects are never
// simulated. The others are screened (flow fidelity, few replications); those the screening
// cannot rule out of the front are confirmed with the workload's replications, in the manner of
// successive halving. docs/explore.md explains the method and the statistics.
//
// Evaluations are tasks of a BatchRunner (batch_runner.hpp): pure functions of their text, so a
// search gives the same bytes on any number of threads or MPI ranks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archsim/explore/batch_runner.hpp"
#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/reports/explore_report.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::explore {

/// One option of a dimension: its label and the merge patch it applies to the base topology,
/// or, for a `pricing.` path (`pricing.fargate: [on_demand, spot]`), to the alternative's
/// purchase options (`pricing:` under the alternative, which replaces the scenario's).
struct DimensionOption {
  std::string label;
  model::YamlNode patch;
  bool purchase = false;  ///< patches the alternative's `pricing:`, not its topology
};

struct Dimension {
  std::string name, path;  ///< `path`: where it is written, `explore.dimensions.<name>`
  std::vector<DimensionOption> options;
};

/// A stage of the search: how each variant it evaluates is simulated.
struct Stage {
  std::string name;
  int replications = 1;
  sim::Fidelity fidelity = sim::Fidelity::Auto;
};

enum class SearchMethod { Auto, Exhaustive, Nsga2 };

struct ExploreSpec {
  std::string base;  ///< an alternative id
  std::vector<Dimension> dimensions;
  std::vector<reports::ExploreObjective> objectives;
  std::vector<std::string> criteria;  ///< constraint criteria ids
  bool budget = true;                 ///< the scenario's budget is a constraint
  reports::ExploreObjective pick{"cost.monthly", false};
  SearchMethod method = SearchMethod::Auto;
  std::uint64_t max_variants = 2000;  ///< exhaustive search's budget (`--max-variants`)
  std::size_t population = 24, generations = 20;  ///< NSGA-II
  Stage screening{"screening", 3, sim::Fidelity::Flow};
  /// Confirmation runs the workload's replications unless the block says otherwise
  /// (`confirmation_replications_written` false: decode_explore's caller sets the workload's).
  Stage confirmation{"confirmation", 10, sim::Fidelity::Auto};
  bool confirmation_replications_written = false;
  std::size_t max_confirmed = 32;  ///< at most this many variants reach confirmation

  std::uint64_t space_size() const;  ///< saturates at UINT64_MAX
};

/// Whether the search breeds variants with NSGA-II: asked for, or `auto` on a space larger
/// than the exhaustive budget (max_variants).
bool uses_nsga2(const ExploreSpec& spec);

/// The variants a search may simulate at most: the space (exhaustive) or NSGA-II's population
/// times its generations plus one; what `max_variants` (`--max-variants`) bounds.
std::uint64_t evaluation_budget(const ExploreSpec& spec);

/// Everything a search reads, loaded once per process (every MPI rank loads the same).
struct ExploreInputs {
  model::AwsFacts facts;
  model::LoadOptions load_options;
  std::string file;                   ///< as the user named it
  model::YamlNode tree;               ///< the scenario file as parsed
  model::ScenarioSpec scenario;       ///< as loaded
  sim::WorkloadSpec workload;
  pricing::PricingContext pricing;
  ExploreSpec spec;
  std::optional<model::Duration> horizon;  ///< `--horizon`
  std::optional<std::uint64_t> seed;       ///< `--seed`
};

/// Decodes `explore:` against the loaded scenario and its tree. Errors are located: a path that
/// names nothing in the base alternative (with a did-you-mean), an option that makes the
/// topology invalid to load, an objective no run produces, an empty space; with `pricing`, a
/// purchase option (`pricing.fargate: spot`) the Region's book cannot price. Nullopt on error.
std::optional<ExploreSpec> decode_explore(const model::ScenarioSpec& scenario, const model::YamlNode& tree,
                                          const model::AwsFacts& facts, const model::LoadOptions& options,
                                          const pricing::PricingContext* pricing, model::Diagnostics& diagnostics);

/// A search's inputs from a loaded scenario and its pricing: the file's tree read again (the
/// variants are built from it), the workload and the explore block decoded, confirmation's
/// replications defaulting to the workload's. Diagnostics explain a nullopt.
std::optional<ExploreInputs> make_explore_inputs(const model::ScenarioSpec& scenario, const model::AwsFacts& facts,
                                                 const model::LoadOptions& options, pricing::PricingContext pricing,
                                                 model::Diagnostics& diagnostics);

/// The option of each dimension at `index` (mixed radix, the first dimension varying slowest).
std::vector<std::size_t> choices_at(const ExploreSpec& spec, std::uint64_t index);

/// The inverse of choices_at: the index of the variant with option `choices[d]` of each
/// dimension d (NSGA-II's decision vectors are such choices).
template <class Choices>
std::uint64_t index_of(const ExploreSpec& spec, const Choices& choices) {
  std::uint64_t index = 0;
  for (std::size_t d = 0; d < spec.dimensions.size(); ++d) {
    index = index * spec.dimensions[d].options.size() + static_cast<std::uint64_t>(choices[d]);
  }
  return index;
}

/// The variant at `index` as an alternative id: `<base>-v<index>`.
std::string variant_id(const ExploreSpec& spec, std::uint64_t index);

/// The variant at `index` as a scenario tree of one alternative, `<base>-v<index>`.
model::YamlNode variant_tree(const ExploreInputs& inputs, std::uint64_t index);

/// The variant's alternative as YAML to paste under `alternatives:`.
std::string variant_alternative_yaml(const ExploreInputs& inputs, std::uint64_t index);

/// One evaluation task's result: a JSON text (see evaluate.cpp), pure in the task's text. A
/// task naming a slice of the stage's replications (`"replications": [first, count]`) is only
/// simulated; merge_slices judges its slices together.
std::string evaluate_task(const ExploreInputs& inputs, const std::string& task);

/// The result evaluate_task gives `task` (without a slice), from the results of its slices of
/// replications, in replication order: the same bytes however the replications were sliced.
std::string merge_slices(const ExploreInputs& inputs, const std::string& task, const std::vector<std::string>& slice_results);

/// How many slices each of `tasks` evaluations of `replications` is cut into so that
/// `evaluators` processes all have work: 1 while there are at least twice as many evaluations
/// as evaluators, never more than the replications.
std::size_t slices_per_evaluation(std::size_t tasks, std::size_t evaluators, int replications);

struct ExploreProgress {
  std::string stage;
  std::size_t done = 0, total = 0;
  std::size_t front = 0;  ///< variants on the front so far (after a batch)
};

/// Runs the search. Throws std::runtime_error when an evaluation fails in a way that is bad
/// input (a variant that cannot load), with the located message.
reports::ExploreReport run_explore(const ExploreInputs& inputs, BatchRunner& runner,
                                   const std::function<void(const ExploreProgress&)>& progress = {});

}  // namespace archsim::explore
