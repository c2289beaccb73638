#include "archsim/reports/explore_report.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/spec.hpp"
#include "archsim/reports/document.hpp"
#include "archsim/reports/run_report.hpp"

namespace archsim::reports {

std::string_view to_string(Feasibility f) {
  switch (f) {
    case Feasibility::Meets: return "meets";
    case Feasibility::Undecided: return "undecided";
    case Feasibility::Fails: return "fails";
    case Feasibility::Rejected: return "rejected";
  }
  return "undecided";
}

std::string_view to_string(FrontStatus s) {
  switch (s) {
    case FrontStatus::Front: return "front";
    case FrontStatus::Tied: return "tied";
    case FrontStatus::Dominated: return "dominated";
    case FrontStatus::ScreenedOut: return "screened out";
    case FrontStatus::Infeasible: return "infeasible";
  }
  return "screened out";
}

namespace {

std::string figure(const std::string& metric, const ExploreVariant& v) {
  const model::MetricInfo* info = model::find_metric(metric);
  const sim::Estimate* e = v.metric(metric);
  return info != nullptr && e != nullptr ? compact_estimate(*info, *e) : "—";
}

nlohmann::json variant_json(const ExploreReport& r, const ExploreVariant& v, bool is_variant) {
  nlohmann::json j{{"id", v.id}, {"feasibility", to_string(v.feasibility)}};
  if (is_variant) {
    j["index"] = v.index;
    nlohmann::json choices = nlohmann::json::object();
    for (std::size_t d = 0; d < v.choices.size() && d < r.dimensions.size(); ++d) choices[r.dimensions[d].name] = v.choices[d];
    j["choices"] = choices;
    j["front"] = to_string(v.front);
    if (!v.tied_with.empty()) j["tied_with"] = v.tied_with;
  }
  if (!v.findings.empty()) j["findings"] = v.findings;
  nlohmann::json evaluations = nlohmann::json::array();
  for (const auto& e : v.evaluations) {
    nlohmann::json one{{"stage", e.stage}};
    if (!e.error.empty()) {
      one["error"] = e.error;
    } else {
      one["fidelity"] = e.fidelity;
      one["replications"] = e.replications;
      nlohmann::json metrics = nlohmann::json::object();
      for (const auto& [name, m] : e.metrics) metrics[name] = {{"mean", m.mean}, {"half_width", m.half_width}, {"n", m.n}};
      one["metrics"] = metrics;
      nlohmann::json constraints = nlohmann::json::object();
      for (const auto& [id, verdict] : e.constraints) constraints[id] = to_string(verdict);
      one["constraints"] = constraints;
    }
    evaluations.push_back(std::move(one));
  }
  j["evaluations"] = evaluations;
  if (!v.alternative_yaml.empty()) j["alternative_yaml"] = v.alternative_yaml;
  return j;
}

std::vector<const ExploreVariant*> on_front(const ExploreReport& r) {
  std::vector<const ExploreVariant*> out;
  for (const auto& v : r.variants) {
    if (v.front == FrontStatus::Front || v.front == FrontStatus::Tied) out.push_back(&v);
  }
  return out;
}

std::string better_word(const ExploreObjective& o) { return o.higher_is_better ? "higher" : "lower"; }

std::string best_sentence(const ExploreReport& r) {
  const std::string by = fmt::format("{} {}", r.pick.higher_is_better ? "highest" : "lowest", r.pick.metric);
  if (!r.best) {
    return fmt::format("No confirmed variant meets every constraint ({}); none is best by {}.", fmt::join(r.constraints, ", "), by);
  }
  const ExploreVariant& v = r.variants[*r.best];
  return fmt::format("Best variant meeting every constraint ({}), by {}: {} at {}.", fmt::join(r.constraints, ", "), by, v.id,
                     figure(r.pick.metric, v));
}

/// The variant's options in the dimensions' order; the table's header names the dimensions.
std::string choices_text(const ExploreVariant& v) { return fmt::format("{}", fmt::join(v.choices, " · ")); }

std::string dimensions_text(const ExploreReport& r) {
  std::vector<std::string> names;
  for (const auto& d : r.dimensions) names.push_back(d.name);
  return fmt::format("{}", fmt::join(names, " · "));
}

std::size_t count(const ExploreReport& r, FrontStatus s) {
  return static_cast<std::size_t>(std::count_if(r.variants.begin(), r.variants.end(), [s](const auto& v) { return v.front == s; }));
}

std::string summary_line(const ExploreReport& r) {
  std::size_t rejected = 0, unpriced = 0, unfit = 0, failing = 0;
  for (const auto& v : r.variants) {
    failing += v.feasibility == Feasibility::Fails ? 1 : 0;
    if (v.feasibility != Feasibility::Rejected) continue;
    // Rejected after the review found nothing wrong (tools/explore/src/evaluate.cpp): for
    // missing prices, or a usage block that does not fit the variant.
    const auto only = [&](std::string_view prefix) {
      return !v.findings.empty() && std::all_of(v.findings.begin(), v.findings.end(), [&](const std::string& f) { return f.starts_with(prefix); });
    };
    if (only("missing-price:")) ++unpriced;
    else if (only("usage:")) ++unfit;
    else ++rejected;
  }
  std::string others;
  if (unpriced > 0) others += fmt::format(", {} without a price in the book", unpriced);
  if (unfit > 0) others += fmt::format(", {} the usage block does not fit", unfit);
  return fmt::format("{} variants of {} ({} search); {} rejected by the review{}, {} failing a constraint; {} on the front, {} tied, {} dominated, "
                     "{} screened out; {} evaluations; seed {}, {} simulated.",
                     r.space_size, r.base, r.method, rejected, others, failing, count(r, FrontStatus::Front),
                     count(r, FrontStatus::Tied), count(r, FrontStatus::Dominated), count(r, FrontStatus::ScreenedOut), r.evaluations, r.seed,
                     r.horizon);
}

doc::Style feasibility_style(Feasibility f) {
  return f == Feasibility::Meets ? doc::Style::Pass : f == Feasibility::Undecided ? doc::Style::Warn : doc::Style::Fail;
}

doc::Table front_table(const ExploreReport& r) {
  doc::Table t{{"variant", dimensions_text(r)}, {doc::Align::Left, doc::Align::Left}, {}};
  for (const auto& o : r.objectives) {
    t.header.push_back(fmt::format("{} ({})", o.metric, o.higher_is_better ? "max" : "min"));
    t.align.push_back(doc::Align::Right);
  }
  t.header.insert(t.header.end(), {"constraints", "on the front"});
  for (const ExploreVariant* v : on_front(r)) {
    std::vector<doc::Text> row{doc::styled(v->id, doc::Style::Code), doc::plain(choices_text(*v))};
    for (const auto& o : r.objectives) row.push_back(doc::plain(figure(o.metric, *v)));
    row.push_back(doc::styled(std::string(to_string(v->feasibility)), feasibility_style(v->feasibility)));
    row.push_back(doc::plain(v->front == FrontStatus::Tied ? "tied with " + v->tied_with : "yes"));
    t.rows.push_back(std::move(row));
  }
  return t;
}

doc::Table alternatives_table(const ExploreReport& r) {
  doc::Table t{{"document's alternative"}, {doc::Align::Left}, {}};
  for (const auto& o : r.objectives) {
    t.header.push_back(o.metric);
    t.align.push_back(doc::Align::Right);
  }
  t.header.push_back("constraints");
  for (const auto& a : r.alternatives) {
    std::vector<doc::Text> row{doc::styled(a.id, doc::Style::Code)};
    for (const auto& o : r.objectives) row.push_back(doc::plain(figure(o.metric, a)));
    row.push_back(doc::styled(std::string(to_string(a.feasibility)), feasibility_style(a.feasibility)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

/// Cost (x) against one other objective (y): the front labelled, the other confirmed variants,
/// the screened ones, and the document's alternatives on the same axes.
std::optional<doc::ScatterChart> scatter(const ExploreReport& r, const std::string& y_metric) {
  const model::MetricInfo* yi = model::find_metric(y_metric);
  if (yi == nullptr) return std::nullopt;
  const bool percent = yi->unit == model::MetricUnit::Ratio;
  const double y_scale = percent ? 100 : 1;
  const std::string y_unit = percent ? "%" : yi->unit == model::MetricUnit::Milliseconds ? "ms" : yi->unit == model::MetricUnit::Hours ? "h" : "USD";
  doc::ScatterChart c{fmt::format("cost.monthly against {}", y_metric), "cost.monthly", "USD", y_metric, y_unit, {},
                      percent ? std::optional<double>(100) : std::nullopt};
  const auto point = [&](const ExploreVariant& v) -> std::optional<doc::ScatterPoint> {
    const sim::Estimate* x = v.metric("cost.monthly");
    const sim::Estimate* y = v.metric(y_metric);
    if (x == nullptr || y == nullptr) return std::nullopt;
    return doc::ScatterPoint{x->mean, y->mean * y_scale, x->has_interval() ? x->half_width : 0, y->has_interval() ? y->half_width * y_scale : 0, v.id};
  };
  // Only the front and the document's alternatives are named on the chart: tied variants sit
  // beside the front variant they are tied with, and their names would cover it.
  doc::ScatterGroup front{"on the front", {}, true}, tied{"tied with the front", {}, false}, others{"confirmed, dominated", {}, false},
      screened{"screened out", {}, false}, alternatives{"the document's alternatives", {}, true};
  for (const auto& v : r.variants) {
    const auto p = point(v);
    if (!p || v.feasibility == Feasibility::Rejected) continue;
    if (v.front == FrontStatus::Front) front.points.push_back(*p);
    else if (v.front == FrontStatus::Tied) tied.points.push_back(*p);
    else if (v.front == FrontStatus::Dominated) others.points.push_back(*p);
    else if (v.front == FrontStatus::ScreenedOut) screened.points.push_back(*p);
  }
  for (const auto& a : r.alternatives) {
    if (const auto p = point(a)) alternatives.points.push_back(*p);
  }
  for (auto* g : {&front, &tied, &others, &screened, &alternatives}) {
    if (!g->points.empty()) c.groups.push_back(std::move(*g));
  }
  return c;
}

doc::Document explore_document(const ExploreReport& r, const std::string& version) {
  doc::Document d;
  d.title = fmt::format("archsim explore: {}", r.scenario);
  d.marker = comment_marker(r.scenario + ".explore");
  d.blocks.push_back({doc::Heading{1, doc::plain(fmt::format("Design-space search: {}", r.scenario))}});
  d.blocks.push_back({doc::Paragraph{doc::plain(summary_line(r))}});
  d.blocks.push_back({doc::Paragraph{r.best ? doc::styled(best_sentence(r), doc::Style::Pass) : doc::styled(best_sentence(r), doc::Style::Fail)}});
  if (r.best) {
    d.blocks.push_back({doc::Paragraph{{{"Paste it under ", doc::Style::Plain}, {"alternatives:", doc::Style::Code}, {" to keep it:", doc::Style::Plain}}}});
    d.blocks.push_back({doc::Code{"yaml", r.variants[*r.best].alternative_yaml}});
  }
  d.blocks.push_back({doc::Heading{2, doc::plain("Pareto front")}});
  if (r.front_of_failing) {
    d.blocks.push_back({doc::Paragraph{doc::styled("No variant can meet every constraint: the front below is of variants that fail one, to show the trade-off and how close they come.", doc::Style::Warn)}});
  }
  d.blocks.push_back({front_table(r)});
  for (const auto& o : r.objectives) {
    if (o.metric == "cost.monthly") continue;
    if (auto chart = scatter(r, o.metric)) d.blocks.push_back({doc::Details{doc::plain(chart->title), {{*chart}}, true}});
  }
  if (!r.alternatives.empty()) {
    d.blocks.push_back({doc::Heading{2, doc::plain("The document's alternatives, on the same terms")}});
    d.blocks.push_back({alternatives_table(r)});
  }
  std::vector<doc::Block> pastes;
  for (const ExploreVariant* v : on_front(r)) pastes.push_back({doc::Code{"yaml", v->alternative_yaml}});
  if (!pastes.empty()) d.blocks.push_back({doc::Details{doc::plain("Every front variant as an alternative to paste"), pastes, false}});
  d.blocks.push_back({doc::Paragraph{doc::styled(fmt::format("archsim {}; docs/explore.md explains the method.", version), doc::Style::Muted)}});
  return d;
}

}  // namespace

nlohmann::json explore_json(const ExploreReport& r, const std::string& version) {
  nlohmann::json j{{"schema", "archsim.explore/1"}, {"archsim_version", version}, {"file", r.file},   {"scenario", r.scenario},
                   {"base", r.base},                {"seed", r.seed},               {"horizon", r.horizon}, {"method", r.method}};
  nlohmann::json dims = nlohmann::json::array();
  for (const auto& d : r.dimensions) dims.push_back({{"name", d.name}, {"options", d.options}});
  j["space"] = {{"size", r.space_size}, {"dimensions", dims}};
  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : r.objectives) objectives.push_back({{"metric", o.metric}, {"better", better_word(o)}});
  j["objectives"] = objectives;
  j["constraints"] = r.constraints;
  j["evaluations"] = r.evaluations;
  nlohmann::json best{{"metric", r.pick.metric}, {"better", better_word(r.pick)}, {"variant", nullptr}};
  if (r.best) best["variant"] = r.variants[*r.best].id;
  j["best"] = best;
  nlohmann::json front = nlohmann::json::array();
  for (const ExploreVariant* v : on_front(r)) front.push_back(v->id);
  j["front"] = front;
  j["front_of_failing"] = r.front_of_failing;
  nlohmann::json variants = nlohmann::json::array();
  for (const auto& v : r.variants) variants.push_back(variant_json(r, v, true));
  j["variants"] = variants;
  nlohmann::json alternatives = nlohmann::json::array();
  for (const auto& a : r.alternatives) alternatives.push_back(variant_json(r, a, false));
  j["alternatives"] = alternatives;
  return j;
}

std::string render_explore_text(const ExploreReport& r) {
  std::string out = fmt::format("archsim explore: {} ({})\n{}\n\n", r.scenario, r.file, summary_line(r));
  out += r.front_of_failing ? "Pareto front of variants that FAIL a constraint (none can meet them all):\n"
                            : "Pareto front (confirmed variants no other beats beyond its interval):\n";
  out += doc::render_text_table(front_table(r));
  if (!r.alternatives.empty()) {
    out += "\nThe document's alternatives, on the same terms:\n";
    out += doc::render_text_table(alternatives_table(r));
  }
  out += "\n" + best_sentence(r) + "\n";
  if (r.best) out += "\n" + r.variants[*r.best].alternative_yaml;
  return out;
}

std::string render_explore_markdown(const ExploreReport& r, const std::string& version) {
  return doc::render_markdown(explore_document(r, version));
}

std::string render_explore_html(const ExploreReport& r, const std::string& version) { return doc::render_html(explore_document(r, version)); }

}  // namespace archsim::reports
