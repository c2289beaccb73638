// libFuzzer target: a CloudFormation template (JSON or YAML with its short-form tags) as
// `archsim import cloudformation` reads it, intrinsics, conditions and parameters resolved,
// then the topology file written from it. Nested stacks resolve in an empty folder, so only
// the text is under test.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/model/import.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto imported = archsim::model::import_cloudformation(text, "fuzz-template.yaml", {{"AWS::Region", "us-east-1"}},
                                                              archsim::fuzz::empty_folder());
  if (imported.topology) (void)archsim::model::write_topology_yaml(imported, "fuzz-template.yaml");
  return 0;
}
