// The search: screen every variant, confirm those the screening cannot rule out, and place the
// confirmed ones on the Pareto front (docs/explore.md, "Method" and "Statistics").
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/model/text_check.hpp"
#include "variants.hpp"

namespace archsim::explore {

namespace {

using reports::ExploreEvaluation;
using reports::ExploreVariant;
using reports::Feasibility;
using reports::FrontStatus;
using reports::Verdict;

Verdict verdict_named(const std::string& text) {
  for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Inconclusive, Verdict::NotExercised, Verdict::Pending}) {
    if (reports::to_string(v) == text) return v;
  }
  return Verdict::Pending;
}

/// Reads one result into `variant`; a variant that cannot load is the scenario's error.
void read_result(const std::string& text, const Stage& stage, ExploreVariant& variant) {
  const auto result = nlohmann::json::parse(text);
  if (result.contains("load_error")) {
    std::string message;
    for (const auto& line : result.at("load_error")) message += (message.empty() ? "" : "\n") + line.get<std::string>();
    throw std::runtime_error(fmt::format("{}\n(variant {}: {})", message, variant.id, fmt::join(variant.choices, "; ")));
  }
  if (result.contains("rejected")) {
    variant.findings = result.at("rejected").get<std::vector<std::string>>();
    variant.feasibility = Feasibility::Rejected;
    variant.front = FrontStatus::Infeasible;
    return;
  }
  ExploreEvaluation e;
  e.stage = stage.name;
  if (result.contains("error")) {
    e.error = result.at("error").get<std::string>();
    variant.evaluations.push_back(std::move(e));
    variant.feasibility = Feasibility::Fails;
    variant.front = FrontStatus::Infeasible;
    return;
  }
  e.fidelity = result.at("fidelity").get<std::string>();
  e.replications = result.at("replications").get<int>();
  for (const auto& [name, v] : result.at("metrics").items()) {
    e.metrics[name] = sim::Estimate{v[0].get<double>(), v[1].get<double>(), v[2].get<int>(), 0.95, v[3].get<double>()};
  }
  if (result.contains("constraints")) {
    for (const auto& c : result.at("constraints")) e.constraints.emplace_back(c[0].get<std::string>(), verdict_named(c[1].get<std::string>()));
  }
  bool fails = false, undecided = false;
  for (const auto& [id, verdict] : e.constraints) {
    fails = fails || verdict == Verdict::Fail;
    undecided = undecided || verdict != Verdict::Pass;
  }
  variant.feasibility = fails ? Feasibility::Fails : undecided ? Feasibility::Undecided : Feasibility::Meets;
  variant.front = fails ? FrontStatus::Infeasible : FrontStatus::ScreenedOut;
  variant.evaluations.push_back(std::move(e));
}

/// An objective's value oriented so that lower is better, and its interval's ends; a metric
/// the run could not measure (no successful request has no latency) is the worst there is.
struct Oriented {
  double mean, low, high;
};
Oriented oriented(const ExploreVariant& v, const reports::ExploreObjective& o) {
  const auto* e = v.latest();
  const auto it = e != nullptr ? e->metrics.find(o.metric) : decltype(e->metrics.end()){};
  if (e == nullptr || it == e->metrics.end() || !std::isfinite(it->second.mean)) {
    const double inf = std::numeric_limits<double>::infinity();
    return {inf, inf, inf};
  }
  const sim::Estimate& x = it->second;
  const double hw = x.has_interval() ? x.half_width : 0;
  return o.higher_is_better ? Oriented{-x.mean, -x.mean - hw, -x.mean + hw} : Oriented{x.mean, x.mean - hw, x.mean + hw};
}

/// p's means are at least as good as q's on every objective and better on one.
bool mean_dominates(const ExploreVariant& p, const ExploreVariant& q, const std::vector<reports::ExploreObjective>& objectives) {
  bool better = false;
  for (const auto& o : objectives) {
    const auto a = oriented(p, o), b = oriented(q, o);
    if (a.mean > b.mean) return false;
    better = better || a.mean < b.mean;
  }
  return better;
}

/// Dominance that the intervals support: p mean-dominates q and, on at least one objective,
/// p's whole interval is better than q's whole interval.
bool dominates_beyond_noise(const ExploreVariant& p, const ExploreVariant& q, const std::vector<reports::ExploreObjective>& objectives) {
  if (!mean_dominates(p, q, objectives)) return false;
  return std::ranges::any_of(objectives, [&](const auto& o) { return oriented(p, o).high < oriented(q, o).low; });
}

bool in_play(const ExploreVariant& v) { return v.feasibility == Feasibility::Meets || v.feasibility == Feasibility::Undecided; }

/// Which variants the front is drawn over: those that meet the constraints or may (undecided);
/// when none can, those that fail them, so the reader still sees the trade-off and how far the
/// best come from the bounds (ExploreReport::front_of_failing).
struct Eligibility {
  bool failing = false;
  bool operator()(const ExploreVariant& v) const {
    if (in_play(v)) return true;
    return failing && v.feasibility == Feasibility::Fails && v.latest() != nullptr && v.latest()->error.empty();
  }
  /// Whose dominance rules another out: a variant that meets every constraint (or, on a front
  /// of failing variants, any of them).
  bool rules_out(const ExploreVariant& v) const { return v.feasibility == Feasibility::Meets || (failing && (*this)(v)); }
};

/// Places every eligible variant: dominated beyond noise by one that meets every constraint,
/// tied with one that mean-dominates it, or on the front. Returns how many are on the front.
std::size_t place_on_front(std::vector<ExploreVariant*> variants, const std::vector<reports::ExploreObjective>& objectives, Eligibility eligible) {
  std::size_t front = 0;
  for (ExploreVariant* q : variants) {
    if (!eligible(*q)) continue;
    q->front = FrontStatus::Front;
    q->tied_with.clear();
    for (const ExploreVariant* p : variants) {
      if (p == q || !eligible(*p)) continue;
      if (eligible.rules_out(*p) && dominates_beyond_noise(*p, *q, objectives)) {
        q->front = FrontStatus::Dominated;
        q->tied_with.clear();
        break;
      }
      if (q->front == FrontStatus::Front && mean_dominates(*p, *q, objectives)) {
        q->front = FrontStatus::Tied;
        q->tied_with = p->id;
      }
    }
    front += q->front == FrontStatus::Front ? 1 : 0;
  }
  return front;
}

std::string task_for(std::uint64_t index, const Stage& stage) {
  return nlohmann::json{{"variant", index}, {"stage", stage.name}}.dump();
}

}  // namespace

reports::ExploreReport run_explore(const ExploreInputs& inputs, BatchRunner& runner,
                                   const std::function<void(const ExploreProgress&)>& progress) {
  const ExploreSpec& spec = inputs.spec;
  reports::ExploreReport report;
  report.scenario = inputs.scenario.name;
  report.file = inputs.file;
  report.base = spec.base;
  report.seed = inputs.seed.value_or(inputs.workload.seed);
  report.horizon = model::format_duration(inputs.horizon.value_or(inputs.workload.horizon));
  for (const auto& d : spec.dimensions) {
    reports::ExploreDimension dim{d.name, {}};
    for (const auto& o : d.options) dim.options.push_back(o.label);
    report.dimensions.push_back(std::move(dim));
  }
  report.space_size = spec.space_size();
  report.objectives = spec.objectives;
  report.constraints = spec.criteria;
  if (spec.budget) report.constraints.push_back("budget");
  report.pick = spec.pick;
  report.method = "exhaustive";
  const Stage& confirmation = spec.confirmation;

  // Screening: every variant, cheaply.
  std::vector<std::string> tasks;
  for (std::uint64_t i = 0; i < report.space_size; ++i) tasks.push_back(task_for(i, spec.screening));
  const auto batch = [&](const std::string& stage, const std::vector<std::string>& batch_tasks) {
    return runner.run(batch_tasks, [&](std::size_t done, std::size_t total) {
      if (progress && done < total) progress({stage, done, total, 0});
    });
  };
  const auto screened = batch(spec.screening.name, tasks);
  report.variants.resize(screened.size());
  for (std::uint64_t i = 0; i < screened.size(); ++i) {
    ExploreVariant& v = report.variants[i];
    v.index = i;
    v.id = fmt::format("{}-v{}", spec.base, i);
    const auto choices = choices_at(spec, i);
    for (std::size_t d = 0; d < choices.size(); ++d) v.choices.push_back(spec.dimensions[d].options[choices[d]].label);
    read_result(screened[i], spec.screening, v);
    if (v.feasibility != Feasibility::Rejected) ++report.evaluations;
  }
  std::vector<ExploreVariant*> all;
  for (auto& v : report.variants) all.push_back(&v);
  const Eligibility eligible{std::ranges::none_of(report.variants, in_play)};
  const std::size_t screened_front = place_on_front(all, spec.objectives, eligible);
  if (progress) progress({spec.screening.name, screened.size(), screened.size(), screened_front});

  // Confirmation: what the screening could not rule out, most promising first (fewest variants
  // mean-dominating it, then its index), and the scenario's own alternatives for comparison.
  std::vector<std::pair<std::size_t, std::uint64_t>> order;
  for (const auto& v : report.variants) {
    if (!eligible(v) || v.front == FrontStatus::Dominated) continue;
    std::size_t dominated_by = 0;
    for (const auto& p : report.variants) dominated_by += eligible(p) && mean_dominates(p, v, spec.objectives) ? 1 : 0;
    order.emplace_back(dominated_by, v.index);
  }
  std::sort(order.begin(), order.end());
  if (order.size() > spec.max_confirmed) order.resize(spec.max_confirmed);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  tasks.clear();
  for (const auto& [rank, index] : order) tasks.push_back(task_for(index, confirmation));
  for (const auto& alt : inputs.scenario.alternatives) tasks.push_back(nlohmann::json{{"alternative", alt.id}, {"stage", confirmation.name}}.dump());
  const auto confirmed = batch(confirmation.name, tasks);
  std::vector<ExploreVariant*> finalists;
  for (std::size_t k = 0; k < order.size(); ++k) {
    ExploreVariant& v = report.variants[order[k].second];
    read_result(confirmed[k], confirmation, v);
    ++report.evaluations;
    finalists.push_back(&v);
  }
  // Variants left at screening keep their screening figures; only the confirmed are placed.
  for (auto& v : report.variants) {
    if (eligible(v) && std::ranges::find(finalists, &v) == finalists.end()) v.front = FrontStatus::ScreenedOut;
  }
  // Confirmation may decide an undecided variant either way; the front is drawn again over what
  // is eligible now.
  const Eligibility confirmed_eligible{std::ranges::none_of(finalists, [](const ExploreVariant* v) { return in_play(*v); })};
  for (ExploreVariant* v : finalists) {
    if (!confirmed_eligible(*v) && v->feasibility != Feasibility::Rejected) v->front = FrontStatus::Infeasible;
  }
  const std::size_t front = place_on_front(finalists, spec.objectives, confirmed_eligible);
  report.front_of_failing = confirmed_eligible.failing;
  for (std::size_t k = 0; k < inputs.scenario.alternatives.size(); ++k) {
    ExploreVariant alt;
    alt.id = inputs.scenario.alternatives[k].id;
    read_result(confirmed[order.size() + k], confirmation, alt);
    ++report.evaluations;
    report.alternatives.push_back(std::move(alt));
  }
  // The best variant meeting every constraint on the pick metric; the lower index on a tie.
  for (const ExploreVariant* v : finalists) {
    if (v->feasibility != Feasibility::Meets) continue;
    if (!report.best || oriented(*v, spec.pick).mean < oriented(report.variants[*report.best], spec.pick).mean) report.best = v->index;
  }
  for (auto& v : report.variants) {
    if (v.front == FrontStatus::Front || v.front == FrontStatus::Tied || (report.best && v.index == *report.best)) {
      v.alternative_yaml = variant_alternative_yaml(inputs, v.index);
    }
  }
  if (progress) progress({confirmation.name, confirmed.size(), confirmed.size(), front});
  return report;
}

}  // namespace archsim::explore
