#include "archsim/reports/gates.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/reports/bill_report.hpp"
#include "run_summary.hpp"

namespace archsim::reports {

namespace {

/// One failing gate per rule that fires at error severity on the alternative (so that a change
/// adding a second kind of error shows as a new failure), or one passing gate when none does.
std::vector<Gate> findings_gates(const RunReport& run, const model::AlternativeSpec& alt) {
  std::vector<Gate> gates;
  for (const auto& f : run.review->findings) {
    if (f.alternative != alt.id || f.severity != model::Severity::Error) continue;
    const std::string name = "rule " + f.rule;
    auto it = std::find_if(gates.begin(), gates.end(), [&](const Gate& g) { return g.name == name; });
    if (it == gates.end()) {
      gates.push_back({alt.id, alt.status, GateKind::Findings, name, Verdict::Fail, model::gates_exit_code(alt.status), {}, f.loc.file});
      it = gates.end() - 1;
    }
    it->detail += fmt::format("{}{}: {}", it->detail.empty() ? "" : "; ", model::format_location(f.loc), f.message);
  }
  if (gates.empty()) {
    gates.push_back({alt.id, alt.status, GateKind::Findings, "review findings", Verdict::Pass, model::gates_exit_code(alt.status),
                     "no error-severity finding", alt.topology_source});
  }
  return gates;
}

}  // namespace

Gate budget_gate(const std::string& alternative, model::DecisionStatus status, const pricing::BudgetCheck& budget) {
  // A bill that assumes 0 for undeclared usage is a lower bound: it can fail a budget, never pass one.
  const Verdict verdict = budget.fails_run()                                     ? Verdict::Fail
                          : budget.status == pricing::BudgetStatus::Undecided ? Verdict::Inconclusive
                                                                               : Verdict::Pass;
  Gate g{alternative, status, GateKind::Budget, "budget", verdict, model::gates_exit_code(status), {}};
  std::vector<std::string> parts;
  parts.push_back(fmt::format("{} USD a month against {} USD", pricing::format_cents(budget.actual), pricing::format_cents(budget.limit)));
  if (budget.status == pricing::BudgetStatus::Undecided) {
    parts.push_back("undecided: " + budget.undecided_because + ", so the total is a lower bound");
  }
  if (budget.over_day) parts.push_back(fmt::format("over on day {}", *budget.over_day));
  for (const auto& a : budget.alerts) {
    if (a.day) parts.push_back(fmt::format("alert {} fires on day {}{}", budget_alert_name(a.alert), *a.day, a.fails_run() ? " (fail_run)" : ""));
  }
  g.detail = fmt::format("{}", fmt::join(parts, "; "));
  return g;
}

std::string_view to_string(GateKind kind) {
  switch (kind) {
    case GateKind::Findings: return "findings";
    case GateKind::Simulation: return "simulation";
    case GateKind::Budget: return "budget";
    case GateKind::Criterion: return "criterion";
  }
  return "gate";
}

std::vector<Gate> run_gates(const RunReport& run) {
  std::vector<Gate> gates;
  if (run.scenario_spec == nullptr) return gates;
  // A finding about no alternative of the scenario (a scenario-wide rule) gates like the chosen design's.
  if (run.review != nullptr) {
    const auto stray = std::count_if(run.review->findings.begin(), run.review->findings.end(), [&](const model::Finding& f) {
      return f.severity == model::Severity::Error && run.scenario_spec->alternative(f.alternative) == nullptr;
    });
    if (stray > 0) {
      gates.push_back({"", model::DecisionStatus::Chosen, GateKind::Findings, "review findings (scenario-wide)", Verdict::Fail, true,
                       fmt::format("{} error{}", stray, stray == 1 ? "" : "s"), run.scenario_spec->file});
    }
  }
  for (const auto& alt : run.scenario_spec->alternatives) {
    if (run.review != nullptr) {
      for (auto& g : findings_gates(run, alt)) gates.push_back(std::move(g));
    }
    const auto simulated = std::find_if(run.alternatives.begin(), run.alternatives.end(), [&](const AlternativeRun& a) { return a.id == alt.id; });
    if (simulated != run.alternatives.end() && simulated->error) {
      // Nothing was measured, so every other check of it is undecided: the run cannot vouch for it.
      gates.push_back({alt.id, alt.status, GateKind::Simulation, "simulation", Verdict::Fail, true,
                       fmt::format("could not be simulated: {}: {}", model::format_location(simulated->error->loc), simulated->error->message),
                       simulated->error->loc.file});
    }
    if (simulated != run.alternatives.end() && simulated->budget) {
      gates.push_back(budget_gate(alt.id, alt.status, *simulated->budget));
      gates.back().file = run.scenario_spec->file;
    }
    for (const auto& j : run.criteria) {
      if (j.alternative != alt.id) continue;
      Gate g{alt.id, alt.status, GateKind::Criterion, j.criterion, j.verdict, alt.status == model::DecisionStatus::Chosen, {}, run.scenario_spec->file};
      std::vector<std::string> parts;
      const auto* spec = run.scenario_spec->criterion(j.criterion);
      const model::MetricInfo* metric = spec == nullptr || spec->metric.empty() ? nullptr : model::find_metric(spec->metric);
      if (j.measured && metric != nullptr) {
        const std::string bound = bound_text(*spec);
        parts.push_back(format_estimate(*metric, *j.measured) + (bound.empty() ? "" : " against " + bound));
      }
      if (!j.fired.empty()) parts.push_back(fmt::format("fired: {}", fmt::join(j.fired, ", ")));
      if (!j.note.empty()) parts.push_back(j.note);
      g.detail = fmt::format("{}", fmt::join(parts, "; "));
      gates.push_back(std::move(g));
    }
  }
  return gates;
}

bool any_gate_fails(const std::vector<Gate>& gates) {
  return std::any_of(gates.begin(), gates.end(), [](const Gate& g) { return g.fails_run(); });
}

int run_exit_code(const std::vector<Gate>& gates) {
  const bool not_simulated = std::any_of(gates.begin(), gates.end(), [](const Gate& g) {
    return g.kind == GateKind::Simulation && g.verdict == Verdict::Fail;
  });
  if (not_simulated) return 2;
  return any_gate_fails(gates) ? 1 : 0;
}

std::string exit_summary(const std::vector<Gate>& gates) {
  const int code = run_exit_code(gates);
  if (code == 2) return "exit 2: an alternative could not be simulated";
  const auto failing = std::count_if(gates.begin(), gates.end(), [](const Gate& g) { return g.fails_run(); });
  if (failing == 0) return "exit 0: no gate fails the run";
  return fmt::format("exit 1: {} gate{} fail{} the run", failing, failing == 1 ? "" : "s", failing == 1 ? "s" : "");
}

std::string decision_label(const Gate& gate) {
  switch (gate.kind) {
    case GateKind::Criterion: return gate.name;
    case GateKind::Findings: return gate.name.starts_with("rule ") ? "error finding " + gate.name.substr(5) : gate.name;
    case GateKind::Budget: return "budget (the team's gate, not an ADR criterion)";
    case GateKind::Simulation: return "simulation";
  }
  return gate.name;
}

}  // namespace archsim::reports
