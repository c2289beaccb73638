// Issue 19, part B, at the command line: hostile input exits 2 with a located message, and a run
// that fails writes nothing.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "cli_fixture.hpp"

namespace {

using archsim::test::cli;
namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The reference scenario (chosen `good`, rejected `other`) in its own folder.
std::string reference(const std::string& folder, const std::string& workload_extra = "") {
  return archsim::test::reference_scenario(folder, "scenario", "  up: {title: up, metric: availability, min: 99%}\n", 3, true,
                                           workload_extra);
}

/// The same scenario with `from` replaced by `to`, saved beside it as `name`.
std::string variant(const std::string& file, const std::string& from, const std::string& to, const std::string& name) {
  std::string text = slurp(file);
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), to);
  const auto out = fs::path(file).replace_filename(name);
  std::ofstream(out, std::ios::binary) << text;
  return out.string();
}

}  // namespace

TEST_CASE("cli hostile: --seed and --threads take whole numbers only; -1 is not 2^64 - 1") {
  const std::string file = reference("archsim_hostile_seed");
  for (const char* seed : {"-1", "1e3", "0x10", "18446744073709551616", ""}) {
    CAPTURE(seed);
    const auto r = cli({"run", file, "--seed", seed, "--horizon", "30m"});
    CHECK(r.code == 2);
    CHECK(r.err.find("expected a whole number from 0 to 18446744073709551615") != std::string::npos);
  }
  for (const char* threads : {"-1", "0", "257", "1.5"}) {
    CAPTURE(threads);
    CHECK(cli({"run", file, "--threads", threads}).code == 2);
  }
}

TEST_CASE("cli hostile: a name that is not UTF-8 is a located error in every verb and format, never exit 3") {
  const std::string file = variant(reference("archsim_hostile_utf8"), "name: reference", "name: caf\xe9", "latin1.yaml");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"price", file, "--format", "json"},
                                              {"validate", file, "--format", "sarif"},
                                              {"validate", file, "--format", "json"},
                                              {"run", file, "--horizon", "30m", "--format", "junit"}}) {
    CAPTURE(args[0]);
    const auto r = cli(args);
    CHECK(r.code == 2);
    CHECK(r.err.find("latin1.yaml:2:10: error: byte 0xE9 is not valid UTF-8") != std::string::npos);
  }
  // A file name from the command line that is not UTF-8 cannot break the JSON either.
  const auto odd = fs::path(file).replace_filename("odd\xff.yaml");
  fs::copy_file(fs::path(file).replace_filename("scenario.yaml"), odd, fs::copy_options::overwrite_existing);
  const auto json = cli({"validate", odd.string(), "--format", "json"});
  CHECK(json.code != 3);
  CHECK(json.out.find("odd\\\\xff.yaml") != std::string::npos);  // escaped as the terminal shows it
  // An ESC in a file name (a glob over a pull request's files) never reaches the terminal raw.
  const auto esc = fs::path(file).replace_filename("esc\x1b[2J.yaml");
  fs::copy_file(fs::path(file).replace_filename("scenario.yaml"), esc, fs::copy_options::overwrite_existing);
  for (const char* verb : {"validate", "price"}) {
    CAPTURE(verb);
    const auto text = cli({verb, esc.string()});
    CHECK(text.code <= 1);
    CHECK(text.out.find('\x1b') == std::string::npos);
  }
  CHECK(cli({"validate", esc.string()}).out.find("esc\\x1b[2J.yaml") != std::string::npos);
}

TEST_CASE("cli hostile: a run that fails in simulation leaves -o and --out as they were") {
  const std::string good = reference("archsim_hostile_fail");
  const auto dir = fs::path(good).parent_path();
  const auto out_dir = dir / "out";
  const auto report = dir / "report.json";
  fs::remove_all(out_dir);
  REQUIRE(cli({"run", good, "--horizon", "30m", "--format", "json", "-o", report.string(), "--out", out_dir.string()}).code == 0);
  const std::string before_report = slurp(report);
  const std::string before_results = slurp(out_dir / "results.json");
  // An event limit the run must reach makes every alternative fail in simulation.
  const std::string failing = variant(good, "replications: 3,", "replications: 3, limits: {max_events: 1000},", "failing.yaml");
  const auto r = cli({"run", failing, "--horizon", "30m", "--format", "json", "-o", report.string(), "--out", out_dir.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("so nothing was written (-o " + report.string() + ", --out " + out_dir.string() + " keep their previous content)") != std::string::npos);
  CHECK(slurp(report) == before_report);
  CHECK(slurp(out_dir / "results.json") == before_results);
  CHECK(fs::exists(out_dir / "timeline-other.csv"));
  // An -o that cannot be written is found before --out is replaced.
  const auto bad_o = cli({"run", good, "--horizon", "10m", "-o", (dir / "no-such-folder" / "r.json").string(), "--out", out_dir.string()});
  CHECK(bad_o.code == 2);
  CHECK(bad_o.err.find("no-such-folder does not exist") != std::string::npos);
  CHECK(slurp(out_dir / "results.json") == before_results);
}

TEST_CASE("cli hostile: --out is replaced as a set; a file, a link or a foreign folder is refused with the real cause") {
  const std::string two = reference("archsim_hostile_out");
  const auto dir = fs::path(two).parent_path();
  const auto out_dir = dir / "out";
  fs::remove_all(out_dir);
  REQUIRE(cli({"run", two, "--horizon", "30m", "--out", out_dir.string()}).code == 0);
  CHECK(fs::exists(out_dir / "timeline-other.csv"));
  ::chmod(out_dir.c_str(), 0750);
  // The rejected alternative is gone: its timeline must not linger beside the new set.
  const std::string one = variant(two, "  other:\n", "  other2:\n", "renamed.yaml");
  REQUIRE(cli({"run", one, "--horizon", "30m", "--out", out_dir.string() + "/"}).code == 0);  // `out/` is the folder `out`
  CHECK_FALSE(fs::exists(out_dir / "timeline-other.csv"));
  CHECK(fs::exists(out_dir / "timeline-other2.csv"));
  CHECK((fs::status(out_dir).permissions() & fs::perms::all) == (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec));
  for (const auto& entry : fs::directory_iterator(dir)) {
    CAPTURE(entry.path());
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);  // no temporary left behind
  }
  // A folder holding a file archsim did not write is not archsim's to replace.
  std::ofstream(out_dir / "notes.txt") << "mine";
  const auto foreign = cli({"run", one, "--horizon", "30m", "--out", out_dir.string()});
  CHECK(foreign.code == 2);
  CHECK(foreign.err.find("holds 'notes.txt', which archsim did not write") != std::string::npos);
  CHECK(fs::exists(out_dir / "notes.txt"));
  const auto dot = cli({"run", one, "--horizon", "30m", "--out", "."});
  CHECK(dot.code == 2);
  CHECK(dot.err.find("does not name a folder archsim can replace") != std::string::npos);
  // A path that is a file is named as such, not as a missing folder.
  const auto file_path = dir / "plain-file";
  std::ofstream(file_path) << "x";
  const auto not_dir = cli({"run", one, "--horizon", "30m", "--out", file_path.string()});
  CHECK(not_dir.code == 2);
  CHECK(not_dir.err.find("exists and is not a folder") != std::string::npos);
  const auto under_file = cli({"run", one, "--horizon", "30m", "--format", "json", "-o", (file_path / "r.json").string()});
  CHECK(under_file.code == 2);
  CHECK(under_file.err.find("is not a folder") != std::string::npos);
  CHECK(under_file.err.find("Success") == std::string::npos);
}

TEST_CASE("cli hostile: -o keeps the target's mode and refuses a symbolic link") {
  const std::string file = reference("archsim_hostile_o");
  const auto dir = fs::path(file).parent_path();
  const auto target = dir / "out.md";
  std::ofstream(target) << "old";
  ::chmod(target.c_str(), 0640);
  REQUIRE(cli({"validate", file, "--format", "markdown", "-o", target.string()}).code == 0);
  CHECK(slurp(target) != "old");
  CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  const auto victim = dir / "victim.txt";
  std::ofstream(victim) << "keep";
  const auto link = dir / "link.md";
  fs::remove(link);
  fs::create_symlink(victim, link);
  const auto r = cli({"validate", file, "--format", "markdown", "-o", link.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("is a symbolic link") != std::string::npos);
  CHECK(slurp(victim) == "keep");
}

TEST_CASE("cli hostile: a trace that is a FIFO or leads outside the folder is refused, not waited on") {
  const std::string file = reference("archsim_hostile_trace");
  const auto dir = fs::path(file).parent_path();
  fs::remove(dir / "trace.csv");
  REQUIRE(::mkfifo((dir / "trace.csv").c_str(), 0600) == 0);
  const std::string fifo = variant(file, "arrivals: {rate: 5/s}", "arrivals: {trace: {file: trace.csv}}", "fifo.yaml");
  const auto r = cli({"run", fifo, "--horizon", "30m"});
  CHECK(r.code == 2);
  CHECK(r.err.find("is a FIFO (named pipe), not a regular file") != std::string::npos);
  const std::string outside = variant(file, "arrivals: {rate: 5/s}", "arrivals: {trace: {file: /dev/zero}}", "zero.yaml");
  const auto z = cli({"validate", outside});
  CHECK(z.code == 2);
  CHECK(z.err.find("leads outside the scenario's folder") != std::string::npos);
  const auto allowed = cli({"validate", outside, "--allow-outside-paths"});
  CHECK(allowed.code == 2);
  CHECK(allowed.err.find("is a character device, not a regular file") != std::string::npos);
  const std::string book = variant(file, "region: us-east-1\n", "region: us-east-1\npricing: {price_book: .." "/../etc/passwd}\n", "book.yaml");
  const auto p = cli({"price", book});
  CHECK(p.code == 2);
  CHECK(p.err.find("pricing.price_book: error: price book '.." "/../etc/passwd' leads outside") != std::string::npos);
}

TEST_CASE("cli hostile: every verb that reads a scenario confines its files, and takes --allow-outside-paths") {
  const std::string file = reference("archsim_hostile_confined/inner");
  const auto inner = fs::path(file).parent_path();
  // The topology one folder up: outside the scenario's tree.
  fs::copy_file(inner / "good_topology.yaml", inner.parent_path() / "shared.yaml", fs::copy_options::overwrite_existing);
  const std::string up = variant(file, "topology: good_topology.yaml\n  other", "topology: .." "/shared.yaml\n  other", "up.yaml");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"validate", up}, {"price", up}, {"graph", up}, {"run", up, "--horizon", "10m"}}) {
    CAPTURE(args[0]);
    const auto refused = cli(args);
    CHECK(refused.code == 2);
    CHECK(refused.err.find("leads outside the scenario's folder") != std::string::npos);
    auto allowed_args = args;
    allowed_args.push_back("--allow-outside-paths");
    const auto allowed = cli(allowed_args);
    INFO(allowed.err);
    CHECK(allowed.code <= 1);
  }
}

TEST_CASE("cli hostile: diff reads regular files of bounded size and nesting") {
  const auto dir = fs::temp_directory_path() / "archsim_hostile_diff";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "deep.json") << std::string(100'000, '[') << std::string(100'000, ']');
  const auto deep = cli({"diff", (dir / "deep.json").string(), (dir / "deep.json").string()});
  CHECK(deep.code == 2);
  CHECK(deep.err.find("deep.json:1:65: error: nesting deeper than 64 levels") != std::string::npos);
  REQUIRE(::mkfifo((dir / "pipe.json").c_str(), 0600) == 0);
  const auto pipe = cli({"diff", (dir / "pipe.json").string(), (dir / "pipe.json").string()});
  CHECK(pipe.code == 2);
  CHECK(pipe.err.find("pipe.json: error: cannot read it: is a FIFO (named pipe), not a regular file") != std::string::npos);
}
