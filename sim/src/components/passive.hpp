// Private to the simulator: the components that only take their service time.
//
// Users are where routes start (no meters of their own). Passive components (NAT gateways,
// VPC endpoints, log groups, secrets, ...) are what a request passes through or a component
// ships to: they are billed for the bytes they carry, nothing per request.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Users : ComponentKind {
  static constexpr bool kCountsRequests = false;
};

struct Passive : ComponentKind {
  static constexpr bool kCountsRequests = false;

  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    const ComponentModel& c = model.components[ci];
    if (c.type == model::ComponentType::NatGateway || c.type == model::ComponentType::VpcEndpoint) m.bytes = add(Meter::ProcessedBytes);
    if (c.type == model::ComponentType::LogGroup) m.log_bytes = add(Meter::IngestedBytes);
  }
};

}  // namespace archsim::sim::detail
