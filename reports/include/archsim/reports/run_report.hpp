// The result of `archsim run`: every alternative simulated under the scenario's workload,
// as a printed summary, as JSON (`archsim.run/1`), as per-minute timeline CSVs, and for
// design reviews as a Markdown pull-request comment, an HTML page and JUnit XML.
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
#include "archsim/reports/document.hpp"
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
  /// Wall-clock seconds its simulation took; empty under SOURCE_DATE_EPOCH, where output must
  /// not depend on the machine. Only JUnit prints it (docs/review-outputs.md).
  std::optional<double> wall_seconds;
};

struct RunReport {
  std::string file;
  std::string scenario;
  std::uint64_t seed = 0;
  sim::Duration horizon{};
  sim::WorkloadSpec workload;
  std::vector<AlternativeRun> alternatives;
  /// UTC, `YYYY-MM-DDTHH:MM:SS`: SOURCE_DATE_EPOCH when set (the reproducible-builds
  /// convention), else when the run began. Only JUnit prints it; the JSON stays a function of
  /// the inputs and the seed.
  std::string started_at;
  std::vector<pricing::ClaimCheck> claims;  ///< the document's pricing claims, checked
  std::vector<CriterionJudgement> criteria;  ///< every criterion, for every alternative
  const model::ScenarioSpec* scenario_spec = nullptr;
  const ReviewReport* review = nullptr;  ///< the static review the run began with (findings, analyses)

  /// The chosen alternative fails a criterion (the ADR's choice does not hold up).
  bool chosen_fails_criterion() const;
};

/// The human summary: per alternative, latency percentiles, availability, outcome causes,
/// usage totals, the bill and the budget verdict; then the document's pricing claims.
std::string render_run_text(const RunReport& report);

/// The run at a glance, which `run`'s text output opens with: the alternatives side by side
/// (availability, p99, cost per month, budget, findings, and how many of its gates fail),
/// each figure the mean over the replications (their intervals are in the detail).
/// `colour`: ANSI colours on the budget, findings and verdict cells, for a terminal.
std::string render_run_table_text(const RunReport& report, bool colour);

/// The canonical machine-readable result, schema `archsim.run/1`.
nlohmann::json run_json(const RunReport& report, std::string_view version);

/// The design-review document: the decision and the gates that set the exit code, the
/// alternatives side by side, the ADR criteria as measured, scaling and deployments, cost,
/// review findings, the document's pricing claims and, `with_details`, per alternative its
/// errors, hourly timeline, analytic routes, incidents and bill lines. Needs `scenario_spec`
/// (and `review` for the findings).
doc::Document run_document(const RunReport& report, std::string_view version, bool with_details);

/// The hidden first line of the comments `run` and `diff` write for `scenario` (its `name`):
/// `archsim:` and the name with every character but letters, digits, `.`, `_` and `-` as `_`
/// (so it is always a valid HTML comment). Both verbs write the same one for a scenario, so a
/// CI job keeps one comment per scenario and edits it on every push (docs/review-outputs.md).
std::string comment_marker(std::string_view scenario);

/// The static review alone (`archsim validate`) as a document: the exit verdict, findings per
/// alternative, and the criteria the rules decide.
doc::Document review_document(const ReviewReport& review, std::string_view version);
/// That document as a pull-request comment.
std::string render_review_markdown(const ReviewReport& review, std::string_view version);

/// GitHub refuses a comment longer than 65,536 characters; this leaves room for a CI job's own
/// header around the report.
inline constexpr std::size_t kCommentLimit = 60'000;
/// The document as a pull-request comment (GitHub Markdown). When it would be longer than
/// `limit` characters the per-alternative details are left out, and it says so.
std::string render_run_markdown(const RunReport& report, std::string_view version, std::size_t limit = kCommentLimit);
/// The document as one self-contained HTML page (inline CSS and SVG charts, no script).
std::string render_run_html(const RunReport& report, std::string_view version);
/// The gates (gates.hpp) as JUnit XML: failures exactly when the run fails on a gate.
std::string render_run_junit(const RunReport& report, std::string_view version);

/// One alternative's per-minute timeline as CSV (minute, warmup, arrivals, errors, p99_ms,
/// busy_capacity). A warm-up minute (warmup 1) leaves errors and p99_ms empty, and so does
/// p99_ms a minute with no successful request: not measured is not 0.
std::string timeline_csv(const sim::SimResult& result);

/// `12.3ms`, `1.25s`, `850us`: latency with three significant figures.
std::string format_latency(std::int64_t ns);

}  // namespace archsim::reports
