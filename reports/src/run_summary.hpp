// Figures of a run that more than one renderer prints (text, JSON, the PR comment, the HTML
// page), computed once here from the simulator's result structs. Internal to reports/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archsim/reports/gates.hpp"
#include "archsim/reports/run_report.hpp"

namespace archsim::reports {

/// `Poisson arrivals at 20/s, daily profile`, `trace replay of x.csv (1200 requests, CSV)`.
std::string describe_arrivals(const sim::ArrivalSpec& a);

/// 12,345,678
std::string with_commas(std::uint64_t n);

/// Which traffic model produced an alternative's figures, and why when `auto` chose:
/// "request level (every request walked)" or "flow (traffic as flows between state changes)".
std::string fidelity_text(const sim::SimResult& s);
/// "4 replications", or "4 to 50 replications until availability ± 0.005pp, latency.p99 ± 2%".
std::string replications_text(const sim::WorkloadSpec& w);

/// At most `max_bytes` of `text`, cut after a word and marked `…` where it was cut: a gate's
/// detail lists every finding, and a comment's first lines only need to say which.
std::string clipped(const std::string& text, std::size_t max_bytes);
/// Where a gate's detail is cut in a comment's first lines (the gates' tables have it whole).
inline constexpr std::size_t kGateDetailShown = 160;

/// When an incident happened, to the millisecond.
std::string incident_time(const sim::Incident& i);

/// Per Lambda function, per replication: requests (throttled ones included), cold starts and
/// their mean init time.
struct ColdStarts {
  std::string function;
  double invocations = 0, cold_starts = 0, init_seconds = 0;
};
std::vector<ColdStarts> cold_starts(const sim::SimResult& s);

/// Per ECS service that scales, per replication: time at zero and the returns from it.
struct AtZero {
  std::string service;
  double seconds = 0, returns = 0, seconds_to_first_task = 0;
};
std::vector<AtZero> at_zero(const sim::SimResult& s);

/// Per ECS service, its tasks in service against its desired count at the end of the run,
/// over the replications (`in_service_low..high of desired_low..high`), and in how many
/// replications it ended below its desired count.
struct CapacityAtEnd {
  std::string service;
  int in_service_low = 0, in_service_high = 0, desired_low = 0, desired_high = 0;
  int replications_below = 0, replications = 0;
};
std::vector<CapacityAtEnd> capacity_at_end(const sim::SimResult& s);
/// `api 1 of 2 tasks in service (below its desired count in 4 of 4 replications)`.
std::string describe(const CapacityAtEnd& c);

/// Does the chosen option hold up? Every gate of it that fails (criteria, error findings, the
/// budget, the simulation), its undecided criteria, and per other alternative how many
/// criteria it passes where the chosen fails, and the reverse.
struct DecisionSummary {
  struct Versus {
    std::string alternative;
    model::DecisionStatus status = model::DecisionStatus::Considered;
    int better = 0;  ///< criteria it passes and the chosen fails
    int worse = 0;   ///< criteria it fails and the chosen passes
  };
  std::string chosen;
  bool simulated = true;            ///< false: the run says nothing of its criteria
  std::vector<std::string> failed;  ///< its failing gates, as decision_label() names them
  std::vector<std::string> open;    ///< criteria inconclusive, pending or not exercised for the chosen
  std::vector<Versus> versus;

  bool holds_up() const { return simulated && failed.empty() && open.empty(); }
  /// `holds up: it meets every criterion and passes every gate.`, `does not hold up: it fails
  /// ...`: the sentence after "The chosen option <id>", the same in every format.
  std::string verdict_text() const;
};
/// One per chosen alternative (a scenario normally has one), in scenario order, from `gates`
/// (run_gates(r)), so the decision and the exit code read the same list.
std::vector<DecisionSummary> decide(const RunReport& r, const std::vector<Gate>& gates);

/// The verdict of `criterion` for `alternative` (Pending when none was judged).
Verdict verdict_of(const RunReport& r, std::string_view criterion, std::string_view alternative);

/// `<= 300ms`, `>= 99.9%`, empty for a criterion judged by rules alone.
std::string bound_text(const model::CriterionSpec& c);

}  // namespace archsim::reports
