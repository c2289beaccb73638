#include <iostream>
#include <string>
#include <vector>

#include "archsim/cli.hpp"
#include "archsim/explore/mpi_runner.hpp"
#include "explore_command.hpp"

int main(int argc, char** argv) {
  // Before anything reads argv: MPI_Init may rewrite it. One rank without mpirun (or without MPI).
  archsim::explore::MpiSession mpi(argc, argv);
  archsim::cli::use_mpi_session(&mpi);
  std::vector<std::string> args(argv + 1, argv + argc);
  return archsim::cli::run_cli(args, std::cout, std::cerr);
}
