#include "replication.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace archsim::sim::detail {

Replication::Replication(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, std::uint64_t seed,
                         Fidelity fidelity)
    : model_(model),
      workload_(workload),
      horizon_(horizon),
      recorder_(model, workload, horizon, engine_),
      platform_(model, workload, horizon, seed, engine_, recorder_) {
  if (fidelity == Fidelity::Flow) {
    traffic_ = &flow_.emplace(model, workload, horizon, seed, engine_, recorder_, platform_);
  } else {
    traffic_ = &walk_.emplace(model, workload, horizon, seed, engine_, recorder_, platform_);
  }
  recorder_.result().fidelity = fidelity == Fidelity::Flow ? Fidelity::Flow : Fidelity::Request;
  platform_.drive(*traffic_);
}

std::optional<model::Diagnostic> Replication::run(const std::function<void(const Progress&)>& progress, int index) {
  traffic_->start();
  platform_.start();
  std::uint64_t events = 0;
  RunStats stats;
  // Run an hour at a time so progress can be reported and the in-flight limit checked.
  for (std::int64_t until = kHourNs;; until += kHourNs) {
    const Time stop{std::min(until, horizon_.ns)};
    if (walk_) walk_->set_events_so_far(events);
    const std::uint64_t candidates = walk_ ? walk_->candidates() : 0;
    stats = engine_.run(stop, workload_.max_events - std::min(workload_.max_events, events + candidates));
    events += stats.events;
    if (progress) progress(Progress{stop, horizon_, events, index});
    // Whole seconds: where in the run it stopped, not the nanosecond of the last event.
    const std::string stopped_at = model::format_duration(Duration{engine_.now().ns / 1'000'000'000 * 1'000'000'000});
    if (walk_ && walk_->overloaded()) {
      return model::Diagnostic{
          model::Severity::Error, {}, workload_.path + ".limits.max_in_flight",
          fmt::format("more than {} requests in flight at {}: the design cannot keep up with this workload "
                      "(queues are growing without bound); lower the rate, bound the queues, or raise the limit",
                      walk_->max_in_flight(), stopped_at)};
    }
    if (stats.reason == StopReason::EventLimit || (walk_ && walk_->overworked())) {
      return model::Diagnostic{model::Severity::Error, {}, workload_.path + ".limits.max_events",
                               fmt::format("the run reached its work limit ({} events and arrival candidates) at {} of {}; raise "
                                           "workload.limits.max_events or shorten the horizon",
                                           workload_.max_events, stopped_at, model::format_duration(horizon_))};
    }
    if (stop.ns >= horizon_.ns || stats.reason == StopReason::QueueEmpty) break;
  }
  traffic_->finish();
  recorder_.result().events = events + (flow_ ? flow_->segments() : 0);
  summarise();
  return std::nullopt;
}

void Replication::summarise() {
  SimResult& result = recorder_.result();
  ReplicationMetrics m;
  m.outcomes = result.overall.outcomes;
  m.availability = result.availability();
  m.p50_ns = result.overall.latency.quantile(0.50);
  m.p95_ns = result.overall.latency.quantile(0.95);
  m.p99_ns = result.overall.latency.quantile(0.99);
  // Minutes after the warm-up whose error rate stayed at or under the threshold; a minute
  // without requests counts as available.
  const auto first = static_cast<std::size_t>((workload_.warmup.ns + kMinuteNs - 1) / kMinuteNs);
  std::size_t minutes = 0, good = 0;
  for (std::size_t i = first; i < result.timeline.size(); ++i) {
    const MinuteSample& sample = result.timeline[i];
    ++minutes;
    if (sample.arrivals == 0 ||
        static_cast<double>(sample.errors) <= model_.minute_error_threshold * static_cast<double>(sample.arrivals)) {
      ++good;
    }
  }
  m.time_availability = minutes == 0 ? 1.0 : static_cast<double>(good) / static_cast<double>(minutes);
  m.usage = result.usage;
  platform_.finish(m);
  result.per_replication.push_back(std::move(m));
}

SimResult Replication::take_result() { return std::move(recorder_.result()); }

}  // namespace archsim::sim::detail

namespace archsim::sim {

std::uint64_t in_flight_for_memory(std::uint64_t bytes) {
  return std::max<std::uint64_t>(1, bytes / detail::RequestWalk::bytes_per_request());
}

}  // namespace archsim::sim
