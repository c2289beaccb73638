// The search: screen every variant, confirm those the screening cannot rule out, and place the
// confirmed ones on the Pareto front (docs/explore.md, "Method" and "Statistics").
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/explore/nsga2_search.hpp"
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
  const sim::Estimate* measured = v.metric(o.metric);
  if (measured == nullptr || !std::isfinite(measured->mean)) {
    const double inf = std::numeric_limits<double>::infinity();
    return {inf, inf, inf};
  }
  const sim::Estimate& x = *measured;
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
  std::erase_if(variants, [&](const ExploreVariant* v) { return !eligible(*v); });
  for (ExploreVariant* q : variants) {
    q->tied_with.clear();
    const bool dominated = std::ranges::any_of(variants, [&](const ExploreVariant* p) {
      return p != q && eligible.rules_out(*p) && dominates_beyond_noise(*p, *q, objectives);
    });
    const bool beaten = std::ranges::any_of(variants, [&](const ExploreVariant* p) { return p != q && mean_dominates(*p, *q, objectives); });
    q->front = dominated ? FrontStatus::Dominated : beaten ? FrontStatus::Tied : FrontStatus::Front;
  }
  // A tied variant names a front variant whose means beat it: one exists, since mean-dominance
  // is transitive and the chain above it ends on the front.
  std::size_t front = 0;
  for (ExploreVariant* q : variants) {
    front += q->front == FrontStatus::Front ? 1 : 0;
    if (q->front != FrontStatus::Tied) continue;
    for (const ExploreVariant* p : variants) {
      if (p->front == FrontStatus::Front && mean_dominates(*p, *q, objectives)) {
        q->tied_with = p->id;
        break;
      }
    }
  }
  return front;
}

/// NSGA-II breeds decision vectors (an option index per dimension) a generation at a time;
/// each generation is one screening batch. The objectives it minimises are the screening means,
/// oriented; a variant rejected or failing a constraint is +infinity on every objective, so the
/// search moves towards the feasible region. Returns every variant screened, by index.
template <class Screen>
std::vector<ExploreVariant> search_with_nsga2(const ExploreInputs& inputs, const Screen& screen) {
  const ExploreSpec& spec = inputs.spec;
  std::vector<std::int64_t> sizes;
  for (const auto& d : spec.dimensions) sizes.push_back(static_cast<std::int64_t>(d.options.size()));
  std::vector<ExploreVariant> screened;
  const auto objectives = [&](const std::vector<std::vector<std::int64_t>>& vectors) {
    std::vector<std::uint64_t> indices;
    for (const auto& x : vectors) indices.push_back(index_of(spec, x));
    auto generation = screen(indices);
    std::vector<std::vector<double>> out;
    for (const auto& v : generation) {
      std::vector<double> f;
      for (const auto& o : spec.objectives) {
        f.push_back(in_play(v) ? oriented(v, o).mean : std::numeric_limits<double>::infinity());
      }
      out.push_back(std::move(f));
    }
    for (auto& v : generation) screened.push_back(std::move(v));
    return out;
  };
  // pagmo's NSGA-II needs two objectives at least: a single objective is given twice.
  const std::size_t count = std::max<std::size_t>(spec.objectives.size(), 2);
  const auto padded = [&](const std::vector<std::vector<std::int64_t>>& vectors) {
    auto f = objectives(vectors);
    for (auto& one : f) one.resize(count, one.empty() ? 0 : one.front());
    return f;
  };
  nsga2_search(sizes, count, padded, Nsga2Options{spec.population, spec.generations, inputs.seed.value_or(inputs.workload.seed)});
  std::sort(screened.begin(), screened.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return screened;
}

std::string task_for(std::uint64_t index, const Stage& stage) {
  return nlohmann::json{{"variant", index}, {"stage", stage.name}}.dump();
}

}  // namespace

std::size_t slices_per_evaluation(std::size_t tasks, std::size_t evaluators, int replications) {
  if (tasks == 0 || replications <= 1) return 1;
  const std::size_t wanted = (2 * evaluators + tasks - 1) / tasks;
  return std::clamp<std::size_t>(wanted, 1, static_cast<std::size_t>(replications));
}

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
  report.method = uses_nsga2(spec) ? "nsga2" : "exhaustive";
  const Stage& confirmation = spec.confirmation;

  // A batch with fewer evaluations than the runner has evaluators (a confirmation over many
  // ranks) is cut into slices of replications, merged back in order on this process; the
  // results are the same bytes either way (evaluate.cpp), so the cut may follow the runner.
  const auto batch = [&](const Stage& stage, const std::vector<std::string>& batch_tasks) {
    const std::size_t slices = slices_per_evaluation(batch_tasks.size(), runner.evaluators(), stage.replications);
    std::vector<std::string> sent;
    if (slices == 1) {
      sent = batch_tasks;
    } else {
      for (const auto& task : batch_tasks) {
        for (std::size_t k = 0; k < slices; ++k) {
          // Replications [first, first + count), as even as the count allows.
          const auto share = [&](std::size_t j) { return static_cast<int>(j * static_cast<std::size_t>(stage.replications) / slices); };
          auto sliced = nlohmann::json::parse(task);
          sliced["replications"] = {share(k), share(k + 1) - share(k)};
          sent.push_back(sliced.dump());
        }
      }
    }
    auto results = runner.run(sent, [&](std::size_t done, std::size_t total) {
      if (progress && done < total) progress({stage.name, done, total, 0});
    });
    if (slices == 1) return results;
    std::vector<std::string> merged;
    for (std::size_t t = 0; t < batch_tasks.size(); ++t) {
      const auto begin = results.begin() + static_cast<std::ptrdiff_t>(t * slices);
      merged.push_back(merge_slices(inputs, batch_tasks[t], {begin, begin + static_cast<std::ptrdiff_t>(slices)}));
    }
    return merged;
  };
  // Screening: every variant of the space, or those NSGA-II breeds; kept in index order.
  const auto screen = [&](const std::vector<std::uint64_t>& indices) {
    std::vector<std::string> tasks;
    for (const auto i : indices) tasks.push_back(task_for(i, spec.screening));
    const auto results = batch(spec.screening, tasks);
    std::vector<ExploreVariant> screened(indices.size());
    for (std::size_t k = 0; k < indices.size(); ++k) {
      ExploreVariant& v = screened[k];
      v.index = indices[k];
      v.id = variant_id(spec, v.index);
      const auto choices = choices_at(spec, v.index);
      for (std::size_t d = 0; d < choices.size(); ++d) v.choices.push_back(spec.dimensions[d].options[choices[d]].label);
      read_result(results[k], spec.screening, v);
      if (v.feasibility != Feasibility::Rejected) ++report.evaluations;
    }
    return screened;
  };
  if (report.method == "exhaustive") {
    std::vector<std::uint64_t> every(report.space_size);
    for (std::uint64_t i = 0; i < report.space_size; ++i) every[i] = i;
    report.variants = screen(every);
  } else {
    report.variants = search_with_nsga2(inputs, screen);
  }
  std::vector<ExploreVariant*> all;
  for (auto& v : report.variants) all.push_back(&v);
  const Eligibility eligible{std::ranges::none_of(report.variants, in_play)};
  const std::size_t screened_front = place_on_front(all, spec.objectives, eligible);
  if (progress) progress({spec.screening.name, report.variants.size(), report.variants.size(), screened_front});

  // Confirmation: what the screening could not rule out, most promising first (fewest variants
  // mean-dominating it, then its index), and the scenario's own alternatives for comparison.
  std::vector<std::pair<std::size_t, std::uint64_t>> order;  // (mean-dominated by, position)
  for (const auto& v : report.variants) {
    if (!eligible(v) || v.front == FrontStatus::Dominated) continue;
    std::size_t dominated_by = 0;
    for (const auto& p : report.variants) dominated_by += eligible(p) && mean_dominates(p, v, spec.objectives) ? 1 : 0;
    order.emplace_back(dominated_by, static_cast<std::uint64_t>(&v - report.variants.data()));
  }
  std::sort(order.begin(), order.end());
  if (order.size() > spec.max_confirmed) order.resize(spec.max_confirmed);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  std::vector<std::string> tasks;
  for (const auto& [rank, position] : order) tasks.push_back(task_for(report.variants[position].index, confirmation));
  for (const auto& alt : inputs.scenario.alternatives) tasks.push_back(nlohmann::json{{"alternative", alt.id}, {"stage", confirmation.name}}.dump());
  const auto confirmed = batch(confirmation, tasks);
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
    if (alt.feasibility != Feasibility::Rejected) ++report.evaluations;
    report.alternatives.push_back(std::move(alt));
  }
  // The best variant meeting every constraint on the pick metric; the lower index on a tie.
  for (const ExploreVariant* v : finalists) {
    if (v->feasibility != Feasibility::Meets) continue;
    const auto position = static_cast<std::size_t>(v - report.variants.data());
    if (!report.best || oriented(*v, spec.pick).mean < oriented(report.variants[*report.best], spec.pick).mean) report.best = position;
  }
  for (auto& v : report.variants) {
    if (v.front == FrontStatus::Front || v.front == FrontStatus::Tied || (report.best && &v == &report.variants[*report.best])) {
      v.alternative_yaml = variant_alternative_yaml(inputs, v.index);
    }
  }
  if (progress) progress({confirmation.name, confirmed.size(), confirmed.size(), front});
  return report;
}

}  // namespace archsim::explore
