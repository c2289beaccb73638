// Outputs are replaced whole or not at all, and a failure says its real cause.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "archsim/reports/atomic_file.hpp"
#include "archsim/reports/document.hpp"

namespace fs = std::filesystem;
using namespace archsim::reports;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("archsim-atomic-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("atomic file: a failure names its real cause, never 'Success'") {
  const auto dir = fresh_dir("causes");
  std::ofstream(dir / "file") << "x";
  const std::string under_file = write_file_atomically(dir / "file" / "out.txt", "y");
  CHECK(under_file.find("is not a folder") != std::string::npos);
  CHECK(write_file_atomically(dir / "missing" / "out.txt", "y").find("does not exist") != std::string::npos);
  fs::create_directories(dir / "sub");
  CHECK(write_file_atomically(dir / "sub", "y").find("is a folder, not a file") != std::string::npos);
  for (const auto& problem : {under_file, file_target_problem(dir / "sub")}) CHECK(problem.find("Success") == std::string::npos);
  CHECK(write_file_atomically(dir / "ok.txt", "content").empty());
  CHECK(slurp(dir / "ok.txt") == "content");
  CHECK(file_target_problem(dir / "ok.txt").empty());
}

TEST_CASE("atomic folder: replaced as a set, only over archsim's own files") {
  const auto dir = fresh_dir("set");
  const auto ours = [](std::string_view name) { return name.ends_with(".csv") || name == "results.json"; };
  REQUIRE(replace_directory_atomically(dir / "out", {{"results.json", "1"}, {"a.csv", "a"}}, ours).empty());
  REQUIRE(replace_directory_atomically(dir / "out", {{"results.json", "2"}, {"b.csv", "b"}}, ours).empty());
  CHECK(slurp(dir / "out" / "results.json") == "2");
  CHECK_FALSE(fs::exists(dir / "out" / "a.csv"));
  CHECK(fs::exists(dir / "out" / "b.csv"));
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) entries += entry.path().filename() == "out" ? 0 : 1;
  CHECK(entries == 0);  // no temporary or old folder left beside it
  std::ofstream(dir / "out" / "mine.txt") << "keep";
  const std::string foreign = replace_directory_atomically(dir / "out", {{"results.json", "3"}}, ours);
  CHECK(foreign.find("holds 'mine.txt', which archsim did not write") != std::string::npos);
  CHECK(slurp(dir / "out" / "results.json") == "2");
  fs::create_directory_symlink(dir / "out", dir / "link");
  CHECK(replace_directory_atomically(dir / "link", {}, ours).find("is a symbolic link") != std::string::npos);
}

TEST_CASE("markup: control characters and invalid bytes become U+FFFD, which XML 1.0 can carry") {
  CHECK(doc::escape_markup("a\x1b[1m<b>\x01\xff") == "a\xEF\xBF\xBD[1m&lt;b&gt;\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(doc::escape_markup("tab\tand\nline") == "tab\tand\nline");
}
