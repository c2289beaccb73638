// Running a batch of independent evaluations, on this machine's threads or over MPI ranks.
//
// Design-space search evaluates many variants, each a simulated month. An evaluation is a pure
// function of its task: the task is text (JSON) in, the result is text (JSON) out, and every
// process that can evaluate holds the same loaded scenario. So a batch can run on threads, or be
// spread over MPI ranks (one coordinating, the others evaluating), and the results, returned in
// the order of the tasks, are the same bytes either way: the search that consumes them cannot
// tell how they were computed.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace archsim::explore {

/// One evaluation: a task's text in, its result's text out. Must not depend on which thread or
/// rank runs it, nor on what ran before.
using EvaluateFn = std::function<std::string(const std::string& task)>;

/// Called on the coordinating process as results arrive: evaluations done, of how many.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

class BatchRunner {
 public:
  virtual ~BatchRunner() = default;
  /// Evaluates every task; results in the order of `tasks`, whatever order they ran in.
  virtual std::vector<std::string> run(const std::vector<std::string>& tasks, const ProgressFn& progress = {}) = 0;
  /// How the batches run, for the report: "2 threads", "MPI: 4 ranks, 3 evaluating".
  virtual std::string describe() const = 0;
  /// How many tasks can run at once (threads, or evaluating ranks): the search cuts an
  /// evaluation's replications into slices when there are fewer evaluations than that.
  virtual std::size_t evaluators() const = 0;
};

/// Evaluations on `threads` threads of this process (at least 1).
std::unique_ptr<BatchRunner> make_thread_runner(EvaluateFn evaluate, int threads);

}  // namespace archsim::explore
