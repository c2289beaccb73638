// One evaluation: a variant (or one of the scenario's alternatives) loaded, reviewed, simulated,
// billed and judged through the pipeline, at one stage's replications and fidelity.
//
// The task and the result are JSON texts so that any process holding the same inputs can run
// it (batch_runner.hpp). Doubles go through nlohmann's shortest round-trip form, so a result
// read back on the coordinator is the same double the evaluator computed.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/pricing/usage_from_workload.hpp"
#include "archsim/reports/criteria.hpp"
#include "variants.hpp"

namespace archsim::explore {

namespace {

const Stage& stage_named(const ExploreSpec& spec, const std::string& name) {
  return name == spec.screening.name ? spec.screening : spec.confirmation;
}

}  // namespace

std::string evaluate_task(const ExploreInputs& inputs, const std::string& task_text) {
  const auto task = nlohmann::json::parse(task_text);
  const Stage& stage = stage_named(inputs.spec, task.at("stage").get<std::string>());
  nlohmann::json out;
  std::string id;
  model::YamlNode tree;
  if (task.contains("alternative")) {
    id = task.at("alternative").get<std::string>();
    tree = inputs.tree;
  } else {
    const auto index = task.at("variant").get<std::uint64_t>();
    id = variant_id(inputs.spec, index);
    tree = variant_tree(inputs, index);
  }
  const auto loaded = model::load_scenario_tree(std::move(tree), inputs.scenario.file, inputs.scenario.base_dir, inputs.facts,
                                                inputs.load_options);
  const model::AlternativeSpec* alt = loaded.ok() ? loaded.scenario->alternative(id) : nullptr;
  if (alt == nullptr) {
    for (const auto& d : loaded.diagnostics.all()) {
      if (d.severity == model::Severity::Error) out["load_error"].push_back(model::format_diagnostic(d));
    }
    return out.dump();
  }
  const model::ScenarioSpec& scenario = *loaded.scenario;
  const reports::ReviewReport review = pipeline::review_scenario(loaded, inputs.facts, inputs.file);
  for (const auto& f : review.findings) {
    if (f.severity == model::Severity::Error && f.alternative == id) out["rejected"].push_back(f.rule + ": " + f.message);
  }
  if (out.contains("rejected")) return out.dump();

  sim::WorkloadSpec workload = inputs.workload;
  // A stage runs a fixed count: screening is cheap on purpose, confirmation the workload's own.
  workload.precision.reset();
  workload.replications = stage.replications;
  sim::SimOptions options;
  options.seed = inputs.seed;
  options.horizon = inputs.horizon;
  options.threads = 1;  // evaluations run in parallel; one evaluation's replications do not
  options.fidelity = stage.fidelity;
  const pipeline::RunRequest request{scenario, review, workload, inputs.pricing, options, {}, {}, false};
  model::Diagnostics usage_diagnostics;
  const auto declared = pricing::declared_usage(scenario, alt->topology, usage_diagnostics);
  if (!declared) {
    for (const auto& d : usage_diagnostics.all()) out["load_error"].push_back(model::format_diagnostic(d));
    return out.dump();
  }
  const reports::AlternativeRun run = pipeline::run_alternative(request, *alt, *declared);
  if (run.error) {
    out["error"] = model::format_diagnostic(*run.error);
    return out.dump();
  }
  out["fidelity"] = sim::fidelity_name(run.result->fidelity);
  out["replications"] = run.result->replications;
  for (const auto& [name, e] : run.metrics) out["metrics"][name] = {e.mean, e.half_width, e.n, e.resolution};
  const auto judged = reports::judge_criteria(scenario, review.criteria, {{id, run.metrics}}, {{id, &*run.result}});
  for (const auto& j : judged) {
    if (j.alternative == id && std::ranges::find(inputs.spec.criteria, j.criterion) != inputs.spec.criteria.end()) {
      out["constraints"].push_back({j.criterion, std::string(reports::to_string(j.verdict))});
    }
  }
  if (inputs.spec.budget && run.budget) {
    out["constraints"].push_back({"budget", run.budget->fails_run() ? "fail" : "pass"});
  }
  return out.dump();
}

}  // namespace archsim::explore
