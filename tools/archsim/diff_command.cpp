#include "diff_command.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/cli.hpp"
#include "archsim/model/input_file.hpp"
#include "archsim/model/input_limits.hpp"
#include "archsim/model/json_check.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/reports/run_diff.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_diff(CLI::App& app, DiffOptions& options) {
  auto* diff = app.add_subcommand("diff", "Compare two archsim run results (base and head of a pull request)");
  diff->add_option("base", options.base, "The base run: its results.json, or the --out folder holding it")->required();
  diff->add_option("head", options.head, "The head run: its results.json, or the --out folder holding it")->required();
  diff->add_option("--format", options.format, "Output format: markdown (a pull-request comment) or json (archsim.diff/1)")
      ->check(CLI::IsMember({"markdown", "json"}));
  diff->add_option("-o,--output", options.output, "Write to this file (atomically) instead of stdout");
  add_comment_only_if(*diff, options.comment_only_if);
}

namespace {

/// The JSON of one run, or nullopt after saying what is wrong with it, where.
std::optional<nlohmann::json> read_results(std::string path, std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path = (std::filesystem::path(path) / "results.json").string();
  model::FileProblem problem;
  const auto text = model::read_regular_file(path, model::limits::kMaxResultsJsonBytes, problem);
  if (!text) {
    err << model::escape_controls(path) << ": error: cannot read it: " << problem.message
        << " (expected the results.json that archsim run --out writes)\n";
    return std::nullopt;
  }
  const std::string& content = *text;
  model::Diagnostics problems;
  if (!model::check_json(content, path, "a results.json that archsim run writes", problems)) {
    print_diagnostics(err, problems.all());
    return std::nullopt;
  }
  return nlohmann::json::parse(content);
}

}  // namespace

int run_diff(const DiffOptions& options, std::ostream& out, std::ostream& err) {
  if (options.comment_only_if != "always" && options.format != "markdown") {
    err << "archsim diff: --comment-only-if decides whether the Markdown comment is written; --format " << options.format
        << " writes no comment (leave out one of the two)\n";
    return kBadInput;
  }
  const auto base = read_results(options.base, err);
  const auto head = read_results(options.head, err);
  if (!base || !head) return kBadInput;
  std::string error;
  const auto diff = reports::diff_runs(*base, options.base, *head, options.head, error);
  if (!diff) {
    err << error << "\n";
    return kBadInput;
  }
  const int code = diff->fails() ? kFindings : kOk;
  if (options.comment_only_if == "failing" && !diff->head_fails()) {
    say_no_comment(err, "diff", options.comment_only_if, "no gate fails the run in head");
    return code;
  }
  if (options.comment_only_if == "changed" && !diff->changed()) {
    say_no_comment(err, "diff", options.comment_only_if, "no figure moved beyond its noise, and no verdict, status or gate changed");
    return code;
  }
  const std::string content = options.format == "json" ? json_text(reports::diff_json(*diff, ARCHSIM_VERSION))
                                                       : reports::doc::render_markdown(reports::diff_document(*diff, ARCHSIM_VERSION));
  if (!emit(content, options.output, out, err)) return kBadInput;
  return code;
}

}  // namespace archsim::cli
