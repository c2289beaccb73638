// Private to the simulator: a DynamoDB table in provisioned capacity mode.
//
// Reads and writes draw on two token buckets refilled at the table's capacity per second and
// holding the burst allowance; a request that finds too few tokens is throttled.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct TokenBucketTable : ComponentKind {};

}  // namespace archsim::sim::detail
