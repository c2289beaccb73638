// Judging the ADR's criteria on what `archsim run` measured, and whether the chosen option
// holds up.
//
// Every metric an alternative is judged on is an estimate over independent replications
// (mean and 95 % confidence interval, sim/statistics.hpp). A bound is met ("pass") when the
// whole interval lies on its side, missed ("fail") when the whole interval lies beyond it,
// and "inconclusive" when the interval straddles it: more replications would decide. A
// criterion with static rules as well fails if any of its rules fires (review.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archsim/model/spec.hpp"
#include "archsim/reports/review.hpp"
#include "archsim/sim/result.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/sim/statistics.hpp"

namespace archsim::reports {

/// Every metric of model::criterion_metrics() for one alternative, in the metric's unit
/// (ms, ratio, USD); the analytic availability is exact (no interval).
using MetricValues = std::map<std::string, sim::Estimate, std::less<>>;

/// The metrics of one simulated alternative: latency percentiles, availabilities and error
/// rate from its replications, `cost.monthly` from one bill per replication.
MetricValues measure(const sim::SimResult& result, const std::vector<double>& monthly_cost_by_replication,
                     std::optional<double> analytic_availability);

/// Whether `measured`'s 95 % intervals meet `replications: {until: ...}`'s goals: each
/// half-width at most its target (absolute, or relative to the mean). A metric with no interval
/// yet (fewer than 2 replications) is too wide; one the run cannot measure (no successful
/// request, so no latency) does not hold the run back, since more replications would not
/// measure it either, and is named as unmeasured.
sim::PrecisionCheck check_precision(const MetricValues& measured, const std::vector<sim::PrecisionGoal>& goals);

struct CriterionJudgement {
  std::string criterion;
  std::string alternative;
  Verdict verdict = Verdict::Pending;
  std::vector<std::string> fired;   ///< static rules that fired
  std::optional<sim::Estimate> measured;  ///< the metric, when the criterion has one
  std::string note;
};

/// Judges every criterion for every alternative: the review's static verdicts combined with
/// the measured metrics (`metrics` by alternative id; an alternative that could not be
/// simulated leaves its metric criteria pending). With `results` (by alternative id), a
/// metric criterion is "not exercised" when a fault or deployment it names in `exercised_by`
/// did not happen after the warm-up in every replication, or when no request was measured
/// (latency, availability and error rate then describe nothing).
std::vector<CriterionJudgement> judge_criteria(const model::ScenarioSpec& scenario, const std::vector<CriterionVerdict>& static_verdicts,
                                               const std::map<std::string, MetricValues>& metrics,
                                               const std::map<std::string, const sim::SimResult*>& results = {});

/// The verdict for one bound on one estimate.
Verdict judge_bound(const sim::Estimate& value, std::optional<double> min, std::optional<double> max);

/// `312ms`, `99.95%`, `$45.23`: a metric value in its unit.
std::string format_metric(const model::MetricInfo& metric, double value);
/// `312ms ± 8ms`, or the value alone with one replication or when the ± shows as zero at the
/// metric's precision (`50m`, not `50m ± 0s`); `76.3ms ± 0.524ms (histogram resolution)` when
/// the half-width is the recorder's resolution rather than the replications' spread.
std::string format_estimate(const model::MetricInfo& metric, const sim::Estimate& e);
/// The estimate for a narrow table column: as format_estimate, without the resolution note,
/// and the ± joined by no-break spaces so the figure never wraps over lines.
std::string compact_estimate(const model::MetricInfo& metric, const sim::Estimate& e);

}  // namespace archsim::reports
