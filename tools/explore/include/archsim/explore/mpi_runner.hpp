// Evaluating a batch over MPI ranks: rank 0 coordinates, ranks 1..N-1 evaluate.
//
// Every rank runs the same binary on the same scenario, so a task's text means the same thing
// everywhere: rank 0 hands task indices and texts to whichever worker asks next (a slow variant
// holds back one worker, not a fixed share of the batch) and puts each result in its task's slot,
// so the results are the same bytes as make_thread_runner's. Started without mpirun the session
// has one rank, and the runner evaluates on it.
//
// Built without the CMake option ARCHSIM_MPI this header still compiles and the session is the
// one-rank session, but make_mpi_runner and serve_tasks throw "not built with MPI": callers need
// no #if of their own, and mpi_available() says which build this is.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "archsim/explore/batch_runner.hpp"

namespace archsim::explore {

/// Whether this build can run over MPI (the CMake option ARCHSIM_MPI).
bool mpi_available();

/// MPI for the life of the process: created once at the top of main(), before anything else
/// reads argv (MPI_Init may rewrite it), destroyed last. One per process.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  /// 0 on the coordinating process, and when started without mpirun.
  int rank() const;
  /// Processes in the job; 1 when started without mpirun.
  int size() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// A worker's evaluation threw: what() is the worker's message unchanged, so the error a user
/// sees does not depend on where the task ran.
class RemoteEvaluationError : public std::runtime_error {
 public:
  RemoteEvaluationError(const std::string& message, int rank, std::size_t task)
      : std::runtime_error(message), rank_(rank), task_(task) {}
  int rank() const { return rank_; }
  std::size_t task() const { return task_; }

 private:
  int rank_;
  std::size_t task_;
};

/// Where a batch's wall time went, measured on rank 0.
struct BatchTiming {
  std::size_t evaluations = 0;
  /// run() from first task handed out to last result in.
  double wall_seconds = 0;
  /// The evaluations' own times, as each worker measured them, summed.
  double evaluation_seconds = 0;
  /// Ranks that evaluate (size - 1; 1 on a one-rank session).
  int workers = 1;
  /// What the batch cost beyond evaluating, shared evenly over the workers: messages, waiting
  /// for the slowest task, idle workers at the batch's end. wall − evaluation ÷ workers.
  double overhead_seconds() const { return wall_seconds - evaluation_seconds / workers; }
  double overhead_seconds_per_evaluation() const {
    return evaluations == 0 ? 0.0 : overhead_seconds() / static_cast<double>(evaluations);
  }
};

class MpiRunner : public BatchRunner {
 public:
  /// The last run()'s timing, and the sum over every run() so far (for a whole search).
  virtual BatchTiming last_batch() const = 0;
  virtual BatchTiming all_batches() const = 0;
  /// Tells every worker to leave serve_tasks; no run() after it. The destructor calls it.
  virtual void finish() = 0;
};

/// Rank 0's runner (the session must be rank 0). Several run() calls per session; one runner.
std::unique_ptr<MpiRunner> make_mpi_runner(EvaluateFn evaluate, MpiSession& session);

/// What ranks above 0 do instead of searching: evaluate the tasks rank 0 sends until it says
/// stop. An exception thrown by `evaluate` is sent back to rank 0 (which throws it as
/// RemoteEvaluationError) and the worker carries on.
void serve_tasks(const EvaluateFn& evaluate, MpiSession& session);

}  // namespace archsim::explore
