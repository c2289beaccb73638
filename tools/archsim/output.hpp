// What the verbs share: loading a scenario with the built-in AWS facts, and writing a result
// to stdout or, atomically, to a file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/load.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::cli {

struct Loaded {
  model::AwsFacts facts;
  model::LoadResult result;
};

Loaded load(const std::string& file, const model::LoadOptions& options);

/// A JSON document as archsim writes it (two-space indent, final newline). Loaders refuse text
/// that is not UTF-8, so this is a backstop for text from elsewhere (a file name given on the
/// command line): bytes that are not UTF-8 become U+FFFD instead of an exception (exit 3).
std::string json_text(const nlohmann::json& document);

/// A CLI11 check for an option that takes a whole number from 0 to `max`: digits only, so `-1`
/// is refused rather than read as 2^64 - 1 and `1e3` or `0x10` are not guessed at.
CLI::Validator whole_number(std::uint64_t max);

/// A CLI11 check for an option that takes a number above 0 and at most `max` (`1e10`, `2.5e9`):
/// the whole text a finite decimal number, so `nan`, `inf` and `1e400` are refused, not read
/// as a limit no estimate ever passes (CLI11's PositiveNumber lets `nan` through).
CLI::Validator positive_number(double max);

/// The `file` argument and `--allow-outside-paths` flag of every verb that reads a scenario.
void add_scenario_input(CLI::App& command, std::string& file, bool& allow_outside_paths);
/// `--parameter Key=Value` values of a CloudFormation template as a map; a value that is not
/// Key=Value is an error said on `err` as `archsim <verb>: error: ...` (false).
bool template_parameters(const std::vector<std::string>& given, std::string_view verb, std::map<std::string, std::string>& out, std::ostream& err);

/// `--horizon` of the verbs that simulate: a duration above the workload's warm-up and at most
/// the simulator's longest horizon, set in `horizon` (left unset when `text` is empty). False
/// (after saying why as `archsim <verb>: --horizon: ...`) when it is not one.
bool horizon_option(const std::string& text, const sim::WorkloadSpec& workload, std::string_view verb, std::optional<model::Duration>& horizon,
                    std::ostream& err);

/// Adds to `diagnostics` why any alternative could not be simulated under `workload` (a trace
/// naming no route, route shares that do not add up, an unknown CodeDeploy configuration), as
/// `run` would refuse it: `validate` and `price`, which read the same workload, refuse it too.
void check_alternatives_runnable(const model::ScenarioSpec& scenario, const sim::WorkloadSpec& workload, model::Diagnostics& diagnostics);

/// Writes `diagnostics` to `err` as model::format_diagnostics does (capped, the rest counted).
void print_diagnostics(std::ostream& err, const std::vector<model::Diagnostic>& diagnostics);

/// The loaded scenario when it decoded without errors; otherwise prints every diagnostic
/// (file:line:col) to `err` and returns nullptr, for the verbs that need a usable scenario.
const model::ScenarioSpec* usable_scenario(const Loaded& loaded, std::ostream& err);

/// `--comment-only-if always|failing|changed` of the verbs that write a pull-request comment:
/// when the condition does not hold, the comment is not written at all, so a CI step posts
/// nothing (docs/review-outputs.md). `always` by default.
void add_comment_only_if(CLI::App& command, std::string& condition);
/// Tells `err` that `verb` wrote no comment, the condition that did not hold, and why.
void say_no_comment(std::ostream& err, std::string_view verb, std::string_view condition, std::string_view why);

/// Writes `content` to `out` when `output_file` is empty, else atomically to that file.
/// Returns false (after telling `err`) when the file cannot be written.
bool emit(const std::string& content, const std::string& output_file, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
