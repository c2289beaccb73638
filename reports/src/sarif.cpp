#include <algorithm>

#include "archsim/model/rules.hpp"
#include "archsim/reports/review.hpp"

namespace archsim::reports {

namespace {

std::string_view level(model::Severity s) {
  switch (s) {
    case model::Severity::Error: return "error";
    case model::Severity::Warning: return "warning";
    case model::Severity::Note: return "note";
  }
  return "warning";
}

nlohmann::json sarif_location(const model::SourceLoc& loc, const std::string& path) {
  nlohmann::json physical{{"artifactLocation", {{"uri", loc.file}}}};
  if (loc.known()) physical["region"] = {{"startLine", loc.line}, {"startColumn", loc.column}};
  nlohmann::json out{{"physicalLocation", physical}};
  if (!path.empty()) out["logicalLocations"] = nlohmann::json::array({{{"fullyQualifiedName", path}, {"kind", "member"}}});
  return out;
}

}  // namespace

nlohmann::json review_sarif(const ReviewReport& report, std::string_view version) {
  nlohmann::json rules = nlohmann::json::array();
  const auto& catalog = model::rule_catalog();
  for (const auto& r : catalog) {
    rules.push_back({{"id", r.id},
                     {"name", r.id},
                     {"shortDescription", {{"text", r.title}}},
                     {"help", {{"text", r.hint}}},
                     {"helpUri", r.source},
                     {"defaultConfiguration", {{"level", level(r.severity)}}},
                     {"properties", {{"category", r.category}}}});
  }
  // Load problems are results of a pseudo-rule so that code review shows them in place too.
  rules.push_back({{"id", "scenario-load"},
                   {"name", "scenario-load"},
                   {"shortDescription", {{"text", "The scenario file could not be read as written"}}},
                   {"help", {{"text", "Fix the key or value the message names; see docs/scenario-format.md."}}},
                   {"defaultConfiguration", {{"level", "error"}}}});
  const auto load_index = static_cast<int>(catalog.size());

  nlohmann::json results = nlohmann::json::array();
  for (const auto& d : report.diagnostics) {
    results.push_back({{"ruleId", "scenario-load"},
                       {"ruleIndex", load_index},
                       {"level", level(d.severity)},
                       {"message", {{"text", d.message}}},
                       {"locations", nlohmann::json::array({sarif_location(d.loc, d.path)})}});
  }
  for (const auto& f : report.findings) {
    const auto it = std::find_if(catalog.begin(), catalog.end(), [&](const model::Rule& r) { return r.id == f.rule; });
    results.push_back({{"ruleId", f.rule},
                       {"ruleIndex", static_cast<int>(it - catalog.begin())},
                       {"level", level(f.severity)},
                       {"message", {{"text", f.message}}},
                       {"locations", nlohmann::json::array({sarif_location(f.loc, f.path)})},
                       {"properties", {{"alternative", f.alternative}}}});
  }
  nlohmann::json run{{"tool",
                      {{"driver",
                        {{"name", "archsim"},
                         {"version", std::string(version)},
                         {"rules", rules}}}}},
                     {"results", results},
                     {"columnKind", "unicodeCodePoints"}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({run})}};
}

}  // namespace archsim::reports
