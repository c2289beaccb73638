// Private to the simulator: the components that only take their service time.
//
// Users are where routes start (no meters of their own). Passive components (NAT gateways,
// VPC endpoints, log groups, secrets, ...) are what a request passes through or a component
// ships to: they are billed for the bytes they carry, nothing else.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Users : ComponentKind {};

struct Passive : ComponentKind {};

}  // namespace archsim::sim::detail
