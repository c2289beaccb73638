// What a design-space search (`archsim explore`) found, and its outputs: a text table, the
// JSON document `archsim.explore/1` (docs/schemas/explore.schema.json), and the Markdown comment
// and HTML page built from one Document (document.hpp) with the Pareto front's charts.
//
// The search itself lives in tools/explore; this is the plain data it hands over. Every figure
// is an estimate over replications (mean and 95 % interval), as in `archsim run`, so that a
// reader can see which differences between variants are real and which are ties.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/reports/criteria.hpp"
#include "archsim/reports/review.hpp"

namespace archsim::reports {

/// One axis of the Pareto front: a metric of model::criterion_metrics() and which way is better.
struct ExploreObjective {
  std::string metric;
  bool higher_is_better = false;
};

/// A dimension of the space as the scenario names it, with its options' labels.
struct ExploreDimension {
  std::string name;                  ///< `components.api.desired_count`, or a named choice (`egress`)
  std::vector<std::string> options;  ///< `1`, `2`, ... or the choices' names
};

/// One evaluation of a variant: one stage of the search (`screening` with few replications at
/// flow fidelity, `confirmation` with the workload's replications).
struct ExploreEvaluation {
  std::string stage;
  std::string fidelity;  ///< what the simulator ran: `flow`, `request`
  int replications = 0;
  MetricValues metrics;  ///< every criterion metric, mean and 95 % interval
  /// The constraints' verdicts: each criterion, then `budget` when the budget is a constraint.
  std::vector<std::pair<std::string, Verdict>> constraints;
  std::string error;  ///< why the simulator refused the variant, or empty
};

/// Whether a variant meets the constraints (on its latest evaluation).
enum class Feasibility {
  Meets,      ///< every constraint passes
  Undecided,  ///< none fails, but one is inconclusive or not exercised: more replications would decide
  Fails,      ///< a constraint fails
  Rejected,   ///< the static review finds an error: never simulated
};
std::string_view to_string(Feasibility f);

/// Where a variant stands against the others on the objectives.
enum class FrontStatus {
  Front,        ///< no other confirmed variant dominates it
  Tied,         ///< another dominates its means, but no interval separates them (`tied_with`)
  Dominated,    ///< another is at least as good on every objective and better beyond its interval
  ScreenedOut,  ///< screening's figures left it out of the confirmation stage
  Infeasible,   ///< rejected by the review, or fails a constraint
};
std::string_view to_string(FrontStatus s);

struct ExploreVariant {
  std::string id;          ///< `<base>-v<index>`, or an alternative's own id
  std::uint64_t index = 0; ///< its position in the space (mixed radix over the dimensions)
  std::vector<std::string> choices;  ///< one option label per dimension
  /// The alternative that produces it, ready to paste under `alternatives:` (YAML).
  std::string alternative_yaml;
  std::vector<std::string> findings;  ///< the review's errors that reject it
  std::vector<ExploreEvaluation> evaluations;  ///< in stage order
  Feasibility feasibility = Feasibility::Undecided;
  FrontStatus front = FrontStatus::ScreenedOut;
  std::string tied_with;  ///< Tied: the front variant it cannot be told from

  const ExploreEvaluation* latest() const { return evaluations.empty() ? nullptr : &evaluations.back(); }
  /// `metric` as the latest evaluation measured it, or nullptr (never simulated, or nothing to
  /// measure: no successful request has no latency).
  const sim::Estimate* metric(std::string_view name) const {
    const ExploreEvaluation* e = latest();
    if (e == nullptr) return nullptr;
    const auto it = e->metrics.find(name);
    return it == e->metrics.end() ? nullptr : &it->second;
  }
};

struct ExploreReport {
  std::string scenario, file;
  std::string base;  ///< the alternative the variants vary
  std::uint64_t seed = 0;
  std::string horizon;  ///< the simulated horizon, e.g. `730h`
  std::vector<ExploreDimension> dimensions;
  std::uint64_t space_size = 0;
  std::string method;  ///< `exhaustive` or `nsga2`
  std::vector<ExploreObjective> objectives;
  std::vector<std::string> constraints;  ///< criterion ids, then `budget`
  /// What "best" means: the variant meeting every constraint with the lowest (or highest) mean.
  ExploreObjective pick;
  std::size_t evaluations = 0;  ///< simulated variant-stages, the scenario's alternatives included
  std::vector<ExploreVariant> variants;      ///< every variant evaluated (or rejected), by index
  std::vector<ExploreVariant> alternatives;  ///< the scenario's own alternatives, confirmed, for comparison
  std::optional<std::size_t> best;           ///< into `variants`
  /// No confirmed variant can meet the constraints: the front is drawn over those that fail
  /// them, to show the trade-off and how close the best come.
  bool front_of_failing = false;
};

/// The JSON document `archsim.explore/1`.
nlohmann::json explore_json(const ExploreReport& report, const std::string& version);
/// A terminal summary: the front as a table, the best variant and its alternative.
std::string render_explore_text(const ExploreReport& report);
std::string render_explore_markdown(const ExploreReport& report, const std::string& version);
std::string render_explore_html(const ExploreReport& report, const std::string& version);

}  // namespace archsim::reports
