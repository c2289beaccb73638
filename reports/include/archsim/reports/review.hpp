// The design-review report: load diagnostics, findings per alternative, static criteria.
//
// `ReviewReport` is the one result model of `archsim validate`; the text, JSON and SARIF
// renderers are pure functions of it. Criteria measured by rules are judged here (pass when
// none of their rules fires at warning or error severity on the alternative); criteria with a
// metric wait for the simulator and say so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/model/rules.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::reports {

/// Pending: not judged yet (no simulation); NotExercised: judged on a fault or deployment that
/// did not happen after the warm-up (or on no traffic at all), so the run cannot vouch for it.
/// Neither is ever a pass.
enum class Verdict { Pass, Fail, Inconclusive, Pending, NotExercised };

struct CriterionVerdict {
  std::string criterion;
  std::string alternative;
  Verdict verdict = Verdict::Pending;
  std::vector<std::string> fired;  ///< rules of the criterion that fired
  std::string note;
};

/// The reviewer queries of graph.hpp, answered for one alternative.
struct AlternativeAnalysis {
  std::string alternative;
  std::vector<model::Exposure> exposure;
  std::vector<model::RouteAnalysis> routes;
  std::vector<model::ZoneFailureImpact> zones;  ///< one per zone of the topology
};

struct ReviewReport {
  std::string file;
  const model::ScenarioSpec* scenario = nullptr;  ///< null when the file could not be decoded
  std::vector<model::Diagnostic> diagnostics;
  std::vector<model::Finding> findings;
  std::vector<CriterionVerdict> criteria;
  std::vector<AlternativeAnalysis> analyses;

  bool input_ok() const;
  /// Error findings count against alternatives that are chosen or still considered; a
  /// rejected or deferred alternative's errors are information, not a gate.
  bool has_gating_errors() const;
};

/// Judges the static criteria and, for a loaded scenario, answers the graph queries per alternative.
ReviewReport make_review_report(const std::string& file, const model::ScenarioSpec* scenario,
                                std::vector<model::Diagnostic> diagnostics, std::vector<model::Finding> findings,
                                const model::AwsFacts& facts);

std::string_view to_string(Verdict verdict);
std::string_view to_string(model::DecisionStatus status);

/// Findings by severity, as the reports count them.
struct FindingCounts {
  int errors = 0, warnings = 0, notes = 0;
  void add(model::Severity s);
  /// `2 errors, 1 warning, 0 notes`
  std::string text() const;
};
/// The findings of one alternative.
FindingCounts count_findings(const ReviewReport& report, std::string_view alternative);

std::string render_review_text(const ReviewReport& report);
nlohmann::json review_json(const ReviewReport& report, std::string_view version);

/// SARIF 2.1.0 with one result per finding and per load diagnostic, located in the YAML, each
/// with a line-free fingerprint (rule, alternative, dotted path); rules of the categories
/// `security` names carry GitHub's `security-severity`. `information_uri` (archsim's home
/// page, absolute) becomes the driver's `informationUri`; empty leaves it out.
nlohmann::json review_sarif(const ReviewReport& report, const model::SecurityPolicy& security, std::string_view version,
                            std::string_view information_uri = {});

}  // namespace archsim::reports
