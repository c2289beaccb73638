// Private to the simulator: the decoder of a component behaviour block, shared by the
// workload (`workload.components.<id>`) and the defaults data file (`kinds.<kind>`).
#pragma once

#include "archsim/model/decode.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim::detail {

void decode_behaviour(model::decoding::MapReader& r, model::decoding::DecodeContext& ctx, BehaviourSpec& b);

}  // namespace archsim::sim::detail
