// NSGA-II (pagmo2) on integer problems whose Pareto front is known, through nsga2_search.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include "archsim/explore/nsga2_search.hpp"

namespace {

using archsim::explore::BatchObjectives;
using archsim::explore::nsga2_search;
using archsim::explore::Nsga2Options;
using archsim::explore::Nsga2Result;
using Vector = std::vector<std::int64_t>;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// sizes {50, 50}: f1 = x0, f2 = (49 − x0) + |x1 − 25|. The front is x1 = 25 with every x0:
/// 50 points, each trading one unit of f1 for one of f2.
std::vector<double> synthetic(const Vector& x) {
  return {static_cast<double>(x[0]), static_cast<double>(49 - x[0] + std::llabs(x[1] - 25))};
}

/// The evaluator the tests hand in: the objectives, and a record of every batch it was given.
struct Recorder {
  std::vector<std::vector<Vector>> batches;
  std::vector<double> (*objectives)(const Vector&) = synthetic;
  BatchObjectives function() {
    return [this](const std::vector<Vector>& batch) {
      batches.push_back(batch);
      std::vector<std::vector<double>> values;
      for (const auto& x : batch) values.push_back(objectives(x));
      return values;
    };
  }
};

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better = better || a[i] < b[i];
  }
  return better;
}

/// The non-dominated evaluated vectors.
std::set<Vector> front(const Nsga2Result& result) {
  std::set<Vector> points;
  for (std::size_t i = 0; i < result.evaluated.size(); ++i) {
    if (std::isinf(result.objectives[i][0])) continue;
    const bool dominated = std::any_of(result.objectives.begin(), result.objectives.end(),
                                       [&](const auto& other) { return dominates(other, result.objectives[i]); });
    if (!dominated) points.insert(result.evaluated[i]);
  }
  return points;
}

const Nsga2Options kBudget{52, 40, 7};

}  // namespace

TEST_CASE("NSGA-II finds the exact front of the synthetic problem within its budget") {
  Recorder recorder;
  const auto result = nsga2_search({50, 50}, 2, recorder.function(), kBudget);
  std::set<Vector> exact;
  for (std::int64_t x0 = 0; x0 < 50; ++x0) exact.insert({x0, 25});
  CHECK(front(result) == exact);
  // A search, not an enumeration: well under the 2,500 points of the space.
  CHECK(result.evaluated.size() < 1500);
  MESSAGE("evaluations to the exact front: ", result.evaluated.size());
}

TEST_CASE("each generation is one batch, the initial population another, and no vector is evaluated twice") {
  Recorder recorder;
  const auto result = nsga2_search({50, 50}, 2, recorder.function(), kBudget);
  CHECK(result.batches == kBudget.generations + 1);
  CHECK(recorder.batches.size() == result.batches);
  std::vector<Vector> in_order;
  for (const auto& batch : recorder.batches) {
    CHECK(!batch.empty());
    CHECK(batch.size() <= kBudget.population);
    in_order.insert(in_order.end(), batch.begin(), batch.end());
  }
  CHECK(in_order == result.evaluated);
  CHECK(std::set<Vector>(in_order.begin(), in_order.end()).size() == in_order.size());
  for (std::size_t i = 0; i < result.evaluated.size(); ++i) {
    const auto& x = result.evaluated[i];
    REQUIRE(x.size() == 2);
    CHECK((x[0] >= 0 && x[0] < 50 && x[1] >= 0 && x[1] < 50));
    CHECK(result.objectives[i] == synthetic(x));
  }
}

TEST_CASE("the same seed evaluates the same vectors in the same order; another seed, others") {
  Recorder first, second, other;
  const auto a = nsga2_search({50, 50}, 2, first.function(), kBudget);
  const auto b = nsga2_search({50, 50}, 2, second.function(), kBudget);
  auto reseeded = kBudget;
  reseeded.seed = 8;
  const auto c = nsga2_search({50, 50}, 2, other.function(), reseeded);
  CHECK(a.evaluated == b.evaluated);
  CHECK(a.objectives == b.objectives);
  CHECK(a.evaluated != c.evaluated);
}

TEST_CASE("infeasible variants (+infinity) are kept as they came and never reach the front") {
  Recorder recorder;
  // x0 < 10 is infeasible: the front is x1 = 25 with x0 from 10.
  recorder.objectives = [](const Vector& x) {
    return x[0] < 10 ? std::vector<double>{kInfinity, kInfinity} : synthetic(x);
  };
  const auto result = nsga2_search({50, 50}, 2, recorder.function(), kBudget);
  std::size_t infeasible = 0;
  for (std::size_t i = 0; i < result.evaluated.size(); ++i)
    if (result.evaluated[i][0] < 10) {
      ++infeasible;
      CHECK(result.objectives[i] == std::vector<double>{kInfinity, kInfinity});
    }
  CHECK(infeasible > 0);
  std::set<Vector> exact;
  for (std::int64_t x0 = 10; x0 < 50; ++x0) exact.insert({x0, 25});
  CHECK(front(result) == exact);
}

TEST_CASE("a dimension with one choice stays at 0; a space of one point is one evaluation") {
  Recorder recorder;
  recorder.objectives = [](const Vector& x) { return synthetic({x[1], x[3]}); };
  const auto result = nsga2_search({1, 50, 1, 50}, 2, recorder.function(), Nsga2Options{16, 5, 3});
  for (const auto& x : result.evaluated) CHECK((x[0] == 0 && x[2] == 0 && x[1] < 50 && x[3] < 50));
  CHECK(result.batches == 6);

  // A space smaller than the population: repeats from the start, each point evaluated once.
  Recorder tiny;
  const auto small = nsga2_search({2, 3}, 2, tiny.function(), Nsga2Options{8, 5, 3});
  CHECK(small.evaluated.size() <= 6);
  CHECK(std::set<Vector>(small.evaluated.begin(), small.evaluated.end()).size() == small.evaluated.size());
  for (const auto& x : small.evaluated) CHECK((x[0] < 2 && x[1] < 3));

  Recorder single;
  const auto one = nsga2_search({1, 1}, 2, single.function(), Nsga2Options{});
  CHECK(one.evaluated == std::vector<Vector>{{0, 0}});
  CHECK(one.batches == 1);
}

TEST_CASE("bad options and bad answers are refused with what was expected") {
  Recorder recorder;
  const auto f = recorder.function();
  CHECK_THROWS_WITH_AS(nsga2_search({50, 50}, 2, f, Nsga2Options{6, 5, 1}),
                       "NSGA-II population 6: it must be a multiple of 4 and at least 8 (parents are drawn in fours)",
                       std::invalid_argument);
  CHECK_THROWS_AS(nsga2_search({50, 50}, 2, f, Nsga2Options{4, 5, 1}), std::invalid_argument);
  CHECK_THROWS_AS(nsga2_search({50, 50}, 2, f, Nsga2Options{0, 5, 1}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(nsga2_search({50, 50}, 1, f, Nsga2Options{}), "NSGA-II needs at least 2 objectives, not 1",
                       std::invalid_argument);
  CHECK_THROWS_AS(nsga2_search({}, 2, f, Nsga2Options{}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(nsga2_search({50, 0}, 2, f, Nsga2Options{}),
                       "NSGA-II: dimension 1 has 0 choices; every dimension needs at least 1", std::invalid_argument);

  const BatchObjectives short_answer = [](const std::vector<Vector>& batch) {
    return std::vector<std::vector<double>>(batch.size() - 1, std::vector<double>{0, 0});
  };
  CHECK_THROWS_AS(nsga2_search({50, 50}, 2, short_answer, Nsga2Options{}), std::runtime_error);
  const BatchObjectives not_a_number = [](const std::vector<Vector>& batch) {
    return std::vector<std::vector<double>>(batch.size(), std::vector<double>{0, std::nan("")});
  };
  CHECK_THROWS_AS(nsga2_search({50, 50}, 2, not_a_number, Nsga2Options{}), std::runtime_error);
  // The caller's own exception (an evaluation failed) comes through as it was thrown.
  struct EvaluationFailed {};
  const BatchObjectives failing = [](const std::vector<Vector>&) -> std::vector<std::vector<double>> {
    throw EvaluationFailed{};
  };
  CHECK_THROWS_AS(nsga2_search({50, 50}, 2, failing, Nsga2Options{}), EvaluationFailed);
}
