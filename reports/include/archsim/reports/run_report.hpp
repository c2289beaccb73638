// The result of `archsim run`: every alternative simulated under the scenario's workload,
// as a printed summary, as JSON (`archsim.run/1`) and as per-minute timeline CSVs.
//
// Renderers only read the plain structs the simulator returns; every figure is computed from
// the recorded histograms, outcome counts and usage meters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/model/spec.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/reports/criteria.hpp"
#include "archsim/sim/analytic.hpp"
#include "archsim/sim/result.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::reports {

struct AlternativeRun {
  std::string id;
  std::string title;
  model::DecisionStatus status = model::DecisionStatus::Considered;
  std::optional<sim::SimResult> result;
  std::optional<model::Diagnostic> error;  ///< why it could not be simulated
  std::optional<pricing::Bill> bill;            ///< the simulated month's bill
  std::optional<pricing::BudgetCheck> budget;   ///< when the scenario sets a budget
  MetricValues metrics;                         ///< every criterion metric, with its interval
  std::optional<sim::AnalyticAvailability> analytic;  ///< steady-state availability from the graph
};

struct RunReport {
  std::string file;
  std::string scenario;
  std::uint64_t seed = 0;
  sim::Duration horizon{};
  sim::WorkloadSpec workload;
  std::vector<AlternativeRun> alternatives;
  std::vector<pricing::ClaimCheck> claims;  ///< the document's pricing claims, checked
  std::vector<CriterionJudgement> criteria;  ///< every criterion, for every alternative
  const model::ScenarioSpec* scenario_spec = nullptr;

  /// The chosen alternative fails a criterion (the ADR's choice does not hold up).
  bool chosen_fails_criterion() const;
};

/// The human summary: per alternative, latency percentiles, availability, outcome causes,
/// usage totals, the bill and the budget verdict; then the document's pricing claims.
std::string render_run_text(const RunReport& report);

/// The canonical machine-readable result, schema `archsim.run/1`.
nlohmann::json run_json(const RunReport& report, std::string_view version);

/// One alternative's per-minute timeline as CSV (minute, arrivals, errors, p99_ms, busy_capacity).
std::string timeline_csv(const sim::SimResult& result);

/// `12.3ms`, `1.25s`, `850us`: latency with three significant figures.
std::string format_latency(std::int64_t ns);

}  // namespace archsim::reports
