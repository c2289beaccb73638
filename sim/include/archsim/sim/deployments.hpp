// The scenario's `workload.deployments`: new releases of ECS services shipped during a run,
// once at a time or on a cron schedule (the daily 14:00 release), each optionally a bad
// release that fails a share of its requests or answers later, to exercise rollback.
//
// How a service deploys (rolling update or CodeDeploy blue/green, the traffic-shifting
// configuration, the rollback alarm) belongs to the topology (`deployment:` on the service);
// when and what is released belongs to the workload, so that one release schedule serves
// every alternative: a deployment applies to the alternatives that have its service.
// docs/deployments.md explains the mechanisms and their sources.
#pragma once

#include <optional>
#include <string>

#include "archsim/model/units.hpp"
#include "archsim/sim/distribution.hpp"

namespace archsim::sim {

/// What a release does differently from the one before it (nothing, for a good release).
struct ReleaseSpec {
  double error_rate = 0;                       ///< share of the requests its tasks answer with a 5xx
  std::optional<Distribution> added_latency;   ///< added to its tasks' service time

  bool bad() const { return error_rate > 0 || added_latency.has_value(); }
};

struct DeploymentEventSpec {
  std::string id, path;
  std::string service;  ///< the ECS service (or KrakenD) component that deploys
  std::optional<model::Duration> at;  ///< once, from the start of the run...
  std::string schedule;               ///< ...or on AWS cron, `cron(0 14 ? * MON-FRI *)`
  std::string timezone = "UTC";
  ReleaseSpec release;
};

}  // namespace archsim::sim
