// The MPI runner under mpirun with 1, 2 and 3 ranks, and started without mpirun, against the
// thread runner: the same results, in task order, and the same error for the failing batch.
#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "archsim/explore/mpi_runner.hpp"
#include "toy_tasks.hpp"

namespace {

using namespace archsim::explore;

struct Output {
  int status = -1;
  std::string text;
};

Output run(const std::string& command) {
  Output output;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::array<char, 4096> buffer{};
  for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0;) output.text.append(buffer.data(), n);
  output.status = pclose(pipe.release());
  return output;
}

/// What the driver must print after its describe() line, computed here on threads.
std::string expected() {
  auto threads = make_thread_runner(toy::evaluate, 2);
  std::string text;
  std::size_t evaluations = 0;
  for (const auto& batch : toy::batches()) {
    text += fmt::format("batch of {}\n", batch.size());
    try {
      for (const auto& result : threads->run(batch)) text += result + "\n";
      evaluations += batch.size();
    } catch (const std::runtime_error& error) {
      text += fmt::format("error: {}\n", error.what());
    }
  }
  return text + fmt::format("evaluations {}\n", evaluations);
}

void check(const std::string& command, const std::string& describe) {
  CAPTURE(command);
  const auto output = run(command);
  CHECK(output.status == 0);
  CHECK(output.text == describe + "\n" + expected());
}

const std::string mpirun = fmt::format("{} --allow-run-as-root --oversubscribe", ARCHSIM_MPIRUN);

}  // namespace

TEST_CASE("this build has MPI") { CHECK(mpi_available()); }

TEST_CASE("without mpirun the same binary is one rank, evaluating on it") {
  check(ARCHSIM_MPI_DRIVER, "MPI: 1 rank, evaluating on it");
}

TEST_CASE("mpirun -np 1: rank 0 alone evaluates") {
  check(fmt::format("{} -np 1 {}", mpirun, ARCHSIM_MPI_DRIVER), "MPI: 1 rank, evaluating on it");
}

TEST_CASE("mpirun -np 2: one worker") {
  check(fmt::format("{} -np 2 {}", mpirun, ARCHSIM_MPI_DRIVER), "MPI: 2 ranks, 1 evaluating");
}

TEST_CASE("mpirun -np 3: two workers take tasks as they free up, results in task order") {
  check(fmt::format("{} -np 3 {}", mpirun, ARCHSIM_MPI_DRIVER), "MPI: 3 ranks, 2 evaluating");
}

TEST_CASE("the coordination overhead is what the wall time does not owe to evaluating") {
  BatchTiming timing;
  timing.evaluations = 10;
  timing.wall_seconds = 3.0;
  timing.evaluation_seconds = 4.0;
  timing.workers = 2;
  CHECK(timing.overhead_seconds() == doctest::Approx(1.0));
  CHECK(timing.overhead_seconds_per_evaluation() == doctest::Approx(0.1));
  CHECK(BatchTiming{}.overhead_seconds_per_evaluation() == 0.0);
}
