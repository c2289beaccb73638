// libFuzzer target: a `workload:` block on its own (arrivals, profiles, bursts, faults,
// deployments, component behaviour), as the simulator decodes it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/sim/workload.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  archsim::model::Diagnostics diagnostics;
  (void)archsim::sim::decode_workload_text(text, "fuzz-workload.yaml", archsim::fuzz::empty_folder(), diagnostics);
  return 0;
}
