// What decides `archsim run`'s exit code, as a list a CI job and a reviewer can both read.
//
// One gate per alternative and check: each rule that fires at error severity on it (or one
// passing `review findings` gate), a `simulation` gate when it could not be simulated at all
// (that fails any run, exit 2, whatever the alternative's status), its budget (over, or an
// alert marked `fail_run` that fires), and each ADR criterion. Whether a failed gate fails the
// run follows the decision record: findings and budgets gate the chosen design and those still
// considered, criteria gate the chosen design only (it is the claim the ADR makes); rejected
// and deferred alternatives are reported, never gated. The exit code, the JUnit report and
// the pull-request comment's gate list all come from this one list, so they cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "archsim/reports/run_report.hpp"

namespace archsim::reports {

enum class GateKind { Findings, Simulation, Budget, Criterion };
std::string_view to_string(GateKind kind);  ///< `findings`, `simulation`, `budget`, `criterion`

struct Gate {
  std::string alternative;
  model::DecisionStatus status = model::DecisionStatus::Considered;
  GateKind kind = GateKind::Findings;
  std::string name;        ///< `rule <id>`, `review findings` (none fired), `simulation`, `budget`, or the criterion's id
  Verdict verdict = Verdict::Pending;
  bool gating = false;     ///< a Fail here fails the run (exit 1)
  std::string detail;      ///< why, in one line: the rules that fired, the day the budget goes over; for a pass, what was measured
  std::string file;        ///< where the gate's subject is written (the topology of a finding, the scenario of a budget or criterion), as the CLI received it
  bool fails_run() const { return gating && verdict == Verdict::Fail; }
};

/// Every gate of a run, by alternative in scenario order: findings, simulation (only when it
/// failed), budget (when the scenario sets one), then the criteria in scenario order. Needs `run.review` and `run.scenario_spec`.
std::vector<Gate> run_gates(const RunReport& run);

/// The budget gate of one alternative: fails when the month goes over or a `fail_run` alert
/// fires, and gates the run for chosen and considered alternatives. `archsim price` uses it too.
Gate budget_gate(const std::string& alternative, model::DecisionStatus status, const pricing::BudgetCheck& budget);

/// Whether any gate fails the run.
bool any_gate_fails(const std::vector<Gate>& gates);

/// The exit code the gates give `archsim run`: 2 when an alternative could not be simulated
/// (a failing `simulation` gate), 1 when another gate fails the run, 0 otherwise.
int run_exit_code(const std::vector<Gate>& gates);

/// `exit 1: 2 gates fail the run`, `exit 0: no gate fails the run`: the last line of every
/// format, from the same gates as the exit code.
std::string exit_summary(const std::vector<Gate>& gates);

/// How a failing gate is named in a decision: `zone-loss` (a criterion), `error finding
/// task-no-egress-path`, `budget (the team's gate, not an ADR criterion)`, `simulation`.
std::string decision_label(const Gate& gate);

}  // namespace archsim::reports
