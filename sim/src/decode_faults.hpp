// Private to the simulator: the decoder of `workload.faults` (faults.hpp).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "archsim/model/decode.hpp"
#include "archsim/sim/faults.hpp"

namespace archsim::sim::detail {

/// Zones and component ids some alternative has; empty sets accept any name (workloads
/// decoded without a scenario, in tests).
struct KnownNames {
  std::set<std::string> zones, components;
};

void decode_faults(const model::YamlNode& node, const std::string& path, model::decoding::DecodeContext& ctx,
                   const KnownNames& known, std::vector<FaultSpec>& out);

}  // namespace archsim::sim::detail
