#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "archsim/explore/batch_runner.hpp"

namespace archsim::explore {

namespace {

/// A shared counter hands out task indices: threads take the next task when they are free, so
/// a slow variant does not hold back a fixed share of the batch; each result lands in its
/// task's slot, so the order never depends on which thread ran it.
class ThreadRunner final : public BatchRunner {
 public:
  ThreadRunner(EvaluateFn evaluate, int threads) : evaluate_(std::move(evaluate)), threads_(std::max(1, threads)) {}

  std::vector<std::string> run(const std::vector<std::string>& tasks, const ProgressFn& progress) override {
    std::vector<std::string> results(tasks.size());
    std::atomic<std::size_t> next{0};
    std::mutex report;
    std::size_t done = 0;
    std::exception_ptr failure;
    auto work = [&] {
      for (std::size_t i = next++; i < tasks.size(); i = next++) {
        try {
          results[i] = evaluate_(tasks[i]);
        } catch (...) {
          const std::lock_guard lock(report);
          if (!failure) failure = std::current_exception();
          next = tasks.size();
          return;
        }
        const std::lock_guard lock(report);
        ++done;
        if (progress) progress(done, tasks.size());
      }
    };
    const auto count = std::min<std::size_t>(static_cast<std::size_t>(threads_), tasks.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    return results;
  }

  std::string describe() const override { return threads_ == 1 ? "1 thread" : fmt::format("{} threads", threads_); }
  std::size_t evaluators() const override { return static_cast<std::size_t>(threads_); }

 private:
  EvaluateFn evaluate_;
  int threads_;
};

}  // namespace

std::unique_ptr<BatchRunner> make_thread_runner(EvaluateFn evaluate, int threads) {
  return std::make_unique<ThreadRunner>(std::move(evaluate), threads);
}

}  // namespace archsim::explore
