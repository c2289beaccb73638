// Figures of a run that more than one renderer prints (text, JSON, the PR comment, the HTML
// page), computed once here from the simulator's result structs. Internal to reports/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archsim/reports/run_report.hpp"

namespace archsim::reports {

/// `Poisson arrivals at 20/s, daily profile`, `trace replay of x.csv (1200 requests, CSV)`.
std::string describe_arrivals(const sim::ArrivalSpec& a);

/// 12,345,678
std::string with_commas(std::uint64_t n);

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

/// Does the chosen option hold up? Its failed and undecided criteria, and per other
/// alternative how many criteria it passes where the chosen fails, and the reverse.
struct DecisionSummary {
  struct Versus {
    std::string alternative;
    model::DecisionStatus status = model::DecisionStatus::Considered;
    int better = 0;  ///< criteria it passes and the chosen fails
    int worse = 0;   ///< criteria it fails and the chosen passes
  };
  std::string chosen;
  std::vector<std::string> failed;  ///< criteria the chosen fails
  std::vector<std::string> open;    ///< inconclusive or pending for the chosen
  std::vector<Versus> versus;
};
/// One per chosen alternative (a scenario normally has one), in scenario order.
std::vector<DecisionSummary> decide(const RunReport& r);

/// The verdict of `criterion` for `alternative` (Pending when none was judged).
Verdict verdict_of(const RunReport& r, std::string_view criterion, std::string_view alternative);

/// `<= 300ms`, `>= 99.9%`, empty for a criterion judged by rules alone.
std::string bound_text(const model::CriterionSpec& c);

}  // namespace archsim::reports
