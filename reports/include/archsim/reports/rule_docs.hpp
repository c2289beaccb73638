// The rule catalogue as text (for `archsim rules`) and as Markdown (docs/rules.md is this
// output, checked by a test so the documentation cannot drift from the code), and the pieces
// of that page other outputs point to (SARIF's rule descriptions link each rule's anchor).
#pragma once

#include <string>
#include <string_view>

#include "archsim/model/source.hpp"

namespace archsim::reports {

std::string render_rules_text();
std::string render_rules_markdown();

/// What a severity means for a rule, in a clause ("AWS would reject the design or it cannot work as written").
std::string_view severity_meaning(model::Severity severity);

/// `docs/rules.md#<id>`: the rule's row in docs/rules.md, relative to the repository root.
std::string rule_doc_anchor(std::string_view rule_id);

}  // namespace archsim::reports
