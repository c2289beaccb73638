// Private to the simulator: the decoders of `workload.faults` (faults.hpp) and
// `workload.deployments` (deployments.hpp).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/decode.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/sim/deployments.hpp"
#include "archsim/sim/faults.hpp"

namespace archsim::sim::detail {

/// Zones and component ids some alternative has; empty sets accept any name (workloads
/// decoded without a scenario, in tests).
struct KnownNames {
  std::set<std::string> zones, components;
};

/// Reads the required component id under `key`; an id no alternative has is an error.
bool required_component(model::decoding::MapReader& r, std::string_view key, model::decoding::DecodeContext& ctx,
                        const KnownNames& known, std::string& out);

/// A fixed start (`at`) after `horizon` never happens: a located error, for faults and
/// deployments alike (at the horizon itself, events still happen).
void check_starts_within(const model::YamlNode& at_node, const std::string& at_path, model::decoding::DecodeContext& ctx, Duration at,
                         Duration horizon);

/// `workload.deployments` (deployments.hpp), decoded in decode_deployments.cpp; an `at` after
/// `horizon` is an error.
void decode_deployments(const model::YamlNode& node, const std::string& path, model::decoding::DecodeContext& ctx,
                        const KnownNames& known, Duration horizon, std::vector<DeploymentEventSpec>& out);

/// `workload.faults` (faults.hpp). A start written as a distribution must not reach below 0
/// and must have some of its draws within `horizon` (located errors); a share of draws beyond
/// it is a warning, since those replications run without the fault.
void decode_faults(const model::YamlNode& node, const std::string& path, model::decoding::DecodeContext& ctx,
                   const KnownNames& known, Duration horizon, std::vector<FaultSpec>& out);

/// Whether a fault of `effect` can hit component `id` of `t`: a task crash an ECS service's
/// tasks, a Spot fault a service some of whose tasks can run on Fargate Spot, a NAT gateway
/// loss a NAT gateway, a primary loss an RDS database, a dependency fault anything. A run
/// resolves each fault by it; a fault it lets hit nothing in any alternative is refused when
/// the scenario's workload is read (it would pass as "not exercised" in silence).
bool fault_can_hit(FaultEffect effect, const model::TopologySpec& t, std::string_view id);

/// What a fault of `effect` hits, for the error that says it hits nothing.
std::string_view fault_target_kind(FaultEffect effect);

}  // namespace archsim::sim::detail
