// Private to the simulator: an S3 bucket.
//
// A regional service that takes its service time; it bills writes (PUT, COPY, POST, LIST)
// apart from reads.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct ObjectStore : ComponentKind {};

}  // namespace archsim::sim::detail
