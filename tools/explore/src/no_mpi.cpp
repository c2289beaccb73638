// A build without ARCHSIM_MPI: the one-rank session a process started without mpirun has, and
// a clear refusal for what needs MPI (src/mpi_runner.cpp is the MPI build's).
#include <stdexcept>

#include "archsim/explore/mpi_runner.hpp"

namespace archsim::explore {

namespace {
constexpr const char* kNotBuilt =
    "archsim was not built with MPI: configure with -DARCHSIM_MPI=ON (the `mpi` preset) to run over MPI ranks";
}  // namespace

struct MpiSession::Impl {};

bool mpi_available() { return false; }

MpiSession::MpiSession(int& /*argc*/, char**& /*argv*/) : impl_(std::make_unique<Impl>()) {}
MpiSession::~MpiSession() = default;
int MpiSession::rank() const { return 0; }
int MpiSession::size() const { return 1; }

std::unique_ptr<MpiRunner> make_mpi_runner(EvaluateFn /*evaluate*/, MpiSession& /*session*/) {
  throw std::runtime_error(kNotBuilt);
}

void serve_tasks(const EvaluateFn& /*evaluate*/, MpiSession& /*session*/) { throw std::runtime_error(kNotBuilt); }

}  // namespace archsim::explore
