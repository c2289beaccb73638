// What the verbs share: loading a scenario with the built-in AWS facts, and writing a result
// to stdout or, atomically, to a file.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"

namespace archsim::cli {

struct Loaded {
  model::AwsFacts facts;
  model::LoadResult result;
};

Loaded load(const std::string& file, bool strict);

/// The loaded scenario when it decoded without errors; otherwise prints every diagnostic
/// (file:line:col) to `err` and returns nullptr, for the verbs that need a usable scenario.
const model::ScenarioSpec* usable_scenario(const Loaded& loaded, std::ostream& err);

/// Writes `content` to `out` when `output_file` is empty, else atomically to that file.
/// Returns false (after telling `err`) when the file cannot be written.
bool emit(const std::string& content, const std::string& output_file, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
