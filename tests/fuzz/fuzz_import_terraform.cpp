// libFuzzer target: the JSON of `terraform show -json` as `archsim import terraform`, a
// scenario's `topology: {terraform: ...}` and `archsim validate plan.json` read it, then the
// topology file written from it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/model/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto imported = archsim::model::import_terraform(text, "fuzz-plan.json");
  if (imported.topology) (void)archsim::model::write_topology_yaml(imported, "fuzz-plan.json");
  return 0;
}
