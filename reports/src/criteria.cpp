#include "archsim/reports/criteria.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace archsim::reports {

sim::PrecisionCheck check_precision(const MetricValues& measured, const std::vector<sim::PrecisionGoal>& goals) {
  sim::PrecisionCheck check{true, {}};
  for (const auto& goal : goals) {
    std::string part;
    const auto m = measured.find(goal.metric);
    const model::MetricInfo* info = model::find_metric(goal.metric);
    const bool ratio = info != nullptr && info->unit == model::MetricUnit::Ratio;
    if (m == measured.end()) {
      part = goal.metric + " not measured";
    } else if (!m->second.has_interval()) {
      check.enough = false;
      part = goal.metric + " has no interval yet";
    } else {
      const double limit = goal.relative ? goal.value * std::abs(m->second.mean) : goal.value;
      const bool narrow = m->second.half_width <= limit;
      check.enough = check.enough && narrow;
      const std::string width = goal.relative && m->second.mean != 0
                                    ? fmt::format("{:.3g} %", 100 * m->second.half_width / std::abs(m->second.mean))
                                : ratio ? fmt::format("{:.3g} pp", 100 * m->second.half_width)
                                        : fmt::format("{:.3g}", m->second.half_width);
      part = fmt::format("{} ± {} ({} {})", goal.metric, width, narrow ? "within" : "wider than", goal.text);
    }
    check.detail += (check.detail.empty() ? "" : ", ") + part;
  }
  return check;
}

MetricValues measure(const sim::SimResult& result, const std::vector<double>& monthly_cost_by_replication,
                     std::optional<double> analytic_availability) {
  std::vector<double> p50, p95, p99, availability, time_availability, error_rate;
  // The latency histogram's bucket width at each replication's percentile (ms): the mean of
  // the percentiles is not known more finely than the widest of them.
  double p50_resolution = 0, p95_resolution = 0, p99_resolution = 0;
  auto resolution = [](std::int64_t ns) { return static_cast<double>(sim::LatencyHistogram::resolution_at(ns)) / 1e6; };
  for (const auto& r : result.per_replication) {
    // A replication in which no request was measured has no availability or error rate (its
    // 100 % is a default, not a measurement): it is left out, as it is of the latencies, so a
    // few empty replications cannot lift the mean, and all of them empty leave the metrics
    // unmeasured (the criterion is then not exercised, never a pass).
    std::uint64_t requests = 0;
    for (const auto n : r.outcomes) requests += n;
    if (requests == 0) continue;
    availability.push_back(r.availability);
    time_availability.push_back(r.time_availability);
    error_rate.push_back(1 - r.availability);
    // A replication with no successful request has no latency to speak of.
    if (r.outcomes[static_cast<std::size_t>(sim::Outcome::Ok)] == 0) continue;
    p50.push_back(static_cast<double>(r.p50_ns) / 1e6);
    p95.push_back(static_cast<double>(r.p95_ns) / 1e6);
    p99.push_back(static_cast<double>(r.p99_ns) / 1e6);
    p50_resolution = std::max(p50_resolution, resolution(r.p50_ns));
    p95_resolution = std::max(p95_resolution, resolution(r.p95_ns));
    p99_resolution = std::max(p99_resolution, resolution(r.p99_ns));
  }
  MetricValues m;
  if (!p50.empty()) {
    m["latency.p50"] = sim::with_resolution(sim::estimate(p50), p50_resolution);
    m["latency.p95"] = sim::with_resolution(sim::estimate(p95), p95_resolution);
    m["latency.p99"] = sim::with_resolution(sim::estimate(p99), p99_resolution);
  }
  if (!availability.empty()) {
    m["availability"] = sim::estimate(availability);
    m["availability.time"] = sim::estimate(time_availability);
    m["error_rate"] = sim::estimate(error_rate);
  }
  if (!monthly_cost_by_replication.empty()) m["cost.monthly"] = sim::estimate(monthly_cost_by_replication);
  // An alternative without ECS services (Lambda behind API Gateway) has no desired count to
  // fall below: 0, not unmeasured.
  if (!result.per_replication.empty()) {
    std::vector<double> degraded, longest;
    for (const auto& r : result.per_replication) {
      degraded.push_back(r.seconds_below_desired / 3600);
      longest.push_back(r.longest_below_desired_seconds / 3600);
    }
    m["capacity.degraded_hours"] = sim::estimate(degraded);
    m["recovery.time_to_desired"] = sim::estimate(longest);
  }
  if (analytic_availability) m["availability.analytic"] = sim::Estimate{*analytic_availability, 0, 0, 0.95};
  return m;
}

Verdict judge_bound(const sim::Estimate& value, std::optional<double> min, std::optional<double> max) {
  // Without an interval (one replication, or an exact figure) the value alone decides.
  const double low = value.has_interval() ? value.low() : value.mean;
  const double high = value.has_interval() ? value.high() : value.mean;
  bool pass = true, fail = false;
  if (max) {
    pass = pass && high <= *max;
    fail = fail || low > *max;
  }
  if (min) {
    pass = pass && low >= *min;
    fail = fail || high < *min;
  }
  return fail ? Verdict::Fail : pass ? Verdict::Pass : Verdict::Inconclusive;
}

namespace {

/// Why a metric criterion says nothing about this alternative's run, or empty when it was exercised.
std::string not_exercised_because(const model::CriterionSpec& criterion, const sim::SimResult& result) {
  const bool traffic_metric = criterion.metric.starts_with("latency.") || criterion.metric == "availability" ||
                              criterion.metric == "availability.time" || criterion.metric == "error_rate";
  if (traffic_metric && result.overall.total() == 0) return "no request was measured after the warm-up";
  std::vector<std::string> missed;
  for (const auto& id : criterion.exercised_by) {
    const auto it = result.exercised.find(id);
    // A fault or deployment that touches nothing in this alternative cannot be missed here.
    if (it == result.exercised.end() || it->second >= result.replications) continue;
    missed.push_back(fmt::format("{} happened after the warm-up in {} of {} replications", id, it->second, result.replications));
  }
  if (missed.empty()) return {};
  return fmt::format("{} ({} to {}): the figure does not include it", fmt::join(missed, "; "),
                     model::format_duration(result.warmup), model::format_duration(result.horizon));
}

}  // namespace

std::vector<CriterionJudgement> judge_criteria(const model::ScenarioSpec& scenario, const std::vector<CriterionVerdict>& static_verdicts,
                                               const std::map<std::string, MetricValues>& metrics,
                                               const std::map<std::string, const sim::SimResult*>& results) {
  std::vector<CriterionJudgement> out;
  for (const auto& criterion : scenario.criteria) {
    for (const auto& alt : scenario.alternatives) {
      CriterionJudgement j{criterion.id, alt.id, Verdict::Pass, {}, std::nullopt, {}};
      if (!criterion.rules.empty()) {
        const auto it = std::find_if(static_verdicts.begin(), static_verdicts.end(),
                                     [&](const CriterionVerdict& v) { return v.criterion == criterion.id && v.alternative == alt.id; });
        if (it != static_verdicts.end()) {
          j.fired = it->fired;
          if (!it->fired.empty()) j.verdict = Verdict::Fail;
        }
      }
      if (!criterion.metric.empty()) {
        const auto value = metrics.find(alt.id);
        const auto result = results.find(alt.id);
        const std::string unexercised =
            result != results.end() && result->second != nullptr ? not_exercised_because(criterion, *result->second) : std::string();
        if (!unexercised.empty()) {
          // The figure, if any, describes a run without the traffic or the event it is about:
          // never a pass.
          if (value != metrics.end() && value->second.contains(criterion.metric)) j.measured = value->second.find(criterion.metric)->second;
          if (j.verdict != Verdict::Fail) j.verdict = Verdict::NotExercised;
          j.note = unexercised;
        } else if (value == metrics.end() || !value->second.contains(criterion.metric)) {
          // Simulated, but nothing to measure (no request succeeded, so no latency): the run
          // did not exercise it. Not simulated at all: still pending.
          if (j.verdict != Verdict::Fail) j.verdict = value == metrics.end() ? Verdict::Pending : Verdict::NotExercised;
          j.note = value == metrics.end() ? "not simulated"
                   : criterion.metric.starts_with("latency.") ? "no request succeeded: there is no latency to judge"
                                                              : fmt::format("{} was not measured", criterion.metric);
        } else {
          const sim::Estimate& e = value->second.find(criterion.metric)->second;
          j.measured = e;
          const Verdict v = judge_bound(e, criterion.min, criterion.max);
          if (v == Verdict::Fail) j.verdict = Verdict::Fail;
          else if (v == Verdict::Inconclusive && j.verdict == Verdict::Pass) j.verdict = Verdict::Inconclusive;
          if (!e.has_interval() && criterion.metric != "availability.analytic") {
            j.note = "one replication: no confidence interval, judged on the value alone";
          } else if (v == Verdict::Inconclusive) {
            j.note = "the confidence interval straddles the bound: more replications would decide";
          }
        }
      }
      out.push_back(std::move(j));
    }
  }
  return out;
}

std::string format_metric(const model::MetricInfo& metric, double value) {
  switch (metric.unit) {
    case model::MetricUnit::Milliseconds: return value >= 1000 ? fmt::format("{:.3g}s", value / 1000) : fmt::format("{:.3g}ms", value);
    case model::MetricUnit::Ratio: return fmt::format("{:.3f}%", value * 100);
    case model::MetricUnit::Usd: return fmt::format("${:.2f}", value);
    case model::MetricUnit::Hours: {
      // Whole seconds: a recovery is not measured to the nanosecond.
      if (value <= 0) return "0s";
      return model::format_duration(sim::Duration{static_cast<std::int64_t>(std::llround(value * 3600)) * 1'000'000'000});
    }
  }
  return fmt::format("{}", value);
}

namespace {

/// `mean ± half-width` with `plus_minus` between them, or the mean alone: without an interval,
/// or when the ± shows as zero at the metric's precision (`$39.85`, not `$39.85 ± $0.00`).
std::string estimate_text(const model::MetricInfo& metric, const sim::Estimate& e, std::string_view plus_minus) {
  const std::string half = format_metric(metric, e.half_width);
  if (!e.has_interval() || half == format_metric(metric, 0)) return format_metric(metric, e.mean);
  return fmt::format("{}{}{}", format_metric(metric, e.mean), plus_minus, half);
}

}  // namespace

std::string format_estimate(const model::MetricInfo& metric, const sim::Estimate& e) {
  std::string text = estimate_text(metric, e, " ± ");
  // The replications agree more closely than the recorder can tell: say which bound it is.
  if (e.has_interval() && e.at_resolution() && text != format_metric(metric, e.mean)) text += " (histogram resolution)";
  return text;
}

std::string compact_estimate(const model::MetricInfo& metric, const sim::Estimate& e) { return estimate_text(metric, e, "\u00A0±\u00A0"); }

}  // namespace archsim::reports
