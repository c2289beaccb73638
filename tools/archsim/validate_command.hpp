// `archsim validate FILE [--strict] [--format text|json|sarif] [--output FILE]`:
// load a scenario, run the design-review rules on every alternative, print the findings.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "archsim/reports/review.hpp"
#include "output.hpp"

namespace archsim::cli {

struct ValidateOptions {
  std::string file;
  bool allow_outside_paths = false;  ///< --allow-outside-paths (model::LoadOptions)
  bool strict = false;
  std::string format = "text";
  std::string output;
  std::vector<std::string> parameters;  ///< --parameter Key=Value, for a CloudFormation template named directly
  std::string price_book_dir;           ///< --price-book, read as `run` and `price` read it
};

void setup_validate(CLI::App& app, ValidateOptions& options);
/// The file argument and review options shared by `validate` and `run`.
void add_review_options(CLI::App& command, ValidateOptions& options);
/// The static review of a loaded scenario (findings only when it loaded cleanly).
reports::ReviewReport review(const Loaded& loaded, const std::string& file);
int run_validate(const ValidateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace archsim::cli
