#include "archsim/pipeline/run_scenario.hpp"

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "archsim/model/rules.hpp"
#include "archsim/pricing/idle_cost.hpp"
#include "archsim/pricing/usage_from_workload.hpp"
#include "archsim/reports/criteria.hpp"
#include "archsim/sim/analytic.hpp"
#include "archsim/sim/expected_load.hpp"

namespace archsim::pipeline {

namespace {

/// The buckets, tables and functions no route of `workload` sends requests to on `topology`, as the
/// simulator plans the routes: their traffic can only come from callers the workload does not
/// model (a batch job, a schedule), so their declared usage speaks for it. Load balancers and
/// APIs take traffic from routes alone; NAT gateways, endpoints and log groups from the tasks'
/// placements, which a run measures even when no route reaches them.
std::set<std::string> off_route_components(const model::TopologySpec& topology, const sim::WorkloadSpec& workload) {
  std::string why;
  const auto load = sim::expected_load(topology, workload, sim::builtin_sim_defaults(), why);
  std::set<std::string> out;
  if (!load) return out;  // the run fails with the reason
  std::set<std::string> routed;
  for (const auto& route : load->routes) {
    // A route with no share (or a hop no request gets past a cache to) carries nothing.
    for (const auto& visit : route.visits) {
      if (route.share > 0 && visit.reach > 0) routed.insert(visit.component);
    }
  }
  const auto off = [&](const auto& components) {
    for (const auto& c : components) {
      if (!routed.contains(c.id)) out.insert(c.id);
    }
  };
  off(topology.s3_buckets);
  off(topology.dynamodb_tables);
  off(topology.lambdas);
  return out;
}

/// One bill per replication: what gives the monthly cost its confidence interval. Bills the
/// replications `costs` does not hold yet, so a caller that asks after every batch bills each
/// once (re-billing them all made `replications: {until}` quadratic: 1,000 took 169 s).
void add_monthly_costs(std::vector<double>& costs, const pricing::PricingContext& pricing_context, const model::TopologySpec& topology,
                       const sim::SimResult& result, const pricing::Usage& declared, const std::set<std::string>& off_route) {
  for (std::size_t i = costs.size(); i < result.per_replication.size(); ++i) {
    pricing::Usage one = pricing::usage_from_replication(result, i);
    pricing::add_unmeasured(one, declared, off_route);
    costs.push_back(pricing::bill_for(pricing_context, topology, one).net().to_double());
  }
}

std::vector<double> monthly_costs(const pricing::PricingContext& pricing_context, const model::TopologySpec& topology,
                                  const sim::SimResult& result, const pricing::Usage& declared, const std::set<std::string>& off_route) {
  std::vector<double> costs;
  add_monthly_costs(costs, pricing_context, topology, result, declared, off_route);
  return costs;
}

}  // namespace

reports::ReviewReport review_scenario(const model::LoadResult& loaded, const model::AwsFacts& facts, const std::string& file) {
  const model::ScenarioSpec* scenario = loaded.scenario ? &*loaded.scenario : nullptr;
  std::vector<model::Finding> findings;
  if (loaded.ok()) {
    findings = model::review_scenario(*scenario, facts);
    // The review knows no prices; findings about idle resources get their monthly cost here,
    // once, so every format shows it. A broken price book leaves them unpriced: validate
    // reports it and run refuses the scenario.
    model::Diagnostics ignored;
    if (const auto pricing_context = pricing::prepare_pricing(*scenario, ignored)) {
      pricing::state_idle_costs(findings, *scenario, *pricing_context);
    }
  }
  return reports::make_review_report(file, loaded.ok() ? scenario : nullptr, loaded.diagnostics.all(), std::move(findings), facts);
}

std::optional<pricing::BudgetCheck> budget_for(const model::ScenarioSpec& scenario, const pricing::Bill& bill) {
  if (!scenario.budget) return std::nullopt;
  return pricing::check_budget(*scenario.budget, bill, pricing::forecast_basis(*scenario.budget, scenario.pricing));
}

std::vector<pricing::ClaimCheck> scenario_claims(const model::ScenarioSpec& scenario, const pricing::PricingContext& context,
                                                const sim::WorkloadSpec* workload) {
  std::optional<std::vector<pricing::Charge>> chosen;
  for (const auto& alt : scenario.alternatives) {
    if (alt.status != model::DecisionStatus::Chosen) continue;
    model::Diagnostics ignored;  // the caller reports usage errors when it bills each alternative
    if (const auto usage = workload != nullptr ? pricing::usage_for_pricing(scenario, alt.topology, workload, ignored)
                                               : pricing::declared_usage(scenario, alt.topology, ignored)) {
      chosen = pricing::charges(alt.topology, *usage);
    }
  }
  return pricing::check_claims(scenario, context.book_for(scenario.region), *context.catalogue, context.plan,
                               chosen ? &*chosen : nullptr);
}

reports::AlternativeRun run_alternative(const RunRequest& request, const model::AlternativeSpec& alt,
                                        const pricing::Usage& declared) {
  reports::AlternativeRun run{alt.id, alt.title, alt.status, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  sim::SimOptions options = request.options;
  if (const auto chosen = request.fidelity_choices.find(alt.id); chosen != request.fidelity_choices.end()) options.fidelity_choice = chosen->second;
  // `replications: {until: ...}`: the simulator asks after each batch whether the intervals
  // are narrow enough, on the same metrics the criteria are judged on (the cost from the bills).
  if (request.workload.precision) {
    options.precision = [&request, &alt, &declared, off_route = off_route_components(alt.topology, request.workload),
                         costs = std::vector<double>()](const sim::SimResult& so_far) mutable {
      add_monthly_costs(costs, request.pricing, alt.topology, so_far, declared, off_route);
      return reports::check_precision(reports::measure(so_far, costs, std::nullopt), request.workload.precision->until);
    };
  }
  const auto sim_start = std::chrono::steady_clock::now();
  auto outcome = sim::simulate(alt.topology, request.workload, sim::builtin_sim_defaults(), options);
  if (request.measure_wall_time) run.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sim_start).count();
  if (outcome.error) {
    run.error = request.scenario.located(outcome.error->diagnostic);
    return run;
  }
  assess_alternative(request, alt, declared, std::move(*outcome.result), run);
  return run;
}

void assess_alternative(const RunRequest& request, const model::AlternativeSpec& alt, const pricing::Usage& declared,
                        sim::SimResult result, reports::AlternativeRun& run) {
  run.result = std::move(result);
  // What the simulation measured, plus what only the scenario can say (storage, users).
  pricing::Usage usage = pricing::usage_from_simulation(*run.result);
  const auto off_route = off_route_components(alt.topology, request.workload);
  pricing::add_unmeasured(usage, declared, off_route);
  run.bill = pricing::bill_for(request.pricing, alt.topology, usage);
  run.budget = budget_for(request.scenario, *run.bill);
  sim::WorkloadSpec at_horizon;  // the analytic model reads the horizon the run simulated
  const sim::WorkloadSpec* analysed = &request.workload;
  if (request.options.horizon && request.options.horizon->ns != request.workload.horizon.ns) {
    at_horizon = request.workload;
    at_horizon.horizon = *request.options.horizon;
    analysed = &at_horizon;
  }
  std::string analytic_error;
  run.analytic = sim::analyse_availability(alt.topology, *analysed, sim::builtin_sim_defaults(), analytic_error);
  run.metrics = reports::measure(*run.result, monthly_costs(request.pricing, alt.topology, *run.result, declared, off_route),
                                 run.analytic ? std::optional<double>(run.analytic->availability) : std::nullopt);
}

RunResult run_scenario(const RunRequest& request) {
  RunResult out;
  reports::RunReport& report = out.report;
  report.scenario = request.scenario.name;
  report.seed = request.options.seed.value_or(request.workload.seed);
  report.horizon = request.options.horizon.value_or(request.workload.horizon);
  report.workload = request.workload;
  report.claims = scenario_claims(request.scenario, request.pricing);
  for (const auto& alt : request.scenario.alternatives) {
    if (request.on_alternative) request.on_alternative(alt);
    const auto declared = pricing::declared_usage(request.scenario, alt.topology, out.diagnostics);
    if (!declared) {
      out.usage_ok = false;
      return out;
    }
    report.alternatives.push_back(run_alternative(request, alt, *declared));
    if (request.after_alternative) request.after_alternative(report.alternatives.back());
  }
  std::map<std::string, reports::MetricValues> measured;
  std::map<std::string, const sim::SimResult*> results;
  for (const auto& alt : report.alternatives) {
    if (alt.result) measured[alt.id] = alt.metrics, results[alt.id] = &*alt.result;
  }
  report.scenario_spec = &request.scenario;
  report.review = &request.review;
  report.criteria = reports::judge_criteria(request.scenario, request.review.criteria, measured, results);
  return out;
}

}  // namespace archsim::pipeline
