// The test programs' main: doctest's, run with a temporary folder of the process's own.
//
// Tests write scenarios and outputs under std::filesystem::temp_directory_path(), in folders
// named for the test. Two test runs at once on one machine (two worktrees, a developer and a
// CI job) would otherwise share them and overwrite each other's files mid-test. TMPDIR, which
// temp_directory_path() reads and the archsim processes the tests start inherit, points into a
// folder named for this process, removed when the run ends.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

int main(int argc, char** argv) {
  const std::filesystem::path own = std::filesystem::temp_directory_path() / ("archsim-tests-" + std::to_string(::getpid()));
  std::filesystem::create_directories(own);
  ::setenv("TMPDIR", own.c_str(), 1);
  doctest::Context context(argc, argv);
  const int status = context.run();
  std::error_code ignored;
  std::filesystem::remove_all(own, ignored);
  return status;
}
