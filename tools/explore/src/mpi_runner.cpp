// Built only with ARCHSIM_MPI (Boost.MPI over OpenMPI); src/no_mpi.cpp stands in otherwise.
#include "archsim/explore/mpi_runner.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <fmt/format.h>

namespace archsim::explore {

namespace {

namespace mpi = boost::mpi;

// One tag each way: a worker only ever receives orders from rank 0, and rank 0 only ever
// receives reports, so the message's own fields say what it is.
constexpr int kOrderTag = 1;
constexpr int kReportTag = 2;

/// Rank 0 → a worker: evaluate task `index`, or leave serve_tasks.
struct Order {
  bool stop = false;
  std::uint64_t index = 0;
  std::string task;
  template <class Archive>
  void serialize(Archive& archive, unsigned /*version*/) {
    archive & stop & index & task;
  }
};

/// A worker → rank 0. Every report also asks for the next order: a worker is never sent work
/// it did not ask for, so the fastest workers take the most tasks.
struct Report {
  enum Kind : int { kReady = 0, kResult = 1, kError = 2 };
  int kind = kReady;
  std::uint64_t index = 0;
  /// The evaluation's own time on the worker, for the coordination overhead.
  double evaluation_seconds = 0;
  /// The result's text, or the exception's message.
  std::string text;
  template <class Archive>
  void serialize(Archive& archive, unsigned /*version*/) {
    archive & kind & index & evaluation_seconds & text;
  }
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

/// The workers' state lives with the session, not the runner: it spans every batch, and the
/// session's end must still stop workers a runner never reached.
struct MpiSession::Impl {
  Impl(int& argc, char**& argv)
      // Only the thread that called main() talks MPI; evaluations may use threads of their own.
      : environment(argc, argv, mpi::threading::funneled),
        heard(static_cast<std::size_t>(world.size()), false) {}

  mpi::environment environment;
  mpi::communicator world;
  /// Workers whose last report has no answer yet: each is blocked waiting for an order.
  std::vector<int> waiting;
  /// Workers whose first report (ready) rank 0 has received.
  std::vector<bool> heard;
  bool stopped = false;
  bool runner_made = false;

  Report receive(int& source) {
    Report report;
    const auto status = world.recv(mpi::any_source, kReportTag, report);
    source = status.source();
    heard[static_cast<std::size_t>(source)] = true;
    return report;
  }

  void stop_workers() {
    if (stopped || world.rank() != 0) return;
    stopped = true;
    // A worker that was never given work is still blocked sending its first report: take it,
    // so no message is left unmatched at MPI_Finalize.
    for (int worker = 1; worker < world.size(); ++worker) {
      if (heard[static_cast<std::size_t>(worker)]) continue;
      Report ready;
      world.recv(worker, kReportTag, ready);
    }
    for (int worker = 1; worker < world.size(); ++worker) world.send(worker, kOrderTag, Order{true, 0, {}});
    waiting.clear();
  }
};

bool mpi_available() { return true; }

MpiSession::MpiSession(int& argc, char**& argv) : impl_(std::make_unique<Impl>(argc, argv)) {}

MpiSession::~MpiSession() {
  // Without this, rank 0 leaving normally before any runner stopped the workers would leave
  // them blocked for ever, and the job would never end.
  try {
    impl_->stop_workers();
  } catch (...) {  // NOLINT(bugprone-empty-catch): MPI_Finalize follows; nothing left to tell.
  }
}

int MpiSession::rank() const { return impl_->world.rank(); }
int MpiSession::size() const { return impl_->world.size(); }

namespace {

class Mpi final : public MpiRunner {
 public:
  Mpi(EvaluateFn evaluate, MpiSession& session) : evaluate_(std::move(evaluate)), session_(session.impl()) {}
  ~Mpi() override {
    try {
      finish();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the session's end tries again.
    }
  }

  std::vector<std::string> run(const std::vector<std::string>& tasks, const ProgressFn& progress) override {
    if (session_.stopped) throw std::logic_error("MPI runner: run() after finish(): the workers have left");
    last_ = BatchTiming{};
    last_.evaluations = tasks.size();
    last_.workers = std::max(1, session_.world.size() - 1);
    const auto start = std::chrono::steady_clock::now();
    auto results = session_.world.size() == 1 ? run_here(tasks, progress) : run_on_workers(tasks, progress);
    last_.wall_seconds = seconds_since(start);
    all_.evaluations += last_.evaluations;
    all_.wall_seconds += last_.wall_seconds;
    all_.evaluation_seconds += last_.evaluation_seconds;
    all_.workers = last_.workers;
    return results;
  }

  std::string describe() const override {
    const int size = session_.world.size();
    return size == 1 ? "MPI: 1 rank, evaluating on it" : fmt::format("MPI: {} ranks, {} evaluating", size, size - 1);
  }

  std::size_t evaluators() const override { return static_cast<std::size_t>(std::max(1, session_.world.size() - 1)); }
  BatchTiming last_batch() const override { return last_; }
  BatchTiming all_batches() const override { return all_; }
  void finish() override { session_.stop_workers(); }

 private:
  /// One rank: no one to hand tasks to. The thread runner with one thread is exactly this.
  std::vector<std::string> run_here(const std::vector<std::string>& tasks, const ProgressFn& progress) {
    auto timed = [this](const std::string& task) {
      const auto start = std::chrono::steady_clock::now();
      auto result = evaluate_(task);
      last_.evaluation_seconds += seconds_since(start);
      return result;
    };
    return make_thread_runner(timed, 1)->run(tasks, progress);
  }

  std::vector<std::string> run_on_workers(const std::vector<std::string>& tasks, const ProgressFn& progress) {
    std::vector<std::string> results(tasks.size());
    std::size_t next = 0;
    std::size_t outstanding = 0;
    std::size_t done = 0;
    std::optional<RemoteEvaluationError> failure;
    // After a failure no more tasks go out, but the ones out are still collected, so every
    // worker is back waiting and the next batch (or the stop) finds the protocol in step.
    auto hand_out = [&](int worker) {
      if (failure || next == tasks.size()) {
        session_.waiting.push_back(worker);
        return;
      }
      session_.world.send(worker, kOrderTag, Order{false, next, tasks[next]});
      ++next;
      ++outstanding;
    };
    auto idle = std::exchange(session_.waiting, {});
    for (int worker : idle) hand_out(worker);
    while (outstanding > 0 || (!failure && next < tasks.size())) {
      int worker = 0;
      Report report = session_.receive(worker);
      if (report.kind != Report::kReady) {
        if (report.index >= tasks.size() || outstanding == 0)
          throw std::logic_error(fmt::format("MPI runner: rank {} answered task {} it was not given", worker, report.index));
        --outstanding;
        last_.evaluation_seconds += report.evaluation_seconds;
      }
      if (report.kind == Report::kResult) {
        results[report.index] = std::move(report.text);
        ++done;
        if (progress) progress(done, tasks.size());
      } else if (report.kind == Report::kError) {
        // The lowest failing task of those that ran, as the thread runner's first failure.
        if (!failure || report.index < failure->task()) failure.emplace(report.text, worker, report.index);
      }
      hand_out(worker);
    }
    if (failure) throw *failure;
    return results;
  }

  EvaluateFn evaluate_;
  MpiSession::Impl& session_;
  BatchTiming last_;
  BatchTiming all_;
};

}  // namespace

std::unique_ptr<MpiRunner> make_mpi_runner(EvaluateFn evaluate, MpiSession& session) {
  if (session.rank() != 0) throw std::logic_error("make_mpi_runner: only rank 0 coordinates; other ranks call serve_tasks");
  if (session.impl().runner_made) throw std::logic_error("make_mpi_runner: one runner per session (its workers are shared)");
  session.impl().runner_made = true;
  return std::make_unique<Mpi>(std::move(evaluate), session);
}

void serve_tasks(const EvaluateFn& evaluate, MpiSession& session) {
  auto& impl = session.impl();
  if (impl.world.rank() == 0) throw std::logic_error("serve_tasks: rank 0 coordinates; it calls make_mpi_runner");
  impl.world.send(0, kReportTag, Report{});
  for (;;) {
    Order order;
    impl.world.recv(0, kOrderTag, order);
    if (order.stop) return;
    Report report{Report::kResult, order.index, 0, {}};
    const auto start = std::chrono::steady_clock::now();
    try {
      report.text = evaluate(order.task);
    } catch (const std::exception& error) {
      report.kind = Report::kError;
      report.text = error.what();
    } catch (...) {
      report.kind = Report::kError;
      report.text = "evaluation failed with an exception that is not a std::exception";
    }
    report.evaluation_seconds = seconds_since(start);
    impl.world.send(0, kReportTag, report);
  }
}

}  // namespace archsim::explore
