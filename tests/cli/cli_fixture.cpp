#include "cli_fixture.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "archsim/cli.hpp"

namespace archsim::test {

ScopedEnv::ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) previous_ = old;
  if (value) {
    ::setenv(name_.c_str(), value->c_str(), 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

ScopedEnv::~ScopedEnv() {
  if (previous_) {
    ::setenv(name_.c_str(), previous_->c_str(), 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

CliRun cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = cli::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

void put_reference_topology(const std::string& dir) {
  std::filesystem::copy_file(ARCHSIM_SOURCE_DIR "/tests/support/good_topology.yaml", std::filesystem::path(dir) / "good_topology.yaml",
                             std::filesystem::copy_options::overwrite_existing);
}

std::string reference_scenario(const std::string& folder, const std::string& name, const std::string& criteria, int seed,
                               bool with_rejected_copy, const std::string& workload_extra) {
  const auto dir = std::filesystem::temp_directory_path() / folder;
  std::filesystem::create_directories(dir);
  const auto file = dir / (name + ".yaml");
  put_reference_topology(dir.string());
  std::ofstream out(file);
  out << "archsim: 1\nname: reference\nregion: us-east-1\n"
      << "workload: {horizon: 20m, seed: " << seed << ", replications: 3, arrivals: {rate: 5/s}"
      << (workload_extra.empty() ? "" : ", " + workload_extra) << "}\n"
      << "criteria:\n" << criteria
      << "alternatives:\n  good:\n    title: the reference design\n    status: chosen\n"
         "    topology: good_topology.yaml\n";
  if (with_rejected_copy) {
    out << "  other:\n    title: the same, rejected\n    status: rejected\n"
           "    topology: good_topology.yaml\n";
  }
  return file.string();
}

}  // namespace archsim::test
