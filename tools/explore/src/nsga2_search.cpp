#include "archsim/explore/nsga2_search.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/types.hpp>

namespace archsim::explore {

namespace {

// What NSGA-II sees for an objective of +infinity (an infeasible variant). pagmo's crowding
// distance divides objective differences by the front's range, and infinity − infinity is NaN,
// which would leave the sort's order to chance; a finite value this large still ranks every
// infeasible variant behind every feasible one in that objective, while a quarter of the largest
// double leaves room for the range's subtraction. The result keeps the real +infinity.
constexpr double kInfeasiblePenalty = std::numeric_limits<double>::max() / 4;

/// The state shared by pagmo's copies of the problem and of the batch evaluator (pagmo copies
/// both freely): the caller's objectives and every evaluation so far.
struct Search {
  std::vector<std::int64_t> sizes;
  /// The dimensions with more than one choice: pagmo's decision vector. pagmo's NSGA-II refuses
  /// a lower bound equal to its upper bound, so a one-choice dimension stays out, fixed at 0.
  std::vector<std::size_t> free_dimensions;
  std::size_t objective_count = 0;
  const BatchObjectives* objectives = nullptr;
  std::map<std::vector<std::int64_t>, std::size_t> index_of;
  Nsga2Result result;

  std::vector<std::int64_t> decision_vector(const double* genes) const {
    std::vector<std::int64_t> x(sizes.size(), 0);
    for (std::size_t k = 0; k < free_dimensions.size(); ++k) x[free_dimensions[k]] = std::llround(genes[k]);
    return x;
  }

  /// pagmo's view of a batch (decision vectors end to end) in, their fitnesses end to end out;
  /// the vectors never seen before go to the caller as one call.
  pagmo::vector_double evaluate(const pagmo::vector_double& genes) {
    const std::size_t width = free_dimensions.size();
    const std::size_t count = width == 0 ? 0 : genes.size() / width;
    std::vector<std::size_t> slots(count);
    std::vector<std::vector<std::int64_t>> fresh;
    for (std::size_t i = 0; i < count; ++i) {
      auto x = decision_vector(genes.data() + i * width);
      const auto [it, inserted] = index_of.try_emplace(x, result.evaluated.size() + fresh.size());
      if (inserted) fresh.push_back(std::move(x));
      slots[i] = it->second;
    }
    if (!fresh.empty()) append(fresh, (*objectives)(fresh));
    pagmo::vector_double fitness;
    fitness.reserve(count * objective_count);
    for (const auto slot : slots)
      for (const double value : result.objectives[slot]) fitness.push_back(std::isinf(value) ? kInfeasiblePenalty : value);
    return fitness;
  }

  void append(std::vector<std::vector<std::int64_t>>& fresh, std::vector<std::vector<double>> values) {
    ++result.batches;
    if (values.size() != fresh.size())
      throw std::runtime_error(
          fmt::format("NSGA-II: the batch of {} decision vectors came back with {} results", fresh.size(), values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i].size() != objective_count)
        throw std::runtime_error(fmt::format("NSGA-II: a decision vector came back with {} objectives, not {}",
                                             values[i].size(), objective_count));
      for (const double value : values[i])
        if (std::isnan(value) || value == -std::numeric_limits<double>::infinity())
          throw std::runtime_error(fmt::format(
              "NSGA-II: an objective came back {}: objectives are minimised, finite or +infinity (infeasible)", value));
      result.evaluated.push_back(std::move(fresh[i]));
      result.objectives.push_back(std::move(values[i]));
    }
  }
};

/// pagmo's user-defined problem: every gene an integer in [0, size − 1].
struct Problem {
  std::shared_ptr<Search> search;
  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return search->evaluate(x); }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    pagmo::vector_double lower(search->free_dimensions.size(), 0.0), upper;
    for (const auto d : search->free_dimensions) upper.push_back(static_cast<double>(search->sizes[d] - 1));
    return {lower, upper};
  }
  pagmo::vector_double::size_type get_nobj() const { return search->objective_count; }
  pagmo::vector_double::size_type get_nix() const { return search->free_dimensions.size(); }
};

/// pagmo's user-defined batch fitness evaluator: a generation in one call.
struct BatchEvaluator {
  std::shared_ptr<Search> search;
  pagmo::vector_double operator()(const pagmo::problem& /*problem*/, const pagmo::vector_double& genes) const {
    return search->evaluate(genes);
  }
};

}  // namespace

Nsga2Result nsga2_search(const std::vector<std::int64_t>& sizes, std::size_t objective_count,
                         const BatchObjectives& objectives, const Nsga2Options& options) {
  if (options.population < 8 || options.population % 4 != 0)
    throw std::invalid_argument(fmt::format(
        "NSGA-II population {}: it must be a multiple of 4 and at least 8 (parents are drawn in fours)", options.population));
  if (options.generations > std::numeric_limits<unsigned>::max())
    throw std::invalid_argument(fmt::format("NSGA-II generations {}: at most {}", options.generations,
                                            std::numeric_limits<unsigned>::max()));
  if (objective_count < 2)
    throw std::invalid_argument(fmt::format("NSGA-II needs at least 2 objectives, not {}", objective_count));
  if (sizes.empty()) throw std::invalid_argument("NSGA-II: the space has no dimension");
  auto search = std::make_shared<Search>();
  search->sizes = sizes;
  search->objective_count = objective_count;
  search->objectives = &objectives;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] < 1)
      throw std::invalid_argument(fmt::format("NSGA-II: dimension {} has {} choices; every dimension needs at least 1", d, sizes[d]));
    if (sizes[d] > 1) search->free_dimensions.push_back(d);
  }
  if (search->free_dimensions.empty()) {  // one point: nothing to breed
    std::vector<std::vector<std::int64_t>> only{std::vector<std::int64_t>(sizes.size(), 0)};
    search->append(only, objectives(only));
    return std::move(search->result);
  }

  // pagmo seeds are 32-bit: fold the 64 bits in rather than drop half of them.
  const auto seed = static_cast<unsigned>(options.seed ^ (options.seed >> 32));
  const pagmo::problem problem{Problem{search}};
  const pagmo::bfe batch{BatchEvaluator{search}};
  pagmo::population population{problem, batch, options.population, seed};
  // pagmo's crossover defaults; mutation at 1 / genes, Deb's recommendation for NSGA-II, rather
  // than pagmo's 0.01, which on a handful of integer genes would almost never mutate.
  pagmo::nsga2 algorithm{static_cast<unsigned>(options.generations), 0.95, 10.0,
                         1.0 / static_cast<double>(search->free_dimensions.size()), 50.0, seed};
  algorithm.set_bfe(batch);
  // The final population is not the answer: the caller's front comes from every evaluation,
  // which the shared state has kept as they happened.
  algorithm.evolve(population);
  return std::move(search->result);
}

}  // namespace archsim::explore
