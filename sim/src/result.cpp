#include "archsim/sim/result.hpp"

#include <numeric>

namespace archsim::sim {

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::Ok: return "ok";
    case Outcome::QueueFull: return "queue_full";
    case Outcome::Timeout: return "timeout";
    case Outcome::NoHealthyTarget: return "no_healthy_target";
    case Outcome::Throttled: return "throttled";
    case Outcome::BackendError: return "backend_error";
    case Outcome::Unreachable: return "unreachable";
    case Outcome::TargetDown: return "target_down";
    case Outcome::LoadBalancerDown: return "load_balancer_down";
    case Outcome::DependencyDown: return "dependency_down";
    case Outcome::DependencyError: return "dependency_error";
    case Outcome::ReleaseError: return "release_error";
    case Outcome::SecurityGroupBlocked: return "security_group_blocked";
  }
  return "?";
}

std::uint64_t RouteStats::total() const { return std::accumulate(outcomes.begin(), outcomes.end(), std::uint64_t{0}); }
std::uint64_t RouteStats::errors() const { return total() - outcomes[static_cast<std::size_t>(Outcome::Ok)]; }

double UsageMeter::total() const { return std::accumulate(hourly.begin(), hourly.end(), 0.0); }

double SimResult::availability() const {
  const std::uint64_t total = overall.total();
  return total == 0 ? 1.0 : static_cast<double>(overall.outcomes[0]) / static_cast<double>(total);
}

double SimResult::time_availability() const {
  if (per_replication.empty()) return 1.0;
  double sum = 0;
  for (const auto& r : per_replication) sum += r.time_availability;
  return sum / static_cast<double>(per_replication.size());
}

namespace {

void merge_stats(RouteStats& into, const RouteStats& from) {
  into.latency.merge(from.latency);
  for (std::size_t i = 0; i < kOutcomeCount; ++i) into.outcomes[i] += from.outcomes[i];
}

}  // namespace

void SimResult::merge(const SimResult& other) {
  if (replications == 0) {
    *this = other;
    return;
  }
  replications += other.replications;
  events += other.events;
  for (std::size_t i = 0; i < routes.size() && i < other.routes.size(); ++i) merge_stats(routes[i], other.routes[i]);
  merge_stats(overall, other.overall);
  for (std::size_t i = 0; i < usage.size() && i < other.usage.size(); ++i) {
    for (std::size_t h = 0; h < usage[i].hourly.size() && h < other.usage[i].hourly.size(); ++h) {
      usage[i].hourly[h] += other.usage[i].hourly[h];
    }
  }
  per_replication.insert(per_replication.end(), other.per_replication.begin(), other.per_replication.end());
  deployments.started += other.deployments.started;
  deployments.completed += other.deployments.completed;
  deployments.rolled_back += other.deployments.rolled_back;
  deployments.skipped += other.deployments.skipped;
  deployments.refused += other.deployments.refused;
  for (const auto& [id, n] : other.exercised) exercised[id] += n;
}

}  // namespace archsim::sim
