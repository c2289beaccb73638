// Checking JSON text before anything is built from it: syntax and nesting, each problem at its
// line and column. `archsim diff` reads results.json and the importers read Terraform plans and
// CloudFormation templates through it.
#pragma once

#include <string>
#include <string_view>

#include "archsim/model/source.hpp"

namespace archsim::model {

/// True when `text` is JSON nested at most limits::kMaxJsonDepth levels. Otherwise reports, at
/// the culprit's line and column, "nesting deeper than 64 levels; not <expected>" or "not
/// valid JSON: <the parser's words>". Nesting is checked first, by a scan: the parser keeps a
/// stack entry per level, so a file of '[' would cost memory in proportion to its size.
bool check_json(std::string_view text, const std::string& file, std::string_view expected, Diagnostics& diagnostics);

}  // namespace archsim::model
