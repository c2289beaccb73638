// Test fixtures: a reference topology that every rule accepts, and scenarios built from it
// with a JSON Merge Patch override, so each rule test states only what it breaks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"
#include "archsim/model/rules.hpp"

namespace archsim::testing {

/// The built-in facts, parsed once per test binary.
const model::AwsFacts& facts();

/// A scenario whose single alternative is the reference topology (`tests/support/good_topology.yaml`)
/// with `overrides` (YAML text of a map, may be empty) applied.
model::LoadResult load_good(const std::string& overrides = "");

/// Loads scenario text whose includes resolve against tests/support/.
model::LoadResult load_text(const std::string& text, const model::LoadOptions& options = {});

/// Findings of every alternative of a scenario that loaded without errors (fails the test otherwise).
std::vector<model::Finding> review(const model::LoadResult& loaded);

/// Rule ids among findings, sorted and unique.
std::vector<std::string> rule_ids(const std::vector<model::Finding>& findings);

/// A file's bytes; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// All diagnostics joined by newlines, for failure messages.
std::string diagnostics_text(const model::LoadResult& loaded);

}  // namespace archsim::testing
