// `archsim validate --format sarif`: the review as SARIF 2.1.0, for code-review tools
// (GitHub code scanning, GitLab, VS Code's SARIF viewer) that show findings in place in the
// YAML and track them from push to push. What each property means to those consumers is in
// docs/review-outputs.md.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include <fmt/format.h>

#include "archsim/model/rules.hpp"
#include "archsim/reports/review.hpp"
#include "archsim/reports/rule_docs.hpp"

namespace archsim::reports {

namespace {

/// SARIF's levels are archsim's severity names (`error`, `warning`, `note`).
std::string_view level(model::Severity s) { return model::to_string(s); }

nlohmann::json sarif_location(const model::SourceLoc& loc, const std::string& path) {
  nlohmann::json physical{{"artifactLocation", {{"uri", loc.file}}}};
  if (loc.known()) physical["region"] = {{"startLine", loc.line}, {"startColumn", loc.column}};
  nlohmann::json out{{"physicalLocation", physical}};
  if (!path.empty()) out["logicalLocations"] = nlohmann::json::array({{{"fullyQualifiedName", path}, {"kind", "member"}}});
  return out;
}

/// SARIF's `name` is meant for people and tools that key on identifiers (`TaskNoEgressPath`),
/// `id` is the stable kebab-case id archsim prints; one is derived from the other so they cannot drift.
std::string pascal_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (const char c : id) {
    if (c == '-' || c == '.' || c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

/// FNV-1a, 64 bit: small, specified byte by byte, so the fingerprint is the same on every
/// platform and release (std::hash is neither).
std::string fnv1a_hex(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

/// What identifies a finding across pushes: the rule, the alternative and the dotted path of
/// the value at fault, and which of the results with those three it is (two zones of one list,
/// two routes of one table), counted in file order. Not the line: inserting a line above a
/// finding must not make it new. Not the message: it quotes figures that change with the design.
class Fingerprints {
 public:
  nlohmann::json next(std::string_view rule, std::string_view alternative, std::string_view path) {
    const std::string key = fmt::format("{}\n{}\n{}", rule, alternative, path);
    const int occurrence = seen_[key]++;
    return {{"archsimFinding/v1", fnv1a_hex(fmt::format("{}\n{}", key, occurrence))}};
  }

 private:
  std::map<std::string, int> seen_;
};

nlohmann::json rule_descriptor(const model::Rule& r, const model::SecurityPolicy& security) {
  const std::string doc = rule_doc_anchor(r.id);
  nlohmann::json properties{{"category", r.category}, {"tags", nlohmann::json::array({r.category})}, {"documentation", doc}};
  const std::string score = security.score_of(r.category, r.severity);
  if (!score.empty()) {
    // GitHub files a rule as a security alert only when its tags include `security`.
    properties["tags"] = nlohmann::json::array({"security", r.category});
    properties["security-severity"] = score;
  }
  return {{"id", r.id},
          {"name", pascal_case(r.id)},
          {"shortDescription", {{"text", r.title}}},
          {"fullDescription",
           {{"text", fmt::format("{}. Category {}, severity {}: {}. It rests on {}.", r.title, r.category, model::to_string(r.severity),
                                 severity_meaning(r.severity), r.source)}}},
          {"help",
           {{"text", fmt::format("{} See {} and {}.", r.hint, doc, r.source)},
            {"markdown", fmt::format("{}\n\nRule: [`{}`]({}). AWS source: <{}>.", r.hint, r.id, doc, r.source)}}},
          // SARIF 2.1.0 (3.49.12) wants an absolute URI here; the rule's AWS source is the
          // public one it has. Its archsim page is in `help` and `properties.documentation`.
          {"helpUri", r.source},
          {"defaultConfiguration", {{"level", level(r.severity)}}},
          {"properties", properties}};
}

}  // namespace

nlohmann::json review_sarif(const ReviewReport& report, const model::SecurityPolicy& security, std::string_view version,
                            std::string_view information_uri) {
  nlohmann::json rules = nlohmann::json::array();
  const auto& catalog = model::rule_catalog();
  for (const auto& r : catalog) {
    rules.push_back(rule_descriptor(r, security));
  }
  // Load problems are results of a pseudo-rule so that code review shows them in place too.
  rules.push_back({{"id", "scenario-load"},
                   {"name", "ScenarioLoad"},
                   {"shortDescription", {{"text", "The scenario file could not be read as written"}}},
                   {"fullDescription",
                    {{"text", "A key or value of the scenario or of a topology file it names is missing, unknown or of the wrong "
                              "kind, so archsim cannot review or simulate the design as written."}}},
                   {"help", {{"text", "Fix the key or value the message names; see docs/scenario-format.md."}}},
                   {"defaultConfiguration", {{"level", "error"}}},
                   {"properties", {{"category", "input"}, {"tags", nlohmann::json::array({"input"})}, {"documentation", "docs/scenario-format.md"}}}});
  const auto load_index = static_cast<int>(catalog.size());

  nlohmann::json results = nlohmann::json::array();
  Fingerprints fingerprints;
  for (const auto& d : report.diagnostics) {
    results.push_back({{"ruleId", "scenario-load"},
                       {"ruleIndex", load_index},
                       {"level", level(d.severity)},
                       {"message", {{"text", d.message}}},
                       {"locations", nlohmann::json::array({sarif_location(d.loc, d.path)})},
                       {"partialFingerprints", fingerprints.next("scenario-load", "", d.path)}});
  }
  for (const auto& f : report.findings) {
    const auto it = std::find_if(catalog.begin(), catalog.end(), [&](const model::Rule& r) { return r.id == f.rule; });
    nlohmann::json properties{{"alternative", f.alternative}};
    if (!f.component.empty()) properties["component"] = f.component;
    if (f.monthly_cost_usd) properties["monthly_cost_usd"] = *f.monthly_cost_usd;
    results.push_back({{"ruleId", f.rule},
                       {"ruleIndex", static_cast<int>(it - catalog.begin())},
                       {"level", level(f.severity)},
                       {"message", {{"text", f.message}}},
                       {"locations", nlohmann::json::array({sarif_location(f.loc, f.path)})},
                       {"partialFingerprints", fingerprints.next(f.rule, f.alternative, f.path)},
                       {"properties", std::move(properties)}});
  }
  nlohmann::json driver{{"name", "archsim"}, {"version", std::string(version)}, {"rules", rules}};
  if (!information_uri.empty()) driver["informationUri"] = std::string(information_uri);
  nlohmann::json run{{"tool", {{"driver", driver}}}, {"results", results}, {"columnKind", "unicodeCodePoints"}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array({run})}};
}

}  // namespace archsim::reports
