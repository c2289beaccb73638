#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "archsim/model/graph.hpp"
#include "archsim/reports/review.hpp"

namespace archsim::reports {

using model::DecisionStatus;
using model::Finding;
using model::Severity;

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Inconclusive: return "inconclusive";
    case Verdict::NotExercised: return "not exercised";
    case Verdict::Pending: return "pending";
  }
  return "pending";
}

std::string_view to_string(DecisionStatus status) {
  switch (status) {
    case DecisionStatus::Chosen: return "chosen";
    case DecisionStatus::Rejected: return "rejected";
    case DecisionStatus::Deferred: return "deferred";
    case DecisionStatus::Considered: return "considered";
  }
  return "considered";
}

bool ReviewReport::input_ok() const {
  return scenario != nullptr &&
         std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const model::Diagnostic& d) { return d.severity == Severity::Error; });
}

bool ReviewReport::has_gating_errors() const {
  if (scenario == nullptr) return false;
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    if (f.severity != Severity::Error) return false;
    const auto* alt = scenario->alternative(f.alternative);
    return alt == nullptr || model::gates_exit_code(alt->status);
  });
}

ReviewReport make_review_report(const std::string& file, const model::ScenarioSpec* scenario,
                                std::vector<model::Diagnostic> diagnostics, std::vector<Finding> findings,
                                const model::AwsFacts& facts) {
  ReviewReport report{file, scenario, std::move(diagnostics), std::move(findings), {}, {}};
  if (scenario == nullptr) return report;
  for (const auto& alt : scenario->alternatives) {
    const model::ArchGraph graph = model::build_graph(alt.topology);
    AlternativeAnalysis analysis{alt.id, model::internet_exposure(graph, alt.topology), {}, {}};
    for (const auto& route : alt.topology.routes) analysis.routes.push_back(model::analyse_route(graph, alt.topology, route));
    for (const auto& zone : alt.topology.zones) analysis.zones.push_back(model::zone_failure(graph, alt.topology, facts, zone));
    report.analyses.push_back(std::move(analysis));
  }
  for (const auto& criterion : scenario->criteria) {
    for (const auto& alt : scenario->alternatives) {
      CriterionVerdict v{criterion.id, alt.id, Verdict::Pending, {}, {}};
      if (!criterion.rules.empty()) {
        for (const auto& rule : criterion.rules) {
          const bool fired = std::any_of(report.findings.begin(), report.findings.end(), [&](const Finding& f) {
            return f.alternative == alt.id && f.rule == rule && f.severity != Severity::Note;
          });
          if (fired) v.fired.push_back(rule);
        }
        v.verdict = v.fired.empty() ? Verdict::Pass : Verdict::Fail;
      }
      if (!criterion.metric.empty()) {
        v.note = fmt::format("metric {} is measured by the simulator (archsim run), not yet available", criterion.metric);
        if (criterion.rules.empty()) v.verdict = Verdict::Pending;
      }
      report.criteria.push_back(std::move(v));
    }
  }
  return report;
}

void FindingCounts::add(Severity s) {
  if (s == Severity::Error) ++errors;
  else if (s == Severity::Warning) ++warnings;
  else ++notes;
}

std::string FindingCounts::text() const {
  return fmt::format("{} error{}, {} warning{}, {} note{}", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", notes,
                     notes == 1 ? "" : "s");
}

FindingCounts count_findings(const ReviewReport& report, std::string_view alternative) {
  FindingCounts counts;
  for (const auto& f : report.findings) {
    if (f.alternative == alternative) counts.add(f.severity);
  }
  return counts;
}

namespace {

std::string render_analysis_text(const AlternativeAnalysis& a) {
  std::string out;
  std::vector<std::string> exposed;
  for (const auto& e : a.exposure) exposed.push_back(fmt::format("{}{} ({})", e.component, e.direct ? " DIRECT" : "", e.how));
  out += fmt::format("-- internet reaches: {}\n", exposed.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(exposed, "; ")));
  for (const auto& r : a.routes) {
    if (!r.connected) {
      out += fmt::format("-- route {}: broken ({})\n", r.route, fmt::join(r.gaps, ", "));
      continue;
    }
    out += fmt::format("-- route {}: single points of failure: {}; zones whose loss breaks it: {}\n", r.route,
                       r.single_points.empty() ? std::string("none") : fmt::format("{}", fmt::join(r.single_points, ", ")),
                       r.single_zones.empty() ? std::string("none") : fmt::format("{}", fmt::join(r.single_zones, ", ")));
  }
  for (const auto& z : a.zones) {
    std::vector<std::string> cut;
    for (const auto& c : z.cut_off) cut.push_back(fmt::format("{} from {}", c.placement, c.need));
    out += fmt::format("-- if {} fails: {} placement{} down; cuts off: {}; routes broken: {}\n", z.zone, z.down.size(),
                       z.down.size() == 1 ? "" : "s", cut.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(cut, ", ")),
                       z.routes_broken.empty() ? std::string("none") : fmt::format("{}", fmt::join(z.routes_broken, ", ")));
  }
  return out;
}

}  // namespace

std::string render_review_text(const ReviewReport& report) {
  std::string out = model::format_diagnostics(report.diagnostics);
  if (report.scenario == nullptr) return out;
  const auto& s = *report.scenario;
  if (!report.diagnostics.empty()) out += "\n";
  out += fmt::format("== {}: {} ({} alternative{}, region {})\n", report.file, s.name, s.alternatives.size(),
                     s.alternatives.size() == 1 ? "" : "s", s.region);
  FindingCounts total;
  for (const auto& alt : s.alternatives) {
    FindingCounts counts;
    std::string body;
    for (const auto& f : report.findings) {
      if (f.alternative != alt.id) continue;
      counts.add(f.severity);
      total.add(f.severity);
      body += fmt::format("{}: {}: {}: {} [{}]\n", model::format_location(f.loc), f.path, model::to_string(f.severity), f.message, f.rule);
      body += fmt::format("    fix: {}\n", f.hint);
    }
    out += fmt::format("\n== alternative {} [{}]: {} -- {}\n", alt.id, to_string(alt.status), alt.title, counts.text());
    out += body.empty() ? "no findings\n" : body;
    for (const auto& a : report.analyses) {
      if (a.alternative == alt.id) out += render_analysis_text(a);
    }
  }
  if (!report.criteria.empty()) {
    out += "\n== criteria (static rules now; metrics once `archsim run` simulates)\n";
    std::size_t width = 9;
    for (const auto& c : s.criteria) width = std::max(width, c.id.size());
    out += fmt::format("{:<{}}", "criterion", width);
    for (const auto& alt : s.alternatives) out += fmt::format("  {:<{}}", alt.id, std::max<std::size_t>(alt.id.size(), 7));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
    for (const auto& c : s.criteria) {
      out += fmt::format("{:<{}}", c.id, width);
      for (const auto& alt : s.alternatives) {
        const auto it = std::find_if(report.criteria.begin(), report.criteria.end(), [&](const CriterionVerdict& v) {
          return v.criterion == c.id && v.alternative == alt.id;
        });
        const std::string cell = it == report.criteria.end() ? "-" : std::string(to_string(it->verdict));
        out += fmt::format("  {:<{}}", cell, std::max<std::size_t>(alt.id.size(), 7));
      }
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n";
    }
  }
  // The counts are the review's findings; the inputs' own warnings (a fault that never fires)
  // head the report, and the summary says they are there.
  const auto input_warnings = std::count_if(report.diagnostics.begin(), report.diagnostics.end(),
                                            [](const model::Diagnostic& d) { return d.severity == Severity::Warning; });
  out += fmt::format("\nsummary: {} across {} alternative{}{}{}\n", total.text(), s.alternatives.size(),
                     s.alternatives.size() == 1 ? "" : "s",
                     input_warnings == 0 ? std::string() : fmt::format("; {} warning{} on the inputs, above", input_warnings, input_warnings == 1 ? "" : "s"),
                     report.has_gating_errors() ? "; errors in a chosen or considered alternative" : "");
  return out;
}

namespace {

nlohmann::json loc_json(const model::SourceLoc& loc) {
  return {{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}

}  // namespace

nlohmann::json review_json(const ReviewReport& report, std::string_view version) {
  nlohmann::json doc;
  doc["schema"] = "archsim.review/1";
  doc["archsim_version"] = std::string(version);
  doc["file"] = report.file;
  doc["diagnostics"] = nlohmann::json::array();
  for (const auto& d : report.diagnostics) {
    doc["diagnostics"].push_back({{"severity", model::to_string(d.severity)},
                                  {"path", d.path},
                                  {"message", d.message},
                                  {"location", loc_json(d.loc)}});
  }
  doc["input_ok"] = report.input_ok();
  if (report.scenario == nullptr) return doc;
  const auto& s = *report.scenario;
  doc["scenario"] = {{"name", s.name}, {"region", s.region}, {"document", s.document}};
  doc["alternatives"] = nlohmann::json::array();
  for (const auto& alt : s.alternatives) {
    nlohmann::json a{{"id", alt.id}, {"title", alt.title}, {"status", to_string(alt.status)}};
    a["findings"] = nlohmann::json::array();
    FindingCounts counts;
    for (const auto& f : report.findings) {
      if (f.alternative != alt.id) continue;
      counts.add(f.severity);
      nlohmann::json finding{{"rule", f.rule},
                             {"severity", model::to_string(f.severity)},
                             {"path", f.path},
                             {"message", f.message},
                             {"hint", f.hint},
                             {"location", loc_json(f.loc)}};
      if (!f.component.empty()) finding["component"] = f.component;
      if (f.monthly_cost_usd) finding["monthly_cost_usd"] = *f.monthly_cost_usd;
      a["findings"].push_back(std::move(finding));
    }
    a["counts"] = {{"error", counts.errors}, {"warning", counts.warnings}, {"note", counts.notes}};
    for (const auto& an : report.analyses) {
      if (an.alternative != alt.id) continue;
      nlohmann::json analysis;
      analysis["exposure"] = nlohmann::json::array();
      for (const auto& e : an.exposure) analysis["exposure"].push_back({{"component", e.component}, {"direct", e.direct}, {"how", e.how}});
      analysis["routes"] = nlohmann::json::array();
      for (const auto& r : an.routes) {
        analysis["routes"].push_back({{"route", r.route},
                                      {"connected", r.connected},
                                      {"gaps", r.gaps},
                                      {"single_points", r.single_points},
                                      {"single_zones", r.single_zones},
                                      {"regional", r.regional}});
      }
      analysis["zone_failures"] = nlohmann::json::array();
      for (const auto& z : an.zones) {
        nlohmann::json cut = nlohmann::json::array();
        for (const auto& c : z.cut_off) cut.push_back({{"placement", c.placement}, {"need", c.need}, {"before", c.detail}});
        analysis["zone_failures"].push_back({{"zone", z.zone}, {"down", z.down}, {"cut_off", cut}, {"routes_broken", z.routes_broken}});
      }
      a["analysis"] = std::move(analysis);
    }
    doc["alternatives"].push_back(std::move(a));
  }
  doc["criteria"] = nlohmann::json::array();
  for (const auto& c : s.criteria) {
    nlohmann::json entry{{"id", c.id}, {"title", c.title}, {"category", c.category}, {"rules", c.rules}};
    if (!c.added_by.empty()) entry["added_by"] = c.added_by;
    if (!c.metric.empty()) entry["metric"] = c.metric;
    if (c.max) entry["max"] = *c.max;
    if (c.min) entry["min"] = *c.min;
    entry["verdicts"] = nlohmann::json::object();
    for (const auto& v : report.criteria) {
      if (v.criterion != c.id) continue;
      nlohmann::json verdict{{"verdict", to_string(v.verdict)}, {"fired", v.fired}};
      if (!v.note.empty()) verdict["note"] = v.note;
      entry["verdicts"][v.alternative] = std::move(verdict);
    }
    doc["criteria"].push_back(std::move(entry));
  }
  doc["gating_errors"] = report.has_gating_errors();
  return doc;
}

}  // namespace archsim::reports
