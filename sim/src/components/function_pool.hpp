// Private to the simulator: a Lambda function, a pool of execution environments.
//
// A request needs a free environment within the function's concurrency (reserved, or the
// account's unreserved pool); a new environment pays a cold start, provisioned ones are
// used first; the bill is per invocation run and per GB-second from the start of INIT.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct FunctionPool : ComponentKind {
  static constexpr bool kLogsRequests = true;
};

}  // namespace archsim::sim::detail
