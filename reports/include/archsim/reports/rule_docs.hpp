// The rule catalogue as text (for `archsim rules`) and as Markdown (docs/rules.md is this
// output, checked by a test so the documentation cannot drift from the code).
#pragma once

#include <string>

namespace archsim::reports {

std::string render_rules_text();
std::string render_rules_markdown();

}  // namespace archsim::reports
