// Private to the simulator: a CloudFront distribution.
//
// It answers a share of requests from its cache (the hit ratio) without going on to the
// origin, and bills the bytes it sends to the internet.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct EdgeCache : ComponentKind {};

}  // namespace archsim::sim::detail
