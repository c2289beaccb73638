// What the CLI tests share: running a verb in-process, and a scenario of the reference design
// (tests/support/good_topology.yaml) with the criteria and workload a test states.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace archsim::test {

struct CliRun {
  int code;
  std::string out, err;
};

/// Sets (or, with nullopt, unsets) an environment variable for the scope, and restores it after:
/// the CLI reads SOURCE_DATE_EPOCH, and tests in one process must not leak it to each other.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::optional<std::string> value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

/// The SOURCE_DATE_EPOCH golden and determinism tests run under: 2026-01-01T00:00:00 UTC.
inline constexpr const char* kSourceDateEpoch = "1767225600";

/// `archsim <args>` in-process, as run_cli sees it.
CliRun cli(const std::vector<std::string>& args);

/// Copies the reference topology (tests/support/good_topology.yaml) into `dir` as
/// good_topology.yaml: a scenario may name files under its own folder only.
void put_reference_topology(const std::string& dir);

/// Writes `<temp>/<folder>/<name>.yaml`, scenario `reference`: the reference design as the chosen alternative under
/// `criteria` (YAML lines under `criteria:`), 20 simulated minutes at 5 requests/s in 3
/// replications with `seed`; `with_rejected_copy` adds the same design as a rejected
/// alternative `other`. Returns the file's path.
/// `workload_extra` adds flow-style entries to the workload map (`faults: {...}`).
std::string reference_scenario(const std::string& folder, const std::string& name, const std::string& criteria, int seed = 3,
                               bool with_rejected_copy = false, const std::string& workload_extra = "");

}  // namespace archsim::test
