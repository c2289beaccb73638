// One rank of the MPI runner's test (mpi_runner_test.cpp starts it under mpirun): rank 0 runs
// the toy batches through make_mpi_runner and prints each result, or the error, one a line;
// the other ranks serve tasks. Exit 1 on a protocol surprise.
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "archsim/explore/mpi_runner.hpp"
#include "toy_tasks.hpp"

int main(int argc, char** argv) {
  using namespace archsim::explore;
  MpiSession session(argc, argv);
  try {
    if (session.rank() != 0) {
      serve_tasks(toy::evaluate, session);
      return 0;
    }
    auto runner = make_mpi_runner(toy::evaluate, session);
    fmt::print("{}\n", runner->describe());
    for (const auto& batch : toy::batches()) {
      fmt::print("batch of {}\n", batch.size());
      try {
        for (const auto& result : runner->run(batch)) fmt::print("{}\n", result);
      } catch (const RemoteEvaluationError& error) {
        fmt::print("error: {}\n", error.what());
      } catch (const std::runtime_error& error) {  // one rank: the evaluation's own exception
        fmt::print("error: {}\n", error.what());
      }
    }
    const auto all = runner->all_batches();
    fmt::print("evaluations {}\n", all.evaluations);
    fmt::print(stderr, "wall {:.4f} s, evaluating {:.4f} s over {} workers, overhead {:.6f} s per evaluation\n",
               all.wall_seconds, all.evaluation_seconds, all.workers, all.overhead_seconds_per_evaluation());
    runner->finish();
    return all.wall_seconds >= 0 && all.evaluation_seconds > 0 ? 0 : 1;
  } catch (const std::exception& error) {
    fmt::print(stderr, "rank {}: {}\n", session.rank(), error.what());
    return 1;
  }
}
