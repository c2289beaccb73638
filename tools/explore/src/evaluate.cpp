// One evaluation: a variant (or one of the scenario's alternatives) loaded, reviewed, simulated,
// billed and judged through the pipeline, at one stage's replications and fidelity.
//
// The task and the result are JSON texts so that any process holding the same inputs can run
// it (batch_runner.hpp). Doubles go through nlohmann's shortest round-trip form, so a result
// read back on the coordinator is the same double the evaluator computed.
//
// A task may name a slice of the stage's replications (`"replications": [first, count]`): it
// is then simulated only, and its result carries each replication's figures (the "slice"
// below). merge_slices puts the slices of one evaluation back together in replication order
// and judges the whole as evaluate_task would have: the sums are redone one replication at a
// time, in order, exactly as the simulator merges its own replications, so the result is the
// same bytes however the replications were sliced.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/pricing/usage_from_workload.hpp"
#include "archsim/reports/criteria.hpp"
#include "variants.hpp"

namespace archsim::explore {

namespace {

using nlohmann::json;

const Stage& stage_named(const ExploreSpec& spec, const std::string& name) {
  return name == spec.screening.name ? spec.screening : spec.confirmation;
}

/// The task's alternative loaded and reviewed, ready to simulate; or, in `early`, the result
/// that ends the evaluation first (it does not load, or the review rejects it).
struct Prepared {
  std::string id;
  const Stage* stage = nullptr;
  model::LoadResult loaded;
  const model::AlternativeSpec* alternative = nullptr;
  reports::ReviewReport review;
  std::optional<pricing::Usage> declared;
  /// The search's pricing, with the variant's own purchase options when it has some (a
  /// `pricing.` dimension); else unset, and the search's applies as it is.
  std::optional<pricing::PricingContext> pricing;
  sim::WorkloadSpec workload;  ///< at the stage's replications
  sim::SimOptions options;
  json early;
};

std::unique_ptr<Prepared> prepare(const ExploreInputs& inputs, const json& task) {
  auto p = std::make_unique<Prepared>();
  p->stage = &stage_named(inputs.spec, task.at("stage").get<std::string>());
  model::YamlNode tree;
  if (task.contains("alternative")) {
    p->id = task.at("alternative").get<std::string>();
    tree = inputs.tree;
  } else {
    const auto index = task.at("variant").get<std::uint64_t>();
    p->id = variant_id(inputs.spec, index);
    tree = variant_tree(inputs, index);
  }
  p->loaded = model::load_scenario_tree(std::move(tree), inputs.scenario.file, inputs.scenario.base_dir, inputs.facts, inputs.load_options);
  p->alternative = p->loaded.ok() ? p->loaded.scenario->alternative(p->id) : nullptr;
  if (p->alternative == nullptr) {
    for (const auto& d : p->loaded.diagnostics.all()) {
      if (d.severity == model::Severity::Error) p->early["load_error"].push_back(model::format_diagnostic(d));
    }
    return p;
  }
  p->review = pipeline::review_scenario(p->loaded, inputs.facts, inputs.file);
  for (const auto& f : p->review.findings) {
    if (f.severity == model::Severity::Error && f.alternative == p->id) p->early["rejected"].push_back(f.rule + ": " + f.message);
  }
  if (!p->early.is_null()) return p;
  model::Diagnostics usage_diagnostics;
  p->declared = pricing::declared_usage(*p->loaded.scenario, p->alternative->topology, usage_diagnostics);
  if (!p->declared) {
    // The scenario's usage block does not fit this variant (spot_task_seconds below the task
    // time of a service the variant puts all on Spot): the variant is out, as one the review
    // rejects. On one of the scenario's own alternatives it is the scenario's error.
    const char* const kind = task.contains("alternative") ? "load_error" : "rejected";
    for (const auto& d : usage_diagnostics.all()) {
      if (d.severity == model::Severity::Error) {
        p->early[kind].push_back(task.contains("alternative") ? model::format_diagnostic(d) : "usage: " + d.path + ": " + d.message);
      }
    }
    return p;
  }
  if (p->alternative->pricing) {
    p->pricing = inputs.pricing;
    pricing::set_purchase_options(*p->pricing, *p->loaded.scenario);
  }
  p->workload = inputs.workload;
  // A stage runs a fixed count: screening is cheap on purpose, confirmation the workload's own.
  p->workload.precision.reset();
  p->workload.replications = p->stage->replications;
  p->options.seed = inputs.seed;
  p->options.horizon = inputs.horizon;
  p->options.threads = 1;  // evaluations run in parallel; one evaluation's replications do not
  p->options.fidelity = p->stage->fidelity;
  return p;
}

pipeline::RunRequest request_for(const ExploreInputs& inputs, const Prepared& p) {
  return pipeline::RunRequest{*p.loaded.scenario, p.review, p.workload, p.pricing ? *p.pricing : inputs.pricing, p.options, {}, {}, false};
}

/// The result of a simulated evaluation: its metrics and its verdict on each constraint.
json judged(const ExploreInputs& inputs, const Prepared& p, const reports::AlternativeRun& run) {
  json out;
  if (run.error) {
    out["error"] = model::format_diagnostic(*run.error);
    return out;
  }
  // A bill with missing prices leaves their lines out of its total: ranked on that lower bound,
  // the variant would pass for cheaper than it is. Options whose prices are missing alone are
  // refused when the block loads; a combination (arm64 with a Spot strategy in a Region that
  // prices Spot for x86 only) is found here.
  if (run.bill && !run.bill->missing_prices.empty()) {
    out["rejected"].push_back(fmt::format("missing-price: {} has no price for {}, so the variant's cost would be a lower bound",
                                          run.bill->price_book, fmt::join(run.bill->missing_prices, ", ")));
    return out;
  }
  out["fidelity"] = sim::fidelity_name(run.result->fidelity);
  out["replications"] = run.result->replications;
  for (const auto& [name, e] : run.metrics) out["metrics"][name] = {e.mean, e.half_width, e.n, e.resolution};
  const auto verdicts = reports::judge_criteria(*p.loaded.scenario, p.review.criteria, {{p.id, run.metrics}}, {{p.id, &*run.result}});
  for (const auto& j : verdicts) {
    if (j.alternative == p.id && std::ranges::find(inputs.spec.criteria, j.criterion) != inputs.spec.criteria.end()) {
      out["constraints"].push_back({j.criterion, std::string(reports::to_string(j.verdict))});
    }
  }
  if (inputs.spec.budget && run.budget) {
    out["constraints"].push_back({"budget", run.budget->fails_run() ? "fail" : "pass"});
  }
  return out;
}

// A slice carries what judging reads of a run (pipeline::assess_alternative, judge_criteria):
// each replication's own figures, and the counts of the faults and deployments it exercised.
// A single replication's totals are its own figures (Replication::summarise), so the whole
// run's totals are rebuilt from them.

json replication_json(const sim::ReplicationMetrics& r) {
  json usage = json::array();
  for (const auto& m : r.usage) usage.push_back({m.component, m.meter, m.unit, m.hourly});
  json capacity = json::array();
  for (const auto& c : r.capacity_at_end) capacity.push_back({c.service, c.in_service, c.desired});
  return {{"outcomes", r.outcomes},
          {"percentiles_ns", {r.p50_ns, r.p95_ns, r.p99_ns}},
          {"availability", r.availability},
          {"time_availability", r.time_availability},
          {"below_desired_s", {r.seconds_below_desired, r.longest_below_desired_seconds}},
          {"capacity_at_end", capacity},
          {"usage", usage}};
}

sim::ReplicationMetrics replication_from_json(const json& j) {
  sim::ReplicationMetrics r;
  r.outcomes = j.at("outcomes").get<sim::OutcomeCounts>();
  const auto& p = j.at("percentiles_ns");
  r.p50_ns = p.at(0).get<std::int64_t>(), r.p95_ns = p.at(1).get<std::int64_t>(), r.p99_ns = p.at(2).get<std::int64_t>();
  r.availability = j.at("availability").get<double>();
  r.time_availability = j.at("time_availability").get<double>();
  r.seconds_below_desired = j.at("below_desired_s").at(0).get<double>();
  r.longest_below_desired_seconds = j.at("below_desired_s").at(1).get<double>();
  for (const auto& c : j.at("capacity_at_end")) r.capacity_at_end.push_back({c.at(0).get<std::string>(), c.at(1).get<int>(), c.at(2).get<int>()});
  for (const auto& m : j.at("usage")) {
    r.usage.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(), m.at(2).get<std::string>(), m.at(3).get<std::vector<double>>()});
  }
  return r;
}

json slice_json(const sim::SimResult& result) {
  json replications = json::array();
  for (const auto& r : result.per_replication) replications.push_back(replication_json(r));
  return {{"horizon_ns", result.horizon.ns},
          {"warmup_ns", result.warmup.ns},
          {"fidelity", static_cast<int>(result.fidelity)},
          {"fidelity_reason", result.fidelity_reason},
          {"exercised", result.exercised},
          {"replications", replications}};
}

/// Adds a slice's replications to `merged`, one at a time and in order, as simulate() merges.
void merge_slice(const json& slice, sim::SimResult& merged) {
  for (const auto& r : slice.at("replications")) {
    sim::SimResult one;
    one.replications = 1;
    one.horizon = model::Duration{slice.at("horizon_ns").get<std::int64_t>()};
    one.warmup = model::Duration{slice.at("warmup_ns").get<std::int64_t>()};
    one.fidelity = static_cast<sim::Fidelity>(slice.at("fidelity").get<int>());
    one.fidelity_reason = slice.at("fidelity_reason").get<std::string>();
    one.per_replication.push_back(replication_from_json(r));
    one.overall.outcomes = one.per_replication.back().outcomes;
    one.usage = one.per_replication.back().usage;
    merged.merge(one);
  }
  // Counts: their sum does not depend on the order.
  for (const auto& [id, n] : slice.at("exercised").items()) merged.exercised[id] += n.get<int>();
}

}  // namespace

std::string evaluate_task(const ExploreInputs& inputs, const std::string& task_text) {
  const auto task = json::parse(task_text);
  const auto p = prepare(inputs, task);
  if (!p->early.is_null()) return p->early.dump();
  const auto request = request_for(inputs, *p);
  if (!task.contains("replications")) return judged(inputs, *p, pipeline::run_alternative(request, *p->alternative, *p->declared)).dump();

  // A slice: the stage's fidelity chosen for the whole count, so every slice runs at it.
  const auto first = task.at("replications").at(0).get<int>();
  const auto count = task.at("replications").at(1).get<int>();
  sim::SimOptions options = p->options;
  std::string error;
  const sim::WorkloadSpec* at_horizon = &p->workload;
  sim::WorkloadSpec stretched;
  if (options.horizon) {
    stretched = p->workload;
    stretched.horizon = *options.horizon;
    at_horizon = &stretched;
  }
  options.fidelity_choice = sim::choose_fidelity(p->alternative->topology, *at_horizon, sim::builtin_sim_defaults(), options.fidelity,
                                                 p->workload.replications, error);
  if (!options.fidelity_choice) return json{{"error", error}}.dump();
  options.first_replication = first;
  sim::WorkloadSpec slice_workload = p->workload;
  slice_workload.replications = count;
  const auto outcome = sim::simulate(p->alternative->topology, slice_workload, sim::builtin_sim_defaults(), options);
  if (outcome.error) return json{{"error", model::format_diagnostic(p->loaded.scenario->located(outcome.error->diagnostic))}}.dump();
  return json{{"slice", slice_json(*outcome.result)}}.dump();
}

std::string merge_slices(const ExploreInputs& inputs, const std::string& task_text, const std::vector<std::string>& slice_results) {
  sim::SimResult merged;
  std::vector<json> slices;
  for (const auto& text : slice_results) {
    auto result = json::parse(text);
    // Every slice loads the same variant, so the first that ends early (it does not load, the
    // review rejects it, or the simulator refuses it) is the whole evaluation's answer; the
    // earliest replication's error is what simulating them all in one go would have reported.
    if (!result.contains("slice")) return text;
    slices.push_back(std::move(result));
  }
  const auto p = prepare(inputs, json::parse(task_text));
  if (!p->early.is_null()) return p->early.dump();
  for (const auto& s : slices) merge_slice(s.at("slice"), merged);
  const auto request = request_for(inputs, *p);
  reports::AlternativeRun run{p->alternative->id, p->alternative->title, p->alternative->status, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  pipeline::assess_alternative(request, *p->alternative, *p->declared, std::move(merged), run);
  return judged(inputs, *p, run).dump();
}

}  // namespace archsim::explore
