// Private to the simulator: an API Gateway API.
//
// A regional service that adds its own latency (and an authorizer's, when it has one) and
// bills per request, HTTP APIs per started size increment.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Gateway : ComponentKind {};

}  // namespace archsim::sim::detail
