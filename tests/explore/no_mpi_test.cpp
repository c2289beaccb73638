// A build without ARCHSIM_MPI: the process is one rank, and what needs MPI says so.
#include <doctest/doctest.h>

#include "archsim/explore/mpi_runner.hpp"

using namespace archsim::explore;

TEST_CASE("without ARCHSIM_MPI the session is one rank and the MPI runner is refused by name") {
  CHECK_FALSE(mpi_available());
  int argc = 1;
  char name[] = "explore_tests";
  char* args[] = {name, nullptr};
  char** argv = args;
  MpiSession session(argc, argv);
  CHECK(session.rank() == 0);
  CHECK(session.size() == 1);
  const EvaluateFn identity = [](const std::string& task) { return task; };
  const std::string refusal =
      "archsim was not built with MPI: configure with -DARCHSIM_MPI=ON (the `mpi` preset) to run over MPI ranks";
  CHECK_THROWS_WITH_AS(make_mpi_runner(identity, session), refusal.c_str(), std::runtime_error);
  CHECK_THROWS_WITH_AS(serve_tasks(identity, session), refusal.c_str(), std::runtime_error);
}
