// NSGA-II over a space of integer choices, for spaces too large to evaluate exhaustively.
//
// A variant is a decision vector: one index per dimension of the `explore:` space. pagmo2's
// NSGA-II (Deb et al. 2002) breeds the vectors; this wrapper evaluates each generation's new
// vectors as ONE batch (so a batch runner can spread a generation over threads or MPI ranks),
// never evaluates a vector twice, and keeps every evaluation, since the caller's Pareto front
// and its statistics come from all of them, not from NSGA-II's last population.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace archsim::explore {

struct Nsga2Options {
  /// Individuals per generation: a multiple of 4, at least 8 (pagmo's NSGA-II pairs parents
  /// in fours and needs 5 or more).
  std::size_t population = 24;
  std::size_t generations = 20;
  /// The same seed breeds the same vectors, so the same objectives give the same `evaluated`.
  std::uint64_t seed = 1;
};

/// Evaluates objectives (all minimised; +infinity allowed for infeasible) of integer
/// decision vectors x, x[i] in [0, sizes[i]) — one call per generation, a whole batch.
using BatchObjectives =
    std::function<std::vector<std::vector<double>>(const std::vector<std::vector<std::int64_t>>&)>;

struct Nsga2Result {
  /// Every distinct decision vector evaluated, in first-evaluation order.
  std::vector<std::vector<std::int64_t>> evaluated;
  /// evaluated[i]'s objectives, exactly as BatchObjectives returned them (+infinity kept).
  std::vector<std::vector<double>> objectives;
  /// BatchObjectives calls: the initial population, then one per generation that bred at
  /// least one vector not evaluated before (a generation of repeats costs no batch).
  std::size_t batches = 0;
};

/// Throws std::invalid_argument for a population that is not a multiple of 4 or under 8, an
/// empty space or a dimension of size < 1, fewer than 2 objectives; std::runtime_error when
/// BatchObjectives returns the wrong number of results or objectives, NaN or −infinity.
/// Exceptions from BatchObjectives pass through unchanged.
Nsga2Result nsga2_search(const std::vector<std::int64_t>& sizes, std::size_t objective_count,
                         const BatchObjectives& objectives, const Nsga2Options& options);

}  // namespace archsim::explore
